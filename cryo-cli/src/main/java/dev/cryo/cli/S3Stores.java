package dev.cryo.cli;

import dev.cryo.repository.ObjectStore;
import dev.cryo.repository.ObjectStoreException;
import java.util.Map;

/** Opens an S3 object store (wired to cryo-repository-s3 once it lands). */
final class S3Stores {
  private S3Stores() {}

  static ObjectStore open(String location, String endpoint, Map<String, String> env)
      throws ObjectStoreException {
    throw new ObjectStoreException("S3 repositories are not built into this cryo yet: " + location);
  }
}

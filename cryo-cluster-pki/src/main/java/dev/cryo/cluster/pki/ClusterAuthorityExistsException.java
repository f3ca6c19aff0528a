package dev.cryo.cluster.pki;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A cluster CA exists already where a new one was to be created: replacing it would leave every
 * certificate it issued untrusted, so it is never overwritten.
 */
public class ClusterAuthorityExistsException extends IOException {
  public ClusterAuthorityExistsException(Path certificate) {
    super(
        "a cluster CA exists already in "
            + certificate.getParent()
            + " ("
            + certificate.getFileName()
            + "); issue certificates from it with 'cryo cluster issue', or choose another directory");
  }
}

package dev.cryo.cluster.pki;

import java.io.IOException;
import java.nio.file.Path;

/** No cluster CA where one was to be opened: its certificate or its key file is not there. */
public class ClusterAuthorityMissingException extends IOException {
  public ClusterAuthorityMissingException(Path file, String what) {
    super(
        "the "
            + what
            + " file "
            + file
            + " does not exist; create a CA there with 'cryo cluster init', or name the directory"
            + " that holds one");
  }
}

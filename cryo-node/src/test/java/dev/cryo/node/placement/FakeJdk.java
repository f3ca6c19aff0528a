package dev.cryo.node.placement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A directory laid out as a JDK, with small made-up files, for tests. */
final class FakeJdk {
  private FakeJdk() {}

  static Path create(Path home, String build) throws IOException {
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("lib/server"));
    Path java = Files.writeString(home.resolve(Jdks.LAUNCHER), "#!/bin/sh\n# java " + build + "\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(home.resolve(Jdks.LIBJVM), "libjvm " + build);
    Files.writeString(home.resolve(Jdks.MODULES), "modules " + build);
    Files.writeString(home.resolve(Jdks.CDS_ARCHIVE), "cds " + build);
    Files.writeString(
        home.resolve("release"),
        "IMPLEMENTOR=\"Test\"\nJAVA_RUNTIME_VERSION=\"17.0.15+6-" + build + "\"\n");
    return home;
  }
}

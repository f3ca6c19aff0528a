package dev.cryo.cli;

import dev.cryo.images.ImageStore;
import dev.cryo.images.Manifest;
import dev.cryo.images.StagedCheckpoint;
import dev.cryo.linux.PrivateFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The training run behind the CLI's class-data archive ({@code cryo.jsa}, made by the build with
 * {@code -XX:ArchiveClassesAtExit}): it runs the commands whose start-up a restore waits for
 * (parsing the command line, opening a store, reading and verifying a manifest) against a
 * throw-away store, so that their classes are loaded, verified and linked once at build time
 * instead of at every start of {@code bin/cryo}. Nothing here touches a process or CRIU.
 */
public final class StartupTraining {
  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
    Path store = Files.createTempDirectory("cryo-startup-training-");
    try {
      publishSample(ImageStore.open(store));
      String s = store.toString();
      Path noCriu = Files.createDirectory(store.resolve("empty-path"));
      for (String[] command :
          List.of(
              new String[] {"--version"},
              new String[] {"--help"},
              new String[] {"--store", s, "list"},
              new String[] {"--store", s, "verify", "training"},
              new String[] {"--store", s, "inspect", "training"},
              new String[] {"--store", s, "ps"},
              new String[] {"--store", s, "restore", "training"},
              new String[] {"--store", s, "checkpoint", "1"},
              new String[] {"restore", "--help"},
              new String[] {"checkpoint", "--help"},
              new String[] {"run", "--help"})) {
        StringWriter sink = new StringWriter();
        Main.run(
            new CryoCommand().searchingCriuIn(noCriu.toString()),
            command,
            new PrintWriter(sink, true),
            new PrintWriter(sink, true));
      }
    } finally {
      PrivateFiles.deleteTree(store);
    }
  }

  private static void publishSample(ImageStore images) throws Exception {
    StagedCheckpoint staged = images.stage("training");
    Files.write(staged.imagesDir().resolve("pages-1.img"), new byte[1 << 20]);
    Files.writeString(staged.imagesDir().resolve("core-1.img"), "core");
    int pid = Integer.MAX_VALUE;
    images.publish(
        staged,
        new Manifest(
            Manifest.FORMAT,
            null,
            null,
            Instant.now().toString(),
            new Manifest.Host("training", "0", "0", List.of()),
            new Manifest.Source(
                pid, List.of(pid), List.of("training"), false, true, false, List.of(), false, null),
            0,
            List.of()));
  }
}

package dev.cryo.cli;

import dev.cryo.criu.CriuClient;
import dev.cryo.images.ImageStore;

/**
 * What nearly every command needs after its command line is parsed, prepared on a second core while
 * picocli parses it: the manifest's JSON mapping and the native access used to talk to CRIU. A
 * short command such as {@code cryo restore} spends most of its life starting up, so the overlap is
 * a good share of its time. Failures are left for the real use to report.
 */
final class StartupWarmUp {
  private StartupWarmUp() {}

  static void start() {
    Thread thread = new Thread(StartupWarmUp::run, "cryo-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run() {
    try {
      ImageStore.warmUp();
      CriuClient.warmUp();
    } catch (RuntimeException | LinkageError e) {
      // Reported, if it matters, by the command that needs it.
    }
  }
}

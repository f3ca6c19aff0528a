package dev.cryo.node.placement;

import dev.cryo.criu.CriuVersion;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides on a node whether a program's checkpoints can be restored there: CRIU reads unchanged
 * pages of mapped files from disk again and checks the CPU's features, so a host with another build
 * of a file, fewer CPU features or an older CRIU would fail the restore, or worse, run the program
 * on different bytes.
 */
public final class FitCheck {
  /** How many hex digits of a fingerprint a reason shows. */
  private static final int SHOWN = 8;

  private FitCheck() {}

  public static Fit evaluate(
      ProgramRequirements required, NodeFacts here, FileFingerprints fingerprints) {
    List<String> reasons = new ArrayList<>();
    for (Map.Entry<String, String> file : required.files().entrySet()) {
      fileProblem(file.getKey(), file.getValue(), fingerprints).ifPresent(reasons::add);
    }
    Set<String> missing = new HashSet<>(required.cpuFlags());
    missing.removeAll(here.cpuFlags());
    if (!missing.isEmpty()) {
      List<String> names = missing.stream().sorted().toList();
      reasons.add("the CPU here lacks " + String.join(", ", names));
    }
    criuProblem(required.criuVersion(), here.criuVersion()).ifPresent(reasons::add);
    return reasons.isEmpty() ? Fit.FITS : new Fit(false, String.join("; ", reasons));
  }

  private static Optional<String> fileProblem(
      String path, String needed, FileFingerprints fingerprints) {
    String found;
    try {
      found = fingerprints.sha256(Path.of(path));
    } catch (NoSuchFileException e) {
      return Optional.of("no " + path + " here");
    } catch (IOException e) {
      return Optional.of("cannot read " + path + " here: " + e.getMessage());
    }
    if (found.equals(needed)) {
      return Optional.empty();
    }
    return Optional.of(
        "another build of "
            + path
            + " here (sha256 "
            + shortly(found)
            + ", the program needs "
            + shortly(needed)
            + ")");
  }

  private static Optional<String> criuProblem(String needed, String here) {
    if (needed == null) {
      return Optional.empty();
    }
    CriuVersion minimum = CriuVersion.parse(needed);
    if (here == null) {
      return Optional.of("no CRIU here, the program needs " + minimum + " or later");
    }
    CriuVersion installed = CriuVersion.parse(here);
    return installed.isAtLeast(minimum)
        ? Optional.empty()
        : Optional.of("CRIU " + installed + " here, the program needs " + minimum + " or later");
  }

  private static String shortly(String sha256) {
    return sha256.length() > SHOWN ? sha256.substring(0, SHOWN) + "…" : sha256;
  }
}

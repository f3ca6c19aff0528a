package dev.cryo.images;

import java.util.List;

/**
 * A checkpoint whose files no longer match its manifest: damaged, truncated or incomplete. It is
 * left in place so that nothing more is lost.
 */
public class CorruptCheckpointException extends ImageStoreException {
  private final List<String> problems;

  public CorruptCheckpointException(String reference, List<String> problems) {
    super(
        "checkpoint "
            + reference
            + " is corrupt or incomplete: "
            + problems.get(0)
            + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : "")
            + "; it was left in place, 'cryo verify "
            + reference
            + "' lists every problem");
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

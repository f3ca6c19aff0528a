package dev.cryo.node.placement;

/**
 * Whether a program can be restored on a node, and if not why (JSON at {@code
 * /cryo/programs/NAME/fit/NODE}).
 *
 * @param fits whether it can
 * @param why empty when it fits, else every reason it does not, joined by "; "
 */
public record Fit(boolean fits, String why) {
  static final Fit FITS = new Fit(true, "");
}

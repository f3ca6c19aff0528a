package dev.cryo.supervisor;

/** No supervised program has the name given. */
public final class RunNotFoundException extends Exception {
  public RunNotFoundException(String name) {
    super("no program named '" + name + "' runs under cryo");
  }
}

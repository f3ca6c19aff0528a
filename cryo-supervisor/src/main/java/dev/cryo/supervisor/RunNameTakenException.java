package dev.cryo.supervisor;

/** A program that has not ended already runs under this name. */
public final class RunNameTakenException extends Exception {
  private final String name;

  public RunNameTakenException(String name, String status) {
    super("the name '" + name + "' is in use by a program that is " + status);
    this.name = name;
  }

  public String name() {
    return name;
  }
}

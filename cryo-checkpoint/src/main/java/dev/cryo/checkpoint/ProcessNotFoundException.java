package dev.cryo.checkpoint;

/** The PID to checkpoint names no live process. */
public class ProcessNotFoundException extends Exception {
  public ProcessNotFoundException(String message) {
    super(message);
  }
}

package dev.cryo.criu;

/**
 * CRIU cannot be used at all: not installed, not executable, too old, or not answering. The message
 * says how to fix the installation.
 */
public class CriuUnavailableException extends CriuException {
  public CriuUnavailableException(String message) {
    super(message);
  }

  public CriuUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.cryo.criu;

/** Any failure to get an answer from CRIU or to have CRIU do what was asked. */
public class CriuException extends Exception {
  public CriuException(String message) {
    super(message);
  }

  public CriuException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.cryo.images;

/** The image store cannot do what was asked; the message says what and what to do. */
public class StoreException extends Exception {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

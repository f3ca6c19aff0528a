package dev.cryo.images;

/** The image store cannot do what was asked; the message says what and what to do. */
public class ImageStoreException extends Exception {
  public ImageStoreException(String message) {
    super(message);
  }

  public ImageStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

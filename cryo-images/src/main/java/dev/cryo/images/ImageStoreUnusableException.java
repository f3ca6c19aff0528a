package dev.cryo.images;

/**
 * The image store's directory cannot serve at all: it cannot be created or written, or is not a
 * directory. Another directory is the way out, which whoever reports this can say in its own terms.
 */
public class ImageStoreUnusableException extends ImageStoreException {
  public ImageStoreUnusableException(String message) {
    super(message);
  }

  public ImageStoreUnusableException(String message, Throwable cause) {
    super(message, cause);
  }
}

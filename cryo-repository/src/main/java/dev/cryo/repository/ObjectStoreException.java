package dev.cryo.repository;

import dev.cryo.images.ImageStoreException;

/**
 * An object store cannot do what was asked. The message is one line that says what and what to do.
 */
public class ObjectStoreException extends ImageStoreException {
  public ObjectStoreException(String message) {
    super(message);
  }

  public ObjectStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

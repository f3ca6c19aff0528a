package dev.cryo.repository;

import dev.cryo.images.ImageStoreException;

/** A repository's key file is missing, unreadable or damaged; the message says which file. */
public class KeyFileException extends ImageStoreException {
  public KeyFileException(String message) {
    super(message);
  }

  public KeyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.cryo.repository;

import dev.cryo.images.ImageStoreException;

/**
 * An object of a remote repository is damaged, was changed, or is missing although a manifest needs
 * it. Found before anything is restored; nothing is deleted because of it.
 */
public class CorruptObjectException extends ImageStoreException {
  public CorruptObjectException(String message) {
    super(message);
  }

  public CorruptObjectException(String message, Throwable cause) {
    super(message, cause);
  }
}

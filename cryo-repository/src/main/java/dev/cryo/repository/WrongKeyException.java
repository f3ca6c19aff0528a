package dev.cryo.repository;

import dev.cryo.images.ImageStoreException;

/**
 * The key does not open the repository: a key of another repository, or a wrong passphrase. Nothing
 * was read or changed.
 */
public class WrongKeyException extends ImageStoreException {
  public WrongKeyException(String message) {
    super(message);
  }
}

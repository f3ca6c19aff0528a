package dev.cryo.repository;

import dev.cryo.images.ImageStoreException;

/** Another push or prune holds the repository, and waiting for it did not end it. */
public class RepositoryBusyException extends ImageStoreException {
  public RepositoryBusyException(String message) {
    super(message);
  }
}

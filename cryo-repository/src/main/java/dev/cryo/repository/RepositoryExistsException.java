package dev.cryo.repository;

import dev.cryo.images.ImageStoreException;

/** {@code repo init} found a repository where it was to make one, and left it alone. */
public class RepositoryExistsException extends ImageStoreException {
  public RepositoryExistsException(String message) {
    super(message);
  }
}

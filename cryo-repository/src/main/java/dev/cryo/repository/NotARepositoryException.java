package dev.cryo.repository;

/** The bucket or directory exists but holds no repository: {@code cryo repo init} makes one. */
public class NotARepositoryException extends ObjectStoreMissingException {
  public NotARepositoryException(String message) {
    super(message);
  }
}

package dev.cryo.cluster.store;

/**
 * No endpoint of the coordination store answered, or none could serve the request (the store has
 * lost its quorum): the message names the endpoints tried.
 */
public class CoordinationUnavailableException extends CoordinationException {
  public CoordinationUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.cryo.cluster.store;

/**
 * The coordination store refused this client: its certificate was not accepted, or the store's was
 * not signed by the cluster's CA.
 */
public class CoordinationAccessDeniedException extends CoordinationException {
  public CoordinationAccessDeniedException(String message, Throwable cause) {
    super(message, cause);
  }
}

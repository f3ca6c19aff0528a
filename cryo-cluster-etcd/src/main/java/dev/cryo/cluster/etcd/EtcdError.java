package dev.cryo.cluster.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cryo.cluster.store.CoordinationException;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * An error answer of etcd's gateway: its HTTP status, gRPC code and message, and whether another
 * member might serve the request.
 */
record EtcdError(int status, int code, String message) {
  /** gRPC codes the gateway passes on. */
  static final int NOT_FOUND = 5;

  static final int DEADLINE_EXCEEDED = 4;
  static final int UNAVAILABLE = 14;

  private static final List<String> UNAVAILABLE_MESSAGES =
      List.of(
          "no leader",
          "leader changed",
          "request timed out",
          "not capable",
          "too many requests",
          "unhealthy cluster",
          "stopped");

  /** The error in an answer, or null if it is none. */
  static EtcdError of(int status, String body) {
    if (status == 200) {
      return null;
    }
    int code = 0;
    String message = "HTTP " + status;
    try {
      JsonNode json = EtcdJson.MAPPER.readTree(body);
      if (json != null && json.isObject()) {
        code = json.path("code").asInt(0);
        String text = json.path("message").asText(json.path("error").asText(""));
        if (!text.isBlank()) {
          message = text;
        }
      }
    } catch (IOException e) {
      String text = body == null ? "" : body.strip();
      if (!text.isEmpty() && text.length() < 200 && !text.contains("\n")) {
        message = message + " " + text;
      }
    }
    return new EtcdError(status, code, message);
  }

  /** Whether another member may serve what this one could not. */
  boolean unavailable() {
    if (status == 503
        || status >= 500 && code == 0
        || code == UNAVAILABLE
        || code == DEADLINE_EXCEEDED) {
      return true;
    }
    String m = message.toLowerCase(Locale.ROOT);
    return UNAVAILABLE_MESSAGES.stream().anyMatch(m::contains);
  }

  /** Whether the member may have applied the request before failing (a timeout, a lost leader). */
  boolean mayHaveApplied() {
    String m = message.toLowerCase(Locale.ROOT);
    return code == DEADLINE_EXCEEDED || m.contains("timed out") || m.contains("leader changed");
  }

  boolean leaseNotFound() {
    return code == NOT_FOUND && message.contains("lease not found");
  }

  CoordinationException exception(URI endpoint, String path) {
    if (leaseNotFound()) {
      return new LeaseNotFoundException(message);
    }
    return new CoordinationException("etcd at " + endpoint + " refused " + path + ": " + message);
  }

  /** The lease a request named does not exist (any more). */
  static final class LeaseNotFoundException extends CoordinationException {
    LeaseNotFoundException(String message) {
      super(message);
    }
  }
}

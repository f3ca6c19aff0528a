package dev.cryo.cluster.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cryo.cluster.store.Compare;
import dev.cryo.cluster.store.KeyValue;
import dev.cryo.cluster.store.Lease;
import dev.cryo.cluster.store.Range;
import dev.cryo.cluster.store.TxnOp;
import dev.cryo.cluster.store.TxnResult;
import dev.cryo.cluster.store.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The JSON of etcd 3.4's gateway, both ways: the gateway renders the gRPC messages with their proto
 * field names, bytes as base64, 64-bit integers as strings, and leaves out every field at its zero
 * value (a failed transaction has no "succeeded", a PUT event no "type", a key without lease no
 * "lease").
 */
final class EtcdJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private EtcdJson() {}

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static String text(JsonNode base64) {
    if (base64 == null || base64.isNull()) {
      return "";
    }
    return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
  }

  /** A 64-bit integer as the gateway writes it (a string), or 0 where it left it out. */
  static long number(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? 0 : Long.parseLong(value.asText());
  }

  /**
   * The first key after every key that starts with {@code prefix}: etcd's range_end for a prefix.
   * The empty prefix ranges over everything ("\0" to "\0").
   */
  static byte[] prefixEnd(String prefix) {
    byte[] bytes = prefix.getBytes(StandardCharsets.UTF_8);
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] != (byte) 0xff) {
        byte[] end = Arrays.copyOf(bytes, i + 1);
        end[i]++;
        return end;
      }
    }
    return new byte[] {0};
  }

  static ObjectNode keyRequest(String key) {
    return MAPPER.createObjectNode().put("key", base64(key));
  }

  static ObjectNode prefixRequest(String prefix) {
    ObjectNode request = MAPPER.createObjectNode();
    request.put("key", prefix.isEmpty() ? base64(new byte[] {0}) : base64(prefix));
    request.put("range_end", base64(prefixEnd(prefix)));
    return request;
  }

  static ObjectNode putRequest(String key, String value, long lease) {
    ObjectNode request = keyRequest(key).put("value", base64(value));
    if (lease != Lease.NONE) {
      request.put("lease", Long.toString(lease));
    }
    return request;
  }

  static ObjectNode leaseRequest(long lease) {
    return MAPPER.createObjectNode().put("ID", Long.toString(lease));
  }

  static ObjectNode grantRequest(Duration ttl) {
    long seconds = Math.max(1, ttl.toSeconds());
    return MAPPER.createObjectNode().put("TTL", Long.toString(seconds));
  }

  static ObjectNode watchRequest(String prefix, long afterRevision) {
    ObjectNode create = prefixRequest(prefix);
    create.put("start_revision", Long.toString(afterRevision + 1));
    ObjectNode request = MAPPER.createObjectNode();
    request.set("create_request", create);
    return request;
  }

  static ObjectNode txnRequest(
      List<Compare> compares, List<TxnOp> onSuccess, List<TxnOp> onFailure) {
    ObjectNode request = MAPPER.createObjectNode();
    ArrayNode compare = request.putArray("compare");
    compares.forEach(c -> compare.add(compare(c)));
    ArrayNode success = request.putArray("success");
    onSuccess.forEach(op -> success.add(operation(op)));
    ArrayNode failure = request.putArray("failure");
    onFailure.forEach(op -> failure.add(operation(op)));
    return request;
  }

  private static ObjectNode compare(Compare c) {
    ObjectNode node = keyRequest(c.key());
    node.put(
        "result",
        switch (c.operator()) {
          case EQUAL -> "EQUAL";
          case NOT_EQUAL -> "NOT_EQUAL";
          case GREATER -> "GREATER";
          case LESS -> "LESS";
        });
    switch (c.target()) {
      case VALUE ->
          node.put("target", "VALUE").put("value", base64(c.value() == null ? "" : c.value()));
      case CREATE_REVISION ->
          node.put("target", "CREATE").put("create_revision", Long.toString(c.number()));
      case MOD_REVISION -> node.put("target", "MOD").put("mod_revision", Long.toString(c.number()));
      case VERSION -> node.put("target", "VERSION").put("version", Long.toString(c.number()));
      case LEASE -> node.put("target", "LEASE").put("lease", Long.toString(c.number()));
    }
    return node;
  }

  private static ObjectNode operation(TxnOp op) {
    ObjectNode node = MAPPER.createObjectNode();
    if (op instanceof TxnOp.Put put) {
      node.set("request_put", putRequest(put.key(), put.value(), put.lease()));
    } else if (op instanceof TxnOp.Delete delete) {
      node.set("request_delete_range", keyRequest(delete.key()));
    }
    return node;
  }

  /** The store's revision in a response's header. */
  static long revision(JsonNode response) {
    return number(response.get("header"), "revision");
  }

  static KeyValue keyValue(JsonNode kv) {
    return new KeyValue(
        text(kv.get("key")),
        text(kv.get("value")),
        number(kv, "create_revision"),
        number(kv, "mod_revision"),
        number(kv, "version"),
        number(kv, "lease"));
  }

  static Range range(JsonNode response) {
    List<KeyValue> keys = new ArrayList<>();
    JsonNode kvs = response.get("kvs");
    if (kvs != null) {
      kvs.forEach(kv -> keys.add(keyValue(kv)));
    }
    return new Range(keys, revision(response));
  }

  static long deleted(JsonNode response) {
    return number(response, "deleted");
  }

  static TxnResult txn(JsonNode response) {
    return new TxnResult(response.path("succeeded").asBoolean(false), revision(response));
  }

  static Lease lease(JsonNode response) {
    String error = response.path("error").asText("");
    if (!error.isEmpty()) {
      throw new IllegalStateException(error);
    }
    return new Lease(number(response, "ID"), Duration.ofSeconds(number(response, "TTL")));
  }

  /**
   * A keep-alive's answer: the new time to live, or empty when the lease is gone (TTL 0 or none).
   */
  static Optional<Duration> keepAlive(JsonNode response) {
    JsonNode result = response.has("result") ? response.get("result") : response;
    long ttl = number(result, "TTL");
    return ttl > 0 ? Optional.of(Duration.ofSeconds(ttl)) : Optional.empty();
  }

  static WatchEvent event(JsonNode event) {
    WatchEvent.Kind kind =
        "DELETE".equals(event.path("type").asText("PUT"))
            ? WatchEvent.Kind.DELETE
            : WatchEvent.Kind.PUT;
    return new WatchEvent(kind, keyValue(event.get("kv")));
  }

  /**
   * One message of a watch stream: events, or the end of the watch (canceled by the server, with
   * the revision history was compacted to when that is why, or an error of the stream).
   */
  record WatchMessage(
      List<WatchEvent> events, boolean ended, long compactRevision, String reason) {}

  static WatchMessage watchMessage(JsonNode line) {
    JsonNode error = line.get("error");
    if (error != null && !error.isNull()) {
      String message = error.isObject() ? error.path("message").asText("") : error.asText();
      return new WatchMessage(List.of(), true, 0, message);
    }
    JsonNode result = line.has("result") ? line.get("result") : line;
    List<WatchEvent> events = new ArrayList<>();
    JsonNode list = result.get("events");
    if (list != null) {
      list.forEach(e -> events.add(event(e)));
    }
    boolean canceled = result.path("canceled").asBoolean(false);
    return new WatchMessage(
        events,
        canceled,
        number(result, "compact_revision"),
        canceled ? result.path("cancel_reason").asText("") : "");
  }
}

package dev.cryo.cluster.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cryo.cluster.store.CoordinationException;
import dev.cryo.cluster.store.CoordinationUnavailableException;
import dev.cryo.cluster.store.Watch;
import dev.cryo.cluster.store.WatchEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One watch: a streaming POST to {@code /v3/watch} read line by line on a daemon thread of its own,
 * each line a JSON message of events. The stream ending for any reason but {@link #close()} ends
 * the watch, and {@code onEnd} hears why: the member went away, or etcd canceled the watch (history
 * compacted).
 */
final class EtcdWatch implements Watch {
  private final String prefix;
  private final long afterRevision;
  private final Consumer<WatchEvent> listener;
  private final Consumer<Exception> onEnd;
  private final Runnable onClosed;
  private final HttpResponse<InputStream> response;
  private final URI endpoint;
  private final Thread thread;
  private volatile boolean closed;

  EtcdWatch(
      EtcdEndpoints endpoints,
      String prefix,
      long afterRevision,
      Consumer<WatchEvent> listener,
      Consumer<Exception> onEnd,
      Runnable onClosed) {
    this.prefix = prefix;
    this.afterRevision = afterRevision;
    this.listener = listener;
    this.onEnd = onEnd;
    this.onClosed = onClosed;
    this.response = endpoints.stream("/v3/watch", EtcdJson.watchRequest(prefix, afterRevision));
    this.endpoint = response.uri();
    this.thread = new Thread(this::follow, "etcd-watch " + prefix);
    thread.setDaemon(true);
  }

  EtcdWatch start() {
    thread.start();
    return this;
  }

  private void follow() {
    Exception why = null;
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null && !closed; line = lines.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode json = EtcdJson.MAPPER.readTree(line);
        EtcdJson.WatchMessage message = EtcdJson.watchMessage(json);
        for (WatchEvent event : message.events()) {
          if (closed) {
            break;
          }
          listener.accept(event);
        }
        if (message.ended()) {
          why =
              message.compactRevision() > 0
                  ? new WatchCompactedException(prefix, afterRevision, message.compactRevision())
                  : new CoordinationException(
                      "etcd at "
                          + endpoint
                          + " ended the watch of "
                          + prefix
                          + ": "
                          + message.reason()
                          + "; read the keys again and watch from the revision read");
          break;
        }
      }
      if (why == null && !closed) {
        why = lost(null);
      }
    } catch (IOException e) {
      why = closed ? null : lost(e);
    } catch (RuntimeException e) {
      why = closed ? null : e;
    } finally {
      onClosed.run();
    }
    onEnd.accept(closed ? null : why);
  }

  private CoordinationUnavailableException lost(IOException cause) {
    return new CoordinationUnavailableException(
        "the watch of "
            + prefix
            + " on etcd at "
            + endpoint
            + " broke off"
            + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")")
            + "; read the keys again and watch from the revision read",
        cause);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      response.body().close();
    } catch (IOException e) {
      // The stream is being dropped; nothing more to read from it either way.
    }
    if (Thread.currentThread() != thread) {
      thread.interrupt();
    }
  }
}

package dev.cryo.runtime.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.protocol.ControlSocketName;
import dev.cryo.protocol.JsonLine;
import dev.cryo.protocol.LineChannel;
import dev.cryo.runtime.CheckpointResource;
import dev.cryo.runtime.Priority;
import dev.cryo.runtime.Resumption;
import dev.cryo.runtime.notify.ResourceRegistry;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process's end of the protocol over its real control socket, driven line by line as cryo (or
 * any other client) would: the answers to each phase, and to what is not the protocol.
 */
class ControlProtocolTest {
  @TempDir Path dir;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private ControlServer server;

  @BeforeEach
  void startServer() throws Exception {
    System.setProperty("cryo.control.dir", dir.resolve("control").toString());
    ResourceRegistry registry = new ResourceRegistry();
    registry.register(
        new CheckpointResource() {
          @Override
          public void beforeCheckpoint() {
            events.add("before");
          }

          @Override
          public void afterRestore(Resumption resumption) {
            events.add(
                "after "
                    + resumption
                    + (System.getProperty("test.port") == null
                        ? ""
                        : " port " + System.getProperty("test.port")));
          }
        },
        Priority.APPLICATION,
        Duration.ofSeconds(5));
    server = ControlServer.open();
    server.serve(
        new CheckpointParticipation(
            registry,
            () -> new ArrayList<>(List.of("a warning")),
            new SelfCheckpointLauncher(null)));
  }

  @AfterEach
  void stopServer() {
    server.close();
    System.clearProperty("cryo.control.dir");
    System.clearProperty("test.port");
  }

  /**
   * Sends one line on a new connection; returns the reply and whether the process then closed the
   * connection.
   */
  private Map<String, Object> send(String line) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(server.socketPath()));
      LineChannel.writeLine(channel, line);
      String reply = LineChannel.readLine(channel, Duration.ofSeconds(20));
      assertThat(reply).as("a reply to " + line).isNotNull();
      assertThat(LineChannel.awaitEnd(channel, Duration.ofSeconds(5)))
          .as("the process closes the connection after replying")
          .isTrue();
      return JsonLine.parse(reply);
    }
  }

  private static String pending(String id) {
    return "{\"phase\":\"pending\",\"id\":\""
        + id
        + "\",\"timeout_ms\":5000,\"coordinator_pid\":"
        + ProcessHandle.current().pid()
        + "}";
  }

  @Test
  void pendingIsAnsweredReadyWithWarningsAndResumedWithDone() throws Exception {
    Map<String, Object> ready = send(pending("c1"));
    assertThat(ready)
        .containsEntry("phase", "ready")
        .containsEntry("id", "c1")
        .containsEntry("warnings", List.of("a warning"));
    assertThat(events).containsExactly("before");

    Map<String, Object> done = send("{\"phase\":\"resumed\",\"id\":\"c1\"}");

    assertThat(done).containsEntry("phase", "done").containsEntry("errors", List.of());
    assertThat(events).containsExactly("before", "after RESUMED");
    assertThat(send("{\"phase\":\"resumed\",\"id\":\"c1\"}"))
        .as("a repeated outcome gets the same answer")
        .containsEntry("phase", "done");
    assertThat(events).as("and tells nobody twice").containsExactly("before", "after RESUMED");
  }

  @Test
  void aSecondPendingWhileACheckpointIsUnderWayIsRefused() throws Exception {
    send(pending("c1"));

    Map<String, Object> second = send(pending("c2"));

    assertThat(second).containsEntry("phase", "refused").containsEntry("id", "c2");
    assertThat((String) second.get("reason")).contains("another checkpoint (c1)");
    send("{\"phase\":\"aborted\",\"id\":\"c1\",\"reason\":\"the dump failed\"}");
    assertThat(events).containsExactly("before", "after ABORTED");
    assertThat(send(pending("c3")))
        .as("once it has ended, the next one may start")
        .containsEntry("phase", "ready");
    send("{\"phase\":\"aborted\",\"id\":\"c3\"}");
  }

  @Test
  void whatIsNotTheProtocolGetsAnErrorAndChangesNothing() throws Exception {
    assertThat(send("hello")).containsEntry("phase", "error");
    assertThat(send("{\"phase\":\"pending\"}"))
        .containsEntry("phase", "error")
        .containsEntry("reason", "every message needs a string 'id'");
    assertThat(send("{\"phase\":\"dance\",\"id\":\"c1\"}")).containsEntry("phase", "error");
    assertThat(send("{\"phase\":\"restored\",\"id\":\"never-pending\"}"))
        .containsEntry("phase", "error");
    assertThat(events).as("no resource was told anything").isEmpty();
  }

  @Test
  void aRestoredCopySetsItsNewPropertiesBeforeResourcesHearAndMovesItsControlSocketWhenTold()
      throws Exception {
    send(pending("c1"));
    Path oldSocket = server.socketPath();
    Path newDir = dir.resolve("copy");

    Map<String, Object> done =
        send(
            "{\"phase\":\"restored\",\"id\":\"c1\",\"properties\":{\"test.port\":\"8082\"},"
                + "\"control_dir\":\""
                + newDir
                + "\"}");

    assertThat(done).containsEntry("phase", "done");
    assertThat(events)
        .as("the resource read the new property")
        .containsExactly("before", "after RESTORED port 8082");
    Path moved = newDir.resolve(ControlSocketName.of(ProcessHandle.current().pid()));
    assertThatCode(() -> awaitSocket(moved)).doesNotThrowAnyException();
    assertThat(server.socketPath()).isEqualTo(moved);
    assertThat(Files.getPosixFilePermissions(newDir))
        .as("the new directory is private")
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(send(pending("c2"))).as("the moved socket answers").containsEntry("phase", "ready");
    send("{\"phase\":\"aborted\",\"id\":\"c2\"}");
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      assertThatThrownBy(() -> channel.connect(UnixDomainSocketAddress.of(oldSocket)))
          .as("the old socket no longer listens")
          .isInstanceOf(IOException.class);
    }
  }

  private void awaitSocket(Path socket) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!server.socketPath().equals(socket)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the control socket did not move to " + socket);
      }
      Thread.sleep(10);
    }
  }
}

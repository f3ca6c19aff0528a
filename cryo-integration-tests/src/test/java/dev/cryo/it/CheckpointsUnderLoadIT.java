package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.images.StoredCheckpoint;
import dev.cryo.supervisor.Event;
import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import dev.cryo.testkit.RuntimeApps;
import dev.cryo.testprograms.load.HttpLoad;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A supervised program under a steady load is checkpointed every second without a client seeing an
 * error and without a checkpoint failing, whether it keeps its listener open through each
 * checkpoint or closes it when told (as Spring Boot does); and after a crash it comes back with the
 * state of its newest checkpoint. The load is bounded in time and stays on loopback.
 */
class CheckpointsUnderLoadIT extends SupervisedRunTest {
  private static final int CHECKPOINTS = 15;
  private static final int FRESH_CLIENTS = 4;
  private static final int KEEP_ALIVE_CLIENTS = 4;

  /** Far more than 15 checkpoints of either program take; only a hang reaches it. */
  private static final Duration LOAD_LIMIT = Duration.ofMinutes(3);

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void aServerThatKeepsItsListenerOpenAnswersEveryRequestWhileEveryCheckpointSucceeds()
      throws Exception {
    int port = Processes.freePort();
    underLoadThenKilled(
        "keeper",
        port,
        List.of(
            Processes.javaBinary(),
            "-Xmx64m",
            "-cp",
            RuntimeApps.EXAMPLES.toAbsolutePath().toString(),
            "dev.cryo.testprograms.CounterServer",
            Integer.toString(port)));
  }

  @Test
  void
      springBootThatClosesItsListenerAtEachCheckpointAnswersEveryRequestWhileEveryCheckpointSucceeds()
          throws Exception {
    int port = Processes.freePort();
    underLoadThenKilled(
        "spring",
        port,
        List.of(
            Processes.javaBinary(),
            "-Xmx256m",
            "-jar",
            RuntimeApps.SPRING.toAbsolutePath().toString(),
            "--server.port=" + port,
            "--server.address=127.0.0.1"));
  }

  @Test
  void aListenerWithConnectionsWaitingToBeAcceptedIsCheckpointedAndRestored() throws Exception {
    int port = Processes.freePort();
    Process server =
        processes.startDetached(
            tmp.resolve("stalling.log"),
            Processes.javaBinary(),
            "-XX:-UsePerfData",
            "-Xmx64m",
            "-cp",
            RuntimeApps.EXAMPLES.toAbsolutePath().toString(),
            "dev.cryo.testprograms.StallingServer",
            Integer.toString(port));
    Processes.awaitTrue(
        "the stalling server to print 'ready'",
        Duration.ofSeconds(30),
        () -> Processes.read(tmp.resolve("stalling.log")).contains("ready " + port));
    assertThat(get(port, "/stall?ms=4000"))
        .as("the server's answer before it stops accepting")
        .isEqualTo("0");
    // Three clients whose connections the kernel completes and queues: the server takes none for 4
    // s.
    List<Socket> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Socket s = new Socket();
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      s.setSoTimeout(30_000);
      send(s, "/count");
      waiting.add(s);
    }
    CryoCli.Result checkpoint =
        cryo.run("checkpoint", Long.toString(server.pid()), "--name", "queued", "--leave-running");
    checkpoint.assertOk();

    for (Socket s : waiting) {
      try (s) {
        assertThat(readBody(s))
            .as(
                "a client that waited in the accept queue during the checkpoint is answered "
                    + "by the running server once it accepts again")
            .matches("[1-3]");
      }
    }
    Processes.killAndWait(server.pid());
    CryoCli.Result restore = cryo.run("restore", "queued").assertOk();
    processes.track(Long.parseLong(restore.firstLine()));
    assertThat(get(port, "/count"))
        .as(
            "the restored server accepts new connections and counts as it did at the "
                + "checkpoint, without the connections that waited in its queue")
        .isEqualTo("1");
  }

  /**
   * Runs {@code command} under {@code cryo run --every 1s}, loads it until it has been checkpointed
   * {@link #CHECKPOINTS} times, then kills it and checks it comes back with the state of its newest
   * checkpoint.
   */
  private void underLoadThenKilled(String name, int port, List<String> command) throws Exception {
    run(name, List.of("--every", "1s", "--keep", "3"), command);
    CounterClient service = awaitServing(port, Duration.ofSeconds(120));
    // A checkpoint that began while the program was starting, before it listened, holds no port
    // (docs/run.md): the load is for a program that serves, so it starts after that checkpoint.
    awaitEvent(name, "checkpointed", count(name, "checkpointed"), Duration.ofSeconds(120));
    long checkpointedBefore = count(name, "checkpointed");
    long failedBefore = count(name, "checkpoint-failed");

    HttpLoad.Result load =
        HttpLoad.against(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), REQUEST_TIMEOUT)
            .run(
                FRESH_CLIENTS,
                "/increment",
                KEEP_ALIVE_CLIENTS,
                "/count",
                LOAD_LIMIT,
                () -> checkpointsSince(name, checkpointedBefore) >= CHECKPOINTS);

    assertThat(load.failures())
        .as(
            "requests that failed under checkpoints every second (%d answered, %d keep-alive "
                + "requests resent after the server closed their connection)",
            load.answered(), load.resends())
        .isEmpty();
    assertThat(count(name, "checkpoint-failed") - failedBefore)
        .as("checkpoints that failed under load:\n  %s", describeEvents(name))
        .isZero();
    assertThat(checkpointsSince(name, checkpointedBefore))
        .as("checkpoints taken while the load ran for %s", load.elapsed())
        .isGreaterThanOrEqualTo(CHECKPOINTS);

    long counted = service.count();
    // The checkpoint under way when the load stopped may have begun before its last request: wait
    // for one more.
    long checkpointed = count(name, "checkpointed");
    awaitEvent(name, "checkpointed", checkpointed + 1, Duration.ofSeconds(60));
    StoredCheckpoint newest = checkpointsOf(name).get(0);
    long restoredBefore = count(name, "restored");
    Processes.killAndWait(state(name).mainPid());

    Event back = awaitEvent(name, "restored", restoredBefore, Duration.ofSeconds(60));
    assertThat(back.checkpoint())
        .as("restored from the newest checkpoint (%s)", describeEvents(name))
        .isEqualTo(newest.id());
    CounterClient restored = awaitServing(port, Duration.ofSeconds(60));
    assertThat(restored.count())
        .as("after kill -9 the program serves the count it had at its newest checkpoint")
        .isEqualTo(counted);
  }

  private long checkpointsSince(String name, long before) {
    try {
      return count(name, "checkpointed") - before;
    } catch (Exception e) {
      return 0;
    }
  }

  private static String get(int port, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      s.setSoTimeout(30_000);
      send(s, path);
      return readBody(s);
    }
  }

  private static void send(Socket s, String path) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** The body of a response whose connection closes after it. */
  private static String readBody(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    assertThat(response).as("the response").startsWith("HTTP/1.1 200");
    return response.substring(response.indexOf("\r\n\r\n") + 4).trim();
  }
}

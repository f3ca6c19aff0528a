package dev.cryo.participants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.protocol.LineChannel;
import dev.cryo.protocol.Request;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cryo's side of the protocol against scripted participants, well-behaved and not: what cryo
 * accepts, and the one-line reason it gives for what it does not.
 */
class ParticipantTest {
  @TempDir Path tmp;

  private ServerSocketChannel server;
  private final List<String> received = new CopyOnWriteArrayList<>();

  /** What a scripted participant does with one connection. */
  private interface Script {
    void run(SocketChannel connection) throws IOException, InterruptedException;
  }

  private Participant participant(Script... connections) throws IOException {
    Path socket = tmp.resolve(received.size() + "-" + System.nanoTime() + ".cryo.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread fake =
        new Thread(
            () -> {
              for (Script script : connections) {
                try (SocketChannel connection = server.accept()) {
                  received.add(LineChannel.readLine(connection, Duration.ofSeconds(10)));
                  script.run(connection);
                } catch (IOException | InterruptedException e) {
                  return;
                }
              }
            });
    fake.setDaemon(true);
    fake.start();
    return new Participant(1234, socket);
  }

  @AfterEach
  void closeServer() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private static Script answer(String line) {
    return connection -> LineChannel.writeLine(connection, line);
  }

  @Test
  void aReadyProcessGivesItsWarningsAndHearsHowTheCheckpointEnded() throws Exception {
    Participant participant =
        participant(
            answer(
                "{\"phase\":\"ready\",\"id\":\"c1\",\"warnings\":[\"fd 7: TCP connection\"],\"runtime\":\"test\"}"),
            answer("{\"phase\":\"done\",\"id\":\"c1\",\"errors\":[\"pool did not reconnect\"]}"));

    Participant.Readiness readiness = participant.prepare("c1", Duration.ofSeconds(5));
    List<String> errors = participant.tell(new Request.Resumed("c1"));

    assertThat(readiness.warnings()).containsExactly("fd 7: TCP connection");
    assertThat(errors).containsExactly("pool did not reconnect");
    assertThat(received.get(0))
        .contains("\"phase\":\"pending\"")
        .contains("\"id\":\"c1\"")
        .contains("\"timeout_ms\":5000")
        .contains("\"coordinator_pid\":" + ProcessHandle.current().pid());
    assertThat(received.get(1)).isEqualTo("{\"phase\":\"resumed\",\"id\":\"c1\"}");
  }

  @Test
  void fieldsAParticipantAddsAreIgnoredEvenWhenTheyNestObjects() throws Exception {
    Participant participant =
        participant(
            answer(
                "{\"phase\":\"ready\",\"id\":\"c1\",\"warnings\":[],\"x-meta\":{\"lang\":\"python\"}}"));

    assertThat(participant.prepare("c1", Duration.ofSeconds(5)).warnings()).isEmpty();
  }

  @Test
  void aRefusalCarriesTheResourceAndTheReason() throws Exception {
    Participant participant =
        participant(
            answer(
                "{\"phase\":\"refused\",\"id\":\"c1\",\"resource\":\"pool\",\"reason\":\"3 transactions in flight\"}"));

    assertThatThrownBy(() -> participant.prepare("c1", Duration.ofSeconds(5)))
        .isInstanceOf(CheckpointRefusedException.class)
        .hasMessage("PID 1234 refused the checkpoint: 3 transactions in flight")
        .satisfies(e -> assertThat(((CheckpointRefusedException) e).resource()).isEqualTo("pool"));
  }

  @Test
  void aProcessThatKeepsItsConnectionOpenAfterReadyIsNotDumped() throws Exception {
    Participant participant =
        participant(
            connection -> {
              LineChannel.writeLine(
                  connection, "{\"phase\":\"ready\",\"id\":\"c1\",\"warnings\":[]}");
              Thread.sleep(10_000);
            });

    assertThatThrownBy(() -> participant.prepare("c1", Duration.ofSeconds(5)))
        .isInstanceOf(ParticipantException.class)
        .isNotInstanceOf(CheckpointRefusedException.class)
        .hasMessageContaining("kept its control connection open");
  }

  @Test
  void aSilentProcessIsGivenUpOnAfterItsDeadline() throws Exception {
    Participant participant = participant(connection -> Thread.sleep(10_000));

    assertThatThrownBy(() -> participant.prepare("c1", Duration.ofMillis(200)))
        .isInstanceOf(ParticipantException.class)
        .hasMessageContaining("did not send its answer to pending");
  }

  @Test
  void aProcessThatHangsUpWithoutAnsweringIsSaidToHaveClosedTheConnection() throws Exception {
    Participant participant = participant(connection -> connection.close());

    assertThatThrownBy(() -> participant.prepare("c1", Duration.ofSeconds(30)))
        .isInstanceOf(ParticipantException.class)
        .hasMessageContaining(
            "closed its control connection without sending its answer to pending");
  }

  @Test
  void nonsenseAndErrorsAreReportedAsTheProcessSentThem() throws Exception {
    Participant garbled = participant(answer("not json"));
    assertThatThrownBy(() -> garbled.prepare("c1", Duration.ofSeconds(5)))
        .hasMessageContaining("not a protocol message");
    server.close();

    Participant rejecting =
        participant(
            answer(
                "{\"phase\":\"error\",\"reason\":\"user nobody may not control this process\"}"));
    assertThatThrownBy(() -> rejecting.prepare("c1", Duration.ofSeconds(5)))
        .hasMessageContaining("rejected the request: user nobody may not control this process");
  }

  @Test
  void aControlSocketThatIsGoneMakesTheParticipantUnreachableRatherThanRefusing() {
    Participant gone = new Participant(1234, tmp.resolve("gone.cryo.sock"));

    assertThatThrownBy(() -> gone.prepare("c1", Duration.ofSeconds(1)))
        .isInstanceOf(UnreachableParticipantException.class)
        .hasMessageContaining("could not reach the control socket of PID 1234");
  }
}

package dev.cryo.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The protocol's messages as docs/protocol.md shows them on the wire, written and read by each end.
 */
class MessagesTest {

  @Test
  void requestsAreWrittenAsTheProtocolShowsThem() {
    assertThat(new Request.Pending("c1", Duration.ofSeconds(30), 4242).line())
        .isEqualTo(
            "{\"phase\":\"pending\",\"id\":\"c1\",\"timeout_ms\":30000,\"coordinator_pid\":4242}");
    assertThat(new Request.Resumed("c1").line()).isEqualTo("{\"phase\":\"resumed\",\"id\":\"c1\"}");
    assertThat(new Request.Aborted("c1", "the dump failed").line())
        .isEqualTo("{\"phase\":\"aborted\",\"id\":\"c1\",\"reason\":\"the dump failed\"}");
    assertThat(new Request.Aborted("c1", null).line())
        .isEqualTo("{\"phase\":\"aborted\",\"id\":\"c1\"}");
    assertThat(new Request.Restored("c1", Map.of(), null).line())
        .isEqualTo("{\"phase\":\"restored\",\"id\":\"c1\"}");
    assertThat(new Request.Restored("c1", Map.of("server.port", "8082"), "/run/copy").line())
        .isEqualTo(
            "{\"phase\":\"restored\",\"id\":\"c1\",\"properties\":{\"server.port\":\"8082\"},\"control_dir\":\"/run/copy\"}");
  }

  @Test
  void everyRequestReadsBackAsWritten() {
    List<Request> requests =
        List.of(
            new Request.Pending("c1", Duration.ofSeconds(5), 7),
            new Request.Resumed("c1"),
            new Request.Aborted("c1", "why"),
            new Request.Aborted("c1", null),
            new Request.Restored("c1", Map.of("a", "1"), "/d"),
            new Request.Restored("c1", Map.of(), null));

    for (Request request : requests) {
      assertThat(Request.decode(request.line())).isEqualTo(request);
    }
  }

  @Test
  void aPendingWithoutTimeoutOrPidGetsTheDefaults() {
    assertThat(Request.decode("{\"phase\":\"pending\",\"id\":\"c1\"}"))
        .isEqualTo(new Request.Pending("c1", Request.DEFAULT_TIMEOUT, -1));
    assertThat(
            Request.decode(
                "{\"phase\":\"pending\",\"id\":\"c1\",\"timeout_ms\":0,\"coordinator_pid\":\"x\"}"))
        .isEqualTo(new Request.Pending("c1", Request.DEFAULT_TIMEOUT, -1));
  }

  @Test
  void aRestoredTakesPropertiesOfAnyValueAndIgnoresABlankDirectory() {
    Request restored =
        Request.decode(
            "{\"phase\":\"restored\",\"id\":\"c1\",\"properties\":{\"port\":8082,\"gone\":null},"
                + "\"control_dir\":\" \",\"x-extra\":[1]}");

    assertThat(restored).isEqualTo(new Request.Restored("c1", Map.of("port", "8082"), null));
  }

  @Test
  void whatIsNotARequestIsRejectedWithTheReasonTheProcessAnswers() {
    assertThatThrownBy(() -> Request.decode("hello"))
        .hasMessageStartingWith("not a protocol message");
    assertThatThrownBy(() -> Request.decode("{\"phase\":\"pending\"}"))
        .hasMessage("every message needs a string 'id'");
    assertThatThrownBy(() -> Request.decode("{\"phase\":\"pending\",\"id\":\" \"}"))
        .hasMessage("every message needs a string 'id'");
    assertThatThrownBy(() -> Request.decode("{\"phase\":\"dance\",\"id\":\"c1\"}"))
        .hasMessage("unknown phase dance; expected pending, resumed, restored or aborted");
    assertThatThrownBy(() -> Request.decode("{\"phase\":\"ready\",\"id\":\"c1\"}"))
        .as("a reply is not a request")
        .hasMessageStartingWith("unknown phase ready");
  }

  @Test
  void repliesAreWrittenAsTheProtocolShowsThem() {
    assertThat(new Reply.Ready("c1", List.of(), "cryo-runtime 0.1.0 (java 17.0.15)").line())
        .isEqualTo(
            "{\"phase\":\"ready\",\"id\":\"c1\",\"warnings\":[],\"runtime\":\"cryo-runtime 0.1.0 (java 17.0.15)\"}");
    assertThat(new Reply.Refused("c1", "first", "busy").line())
        .isEqualTo(
            "{\"phase\":\"refused\",\"id\":\"c1\",\"resource\":\"first\",\"reason\":\"busy\"}");
    assertThat(new Reply.Refused("c1", null, "busy").line())
        .isEqualTo("{\"phase\":\"refused\",\"id\":\"c1\",\"reason\":\"busy\"}");
    assertThat(new Reply.Done("c1", List.of("x failed")).line())
        .isEqualTo("{\"phase\":\"done\",\"id\":\"c1\",\"errors\":[\"x failed\"]}");
    assertThat(new Reply.Error("no").line()).isEqualTo("{\"phase\":\"error\",\"reason\":\"no\"}");
  }

  @Test
  void everyReplyReadsBackAsWritten() {
    List<Reply> replies =
        List.of(
            new Reply.Ready("c1", List.of("w"), "rt"),
            new Reply.Refused("c1", "r", "why"),
            new Reply.Refused("c1", null, "why"),
            new Reply.Done("c1", List.of()),
            new Reply.Error("bad"));

    for (Reply reply : replies) {
      assertThat(Reply.decode(reply.line())).isEqualTo(reply);
      assertThat(reply.phaseName()).isEqualTo(JsonLine.parse(reply.line()).get("phase"));
    }
  }

  @Test
  void aReplyOfAnotherPhaseIsReadForTheReaderToReport() {
    assertThat(Reply.decode("{\"phase\":\"pending\",\"id\":\"c1\"}"))
        .isEqualTo(new Reply.Other("pending"));
    assertThat(Reply.decode("{\"id\":\"c1\"}")).isEqualTo(new Reply.Other("null"));
    assertThat(Reply.decode("{\"phase\":\"ready\",\"id\":\"c1\",\"warnings\":[\"a\",2],\"x\":{}}"))
        .as("fields of other types and fields others add")
        .isEqualTo(new Reply.Ready("c1", List.of("a", "2"), null));
    assertThatThrownBy(() -> Reply.decode("{")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void phasesAreNamedOnTheWireAsDocumented() {
    assertThat(List.of(Phase.values()).stream().map(Phase::wireName))
        .containsExactly(
            "pending", "ready", "refused", "resumed", "restored", "aborted", "done", "error");
    assertThat(Phase.ofWireName("restored")).contains(Phase.RESTORED);
    assertThat(Phase.ofWireName("Restored")).isEmpty();
    assertThat(Phase.ofWireName(null)).isEmpty();
  }
}

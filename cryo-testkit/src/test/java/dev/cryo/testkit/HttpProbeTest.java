package dev.cryo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HttpProbeTest {
  @Test
  void aRequestAnswersItsStatusAndTrimmedBody() throws Exception {
    try (CounterService service = new CounterService()) {
      assertThat(HttpProbe.get(service.port(), "/increment"))
          .isEqualTo(new HttpProbe.Response(200, "1"));
      HttpProbe.Response missing = HttpProbe.get(service.port(), "/missing");
      assertThat(missing.ok()).isFalse();
      assertThat(missing).isEqualTo(new HttpProbe.Response(404, "no such thing"));
    }
  }

  @Test
  void nothingListeningIsAnError() throws Exception {
    int port = Processes.freePort();
    assertThatThrownBy(() -> HttpProbe.get(port, "/count")).isInstanceOf(IOException.class);
  }

  @Test
  void theFirstOkResponseEndsTheWait() throws Exception {
    try (CounterService service = new CounterService()) {
      assertThat(
              HttpProbe.firstOk(service.port(), "/count", Duration.ofSeconds(10), () -> null)
                  .body())
          .isEqualTo("0");
    }
  }

  @Test
  void aFailureReportedWhileWaitingEndsIt() throws Exception {
    int port = Processes.freePort();
    AtomicInteger asked = new AtomicInteger();

    assertThatThrownBy(
            () ->
                HttpProbe.firstOk(
                    port,
                    "/count",
                    Duration.ofSeconds(10),
                    () -> asked.incrementAndGet() < 3 ? null : "the process died"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the process died");
    assertThat(asked).hasValue(3);
  }

  @Test
  void withoutAnAnswerTheWaitEndsAtItsTimeout() throws Exception {
    try (CounterService service = new CounterService()) {
      assertThatThrownBy(
              () -> HttpProbe.firstOk(service.port(), "/missing", Duration.ZERO, () -> null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(
              "no HTTP 200 from 127.0.0.1:" + service.port() + "/missing within 0 s")
          .hasMessageContaining("last attempt: HTTP 404 no such thing");
    }
  }
}

package dev.cryo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadClientsTest {
  @Test
  void httpLoadsSummaryAndFailureLinesAreRead() {
    String output =
        "answered 5076 (253/s), failed 2, resent 33; p50 8.5 ms, p99 161.6 ms, longest 3116.5 ms\n"
            + "812 ms into the load, GET /increment (fresh connection): java.net.ConnectException: Connection refused\n"
            + "9120 ms into the load, GET /count (keep-alive): java.net.SocketTimeoutException: Read timed out\n";

    LoadClients.Outcome o = LoadClients.parse(output);

    assertThat(o)
        .isEqualTo(
            new LoadClients.Outcome(
                5076,
                253,
                2,
                33,
                8.5,
                161.6,
                3116.5,
                List.of(
                    "812 ms into the load, GET /increment (fresh connection): java.net.ConnectException: Connection refused",
                    "9120 ms into the load, GET /count (keep-alive): java.net.SocketTimeoutException: Read timed out")));
  }

  @Test
  void anOutputWithoutItsSummaryIsAnError() {
    assertThatThrownBy(
            () -> LoadClients.parse("Exception in thread \"main\" java.lang.OutOfMemoryError\n"))
        .hasMessageContaining("no summary line")
        .hasMessageContaining("OutOfMemoryError");
  }
}

package dev.cryo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CounterClientTest {
  @Test
  void eachRequestOnItsOwnConnectionCountsAndTells() throws Exception {
    try (CounterService service = new CounterService()) {
      CounterClient client = CounterClient.at(service.port());

      assertThat(client.increment()).isEqualTo(1);
      assertThat(client.increment()).isEqualTo(2);
      assertThat(client.count()).isEqualTo(2);
      assertThat(client.text("/count")).isEqualTo("2\n");
    }
  }

  @Test
  void aKeptAliveConnectionCarriesSeveralRequests() throws Exception {
    try (CounterService service = new CounterService();
        CounterClient.Connection connection = CounterClient.at(service.port()).connect()) {
      int localPort = connection.localPort();

      assertThat(connection.get("/increment")).isEqualTo(1);
      assertThat(connection.get("/increment")).isEqualTo(2);
      assertThat(connection.get("/count")).isEqualTo(2);
      assertThat(connection.localPort()).as("the same TCP connection").isEqualTo(localPort);
    }
  }

  @Test
  void anAnswerOtherThan200IsAnError() throws Exception {
    try (CounterService service = new CounterService()) {
      assertThatThrownBy(() -> CounterClient.at(service.port()).text("/missing"))
          .isInstanceOf(IOException.class)
          .hasMessage("GET /missing answered: HTTP/1.1 404 Not Found");
    }
  }
}

package dev.cryo.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeLogLineTest {
  @Test
  void anEventLineGivesItsNanosecondTimeProgramTypeAndMessage() {
    NodeLogLine line =
        NodeLogLine.parse(
                "cryo-b",
                "2026-05-04T10:11:12.123456789Z spring-1 placed: placed on cryo-b (its owner cryo-a lost its lease)")
            .orElseThrow();

    assertThat(line)
        .isEqualTo(
            new NodeLogLine(
                "cryo-b",
                Instant.parse("2026-05-04T10:11:12.123456789Z"),
                "spring-1",
                "placed",
                "placed on cryo-b (its owner cryo-a lost its lease)"));
  }

  @Test
  void otherLinesOfTheLogAreNoEvents() {
    assertThat(NodeLogLine.parse("cryo-a", "cryo node: joined as cryo-a with lease 42"))
        .as("a line without a time is not an event")
        .isEmpty();
    assertThat(NodeLogLine.parse("cryo-a", "yesterday spring-1 placed: on cryo-b"))
        .as("a line whose first word is no time is not an event")
        .isEmpty();
  }
}

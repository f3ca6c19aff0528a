package dev.cryo.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineTest {

  @Test
  void aMessageSurvivesWritingAndReading() {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("phase", "ready");
    message.put("id", "20261125-010941-0fdc17");
    message.put("timeout_ms", 30000L);
    message.put("ok", true);
    message.put("nothing", null);
    message.put("warnings", List.of("a \"quoted\" word", "tab\there\nnewline \\ backslash \u0001"));

    String line = JsonLine.write(message);

    assertThat(line).doesNotContain("\n");
    assertThat(JsonLine.parse(line)).isEqualTo(message);
  }

  @Test
  void whatOtherLanguagesWriteIsRead() {
    Map<String, Object> parsed =
        JsonLine.parse(
            " { \"phase\" : \"refused\", \"reason\": \"caf\\u00e9 busy\", \"n\": -1.5e2, \"l\": [] } ");

    assertThat(parsed)
        .containsEntry("phase", "refused")
        .containsEntry("reason", "café busy")
        .containsEntry("n", -150.0)
        .containsEntry("l", List.of());
  }

  @Test
  void fieldsOthersAddAreReadEvenWhenTheyNestObjects() {
    Map<String, Object> parsed =
        JsonLine.parse("{\"phase\":\"ready\",\"x-meta\":{\"lang\":\"python\",\"v\":[1,{}]}}");

    assertThat(parsed).containsEntry("phase", "ready").containsKey("x-meta");
  }

  @Test
  void malformedLinesAreRejectedWithWhereTheyGoWrong() {
    assertThatThrownBy(() -> JsonLine.parse("{\"phase\": }")).hasMessageContaining("column");
    assertThatThrownBy(() -> JsonLine.parse("{} trailing"))
        .hasMessageContaining("text after the object");
    assertThatThrownBy(() -> JsonLine.parse("")).isInstanceOf(IllegalArgumentException.class);
  }
}

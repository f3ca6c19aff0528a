package dev.cryo.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessStatTest {
  private static final String STAT =
      "4242 (my (odd) name) S 1 4240 4200 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 9 0 123456 999 ...";

  @Test
  void parsesStatEvenWhenTheNameHoldsSpacesAndParentheses() {
    ProcessStat p = ProcessStat.parse(STAT);
    assertThat(p.pid()).isEqualTo(4242);
    assertThat(p.name()).isEqualTo("my (odd) name");
    assertThat(p.state()).isEqualTo('S');
    assertThat(p.parent()).isEqualTo(1);
    assertThat(p.processGroup()).isEqualTo(4240);
    assertThat(p.session()).isEqualTo(4200);
    assertThat(p.startTime()).as("field 22, starttime").isEqualTo(123456);
  }

  @Test
  void readsAStatFileAndNothingFromWhatIsNotOne(@TempDir Path dir) throws Exception {
    Path stat = Files.writeString(dir.resolve("stat"), STAT + "\n");
    assertThat(ProcessStat.read(stat))
        .hasValueSatisfying(p -> assertThat(p.startTime()).isEqualTo(123456));
    assertThat(ProcessStat.read(dir.resolve("missing"))).isEmpty();
    assertThat(ProcessStat.read(Files.writeString(dir.resolve("short"), "1 (x) S 1"))).isEmpty();
    assertThatThrownBy(() -> ProcessStat.parse("garbage"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsThisJvmsStartTimeBothWays() {
    long self = ProcessHandle.current().pid();
    assertThat(ProcessStat.ownStartTime()).isPresent();
    assertThat(ProcessStat.startTimeOf(self)).isEqualTo(ProcessStat.ownStartTime());
    assertThat(ProcessStat.of(self)).hasValueSatisfying(p -> assertThat(p.pid()).isEqualTo(self));
    assertThat(ProcessStat.startTimeOf(Integer.MAX_VALUE)).as("no process has this PID").isEmpty();
  }
}

package dev.cryo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.supervisor.RestartPolicy;
import dev.cryo.supervisor.SettingNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SupervisionOptionsTest {
  @Test
  void eventsThatGiveASettingAsTheReasonNameItAsTheOptionThatSetsIt() {
    SettingNames names = SupervisionOptions.AS_OPTIONS;

    assertThat(names.restart(RestartPolicy.ON_CRASH)).isEqualTo("--restart on-crash");
    assertThat(names.maxRestarts(3)).isEqualTo("--max-restarts 3");
    assertThat(names.coldStart()).isEqualTo("--cold-start");
    assertThat(names.keep(2)).isEqualTo("--keep 2");
  }

  @Test
  void theProgramIsNotGivenThePassphraseOfARepositoryKey() {
    assertThat(
            SupervisionOptions.programEnvironment(
                Map.of("PATH", "/bin", Remotes.PASSPHRASE_VARIABLE, "secret")))
        .as("the program's environment, kept in the run's files")
        .containsExactly(Map.entry("PATH", "/bin"));
  }
}

package dev.cryo.criu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against the real CRIU on this machine (needs root, as CRIU does). */
class CriuClientIT {
  private static CriuClient criu;
  private final List<Long> started = new ArrayList<>();

  @TempDir Path dir;

  @BeforeAll
  static void findCriu() throws Exception {
    criu = CriuClient.locate(System.getenv("PATH"));
  }

  @AfterEach
  void killLeftovers() {
    started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  void reportsItsVersionOverRpcTheSameAsOnTheCommandLine() throws Exception {
    assertThat(criu.version().version()).isEqualTo(criu.installedVersion());
    assertThat(criu.installedVersion().isAtLeast(CriuVersion.MINIMUM)).isTrue();
  }

  @Test
  void passesItsOwnCheckAndReportsFeatures() throws Exception {
    criu.check();
    assertThat(criu.features()).isNotNull();
  }

  @Test
  void dumpsAndRestoresAProcessCallingEveryHookOnTheWay() throws Exception {
    Process sleeper = startDetachedSleeper();
    List<NotifyHook> hooks = new ArrayList<>();
    criu.dump(
        options().pid((int) sleeper.pid()).logFile("dump.log").build(),
        (hook, name, pid) -> hooks.add(hook));
    assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).as("the dumped process was killed").isTrue();
    assertThat(hooks).contains(NotifyHook.PRE_DUMP, NotifyHook.POST_DUMP);

    hooks.clear();
    int restored =
        criu.restore(
            options().logFile("restore.log").build(), (hook, name, pid) -> hooks.add(hook));
    started.add((long) restored);

    assertThat(restored).as("restored PID").isEqualTo((int) sleeper.pid());
    assertThat(ProcessHandle.of(restored).map(ProcessHandle::isAlive)).contains(true);
    assertThat(hooks)
        .contains(NotifyHook.PRE_RESTORE, NotifyHook.POST_RESTORE, NotifyHook.POST_RESUME);
  }

  @Test
  void aHookThatThrowsFailsTheDumpAndTheProcessKeepsRunning() throws Exception {
    Process sleeper = startDetachedSleeper();
    CriuOptions opts = options().pid((int) sleeper.pid()).logFile("dump.log").build();

    assertThatThrownBy(
            () ->
                criu.dump(
                    opts,
                    (hook, name, pid) -> {
                      if (hook == NotifyHook.POST_DUMP) {
                        throw new IllegalStateException("not now");
                      }
                    }))
        .isInstanceOf(CriuOperationException.class)
        .hasMessageContaining("post-dump hook failed: not now")
        .hasCauseInstanceOf(HookFailedException.class);

    assertThat(sleeper.isAlive()).as("the process survives a refused dump").isTrue();
  }

  @Test
  void aFailedDumpCarriesCriusErrorFromItsLog() throws Exception {
    CriuOptions opts = options().pid(999_999).logFile("dump.log").build();

    assertThatThrownBy(() -> criu.dump(opts, NotifyListener.NONE))
        .isInstanceOfSatisfying(
            CriuOperationException.class,
            e -> {
              assertThat(e.logExcerpt()).as("error lines of CRIU's log").isNotEmpty();
              assertThat(e.logFile()).contains(dir.resolve("dump.log"));
            });
  }

  private CriuOptions.Builder options() {
    return CriuOptions.builder().imagesDir(dir).workDir(dir);
  }

  private Process startDetachedSleeper() throws Exception {
    Process p =
        new ProcessBuilder("setsid", "sleep", "600")
            .redirectInput(new File("/dev/null"))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    started.add(p.pid());
    Thread.sleep(200);
    return p;
  }
}

package dev.cryo.checkpoint;

import static dev.cryo.checkpoint.FakeWatchedProcesses.OUR_CRIU;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StuckDumpWatchdogTest {
  private static final long SECOND = 1_000_000_000L;

  private final FakeWatchedProcesses table = new FakeWatchedProcesses();

  private StuckDumpWatchdog watchdogOver(Integer... tree) {
    return StuckDumpWatchdog.unstarted(List.of(tree), table);
  }

  /** A watchdog over the tree of PID 11 alone, which has seen our CRIU hold 11 dead at time 0. */
  private StuckDumpWatchdog watchdogThatSawOurCriuHoldProcess11() {
    StuckDumpWatchdog watchdog = watchdogOver(11);
    table.heldDeadByOurCriu(11);
    watchdog.check(0);
    return watchdog;
  }

  @Test
  void criuHoldingADeadProcessPastTheGraceIsKilledAndTheProcessNamed() {
    StuckDumpWatchdog watchdog = watchdogOver(10, 11);
    table.heldDeadByOurCriu(11);

    assertThat(watchdog.check(0))
        .as("the first sight of the dead process starts the grace")
        .isFalse();
    assertThat(watchdog.check(9 * SECOND)).as("still within the grace").isFalse();
    assertThat(watchdog.check(10 * SECOND)).as("the grace is over").isTrue();

    assertThat(table.killed).as("the CRIU holding it is killed").containsExactly(OUR_CRIU);
    assertThat(watchdog.abandonedFor()).as("and the dead process named").hasValue(11);
  }

  @Test
  void aDeadProcessThatCriuLetsGoWithinTheGraceKillsNothing() {
    StuckDumpWatchdog watchdog = watchdogOver(10, 11);
    table.heldDeadByOurCriu(11);
    watchdog.check(0);
    table.letGo(11); // CRIU noticed, reaped or let go of it

    assertThat(watchdog.check(20 * SECOND)).isFalse();
    assertThat(table.killed).isEmpty();
    assertThat(watchdog.abandonedFor()).isEmpty();
  }

  @Test
  void aZombieNotTracedByOurCriuIsNoneOfItsBusiness() {
    StuckDumpWatchdog watchdog = watchdogOver(10, 11, 12);
    table.zombiesTracedBy.put(11, 0); // ended before CRIU seized the tree: its parent will reap it
    table.zombiesTracedBy.put(12, 4242); // traced by some other program

    watchdog.check(0);
    assertThat(watchdog.check(60 * SECOND)).isFalse();
    assertThat(table.killed).isEmpty();
  }

  @Test
  void onceEveryProcessIsDumpedItKillsNothing() {
    StuckDumpWatchdog watchdog = watchdogThatSawOurCriuHoldProcess11();
    watchdog.standDown(); // the post-dump hook: CRIU may now end the tree on purpose

    watchdog.check(60 * SECOND);
    assertThat(table.killed).as("a CRIU past its post-dump hook is never killed").isEmpty();
  }

  @Test
  void theGraceStartsAfreshForAProcessThatWasLetGoInBetween() {
    StuckDumpWatchdog watchdog = watchdogThatSawOurCriuHoldProcess11();
    table.letGo(11);
    watchdog.check(5 * SECOND);
    table.heldDeadByOurCriu(11);

    assertThat(watchdog.check(12 * SECOND))
        .as("seen held again at 12 s: its grace starts there")
        .isFalse();
    assertThat(watchdog.check(22 * SECOND)).isTrue();
  }
}

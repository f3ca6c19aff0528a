package dev.cryo.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StuckDumpWatchdogTest {
  private static final int CRIU = 900;
  private static final long SECOND = 1_000_000_000L;

  /** A fake process table: which processes are zombies, who traces them, which CRIU is ours. */
  private static final class Table implements StuckDumpWatchdog.ProcessTable {
    final Map<Integer, Integer> zombiesTracedBy = new HashMap<>();
    final List<Integer> ourCriu = new ArrayList<>(List.of(CRIU));
    final List<Integer> killed = new ArrayList<>();

    @Override
    public boolean isZombie(int pid) {
      return zombiesTracedBy.containsKey(pid);
    }

    @Override
    public int tracerOf(int pid) {
      return zombiesTracedBy.getOrDefault(pid, 0);
    }

    @Override
    public boolean isOurCriu(int pid) {
      return ourCriu.contains(pid);
    }

    @Override
    public void kill(int pid) {
      killed.add(pid);
    }
  }

  @Test
  void criuHoldingADeadProcessPastTheGraceIsKilledAndTheProcessNamed() {
    Table table = new Table();
    StuckDumpWatchdog watchdog = StuckDumpWatchdog.unstarted(List.of(10, 11), table);
    table.zombiesTracedBy.put(11, CRIU);

    assertThat(watchdog.check(0))
        .as("the first sight of the dead process starts the grace")
        .isFalse();
    assertThat(watchdog.check(9 * SECOND)).as("still within the grace").isFalse();
    assertThat(watchdog.check(10 * SECOND)).as("the grace is over").isTrue();

    assertThat(table.killed).as("the CRIU holding it is killed").containsExactly(CRIU);
    assertThat(watchdog.abandonedFor()).as("and the dead process named").hasValue(11);
  }

  @Test
  void aDeadProcessThatCriuLetsGoWithinTheGraceKillsNothing() {
    Table table = new Table();
    StuckDumpWatchdog watchdog = StuckDumpWatchdog.unstarted(List.of(10, 11), table);
    table.zombiesTracedBy.put(11, CRIU);
    watchdog.check(0);
    table.zombiesTracedBy.remove(11); // CRIU noticed, reaped or let go of it

    assertThat(watchdog.check(20 * SECOND)).isFalse();
    assertThat(table.killed).isEmpty();
    assertThat(watchdog.abandonedFor()).isEmpty();
  }

  @Test
  void aZombieNotTracedByOurCriuIsNoneOfItsBusiness() {
    Table table = new Table();
    StuckDumpWatchdog watchdog = StuckDumpWatchdog.unstarted(List.of(10, 11, 12), table);
    table.zombiesTracedBy.put(11, 0); // ended before CRIU seized the tree: its parent will reap it
    table.zombiesTracedBy.put(12, 4242); // traced by some other program

    watchdog.check(0);
    assertThat(watchdog.check(60 * SECOND)).isFalse();
    assertThat(table.killed).isEmpty();
  }

  @Test
  void onceEveryProcessIsDumpedItKillsNothing() {
    Table table = new Table();
    StuckDumpWatchdog watchdog = StuckDumpWatchdog.unstarted(List.of(11), table);
    table.zombiesTracedBy.put(11, CRIU);
    watchdog.check(0);
    watchdog.standDown(); // the post-dump hook: CRIU may now end the tree on purpose

    watchdog.check(60 * SECOND);
    assertThat(table.killed).as("a CRIU past its post-dump hook is never killed").isEmpty();
  }

  @Test
  void theGraceStartsAfreshForAProcessThatWasLetGoInBetween() {
    Table table = new Table();
    StuckDumpWatchdog watchdog = StuckDumpWatchdog.unstarted(List.of(11), table);
    table.zombiesTracedBy.put(11, CRIU);
    watchdog.check(0);
    table.zombiesTracedBy.remove(11);
    watchdog.check(5 * SECOND);
    table.zombiesTracedBy.put(11, CRIU);

    assertThat(watchdog.check(12 * SECOND))
        .as("seen held again at 12 s: its grace starts there")
        .isFalse();
    assertThat(watchdog.check(22 * SECOND)).isTrue();
  }
}

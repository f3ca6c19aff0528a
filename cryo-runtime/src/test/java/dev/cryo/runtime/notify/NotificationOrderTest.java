package dev.cryo.runtime.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.runtime.CheckpointResource;
import dev.cryo.runtime.Priority;
import dev.cryo.runtime.Resumption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class NotificationOrderTest {
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final ResourceRegistry registry = new ResourceRegistry();

  /** What a resource does before the checkpoint. */
  private interface Preparing {
    void beforeCheckpoint() throws Exception;
  }

  /** A resource named {@code name} that prepares as {@code preparing} says. */
  private static CheckpointResource named(
      String name, Preparing preparing, Consumer<Resumption> afterRestore) {
    return new CheckpointResource() {
      @Override
      public void beforeCheckpoint() throws Exception {
        preparing.beforeCheckpoint();
      }

      @Override
      public void afterRestore(Resumption resumption) {
        afterRestore.accept(resumption);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /** Records that {@code name} heard afterRestore, and with what. */
  private Consumer<Resumption> recordingAfterRestore(String name) {
    return resumption -> events.add("after " + name + " " + resumption);
  }

  /**
   * A resource that records what it hears; before the checkpoint it blocks for {@code blockMillis}
   * (recording an interrupt) and then throws {@code refusal}, if any.
   */
  private CheckpointResource recording(String name, Exception refusal, long blockMillis) {
    return named(
        name,
        () -> {
          events.add("before " + name);
          if (blockMillis > 0) {
            try {
              Thread.sleep(blockMillis);
            } catch (InterruptedException e) {
              events.add("interrupted " + name);
              Thread.sleep(blockMillis / 10);
            }
          }
          if (refusal != null) {
            throw refusal;
          }
        },
        recordingAfterRestore(name));
  }

  private void register(String name, Priority priority) {
    registry.register(recording(name, null, 0), priority, Duration.ofSeconds(5));
  }

  @Test
  void applicationResourcesAreNotifiedInReverseBeforeTheCheckpointAndInOrderAfterIt() {
    register("jvm-a", Priority.JVM);
    register("app-1", Priority.APPLICATION);
    register("jvm-b", Priority.JVM);
    register("app-2", Priority.APPLICATION);

    Preparation preparation = new Preparation(registry.checkpointOrder());
    assertThat(preparation.run()).as("no resource refused").isEmpty();
    Restoration.notify(preparation.preparedResources(), Resumption.RESTORED);

    assertThat(events)
        .containsExactly(
            "before app-2",
            "before app-1",
            "before jvm-b",
            "before jvm-a",
            "after jvm-a RESTORED",
            "after jvm-b RESTORED",
            "after app-1 RESTORED",
            "after app-2 RESTORED");
  }

  @Test
  void aThrowingResourceRefusesAndOnlyTheResourcesAlreadyPreparedAreToldAborted() {
    register("first", Priority.APPLICATION);
    registry.register(
        recording("refuser", new IllegalStateException("busy"), 0),
        Priority.APPLICATION,
        Duration.ofSeconds(5));
    register("last", Priority.APPLICATION);

    Refusal refusal = new Preparation(registry.checkpointOrder()).run().orElseThrow();

    assertThat(refusal.resource()).isEqualTo("refuser");
    assertThat(refusal.reason()).contains("refuser").contains("busy");
    assertThat(events).containsExactly("before last", "before refuser", "after last ABORTED");
  }

  @Test
  void aResourceThatOverrunsItsTimeoutIsNamedAndTheCheckpointRefusedWithoutWaitingForIt()
      throws Exception {
    registry.register(
        recording("slow", null, 30_000), Priority.APPLICATION, Duration.ofMillis(200));
    register("quick", Priority.APPLICATION);
    Preparation preparation = new Preparation(registry.checkpointOrder());
    Thread notifier = new Thread(preparation::run);
    notifier.start();

    Optional<Refusal> given =
        preparation.awaitReady(System.nanoTime() + Duration.ofSeconds(20).toNanos());

    assertThat(given).as("the watcher gives up on the slow resource").isPresent();
    Refusal refusal = given.get();
    assertThat(refusal.resource()).isEqualTo("slow");
    assertThat(refusal.reason()).contains("slow").contains("200 ms");
    notifier.join(10_000);
    assertThat(events)
        .as("the slow resource was interrupted, then everything prepared was told ABORTED")
        .containsExactly(
            "before quick",
            "before slow",
            "interrupted slow",
            "after slow ABORTED",
            "after quick ABORTED");
  }

  @Test
  void aResourceGivenUpOnIsToldAbortedEvenWhenItEndsByThrowingOnTheInterrupt() throws Exception {
    registry.register(
        named(
            "stuck",
            () -> {
              events.add("before stuck");
              Thread.sleep(30_000); // throws InterruptedException when given up on
            },
            recordingAfterRestore("stuck")),
        Priority.APPLICATION,
        Duration.ofMillis(200));
    Preparation preparation = new Preparation(registry.checkpointOrder());
    Thread notifier = new Thread(preparation::run);
    notifier.start();

    Refusal refusal =
        preparation.awaitReady(System.nanoTime() + Duration.ofSeconds(20).toNanos()).orElseThrow();
    notifier.join(10_000);

    assertThat(refusal.resource()).isEqualTo("stuck");
    assertThat(events).containsExactly("before stuck", "after stuck ABORTED");
  }

  @Test
  void anErrorOfTheVmInAResourceEndsThePreparationAndRollsBackWhatWasPrepared() throws Exception {
    registry.register(
        named(
            "overflowing",
            () -> {
              throw new StackOverflowError("deep");
            },
            recordingAfterRestore("overflowing")),
        Priority.APPLICATION,
        Duration.ofSeconds(30));
    register("prepared", Priority.APPLICATION);
    Preparation preparation = new Preparation(registry.checkpointOrder());
    Thread notifier =
        new Thread(
            () -> {
              try {
                preparation.run();
              } catch (StackOverflowError expected) {
                events.add("error propagated");
              }
            });
    notifier.start();

    Optional<Refusal> refusal =
        preparation.awaitReady(System.nanoTime() + Duration.ofSeconds(20).toNanos());
    notifier.join(10_000);

    assertThat(refusal)
        .as("the watcher is not left waiting for the resource's 30 s timeout")
        .isPresent();
    assertThat(refusal.get().resource()).isEqualTo("overflowing");
    assertThat(events)
        .containsExactly("before prepared", "after prepared ABORTED", "error propagated");
  }

  @Test
  void everyResourceHearsAfterRestoreEvenWhenAnEarlierOneFails() {
    registry.register(
        named(
            "failing",
            () -> {},
            resumption -> {
              throw new IllegalStateException("cannot reconnect");
            }),
        Priority.APPLICATION,
        Duration.ofSeconds(1));
    register("other", Priority.APPLICATION);
    Preparation preparation = new Preparation(registry.checkpointOrder());
    preparation.run();

    List<Restoration.Failure> failures =
        Restoration.notify(preparation.preparedResources(), Resumption.RESUMED);

    assertThat(failures).extracting(Restoration.Failure::resource).containsExactly("failing");
    assertThat(events).contains("after other RESUMED");
  }
}

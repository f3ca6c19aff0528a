package dev.cryo.runtime.notify;

import dev.cryo.runtime.CheckpointResource;
import dev.cryo.runtime.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The resources registered in this process, and the order in which a checkpoint notifies them:
 * application before JVM, and within a priority the most recently registered first. Resources are
 * held strongly, so a resource registered as a lambda is not lost to the garbage collector.
 */
public final class ResourceRegistry {
  private final List<Registration> registrations = new ArrayList<>();
  private long nextSequence;

  public synchronized Registration register(
      CheckpointResource resource, Priority priority, Duration timeout) {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(priority, "priority");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("a resource's timeout must be positive, got " + timeout);
    }
    Registration registration = new Registration(resource, priority, timeout, nextSequence++);
    registrations.add(registration);
    return registration;
  }

  /** Every registration, in the order {@code beforeCheckpoint} is called. */
  public synchronized List<Registration> checkpointOrder() {
    List<Registration> order = new ArrayList<>(registrations);
    order.sort(
        Comparator.comparing(Registration::priority)
            .thenComparing(Comparator.comparingLong(Registration::sequence).reversed()));
    return order;
  }

  public synchronized int size() {
    return registrations.size();
  }
}

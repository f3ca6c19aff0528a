package dev.cryo.runtime.notify;

import dev.cryo.runtime.CheckpointResource;
import dev.cryo.runtime.Priority;
import java.time.Duration;

/** One registered resource, with what decides when it is notified and how long it may take. */
public record Registration(
    CheckpointResource resource, Priority priority, Duration timeout, long sequence) {

  /** The name reports use for the resource: its own description, or its class when it has none. */
  public String name() {
    return ResourceNames.describe(resource);
  }
}

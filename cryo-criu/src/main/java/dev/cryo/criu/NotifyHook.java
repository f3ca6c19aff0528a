package dev.cryo.criu;

import java.util.Arrays;
import java.util.Optional;

/**
 * The points at which CRIU pauses an operation and asks the client to go on ("notify scripts").
 * They are where a caller runs its own steps between CRIU's stages.
 */
public enum NotifyHook {
  PRE_DUMP("pre-dump"),
  POST_DUMP("post-dump"),
  PRE_RESTORE("pre-restore"),
  POST_RESTORE("post-restore"),
  NETWORK_LOCK("network-lock"),
  NETWORK_UNLOCK("network-unlock"),
  SETUP_NAMESPACES("setup-namespaces"),
  POST_SETUP_NAMESPACES("post-setup-namespaces"),
  PRE_RESUME("pre-resume"),
  POST_RESUME("post-resume"),
  /** A hook name this client does not know yet (CRIU may add some). */
  OTHER("other");

  private final String criuName;

  NotifyHook(String criuName) {
    this.criuName = criuName;
  }

  /** The name CRIU uses on the wire and in its logs. */
  public String criuName() {
    return criuName;
  }

  static NotifyHook fromCriuName(String name) {
    Optional<NotifyHook> hook =
        Arrays.stream(values()).filter(h -> h.criuName.equals(name)).findFirst();
    return hook.orElse(OTHER);
  }
}

package dev.cryo.criu;

/**
 * How CRIU keeps peers of TCP connections from seeing a reset while a process is frozen or gone.
 * {@link #NFTABLES} is the default in Cryo: it needs no {@code iptables} binary.
 */
public enum NetworkLock {
  IPTABLES,
  NFTABLES,
  /** No locking: only for callers that isolate the network themselves. */
  SKIP
}

package dev.cryo.protocol;

import java.nio.file.attribute.UserPrincipal;

/**
 * Who may be on the other end of a control connection: the process's own user or root. Both ends of
 * the protocol apply it, the process to whoever connects and cryo to whoever listens.
 */
public final class ControlPeers {
  private ControlPeers() {}

  /** Whether {@code peer} (from {@code SO_PEERCRED}) is {@code owner} or root. */
  public static boolean allowed(UserPrincipal peer, UserPrincipal owner) {
    // Root is recognised by name; without a passwd entry the JDK names a user by its uid.
    return peer.equals(owner) || "root".equals(peer.getName()) || "0".equals(peer.getName());
  }
}

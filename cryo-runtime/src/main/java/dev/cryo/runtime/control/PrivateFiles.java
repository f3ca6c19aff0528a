package dev.cryo.runtime.control;

import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Permissions for what the runtime creates: its directory 0700, its files 0600. */
final class PrivateFiles {
  private PrivateFiles() {
  }

  static FileAttribute<Set<PosixFilePermission>> ownerOnlyFile() {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  }

  static FileAttribute<Set<PosixFilePermission>> ownerOnlyDirectory() {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  }
}

package dev.cryo.recoverable;

import java.io.IOException;

/**
 * A file that cannot be opened as a recoverable memory region: not one at all, written by an
 * incompatible version, or truncated. The file is left untouched.
 */
public class RecoverableMemoryFormatException extends IOException {
  public RecoverableMemoryFormatException(String message) {
    super(message);
  }
}

package dev.cryo.store;

import java.io.IOException;

/**
 * A file that cannot be opened as a store: not a store at all, written by an incompatible
 * version, or truncated. The file is left untouched.
 */
public class StoreFormatException extends IOException {
  public StoreFormatException(String message) {
    super(message);
  }
}

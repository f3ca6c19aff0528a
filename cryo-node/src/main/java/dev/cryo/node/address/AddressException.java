package dev.cryo.node.address;

import java.io.IOException;

/** A service address could not be claimed, announced or released; the message says what failed. */
public class AddressException extends IOException {
  public AddressException(String message) {
    super(message);
  }

  public AddressException(String message, Throwable cause) {
    super(message, cause);
  }
}

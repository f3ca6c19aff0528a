package dev.cryo.node.address;

/**
 * Another machine answers for the address: claiming it too would give the network two owners, and
 * clients would reach either at random.
 */
public class AddressInUseException extends AddressException {
  public AddressInUseException(String message) {
    super(message);
  }
}

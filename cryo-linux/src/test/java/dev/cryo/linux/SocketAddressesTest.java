package dev.cryo.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The kernel's /proc/net/tcp and tcp6 addresses (as printed on a little-endian machine), made
 * readable.
 */
class SocketAddressesTest {

  @Test
  void addressesAreDecodedAsTheKernelPrintsThem() {
    Assumptions.assumeTrue(
        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the samples are little-endian");
    assertThat(SocketAddresses.decode("0100007F:1F90")).isEqualTo("127.0.0.1:8080");
    assertThat(SocketAddresses.decode("0000000000000000FFFF00000100007F:47FF"))
        .as("an IPv4-mapped address, as a JVM's dual-stack socket shows")
        .isEqualTo("127.0.0.1:18431");
    assertThat(SocketAddresses.decode("00000000000000000000000001000000:0050"))
        .isEqualTo("[0:0:0:0:0:0:0:1]:80");
    assertThat(SocketAddresses.decode("B80D0120000000000000000001000000:01BB"))
        .isEqualTo("[2001:db8:0:0:0:0:0:1]:443");
  }
}

package dev.cryo.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TcpSocketsTest {
  private static final List<String> TABLE =
      List.of(
          "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
          "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0",
          "   1: 0100007F:1F90 0100007F:D431 01 00000000:0000004E 00:00000000 00000000     0        0 4343 1 0 20 4 30 10 -1",
          "   2: 0100007F:1F90 0100007F:D432 03 00000000:00000000 00:00000000 00000000     0        0 0 1 0 20 4 30 10 -1");

  @Test
  void readsEachSocketsPortStateQueueAndInode() {
    assertThat(TcpSockets.parse(TABLE))
        .as("the three sockets of the table, heading skipped")
        .containsExactly(
            new TcpSockets.Entry(
                8080, TcpSockets.State.LISTEN, 3, 4242, "0100007F:1F90", "00000000:0000"),
            new TcpSockets.Entry(
                8080, TcpSockets.State.ESTABLISHED, 0x4E, 4343, "0100007F:1F90", "0100007F:D431"),
            new TcpSockets.Entry(
                8080, TcpSockets.State.SYN_RECEIVED, 0, 0, "0100007F:1F90", "0100007F:D432"));
  }

  @Test
  void describesAConnectionByItsReadableAddresses() {
    Assumptions.assumeTrue(
        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the table is little-endian");
    assertThat(TcpSockets.parse(TABLE).get(1).describe())
        .isEqualTo("127.0.0.1:8080 -> 127.0.0.1:54321");
  }

  @Test
  void readsTheTablesOfThisProcesssOwnNamespace() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(TcpSockets.inOwnNamespace())
          .as("this JVM's listener")
          .anyMatch(
              e ->
                  e.state() == TcpSockets.State.LISTEN && e.localPort() == listener.getLocalPort());
      assertThat(TcpSockets.listeningPorts(List.of((int) ProcessHandle.current().pid())))
          .contains(listener.getLocalPort());
    }
  }

  @Test
  void countsTheConnectionsThatHaveReceivedNothingYet() {
    String ss =
        String.join(
            "\n",
            "0      0      127.0.0.1:18556 127.0.0.1:42936",
            "\t bbr wscale:10,10 rto:200 rtt:0.028/0.014 mss:32768 cwnd:10 segs_in:2 lastrcv:108",
            "0      0      127.0.0.1:18556 127.0.0.1:42938",
            "\t bbr wscale:10,10 rto:200 mss:32768 cwnd:10 bytes_received:5 segs_out:1 segs_in:3 data_segs_in:1",
            "");
    assertThat(TcpSockets.withoutData(ss))
        .as("connections that have received nothing")
        .isEqualTo(1);
    assertThat(TcpSockets.withoutData("")).as("no connection").isZero();
  }

  @Test
  void skipsLinesOfAnotherShape() {
    assertThat(TcpSockets.parse(List.of("", "garbage", "   0: zz:zz")))
        .as("nothing parsed from nonsense")
        .isEmpty();
  }

  @Test
  void aTreeThatHasEndedListensOnNothing() {
    assertThat(TcpSockets.listeningPorts(List.of())).as("no tree").isEmpty();
    assertThat(TcpSockets.listeningPorts(List.of(Integer.MAX_VALUE)))
        .as("a PID that does not exist")
        .isEmpty();
  }
}

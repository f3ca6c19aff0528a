package dev.cryo.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TcpSocketsTest {
  private static final List<String> TABLE = List.of(
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0",
      "   1: 0100007F:1F90 0100007F:D431 01 00000000:0000004E 00:00000000 00000000     0        0 4343 1 0 20 4 30 10 -1",
      "   2: 0100007F:1F90 0100007F:D432 03 00000000:00000000 00:00000000 00000000     0        0 0 1 0 20 4 30 10 -1");

  @Test
  void readsEachSocketsPortStateQueueAndInode() {
    assertThat(TcpSockets.parse(TABLE)).as("the three sockets of the table, heading skipped").containsExactly(
        new TcpSockets.Entry(8080, TcpSockets.State.LISTEN, 3, 4242),
        new TcpSockets.Entry(8080, TcpSockets.State.ESTABLISHED, 0x4E, 4343),
        new TcpSockets.Entry(8080, TcpSockets.State.SYN_RECEIVED, 0, 0));
  }

  @Test
  void skipsLinesOfAnotherShape() {
    assertThat(TcpSockets.parse(List.of("", "garbage", "   0: zz:zz"))).as("nothing parsed from nonsense").isEmpty();
  }

  @Test
  void aTreeThatHasEndedListensOnNothing() {
    assertThat(TcpSockets.listeningPorts(List.of())).as("no tree").isEmpty();
    assertThat(TcpSockets.listeningPorts(List.of(Integer.MAX_VALUE))).as("a PID that does not exist").isEmpty();
  }
}

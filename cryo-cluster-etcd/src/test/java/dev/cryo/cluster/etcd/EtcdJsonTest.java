package dev.cryo.cluster.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cryo.cluster.store.Compare;
import dev.cryo.cluster.store.KeyValue;
import dev.cryo.cluster.store.Lease;
import dev.cryo.cluster.store.TxnOp;
import dev.cryo.cluster.store.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gateway's JSON, as etcd 3.4.23 answered it (captured with curl). */
class EtcdJsonTest {
  private static final String HEADER =
      "\"header\":{\"cluster_id\":\"15118495548433857066\",\"member_id\":\"13668033151171901709\","
          + "\"revision\":\"%d\",\"raft_term\":\"2\"}";

  private static JsonNode json(String text, Object... arguments) throws Exception {
    return EtcdJson.MAPPER.readTree(String.format(text, arguments));
  }

  @Test
  void aRangeAnswerGivesKeysValuesRevisionsAndLease() throws Exception {
    JsonNode response =
        json(
            "{"
                + HEADER
                + ",\"kvs\":[{\"key\":\"L2EveA==\",\"create_revision\":\"2\","
                + "\"mod_revision\":\"5\",\"version\":\"3\",\"value\":\"MQ==\",\"lease\":\"77\"}],"
                + "\"count\":\"1\"}",
            6);
    assertThat(EtcdJson.range(response).keys())
        .as("keys of the range")
        .containsExactly(new KeyValue("/a/x", "1", 2, 5, 3, 77));
    assertThat(EtcdJson.range(response).revision()).as("revision read at").isEqualTo(6);
  }

  @Test
  void aRangeWithoutKeysHasNoKvsField() throws Exception {
    assertThat(EtcdJson.range(json("{" + HEADER + "}", 2)).keys()).as("keys").isEmpty();
  }

  @Test
  void aKeyWithAnEmptyValueHasNoValueField() throws Exception {
    JsonNode kv =
        json(
            "{\"key\":\"L2E=\",\"create_revision\":\"2\",\"mod_revision\":\"2\",\"version\":\"1\"}");
    assertThat(EtcdJson.keyValue(kv))
        .as("key without value")
        .isEqualTo(new KeyValue("/a", "", 2, 2, 1, 0));
  }

  @Test
  void aDeleteAnswerCountsOnlyWhenSomethingWasDeleted() throws Exception {
    assertThat(EtcdJson.deleted(json("{" + HEADER + ",\"deleted\":\"1\"}", 3)))
        .as("one")
        .isEqualTo(1);
    assertThat(EtcdJson.deleted(json("{" + HEADER + "}", 3))).as("none").isZero();
  }

  @Test
  void aFailedTransactionHasNoSucceededField() throws Exception {
    assertThat(EtcdJson.txn(json("{" + HEADER + "}", 4)).succeeded()).as("failed txn").isFalse();
    JsonNode succeeded =
        json(
            "{"
                + HEADER
                + ",\"succeeded\":true,\"responses\":[{\"response_put\":{\"header\":{\"revision\":\"4\"}}}]}",
            4);
    assertThat(EtcdJson.txn(succeeded).succeeded()).as("succeeded txn").isTrue();
    assertThat(EtcdJson.txn(succeeded).revision()).as("revision after it").isEqualTo(4);
  }

  @Test
  void aGrantGivesIdAndTtl() throws Exception {
    JsonNode response = json("{" + HEADER + ",\"ID\":\"4111120395156902923\",\"TTL\":\"2\"}", 3);
    assertThat(EtcdJson.lease(response))
        .as("lease")
        .isEqualTo(new Lease(4111120395156902923L, Duration.ofSeconds(2)));
  }

  @Test
  void aKeepAliveOfALeaseThatIsGoneHasNoTtl() throws Exception {
    assertThat(EtcdJson.keepAlive(json("{\"result\":{" + HEADER + ",\"ID\":\"1234\"}}", 3)))
        .as("keep-alive of an expired lease")
        .isEmpty();
    assertThat(
            EtcdJson.keepAlive(
                json("{\"result\":{" + HEADER + ",\"ID\":\"1234\",\"TTL\":\"5\"}}", 3)))
        .as("keep-alive of a live lease")
        .isEqualTo(Optional.of(Duration.ofSeconds(5)));
  }

  @Test
  void watchEventsWithoutTypeArePutsAndDeletesSayDelete() throws Exception {
    EtcdJson.WatchMessage message =
        EtcdJson.watchMessage(
            json(
                "{\"result\":{"
                    + HEADER
                    + ",\"events\":[{\"kv\":{\"key\":\"L2EveQ==\",\"create_revision\":\"4\","
                    + "\"mod_revision\":\"4\",\"version\":\"1\",\"value\":\"dg==\"}},"
                    + "{\"type\":\"DELETE\",\"kv\":{\"key\":\"L2EveQ==\",\"mod_revision\":\"5\"}}]}}",
                5));
    assertThat(message.events())
        .as("events")
        .containsExactly(
            new WatchEvent(WatchEvent.Kind.PUT, new KeyValue("/a/y", "v", 4, 4, 1, 0)),
            new WatchEvent(WatchEvent.Kind.DELETE, new KeyValue("/a/y", "", 0, 5, 0, 0)));
    assertThat(message.ended()).as("ended").isFalse();
  }

  @Test
  void theCreatedMessageOfAWatchHasNoEvents() throws Exception {
    EtcdJson.WatchMessage message =
        EtcdJson.watchMessage(json("{\"result\":{" + HEADER + ",\"created\":true}}", 4));
    assertThat(message.events()).as("events").isEmpty();
    assertThat(message.ended()).as("ended").isFalse();
  }

  @Test
  void aWatchFromACompactedRevisionIsCanceledWithTheCompactRevision() throws Exception {
    EtcdJson.WatchMessage message =
        EtcdJson.watchMessage(
            json(
                "{\"result\":{\"header\":{\"cluster_id\":\"1\",\"member_id\":\"2\",\"raft_term\":\"2\"},"
                    + "\"canceled\":true,\"compact_revision\":\"3\"}}"));
    assertThat(message.ended()).as("ended").isTrue();
    assertThat(message.compactRevision()).as("compact revision").isEqualTo(3);
  }

  @Test
  void anErrorOnTheWatchStreamEndsIt() throws Exception {
    EtcdJson.WatchMessage message =
        EtcdJson.watchMessage(
            json(
                "{\"error\":{\"grpc_code\":14,\"http_code\":503,\"message\":\"etcdserver: no leader\"}}"));
    assertThat(message.ended()).as("ended").isTrue();
    assertThat(message.reason()).as("reason").isEqualTo("etcdserver: no leader");
  }

  @Test
  void aPrefixRangesUpToItsSuccessor() {
    assertThat(new String(EtcdJson.prefixEnd("/cryo/"), StandardCharsets.UTF_8))
        .as("range end of /cryo/")
        .isEqualTo("/cryo0");
    assertThat(EtcdJson.prefixEnd("")).as("range end of everything").containsExactly(0);
    JsonNode request = EtcdJson.prefixRequest("");
    assertThat(request.get("key").asText()).as("key of everything").isEqualTo("AA==");
  }

  @Test
  void requestsCarryBase64KeysAndInt64sAsStrings() {
    JsonNode put = EtcdJson.putRequest("/a", "é", 42);
    assertThat(put.toString())
        .as("put request")
        .isEqualTo("{\"key\":\"L2E=\",\"value\":\"w6k=\",\"lease\":\"42\"}");
    assertThat(EtcdJson.putRequest("/a", "", Lease.NONE).has("lease"))
        .as("lease field without lease")
        .isFalse();
    assertThat(EtcdJson.watchRequest("/a/", 7).toString())
        .as("watch request")
        .isEqualTo(
            "{\"create_request\":{\"key\":\"L2Ev\",\"range_end\":\"L2Ew\",\"start_revision\":\"8\"}}");
  }

  @Test
  void aTransactionRequestNamesTargetsAndOperations() {
    JsonNode txn =
        EtcdJson.txnRequest(
            List.of(Compare.absent("/o"), Compare.valueIs("/o", "n"), Compare.modifiedAt("/o", 9)),
            List.of(TxnOp.put("/o", "n", 5)),
            List.of(TxnOp.delete("/o")));
    assertThat(txn.toString())
        .as("txn request")
        .isEqualTo(
            "{\"compare\":["
                + "{\"key\":\"L28=\",\"result\":\"EQUAL\",\"target\":\"CREATE\",\"create_revision\":\"0\"},"
                + "{\"key\":\"L28=\",\"result\":\"EQUAL\",\"target\":\"VALUE\",\"value\":\"bg==\"},"
                + "{\"key\":\"L28=\",\"result\":\"EQUAL\",\"target\":\"MOD\",\"mod_revision\":\"9\"}],"
                + "\"success\":[{\"request_put\":{\"key\":\"L28=\",\"value\":\"bg==\",\"lease\":\"5\"}}],"
                + "\"failure\":[{\"request_delete_range\":{\"key\":\"L28=\"}}]}");
  }
}

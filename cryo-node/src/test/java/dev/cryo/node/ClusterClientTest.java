package dev.cryo.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.cluster.store.KeyValue;
import dev.cryo.node.ClusterClient.AddressTakenException;
import dev.cryo.node.ClusterClient.ProgramNameTakenException;
import dev.cryo.node.ClusterClient.UnknownProgramException;
import org.junit.jupiter.api.Test;

class ClusterClientTest {
  private static final String ADDRESS = "198.18.1.10";

  private final TestCluster cluster = new TestCluster();
  private final ClusterClient client = new ClusterClient(cluster.store, null);

  @Test
  void submitRecordsTheSpecAndTheAddress() {
    client.submit(TestCluster.program("app", ADDRESS));

    assertThat(cluster.view().spec("app").map(ClusterProgram::address))
        .as("the spec is recorded")
        .contains(ADDRESS);
    assertThat(cluster.store.get(ClusterKeys.address(ADDRESS)).map(KeyValue::value))
        .as("the address is held by app")
        .contains("app");
    assertThat(cluster.events("app", "submitted")).as("a submitted event").hasSize(1);
  }

  @Test
  void submitRefusesASecondProgramWithTheSameAddressNamingItsHolder() {
    client.submit(TestCluster.program("app", ADDRESS));

    assertThatThrownBy(() -> client.submit(TestCluster.program("other", ADDRESS)))
        .as("two programs with one address")
        .isInstanceOf(AddressTakenException.class)
        .hasMessageContaining(ADDRESS)
        .hasMessageContaining("service address of app");
    assertThat(cluster.store.get(ClusterKeys.spec("other")))
        .as("the refused program is not recorded")
        .isEmpty();
  }

  @Test
  void submitRefusesASecondProgramOfTheSameName() {
    client.submit(TestCluster.program("app", null));

    assertThatThrownBy(() -> client.submit(TestCluster.program("app", ADDRESS)))
        .as("two programs named app")
        .isInstanceOf(ProgramNameTakenException.class)
        .hasMessageContaining("app");
    assertThat(cluster.store.get(ClusterKeys.address(ADDRESS)))
        .as("the refused program holds no address")
        .isEmpty();
  }

  @Test
  void submitRefusesTheNameOfAProgramAskedToStopThatStillRuns() {
    long a = cluster.join("cryo-a");
    client.submit(TestCluster.program("app", null));
    cluster.own("app", "cryo-a", a);
    client.stop("app");

    assertThatThrownBy(() -> client.submit(TestCluster.program("app", null)))
        .as("app still has an owner that stops it")
        .isInstanceOf(ProgramNameTakenException.class);
  }

  @Test
  void theNameOfAStoppedProgramCanBeSubmittedAgain() {
    client.submit(TestCluster.program("app", ADDRESS));
    client.stop("app");

    client.submit(TestCluster.program("app", ADDRESS));

    ClusterView view = cluster.view();
    assertThat(view.stopRequested("app")).as("the new program is not stopped").isFalse();
    assertThat(view.status("app")).as("the old program's status is gone").isEmpty();
    assertThat(cluster.store.get(ClusterKeys.address(ADDRESS)).map(KeyValue::value))
        .as("the new program holds the address")
        .contains("app");
  }

  @Test
  void theNameOfAProgramWhoseOwnerWasLostWhileStoppingCanBeSubmittedAgainWithItsAddress() {
    long a = cluster.join("cryo-a");
    client.submit(TestCluster.program("app", ADDRESS));
    cluster.own("app", "cryo-a", a);
    client.stop("app");
    // cryo-a's lease ran out before it stopped app and released its address.
    cluster.store.expire(a);

    client.submit(TestCluster.program("app", ADDRESS));

    assertThat(cluster.view().stopRequested("app")).as("the new program is not stopped").isFalse();
    assertThat(cluster.store.get(ClusterKeys.address(ADDRESS)).map(KeyValue::value))
        .as("the address the stopped app still held goes to the new app")
        .contains("app");
  }

  @Test
  void stopOfAProgramWithNoOwnerWithdrawsItAtOnceAndFreesItsAddress() {
    client.submit(TestCluster.program("app", ADDRESS));

    client.stop("app");

    ClusterView view = cluster.view();
    assertThat(view.stopRequested("app")).as("the stop is recorded").isTrue();
    assertThat(view.status("app").map(ProgramStatus::status))
        .as("its status says it stopped")
        .contains("stopped");
    assertThat(cluster.store.get(ClusterKeys.address(ADDRESS))).as("its address is free").isEmpty();
    assertThat(cluster.events("app", "stopped")).as("a stopped event").hasSize(1);
    client.submit(TestCluster.program("other", ADDRESS));
    assertThat(cluster.store.get(ClusterKeys.address(ADDRESS)).map(KeyValue::value))
        .as("another program may take the address")
        .contains("other");
  }

  @Test
  void stopOfAProgramWithAnOwnerLeavesTheStopToTheOwner() {
    long a = cluster.join("cryo-a");
    client.submit(TestCluster.program("app", ADDRESS));
    cluster.own("app", "cryo-a", a);

    client.stop("app");

    assertThat(cluster.view().stopRequested("app")).as("the stop is requested").isTrue();
    assertThat(cluster.store.get(ClusterKeys.address(ADDRESS)))
        .as("the address stays with the running program until its owner stops it")
        .isPresent();
    assertThat(cluster.events("app", "stopped")).as("not stopped yet").isEmpty();
  }

  @Test
  void stopOfAnUnknownProgramSaysSo() {
    assertThatThrownBy(() -> client.stop("nothing"))
        .as("no such program")
        .isInstanceOf(UnknownProgramException.class)
        .hasMessageContaining("nothing");
  }
}

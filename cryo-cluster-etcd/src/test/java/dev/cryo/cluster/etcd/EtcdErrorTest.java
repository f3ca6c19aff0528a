package dev.cryo.cluster.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Error answers of etcd 3.4's gateway, and which of them another member may not give. */
class EtcdErrorTest {
  @Test
  void aSuccessIsNoError() {
    assertThat(EtcdError.of(200, "{}")).as("error of a 200").isNull();
  }

  @Test
  void noLeaderAndTimeoutsAreForAnotherMember() {
    assertThat(
            EtcdError.of(
                    503,
                    "{\"error\":\"etcdserver: no leader\",\"message\":\"etcdserver: no leader\",\"code\":14}")
                .unavailable())
        .as("no leader")
        .isTrue();
    EtcdError timedOut =
        EtcdError.of(
            503,
            "{\"error\":\"etcdserver: request timed out\",\"message\":\"etcdserver: request timed out\",\"code\":14}");
    assertThat(timedOut.unavailable()).as("request timed out").isTrue();
    assertThat(timedOut.mayHaveApplied()).as("a timed-out request may have been applied").isTrue();
  }

  @Test
  void aMissingLeaseIsItsOwnError() {
    EtcdError error =
        EtcdError.of(
            404,
            "{\"error\":\"etcdserver: requested lease not found\",\"message\":\"etcdserver: requested lease not found\",\"code\":5}");
    assertThat(error.unavailable()).as("unavailable").isFalse();
    assertThat(error.leaseNotFound()).as("lease not found").isTrue();
  }

  @Test
  void aMalformedRequestIsNotRetriedElsewhere() {
    EtcdError error =
        EtcdError.of(
            400,
            "{\"error\":\"illegal base64 data at input byte 0\",\"message\":\"illegal base64 data at input byte 0\",\"code\":3}");
    assertThat(error.unavailable()).as("unavailable").isFalse();
    assertThat(error.message()).as("message").isEqualTo("illegal base64 data at input byte 0");
  }

  @Test
  void aBodyThatIsNotJsonStillGivesTheStatus() {
    assertThat(EtcdError.of(404, "Not Found\n").message())
        .as("message")
        .isEqualTo("HTTP 404 Not Found");
  }
}

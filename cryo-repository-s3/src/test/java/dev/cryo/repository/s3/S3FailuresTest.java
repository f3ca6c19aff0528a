package dev.cryo.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.repository.ObjectNotFoundException;
import dev.cryo.repository.ObjectStoreAccessDeniedException;
import dev.cryo.repository.ObjectStoreException;
import dev.cryo.repository.ObjectStoreMissingException;
import dev.cryo.repository.ObjectStoreUnavailableException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3FailuresTest {
  private final S3Failures failures =
      new S3Failures(new S3Location("cryo-test", "repo/"), "http://127.0.0.1:8333");

  private static S3Exception answer(int status, String code) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .message("the server's own words")
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode(code)
                    .errorMessage("the server's own words")
                    .build())
            .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"})
  void refusedCredentialsAreAccessDeniedWithWhatToCheck(String code) {
    ObjectStoreException e = failures.of("write object config", answer(403, code));

    assertThat(e).isInstanceOf(ObjectStoreAccessDeniedException.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "s3://cryo-test/repo at http://127.0.0.1:8333 refused the credentials (HTTP 403 "
                + code
                + "); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or the profile, and that"
                + " they may use the bucket");
  }

  @Test
  void a403WithoutCodeIsAccessDeniedToo() {
    assertThat(failures.of("list objects", answer(403, null)))
        .isInstanceOf(ObjectStoreAccessDeniedException.class)
        .hasMessageContaining("(HTTP 403)");
  }

  @Test
  void noCredentialsAtAllSaysHowToProvideThem() {
    ObjectStoreException e =
        failures.of(
            "list objects",
            SdkClientException.create(
                "wrapped", new S3Failures.NoCredentials(SdkClientException.create("chain"))));

    assertThat(e).isInstanceOf(ObjectStoreAccessDeniedException.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "no credentials for s3://cryo-test/repo at http://127.0.0.1:8333; set AWS_ACCESS_KEY_ID"
                + " and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE naming a profile in"
                + " ~/.aws/credentials");
  }

  @Test
  void aMissingBucketSaysToInitialiseTheRepository() {
    ObjectStoreException e = failures.of("write object config", answer(404, "NoSuchBucket"));

    assertThat(e).isInstanceOf(ObjectStoreMissingException.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "bucket cryo-test does not exist at http://127.0.0.1:8333; create the repository with"
                + " 'cryo repo init'");
  }

  @Test
  void aMissingKeyIsObjectNotFound() {
    assertThat(failures.ofRead("config", answer(404, "NoSuchKey")))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessage("object config is missing from s3://cryo-test/repo at http://127.0.0.1:8333");
  }

  @Test
  void aBare404OnReadIsObjectNotFoundButOnAMissingBucketItIsTheBucket() {
    assertThat(failures.ofRead("config", answer(404, null)))
        .isInstanceOf(ObjectNotFoundException.class);
    assertThat(failures.ofRead("config", answer(404, "NoSuchBucket")))
        .isInstanceOf(ObjectStoreMissingException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504})
  void serverErrorsAreUnavailable(int status) {
    assertThat(failures.of("write object config", answer(status, "InternalError")))
        .isInstanceOf(ObjectStoreUnavailableException.class)
        .hasMessage(
            "s3://cryo-test/repo at http://127.0.0.1:8333 answered HTTP "
                + status
                + " InternalError to write object config; try again later");
  }

  @Test
  void slowDownAndThrottlingAreUnavailable() {
    assertThat(failures.of("write object config", answer(503, "SlowDown")))
        .isInstanceOf(ObjectStoreUnavailableException.class);
    assertThat(failures.of("write object config", answer(429, "TooManyRequests")))
        .isInstanceOf(ObjectStoreUnavailableException.class);
    assertThat(failures.of("write object config", answer(400, "RequestTimeout")))
        .isInstanceOf(ObjectStoreUnavailableException.class);
  }

  @Test
  void aRefusedConnectionIsUnavailableAndSaysWhatToCheck() {
    ObjectStoreException e =
        failures.of(
            "write object config",
            SdkClientException.create(
                "Unable to execute HTTP request", new ConnectException("Connection refused")));

    assertThat(e).isInstanceOf(ObjectStoreUnavailableException.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "cannot reach s3://cryo-test/repo at http://127.0.0.1:8333 to write object config"
                + " (Connection refused); check that the server runs and the endpoint"
                + " (AWS_ENDPOINT_URL) is right");
  }

  @Test
  void timeoutsAreUnavailable() {
    assertThat(
            failures.of(
                "read object config",
                SdkClientException.create("x", new SocketTimeoutException("Read timed out"))))
        .isInstanceOf(ObjectStoreUnavailableException.class);
    assertThat(
            failures.of(
                "read object config",
                ApiCallAttemptTimeoutException.builder().message("attempt timed out").build()))
        .isInstanceOf(ObjectStoreUnavailableException.class)
        .hasMessage(
            "http://127.0.0.1:8333 did not answer in time to read object config in"
                + " s3://cryo-test/repo; try again");
  }

  @Test
  void anyOtherRefusalIsAPlainObjectStoreExceptionWithTheServersWords() {
    ObjectStoreException e = failures.of("write object config", answer(400, "InvalidArgument"));

    assertThat(e.getClass()).isEqualTo(ObjectStoreException.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "s3://cryo-test/repo at http://127.0.0.1:8333 refused to write object config (HTTP 400"
                + " InvalidArgument: the server's own words)");
  }
}

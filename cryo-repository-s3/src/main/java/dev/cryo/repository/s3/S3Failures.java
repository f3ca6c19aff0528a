package dev.cryo.repository.s3;

import dev.cryo.repository.ObjectNotFoundException;
import dev.cryo.repository.ObjectStoreAccessDeniedException;
import dev.cryo.repository.ObjectStoreException;
import dev.cryo.repository.ObjectStoreMissingException;
import dev.cryo.repository.ObjectStoreUnavailableException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what the SDK throws into the {@link ObjectStoreException} kind that says what the user can
 * do, with a one-line message naming the bucket and the endpoint (never a secret).
 */
final class S3Failures {
  private static final Set<String> REFUSED_CREDENTIALS =
      Set.of(
          "AccessDenied",
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "ExpiredToken",
          "InvalidToken",
          "TokenRefreshRequired",
          "AllAccessDisabled");
  private static final Set<String> PASSING =
      Set.of(
          "SlowDown",
          "Throttling",
          "ThrottlingException",
          "RequestTimeout",
          "InternalError",
          "ServiceUnavailable");

  private final String where;
  private final String endpoint;
  private final S3Location location;

  S3Failures(S3Location location, String endpoint) {
    this.location = location;
    this.endpoint = endpoint;
    this.where = location + " at " + endpoint;
  }

  /** The credential chain found no credentials at all; the SDK reports this as a client failure. */
  static final class NoCredentials extends SdkClientException {
    private static final long serialVersionUID = 1L;

    NoCredentials(SdkClientException cause) {
      super(SdkClientException.builder().message("no credentials found").cause(cause));
    }
  }

  /** What a failure of {@code action} (such as "read object x") means to the user. */
  ObjectStoreException of(String action, SdkException e) {
    if (e instanceof AwsServiceException service) {
      return ofAnswer(action, service);
    }
    if (causedBy(e, NoCredentials.class)) {
      return new ObjectStoreAccessDeniedException(
          "no credentials for "
              + where
              + "; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE naming a"
              + " profile in ~/.aws/credentials",
          e);
    }
    if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException) {
      return new ObjectStoreUnavailableException(
          endpoint + " did not answer in time to " + action + " in " + location + "; try again", e);
    }
    IOException io = causeOf(e, IOException.class);
    if (io != null) {
      return new ObjectStoreUnavailableException(
          "cannot reach "
              + where
              + " to "
              + action
              + " ("
              + describe(io)
              + "); check that the server runs and the endpoint (AWS_ENDPOINT_URL) is right",
          e);
    }
    return new ObjectStoreException("cannot " + action + " in " + where + ": " + e.getMessage(), e);
  }

  /**
   * As {@link #of}, for reading an object: a 404 without an error code (a HEAD answer has no body)
   * is then a missing object.
   */
  ObjectStoreException ofRead(String key, SdkException e) {
    if (e instanceof AwsServiceException service
        && service.statusCode() == 404
        && !errorCode(service).equals("NoSuchBucket")) {
      return missingObject(key, e);
    }
    return of("read object " + key, e);
  }

  ObjectNotFoundException missingObject(String key, Exception cause) {
    return new ObjectNotFoundException("object " + key + " is missing from " + where, cause);
  }

  private ObjectStoreException ofAnswer(String action, AwsServiceException e) {
    int status = e.statusCode();
    String code = errorCode(e);
    String answer = "HTTP " + status + (code.isEmpty() ? "" : " " + code);
    if (REFUSED_CREDENTIALS.contains(code) || status == 401 || status == 403) {
      return new ObjectStoreAccessDeniedException(
          where
              + " refused the credentials ("
              + answer
              + "); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or the profile, and that"
              + " they may use the bucket",
          e);
    }
    if (code.equals("NoSuchBucket")) {
      return new ObjectStoreMissingException(
          "bucket "
              + location.bucket()
              + " does not exist at "
              + endpoint
              + "; create the repository with 'cryo repo init'",
          e);
    }
    if (code.equals("NoSuchKey")) {
      return new ObjectNotFoundException(
          "cannot " + action + ": it is missing from " + where + " (" + answer + ")", e);
    }
    if (status >= 500 || status == 429 || e.isThrottlingException() || PASSING.contains(code)) {
      return new ObjectStoreUnavailableException(
          where + " answered " + answer + " to " + action + "; try again later", e);
    }
    String detail =
        e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
            ? ""
            : ": " + e.awsErrorDetails().errorMessage();
    return new ObjectStoreException(
        where + " refused to " + action + " (" + answer + detail + ")", e);
  }

  private static String errorCode(AwsServiceException e) {
    if (e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null) {
      return "";
    }
    return e.awsErrorDetails().errorCode();
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    String line = message.lines().findFirst().orElse(message);
    return e instanceof UnknownHostException ? "unknown host " + line : line;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    return causeOf(e, type) != null;
  }

  private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}

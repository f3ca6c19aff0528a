package dev.cryo.repository.s3;

import dev.cryo.repository.ObjectStore;
import dev.cryo.repository.ObjectStoreAccessDeniedException;
import dev.cryo.repository.ObjectStoreException;
import dev.cryo.repository.ObjectStoreMissingException;
import dev.cryo.repository.ObjectStoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * An {@link ObjectStore} on a bucket of S3 or of an S3-compatible server (MinIO, Ceph RGW, Garage,
 * s3proxy), under a key prefix: a remote repository that hosts without a shared file system all
 * reach. A single PUT stores a whole object or nothing, which is all the interface promises.
 *
 * <p>The SDK retries nothing: the repository above retries {@link ObjectStoreUnavailableException}s
 * with its own back-off, and retries in two layers would multiply. Close the store to release the
 * client's connections and threads.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  // Objects are at most about 16 MiB: a minute is ample for one on any usable link.
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(60);

  private final S3Location location;
  private final S3Settings settings;
  private final AwsCredentialsProvider credentials;
  private final S3Client client;
  private final S3Failures failures;

  /** A store on {@code location} with a client made from {@code settings}. */
  public S3ObjectStore(S3Location location, S3Settings settings) throws ObjectStoreException {
    this.location = location;
    this.settings = settings;
    this.failures = new S3Failures(location, settings.endpointDescription());
    try {
      this.credentials = settings.credentials().provider();
      this.client = clientFor(settings, reportingMissing(credentials));
    } catch (RuntimeException e) {
      throw new ObjectStoreException(
          "cannot set up an S3 client for " + location + " (" + settings + "): " + e.getMessage(),
          e);
    }
  }

  /** A store on {@code s3://BUCKET/PREFIX}. */
  public static S3ObjectStore open(String location, S3Settings settings)
      throws ObjectStoreException {
    return new S3ObjectStore(S3Location.parse(location), settings);
  }

  /** Creates the bucket unless it exists (and is ours to use). */
  @Override
  public void createIfMissing() throws ObjectStoreException {
    try {
      client.headBucket(b -> b.bucket(location.bucket()));
      return;
    } catch (AwsServiceException e) {
      if (e.statusCode() != 404) {
        throw failures.of("look for the bucket", e);
      }
    } catch (SdkException e) {
      throw failures.of("look for the bucket", e);
    }
    CreateBucketRequest.Builder request = CreateBucketRequest.builder().bucket(location.bucket());
    if (!settings.region().equals(S3Settings.DEFAULT_REGION)) {
      // Outside us-east-1, AWS wants the region named again in the request.
      request.createBucketConfiguration(c -> c.locationConstraint(settings.region()));
    }
    try {
      client.createBucket(request.build());
    } catch (BucketAlreadyOwnedByYouException e) {
      // Made by someone else in the meantime: there now, as asked.
    } catch (AwsServiceException e) {
      if (e.awsErrorDetails() != null
          && "BucketAlreadyExists".equals(e.awsErrorDetails().errorCode())) {
        throw new ObjectStoreException(
            "bucket "
                + location.bucket()
                + " at "
                + settings.endpointDescription()
                + " belongs to someone else; choose another bucket name",
            e);
      }
      throw failures.of("create the bucket", e);
    } catch (SdkException e) {
      throw failures.of("create the bucket", e);
    }
  }

  @Override
  public void put(String key, byte[] bytes) throws ObjectStoreException {
    String fullKey = fullKey(key);
    try {
      client.putObject(
          b -> b.bucket(location.bucket()).key(fullKey).contentLength((long) bytes.length),
          RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      ObjectStoreException failure = failures.of("write object " + key, e);
      if (failure instanceof ObjectStoreUnavailableException) {
        explainBrokenWrite("write object " + key);
      }
      throw failure;
    }
  }

  /**
   * A server that refuses a put (wrong credentials, a missing bucket) may answer before the body is
   * sent and close the connection; the client then sees only a broken write, which reads as an
   * unreachable server. A small read asks the bucket why, and throws its answer if it is a refusal.
   */
  private void explainBrokenWrite(String action) throws ObjectStoreException {
    try {
      client.listObjectsV2(b -> b.bucket(location.bucket()).maxKeys(1));
    } catch (AwsServiceException refusal) {
      ObjectStoreException answer = failures.of(action, refusal);
      if (answer instanceof ObjectStoreAccessDeniedException
          || answer instanceof ObjectStoreMissingException) {
        throw answer;
      }
    } catch (SdkException unreachable) {
      // The server is indeed out of reach: the broken write says so.
    }
  }

  @Override
  public byte[] get(String key) throws ObjectStoreException {
    String fullKey = fullKey(key);
    try {
      return client.getObjectAsBytes(b -> b.bucket(location.bucket()).key(fullKey)).asByteArray();
    } catch (SdkException e) {
      throw failures.ofRead(key, e);
    }
  }

  @Override
  public byte[] getRange(String key, long offset, int length) throws ObjectStoreException {
    String fullKey = fullKey(key);
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    byte[] bytes;
    try {
      bytes =
          client
              .getObjectAsBytes(b -> b.bucket(location.bucket()).key(fullKey).range(range))
              .asByteArray();
    } catch (SdkException e) {
      throw failures.ofRead(key, e);
    }
    if (bytes.length != length) {
      throw new ObjectStoreException(
          "object "
              + key
              + " in "
              + location
              + " gave "
              + bytes.length
              + " bytes for "
              + range
              + ", not "
              + length);
    }
    return bytes;
  }

  @Override
  public List<StoredObject> list(String prefix) throws ObjectStoreException {
    ListObjectsV2Request.Builder request =
        ListObjectsV2Request.builder()
            .bucket(location.bucket())
            .prefix(location.keyOf(prefix))
            .maxKeys(settings.listPageSize());
    List<StoredObject> objects = new ArrayList<>();
    try {
      ListObjectsV2Response page;
      String next = null;
      do {
        page = client.listObjectsV2(request.continuationToken(next).build());
        for (S3Object object : page.contents()) {
          objects.add(
              new StoredObject(
                  location.relative(object.key()), object.size(), object.lastModified()));
        }
        next = page.nextContinuationToken();
      } while (Boolean.TRUE.equals(page.isTruncated()) && next != null);
    } catch (SdkException e) {
      throw failures.of("list objects", e);
    }
    // S3 lists in UTF-8 byte order; the interface promises String order (the same for ASCII keys).
    objects.sort(Comparator.comparing(StoredObject::key));
    return objects;
  }

  @Override
  public void delete(String key) throws ObjectStoreException {
    String fullKey = fullKey(key);
    try {
      client.deleteObject(b -> b.bucket(location.bucket()).key(fullKey));
    } catch (SdkException e) {
      throw failures.of("delete object " + key, e);
    }
  }

  /** {@code s3://bucket/prefix}. */
  @Override
  public String location() {
    return location.toString();
  }

  /** Closes the client: its connections and its timeout thread. */
  @Override
  public void close() {
    client.close();
    if (credentials instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
  }

  private String fullKey(String key) throws ObjectStoreException {
    if (key.isEmpty() || key.startsWith("/")) {
      throw new ObjectStoreException("invalid object key '" + key + "'");
    }
    return location.keyOf(key);
  }

  private static S3Client clientFor(S3Settings settings, AwsCredentialsProvider credentials) {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .forcePathStyle(settings.pathStyle())
            .requestChecksumCalculation(settings.requestChecksumCalculation())
            .responseChecksumValidation(settings.responseChecksumValidation())
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(ATTEMPT_TIMEOUT))
            .overrideConfiguration(
                c ->
                    c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT));
    settings.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /** Marks the credential chain's failure to find any, which the SDK wraps in its own. */
  private static AwsCredentialsProvider reportingMissing(AwsCredentialsProvider provider) {
    return () -> {
      try {
        return provider.resolveCredentials();
      } catch (SdkClientException e) {
        throw new S3Failures.NoCredentials(e);
      }
    };
  }
}

package dev.cryo.repository.s3;

import dev.cryo.repository.ObjectStoreException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * How to reach an S3-compatible store, resolved from the environment as the AWS CLI does, so that
 * the variables and profile files a user already has for {@code aws s3} work for Cryo too:
 *
 * <ul>
 *   <li>endpoint: an explicit {@link #withEndpoint}, else {@code AWS_ENDPOINT_URL_S3}, else {@code
 *       AWS_ENDPOINT_URL} (both ignored when {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true}),
 *       else AWS S3 itself;
 *   <li>region: {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, else the profile's {@code
 *       region}, else {@code us-east-1};
 *   <li>credentials: {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} (with {@code
 *       AWS_SESSION_TOKEN}), else the SDK's default chain with the profile {@code AWS_PROFILE}
 *       (default {@code default}) from {@code AWS_CONFIG_FILE} and {@code
 *       AWS_SHARED_CREDENTIALS_FILE} (defaults under {@code ~/.aws});
 *   <li>path-style addressing ({@code http://host/bucket/key}) when an endpoint is set, since
 *       MinIO, Ceph and s3proxy need it; virtual hosts on AWS; {@link #withPathStyle} forces
 *       either;
 *   <li>checksums: {@code AWS_REQUEST_CHECKSUM_CALCULATION} and {@code
 *       AWS_RESPONSE_CHECKSUM_VALIDATION} ({@code when_supported} or {@code when_required}); by
 *       default only when required on other endpoints than AWS, as not all of them check the
 *       checksums the SDK sends (s3proxy refuses multipart uploads with them).
 * </ul>
 *
 * Resolution reads a map, not the process environment, so that it can be tested; {@link
 * #fromEnvironment()} passes the real one.
 */
public final class S3Settings {
  public static final String DEFAULT_REGION = "us-east-1";

  /** The most keys one ListObjectsV2 call returns. */
  public static final int MAX_LIST_PAGE_SIZE = 1000;

  private final Optional<URI> endpoint;
  private final String region;
  private final Optional<Boolean> forcedPathStyle;
  private final S3Credentials credentials;
  private final Optional<RequestChecksumCalculation> requestChecksums;
  private final Optional<ResponseChecksumValidation> responseChecksums;
  private final int listPageSize;

  private S3Settings(
      Optional<URI> endpoint,
      String region,
      Optional<Boolean> forcedPathStyle,
      S3Credentials credentials,
      Optional<RequestChecksumCalculation> requestChecksums,
      Optional<ResponseChecksumValidation> responseChecksums,
      int listPageSize) {
    this.endpoint = endpoint;
    this.region = region;
    this.forcedPathStyle = forcedPathStyle;
    this.credentials = credentials;
    this.requestChecksums = requestChecksums;
    this.responseChecksums = responseChecksums;
    this.listPageSize = listPageSize;
  }

  /** The settings this process's environment gives. */
  public static S3Settings fromEnvironment() throws ObjectStoreException {
    return fromEnvironment(System.getenv());
  }

  /** The settings {@code env}, a map of environment variables, gives. */
  public static S3Settings fromEnvironment(Map<String, String> env) throws ObjectStoreException {
    Environment vars = new Environment(env);
    String profile = vars.get("AWS_PROFILE").orElse("default");
    Path awsDirectory =
        vars.get("HOME")
            .map(Path::of)
            .orElse(Path.of(System.getProperty("user.home")))
            .resolve(".aws");
    Path configFile =
        vars.get("AWS_CONFIG_FILE").map(Path::of).orElse(awsDirectory.resolve("config"));
    Path credentialsFile =
        vars.get("AWS_SHARED_CREDENTIALS_FILE")
            .map(Path::of)
            .orElse(awsDirectory.resolve("credentials"));

    Optional<URI> endpoint = Optional.empty();
    if (!vars.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").orElse("").equalsIgnoreCase("true")) {
      Optional<String> variable =
          vars.has("AWS_ENDPOINT_URL_S3")
              ? Optional.of("AWS_ENDPOINT_URL_S3")
              : vars.has("AWS_ENDPOINT_URL") ? Optional.of("AWS_ENDPOINT_URL") : Optional.empty();
      if (variable.isPresent()) {
        endpoint = Optional.of(endpointUri(vars.get(variable.get()).orElseThrow(), variable.get()));
      }
    }

    String region =
        vars.get("AWS_REGION")
            .or(() -> vars.get("AWS_DEFAULT_REGION"))
            .or(() -> profileRegion(configFile, profile))
            .orElse(DEFAULT_REGION);

    S3Credentials credentials;
    if (vars.has("AWS_ACCESS_KEY_ID") && vars.has("AWS_SECRET_ACCESS_KEY")) {
      credentials =
          new S3Credentials.Keys(
              vars.get("AWS_ACCESS_KEY_ID").orElseThrow(),
              vars.get("AWS_SECRET_ACCESS_KEY").orElseThrow(),
              vars.get("AWS_SESSION_TOKEN"));
    } else {
      credentials = new S3Credentials.DefaultChain(profile, configFile, credentialsFile);
    }

    return new S3Settings(
        endpoint,
        region,
        Optional.empty(),
        credentials,
        checksumSetting(vars, "AWS_REQUEST_CHECKSUM_CALCULATION")
            .map(RequestChecksumCalculation::valueOf),
        checksumSetting(vars, "AWS_RESPONSE_CHECKSUM_VALIDATION")
            .map(ResponseChecksumValidation::valueOf),
        MAX_LIST_PAGE_SIZE);
  }

  /** These settings with the endpoint a user gave on the command line ({@code --endpoint}). */
  public S3Settings withEndpoint(String url) throws ObjectStoreException {
    return withEndpoint(endpointUri(url, "the endpoint"));
  }

  /** These settings with this endpoint (an http or https URL). */
  public S3Settings withEndpoint(URI url) {
    return new S3Settings(
        Optional.of(url),
        region,
        forcedPathStyle,
        credentials,
        requestChecksums,
        responseChecksums,
        listPageSize);
  }

  /** These settings with path-style addressing on or off, whatever the endpoint. */
  public S3Settings withPathStyle(boolean pathStyle) {
    return new S3Settings(
        endpoint,
        region,
        Optional.of(pathStyle),
        credentials,
        requestChecksums,
        responseChecksums,
        listPageSize);
  }

  /** These settings in another region. */
  public S3Settings withRegion(String region) {
    return new S3Settings(
        endpoint,
        region,
        forcedPathStyle,
        credentials,
        requestChecksums,
        responseChecksums,
        listPageSize);
  }

  /** These settings with other credentials. */
  public S3Settings withCredentials(S3Credentials credentials) {
    return new S3Settings(
        endpoint,
        region,
        forcedPathStyle,
        credentials,
        requestChecksums,
        responseChecksums,
        listPageSize);
  }

  /**
   * These settings listing at most {@code keys} keys per request (S3's own limit is 1000); tests
   * use small pages to page through few objects.
   */
  public S3Settings withListPageSize(int keys) {
    if (keys < 1 || keys > MAX_LIST_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "a list page holds 1 to " + MAX_LIST_PAGE_SIZE + " keys, not " + keys);
    }
    return new S3Settings(
        endpoint, region, forcedPathStyle, credentials, requestChecksums, responseChecksums, keys);
  }

  /** The endpoint other than AWS S3's own, if any. */
  public Optional<URI> endpoint() {
    return endpoint;
  }

  public String region() {
    return region;
  }

  /** Whether buckets are addressed in the path rather than as virtual hosts. */
  public boolean pathStyle() {
    return forcedPathStyle.orElse(endpoint.isPresent());
  }

  public S3Credentials credentials() {
    return credentials;
  }

  public RequestChecksumCalculation requestChecksumCalculation() {
    return requestChecksums.orElse(
        endpoint.isPresent()
            ? RequestChecksumCalculation.WHEN_REQUIRED
            : RequestChecksumCalculation.WHEN_SUPPORTED);
  }

  public ResponseChecksumValidation responseChecksumValidation() {
    return responseChecksums.orElse(
        endpoint.isPresent()
            ? ResponseChecksumValidation.WHEN_REQUIRED
            : ResponseChecksumValidation.WHEN_SUPPORTED);
  }

  public int listPageSize() {
    return listPageSize;
  }

  /** The endpoint as messages name it: its URL, or AWS S3 and the region. */
  public String endpointDescription() {
    return endpoint.map(URI::toString).orElse("AWS S3 (" + region + ")");
  }

  @Override
  public String toString() {
    return endpointDescription()
        + ", region "
        + region
        + (pathStyle() ? ", path-style" : ", virtual-hosted")
        + ", "
        + credentials;
  }

  private static URI endpointUri(String url, String source) throws ObjectStoreException {
    String advice =
        source
            + " '"
            + url
            + "' is not an http:// or https:// URL; give one such as http://127.0.0.1:8333";
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new ObjectStoreException(advice, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new ObjectStoreException(advice);
    }
    return uri;
  }

  private static Optional<String> checksumSetting(Environment vars, String name)
      throws ObjectStoreException {
    Optional<String> value = vars.get(name).map(v -> v.toUpperCase(Locale.ROOT));
    if (value.isPresent()
        && !value.get().equals("WHEN_SUPPORTED")
        && !value.get().equals("WHEN_REQUIRED")) {
      throw new ObjectStoreException(
          name + " is '" + vars.get(name).get() + "'; set it to when_supported or when_required");
    }
    return value;
  }

  private static Optional<String> profileRegion(Path configFile, String profile) {
    if (!Files.isReadable(configFile)) {
      return Optional.empty();
    }
    try {
      return ProfileFile.builder()
          .content(configFile)
          .type(ProfileFile.Type.CONFIGURATION)
          .build()
          .profile(profile)
          .flatMap(p -> p.property("region"))
          .filter(r -> !r.isBlank());
    } catch (RuntimeException e) {
      // A config file the SDK cannot parse gives no region here; the credential chain reports it.
      return Optional.empty();
    }
  }

  /** Environment variables, an empty value counting as unset (as for the AWS CLI). */
  private record Environment(Map<String, String> env) {
    Optional<String> get(String name) {
      return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    boolean has(String name) {
      return get(name).isPresent();
    }
  }
}

package dev.cryo.repository.s3;

import dev.cryo.repository.ObjectStoreException;
import java.util.regex.Pattern;

/**
 * A bucket and a key prefix in it, as a user writes them: {@code s3://bucket} or {@code
 * s3://bucket/some/prefix}. The prefix is kept with a trailing {@code /} (or empty), so that the
 * store's keys are {@code prefix + key}.
 */
public record S3Location(String bucket, String prefix) {
  private static final String SCHEME = "s3://";
  // S3's rules for new buckets: 3 to 63 lowercase letters, digits, dots and hyphens, a letter or
  // digit at each end.
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

  public S3Location {
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
  }

  /** Parses {@code s3://BUCKET[/PREFIX]}, checking the bucket name. */
  public static S3Location parse(String location) throws ObjectStoreException {
    if (!location.startsWith(SCHEME)) {
      throw new ObjectStoreException(
          "'"
              + location
              + "' is not an S3 location; write it as s3://BUCKET or s3://BUCKET/PREFIX");
    }
    String rest = location.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    checkBucket(bucket, location);
    if (prefix.startsWith("/") || prefix.contains("//")) {
      throw new ObjectStoreException(
          "the prefix in "
              + location
              + " has an empty part ('//'); write it as s3://BUCKET/PART/PART");
    }
    return new S3Location(bucket, prefix);
  }

  /** The full key of the store's {@code key}. */
  public String keyOf(String key) {
    return prefix + key;
  }

  /** The store's key of a full key that starts with the prefix. */
  public String relative(String fullKey) {
    return fullKey.substring(prefix.length());
  }

  /** {@code s3://bucket/prefix}, without a trailing slash. */
  @Override
  public String toString() {
    return prefix.isEmpty()
        ? SCHEME + bucket
        : SCHEME + bucket + "/" + prefix.substring(0, prefix.length() - 1);
  }

  private static void checkBucket(String bucket, String location) throws ObjectStoreException {
    String problem = null;
    if (bucket.isEmpty()) {
      problem = "names no bucket";
    } else if (!BUCKET.matcher(bucket).matches()
        || bucket.contains("..")
        || IP_ADDRESS.matcher(bucket).matches()) {
      problem = "has an invalid bucket name '" + bucket + "'";
    }
    if (problem != null) {
      throw new ObjectStoreException(
          location
              + " "
              + problem
              + "; a bucket name is 3 to 63 lowercase letters, digits, dots and hyphens, beginning"
              + " and ending with a letter or digit");
    }
  }
}

package dev.cryo.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.repository.ObjectStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3LocationTest {
  @Test
  void aBucketAloneHasAnEmptyPrefix() throws Exception {
    S3Location location = S3Location.parse("s3://cryo-backups");

    assertThat(location.bucket()).isEqualTo("cryo-backups");
    assertThat(location.prefix()).isEmpty();
    assertThat(location.keyOf("config")).isEqualTo("config");
    assertThat(location).hasToString("s3://cryo-backups");
  }

  @Test
  void aTrailingSlashAfterTheBucketIsNoPrefix() throws Exception {
    S3Location location = S3Location.parse("s3://cryo-backups/");

    assertThat(location.prefix()).isEmpty();
    assertThat(location).hasToString("s3://cryo-backups");
  }

  @Test
  void thePrefixIsKeptWithOneTrailingSlash() throws Exception {
    S3Location location = S3Location.parse("s3://cryo-backups/hosts/web-1");

    assertThat(location.bucket()).isEqualTo("cryo-backups");
    assertThat(location.prefix()).isEqualTo("hosts/web-1/");
    assertThat(location.keyOf("chunks/ab/abcd")).isEqualTo("hosts/web-1/chunks/ab/abcd");
    assertThat(location.relative("hosts/web-1/chunks/ab/abcd")).isEqualTo("chunks/ab/abcd");
    assertThat(location).hasToString("s3://cryo-backups/hosts/web-1");
    assertThat(S3Location.parse("s3://cryo-backups/hosts/web-1/"))
        .as("the same location written with a trailing slash")
        .isEqualTo(location);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "my.bucket-1", "0123456789", "a-b"})
  void validBucketNamesAreAccepted(String bucket) throws Exception {
    assertThat(S3Location.parse("s3://" + bucket + "/x").bucket()).isEqualTo(bucket);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ab",
        "My-Bucket",
        "under_score",
        "-leading-hyphen",
        "trailing-hyphen-",
        "two..dots",
        "192.168.0.1",
        "a23456789012345678901234567890123456789012345678901234567890abcd"
      })
  void invalidBucketNamesAreRefusedWithTheRules(String bucket) {
    assertThatThrownBy(() -> S3Location.parse("s3://" + bucket + "/x"))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessage(
            "s3://"
                + bucket
                + "/x has an invalid bucket name '"
                + bucket
                + "'; a bucket name is 3 to 63 lowercase letters, digits, dots and hyphens,"
                + " beginning and ending with a letter or digit");
  }

  @Test
  void aLocationWithoutBucketIsRefused() {
    assertThatThrownBy(() -> S3Location.parse("s3:///prefix"))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageStartingWith("s3:///prefix names no bucket;");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cryo-backups", "/srv/cryo", "http://s3.example.test/bucket", "S3://x"})
  void aLocationThatIsNotS3IsRefusedWithItsForm(String location) {
    assertThatThrownBy(() -> S3Location.parse(location))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessage(
            "'"
                + location
                + "' is not an S3 location; write it as s3://BUCKET or s3://BUCKET/PREFIX");
  }

  @Test
  void aPrefixWithAnEmptyPartIsRefused() {
    assertThatThrownBy(() -> S3Location.parse("s3://cryo-backups/a//b"))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("empty part");
  }
}

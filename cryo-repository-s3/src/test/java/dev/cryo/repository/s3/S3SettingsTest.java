package dev.cryo.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.repository.ObjectStoreException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;

class S3SettingsTest {
  @TempDir Path home;

  private Map<String, String> env(String... namesAndValues) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return env;
  }

  @Test
  void withNothingSetItIsAwsS3InUsEast1WithVirtualHostsAndTheDefaultProfile() throws Exception {
    S3Settings settings = S3Settings.fromEnvironment(env());

    assertThat(settings.endpoint()).as("no endpoint override").isEmpty();
    assertThat(settings.region()).isEqualTo("us-east-1");
    assertThat(settings.pathStyle()).as("virtual-hosted addressing on AWS").isFalse();
    assertThat(settings.credentials())
        .isEqualTo(
            new S3Credentials.DefaultChain(
                "default", home.resolve(".aws/config"), home.resolve(".aws/credentials")));
    assertThat(settings.requestChecksumCalculation())
        .isEqualTo(RequestChecksumCalculation.WHEN_SUPPORTED);
    assertThat(settings.listPageSize()).isEqualTo(1000);
    assertThat(settings.endpointDescription()).isEqualTo("AWS S3 (us-east-1)");
  }

  @Test
  void theS3EndpointVariableWinsOverTheGeneralOne() throws Exception {
    S3Settings settings =
        S3Settings.fromEnvironment(
            env(
                "AWS_ENDPOINT_URL", "http://127.0.0.1:1111",
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:2222"));

    assertThat(settings.endpoint()).contains(URI.create("http://127.0.0.1:2222"));
  }

  @Test
  void theGeneralEndpointVariableServesWhenThereIsNoS3One() throws Exception {
    S3Settings settings =
        S3Settings.fromEnvironment(env("AWS_ENDPOINT_URL", "http://127.0.0.1:1111"));

    assertThat(settings.endpoint()).contains(URI.create("http://127.0.0.1:1111"));
  }

  @Test
  void anExplicitEndpointWinsOverTheEnvironment() throws Exception {
    S3Settings settings =
        S3Settings.fromEnvironment(env("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:2222"))
            .withEndpoint("https://s3.example.test:9000");

    assertThat(settings.endpoint()).contains(URI.create("https://s3.example.test:9000"));
  }

  @Test
  void configuredEndpointsAreIgnoredWhenTheCliIsToldToIgnoreThem() throws Exception {
    S3Settings settings =
        S3Settings.fromEnvironment(
            env(
                "AWS_ENDPOINT_URL", "http://127.0.0.1:1111",
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));

    assertThat(settings.endpoint()).isEmpty();
  }

  @Test
  void anEmptyVariableCountsAsUnset() throws Exception {
    S3Settings settings =
        S3Settings.fromEnvironment(
            env("AWS_ENDPOINT_URL_S3", "", "AWS_ENDPOINT_URL", "http://127.0.0.1:1111"));

    assertThat(settings.endpoint()).contains(URI.create("http://127.0.0.1:1111"));
  }

  @Test
  void anEndpointThatIsNotAnHttpUrlIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> S3Settings.fromEnvironment(env("AWS_ENDPOINT_URL", "127.0.0.1:8333")))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining(
            "AWS_ENDPOINT_URL '127.0.0.1:8333' is not an http:// or https:// URL");
  }

  @Test
  void aCustomEndpointTurnsOnPathStyleAndChecksumsOnlyWhenRequired() throws Exception {
    S3Settings settings =
        S3Settings.fromEnvironment(env("AWS_ENDPOINT_URL", "http://127.0.0.1:8333"));

    assertThat(settings.pathStyle()).as("path-style for MinIO, Ceph, s3proxy").isTrue();
    assertThat(settings.requestChecksumCalculation())
        .isEqualTo(RequestChecksumCalculation.WHEN_REQUIRED);
    assertThat(settings.responseChecksumValidation())
        .isEqualTo(ResponseChecksumValidation.WHEN_REQUIRED);
  }

  @Test
  void pathStyleCanBeForcedEitherWay() throws Exception {
    S3Settings custom =
        S3Settings.fromEnvironment(env("AWS_ENDPOINT_URL", "http://127.0.0.1:8333"));
    S3Settings aws = S3Settings.fromEnvironment(env());

    assertThat(custom.withPathStyle(false).pathStyle()).as("forced off").isFalse();
    assertThat(aws.withPathStyle(true).pathStyle()).as("forced on").isTrue();
    assertThat(aws.withPathStyle(false).withEndpoint(URI.create("http://127.0.0.1:1")).pathStyle())
        .as("still forced off after an endpoint is set")
        .isFalse();
  }

  @Test
  void checksumVariablesOverrideTheDefaultsAsForTheCli() throws Exception {
    S3Settings settings =
        S3Settings.fromEnvironment(
            env(
                "AWS_ENDPOINT_URL", "http://127.0.0.1:8333",
                "AWS_REQUEST_CHECKSUM_CALCULATION", "when_supported",
                "AWS_RESPONSE_CHECKSUM_VALIDATION", "WHEN_SUPPORTED"));

    assertThat(settings.requestChecksumCalculation())
        .isEqualTo(RequestChecksumCalculation.WHEN_SUPPORTED);
    assertThat(settings.responseChecksumValidation())
        .isEqualTo(ResponseChecksumValidation.WHEN_SUPPORTED);
  }

  @Test
  void anUnknownChecksumSettingIsRefused() {
    assertThatThrownBy(
            () -> S3Settings.fromEnvironment(env("AWS_REQUEST_CHECKSUM_CALCULATION", "always")))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessage(
            "AWS_REQUEST_CHECKSUM_CALCULATION is 'always'; set it to when_supported or when_required");
  }

  @Test
  void awsRegionWinsOverAwsDefaultRegion() throws Exception {
    S3Settings settings =
        S3Settings.fromEnvironment(
            env("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "eu-central-1"));

    assertThat(settings.region()).isEqualTo("eu-west-1");
  }

  @Test
  void awsDefaultRegionWinsOverTheProfile() throws Exception {
    writeConfig("[default]\nregion = ap-south-1\n");

    S3Settings settings = S3Settings.fromEnvironment(env("AWS_DEFAULT_REGION", "eu-central-1"));

    assertThat(settings.region()).isEqualTo("eu-central-1");
  }

  @Test
  void theRegionComesFromTheProfileAwsProfileNames() throws Exception {
    writeConfig("[default]\nregion = ap-south-1\n\n[profile backup]\nregion = eu-north-1\n");

    assertThat(S3Settings.fromEnvironment(env()).region())
        .as("the default profile's region")
        .isEqualTo("ap-south-1");
    assertThat(S3Settings.fromEnvironment(env("AWS_PROFILE", "backup")).region())
        .as("the named profile's region")
        .isEqualTo("eu-north-1");
  }

  @Test
  void theConfigFileCanBeElsewhere() throws Exception {
    Path config = home.resolve("other-config");
    Files.writeString(config, "[default]\nregion = sa-east-1\n");

    S3Settings settings = S3Settings.fromEnvironment(env("AWS_CONFIG_FILE", config.toString()));

    assertThat(settings.region()).isEqualTo("sa-east-1");
  }

  @Test
  void aProfileWithoutRegionLeavesUsEast1() throws Exception {
    writeConfig("[profile backup]\noutput = json\n");

    assertThat(S3Settings.fromEnvironment(env("AWS_PROFILE", "backup")).region())
        .isEqualTo("us-east-1");
  }

  @Test
  void keysInTheEnvironmentAreUsedWithTheSessionToken() throws Exception {
    S3Settings settings =
        S3Settings.fromEnvironment(
            env(
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "secret-value",
                "AWS_SESSION_TOKEN", "token-value",
                "AWS_PROFILE", "backup"));

    assertThat(settings.credentials())
        .as("keys in the environment win over AWS_PROFILE, as for the CLI")
        .isEqualTo(
            new S3Credentials.Keys("AKIDEXAMPLE", "secret-value", Optional.of("token-value")));
  }

  @Test
  void withoutKeysTheDefaultChainReadsTheNamedProfileFromTheNamedFiles() throws Exception {
    S3Settings settings =
        S3Settings.fromEnvironment(
            env(
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
                "AWS_PROFILE", "backup",
                "AWS_CONFIG_FILE", "/etc/aws/config",
                "AWS_SHARED_CREDENTIALS_FILE", "/etc/aws/credentials"));

    assertThat(settings.credentials())
        .as("an access key without its secret is not enough: the chain decides")
        .isEqualTo(
            new S3Credentials.DefaultChain(
                "backup", Path.of("/etc/aws/config"), Path.of("/etc/aws/credentials")));
  }

  @Test
  void noDescriptionShowsTheSecretKeyOrTheSessionToken() throws Exception {
    S3Settings settings =
        S3Settings.fromEnvironment(
            env(
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "secret-value",
                "AWS_SESSION_TOKEN", "token-value"));

    assertThat(settings.toString())
        .as("settings as logged")
        .contains("AKIDEXAMPLE")
        .doesNotContain("secret-value")
        .doesNotContain("token-value");
    assertThat(settings.credentials().toString())
        .doesNotContain("secret-value")
        .doesNotContain("token-value");
  }

  @Test
  void theListPageSizeIsBetweenOneAndS3sLimit() throws Exception {
    S3Settings settings = S3Settings.fromEnvironment(env());

    assertThat(settings.withListPageSize(2).listPageSize()).isEqualTo(2);
    assertThatThrownBy(() -> settings.withListPageSize(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> settings.withListPageSize(1001))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void writeConfig(String text) throws Exception {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/config"), text);
  }
}

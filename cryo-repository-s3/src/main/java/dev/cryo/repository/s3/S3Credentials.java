package dev.cryo.repository.s3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Where an S3 client finds its credentials: keys given outright (from the environment, or by a
 * test), or the SDK's default chain with the profile the environment names. Nothing here prints a
 * secret.
 */
public sealed interface S3Credentials {
  /** A provider for the SDK client. */
  AwsCredentialsProvider provider();

  /** An access key and its secret, and the session token of temporary credentials. */
  record Keys(String accessKeyId, String secretAccessKey, Optional<String> sessionToken)
      implements S3Credentials {
    public Keys(String accessKeyId, String secretAccessKey) {
      this(accessKeyId, secretAccessKey, Optional.empty());
    }

    @Override
    public AwsCredentialsProvider provider() {
      AwsCredentials credentials =
          sessionToken.isPresent()
              ? AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken.get())
              : AwsBasicCredentials.create(accessKeyId, secretAccessKey);
      return StaticCredentialsProvider.create(credentials);
    }

    @Override
    public String toString() {
      return "access key " + accessKeyId + (sessionToken.isPresent() ? " with a session" : "");
    }
  }

  /**
   * The SDK's default chain (system properties, environment, web identity, profile files, container
   * and instance metadata), reading the profile files the environment names.
   */
  record DefaultChain(String profile, Path configFile, Path credentialsFile)
      implements S3Credentials {
    @Override
    public AwsCredentialsProvider provider() {
      ProfileFile.Aggregator files = ProfileFile.aggregator();
      if (Files.isReadable(configFile)) {
        files.addFile(
            ProfileFile.builder().content(configFile).type(ProfileFile.Type.CONFIGURATION).build());
      }
      if (Files.isReadable(credentialsFile)) {
        files.addFile(
            ProfileFile.builder()
                .content(credentialsFile)
                .type(ProfileFile.Type.CREDENTIALS)
                .build());
      }
      ProfileFile profiles = files.build();
      return DefaultCredentialsProvider.builder()
          .profileName(profile)
          .profileFile(() -> profiles)
          .build();
    }

    @Override
    public String toString() {
      return "the default credential chain with profile " + profile;
    }
  }
}

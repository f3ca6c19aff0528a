package dev.cryo.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of every command that reaches a remote repository. */
final class RemoteOptions {
  @Option(
      names = "--key",
      paramLabel = "FILE",
      description =
          "The repository's key file (default: ~/.config/cryo/keys/, named after the repository). "
              + "Whoever has it can read every checkpoint in the repository; without it, none can"
              + " be read.")
  Path keyFile;

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description =
          "The S3 endpoint, for storage other than AWS (MinIO, Ceph, Garage, s3proxy); default: "
              + "$AWS_ENDPOINT_URL_S3, else $AWS_ENDPOINT_URL, else AWS.")
  String endpoint;
}

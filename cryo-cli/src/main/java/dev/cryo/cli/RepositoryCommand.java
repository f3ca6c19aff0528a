package dev.cryo.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** A command about a whole remote repository, which the command line names first. */
abstract class RepositoryCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "REMOTE",
      description = "s3://BUCKET/PREFIX or a directory.")
  String remote;

  @Mixin RemoteOptions options;
}

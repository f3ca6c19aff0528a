package dev.cryo.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** A command that moves one checkpoint between the image store and a remote repository. */
abstract class TransferCommand implements Callable<Integer> {
  @ParentCommand CryoCommand cryo;

  @Parameters(index = "0", paramLabel = "NAME|ID", description = "The checkpoint, by name or id.")
  String reference;

  @Parameters(
      index = "1",
      paramLabel = "REMOTE",
      description = "s3://BUCKET/PREFIX or a directory.")
  String remote;

  @Mixin RemoteOptions options;
}

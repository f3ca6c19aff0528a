package dev.cryo.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** A command about one checkpoint of the image store, which the command line names. */
abstract class CheckpointReferenceCommand implements Callable<Integer> {
  @ParentCommand CryoCommand cryo;

  @Parameters(index = "0", paramLabel = "NAME|ID", description = "The checkpoint, by name or id.")
  String reference;
}

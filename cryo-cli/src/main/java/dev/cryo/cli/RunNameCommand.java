package dev.cryo.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** A command about one supervised program, which the command line names. */
abstract class RunNameCommand implements Callable<Integer> {
  @ParentCommand CryoCommand cryo;

  @Parameters(index = "0", paramLabel = "NAME", description = "The supervised program's name.")
  String name;
}

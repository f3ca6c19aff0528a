package dev.cryo.cli;

import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.images.ImageStore;
import dev.cryo.images.StoredCheckpoint;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code cryo list}: the checkpoints in the store. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the checkpoints in the image store.")
final class ListCommand implements Callable<Integer> {
  @ParentCommand CryoCommand cryo;

  @Override
  public Integer call() throws Exception {
    ImageStore store = cryo.readableStore();
    List<StoredCheckpoint> all = store.list();
    PrintWriter out = cryo.spec.commandLine().getOut();
    String format = "%-22s  %-20s  %-20s  %7s  %-16s  %10s%n";
    out.printf(format, "ID", "NAME", "CREATED", "PID", "COMMAND", "SIZE");
    for (StoredCheckpoint c : all) {
      var m = c.manifest();
      List<String> command = m.source().command();
      String program =
          command.isEmpty() ? "?" : command.get(0).substring(command.get(0).lastIndexOf('/') + 1);
      out.printf(
          format,
          m.id(),
          m.name() == null ? "-" : m.name(),
          m.createdAt().replaceFirst("\\.\\d+Z$", "Z"),
          m.source().pid(),
          truncate(program, 16),
          HumanUnits.bytes(m.imageBytes()));
    }
    for (var kept : store.unpublished()) {
      cryo.spec
          .commandLine()
          .getErr()
          .println(
              "note: images of a checkpoint that could not be published are kept in "
                  + kept
                  + " (its process ended after the dump)");
    }
    return ExitCode.OK.code();
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "~";
  }
}

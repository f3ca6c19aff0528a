package dev.cryo.cli;

import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.images.ImageStore;
import dev.cryo.images.Manifest;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.repository.RemoteRepository;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cryo list}: the checkpoints in the store. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List the checkpoints in the image store, or in a remote repository.",
      "A remote checkpoint whose manifest is damaged is listed with the problem."
    })
final class ListCommand implements Callable<Integer> {
  private static final String FORMAT = "%-22s  %-20s  %-20s  %7s  %-16s  %10s%n";

  @ParentCommand CryoCommand cryo;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "REMOTE",
      description = "A remote repository (s3://BUCKET/PREFIX or a directory) instead of the store.")
  String remote;

  @Mixin RemoteOptions options;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = cryo.spec.commandLine().getOut();
    if (remote != null) {
      return listRemote(out);
    }
    ImageStore store = cryo.readableStore();
    out.printf(FORMAT, "ID", "NAME", "CREATED", "PID", "COMMAND", "SIZE");
    for (StoredCheckpoint c : store.list()) {
      print(out, c.manifest());
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

  private int listRemote(PrintWriter out) throws Exception {
    RemoteRepository repository = Remotes.open(remote, options);
    out.printf(FORMAT, "ID", "NAME", "CREATED", "PID", "COMMAND", "SIZE");
    for (RemoteRepository.Entry entry : repository.entries()) {
      if (entry.readable()) {
        print(out, entry.manifest());
      } else {
        out.printf("%-22s  unreadable: %s%n", entry.id(), entry.problem());
      }
    }
    return ExitCode.OK.code();
  }

  private static void print(PrintWriter out, Manifest m) {
    List<String> command = m.source().command();
    String program =
        command.isEmpty() ? "?" : command.get(0).substring(command.get(0).lastIndexOf('/') + 1);
    out.printf(
        FORMAT,
        m.id(),
        m.name() == null ? "-" : m.name(),
        m.createdAt().replaceFirst("\\.\\d+Z$", "Z"),
        m.source().pid(),
        truncate(program, 16),
        HumanUnits.bytes(m.imageBytes()));
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "~";
  }
}

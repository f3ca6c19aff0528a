package dev.cryo.cli;

import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.ImageStore;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code cryo verify}: checks a checkpoint's files against its manifest. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a checkpoint's files against its manifest.",
      "Every file's size and CRC32C are compared with those recorded when it was taken.",
      "Prints each problem found; exits 4 if there is any."
    })
final class VerifyCommand extends CheckpointReferenceCommand {
  @Override
  public Integer call() throws Exception {
    ImageStore store = cryo.readableStore();
    var cp = store.resolve(reference);
    List<String> problems = store.verify(cp);
    PrintWriter out = cryo.spec.commandLine().getOut();
    if (problems.isEmpty()) {
      out.printf(
          "%s: intact (%d files, %s)%n",
          cp.label(), cp.manifest().files().size(), HumanUnits.bytes(cp.manifest().imageBytes()));
      return ExitCode.OK.code();
    }
    problems.forEach(p -> out.println(cp.label() + ": " + p));
    out.flush();
    throw new CorruptCheckpointException(cp.label(), problems);
  }
}

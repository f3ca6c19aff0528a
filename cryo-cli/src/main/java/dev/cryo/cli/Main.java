package dev.cryo.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code cryo} command. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line and returns its exit code; used by tests too. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(new CryoCommand(), args, out, err);
  }

  static int run(CryoCommand root, String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> Failure.of(e).exitCode().code());
    cli.setParameterExceptionHandler((ex, arguments) -> {
      CommandLine cmd = ex.getCommandLine();
      cmd.getErr().println("cryo: " + ex.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
      return ExitCode.USAGE.code();
    });
    cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      Failure failure = Failure.of(ex);
      PrintWriter e = cmd.getErr();
      e.println("cryo: " + failure.message());
      if (root.verbose) {
        failure.details().forEach(line -> e.println("  criu: " + line));
        ex.printStackTrace(e);
      }
      e.flush();
      return failure.exitCode().code();
    });
    return cli.execute(args);
  }
}

package dev.cryo.cli;

import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine;

/** Entry point of the {@code cryo} command. */
public final class Main {
  private static final Set<String> HELP_OR_VERSION = Set.of("-h", "--help", "-V", "--version");

  private Main() {}

  public static void main(String[] args) {
    StartupWarmUp.start();
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * The subcommand a command line names: its first argument that is neither an option of the root
   * command nor an option's value, if that is a subcommand's name; null otherwise (no subcommand, a
   * typo, help or the version asked for first), when every subcommand is registered.
   */
  static String subcommandNamed(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (HELP_OR_VERSION.contains(arg)) {
        return null;
      }
      if (arg.equals("--store")) {
        i++;
        if (i < args.length && CryoCommand.SUBCOMMANDS.containsKey(args[i])) {
          // picocli takes a command's name for a command, not for the store: keep its answer.
          return null;
        }
      } else if (!arg.startsWith("-")) {
        return CryoCommand.SUBCOMMANDS.containsKey(arg) ? arg : null;
      }
    }
    return null;
  }

  /** Runs one command line and returns its exit code; used by tests too. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(new CryoCommand(), args, out, err);
  }

  static int run(CryoCommand root, String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(root);
    String named = subcommandNamed(args);
    CryoCommand.SUBCOMMANDS.forEach(
        (name, command) -> {
          if (named == null || named.equals(name)) {
            cli.addSubcommand(name, command.get());
          }
        });
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> Failure.of(e).exitCode().code());
    cli.setParameterExceptionHandler(
        (ex, arguments) -> {
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr()
              .println(
                  "cryo: "
                      + ex.getMessage()
                      + " (see '"
                      + cmd.getCommandSpec().qualifiedName()
                      + " --help')");
          return ExitCode.USAGE.code();
        });
    cli.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
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

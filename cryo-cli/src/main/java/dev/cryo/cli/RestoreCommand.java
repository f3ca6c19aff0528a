package dev.cryo.cli;

import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.checkpoint.RestoreOptions;
import dev.cryo.checkpoint.RestoreResult;
import dev.cryo.checkpoint.Standby;
import dev.cryo.checkpoint.StandbyRecords;
import dev.cryo.images.ImageStore;
import dev.cryo.images.Manifest;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.repository.RemoteRepository;
import dev.cryo.supervisor.RunDirectory;
import dev.cryo.supervisor.RunNotFoundException;
import dev.cryo.supervisor.RunSpec;
import dev.cryo.supervisor.RunState;
import dev.cryo.supervisor.Runs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code cryo restore}: brings a checkpointed process tree back to life. */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restore a checkpoint by name or id, after verifying its images.",
      "REMOTE/NAME (s3://BUCKET/PREFIX/NAME, or DIR/NAME) pulls it from a remote repository first.",
      "The restored process runs detached; its PID is printed. The checkpoint is kept.",
      "With --as NAME it runs supervised, as 'cryo run' would, beside any other copy of the same checkpoint:",
      "each copy has its own PID namespace; give each its own port with -D."
    })
final class RestoreCommand extends CheckpointReferenceCommand {
  @Option(
      names = "--as",
      paramLabel = "NAME",
      description = "Run the restored program supervised under this name (see 'cryo run').")
  String as;

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description =
          "A system property the restored JVMs set before their resources hear of the restore "
              + "(for example -Dserver.port=8081); repeatable.")
  Map<String, String> properties = new LinkedHashMap<>();

  @Option(
      names = "--lazy-pages",
      description =
          "Start the restored processes before their memory is read in: each page is copied in on "
              + "its first touch, the rest in the background (userfaultfd; see 'cryo doctor').")
  boolean lazyPages;

  @Option(
      names = "--prepare",
      description = {
        "Restore it ahead of time as a standby, left stopped: 'cryo standby resume NAME' starts it",
        "in milliseconds. It holds the checkpoint's memory meanwhile (docs/restore-time.md)."
      })
  boolean prepare;

  @Mixin SupervisionOptions supervision;

  @Mixin RemoteOptions remoteOptions;

  @Override
  public Integer call() throws Exception {
    for (String key : properties.keySet()) {
      if (key.isBlank()) {
        throw new ParameterException(
            cryo.spec.commandLine().getSubcommands().get("restore"),
            "-D needs KEY=VALUE with a non-empty KEY");
      }
    }
    if (as != null) {
      if (lazyPages) {
        throw new ParameterException(
            cryo.spec.commandLine().getSubcommands().get("restore"),
            "--lazy-pages applies to a plain restore; a supervised program is restored with its memory in place");
      }
      return restoreSupervised();
    }
    if (prepare && (lazyPages || as != null)) {
      throw new ParameterException(
          cryo.spec.commandLine().getSubcommands().get("restore"),
          lazyPages
              ? "--prepare restores with the memory in place; drop --lazy-pages"
              : "--prepare makes a standby to resume by hand; a supervised copy keeps one with"
                  + " --standby instead");
    }
    var notices = cryo.spec.commandLine().getErr();
    ImageStore store = cryo.writableStore();
    StoredCheckpoint checkpoint = checkpoint(store);
    if (prepare) {
      return prepareStandby(store, checkpoint);
    }
    if (lazyPages && checkpoint.compressed()) {
      throw new ParameterException(
          cryo.spec.commandLine().getSubcommands().get("restore"),
          "--lazy-pages: checkpoint "
              + checkpoint.label()
              + " is compressed (cryo checkpoint --compress), and lazy pages are served from "
              + "uncompressed images; restore it without --lazy-pages");
    }
    requireOriginalNotRunning(cryo, checkpoint);
    RestoreResult result =
        cryo.service(store)
            .restore(
                checkpoint,
                new RestoreOptions(properties, null, false, Map.of(), lazyPages)
                    .withNetwork(networkOfItsRun(checkpoint)),
                n -> notices.println("cryo: " + n));
    cryo.spec.commandLine().getOut().println(result.pid());
    cryo.spec
        .commandLine()
        .getErr()
        .printf(
            "restored %s as PID %d: verify %s, restore %s%s%n",
            result.checkpoint().label(),
            result.pid(),
            HumanUnits.seconds(result.verifyTime()),
            HumanUnits.seconds(result.restoreTime()),
            criuAccount(result));
    return ExitCode.OK.code();
  }

  /**
   * {@code --prepare}: restores the checkpoint stopped, waits for its verification, and records it
   * for {@code cryo standby resume}.
   */
  private int prepareStandby(ImageStore store, StoredCheckpoint checkpoint) throws Exception {
    StandbyRecords records = StandbyRecords.of(store);
    Optional<StandbyRecords.StandbyRecord> existing = records.find(checkpoint.id());
    if (existing.isPresent() && existing.get().exists()) {
      throw new StandbyCommand.StandbyExistsException(checkpoint.label(), existing.get().pid());
    }
    var err = cryo.spec.commandLine().getErr();
    Standby standby =
        cryo.service(store)
            .prepare(
                checkpoint,
                new RestoreOptions(properties, null, false, Map.of(), false)
                    .withNetwork(networkOfItsRun(checkpoint)),
                n -> err.println("cryo: " + n));
    try {
      standby.requireVerified();
      records.save(standby, properties);
    } catch (Exception e) {
      standby.discard();
      throw e;
    }
    cryo.spec.commandLine().getOut().println(standby.pid());
    err.printf(
        "prepared a standby of %s as PID %d, stopped (CRIU %s); 'cryo standby resume %s' starts"
            + " it%n",
        checkpoint.label(),
        standby.pid(),
        HumanUnits.seconds(standby.restoreTime()),
        checkpoint.label());
    return ExitCode.OK.code();
  }

  /**
   * What CRIU says of its part, and that the verification ran beside it (a lazy restore's pages are
   * checked while the program runs).
   */
  private String criuAccount(RestoreResult result) {
    String beside = lazyPages ? "" : " (verified while CRIU restored it stopped)";
    if (result.criuStats() == null) {
      return beside;
    }
    return beside
        + "; CRIU: forking "
        + HumanUnits.seconds(result.criuStats().forking())
        + ", "
        + result.criuStats().pagesRestored()
        + " pages read in, "
        + HumanUnits.seconds(result.criuStats().restore())
        + " in all";
  }

  /**
   * The checkpoint to restore: in the store, or, for {@code REMOTE/CHECKPOINT}, pulled from that
   * repository into the store first, every object authenticated before CRIU reads any of it.
   */
  private StoredCheckpoint checkpoint(ImageStore store) throws Exception {
    if (!Remotes.isRemote(reference)) {
      return store.resolve(reference);
    }
    int slash = reference.lastIndexOf('/');
    String location = reference.substring(0, slash);
    String remoteReference = reference.substring(slash + 1);
    if (remoteReference.isEmpty() || location.isEmpty() || location.equals("s3:/")) {
      throw new ParameterException(
          cryo.spec.commandLine().getSubcommands().get("restore"),
          "name a remote checkpoint as REMOTE/NAME, such as s3://bucket/prefix/web, not "
              + reference);
    }
    RemoteRepository repository = Remotes.open(location, remoteOptions);
    TransferProgress progress = TransferProgress.on(cryo.spec.commandLine().getErr());
    RemoteRepository.Pulled pulled = repository.pull(remoteReference, store, progress);
    progress.finish(
        TransferProgress.pulled(
            pulled.checkpoint().label(), repository.location(), pulled.summary()));
    return pulled.checkpoint();
  }

  /**
   * A plain restore of a supervised program's checkpoint while that program runs would take its
   * control socket and write to its files: that is what {@code --as} is for.
   */
  static void requireOriginalNotRunning(CryoCommand cryo, StoredCheckpoint checkpoint)
      throws Exception {
    String run = checkpoint.manifest().source().run();
    if (run == null) {
      return;
    }
    try {
      Optional<RunState> state = cryo.runs().find(run).state();
      if (state.isPresent() && !state.get().status().isFinal()) {
        throw new OriginalRunningException(checkpoint.label(), run);
      }
    } catch (RunNotFoundException e) {
      // Its run is gone: nothing to collide with.
    }
  }

  /**
   * The network namespace of the run a checkpoint was taken of, if it ran in one a node made: its
   * sockets go back there. Null for others.
   */
  Path networkOfItsRun(StoredCheckpoint checkpoint) throws Exception {
    String run = checkpoint.manifest().source().run();
    if (run == null) {
      return null;
    }
    try {
      return cryo.runs().find(run).spec().networkNamespace().orElse(null);
    } catch (RunNotFoundException e) {
      return null;
    }
  }

  /** The program a checkpoint was taken of still runs under supervision. */
  static final class OriginalRunningException extends Exception {
    OriginalRunningException(String checkpoint, String run) {
      super(
          "checkpoint "
              + checkpoint
              + " is of "
              + run
              + ", which is running; restore a copy beside it with --as NAME"
              + " (and -D for its port), or 'cryo stop "
              + run
              + "' first");
    }
  }

  private int restoreSupervised() throws Exception {
    cryo.requireValid("restore", "--as", Runs.invalidNameReason(as));
    ImageStore store = cryo.writableStore();
    StoredCheckpoint checkpoint = checkpoint(store);
    store.requireIntact(checkpoint);
    cryo.criu();
    Manifest.Source source = checkpoint.manifest().source();
    // A cold start, if allowed, runs what the checkpointed run ran, from where it ran it.
    List<String> command = source.command();
    String workingDirectory = System.getProperty("user.dir");
    if (source.run() != null) {
      try {
        RunSpec original = cryo.runs().find(source.run()).spec();
        command = original.command();
        workingDirectory = original.workingDirectory();
      } catch (RunNotFoundException e) {
        // Its run is gone: the manifest's command line is all there is.
      }
    }
    RunSpec spec =
        supervision.toSpec(
            as, command, workingDirectory, checkpoint.id(), source.run(), properties);
    RunDirectory run = cryo.runs().create(spec);
    return RunCommand.report(
        cryo,
        run,
        SupervisorLaunch.startAndAwait(cryo.storeRoot(), run),
        "restored " + checkpoint.label());
  }
}

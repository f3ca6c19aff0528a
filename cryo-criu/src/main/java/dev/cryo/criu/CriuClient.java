package dev.cryo.criu;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.jna.LastErrorException;
import dev.cryo.criu.rpc.Features;
import dev.cryo.criu.rpc.InheritedFd;
import dev.cryo.criu.rpc.NetworkLockMethod;
import dev.cryo.criu.rpc.Options;
import dev.cryo.criu.rpc.Request;
import dev.cryo.criu.rpc.RequestType;
import dev.cryo.criu.rpc.Response;
import dev.cryo.linux.Executables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Talks to CRIU through its RPC interface: each call starts one {@code criu swrk} child, sends one
 * request, answers the notify hooks on the way, and reads the result. The RPC is preferred over
 * parsing command-line output because it reports errors and restored PIDs as data.
 */
public final class CriuClient {
  private final Path binary;
  private volatile CriuVersion installedVersion;

  /** The lazy-pages daemon's log, in its work directory. */
  public static final String LAZY_PAGES_LOG = "lazy-pages.log";

  public CriuClient(Path binary) {
    this.binary = binary;
  }

  /**
   * The {@code criu} on {@code searchPath} (a PATH-style list), checked to be recent enough.
   *
   * @throws CriuUnavailableException when it is missing or older than {@link CriuVersion#MINIMUM}
   */
  public static CriuClient locate(String searchPath) throws CriuUnavailableException {
    Path binary =
        findExecutable(searchPath)
            .orElseThrow(
                () ->
                    new CriuUnavailableException(
                        "criu is not installed (not found on PATH); install CRIU "
                            + CriuVersion.MINIMUM.major()
                            + "."
                            + CriuVersion.MINIMUM.minor()
                            + " or later with scripts/install-criu"));
    CriuClient client = new CriuClient(binary);
    CriuVersion version = client.installedVersion();
    if (!version.isAtLeast(CriuVersion.MINIMUM)) {
      throw new CriuUnavailableException(
          "criu "
              + version
              + " at "
              + binary
              + " is too old; Cryo needs "
              + CriuVersion.MINIMUM.major()
              + "."
              + CriuVersion.MINIMUM.minor()
              + " or later: run scripts/install-criu");
    }
    return client;
  }

  /** The first executable named {@code criu} in a PATH-style list. */
  public static Optional<Path> findExecutable(String searchPath) {
    return Executables.find("criu", searchPath);
  }

  public Path binary() {
    return binary;
  }

  /**
   * The version {@code criu --version} prints. Unlike {@link #version()} this works even when the
   * binary cannot serve RPC, so it is what decides whether CRIU is usable.
   */
  public CriuVersion installedVersion() throws CriuUnavailableException {
    CriuVersion known = installedVersion;
    if (known == null) {
      known = askVersion();
      installedVersion = known;
    }
    return known;
  }

  private CriuVersion askVersion() throws CriuUnavailableException {
    CommandResult r = runCommandLine("--version");
    if (r.exitCode() != 0) {
      throw new CriuUnavailableException(binary + " --version failed: " + firstLine(r.output()));
    }
    try {
      return CriuVersion.parse(r.output());
    } catch (IllegalArgumentException e) {
      throw new CriuUnavailableException(
          binary + " --version printed no version: " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code criu check --feature NAME} passes: for the features the RPC feature check does
   * not cover, such as {@code network_lock_nftables}.
   */
  public boolean supportsFeature(String name) throws CriuUnavailableException {
    return runCommandLine("check", "--feature", name).exitCode() == 0;
  }

  private record CommandResult(int exitCode, String output) {}

  /** Runs criu's command line for a quick question; stdout and stderr together. */
  private CommandResult runCommandLine(String... args) throws CriuUnavailableException {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new CriuUnavailableException(String.join(" ", command) + " did not finish in 30 s");
      }
      return new CommandResult(p.exitValue(), out);
    } catch (IOException e) {
      throw new CriuUnavailableException("cannot run " + binary + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CriuUnavailableException(
          "interrupted while running " + String.join(" ", command), e);
    }
  }

  private static String firstLine(String text) {
    String t = text.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }

  /** The version CRIU reports over RPC, with its git id or name where the build has one. */
  public RpcVersion version() throws CriuException {
    Response r =
        call(
            "version",
            Request.newBuilder().setType(RequestType.VERSION),
            null,
            NotifyListener.NONE);
    var v = r.getVersion();
    String detail = v.hasGitid() ? v.getGitid() : v.hasName() ? v.getName() : "";
    return new RpcVersion(new CriuVersion(v.getMajor(), v.getMinor(), v.getSublevel()), detail);
  }

  /** A version as reported over RPC; {@code detail} is a git id or release name, possibly empty. */
  public record RpcVersion(CriuVersion version, String detail) {}

  /**
   * Runs CRIU's own check of the kernel and of its privileges.
   *
   * @throws CriuOperationException naming what CRIU found missing
   */
  public void check() throws CriuException {
    Request.Builder req =
        Request.newBuilder()
            .setType(RequestType.CHECK)
            .setOpts(
                Options.newBuilder().setImagesDirFd(-1).setLogLevel(CriuOptions.DEFAULT_LOG_LEVEL));
    call("check", req, null, NotifyListener.NONE);
  }

  /** Which optional features this kernel and CRIU support. */
  public CriuFeatures features() throws CriuException {
    var all = Features.newBuilder().setMemTrack(true).setLazyPages(true).setPidfdStore(true);
    Response r =
        call(
            "feature check",
            Request.newBuilder().setType(RequestType.FEATURE_CHECK).setFeatures(all),
            null,
            NotifyListener.NONE);
    var f = r.getFeatures();
    return new CriuFeatures(f.getMemTrack(), f.getLazyPages(), f.getPidfdStore());
  }

  /**
   * Dumps the process tree rooted at {@code options.pid()} into {@code options.imagesDir()}. Unless
   * {@link CriuOptions#leaveRunning()} is set, the tree is killed once the dump has succeeded; on
   * failure it keeps running.
   */
  public void dump(CriuOptions options, NotifyListener listener) throws CriuException {
    if (options.pid() <= 0) {
      throw new IllegalArgumentException("a dump needs the PID of the tree's root");
    }
    call("dump", Request.newBuilder().setType(RequestType.DUMP), options, listener);
  }

  /**
   * Starts {@code criu lazy-pages} for the images in {@code imagesDir}, in the background, and
   * returns its process once it listens in {@code workDir} for a restore with {@link
   * CriuOptions#lazyPages} and the same work directory. It serves the restored processes' memory
   * from the images, then exits by itself once every page has been copied in or the processes have
   * ended; the images must stay in place until then. If the restore fails, the caller must kill it:
   * it would wait for the restore forever. Its log is {@code lazy-pages.log} in {@code workDir}.
   */
  public ProcessHandle startLazyPagesDaemon(Path imagesDir, Path workDir) throws CriuException {
    Path pidFile = workDir.resolve("lazy-pages.pid");
    CommandResult r =
        runCommandLine(
            "lazy-pages",
            "--daemon",
            "--pidfile",
            pidFile.toAbsolutePath().toString(),
            "-D",
            imagesDir.toAbsolutePath().toString(),
            "-W",
            workDir.toAbsolutePath().toString(),
            "-o",
            LAZY_PAGES_LOG,
            "-v" + CriuOptions.DEFAULT_LOG_LEVEL);
    Path log = workDir.resolve(LAZY_PAGES_LOG);
    if (r.exitCode() != 0) {
      throw new CriuOperationException(
          "lazy-pages", 0, firstLine(r.output()), CriuLog.errors(log), log, null);
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).strip());
    } catch (IOException | NumberFormatException e) {
      throw new CriuOperationException(
          "lazy-pages", 0, "no PID in " + pidFile + ": " + e.getMessage(), List.of(), log, null);
    }
    // The handle knows the process's start time, so killing it later cannot hit a reused PID.
    return ProcessHandle.of(pid)
        .orElseThrow(
            () ->
                new CriuOperationException(
                    "lazy-pages",
                    0,
                    "criu lazy-pages ended as soon as it started",
                    CriuLog.errors(log),
                    log,
                    null));
  }

  /**
   * Loads the native access to libc (JNA) and the RPC messages that talking to CRIU needs; a
   * command line calls this in the background while it parses its arguments, so that the first
   * exchange does not wait for them (in a fresh JVM, the first request and the first answer load
   * and initialize the messages' classes).
   */
  public static void warmUp() {
    LibC.INSTANCE.getClass();
    Request request =
        Request.newBuilder()
            .setType(RequestType.RESTORE)
            .setOpts(toRpc(CriuOptions.builder().imagesDir(Path.of("/")).build(), -1, false))
            .build();
    try {
      Request.parseFrom(request.toByteArray());
      Response.parseFrom(Response.newBuilder().setType(RequestType.RESTORE).build().toByteArray());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a request CRIU's messages cannot read back", e);
    }
  }

  /** Restores the tree imaged in {@code options.imagesDir()} and returns its root's PID. */
  public int restore(CriuOptions options, NotifyListener listener) throws CriuException {
    Response r =
        call("restore", Request.newBuilder().setType(RequestType.RESTORE), options, listener);
    if (!r.hasRestore() || !r.getRestore().hasPid()) {
      throw new CriuOperationException(
          "restore",
          0,
          "CRIU reported success but no PID",
          List.of(),
          options.logPath().orElse(null),
          null);
    }
    return r.getRestore().getPid();
  }

  private Response call(
      String operation, Request.Builder request, CriuOptions options, NotifyListener listener)
      throws CriuException {
    int workDirFd = -1;
    try {
      if (options != null) {
        if (options.workDir().isPresent()) {
          workDirFd = openDirectory(options.workDir().get());
        }
        request.setOpts(toRpc(options, workDirFd, listener != NotifyListener.NONE));
      }
      return exchange(operation, request.build(), options, listener);
    } finally {
      if (workDirFd >= 0) {
        LibC.INSTANCE.close(workDirFd);
      }
    }
  }

  private static int openDirectory(Path dir) throws CriuException {
    try {
      return LibC.INSTANCE.open(
          dir.toString(), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new CriuException(
          "cannot open CRIU's work directory " + dir + ": errno " + e.getErrorCode(), e);
    }
  }

  /**
   * The recorded paths of substituted files, in the one order both the request and the spawn use.
   */
  private static List<Path> inheritedKeys(CriuOptions o) {
    return o.substitutedFiles().keySet().stream().sorted().toList();
  }

  /**
   * The files criu inherits, in the order of their descriptors: the substituted files, then the
   * resources it looks up by key.
   */
  private static List<SwrkProcess.Inherited> inheritedFiles(CriuOptions o) {
    List<SwrkProcess.Inherited> files = new ArrayList<>();
    for (Path recorded : inheritedKeys(o)) {
      files.add(new SwrkProcess.Inherited(o.substitutedFiles().get(recorded), false));
    }
    o.inheritedByKey().values().forEach(f -> files.add(new SwrkProcess.Inherited(f, true)));
    return files;
  }

  /**
   * The request's options. CRIU stops at each of its hooks for an answer only when someone listens
   * ({@code notify}): each stop is a round trip to this JVM, several of them while the processes
   * are frozen.
   */
  private static Options toRpc(CriuOptions o, int workDirFd, boolean notify) {
    Options.Builder b =
        Options.newBuilder().setImagesDirFd(-1).setLogLevel(o.logLevel()).setNotifyScripts(notify);
    o.imagesDir().ifPresent(d -> b.setImagesDir(d.toAbsolutePath().toString()));
    if (workDirFd >= 0) {
      b.setWorkDirFd(workDirFd);
    }
    o.logFile().ifPresent(b::setLogFile);
    if (o.pid() > 0) {
      b.setPid(o.pid());
    }
    b.setLeaveRunning(o.leaveRunning());
    b.setTcpEstablished(o.tcpEstablished());
    if (o.tcpSkipInFlight()) {
      b.setTcpSkipInFlight(true);
    }
    b.setShellJob(o.shellJob());
    b.setExtUnixSk(o.externalUnixSockets());
    b.setFileLocks(o.fileLocks());
    if (o.restoreAsChild()) {
      b.setRstSibling(true);
    }
    if (o.lazyPages()) {
      b.setLazyPages(true);
    }
    if (o.leaveStopped()) {
      b.setLeaveStopped(true);
    }
    if (o.tcpClose()) {
      b.setTcpClose(true);
    }
    b.setNetworkLock(
        switch (o.networkLock()) {
          case IPTABLES -> NetworkLockMethod.IPTABLES;
          case NFTABLES -> NetworkLockMethod.NFTABLES;
          case SKIP -> NetworkLockMethod.SKIP;
        });
    b.addAllExternal(o.externals());
    List<Path> recorded = inheritedKeys(o);
    for (int i = 0; i < recorded.size(); i++) {
      // CRIU names a regular file by its path from the root, without the leading slash.
      b.addInheritFd(
          InheritedFd.newBuilder()
              .setKey(recorded.get(i).toString().substring(1))
              .setFd(SwrkProcess.FIRST_INHERITED_FD + i));
    }
    int fd = SwrkProcess.FIRST_INHERITED_FD + recorded.size();
    for (String key : o.inheritedByKey().keySet()) {
      b.addInheritFd(InheritedFd.newBuilder().setKey(key).setFd(fd++));
    }
    return b.build();
  }

  private Response exchange(
      String operation, Request request, CriuOptions options, NotifyListener listener)
      throws CriuException {
    Path log = options == null ? null : options.logPath().orElse(null);
    SwrkProcess swrk;
    try {
      swrk = SwrkProcess.start(binary, options == null ? List.of() : inheritedFiles(options));
    } catch (IOException e) {
      throw new CriuUnavailableException("cannot start " + binary + " swrk: " + e.getMessage(), e);
    }
    try (swrk) {
      swrk.send(request.toByteArray());
      Exception hookFailure = null;
      while (true) {
        Optional<byte[]> message = swrk.receive();
        if (message.isEmpty()) {
          String status = SwrkProcess.describeWaitStatus(swrk.waitForExit());
          List<String> lines = CriuLog.errors(log);
          throw new CriuOperationException(
              operation,
              0,
              "criu exited without answering (" + status + ")",
              lines.isEmpty() ? CriuLog.last(swrk.outputLines()) : lines,
              log,
              null);
        }
        Response response = Response.parseFrom(message.get());
        if (response.getType() == RequestType.NOTIFY && request.getType() != RequestType.NOTIFY) {
          hookFailure = answerHook(swrk, response, listener, hookFailure);
          continue;
        }
        if (!response.getSuccess()) {
          List<String> lines = CriuLog.errors(log);
          throw new CriuOperationException(
              operation,
              response.getCrErrno(),
              response.hasCrErrmsg() ? response.getCrErrmsg() : null,
              lines.isEmpty() && log == null ? CriuLog.last(swrk.outputLines()) : lines,
              log,
              hookFailure);
        }
        return response;
      }
    } catch (InvalidProtocolBufferException e) {
      throw new CriuOperationException(
          operation, 0, "unreadable answer from criu: " + e.getMessage(), List.of(), log, null);
    } catch (IOException e) {
      throw new CriuOperationException(
          operation, 0, "lost the connection to criu: " + e.getMessage(), List.of(), log, null);
    }
  }

  /** Runs the listener for one hook and tells CRIU whether to go on. Returns the first failure. */
  private static Exception answerHook(
      SwrkProcess swrk, Response response, NotifyListener listener, Exception earlierFailure)
      throws IOException {
    String script = response.getNotify().getScript();
    Exception failure = earlierFailure;
    if (failure == null) {
      try {
        listener.onHook(NotifyHook.fromCriuName(script), script, response.getNotify().getPid());
      } catch (Exception e) {
        failure = new HookFailedException(script, e);
      }
    }
    swrk.send(
        Request.newBuilder()
            .setType(RequestType.NOTIFY)
            .setNotifySuccess(failure == null)
            .build()
            .toByteArray());
    return failure;
  }
}

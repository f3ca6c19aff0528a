package dev.cryo.criu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a dump or restore should do: where the images go, what the process tree holds that needs
 * care (TCP connections, a controlling terminal, external resources), and where CRIU logs.
 * Immutable; build with {@link #builder()}.
 */
public final class CriuOptions {
  /** CRIU's levels: 0 none, 1 errors, 2 warnings, 3 information, 4 debug. */
  public static final int DEFAULT_LOG_LEVEL = 2;

  private final Path imagesDir;
  private final Path workDir;
  private final String logFile;
  private final int logLevel;
  private final int pid;
  private final boolean leaveRunning;
  private final boolean tcpEstablished;
  private final boolean tcpSkipInFlight;
  private final boolean shellJob;
  private final boolean externalUnixSockets;
  private final boolean fileLocks;
  private final boolean restoreAsChild;
  private final boolean lazyPages;
  private final boolean leaveStopped;
  private final boolean tcpClose;
  private final NetworkLock networkLock;
  private final List<String> externals;
  private final Map<Path, Path> substitutedFiles;
  private final Map<String, Path> inheritedByKey;

  private CriuOptions(Builder b) {
    this.imagesDir = b.imagesDir;
    this.workDir = b.workDir;
    this.logFile = b.logFile;
    this.logLevel = b.logLevel;
    this.pid = b.pid;
    this.leaveRunning = b.leaveRunning;
    this.tcpEstablished = b.tcpEstablished;
    this.tcpSkipInFlight = b.tcpSkipInFlight;
    this.shellJob = b.shellJob;
    this.externalUnixSockets = b.externalUnixSockets;
    this.fileLocks = b.fileLocks;
    this.restoreAsChild = b.restoreAsChild;
    this.lazyPages = b.lazyPages;
    this.leaveStopped = b.leaveStopped;
    this.tcpClose = b.tcpClose;
    this.networkLock = b.networkLock;
    this.externals = List.copyOf(b.externals);
    this.substitutedFiles = Map.copyOf(b.substitutedFiles);
    this.inheritedByKey = Collections.unmodifiableMap(new LinkedHashMap<>(b.inheritedByKey));
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<Path> imagesDir() {
    return Optional.ofNullable(imagesDir);
  }

  /** Where CRIU writes its log and other side files; the images directory when unset. */
  public Optional<Path> workDir() {
    return Optional.ofNullable(workDir);
  }

  public Optional<String> logFile() {
    return Optional.ofNullable(logFile);
  }

  /** The log's full path, where a log file is set. */
  public Optional<Path> logPath() {
    Path dir = workDir != null ? workDir : imagesDir;
    return logFile == null || dir == null ? Optional.empty() : Optional.of(dir.resolve(logFile));
  }

  public int logLevel() {
    return logLevel;
  }

  /** The root of the tree to dump; 0 on restore. */
  public int pid() {
    return pid;
  }

  public boolean leaveRunning() {
    return leaveRunning;
  }

  public boolean tcpEstablished() {
    return tcpEstablished;
  }

  /**
   * Whether a dump leaves the connections still waiting in a listener's accept queue out of the
   * image: CRIU cannot dump them, and fails the whole dump for them otherwise.
   */
  public boolean tcpSkipInFlight() {
    return tcpSkipInFlight;
  }

  public boolean shellJob() {
    return shellJob;
  }

  public boolean externalUnixSockets() {
    return externalUnixSockets;
  }

  public boolean fileLocks() {
    return fileLocks;
  }

  public boolean lazyPages() {
    return lazyPages;
  }

  public boolean restoreAsChild() {
    return restoreAsChild;
  }

  /** Restore only: every restored process is left stopped (SIGSTOP) rather than running. */
  public boolean leaveStopped() {
    return leaveStopped;
  }

  /** Restore only: connected TCP sockets come back closed rather than connected. */
  public boolean tcpClose() {
    return tcpClose;
  }

  public NetworkLock networkLock() {
    return networkLock;
  }

  /** CRIU's {@code --external} declarations, such as {@code "unix[12345]"} or {@code "mnt[]"}. */
  public List<String> externals() {
    return externals;
  }

  /**
   * Files the restored processes get in place of the files they had open at these paths (CRIU's
   * {@code --inherit-fd}): each replacement is opened for appending and handed to CRIU.
   */
  public Map<Path, Path> substitutedFiles() {
    return substitutedFiles;
  }

  /**
   * Resources CRIU looks up by key on restore (its {@code --inherit-fd fd[N]:KEY}), such as the
   * existing network namespace that a dump declared external ({@link
   * Builder#externalNetworkNamespace}): each file is opened read-only and handed to CRIU under its
   * key.
   */
  public Map<String, Path> inheritedByKey() {
    return inheritedByKey;
  }

  /** Builder for {@link CriuOptions}; every flag is off unless set. */
  public static final class Builder {
    private Path imagesDir;
    private Path workDir;
    private String logFile;
    private int logLevel = DEFAULT_LOG_LEVEL;
    private int pid;
    private boolean leaveRunning;
    private boolean tcpEstablished;
    private boolean tcpSkipInFlight;
    private boolean shellJob;
    private boolean externalUnixSockets;
    private boolean fileLocks;
    private boolean restoreAsChild;
    private boolean lazyPages;
    private boolean leaveStopped;
    private boolean tcpClose;
    private NetworkLock networkLock = NetworkLock.NFTABLES;
    private final List<String> externals = new ArrayList<>();
    private final Map<Path, Path> substitutedFiles = new LinkedHashMap<>();
    private final Map<String, Path> inheritedByKey = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Dump only: the tree's network namespace (inode {@code inode}, as {@code /proc/PID/ns/net}
     * shows it) is left out of the images, recorded as {@code key} instead: a restore puts the
     * sockets into whatever namespace it is given under that key ({@link
     * #inheritNetworkNamespace}), without recreating links, addresses or routes.
     */
    public Builder externalNetworkNamespace(long inode, String key) {
      return external("net[" + inode + "]:" + key);
    }

    /**
     * Restore only: the tree's network namespace, dumped as external under {@code key}, is the
     * existing one at {@code namespaceFile} (such as {@code /run/netns/NAME}).
     */
    public Builder inheritNetworkNamespace(String key, Path namespaceFile) {
      if (key.isEmpty() || key.contains(":")) {
        throw new IllegalArgumentException("an inherited key is a plain word, not '" + key + "'");
      }
      this.inheritedByKey.put(key, namespaceFile);
      return this;
    }

    /**
     * On restore, what was open as {@code recorded} (an absolute path) is {@code replacement}
     * instead.
     */
    public Builder substituteFile(Path recorded, Path replacement) {
      if (!recorded.isAbsolute()) {
        throw new IllegalArgumentException("a recorded path is absolute: " + recorded);
      }
      this.substitutedFiles.put(recorded, replacement);
      return this;
    }

    public Builder imagesDir(Path dir) {
      this.imagesDir = dir;
      return this;
    }

    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    /** A bare file name: CRIU writes it in the work directory. */
    public Builder logFile(String name) {
      if (name.contains("/")) {
        throw new IllegalArgumentException(
            "CRIU's log file must be a bare name, not a path: " + name);
      }
      this.logFile = name;
      return this;
    }

    public Builder logLevel(int level) {
      if (level < 0 || level > 4) {
        throw new IllegalArgumentException("CRIU log level must be 0 to 4, not " + level);
      }
      this.logLevel = level;
      return this;
    }

    public Builder pid(int pid) {
      this.pid = pid;
      return this;
    }

    /** Dump only: the process keeps running after the dump instead of being killed. */
    public Builder leaveRunning(boolean leaveRunning) {
      this.leaveRunning = leaveRunning;
      return this;
    }

    public Builder tcpEstablished(boolean tcpEstablished) {
      this.tcpEstablished = tcpEstablished;
      return this;
    }

    public Builder tcpSkipInFlight(boolean skip) {
      this.tcpSkipInFlight = skip;
      return this;
    }

    /** The tree belongs to a session (a terminal's job) whose leader is not part of it. */
    public Builder shellJob(boolean shellJob) {
      this.shellJob = shellJob;
      return this;
    }

    public Builder externalUnixSockets(boolean allow) {
      this.externalUnixSockets = allow;
      return this;
    }

    public Builder fileLocks(boolean fileLocks) {
      this.fileLocks = fileLocks;
      return this;
    }

    /** Restore only: the restored root becomes this JVM's child instead of being detached. */
    public Builder restoreAsChild(boolean asChild) {
      this.restoreAsChild = asChild;
      return this;
    }

    /**
     * Restore only: the processes start before their memory is copied in; a lazy-pages daemon
     * started in the same work directory ({@link CriuClient#startLazyPagesDaemon}) fills each page
     * on its first touch and the rest in the background.
     */
    public Builder lazyPages(boolean lazy) {
      this.lazyPages = lazy;
      return this;
    }

    /**
     * Restore only: the processes are left stopped once restored, to be continued (SIGCONT) by
     * whoever restored them.
     */
    public Builder leaveStopped(boolean stopped) {
      this.leaveStopped = stopped;
      return this;
    }

    /**
     * Restore only: connected TCP sockets are restored closed, so the processes see their
     * connections reset; for a copy whose original may still hold those connections.
     */
    public Builder tcpClose(boolean close) {
      this.tcpClose = close;
      return this;
    }

    public Builder networkLock(NetworkLock lock) {
      this.networkLock = lock;
      return this;
    }

    public Builder external(String declaration) {
      this.externals.add(declaration);
      return this;
    }

    public CriuOptions build() {
      return new CriuOptions(this);
    }
  }
}

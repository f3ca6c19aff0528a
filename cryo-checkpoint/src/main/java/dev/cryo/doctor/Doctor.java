package dev.cryo.doctor;

import dev.cryo.criu.CriuClient;
import dev.cryo.criu.CriuException;
import dev.cryo.criu.CriuFeatures;
import dev.cryo.criu.CriuOperationException;
import dev.cryo.criu.CriuUnavailableException;
import dev.cryo.criu.CriuVersion;
import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.linux.HostFacts;
import dev.cryo.linux.Nftables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks at everything Cryo depends on (kernel, CRIU, privileges, the image store) and says, for
 * each, whether it is there and what to do if not. Meant for the first minute on a new machine.
 */
public final class Doctor {
  /**
   * The subject of the image store's finding, whose advice a command line completes with its
   * option.
   */
  public static final String IMAGE_STORE = "image store";

  private static final String INSTALL_ADVICE =
      "run scripts/install-criu from the Cryo checkout "
          + "(as root; it builds CRIU "
          + CriuVersion.MINIMUM.major()
          + "."
          + CriuVersion.MINIMUM.minor()
          + " from Debian's source package)";

  private final String searchPath;
  private final Path storeRoot;

  public Doctor(String searchPath, Path storeRoot) {
    this.searchPath = searchPath;
    this.storeRoot = storeRoot;
  }

  public List<Finding> examine() {
    List<Finding> findings = new ArrayList<>();
    findings.add(
        Finding.ok(
            "kernel", "Linux " + HostFacts.kernel() + " on " + System.getProperty("os.arch")));
    findings.add(privileges());
    findings.add(resourceLimits(HostFacts.effectiveCapabilities()));
    findings.addAll(criu());
    findings.add(nftTool(Nftables.available()));
    findings.add(store());
    return findings;
  }

  public static boolean ready(List<Finding> findings) {
    return findings.stream().noneMatch(f -> f.status() == Finding.Status.MISSING);
  }

  private static Finding privileges() {
    int uid = HostFacts.effectiveUid();
    if (uid == 0) {
      return Finding.ok("privileges", "running as root");
    }
    if (HostFacts.canCheckpoint(HostFacts.effectiveCapabilities())) {
      return Finding.ok("privileges", "uid " + uid + " with checkpoint/restore capabilities");
    }
    return Finding.missing(
        "privileges",
        "uid " + uid + " without CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN",
        "run cryo as root (sudo), or grant criu the capabilities: "
            + "setcap cap_checkpoint_restore,cap_sys_ptrace+eip $(command -v criu)");
  }

  /**
   * CAP_SYS_RESOURCE, without which CRIU cannot read the resource limits of a process of another
   * user or group. Most programs run as one user and never need it, so its absence only warns.
   */
  static Finding resourceLimits(long capabilities) {
    if (HostFacts.canReadResourceLimitsOfOthers(capabilities)) {
      return Finding.ok(
          "CAP_SYS_RESOURCE", "present: trees with processes of other users can be checkpointed");
    }
    return Finding.warn(
        "CAP_SYS_RESOURCE",
        "missing: trees whose processes run as a user or group other than "
            + "cryo's cannot be checkpointed (CRIU cannot read their resource limits); others can",
        "for programs that switch users (servers whose workers run as nobody or www-data), run cryo where root "
            + "keeps CAP_SYS_RESOURCE (a container may drop it: docker run --cap-add SYS_RESOURCE)");
  }

  /**
   * The {@code nft} tool, with which cryo releases CRIU's network locks and holds new connections
   * during checkpoints. CRIU locks connections without it (through libnftables), so it only warns.
   */
  static Finding nftTool(boolean installed) {
    if (installed) {
      return Finding.ok(
          "nft",
          "installed: cryo releases CRIU's network locks and holds new connections "
              + "during checkpoints with it");
    }
    return Finding.warn(
        "nft",
        "not installed: deleting a checkpoint that was never restored leaves its network "
            + "lock behind, and clients of a program that stops listening during a checkpoint are refused",
        "apt-get install nftables");
  }

  private List<Finding> criu() {
    List<Finding> findings = new ArrayList<>();
    CriuClient criu;
    try {
      criu = CriuClient.locate(searchPath);
    } catch (CriuUnavailableException e) {
      findings.add(Finding.missing("criu", e.getMessage(), INSTALL_ADVICE));
      return findings;
    }
    try {
      findings.add(
          Finding.ok("criu", "version " + criu.installedVersion() + " at " + criu.binary()));
      criu.check();
      findings.add(Finding.ok("criu check", "the kernel supports what CRIU needs"));
    } catch (CriuOperationException e) {
      findings.add(
          Finding.missing(
              "criu check",
              e.getMessage(),
              "see 'criu check' for details; a newer kernel or CRIU may be needed ("
                  + INSTALL_ADVICE
                  + ")"));
    } catch (CriuException e) {
      findings.add(Finding.missing("criu check", e.getMessage(), INSTALL_ADVICE));
    }
    try {
      CriuFeatures f = criu.features();
      findings.add(
          feature(
              "memory tracking",
              f.memoryTracking(),
              "incremental (pre-dump) checkpoints are not available; full checkpoints work",
              "the kernel needs CONFIG_MEM_SOFT_DIRTY"));
      findings.add(
          feature(
              "lazy pages",
              f.lazyPages(),
              "restores read the whole image before the process runs",
              "the kernel needs userfaultfd"));
    } catch (CriuException e) {
      findings.add(
          Finding.warn("criu features", e.getMessage(), "run 'criu check --all' for details"));
    }
    findings.add(networkLock(criu));
    return findings;
  }

  private static Finding feature(String name, boolean present, String without, String advice) {
    return present
        ? Finding.ok(name, "supported")
        : Finding.warn(name, "not supported: " + without, advice);
  }

  private static Finding networkLock(CriuClient criu) {
    try {
      if (criu.supportsFeature("network_lock_nftables")) {
        return Finding.ok("network lock", "nftables (TCP connections stay locked while frozen)");
      }
    } catch (CriuUnavailableException e) {
      // Reported below.
    }
    return Finding.missing(
        "network lock",
        "CRIU cannot lock the network with nftables",
        "install nftables (apt-get install nftables) and a CRIU built with libnftables ("
            + INSTALL_ADVICE
            + ")");
  }

  private Finding store() {
    try {
      ImageStore store = ImageStore.open(storeRoot);
      return Finding.ok(IMAGE_STORE, store.root() + " (writable, private)");
    } catch (ImageStoreException e) {
      return Finding.missing(IMAGE_STORE, e.getMessage(), "use a writable directory");
    }
  }
}

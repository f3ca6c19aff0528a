package dev.cryo.cli;

import dev.cryo.doctor.Doctor;
import dev.cryo.doctor.Finding;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code cryo doctor}: is this machine ready for Cryo? */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Check that this machine can checkpoint and restore.",
      "Reports the kernel, privileges (CAP_SYS_RESOURCE among them), CRIU and its features, the nft",
      "tool and the image store, with advice for anything missing. Warnings leave Cryo working;",
      "exits 9 if Cryo cannot work here yet."
    })
final class DoctorCommand implements Callable<Integer> {
  @ParentCommand CryoCommand cryo;

  @Override
  public Integer call() {
    List<Finding> findings = new Doctor(cryo.searchPath(), cryo.storeRoot()).examine();
    PrintWriter out = cryo.spec.commandLine().getOut();
    for (Finding f : findings) {
      out.printf(
          "[%-7s] %-16s %s%n", f.status().name().toLowerCase(Locale.ROOT), f.subject(), f.detail());
      if (!f.advice().isEmpty()) {
        out.printf(
            "%-27s-> %s%n",
            "", f.advice() + (f.subject().equals(Doctor.IMAGE_STORE) ? " with --store DIR" : ""));
      }
    }
    boolean ready = Doctor.ready(findings);
    out.println(
        ready
            ? "Cryo is ready to checkpoint and restore on this machine."
            : "Cryo cannot checkpoint or restore here until the items marked 'missing' are fixed.");
    return ready ? ExitCode.OK.code() : ExitCode.NOT_READY.code();
  }
}

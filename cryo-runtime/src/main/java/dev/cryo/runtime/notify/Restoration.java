package dev.cryo.runtime.notify;

import dev.cryo.runtime.Resumption;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells prepared resources that the checkpoint is over, in the reverse of the order they were
 * prepared in. Every resource is told even when an earlier one fails; the failures are returned.
 */
public final class Restoration {
  private Restoration() {}

  /** One resource's failure in {@code afterRestore}. */
  public record Failure(String resource, Throwable error) {
    public String describe() {
      return "resource " + resource + " failed after the checkpoint: " + error;
    }
  }

  public static List<Failure> notify(List<Registration> prepared, Resumption resumption) {
    List<Failure> failures = new ArrayList<>();
    for (int i = prepared.size() - 1; i >= 0; i--) {
      Registration registration = prepared.get(i);
      try {
        registration.resource().afterRestore(resumption);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable t) {
        failures.add(new Failure(registration.name(), t));
      }
    }
    return failures;
  }
}

package dev.cryo.runtime.notify;

import dev.cryo.runtime.Resumption;
import dev.cryo.runtime.config.RuntimeLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One pass of {@code beforeCheckpoint} over the registered resources, stopping at the first that
 * refuses. The pass runs on one thread; another may watch it and give up on a resource that
 * overruns its timeout, which refuses the checkpoint at once. Either way the resources that
 * finished preparing are told {@link Resumption#ABORTED} by the notifying thread, in reverse.
 */
public final class Preparation {
  private final List<Registration> order;
  private final List<Registration> prepared = new ArrayList<>();
  private Thread notifyingThread;
  private Registration current;
  private long currentSince;
  private Refusal refusal;
  private boolean finished;

  public Preparation(List<Registration> order) {
    this.order = List.copyOf(order);
  }

  /**
   * Notifies every resource on the calling thread. Returns nothing when all are ready; otherwise
   * rolls back the prepared ones and returns why the checkpoint was refused.
   */
  public Optional<Refusal> run() {
    synchronized (this) {
      notifyingThread = Thread.currentThread();
    }
    Error fatal = null;
    try {
      for (Registration registration : order) {
        synchronized (this) {
          if (refusal != null) {
            break;
          }
          current = registration;
          currentSince = System.nanoTime();
          notifyAll(); // a watcher waits for this resource's own timeout from now on
        }
        long began = System.nanoTime();
        Throwable failure = callBeforeCheckpoint(registration);
        RuntimeLog.debug(
            "resource "
                + registration.name()
                + " prepared in "
                + (System.nanoTime() - began) / 1_000_000
                + " ms");
        synchronized (this) {
          boolean overran = System.nanoTime() - currentSince > registration.timeout().toNanos();
          boolean givenUpOn = refusal != null;
          current = null;
          // A resource given up on was interrupted by us, so it is told ABORTED however it ended.
          if (failure == null || givenUpOn) {
            prepared.add(registration);
          }
          if (refusal == null && failure != null) {
            refusal = Refusal.threw(registration, failure);
          } else if (refusal == null && overran) {
            refusal = Refusal.timedOut(registration);
          }
          notifyAll();
        }
      }
    } catch (VirtualMachineError e) {
      fatal = e;
      synchronized (this) {
        if (refusal == null) {
          String name = current == null ? null : current.name();
          refusal = new Refusal(name, "resource " + name + " failed with " + e, e);
        }
        current = null;
      }
    }
    Refusal outcome;
    synchronized (this) {
      finished = true;
      outcome = refusal;
      notifyAll();
    }
    if (outcome != null) {
      Thread.interrupted(); // an interrupt meant for an overrunning resource is spent
      Restoration.notify(preparedResources(), Resumption.ABORTED);
    }
    if (fatal != null) {
      throw fatal;
    }
    return Optional.ofNullable(outcome);
  }

  /**
   * Waits until the pass has finished or must be given up: a resource overran its timeout, or the
   * checkpoint's deadline passed. Returns nothing when every resource is ready.
   */
  public synchronized Optional<Refusal> awaitReady(long deadlineNanos) throws InterruptedException {
    while (!finished && refusal == null) {
      long now = System.nanoTime();
      long wakeAt = deadlineNanos;
      if (current != null) {
        long resourceDue = currentSince + current.timeout().toNanos();
        if (now - resourceDue >= 0) {
          giveUpOn(Refusal.timedOut(current));
          break;
        }
        wakeAt = Math.min(wakeAt, resourceDue);
      }
      if (now - deadlineNanos >= 0) {
        String name = current == null ? null : current.name();
        giveUpOn(
            new Refusal(
                name,
                name == null
                    ? "the checkpoint's deadline passed before the resources were ready"
                    : "the checkpoint's deadline passed while resource " + name + " was preparing",
                null));
        break;
      }
      long waitMillis = Math.max(1, (wakeAt - now) / 1_000_000);
      wait(waitMillis);
    }
    return Optional.ofNullable(refusal);
  }

  private void giveUpOn(Refusal why) {
    refusal = why;
    if (notifyingThread != null) {
      notifyingThread.interrupt();
    }
  }

  /** The resources that finished {@code beforeCheckpoint}, in the order they did. */
  public synchronized List<Registration> preparedResources() {
    return List.copyOf(prepared);
  }

  /**
   * Runs one resource's {@code beforeCheckpoint}; returns what it threw, or null. Errors of the VM
   * itself propagate.
   */
  private static Throwable callBeforeCheckpoint(Registration registration) {
    try {
      registration.resource().beforeCheckpoint();
      return null;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      return t;
    }
  }
}

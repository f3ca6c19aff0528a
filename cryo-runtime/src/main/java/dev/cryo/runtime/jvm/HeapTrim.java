package dev.cryo.runtime.jvm;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.cryo.runtime.CheckpointResource;
import dev.cryo.runtime.Resumption;
import dev.cryo.runtime.config.RuntimeLog;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Makes the image small: a full garbage collection just before the dump, so that dead objects are
 * not saved and free heap is given back to the system, then a trim of the C heap (glibc keeps freed
 * memory otherwise) where the JDK offers {@code System.trim_native_heap} (17.0.9 and later).
 */
public final class HeapTrim implements CheckpointResource {
  private static final String DIAGNOSTIC_COMMANDS = "com.sun.management:type=DiagnosticCommand";
  private static final String TRIM = "systemTrimNativeHeap";
  private static final String MIN_FREE = "MinHeapFreeRatio";
  private static final String MAX_FREE = "MaxHeapFreeRatio";

  /**
   * Free space the collector may keep committed after the pre-dump collection, in percent of the
   * heap.
   */
  private static final String SHRUNK_MAX_FREE = "10";

  @Override
  public void beforeCheckpoint() {
    collectAndShrink();
    trimNativeHeap();
  }

  /**
   * A full collection with the heap's free-space ratios lowered for its duration, so that the
   * collector gives its free regions back to the system (they would be dumped otherwise, garbage
   * and all) instead of keeping them committed. The ratios are manageable flags; they are put back
   * at once, and the heap grows again as the application needs.
   */
  private static void collectAndShrink() {
    HotSpotDiagnosticMXBean flags;
    String minFree;
    String maxFree;
    try {
      flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      minFree = flags.getVMOption(MIN_FREE).getValue();
      maxFree = flags.getVMOption(MAX_FREE).getValue();
      flags.setVMOption(MIN_FREE, "0");
      flags.setVMOption(MAX_FREE, SHRUNK_MAX_FREE);
    } catch (RuntimeException | LinkageError e) {
      RuntimeLog.debug("heap shrink unavailable: " + e);
      System.gc();
      return;
    }
    try {
      System.gc();
    } finally {
      try {
        flags.setVMOption(MAX_FREE, maxFree);
        flags.setVMOption(MIN_FREE, minFree);
      } catch (RuntimeException e) {
        RuntimeLog.warn(
            "could not put the heap's free ratios back ("
                + MIN_FREE
                + "="
                + minFree
                + ", "
                + MAX_FREE
                + "="
                + maxFree
                + "): "
                + e.getMessage());
      }
    }
  }

  @Override
  public void afterRestore(Resumption resumption) {
    // Nothing to undo: the heap grows back as the application needs it.
  }

  private static void trimNativeHeap() {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName commands = new ObjectName(DIAGNOSTIC_COMMANDS);
      boolean available =
          Arrays.stream(server.getMBeanInfo(commands).getOperations())
              .map(MBeanOperationInfo::getName)
              .anyMatch(TRIM::equals);
      if (available) {
        server.invoke(
            commands, TRIM, new Object[] {new String[0]}, new String[] {String[].class.getName()});
      }
    } catch (Exception | LinkageError e) {
      RuntimeLog.debug("native heap trim unavailable: " + e);
    }
  }

  @Override
  public String toString() {
    return "cryo heap trim";
  }
}

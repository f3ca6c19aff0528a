package dev.cryo.runtime.jvm;

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
 * not saved, then a trim of the C heap (glibc keeps freed memory otherwise) where the JDK offers
 * {@code System.trim_native_heap} (17.0.9 and later).
 */
public final class HeapTrim implements CheckpointResource {
  private static final String DIAGNOSTIC_COMMANDS = "com.sun.management:type=DiagnosticCommand";
  private static final String TRIM = "systemTrimNativeHeap";

  @Override
  public void beforeCheckpoint() {
    System.gc();
    trimNativeHeap();
  }

  @Override
  public void afterRestore(Resumption resumption) {
    // Nothing to undo: the heap grows back as the application needs it.
  }

  private static void trimNativeHeap() {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName commands = new ObjectName(DIAGNOSTIC_COMMANDS);
      boolean available = Arrays.stream(server.getMBeanInfo(commands).getOperations())
          .map(MBeanOperationInfo::getName).anyMatch(TRIM::equals);
      if (available) {
        server.invoke(commands, TRIM, new Object[] {new String[0]}, new String[] {String[].class.getName()});
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

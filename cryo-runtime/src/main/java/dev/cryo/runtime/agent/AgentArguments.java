package dev.cryo.runtime.agent;

import dev.cryo.runtime.config.RuntimeLog;
import dev.cryo.runtime.config.RuntimeSettings;
import java.util.Map;
import java.util.TreeSet;

/**
 * The agent's arguments, {@code key=value} pairs separated by commas, as short names for the
 * runtime's system properties. A property set on the command line wins over an argument.
 */
final class AgentArguments {
  private static final Map<String, String> PROPERTIES =
      Map.of(
          "name", RuntimeSettings.CHECKPOINT_NAME,
          "store", RuntimeSettings.STORE,
          "command", RuntimeSettings.COMMAND,
          "leaveRunning", RuntimeSettings.LEAVE_RUNNING,
          "timeout", RuntimeSettings.RESOURCE_TIMEOUT,
          "controlDir", RuntimeSettings.CONTROL_DIR,
          "log", "cryo.log");

  private AgentArguments() {}

  /**
   * Sets the property of each pair. A pair that is not one of the known keys is skipped with a
   * warning, and the others still apply; empty pairs are ignored. Values cannot contain commas.
   */
  static void apply(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return;
    }
    for (String pair : arguments.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair.trim() : pair.substring(0, equals).trim();
      String property = PROPERTIES.get(key);
      if (property == null || equals < 0) {
        RuntimeLog.warn(
            "-javaagent argument '"
                + pair
                + "' ignored: expected one of "
                + String.join("=..., ", new TreeSet<>(PROPERTIES.keySet()))
                + "=...");
        continue;
      }
      if (System.getProperty(property) == null) {
        System.setProperty(property, pair.substring(equals + 1).trim());
      }
    }
  }
}

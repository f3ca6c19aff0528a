package dev.cryo.runtime.agent;

import dev.cryo.runtime.config.RuntimeSettings;
import java.util.Map;

/**
 * The agent's arguments, {@code key=value} pairs separated by commas, as short names for the
 * runtime's system properties. A property set on the command line wins over an argument.
 */
final class AgentArguments {
  private static final Map<String, String> PROPERTIES = Map.of(
      "name", RuntimeSettings.CHECKPOINT_NAME,
      "store", RuntimeSettings.STORE,
      "command", RuntimeSettings.COMMAND,
      "leaveRunning", RuntimeSettings.LEAVE_RUNNING,
      "timeout", RuntimeSettings.RESOURCE_TIMEOUT,
      "controlDir", RuntimeSettings.CONTROL_DIR,
      "log", "cryo.log");

  private AgentArguments() {
  }

  static void apply(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return;
    }
    for (String pair : arguments.split(",")) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair.trim() : pair.substring(0, equals).trim();
      String property = PROPERTIES.get(key);
      if (property == null || equals < 0) {
        throw new IllegalArgumentException("'" + pair + "' is not one of " + String.join("=..., ", PROPERTIES.keySet())
            + "=...");
      }
      if (System.getProperty(property) == null) {
        System.setProperty(property, pair.substring(equals + 1).trim());
      }
    }
  }
}

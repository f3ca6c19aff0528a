package dev.cryo.runtime.agent;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * {@code -javaagent:cryo-runtime.jar[=key=value,...]}: starts the runtime when the JVM starts, so
 * that any JVM takes part in checkpoints with no code change. It points {@code org.crac} at this
 * runtime, opens to it the two JDK packages its timer correction needs, and turns agent arguments
 * into {@code cryo.*} system properties ({@code name=app} sets {@code cryo.checkpoint.name}, see
 * docs/runtime.md).
 */
public final class CryoAgent {
  static final String CRAC_COMPAT = "org.crac.Core.Compat";
  static final String CRAC_IMPLEMENTATION = "dev.cryo.runtime.crac";

  private CryoAgent() {}

  public static void premain(String arguments, Instrumentation instrumentation) {
    start(arguments, instrumentation);
  }

  public static void agentmain(String arguments, Instrumentation instrumentation) {
    start(arguments, instrumentation);
  }

  private static void start(String arguments, Instrumentation instrumentation) {
    AgentArguments.apply(arguments);
    if (System.getProperty(CRAC_COMPAT) == null) {
      System.setProperty(CRAC_COMPAT, CRAC_IMPLEMENTATION);
    }
    openJdkInternals(instrumentation);
    RuntimeBootstrap.get();
  }

  private static void openJdkInternals(Instrumentation instrumentation) {
    Module runtime = CryoAgent.class.getModule();
    Module javaBase = Object.class.getModule();
    instrumentation.redefineModule(
        javaBase,
        Set.of(),
        Map.of(),
        Map.of("java.lang", Set.of(runtime), "java.util.concurrent", Set.of(runtime)),
        Set.of(),
        Map.of());
  }
}

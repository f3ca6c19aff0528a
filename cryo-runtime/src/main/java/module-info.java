/**
 * The Cryo runtime, for applications: register what must act around checkpoints and ask for a
 * checkpoint ({@code dev.cryo.runtime}), or keep using {@code org.crac}, which finds its
 * implementation here ({@code dev.cryo.runtime.crac}). Everything else is the runtime's own.
 */
module dev.cryo.runtime {
  requires java.instrument;
  requires java.management;
  requires jdk.management;
  requires jdk.net;

  exports dev.cryo.runtime;
  exports dev.cryo.runtime.crac;
}

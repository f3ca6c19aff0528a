package dev.cryo.runtime.control;

/** What this runtime says it is in {@code ready}: its version and the JVM's, for cryo's records. */
final class RuntimeIdentity {
  private RuntimeIdentity() {}

  static String describe() {
    String version = RuntimeIdentity.class.getPackage().getImplementationVersion();
    return "cryo-runtime "
        + (version == null ? "dev" : version)
        + " (java "
        + System.getProperty("java.version")
        + ")";
  }
}

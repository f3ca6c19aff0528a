package dev.cryo.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar's manifest, or "development" when run from classes. */
final class CryoVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = CryoVersion.class.getPackage().getImplementationVersion();
    return new String[] {"cryo " + (v != null ? v : "development")};
  }
}

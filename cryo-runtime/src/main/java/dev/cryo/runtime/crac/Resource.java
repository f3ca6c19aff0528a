package dev.cryo.runtime.crac;

/** The resource type {@code org.crac} wraps its applications' resources in (through a proxy). */
public interface Resource {
  void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

  void afterRestore(Context<? extends Resource> context) throws Exception;
}

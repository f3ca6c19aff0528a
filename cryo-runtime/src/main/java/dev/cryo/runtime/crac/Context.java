package dev.cryo.runtime.crac;

/**
 * The context type {@code org.crac} registers resources with: {@link Core#getGlobalContext()} is
 * the one it uses.
 */
public abstract class Context<R extends Resource> implements Resource {
  protected Context() {}

  public abstract void register(R resource);
}

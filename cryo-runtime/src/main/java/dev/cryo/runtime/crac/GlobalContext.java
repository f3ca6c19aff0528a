package dev.cryo.runtime.crac;

import dev.cryo.runtime.CheckpointResource;
import dev.cryo.runtime.Priority;
import dev.cryo.runtime.Resumption;
import dev.cryo.runtime.agent.RuntimeBootstrap;

/**
 * Puts {@code org.crac} resources into the runtime's registry as application resources, with the
 * default timeout. CRaC tells resources of an aborted checkpoint through {@code afterRestore} too,
 * and so does this.
 */
final class GlobalContext extends Context<Resource> {

  @Override
  public void register(Resource resource) {
    if (resource == null) {
      throw new NullPointerException("resource");
    }
    RuntimeBootstrap.get()
        .registry()
        .register(
            new Adapter(resource, this),
            Priority.APPLICATION,
            RuntimeBootstrap.get().defaultTimeout());
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    throw new UnsupportedOperationException(
        "the global context is notified by the runtime, not by other contexts");
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    throw new UnsupportedOperationException(
        "the global context is notified by the runtime, not by other contexts");
  }

  private record Adapter(Resource resource, GlobalContext context) implements CheckpointResource {
    @Override
    public void beforeCheckpoint() throws Exception {
      resource.beforeCheckpoint(context);
    }

    @Override
    public void afterRestore(Resumption resumption) throws Exception {
      resource.afterRestore(context);
    }

    @Override
    public String toString() {
      return String.valueOf(resource);
    }
  }
}

package dev.cryo.cluster.store;

/** A running watch; closing it stops the events. */
public interface Watch extends AutoCloseable {
  @Override
  void close();
}

package dev.cryo.recoverable.map;

import dev.cryo.recoverable.Transaction;
import java.util.Optional;

/** A {@link PersistentMap} seen through a {@link Codec}: String keys, typed values. */
public final class TypedMap<T> {
  private final PersistentMap map;
  private final Codec<T> codec;

  TypedMap(PersistentMap map, Codec<T> codec) {
    this.map = map;
    this.codec = codec;
  }

  public Optional<T> get(String key) {
    return map.get(key).map(codec::decode);
  }

  public void put(Transaction tx, String key, T value) {
    map.put(tx, key, codec.encode(value));
  }

  public boolean remove(Transaction tx, String key) {
    return map.remove(tx, key);
  }

  public long size() {
    return map.size();
  }
}

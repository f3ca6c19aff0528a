package dev.cryo.cluster.store;

/** One write of a transaction. */
public sealed interface TxnOp {
  /** Writes {@code value} at {@code key} under {@code lease} ({@link Lease#NONE} for none). */
  record Put(String key, String value, long lease) implements TxnOp {}

  /** Deletes {@code key}. */
  record Delete(String key) implements TxnOp {}

  static TxnOp put(String key, String value) {
    return new Put(key, value, Lease.NONE);
  }

  static TxnOp put(String key, String value, long lease) {
    return new Put(key, value, lease);
  }

  static TxnOp delete(String key) {
    return new Delete(key);
  }
}

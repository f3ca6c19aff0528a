package dev.cryo.cluster.store;

/**
 * One condition of a transaction: a key's value or one of its revisions compared with a constant. A
 * key that does not exist has create revision, mod revision and version 0, and value "" never
 * matches.
 */
public record Compare(String key, Target target, Operator operator, String value, long number) {
  /** What of the key is compared. */
  public enum Target {
    VALUE,
    CREATE_REVISION,
    MOD_REVISION,
    VERSION,
    LEASE
  }

  /** How it is compared. */
  public enum Operator {
    EQUAL,
    NOT_EQUAL,
    GREATER,
    LESS
  }

  /** The key exists not. */
  public static Compare absent(String key) {
    return new Compare(key, Target.CREATE_REVISION, Operator.EQUAL, null, 0);
  }

  /** The key exists. */
  public static Compare present(String key) {
    return new Compare(key, Target.CREATE_REVISION, Operator.GREATER, null, 0);
  }

  /** The key holds {@code value}. */
  public static Compare valueIs(String key, String value) {
    return new Compare(key, Target.VALUE, Operator.EQUAL, value, 0);
  }

  /** The key was created at {@code revision} (it was not deleted and created again since). */
  public static Compare createdAt(String key, long revision) {
    return new Compare(key, Target.CREATE_REVISION, Operator.EQUAL, null, revision);
  }

  /** The key was last changed at {@code revision}. */
  public static Compare modifiedAt(String key, long revision) {
    return new Compare(key, Target.MOD_REVISION, Operator.EQUAL, null, revision);
  }
}

package dev.cryo.runtime.notify;

/**
 * Readable names for resources in reports. An object without its own {@code toString} is named by
 * its class; one registered through {@code org.crac} is named by the resource it wraps.
 */
public final class ResourceNames {
  private static final String CRAC_WRAPPER = "org.crac.ResourceWrapper[";

  private ResourceNames() {}

  public static String describe(Object resource) {
    String text;
    try {
      text = String.valueOf(resource);
    } catch (RuntimeException e) {
      return resource.getClass().getName();
    }
    if (text.startsWith(CRAC_WRAPPER) && text.endsWith("]")) {
      text = text.substring(CRAC_WRAPPER.length(), text.length() - 1);
    }
    return withoutIdentityHash(text);
  }

  /** {@code com.example.Pool@1b6d3586} becomes {@code com.example.Pool}. */
  private static String withoutIdentityHash(String text) {
    int at = text.lastIndexOf('@');
    if (at > 0
        && at < text.length() - 1
        && text.substring(at + 1).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return text.substring(0, at);
    }
    return text;
  }
}

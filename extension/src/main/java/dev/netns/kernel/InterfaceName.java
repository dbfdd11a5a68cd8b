package dev.netns.kernel;

import dev.netns.netlink.IfLink;
import java.nio.charset.StandardCharsets;

/** The kernel's rules for interface names ({@code dev_valid_name} in net/core/dev.c). */
public final class InterfaceName {
  /** The longest name in bytes: IFNAMSIZ less the terminating NUL. */
  public static final int MAX_BYTES = IfLink.IFNAMSIZ - 1;

  private InterfaceName() {}

  /** Null when {@code name} is a valid interface name, else why it is not. */
  public static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "is empty";
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      return "is " + bytes + " bytes long; interface names are at most " + MAX_BYTES + " bytes";
    }
    if (name.equals(".") || name.equals("..")) {
      return "may not be '.' or '..'";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == ':' || Character.isWhitespace(c) || c == 0) {
        return "contains '" + (Character.isWhitespace(c) ? "whitespace" : String.valueOf(c)) + "'";
      }
    }
    return null;
  }

  /** Returns {@code name} or throws {@link IllegalArgumentException} saying what is wrong. */
  public static String validate(String name) {
    String problem = problem(name);
    if (problem != null) {
      throw new IllegalArgumentException("interface name '" + name + "' " + problem);
    }
    return name;
  }

  /** {@code name} cut to {@link #MAX_BYTES} bytes (names made from longer namespace names). */
  public static String truncate(String name) {
    String result = name;
    while (result.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }
}

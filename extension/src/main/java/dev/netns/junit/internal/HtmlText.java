package dev.netns.junit.internal;

import java.nio.charset.StandardCharsets;

/** Text made safe for an HTML (and SVG) page: element content, attribute values, link targets. */
final class HtmlText {
  private HtmlText() {}

  /** {@code text} as element content or a quoted attribute value. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          // Control characters other than tab and newline are not allowed in (X)HTML text.
          if (c < 0x20 && c != '\n' && c != '\t') {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /**
   * A relative link target: each {@code /}-separated segment percent-encoded except for unreserved
   * characters, so that no file name can end the attribute or be read as a scheme.
   */
  static String href(String relativePath) {
    StringBuilder out = new StringBuilder();
    for (byte b : relativePath.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == '~'
              || c == '/';
      if (plain) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }
}

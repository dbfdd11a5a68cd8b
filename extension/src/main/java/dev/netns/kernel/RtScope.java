package dev.netns.kernel;

import dev.netns.netlink.Rtnetlink;

/**
 * How far an address or route reaches, the kernel's {@code rt_scope_t} ({@code RT_SCOPE_*}).
 *
 * <p>Upper layers see this type rather than the numbers, so that they need not read netlink
 * headers.
 */
public enum RtScope {
  /** {@code RT_SCOPE_UNIVERSE}: reaches anywhere. */
  UNIVERSE(Rtnetlink.RT_SCOPE_UNIVERSE),
  /** {@code RT_SCOPE_SITE}: IPv6 site-local. */
  SITE(Rtnetlink.RT_SCOPE_SITE),
  /** {@code RT_SCOPE_LINK}: on the link only. */
  LINK(Rtnetlink.RT_SCOPE_LINK),
  /** {@code RT_SCOPE_HOST}: inside the namespace only. */
  HOST(Rtnetlink.RT_SCOPE_HOST),
  /** {@code RT_SCOPE_NOWHERE}: reaches no destination. */
  NOWHERE(Rtnetlink.RT_SCOPE_NOWHERE),
  /** A value the headers name otherwise (user-defined scopes). */
  OTHER(-1);

  private final int value;

  RtScope(int value) {
    this.value = value;
  }

  /** The scope of a kernel value; {@link #OTHER} for one not named above. */
  public static RtScope of(int value) {
    for (RtScope scope : values()) {
      if (scope.value == value) {
        return scope;
      }
    }
    return OTHER;
  }

  /** The name {@code ip} prints for this scope, for example {@code link}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

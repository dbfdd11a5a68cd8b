package dev.netns.junit;

/**
 * How far an address, or the destinations of a route, are valid, as {@code ip addr} and {@code ip
 * route} show it after {@code scope}.
 */
public enum AddressScope {
  /** Valid everywhere ({@code RT_SCOPE_UNIVERSE}); {@code ip} prints it as "global". */
  GLOBAL,
  /** Valid inside the site ({@code RT_SCOPE_SITE}, IPv6 only, deprecated). */
  SITE,
  /** Valid on this link only ({@code RT_SCOPE_LINK}): IPv6 fe80::, routes to attached subnets. */
  LINK,
  /** Valid inside this host only ({@code RT_SCOPE_HOST}): loopback, local routes. */
  HOST,
  /** No destination ({@code RT_SCOPE_NOWHERE}). */
  NOWHERE,
  /**
   * A scope number this library does not name (user-defined in {@code /etc/iproute2/rt_scopes}).
   */
  OTHER
}

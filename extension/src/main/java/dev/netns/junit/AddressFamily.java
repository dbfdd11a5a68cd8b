package dev.netns.junit;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The IP version of an address or route. */
public enum AddressFamily {
  /** IPv4 ({@code AF_INET}). */
  IPV4,
  /** IPv6 ({@code AF_INET6}). */
  IPV6;

  /** The family of {@code address}. */
  public static AddressFamily of(InetAddress address) {
    return address instanceof Inet4Address ? IPV4 : IPV6;
  }
}

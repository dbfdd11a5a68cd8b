package dev.netns.junit;

import dev.netns.kernel.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An IP address with its prefix length, as written in CIDR notation: {@code 10.0.0.1/24}, {@code
 * fd00::1/64}. The one type for addresses in this API: what {@link Network#addresses}, {@link
 * Link#addressesIn} and {@link NetNs#addresses()} report, and the destination of a {@link
 * RouteEntry}. Where code needs a plain address, to connect a socket say, take {@link #address()}
 * (or {@link Network#address}, which gives a host's first address directly).
 *
 * <p>Parsing accepts literals only and never asks a resolver. {@link #toString()} gives the text
 * back, IPv6 in its short form, so addresses compare as text too.
 *
 * <pre>{@code
 * CidrAddress n3 = network.addresses("n3").get(0);   // 10.0.0.3/24
 * n3.address();                                       // the InetAddress 10.0.0.3
 * n3.network();                                       // 10.0.0.0/24
 * CidrAddress.parse("10.0.0.3/24").equals(n3);        // true
 * }</pre>
 *
 * @param address the address
 * @param prefixLength the prefix length, 0..32 for IPv4 and 0..128 for IPv6
 */
public record CidrAddress(InetAddress address, int prefixLength) {
  /** Checks that the prefix length fits the address family. */
  public CidrAddress {
    Objects.requireNonNull(address, "address");
    int max = address instanceof Inet4Address ? 32 : 128;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException(
          "prefix length "
              + prefixLength
              + " is outside 0.."
              + max
              + " for "
              + address.getHostAddress());
    }
  }

  /**
   * Parses {@code address/prefix}, such as {@code 10.0.0.1/24}; the prefix is required.
   *
   * @throws IllegalArgumentException naming the text when it is no such literal
   */
  public static CidrAddress parse(String text) {
    Cidr cidr = Cidr.parse(text);
    return new CidrAddress(cidr.address(), cidr.prefixLength());
  }

  /** IPv4 or IPv6. */
  public AddressFamily family() {
    return AddressFamily.of(address);
  }

  /**
   * The network this address is in, host bits cleared: {@code 10.0.0.0/24} for {@code 10.0.0.3/24}.
   */
  public CidrAddress network() {
    return new CidrAddress(cidr().network().address(), prefixLength);
  }

  /** True when {@code other} lies inside this prefix. */
  public boolean contains(InetAddress other) {
    return cidr().contains(other);
  }

  private Cidr cidr() {
    return new Cidr(address, prefixLength);
  }

  /** The CIDR text, such as {@code 10.0.0.1/24} or {@code fd00::1/64} (RFC 5952 short form). */
  @Override
  public String toString() {
    return cidr().toString();
  }
}

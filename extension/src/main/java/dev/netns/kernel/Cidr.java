package dev.netns.kernel;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP address with a prefix length, such as {@code 10.1.1.1/24} or {@code fd00::1/64}.
 *
 * <p>Parsing accepts literals only and never asks a resolver.
 *
 * <pre>{@code
 * Cidr a = Cidr.parse("10.1.1.1/24");
 * a.network();                       // 10.1.1.0/24
 * a.contains(Cidr.parseAddress("10.1.1.200"));   // true
 * }</pre>
 */
public record Cidr(InetAddress address, int prefixLength) {
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  public Cidr {
    int max = maxPrefix(address);
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

  /** Parses {@code address/prefix}; the prefix is required. */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' has no prefix length; write it as address/prefix, for example 10.1.1.1/24");
    }
    InetAddress address = parseAddress(text.substring(0, slash));
    String prefix = text.substring(slash + 1);
    int length;
    try {
      length = Integer.parseInt(prefix);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has a prefix length that is not a number");
    }
    if (length < 0 || length > maxPrefix(address)) {
      throw new IllegalArgumentException(
          "'" + text + "' has prefix length " + length + "; it must be 0.." + maxPrefix(address));
    }
    return new Cidr(address, length);
  }

  /** Parses an IPv4 or IPv6 literal (no host names). */
  public static InetAddress parseAddress(String text) {
    boolean v4 = IPV4.matcher(text).matches();
    boolean v6 = !v4 && text.contains(":") && IPV6.matcher(text).matches();
    if (!v4 && !v6) {
      throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address", e);
    }
  }

  static int maxPrefix(InetAddress address) {
    return address instanceof Inet4Address ? 32 : 128;
  }

  /** True for IPv6. */
  public boolean isIpv6() {
    return address instanceof Inet6Address;
  }

  /** The network this address is in: host bits cleared. */
  public Cidr network() {
    byte[] bytes = address.getAddress();
    for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return new Cidr(toAddress(bytes), prefixLength);
  }

  /** True when {@code other} lies inside this prefix. */
  public boolean contains(InetAddress other) {
    if (other.getAddress().length != address.getAddress().length) {
      return false;
    }
    return new Cidr(other, prefixLength).network().equals(network());
  }

  /** True when the two prefixes share any address. */
  public boolean overlaps(Cidr other) {
    if (isIpv6() != other.isIpv6()) {
      return false;
    }
    Cidr shorter = prefixLength <= other.prefixLength ? this : other;
    Cidr longer = shorter == this ? other : this;
    return shorter.contains(longer.address);
  }

  /** The {@code n}-th address of this network (0 is the network address itself). */
  public InetAddress host(long n) {
    BigInteger base = new BigInteger(1, network().address.getAddress());
    BigInteger value = base.add(BigInteger.valueOf(n));
    byte[] raw = value.toByteArray();
    byte[] bytes = new byte[address.getAddress().length];
    int copy = Math.min(raw.length, bytes.length);
    System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
    InetAddress result = toAddress(bytes);
    if (!contains(result)) {
      throw new IllegalArgumentException("host " + n + " is outside " + this);
    }
    return result;
  }

  private static InetAddress toAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public String toString() {
    return format(address) + "/" + prefixLength;
  }

  /**
   * An address as people write it: IPv6 in its short form (RFC 5952: the longest run of zero groups
   * as {@code ::}, lower case), IPv4 dotted.
   */
  public static String format(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] bytes = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero group is not shortened
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}

package dev.netns.junit.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lets host names resolve inside tests (Java 18 and later): on a thread inside a test's namespace,
 * {@code InetAddress.getByName("n2")} answers with host n2 of that test's network; every other
 * name, and every name asked for outside test namespaces, goes to the JDK's own resolver.
 *
 * <p>The JDK caches answers by name for 30 seconds, across tests. Since two tests may each have an
 * "n2", the cache is turned off ({@code networkaddress.cache.ttl=0}) unless the JVM configures it.
 */
public final class HostNameResolverProvider extends InetAddressResolverProvider {
  private static final String CACHE_TTL = "networkaddress.cache.ttl";

  @Override
  public InetAddressResolver get(Configuration configuration) {
    if (Security.getProperty(CACHE_TTL) == null) {
      Security.setProperty(CACHE_TTL, "0");
    }
    InetAddressResolver builtin = configuration.builtinResolver();
    return new InetAddressResolver() {
      @Override
      public Stream<InetAddress> lookupByName(String host, LookupPolicy policy)
          throws UnknownHostException {
        List<InetAddress> ours = HostNames.lookup(host);
        if (ours.isEmpty()) {
          return builtin.lookupByName(host, policy);
        }
        int wanted = policy.characteristics();
        boolean v4 = (wanted & LookupPolicy.IPV4) != 0;
        boolean v6 = (wanted & LookupPolicy.IPV6) != 0;
        Comparator<InetAddress> order =
            Comparator.comparing(a -> (a instanceof Inet6Address) != ((wanted & LookupPolicy.IPV6_FIRST) != 0));
        List<InetAddress> answer =
            ours.stream()
                .filter(a -> (a instanceof Inet4Address && v4) || (a instanceof Inet6Address && v6))
                .sorted(order)
                .toList();
        if (answer.isEmpty()) {
          throw new UnknownHostException(
              host + ": no address of the family asked for in this test's network");
        }
        // Named, as the built-in resolver's answers are: getLocalHost() returns the first one as
        // it is, and an address without its name would print as "/10.0.0.3".
        List<InetAddress> named = new ArrayList<>();
        for (InetAddress address : answer) {
          named.add(InetAddress.getByAddress(host, address.getAddress()));
        }
        return named.stream();
      }

      @Override
      public String lookupByAddress(byte[] address) throws UnknownHostException {
        String ours = HostNames.reverse(address);
        return ours != null ? ours : builtin.lookupByAddress(address);
      }
    };
  }

  @Override
  public String name() {
    return "netns-junit host names";
  }
}

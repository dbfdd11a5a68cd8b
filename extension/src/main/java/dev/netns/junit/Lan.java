package dev.netns.junit;

import dev.netns.junit.internal.NetNsExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A LAN: a switch with a port for each listed host. The switch is a Linux bridge in a hidden
 * namespace of its own; each host gets an interface named after the LAN, wired to it.
 *
 * <p>Addresses are assigned from the subnet in the order the hosts are listed, .1 upwards, unless
 * {@link #addresses()} gives them. Give an IPv4 and an IPv6 subnet for both families. When one of
 * the hosts is a {@link Router}, the other hosts get a default route through it.
 *
 * <pre>{@code
 * @NetNamespace("n1") @NetNamespace("n2") @NetNamespace("n3")
 * @Lan(name = "lan", subnet = {"10.0.0.0/24", "fd00:0:0:1::/64"}, hosts = {"n1", "n2", "n3"})
 * class ClusterTest {
 *   @Test void ping(Network network) { InetAddress n2 = network.address("n2"); }  // 10.0.0.2
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Repeatable(Lans.class)
@ExtendWith(NetNsExtension.class)
public @interface Lan {
  /** The LAN's name; also the name of each host's interface on it (cut to 15 bytes). */
  String name();

  /** The subnet, or an IPv4 and an IPv6 subnet. */
  String[] subnet();

  /** The attached hosts (declared namespaces or routers), in address order. */
  String[] hosts();

  /**
   * Explicit addresses, one entry per host in the order of {@link #hosts()} (without prefix;
   * several comma-separated; an empty string for that host's automatic address). Empty: all
   * automatic.
   */
  String[] addresses() default {};
}

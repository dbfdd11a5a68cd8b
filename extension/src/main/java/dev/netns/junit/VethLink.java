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
 * Wires two namespaces with a veth pair: a virtual cable with one end in each. Both ends are up.
 *
 * <p>An end is a declared {@link NetNamespace} or {@link #HOST}, the machine's own namespace (the
 * classic setup: one end in a test namespace, one on the machine). Each end takes zero or more
 * addresses, IPv4 or IPv6, always with a prefix. When the two ends sit in different subnets, each
 * side gets a route to exactly the other end's subnet over this link, and nothing else: the
 * machine's own routes are never changed beyond the declared subnets.
 *
 * <p>Interface names default to the peer's name: in {@code blue}, the end leading to {@code red} is
 * called {@code red} (cut to 15 bytes). An end in the machine's own namespace gets a unique
 * generated name (find it with {@link Network#link}) unless one is given.
 *
 * <pre>{@code
 * @NetNamespace("blue")
 * @VethLink(a = "blue", aAddress = "10.1.1.1/24", b = VethLink.HOST, bAddress = "192.168.1.176/24")
 * class SeedTest { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Repeatable(VethLinks.class)
@ExtendWith(NetNsExtension.class)
public @interface VethLink {
  /** The machine's own network namespace, as an end of a link. */
  String HOST = "host";

  /** The namespace of one end. */
  String a();

  /** Addresses of the end in {@link #a()}, each with its prefix, such as {@code 10.1.1.1/24}. */
  String[] aAddress() default {};

  /** The interface name in {@link #a()}; defaults to {@link #b()}'s name. */
  String aName() default "";

  /** The namespace of the other end. */
  String b();

  /** Addresses of the end in {@link #b()}. */
  String[] bAddress() default {};

  /** The interface name in {@link #b()}; defaults to {@link #a()}'s name. */
  String bName() default "";

  /** The MTU of both ends; 0 keeps the kernel's default (1500). */
  int mtu() default 0;

  /**
   * Routes the link through a hidden wire namespace (a bridge there, at kernel speed, while no
   * impairment is in force), so that {@link Link#impair} can use the userspace path: latency,
   * jitter, loss, duplication, reordering and corruption on any kernel, replayable from a seed.
   * Costs one more namespace and veth pair. Only between two test namespaces.
   */
  boolean impairable() default false;
}

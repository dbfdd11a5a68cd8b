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
 * Declares a router: a namespace like {@link NetNamespace}, with IPv4 and IPv6 forwarding on.
 * Routers get routes to every subnet reachable through other routers; hosts beside exactly one
 * router get a default route through it.
 *
 * <pre>{@code
 * @NetNamespace("a") @NetNamespace("b") @Router("r")
 * @Lan(name = "left", subnet = "10.0.1.0/24", hosts = {"a", "r"})
 * @Lan(name = "right", subnet = "10.0.2.0/24", hosts = {"r", "b"})
 * class TwoSitesTest { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Repeatable(Routers.class)
@ExtendWith(NetNsExtension.class)
public @interface Router {
  /** The router's name, unique among the test's namespaces. */
  String value();
}

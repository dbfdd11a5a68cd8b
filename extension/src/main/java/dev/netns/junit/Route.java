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
 * A route in one namespace, beside (and instead of) the ones worked out automatically. The gateway
 * must be on a subnet attached to that namespace. Routes are never added to the machine's own
 * namespace.
 *
 * <pre>{@code
 * @Route(in = "a", to = "10.0.9.0/24", via = "10.0.1.254")
 * @Route(in = "b", to = "default", via = "10.0.2.1")
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Repeatable(Routes.class)
@ExtendWith(NetNsExtension.class)
public @interface Route {
  /** The namespace whose table gets the route. */
  String in();

  /** The destination subnet, such as {@code 10.0.2.0/24}, or {@code default}. */
  String to();

  /** The gateway's address. */
  String via();
}

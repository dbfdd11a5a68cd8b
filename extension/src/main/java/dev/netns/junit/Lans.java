package dev.netns.junit;

import dev.netns.junit.internal.NetNsExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The container of repeated {@link Lan} declarations; written by the compiler.
 *
 * <pre>{@code
 * @Lan(name = "a", subnet = "10.0.1.0/24", hosts = {"x", "r"})
 * @Lan(name = "b", subnet = "10.0.2.0/24", hosts = {"r", "y"})
 * class TwoSitesTest { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(NetNsExtension.class)
public @interface Lans {
  Lan[] value();
}

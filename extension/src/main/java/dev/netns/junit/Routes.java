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
 * The container of repeated {@link Route} declarations; written by the compiler.
 *
 * <pre>{@code
 * @Route(in = "a", to = "default", via = "10.0.1.1") @Route(in = "b", to = "default", via = "10.0.2.1")
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(NetNsExtension.class)
public @interface Routes {
  Route[] value();
}

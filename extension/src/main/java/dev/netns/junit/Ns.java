package dev.netns.junit;

import dev.netns.junit.internal.NetNsExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Selects which declared namespace a {@link NetNs} parameter or field receives.
 *
 * <pre>{@code
 * @Test
 * void echo(@Ns("blue") NetNs blue, @Ns("red") NetNs red) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.ANNOTATION_TYPE})
@ExtendWith(NetNsExtension.class)
public @interface Ns {
  /** The name of a declared namespace, or {@link VethLink#HOST} for the machine's own. */
  String value();
}

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
 * Runs the annotated test method (or, on a class, every test method of it) on the named namespace's
 * thread. {@code @BeforeEach} and {@code @AfterEach} methods that carry it run there too, and so do
 * {@code @BeforeAll} and {@code @AfterAll} methods of a class whose network is shared ({@link
 * SharedNetwork}); on those of a class without one, it is refused. Sockets the body opens belong to
 * that namespace; threads and processes it starts inherit it.
 *
 * <pre>{@code
 * @Test
 * @InNamespace("blue")
 * void bodyRunsInBlue() throws Exception {
 *   try (Socket s = new Socket("10.1.1.2", 7000)) { ... }   // connects from blue
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(NetNsExtension.class)
public @interface InNamespace {
  /** The declared namespace to run in. */
  String value();
}

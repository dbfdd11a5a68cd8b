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
 * Says when the packets that crossed a test's network are kept: one pcap file per interface of
 * every declared namespace, both directions, written while the test runs and opened with {@code
 * tcpdump -nn -r FILE} or Wireshark. Overrides the configuration parameter {@value
 * NetNamespace#CAPTURE_PROPERTY_NAME} for a class or a method (the method's annotation wins).
 *
 * <pre>{@code
 * @NetNamespace("blue")
 * @NetNamespace("red")
 * @VethLink(a = "blue", aAddress = "10.1.1.1/24", b = "red", bAddress = "10.1.1.2/24")
 * @Capture(mode = Capture.Mode.ALWAYS)   // keep the files even when the tests pass
 * class HandshakeTest { ... }
 * }</pre>
 *
 * <p>Files go to {@code <reportDir>/<test class>/<test method>/<namespace>-<interface>.pcap} (see
 * {@link NetNamespace#REPORT_DIR_PROPERTY_NAME}); each stops growing at the size that {@value
 * NetNamespace#CAPTURE_MAX_BYTES_PROPERTY_NAME} sets (8 MiB by default). For a {@link
 * SharedNetwork}, capture runs for the whole class into {@code <test class>/shared-network/}, and
 * only the class's annotation and the configuration parameter count. See docs/diagnostics.md.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(NetNsExtension.class)
public @interface Capture {
  /**
   * When the capture files are kept; by default, when the test fails. Without the annotation (and
   * without {@code netns.capture}), nothing is captured.
   */
  Mode mode() default Mode.ON_FAILURE;

  /** When packets are captured and their files kept. */
  enum Mode {
    /** No capture: no socket, no thread, no file. */
    NEVER,
    /** Capture during every test; keep the files of failed tests, delete the others'. */
    ON_FAILURE,
    /** Capture during every test and keep every file. */
    ALWAYS
  }
}

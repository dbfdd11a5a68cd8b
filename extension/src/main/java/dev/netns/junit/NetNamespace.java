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
 * Declares a host: a network namespace of its own, with loopback up and nothing else until links
 * are declared.
 *
 * <p>On a test class (repeatable), it declares a namespace for every test of the class; by default
 * each test method gets a fresh one, built before {@code @BeforeEach} and torn down after
 * {@code @AfterEach} (see {@link SharedNetwork} for one network per class). On a field or parameter
 * of type {@link NetNs}, it declares the namespace and injects it; its name defaults to the field's
 * name.
 *
 * <pre>{@code
 * @NetNamespace("blue")
 * @NetNamespace("red")
 * @VethLink(a = "blue", aAddress = "10.1.1.1/24", b = "red", bAddress = "10.1.1.2/24")
 * class EchoTest {
 *   @Test
 *   void echo(@Ns("red") NetNs red) throws Exception { ... }
 * }
 * }</pre>
 *
 * <p>Configuration parameters (JUnit configuration parameters or system properties) are named by
 * the constants below.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE, ElementType.FIELD, ElementType.PARAMETER})
@Repeatable(NetNamespaces.class)
@ExtendWith(NetNsExtension.class)
public @interface NetNamespace {
  /**
   * {@code netns.require=true} turns every skip for missing privileges or kernel features into a
   * failure, so that a CI run can never pass by skipping. It is {@code true} by default where the
   * environment variable {@code CI} is {@code true} (as most CI systems set it), {@code false}
   * elsewhere; an explicit value wins. Values other than {@code true} and {@code false} are
   * refused.
   */
  String REQUIRE_PROPERTY_NAME = "netns.require";

  /**
   * {@code netns.threadLeaks}: what happens when a thread of the JVM is still inside a namespace
   * after its teardown: {@code fail} (the default) fails the test naming the thread, {@code warn}
   * logs a warning.
   */
  String THREAD_LEAKS_PROPERTY_NAME = "netns.threadLeaks";

  /**
   * {@code netns.bind=true} also binds each namespace under {@code /run/netns} as {@code
   * nj-PID-N-NAME}, so that {@code ip netns exec} reaches it while a test is paused in a debugger.
   * The bindings are removed at teardown; those of dead JVMs are reaped at start.
   */
  String BIND_PROPERTY_NAME = "netns.bind";

  /**
   * {@code netns.seed}: the seed of userspace impairments that ask for none and of fault schedules
   * started without one ({@link Network#nemesis(FaultSchedule)}), so that a failed run can be
   * replayed (its seeds are printed with the failure). Without it, each network picks one.
   */
  String SEED_PROPERTY_NAME = "netns.seed";

  /**
   * {@code netns.capture}: {@code never} (the default), {@code onFailure} or {@code always}:
   * whether each test's packets are captured into pcap files, one per interface of every declared
   * namespace, and when the files are kept (see {@link Capture}, which turns it on per class or
   * method). Capture costs about 10 ms a test, most of it the kernel closing packet sockets.
   */
  String CAPTURE_PROPERTY_NAME = "netns.capture";

  /**
   * {@code netns.captureMaxBytes}: the most bytes one capture file may take (default 8 MiB); frames
   * past it are counted, not written. Suffixes {@code k}, {@code m}, {@code g} (binary) are
   * allowed.
   */
  String CAPTURE_MAX_BYTES_PROPERTY_NAME = "netns.captureMaxBytes";

  /**
   * {@code netns.reportDir}: where failure reports and capture files go (default {@code
   * target/netns-reports}, relative to the working directory), as {@code <dir>/<test class>/<test
   * method>/report.txt}.
   */
  String REPORT_DIR_PROPERTY_NAME = "netns.reportDir";

  /**
   * {@code netns.pauseOnFailure=true}: when a test fails, its network is not torn down but kept
   * until the JVM exits, and the {@code nsenter} command that enters each namespace is printed to
   * standard error. A number instead of {@code true} also holds the failed test that many seconds
   * before the run goes on, so that a build does not end (and take the network along) while a
   * person looks.
   */
  String PAUSE_ON_FAILURE_PROPERTY_NAME = "netns.pauseOnFailure";

  /**
   * {@code netns.machineView=false}: threads inside a namespace keep seeing the machine's {@code
   * /proc/net}, {@code /sys}, host name and {@code /etc/hosts} instead of their namespace's (on by
   * default; see docs/threads-and-sockets.md).
   */
  String MACHINE_VIEW_PROPERTY_NAME = "netns.machineView";

  /**
   * {@code netns.faults.requireEffect=true}: a test that applied faults, none of which touched any
   * traffic ({@link FaultEffect#touchedTraffic()}), fails at teardown with a message naming them; a
   * fault nobody sent across proves nothing. Faults whose effect nothing counts ({@link
   * FaultEffect.Accuracy#NOT_COUNTED}) leave the test unjudged. Off by default.
   */
  String REQUIRE_FAULT_EFFECT_PROPERTY_NAME = "netns.faults.requireEffect";

  /**
   * {@code netns.pool=N} (0 to 256): keep up to N fresh namespaces made ahead in the background, so
   * that a test's namespaces are taken ready instead of made while it waits; each is handed out
   * once, never reused, and the pool's are closed at the end of the run. Off (0) by default: the
   * stocked namespaces are visible to {@code lsns} between tests (see docs/configuration.md).
   */
  String POOL_PROPERTY_NAME = "netns.pool";

  /**
   * {@code netns.forwarder.ports=ring|socket}: how the userspace forwarders of impairable links and
   * impaired LAN ports read and write frames. {@code ring} (the default): memory-mapped packet
   * rings and batched sends, falling back to {@code socket} with a warning where the kernel refuses
   * a ring; {@code socket}: one system call per frame (see docs/faults.md).
   */
  String FORWARDER_PORTS_PROPERTY_NAME = "netns.forwarder.ports";

  /** The namespace's name, unique within the test's network; on a field, defaults to its name. */
  String value() default "";
}

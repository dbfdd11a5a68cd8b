package dev.netns.junit.internal;

import dev.netns.kernel.Failures;
import dev.netns.kernel.NamespaceProcesses;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.ProcessInfo;
import dev.netns.topology.RunningTopology;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's (or a class's) network in JUnit's store: closing it stops what the test started inside
 * and kills every process still inside its namespaces, stops the packet capture, tears the network
 * down, and then checks that no thread of the JVM is left in its namespaces. Under {@code
 * netns.pauseOnFailure}, a failed test's network is kept instead, and torn down when the JVM exits.
 *
 * <p>Both {@link AutoCloseable} and {@link ExtensionContext.Store.CloseableResource}, as JUnit's
 * own {@code TempDirectory} is: JUnit before 5.13 closes only the latter, later versions the former
 * (and each value once).
 */
// CloseableResource is deprecated since JUnit 5.13 (in favour of AutoCloseable) but still in JUnit
// 6, and the only interface that JUnit 5.10 to 5.12 close.
@SuppressWarnings("deprecation")
final class NetworkResource implements AutoCloseable, ExtensionContext.Store.CloseableResource {
  private static final Logger LOG = Logger.getLogger(NetworkResource.class.getName());
  private static final long LEAK_GRACE_MILLIS = 2_000;
  private static final Duration PROCESS_KILL_WAIT = Duration.ofSeconds(5);

  private final DefaultNetwork network;
  private final String owner;
  private final ThreadLeakPolicy leakPolicy;
  private final FaultEffectPolicy faultEffects;
  private final NamespaceBindings bindings;
  private final Diagnostics diagnostics;

  NetworkResource(
      DefaultNetwork network,
      String owner,
      ThreadLeakPolicy leakPolicy,
      FaultEffectPolicy faultEffects,
      NamespaceBindings bindings,
      Diagnostics diagnostics,
      boolean machineView) {
    this.network = network;
    this.owner = owner;
    this.leakPolicy = leakPolicy;
    this.faultEffects = faultEffects;
    this.bindings = bindings;
    this.diagnostics = diagnostics;
    HostNames.register(network, machineView);
  }

  /** The failure report, packet capture and pause of this network. */
  Diagnostics diagnostics() {
    return diagnostics;
  }

  DefaultNetwork network() {
    return network;
  }

  @Override
  public void close() {
    HostNames.unregister(network);
    Failures failures = new Failures();
    // A schedule left running would go on applying faults while the network is taken down.
    network.stopNemeses(failures);
    diagnostics.beforeTeardown();
    if (faultEffects == FaultEffectPolicy.REQUIRE && !diagnostics.failed()) {
      // Read while the faults' namespaces are all still there.
      FaultEffects.check(owner, network.running().faults().applied()).ifPresent(failures::add);
    }
    boolean pause = diagnostics.pauseRequested();
    if (!pause) {
      for (DefaultNetNs ns : network.handles()) {
        ns.stopStarted(failures);
      }
      failures.run(this::killProcessesInside);
    }
    // Capture sockets and their thread go before the namespaces do.
    diagnostics.stopCapture();
    if (pause) {
      diagnostics.pause(owner, bindings.paths(), this::tearDownAtExit);
      return;
    }
    RunningTopology running = network.running();
    // Only namespaces ever entered can hold a thread of this JVM (see wasEntered); for a test that
    // started none, no listing of the JVM's threads at all.
    Set<Long> inodes = new HashSet<>();
    for (NetworkNamespace ns : running.allNamespaces()) {
      if (ns.wasEntered()) {
        inodes.add(ns.inode());
      }
    }
    failures.run(bindings::close);
    failures.run(running::close);
    List<String> leaked = awaitNoThreadsInside(inodes);
    if (!leaked.isEmpty()) {
      String message =
          owner
              + " left threads inside its network namespaces after teardown, which keeps them"
              + " alive: "
              + String.join(", ", leaked)
              + ". Stop every thread and executor started inside a namespace before the test"
              + " ends"
              + (leakPolicy == ThreadLeakPolicy.FAIL
                  ? " (set netns.threadLeaks=warn to only warn)."
                  : ".");
      if (leakPolicy == ThreadLeakPolicy.FAIL) {
        failures.add(new IllegalStateException(message));
      } else {
        LOG.warning(message);
      }
    }
    failures.throwIfAny();
  }

  /** The teardown of a network kept for a person to look at: at JVM exit, without leak checks. */
  private void tearDownAtExit() {
    Failures failures = new Failures();
    for (DefaultNetNs ns : network.handles()) {
      ns.stopStarted(failures);
    }
    failures.run(this::killProcessesInside);
    failures.run(bindings::close);
    failures.run(network.running()::close);
    failures.forEach(f -> System.err.println("netns: tearing down " + owner + " at exit: " + f));
    System.err.println("netns: tore down the network of " + owner + " at exit");
  }

  /**
   * Kills every process still inside the namespaces, whoever started it: an orphan of a shell that
   * backgrounded it, or a daemon that left its session, keeps a namespace alive past the JVM.
   */
  private void killProcessesInside() {
    List<ProcessInfo> killed =
        NamespaceProcesses.killAllInside(network.running().allNamespaces(), PROCESS_KILL_WAIT);
    if (!killed.isEmpty()) {
      LOG.warning(
          owner
              + " left processes inside its network namespaces; killed them (SIGKILL) at"
              + " teardown: "
              + killed.stream().map(ProcessInfo::toString).collect(Collectors.joining(", ")));
    }
  }

  private static List<String> awaitNoThreadsInside(Set<Long> inodes) {
    long deadline = System.nanoTime() + LEAK_GRACE_MILLIS * 1_000_000;
    while (true) {
      List<String> leaked = NamespaceThreads.inside(inodes);
      if (leaked.isEmpty() || System.nanoTime() > deadline) {
        return leaked;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return NamespaceThreads.inside(inodes);
      }
    }
  }
}

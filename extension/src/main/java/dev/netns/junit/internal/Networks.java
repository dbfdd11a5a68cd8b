package dev.netns.junit.internal;

import dev.netns.topology.RunningTopology;
import dev.netns.topology.Topology;
import dev.netns.topology.TopologyException;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Builds a checked topology into a test's (or class's) network, ready for JUnit's store. */
final class Networks {
  private Networks() {}

  /**
   * Builds {@code topology} for {@code owner} (the name used in messages) and starts its
   * diagnostics. Skips or fails first when namespaces cannot be made; on failure half-way, tears
   * down what was built.
   */
  static NetworkResource start(
      Topology topology, String owner, ExtensionContext context, Settings settings)
      throws IOException {
    Requirements.check(settings, owner);
    NamespaceBindings.reapDeadBindings();
    Optional<String> bindRefused =
        settings.bind() ? NamespaceBindings.refusedHere() : Optional.empty();
    if (bindRefused.isPresent()) {
      throw new ExtensionConfigurationException(bindRefused.get());
    }
    Diagnostics.Plan diagnostics = Diagnostics.plan(context, settings);
    RunningTopology running;
    try {
      running = topology.start();
    } catch (TopologyException e) {
      DeclarationProblems problems = new DeclarationProblems(context.getRequiredTestClass());
      problems.addAll(e);
      problems.throwIfAny();
      throw e;
    }
    try {
      running.forwardThrough(settings.forwarderPorts());
      NamespaceBindings bindings =
          settings.bind() ? NamespaceBindings.bind(running.namespaces()) : NamespaceBindings.none();
      DefaultNetwork network =
          new DefaultNetwork(
              running,
              settings.require().fails(),
              settings.seedForNewNetwork(),
              settings.seed().isPresent() ? SeedOrigin.SETTING : SeedOrigin.DRAWN,
              ReportLayout.testDirectory(settings.reportDir(), context));
      return new NetworkResource(
          network,
          owner,
          settings.threadLeaks(),
          settings.faultEffects(),
          bindings,
          diagnostics.start(network),
          settings.machineView());
    } catch (IOException | RuntimeException e) {
      try {
        running.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }
}

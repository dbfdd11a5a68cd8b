package dev.netns.junit.internal;

import dev.netns.topology.Topology;
import dev.netns.topology.TopologyException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The problems found in a test class's declarations, reported together in one {@code Invalid
 * network declared on ...} message (the only place that builds it), so that a user fixes them all
 * in one round.
 */
final class DeclarationProblems {
  private final Class<?> testClass;
  private final List<String> problems = new ArrayList<>();
  private TopologyException cause;

  DeclarationProblems(Class<?> testClass) {
    this.testClass = testClass;
  }

  void add(String problem) {
    problems.add(problem);
  }

  /** Builds {@code builder}, or keeps its problems and returns null. */
  Topology build(Topology.Builder builder) {
    try {
      return builder.build();
    } catch (TopologyException e) {
      addAll(e);
      return null;
    }
  }

  /** Keeps the problems of a topology that could not be built or started. */
  void addAll(TopologyException e) {
    problems.addAll(e.problems());
    if (cause == null) {
      cause = e;
    }
  }

  /** Throws every problem found so far in one exception; returns when there is none. */
  void throwIfAny() {
    if (!problems.isEmpty()) {
      throw exception();
    }
  }

  private ExtensionConfigurationException exception() {
    return new ExtensionConfigurationException(
        "Invalid network declared on "
            + testClass.getName()
            + ":\n- "
            + String.join("\n- ", problems),
        cause);
  }

  /** The exception for one problem, to throw at once. */
  static ExtensionConfigurationException single(Class<?> testClass, String problem) {
    DeclarationProblems problems = new DeclarationProblems(testClass);
    problems.add(problem);
    return problems.exception();
  }
}

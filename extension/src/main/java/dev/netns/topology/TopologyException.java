package dev.netns.topology;

import java.util.ArrayList;
import java.util.List;

/** A topology that cannot be built as declared; each problem names the declaration at fault. */
public final class TopologyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  // An ArrayList, not a List: the exception is Serializable, and so must its fields be.
  private final ArrayList<String> problems;

  public TopologyException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = new ArrayList<>(problems);
  }

  /** Every problem found, one sentence each. */
  public List<String> problems() {
    return List.copyOf(problems);
  }
}

package dev.netns.topology;

import java.util.List;

/** A topology that cannot be built as declared; each problem names the declaration at fault. */
public final class TopologyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public TopologyException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, one sentence each. */
  public List<String> problems() {
    return problems;
  }
}

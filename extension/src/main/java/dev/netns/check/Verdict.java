package dev.netns.check;

/** What the search decided. */
public enum Verdict {
  /** Some order of the operations, each placed between its invocation and completion, is legal. */
  LINEARIZABLE,
  /** No such order exists. */
  ILLEGAL,
  /** The time budget ran out before the search decided. */
  UNKNOWN
}

package dev.netns.check;

import java.util.List;

/**
 * The outcome of one search. When ILLEGAL, {@code longestPrefix} is the longest sequence of
 * operations the search could linearize (by index, in order) and {@code blocking} the operation
 * whose completion came before it could be placed after that prefix; both are empty or -1
 * otherwise.
 */
public record SearchResult(Verdict verdict, List<Integer> longestPrefix, int blocking) {
  /** Copies the prefix. */
  public SearchResult {
    longestPrefix = List.copyOf(longestPrefix);
  }

  static SearchResult of(Verdict verdict) {
    return new SearchResult(verdict, List.of(), -1);
  }
}

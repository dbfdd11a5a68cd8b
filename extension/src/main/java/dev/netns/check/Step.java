package dev.netns.check;

import java.util.Optional;

/**
 * A sequential specification seen by the search: applies operation {@code op} (an index into the
 * history) to a state. Empty means the operation cannot take effect in that state with the result
 * it had. States must implement {@code equals} and {@code hashCode}: the search memoizes on them.
 *
 * @param <S> the model's state
 */
@FunctionalInterface
public interface Step<S> {
  /** The state after {@code op}, or empty when {@code op} is impossible in {@code state}. */
  Optional<S> apply(S state, int op);
}

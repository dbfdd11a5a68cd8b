package dev.netns.junit;

import java.util.List;
import java.util.Optional;

/**
 * A sequential specification for {@link Linearizability}: the state of the object, and what one
 * operation does to it. The state must be immutable and implement {@code equals} and {@code
 * hashCode}, because the checker remembers which (operations placed, state) pairs it has tried.
 * {@link Models} has a register, a key-value map and a set.
 *
 * <pre>{@code
 * enum CounterOp { ADD, READ }
 *
 * Model<Long> counter = new Model<>() {
 *   public Long initial() { return 0L; }
 *   public Optional<Long> step(Long value, Operation op) {
 *     return switch ((CounterOp) op.function()) {
 *       case ADD -> Optional.of(value + (Long) op.argument());
 *       case READ -> op.resultKnown() && value.equals(op.result())
 *           ? Optional.of(value) : Optional.empty();
 *     };
 *   }
 * };
 * }</pre>
 *
 * @param <S> the state
 */
public interface Model<S> {
  /** The state before any operation. */
  S initial();

  /**
   * The state after {@code operation}, or empty when it cannot take effect in {@code state} with
   * the result it had. For an operation whose outcome is unknown ({@link Operation#resultKnown()}
   * false) the result means nothing: give the state it would have if it took effect, or empty when
   * taking effect would change nothing (the checker may also leave it out).
   */
  Optional<S> step(S state, Operation operation);

  /**
   * Splits a history into parts checked independently, each from {@link #initial()}; the whole
   * history by default. {@link Models#perKey} splits by {@link Operation#key()}.
   */
  default List<List<Operation>> partition(List<Operation> operations) {
    return List.of(operations);
  }
}

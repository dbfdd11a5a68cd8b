package dev.netns.junit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in {@link Model}s: a register, a key-value map (a register per key) and a set. Results
 * and arguments compare with {@code equals}, so record the same types the model starts with (an
 * {@code Integer} read does not equal a {@code Long} written).
 *
 * <pre>{@code
 * history.call(0, Op.WRITE, "x", 3, () -> { store.put("x", 3); return null; }, e -> false);
 * history.call(1, Op.READ, "x", null, () -> store.get("x"), e -> false);
 * Linearizability.check(history, Models.keyValue(), Duration.ofSeconds(10)).assertLinearizable();
 * }</pre>
 */
public final class Models {
  private Models() {}

  /** The operations of the built-in models. */
  public enum Op {
    /** Register: result is the value read. Set: result is every element, as a collection. */
    READ,
    /** Register: argument is the value written. */
    WRITE,
    /**
     * Register: argument is a {@link Cas}; result {@code true} or null when it swapped, {@code
     * false} when it saw another value and changed nothing.
     */
    CAS,
    /** Set: argument is the element added. */
    ADD,
    /** Set: argument is the element, result a {@code Boolean}. */
    CONTAINS
  }

  /**
   * The argument of {@link Op#CAS}: set the register to {@code value} if it holds {@code expected}.
   *
   * @param expected the value the register must hold
   * @param value the value it then holds
   */
  public record Cas(Object expected, Object value) {
    @Override
    public String toString() {
      return expected + "->" + value;
    }
  }

  /** A register that starts empty (null): {@link Op#READ}, {@link Op#WRITE}, {@link Op#CAS}. */
  public static Model<?> register() {
    return register(null);
  }

  /** A register that starts holding {@code initial}. */
  public static Model<?> register(Object initial) {
    return new Register(new Cell(initial));
  }

  /** A map of registers, each key checked on its own (see {@link #perKey}). */
  public static Model<?> keyValue() {
    return perKey(register());
  }

  /**
   * Checks each key's operations on their own against {@code model}. Linearizability is local
   * (Herlihy and Wing): a history is linearizable when each object's is, and checking keys apart
   * keeps the search small.
   */
  public static <S> Model<S> perKey(Model<S> model) {
    Objects.requireNonNull(model, "model");
    return new Model<>() {
      @Override
      public S initial() {
        return model.initial();
      }

      @Override
      public Optional<S> step(S state, Operation operation) {
        return model.step(state, operation);
      }

      @Override
      public List<List<Operation>> partition(List<Operation> operations) {
        Map<Object, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation op : operations) {
          byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        return List.copyOf(byKey.values());
      }
    };
  }

  /**
   * A set that starts empty: {@link Op#ADD}, {@link Op#READ} (all elements), {@link Op#CONTAINS}.
   */
  public static Model<?> set() {
    return new SetModel();
  }

  /** The register's state; a record so that an empty register (null) is a state like any other. */
  private record Cell(Object value) {}

  private record Register(Cell initial) implements Model<Cell> {
    @Override
    public Optional<Cell> step(Cell state, Operation op) {
      return switch (expect(op, Op.READ, Op.WRITE, Op.CAS)) {
        case READ ->
            // A read of unknown result changes nothing: leaving it out is the same.
            op.resultKnown() && Objects.equals(state.value(), op.result())
                ? Optional.of(state)
                : Optional.empty();
        case WRITE -> Optional.of(new Cell(op.argument()));
        case CAS -> {
          if (!(op.argument() instanceof Cas cas)) {
            throw new IllegalArgumentException("CAS needs a Models.Cas argument: " + op);
          }
          boolean holds = Objects.equals(state.value(), cas.expected());
          if (op.resultKnown() && Boolean.FALSE.equals(op.result())) {
            yield holds ? Optional.empty() : Optional.of(state);
          }
          yield holds ? Optional.of(new Cell(cas.value())) : Optional.empty();
        }
        default -> throw new AssertionError(op);
      };
    }
  }

  private static final class SetModel implements Model<Set<Object>> {
    @Override
    public Set<Object> initial() {
      return Set.of();
    }

    @Override
    public Optional<Set<Object>> step(Set<Object> state, Operation op) {
      return switch (expect(op, Op.ADD, Op.READ, Op.CONTAINS)) {
        case ADD -> {
          Set<Object> next = new HashSet<>(state);
          next.add(op.argument());
          yield Optional.of(Set.copyOf(next));
        }
        case READ ->
            op.resultKnown()
                    && op.result() instanceof Collection<?> read
                    && state.equals(new HashSet<>(read))
                ? Optional.of(state)
                : Optional.empty();
        case CONTAINS ->
            op.resultKnown() && Boolean.valueOf(state.contains(op.argument())).equals(op.result())
                ? Optional.of(state)
                : Optional.empty();
        default -> throw new AssertionError(op);
      };
    }
  }

  private static Op expect(Operation op, Op... allowed) {
    for (Op a : allowed) {
      if (a == op.function()) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "the model takes " + List.of(allowed) + ", not " + op.function() + ": " + op);
  }
}

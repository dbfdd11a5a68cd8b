package dev.netns.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a history of operations is linearizable against a sequential step function.
 *
 * <p>Events (calls and returns) form a doubly linked list in time order. The search walks it from
 * the front: at a call it tries to apply the operation now and, when the model allows it, lifts the
 * call and its return out of the list and starts again from the front; at a return of an operation
 * not yet placed it backtracks, because that operation had to take effect before it returned. Each
 * (set of placed operations, state) pair is tried at most once (Lowe's memoization), which is what
 * keeps ordinary histories close to linear. An operation whose outcome is unknown has no return
 * event: it may be placed at any point after its call, or never, so it never forces a backtrack and
 * the search succeeds once every operation with a known outcome is placed.
 */
public final class LinearizationSearch {
  /** How many steps between two looks at the clock. */
  private static final int CLOCK_EVERY = 1 << 10;

  private LinearizationSearch() {}

  /**
   * Searches for a linearization.
   *
   * @param invoked when each operation was invoked (any monotonic unit)
   * @param completed when each returned, or {@link Long#MAX_VALUE} when its outcome is unknown
   * @param initial the model's initial state
   * @param step the model
   * @param deadline the {@link System#nanoTime()} after which the search gives up with UNKNOWN
   */
  public static <S> SearchResult search(
      long[] invoked, long[] completed, S initial, Step<S> step, long deadline) {
    if (invoked.length != completed.length) {
      throw new IllegalArgumentException("invoked and completed differ in length");
    }
    int n = invoked.length;
    Event head = link(invoked, completed);
    int required = 0;
    for (long c : completed) {
      if (c != Long.MAX_VALUE) {
        required++;
      }
    }
    Bits placed = new Bits(n);
    Set<Memo> seen = new HashSet<>();
    Deque<Placed<S>> stack = new ArrayDeque<>();
    S state = initial;
    Event event = head.next;
    List<Integer> longest = List.of();
    int blocking = -1;
    long steps = 0;
    while (required > 0) {
      if (++steps % CLOCK_EVERY == 0 && System.nanoTime() - deadline > 0) {
        return SearchResult.of(Verdict.UNKNOWN);
      }
      if (event == null) {
        // Cannot happen: a required operation not yet placed has its return ahead.
        throw new IllegalStateException("ran off the event list with operations left");
      }
      if (event.call) {
        Optional<S> next = step.apply(state, event.op);
        if (next.isPresent()) {
          placed.set(event.op);
          if (seen.add(new Memo(placed.copy(), next.get()))) {
            stack.push(new Placed<>(event, state));
            state = next.get();
            event.lift();
            if (event.match != null) {
              required--;
            }
            event = head.next;
            continue;
          }
          placed.clear(event.op);
        }
        event = event.next;
      } else {
        if (stack.size() > longest.size() || blocking < 0) {
          longest = prefix(stack);
          blocking = event.op;
        }
        if (stack.isEmpty()) {
          return new SearchResult(Verdict.ILLEGAL, longest, blocking);
        }
        Placed<S> last = stack.pop();
        placed.clear(last.call.op);
        state = last.before;
        last.call.unlift();
        if (last.call.match != null) {
          required++;
        }
        event = last.call.next;
      }
    }
    return SearchResult.of(Verdict.LINEARIZABLE);
  }

  private static List<Integer> prefix(Deque<? extends Placed<?>> stack) {
    List<Integer> ops = new ArrayList<>(stack.size());
    stack.descendingIterator().forEachRemaining(p -> ops.add(p.call().op));
    return ops;
  }

  /** Builds the event list behind a sentinel head; calls sort before returns at the same time. */
  private static Event link(long[] invoked, long[] completed) {
    List<Event> events = new ArrayList<>();
    for (int op = 0; op < invoked.length; op++) {
      if (completed[op] < invoked[op]) {
        throw new IllegalArgumentException("operation " + op + " completed before it was invoked");
      }
      Event call = new Event(op, true, invoked[op]);
      events.add(call);
      if (completed[op] != Long.MAX_VALUE) {
        Event ret = new Event(op, false, completed[op]);
        call.match = ret;
        events.add(ret);
      }
    }
    events.sort(
        Comparator.comparingLong((Event e) -> e.time)
            .thenComparing(e -> !e.call)
            .thenComparingInt(e -> e.op));
    Event head = new Event(-1, false, Long.MIN_VALUE);
    Event prev = head;
    for (Event e : events) {
      prev.next = e;
      e.prev = prev;
      prev = e;
    }
    return head;
  }

  /** A call or a return in the list; a call knows its return, when it has one. */
  private static final class Event {
    final int op;
    final boolean call;
    final long time;
    Event match;
    Event prev;
    Event next;

    Event(int op, boolean call, long time) {
      this.op = op;
      this.call = call;
      this.time = time;
    }

    /** Unlinks this call and its return, keeping their own links for {@link #unlift}. */
    void lift() {
      unlink(this);
      if (match != null) {
        unlink(match);
      }
    }

    /** Undoes {@link #lift}, in reverse order. */
    void unlift() {
      if (match != null) {
        relink(match);
      }
      relink(this);
    }

    private static void unlink(Event e) {
      e.prev.next = e.next;
      if (e.next != null) {
        e.next.prev = e.prev;
      }
    }

    private static void relink(Event e) {
      e.prev.next = e;
      if (e.next != null) {
        e.next.prev = e;
      }
    }
  }

  private record Placed<S>(Event call, S before) {}

  /** A record compares {@code state} with {@code Objects.equals}, so a null state is fine. */
  private record Memo(Key placed, Object state) {}

  /** A fixed-size bit set of the operations placed. */
  private static final class Bits {
    private final long[] words;

    /** Words before this one are all ones. */
    private int full;

    /** Words from this one on are all zeros. */
    private int end;

    Bits(int size) {
      words = new long[(size + 63) >>> 6];
    }

    void set(int i) {
      int w = i >>> 6;
      words[w] |= 1L << i;
      end = Math.max(end, w + 1);
      while (full < words.length && words[full] == -1L) {
        full++;
      }
    }

    void clear(int i) {
      int w = i >>> 6;
      words[w] &= ~(1L << i);
      full = Math.min(full, w);
      while (end > 0 && words[end - 1] == 0) {
        end--;
      }
    }

    /**
     * A compact copy for the memo: words as (value, repeat count) runs without the trailing zeros.
     * The placed set is mostly a run of ones (everything early), a few mixed words, then zeros, so
     * a key costs a few words instead of one bit per operation, which a long history's memo,
     * holding one key per step, could not afford.
     */
    Key copy() {
      long[] runs = new long[8];
      int n = 0;
      if (full > 0) {
        runs[n++] = -1L;
        runs[n++] = full;
      }
      for (int i = full; i < end; ) {
        int j = i + 1;
        while (j < end && words[j] == words[i]) {
          j++;
        }
        if (n + 2 > runs.length) {
          runs = Arrays.copyOf(runs, runs.length * 2);
        }
        runs[n++] = words[i];
        runs[n++] = j - i;
        i = j;
      }
      return new Key(Arrays.copyOf(runs, n));
    }
  }

  /** A placed set, run-length encoded by {@link Bits#copy}. */
  private static final class Key {
    private final long[] runs;
    private final int hash;

    Key(long[] runs) {
      this.runs = runs;
      this.hash = Arrays.hashCode(runs);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash && Arrays.equals(runs, k.runs);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}

package dev.netns.benchmarks;

import dev.netns.junit.CheckResult;
import dev.netns.junit.Linearizability;
import dev.netns.junit.Model;
import dev.netns.junit.Models;
import dev.netns.junit.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long the linearizability checker takes on histories of a correct register (the common case: a
 * passing test pays for a full search), by length ({@code operations}) and concurrency ({@code
 * clients}). The history comes from a simulated register: each client invokes, takes effect and
 * completes at random later ticks, so operations overlap at random; one operation in 20 fails
 * before taking effect and about one in 10 ends with an unknown outcome ({@code unknown}, having
 * taken effect or not). Plain Java, no kernel: runs without root.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LinearizabilityBenchmark {
  @Param({"1000", "10000"})
  public int operations;

  @Param({"5", "10"})
  public int clients;

  @Param({"true", "false"})
  public boolean unknown;

  private List<Operation> history;
  private final Model<?> register = Models.register(0);

  @Setup(Level.Trial)
  public void simulate() {
    history = registerHistory(new Random(42), clients, operations, unknown);
  }

  @Benchmark
  public CheckResult check() {
    CheckResult result = Linearizability.check(history, register, Duration.ofMinutes(5));
    if (!result.isLinearizable()) {
      throw new IllegalStateException(result.toString());
    }
    return result;
  }

  private enum Phase {
    IDLE,
    INVOKED,
    APPLIED
  }

  /** A history of a correct register under random overlaps; always linearizable. */
  static List<Operation> registerHistory(
      Random random, int clients, int operations, boolean unknown) {
    List<Operation> history = new ArrayList<>();
    Phase[] phase = new Phase[clients];
    Arrays.fill(phase, Phase.IDLE);
    Models.Op[] function = new Models.Op[clients];
    Integer[] argument = new Integer[clients];
    Integer[] result = new Integer[clients];
    long[] invoked = new long[clients];
    int value = 0;
    int nextWrite = 1;
    int started = 0;
    int busy = 0;
    for (long tick = 1; started < operations || busy > 0; tick++) {
      int c = random.nextInt(clients);
      switch (phase[c]) {
        case IDLE -> {
          if (started < operations) {
            started++;
            busy++;
            boolean write = random.nextBoolean();
            function[c] = write ? Models.Op.WRITE : Models.Op.READ;
            argument[c] = write ? nextWrite++ : null;
            invoked[c] = tick;
            phase[c] = Phase.INVOKED;
          }
        }
        case INVOKED -> {
          int roll = random.nextInt(20);
          if (roll == 0 || (unknown && roll == 1)) {
            Operation.Outcome outcome = roll == 0 ? Operation.Outcome.FAIL : Operation.Outcome.INFO;
            history.add(op(c, function[c], argument[c], null, outcome, invoked[c], tick));
            phase[c] = Phase.IDLE;
            busy--;
          } else {
            if (function[c] == Models.Op.WRITE) {
              value = argument[c];
            } else {
              result[c] = value;
            }
            phase[c] = Phase.APPLIED;
          }
        }
        case APPLIED -> {
          boolean lost = unknown && random.nextInt(20) == 0;
          history.add(
              lost
                  ? op(c, function[c], argument[c], null, Operation.Outcome.INFO, invoked[c], tick)
                  : op(
                      c,
                      function[c],
                      argument[c],
                      result[c],
                      Operation.Outcome.OK,
                      invoked[c],
                      tick));
          phase[c] = Phase.IDLE;
          busy--;
        }
      }
    }
    return history;
  }

  private static Operation op(
      int process,
      Models.Op function,
      Integer argument,
      Integer result,
      Operation.Outcome outcome,
      long invoked,
      long completed) {
    return new Operation(
        process,
        function,
        null,
        argument,
        function == Models.Op.READ ? result : null,
        outcome,
        invoked * 1000,
        completed * 1000);
  }
}

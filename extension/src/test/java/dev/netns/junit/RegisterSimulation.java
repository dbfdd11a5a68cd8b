package dev.netns.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs a correct register under random interleavings: each client invokes, takes effect at a later
 * tick and completes at a later one still, so operations overlap at random. Some operations time
 * out (unknown outcome, having taken effect or not) and some fail before taking effect.
 */
final class RegisterSimulation {
  private RegisterSimulation() {}

  private enum Phase {
    IDLE,
    INVOKED,
    APPLIED
  }

  static List<Operation> run(Random random, int clients, int operations) {
    List<Operation> history = new ArrayList<>();
    Phase[] phase = new Phase[clients];
    Models.Op[] function = new Models.Op[clients];
    Object[] argument = new Object[clients];
    Object[] result = new Object[clients];
    long[] invoked = new long[clients];
    java.util.Arrays.fill(phase, Phase.IDLE);
    int value = 0;
    int nextWrite = 1;
    int started = 0;
    long tick = 0;
    while (started < operations || java.util.Arrays.stream(phase).anyMatch(p -> p != Phase.IDLE)) {
      tick++;
      int c = random.nextInt(clients);
      switch (phase[c]) {
        case IDLE -> {
          if (started < operations) {
            started++;
            boolean write = random.nextBoolean();
            function[c] = write ? Models.Op.WRITE : Models.Op.READ;
            argument[c] = write ? nextWrite++ : null;
            invoked[c] = tick;
            phase[c] = Phase.INVOKED;
          }
        }
        case INVOKED -> {
          int roll = random.nextInt(20);
          if (roll == 0) {
            history.add(
                done(c, function[c], argument[c], null, Operation.Outcome.FAIL, invoked[c], tick));
            phase[c] = Phase.IDLE;
          } else if (roll == 1) {
            // Timed out before it took effect, and never does.
            history.add(
                done(c, function[c], argument[c], null, Operation.Outcome.INFO, invoked[c], tick));
            phase[c] = Phase.IDLE;
          } else {
            if (function[c] == Models.Op.WRITE) {
              value = (Integer) argument[c];
              result[c] = null;
            } else {
              result[c] = value;
            }
            phase[c] = Phase.APPLIED;
          }
        }
        case APPLIED -> {
          Operation.Outcome outcome =
              random.nextInt(20) == 0 ? Operation.Outcome.INFO : Operation.Outcome.OK;
          history.add(done(c, function[c], argument[c], result[c], outcome, invoked[c], tick));
          phase[c] = Phase.IDLE;
        }
      }
    }
    return history;
  }

  private static Operation done(
      int process,
      Models.Op f,
      Object argument,
      Object result,
      Operation.Outcome outcome,
      long invoked,
      long completed) {
    return new Operation(
        process,
        f,
        null,
        argument,
        outcome == Operation.Outcome.OK ? result : null,
        outcome,
        invoked * 1000,
        completed * 1000);
  }
}

package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The userspace forwarder never closes a packet socket under one of its own threads, even when the
 * thread that heals is interrupted. Hosts are named for this class alone, so that the forwarder's
 * thread names are its own while other tests run in parallel.
 */
@Tag("privileged")
@NetNamespace("fwd1")
@NetNamespace("fwd2")
@VethLink(
    a = "fwd1",
    aAddress = "10.9.8.1/24",
    b = "fwd2",
    bAddress = "10.9.8.2/24",
    impairable = true)
class ForwarderShutdownTest {

  @Test
  void healingFromAnInterruptedThreadStillWaitsForTheForwarderBeforeClosingItsSockets(
      Network network) {
    Fault fault =
        network
            .link("fwd1", "fwd2")
            .impair("fwd1", Impairment.none().withDelay(Duration.ofNanos(1)).withSeed(1));
    // One thread per direction with packet rings, a reader and a sender per direction without.
    assertThat(forwarderThreads())
        .as("forwarder threads while impaired")
        .anyMatch(n -> n.contains("a->b"))
        .anyMatch(n -> n.contains("b->a"))
        .hasSizeBetween(2, 4);
    boolean stillInterrupted;
    Thread.currentThread().interrupt();
    try {
      fault.heal();
    } finally {
      stillInterrupted = Thread.interrupted();
    }
    // Its sockets are closed only once its threads are gone: never under a live reader.
    assertThat(forwarderThreads()).as("forwarder threads after heal").isEmpty();
    assertThat(stillInterrupted).as("the interrupt is kept for the caller").isTrue();
  }

  private static List<String> forwarderThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("netns-wire fwd1-fwd2 "))
        .toList();
  }
}

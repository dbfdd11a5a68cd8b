package dev.netns.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpreadTest {

  @Test
  void smallWorkIsNotSpread() {
    assertThat(Spread.parts(0)).isEqualTo(1);
    assertThat(Spread.parts(Spread.MIN_PER_PART * 2 - 1)).isEqualTo(1);
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(Spread.parts(Spread.MIN_PER_PART * 1000)).isEqualTo(cores);
  }

  @Test
  void splitKeepsOrderAndEvensTheParts() {
    List<Integer> items = IntStream.range(0, 10).boxed().toList();
    List<List<Integer>> parts = Spread.split(items, 3);
    assertThat(parts).containsExactly(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8, 9));
    assertThat(Spread.split(items, 1)).containsExactly(items);
  }

  @Test
  void partsRunAtOnceAndEveryOutcomeIsKept() {
    // Each part waits for all the others: only parts running at once get past the latch.
    CountDownLatch all = new CountDownLatch(3);
    List<Spread.Outcome<String>> outcomes =
        Spread.run(
            List.of("a", "b", "c"),
            part -> {
              all.countDown();
              if (!all.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("part " + part + " ran alone");
              }
              if (part.equals("b")) {
                throw new IllegalStateException("b failed");
              }
              return part + " on " + Thread.currentThread().getName();
            });

    assertThat(outcomes).hasSize(3);
    assertThat(outcomes.get(0).result()).isEqualTo("a on " + Thread.currentThread().getName());
    assertThat(outcomes.get(1).ok()).isFalse();
    assertThat(outcomes.get(2).result()).isEqualTo("c on netns-build-2");
    assertThatThrownBy(() -> Spread.failures(outcomes).throwIfAny())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("b failed");
  }
}

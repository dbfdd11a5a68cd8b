package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.junit.Impairment.JitterDistribution;
import dev.netns.junit.Impairment.LossBursts;
import dev.netns.junit.Impairment.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link Impairment} as a value: one part changed per wither, checked when built. */
class ImpairmentTest {
  private static final Duration FIFTY_MS = Duration.ofMillis(50);

  @Test
  void noneAsksForNothingAndTakesTheAutomaticPath() {
    Impairment none = Impairment.none();
    assertThat(none)
        .isEqualTo(
            new Impairment(
                0,
                Duration.ZERO,
                Duration.ZERO,
                JitterDistribution.UNIFORM,
                0,
                LossBursts.NONE,
                0,
                0,
                0,
                OptionalLong.empty(),
                Path.AUTO));
    assertThat(none.isRateOnly()).isTrue();
    assertThat(none.needsUserspace()).isFalse();
    assertThat(none).hasToString("none");
  }

  @Test
  void eachWitherChangesItsPartAndLeavesTheOthers() {
    Impairment all =
        Impairment.none()
            .withRate(8_000_000)
            .withDelay(FIFTY_MS)
            .withJitter(Duration.ofMillis(5))
            .withJitterDistribution(JitterDistribution.NORMAL)
            .withLoss(1)
            .withLossBursts(2, 25)
            .withDuplicate(3)
            .withReorder(4)
            .withCorrupt(5)
            .withSeed(42)
            .withPath(Path.USERSPACE);
    assertThat(all)
        .isEqualTo(
            new Impairment(
                8_000_000,
                FIFTY_MS,
                Duration.ofMillis(5),
                JitterDistribution.NORMAL,
                1,
                new LossBursts(2, 25),
                3,
                4,
                5,
                OptionalLong.of(42),
                Path.USERSPACE));
    assertThat(all)
        .hasToString(
            "rate 8000000 bit/s, delay 50 ms, jitter 5 ms (normal), loss 1.0 %, loss bursts"
                + " 2.0/25.0 %, duplicate 3.0 %, reorder 4.0 %, corrupt 5.0 %");
    // A copy: the original is unchanged.
    Impairment slow = Impairment.none().withDelay(FIFTY_MS);
    assertThat(slow.withLoss(10).delay()).isEqualTo(FIFTY_MS);
    assertThat(slow.loss()).isZero();
    assertThat(slow.withSeed(7)).isNotEqualTo(slow.withSeed(8));
  }

  @Test
  void aRateAloneIsRateOnlyAndNeedsNoUserspace() {
    Impairment rate = Impairment.none().withRate(1_000_000);
    assertThat(rate.isRateOnly()).isTrue();
    assertThat(rate.needsUserspace()).isFalse();
    assertThat(rate.withDelay(FIFTY_MS).isRateOnly()).isFalse();
  }

  @Test
  void aSeedBurstsOrNormalJitterNeedTheUserspacePath() {
    assertThat(Impairment.none().withLoss(5).needsUserspace()).isFalse();
    assertThat(Impairment.none().withLoss(5).withSeed(1).needsUserspace()).isTrue();
    assertThat(Impairment.none().withLossBursts(1, 50).needsUserspace()).isTrue();
    assertThat(
            Impairment.none()
                .withJitter(Duration.ofMillis(1))
                .withJitterDistribution(JitterDistribution.NORMAL)
                .needsUserspace())
        .isTrue();
  }

  @Test
  void badPartsAreRefusedWhenBuilt() {
    assertThatThrownBy(() -> Impairment.none().withLoss(101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loss must be a percentage 0..100, not 101.0");
    assertThatThrownBy(() -> Impairment.none().withDuplicate(Double.NaN))
        .hasMessage("duplicate must be a percentage 0..100, not NaN");
    assertThatThrownBy(() -> Impairment.none().withLossBursts(5, -1))
        .hasMessage("burst end must be a percentage 0..100, not -1.0");
    assertThatThrownBy(() -> Impairment.none().withRate(0))
        .hasMessage("rate must be positive, not 0 bit/s");
    assertThatThrownBy(() -> Impairment.none().withDelay(Duration.ofMillis(-1)))
        .hasMessage("delay must not be negative, not PT-0.001S");
    assertThatThrownBy(() -> Impairment.none().withJitter(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("jitter");
    assertThatThrownBy(() -> Impairment.none().withPath(null)).hasMessage("path");
  }
}

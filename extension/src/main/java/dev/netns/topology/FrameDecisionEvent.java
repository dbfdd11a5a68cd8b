package dev.netns.topology;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * JDK Flight Recorder: what the userspace forwarder decided for one frame under an impairment,
 * sampled (one frame in {@value #EVERY} per direction), so that a recording stays small at tens of
 * thousands of frames a second.
 */
@Name("dev.netns.FrameDecision")
@Label("Impaired Frame (sampled)")
@Category({"netns-junit", "Faults"})
@Description("The fate of one impaired frame in the userspace forwarder, one frame in 64")
final class FrameDecisionEvent extends Event {
  static final int EVERY = 64;

  @Label("Direction")
  String direction;

  @Label("Frame")
  @DataAmount
  int bytes;

  @Label("Dropped")
  boolean dropped;

  @Label("Duplicated")
  boolean duplicated;

  @Label("Delay")
  @Timespan(Timespan.NANOSECONDS)
  long delay;

  /** Records the {@code decision}-th decision of a direction if it is one of the sampled ones. */
  static void sample(
      long decision, String direction, int bytes, FrameSchedule.Fate fate, long delayNanos) {
    if (decision % EVERY != 0) {
      return;
    }
    FrameDecisionEvent event = new FrameDecisionEvent();
    if (event.shouldCommit()) {
      event.direction = direction;
      event.bytes = bytes;
      event.dropped = fate.drop();
      event.duplicated = fate.duplicate();
      event.delay = delayNanos;
      event.commit();
    }
  }
}

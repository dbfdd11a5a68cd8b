package dev.netns.topology;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JDK Flight Recorder: a fault healed, or a heal that failed part of the way. */
@Name("dev.netns.FaultHeal")
@Label("Fault Healed")
@Category({"netns-junit", "Faults"})
@Description("A fault undone on the test network")
final class FaultHealEvent extends Event {
  @Label("Fault")
  String fault;

  @Label("Succeeded")
  boolean succeeded;
}

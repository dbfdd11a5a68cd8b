package dev.netns.topology;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JDK Flight Recorder: a fault put in force, recorded once its last kernel change is done. */
@Name("dev.netns.FaultApply")
@Label("Fault Applied")
@Category({"netns-junit", "Faults"})
@Description("A fault put in force on the test network")
final class FaultApplyEvent extends Event {
  @Label("Fault")
  String fault;
}

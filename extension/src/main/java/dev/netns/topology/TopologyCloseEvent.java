package dev.netns.topology;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JDK Flight Recorder: a topology torn down ({@link RunningTopology#close}): faults healed,
 * machine-side ends taken down, namespaces closed.
 */
@Name("dev.netns.TopologyClose")
@Label("Network Teardown")
@Category({"netns-junit", "Network"})
@Description("A test network torn down: faults healed, machine-side ends down, namespaces closed")
final class TopologyCloseEvent extends Event {
  @Label("Namespaces")
  int namespaces;
}

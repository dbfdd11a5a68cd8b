package dev.netns.topology;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JDK Flight Recorder: a topology built in the kernel ({@link RunningTopology#start}), from the
 * check of the machine's routes to the last address, route and sysctl. Costs nothing unless a
 * recording enables it (see docs/flight-recorder.md).
 */
@Name("dev.netns.TopologyStart")
@Label("Network Start")
@Category({"netns-junit", "Network"})
@Description("A test network built: namespaces, links, LANs, addresses and routes")
final class TopologyStartEvent extends Event {
  @Label("Hosts")
  int hosts;

  @Label("Links")
  int links;

  @Label("LANs")
  int lans;

  @Label("Succeeded")
  boolean succeeded;

  static TopologyStartEvent begin(Topology topology) {
    TopologyStartEvent event = new TopologyStartEvent();
    if (event.isEnabled()) {
      event.hosts = topology.hosts().size();
      event.links = topology.links().size();
      event.lans = topology.lans().size();
      event.begin();
    }
    return event;
  }

  void end(boolean ok) {
    if (isEnabled()) {
      succeeded = ok;
      commit();
    }
  }
}

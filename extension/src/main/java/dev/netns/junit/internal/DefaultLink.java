package dev.netns.junit.internal;

import dev.netns.junit.CidrAddress;
import dev.netns.junit.Fault;
import dev.netns.junit.Impairment;
import dev.netns.junit.Link;
import dev.netns.topology.RunningTopology;
import dev.netns.topology.VethPair;
import java.util.List;

/** {@link Link} over a running veth pair. */
final class DefaultLink implements Link {
  private final VethPair pair;
  private final RunningTopology running;

  private final boolean required;
  private final DefaultNetwork network;

  DefaultLink(VethPair pair, RunningTopology running, boolean required, DefaultNetwork network) {
    this.pair = pair;
    this.running = running;
    this.required = required;
    this.network = network;
  }

  @Override
  public Fault disconnect() {
    return new DefaultFault(running.faults().disconnect(pair));
  }

  @Override
  public Fault impair(String from, Impairment impairment) {
    if (!from.equals(pair.a()) && !from.equals(pair.b())) {
      throw new IllegalArgumentException(
          "impair: '"
              + from
              + "' is no end of link "
              + this
              + "; its ends are "
              + pair.a()
              + " and "
              + pair.b());
    }
    return new DefaultFault(
        Impairments.apply(
            running.faults(),
            new Impairments.OnLink(pair, from),
            impairment,
            required,
            network.defaultSeed(),
            network::recordSeed));
  }

  @Override
  public String a() {
    return pair.a();
  }

  @Override
  public String b() {
    return pair.b();
  }

  @Override
  public String interfaceIn(String namespace) {
    return pair.interfaceIn(namespace);
  }

  @Override
  public List<CidrAddress> addressesIn(String namespace) {
    return pair.addressesIn(namespace).stream().map(NamespaceInspection::cidrAddress).toList();
  }

  @Override
  public void down() {
    running.faults().takeDown(pair);
  }

  @Override
  public void up() {
    running.faults().bringUp(pair);
  }

  @Override
  public String toString() {
    return pair.a() + ":" + pair.aInterface() + "<->" + pair.b() + ":" + pair.bInterface();
  }
}

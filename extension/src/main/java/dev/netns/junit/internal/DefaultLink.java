package dev.netns.junit.internal;

import dev.netns.junit.Link;
import dev.netns.kernel.Cidr;
import dev.netns.kernel.Links;
import dev.netns.topology.RunningTopology;
import dev.netns.topology.VethPair;
import java.util.List;

/** {@link Link} over a running veth pair. */
final class DefaultLink implements Link {
  private final VethPair pair;
  private final RunningTopology running;

  DefaultLink(VethPair pair, RunningTopology running) {
    this.pair = pair;
    this.running = running;
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
  public List<String> addressesIn(String namespace) {
    return pair.addressesIn(namespace).stream().map(Cidr::toString).toList();
  }

  @Override
  public void down() {
    setUp(false);
  }

  @Override
  public void up() {
    setUp(true);
  }

  private void setUp(boolean up) {
    Links.setUp(running.namespace(pair.a()), pair.aInterface(), up);
    Links.setUp(running.namespace(pair.b()), pair.bInterface(), up);
  }

  @Override
  public String toString() {
    return pair.a() + ":" + pair.aInterface() + "<->" + pair.b() + ":" + pair.bInterface();
  }
}

package dev.netns.junit.internal;

import dev.netns.junit.Impairment;
import dev.netns.junit.NetNamespace;
import dev.netns.kernel.Capabilities;
import dev.netns.kernel.Qdiscs;
import dev.netns.topology.ActiveFault;
import dev.netns.topology.FaultInjector;
import org.opentest4j.TestAbortedException;

/** Applies an {@link Impairment} through the kernel path: TBF for rate alone, else netem. */
final class Impairments {
  private Impairments() {}

  static ActiveFault apply(
      FaultInjector faults, String host, String link, Impairment impairment, boolean required) {
    if (impairment.isRateOnly()) {
      if (impairment.bitsPerSecond() == 0) {
        throw new IllegalArgumentException("impair: Impairment.none() changes nothing");
      }
      return faults.limitRate(host, link, impairment.bitsPerSecond());
    }
    if (!Capabilities.hasQdisc("netem")) {
      String reason =
          "impairment '"
              + impairment
              + "' needs the kernel's netem qdisc, which this kernel does not have (module"
              + " sch_netem). A bandwidth limit alone works everywhere (Impairment.rate).";
      if (required) {
        throw new IllegalStateException(
            NetNamespace.REQUIRE_PROPERTY_NAME
                + "=true, so this test fails instead of being skipped: "
                + reason);
      }
      throw new TestAbortedException("skipped: " + reason);
    }
    return faults.netem(
        host,
        link,
        new Qdiscs.Netem(
            impairment.delay(),
            impairment.jitter(),
            impairment.lossPercent(),
            impairment.duplicatePercent(),
            impairment.reorderPercent(),
            impairment.corruptPercent(),
            impairment.bitsPerSecond() / 8));
  }
}

package dev.netns.junit.internal;

import dev.netns.junit.Impairment;
import dev.netns.junit.NetNamespace;
import dev.netns.kernel.Capabilities;
import dev.netns.kernel.Qdiscs;
import dev.netns.topology.ActiveFault;
import dev.netns.topology.FaultInjector;
import dev.netns.topology.FrameImpairment;
import dev.netns.topology.VethPair;
import java.util.function.Consumer;
import org.opentest4j.TestAbortedException;

/**
 * Carries an {@link Impairment} out on the path it asks for or, on {@link Impairment.Path#AUTO},
 * the best one here: the kernel's TBF for a rate alone, netem where the kernel has it and no seed
 * is asked for, the userspace forwarder otherwise. Fault descriptions say which ran.
 */
final class Impairments {
  private Impairments() {}

  /**
   * Applies {@code impairment} to traffic leaving {@code host} through {@code interfaceName}, which
   * belongs to the veth pair {@code link} or to the LAN {@code lan} (the other one null).
   */
  static ActiveFault apply(
      FaultInjector faults,
      VethPair link,
      String lan,
      String host,
      String interfaceName,
      Impairment impairment,
      boolean required,
      long defaultSeed,
      Consumer<String> seedLog) {
    if (impairment.isRateOnly() && impairment.rate() == 0) {
      throw new IllegalArgumentException("impair: Impairment.none() changes nothing");
    }
    boolean userspaceOnly = impairment.needsUserspace();
    Impairment.Path path = impairment.path();
    if (path == Impairment.Path.AUTO) {
      if (userspaceOnly) {
        path = Impairment.Path.USERSPACE;
      } else if (impairment.isRateOnly() || Capabilities.hasQdisc("netem")) {
        path = Impairment.Path.KERNEL;
      } else if ((link != null && link.impairable()) || lan != null) {
        path = Impairment.Path.USERSPACE;
      } else {
        // No netem and no impairable link: the kernel path says so, and skips.
        path = Impairment.Path.KERNEL;
      }
    }
    if (path == Impairment.Path.USERSPACE) {
      long seed = impairment.seed().orElse(defaultSeed);
      FrameImpairment frames =
          new FrameImpairment(
              impairment.delay().toNanos(),
              impairment.jitter().toNanos(),
              impairment.jitterDistribution() == Impairment.JitterDistribution.NORMAL,
              impairment.loss(),
              impairment.lossBursts().startPercent(),
              impairment.lossBursts().endPercent(),
              impairment.duplicate(),
              impairment.reorder(),
              impairment.corrupt(),
              impairment.rate(),
              seed);
      ActiveFault fault =
          lan != null
              ? faults.userspaceOnLanPort(host, lan, frames)
              : faults.userspace(link, host, frames);
      seedLog.accept(fault.description());
      return fault;
    }
    if (userspaceOnly) {
      throw new IllegalArgumentException(
          "impair: '"
              + impairment
              + "' asks for a seed, loss bursts or normal jitter, which only"
              + " the userspace path offers; drop Impairment.Path.KERNEL");
    }
    if (impairment.isRateOnly()) {
      return faults.limitRate(host, interfaceName, impairment.rate());
    }
    if (!Capabilities.hasQdisc("netem")) {
      String reason =
          "impairment '"
              + impairment
              + "' needs the kernel's netem qdisc, which this kernel does not have (module"
              + " sch_netem). A bandwidth limit alone works everywhere (Impairment.withRate), and the"
              + " userspace path works on impairable links (@VethLink(impairable = true)).";
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
        interfaceName,
        new Qdiscs.Netem(
            impairment.delay(),
            impairment.jitter(),
            impairment.loss(),
            impairment.duplicate(),
            impairment.reorder(),
            impairment.corrupt(),
            impairment.rate() / 8));
  }
}

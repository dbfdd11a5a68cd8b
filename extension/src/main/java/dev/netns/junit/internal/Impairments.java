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

  /** Where an impairment acts: traffic leaving one host through one of its interfaces. */
  sealed interface Where {
    /** The host whose outgoing traffic is impaired. */
    String host();

    /** Its interface there. */
    String interfaceName();

    /** True when the userspace path can reach this place. */
    boolean userspaceCapable();

    /** The userspace fault at this place. */
    ActiveFault userspace(FaultInjector faults, FrameImpairment frames);
  }

  /** An end of a veth pair. */
  record OnLink(VethPair link, String host) implements Where {
    @Override
    public String interfaceName() {
      return link.interfaceIn(host);
    }

    @Override
    public boolean userspaceCapable() {
      return link.impairable();
    }

    @Override
    public ActiveFault userspace(FaultInjector faults, FrameImpairment frames) {
      return faults.userspace(link, host, frames);
    }
  }

  /** A host's port of a LAN. */
  record OnLanPort(String lan, String host, String interfaceName) implements Where {
    @Override
    public boolean userspaceCapable() {
      return true;
    }

    @Override
    public ActiveFault userspace(FaultInjector faults, FrameImpairment frames) {
      return faults.userspaceOnLanPort(host, lan, frames);
    }
  }

  /** Applies {@code impairment} to traffic leaving {@code where}. */
  static ActiveFault apply(
      FaultInjector faults,
      Where where,
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
      } else if (where.userspaceCapable()) {
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
      ActiveFault fault = where.userspace(faults, frames);
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
      return faults.limitRate(where.host(), where.interfaceName(), impairment.rate());
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
        where.host(),
        where.interfaceName(),
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

package dev.netns.kernel;

import static dev.netns.netlink.Rtnetlink.*;

import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import dev.netns.netlink.Attribute;
import dev.netns.netlink.Attributes;
import dev.netns.netlink.MessageWriter;
import dev.netns.netlink.NetlinkMessage;
import dev.netns.netlink.QdiscRequests;
import dev.netns.netlink.TcMsg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Optional;

/**
 * Root queueing disciplines on a link's egress: a token bucket (TBF) for bandwidth, {@code netem}
 * for latency, jitter, loss, duplication, reordering and corruption where the kernel has it.
 *
 * <pre>{@code
 * Qdiscs.addTbf(blue, "red", 1_000_000, 32_000, Duration.ofMillis(50));  // 8 Mbit/s
 * Qdiscs.deleteRoot(blue, "red");
 * }</pre>
 */
public final class Qdiscs {
  private static final long UINT_MAX = 0xFFFFFFFFL;

  private Qdiscs() {}

  /**
   * Limits the link's egress to {@code bytesPerSecond} with a bucket of {@code burstBytes}; packets
   * wait at most about {@code queueing} before they are dropped.
   */
  public static void addTbf(
      NetworkNamespace ns, String link, long bytesPerSecond, int burstBytes, Duration queueing) {
    long limit = Math.max(burstBytes, bytesPerSecond * queueing.toNanos() / 1_000_000_000L);
    byte[] options =
        tbfOptions(bytesPerSecond, burstBytes, (int) Math.min(limit, Integer.MAX_VALUE));
    ns.netlink()
        .execute(
            QdiscRequests.addRoot(Links.index(ns, link), "tbf", options)
                .describedAs(
                    "RTM_NEWQDISC tbf rate "
                        + bytesPerSecond * 8
                        + "bit on "
                        + ns.name()
                        + ":"
                        + link));
  }

  /** The TCA_OPTIONS payload of a TBF: {@code struct tc_tbf_qopt}, then burst (and rate64). */
  static byte[] tbfOptions(long bytesPerSecond, int burstBytes, int limitBytes) {
    MessageWriter w = new MessageWriter();
    ByteBuffer qopt = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
    // struct tc_ratespec rate: cell_log, linklayer, overhead, cell_align, mpu, rate
    qopt.put((byte) 0).put((byte) TC_LINKLAYER_ETHERNET).putShort((short) 0);
    qopt.putShort((short) 0).putShort((short) 0);
    qopt.putInt((int) Math.min(bytesPerSecond, UINT_MAX));
    qopt.put(new byte[12]); // peakrate: none
    qopt.putInt(limitBytes);
    qopt.putInt(1); // buffer (ticks): recomputed by the kernel from TCA_TBF_BURST
    qopt.putInt(0); // mtu: only used with a peak rate
    w.putAttribute(TCA_TBF_PARMS, qopt.array());
    if (bytesPerSecond >= UINT_MAX) {
      w.putAttribute(TCA_TBF_RATE64, u64(bytesPerSecond));
    }
    w.putU32Attribute(TCA_TBF_BURST, burstBytes);
    return w.toByteArray();
  }

  /**
   * Adds a {@code netem} qdisc. Fails with a {@link KernelException} (ENOENT) where the kernel has
   * no netem; check {@link Capabilities#hasQdisc(String)} first.
   */
  public static void addNetem(NetworkNamespace ns, String link, Netem netem) {
    ns.netlink()
        .execute(
            QdiscRequests.addRoot(Links.index(ns, link), "netem", netemOptions(netem))
                .describedAs("RTM_NEWQDISC netem " + netem + " on " + ns.name() + ":" + link));
  }

  /** The TCA_OPTIONS payload of netem: {@code struct tc_netem_qopt}, then attributes. */
  static byte[] netemOptions(Netem netem) {
    MessageWriter w = new MessageWriter();
    boolean reorder = netem.reorderPercent() > 0;
    // struct tc_netem_qopt: latency, limit, loss, gap, duplicate, jitter (latency and jitter in
    // ticks; left 0 here, the 64-bit nanosecond attributes below carry them exactly)
    w.putU32(0)
        .putU32(10_000)
        .putU32(probability(netem.lossPercent()))
        .putU32(reorder ? 1 : 0)
        .putU32(probability(netem.duplicatePercent()))
        .putU32(0);
    w.putAttribute(TCA_NETEM_LATENCY64, u64(netem.delay().toNanos()));
    w.putAttribute(TCA_NETEM_JITTER64, u64(netem.jitter().toNanos()));
    if (reorder) {
      w.putAttribute(TCA_NETEM_REORDER, pair(probability(netem.reorderPercent()), 0));
    }
    if (netem.corruptPercent() > 0) {
      w.putAttribute(TCA_NETEM_CORRUPT, pair(probability(netem.corruptPercent()), 0));
    }
    if (netem.bytesPerSecond() > 0) {
      // struct tc_netem_rate: rate (u32 bytes/s), packet_overhead, cell_size, cell_overhead
      ByteBuffer rate = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
      rate.putInt((int) Math.min(netem.bytesPerSecond(), UINT_MAX)).putInt(0).putInt(0).putInt(0);
      w.putAttribute(TCA_NETEM_RATE, rate.array());
      if (netem.bytesPerSecond() >= UINT_MAX) {
        w.putAttribute(TCA_NETEM_RATE64, u64(netem.bytesPerSecond()));
      }
    }
    return w.toByteArray();
  }

  /**
   * Removes the link's root qdisc, restoring the default; a qdisc already gone, or its link, counts
   * as removed.
   */
  public static void deleteRoot(NetworkNamespace ns, String link) {
    java.util.OptionalInt index = Links.find(ns, link);
    if (index.isEmpty()) {
      return;
    }
    try {
      ns.netlink()
          .execute(
              QdiscRequests.deleteRoot(index.getAsInt())
                  .describedAs("RTM_DELQDISC root on " + ns.name() + ":" + link));
    } catch (KernelException e) {
      if (e.errno() != Errno.ENOENT && e.errno() != Errno.EINVAL) {
        throw e;
      }
    }
  }

  /**
   * The counters of the link's root qdisc; {@link QdiscStats#NONE} when the link or its root qdisc
   * is gone.
   */
  public static QdiscStats rootStats(NetworkNamespace ns, String link) {
    java.util.OptionalInt index = Links.find(ns, link);
    if (index.isEmpty()) {
      return QdiscStats.NONE;
    }
    for (NetlinkMessage message : ns.netlink().dump(QdiscRequests.dump())) {
      if (message.type() != RTM_NEWQDISC) {
        continue;
      }
      TcMsg tc = TcMsg.decode(message.body());
      if (tc.index() == index.getAsInt() && tc.parent() == TC_H_ROOT) {
        return stats(message.attributes(TcMsg.SIZE));
      }
    }
    return QdiscStats.NONE;
  }

  /** The counters in a qdisc's attributes ({@code TCA_STATS2}), or none. */
  static QdiscStats stats(Attributes attributes) {
    Optional<Attribute> stats2 = attributes.get(TCA_STATS2);
    if (stats2.isEmpty()) {
      return QdiscStats.NONE;
    }
    Attributes nested = stats2.get().nested();
    long packets = 0;
    Optional<Attribute> basic = nested.get(TCA_STATS_BASIC);
    if (basic.isPresent() && basic.get().value().length >= 12) {
      // struct gnet_stats_basic: __u64 bytes; __u32 packets
      packets =
          ByteBuffer.wrap(basic.get().value()).order(ByteOrder.nativeOrder()).getInt(8) & UINT_MAX;
    }
    long drops = 0;
    long overlimits = 0;
    Optional<Attribute> queue = nested.get(TCA_STATS_QUEUE);
    if (queue.isPresent() && queue.get().value().length >= 20) {
      // struct gnet_stats_queue: qlen, backlog, drops, requeues, overlimits (__u32 each)
      ByteBuffer q = ByteBuffer.wrap(queue.get().value()).order(ByteOrder.nativeOrder());
      drops = q.getInt(8) & UINT_MAX;
      overlimits = q.getInt(16) & UINT_MAX;
    }
    return new QdiscStats(packets, drops, overlimits);
  }

  /** A percentage as the kernel's 32-bit probability (100 % is 2^32 - 1). */
  static int probability(double percent) {
    return (int) Math.round(Math.max(0, Math.min(100, percent)) / 100.0 * UINT_MAX);
  }

  private static byte[] u64(long value) {
    return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array();
  }

  private static byte[] pair(int a, int b) {
    return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(a).putInt(b).array();
  }

  /**
   * What a netem qdisc does to packets.
   *
   * @param delay added latency
   * @param jitter random variation of the latency
   * @param lossPercent packets dropped
   * @param duplicatePercent packets sent twice
   * @param reorderPercent packets sent at once, ahead of delayed ones (needs a delay)
   * @param corruptPercent packets with a flipped bit
   * @param bytesPerSecond a rate limit, 0 for none
   */
  public record Netem(
      Duration delay,
      Duration jitter,
      double lossPercent,
      double duplicatePercent,
      double reorderPercent,
      double corruptPercent,
      long bytesPerSecond) {}
}

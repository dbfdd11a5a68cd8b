package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.netlink.Attributes;
import dev.netns.netlink.MessageWriter;
import dev.netns.netlink.Rtnetlink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** A qdisc's counters read from TCA_STATS2, as the kernel nests them. */
class QdiscStatsTest {
  @Test
  void packetsDropsAndOverlimits() {
    MessageWriter w = new MessageWriter();
    w.putString(Rtnetlink.TCA_KIND, "tbf");
    int stats = w.beginNested(Rtnetlink.TCA_STATS2);
    // struct gnet_stats_basic: bytes (u64), packets (u32), as the kernel sends it (12 bytes)
    w.putAttribute(
        Rtnetlink.TCA_STATS_BASIC,
        ByteBuffer.allocate(12)
            .order(ByteOrder.nativeOrder())
            .putLong(420_000)
            .putInt(300)
            .array());
    // struct gnet_stats_queue: qlen, backlog, drops, requeues, overlimits
    w.putAttribute(
        Rtnetlink.TCA_STATS_QUEUE,
        ByteBuffer.allocate(20)
            .order(ByteOrder.nativeOrder())
            .putInt(0)
            .putInt(0)
            .putInt(266)
            .putInt(1)
            .putInt(0xFFFFFFFE)
            .array());
    w.endNested(stats);

    QdiscStats read =
        Qdiscs.stats(
            Attributes.parse(ByteBuffer.wrap(w.toByteArray()).order(ByteOrder.nativeOrder())));

    assertThat(read).isEqualTo(new QdiscStats(300, 266, 0xFFFFFFFEL));
  }

  @Test
  void noStatisticsReadAsNone() {
    MessageWriter w = new MessageWriter();
    w.putString(Rtnetlink.TCA_KIND, "noqueue");
    assertThat(
            Qdiscs.stats(
                Attributes.parse(ByteBuffer.wrap(w.toByteArray()).order(ByteOrder.nativeOrder()))))
        .isEqualTo(QdiscStats.NONE);
  }
}

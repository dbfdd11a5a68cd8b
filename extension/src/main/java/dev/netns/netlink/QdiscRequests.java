package dev.netns.netlink;

import static dev.netns.netlink.Netlink.*;
import static dev.netns.netlink.Rtnetlink.*;

/** Encoders for queueing-discipline requests. */
public final class QdiscRequests {
  private QdiscRequests() {}

  /**
   * A root qdisc of {@code kind} on link {@code index}, with options already encoded (or none).
   * Without options most kinds answer EINVAL, which is enough to learn that the kind exists: an
   * absent kind answers ENOENT.
   */
  public static Request addRoot(int index, String kind, byte[] options) {
    return new Request(
        RTM_NEWQDISC,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        "RTM_NEWQDISC " + kind + " root ifindex " + index,
        w -> {
          new TcMsg(0, index, 0, TC_H_ROOT, 0).writeTo(w);
          w.putString(TCA_KIND, kind);
          if (options != null) {
            w.putAttribute(TCA_OPTIONS, options);
          }
        });
  }

  /** Deletes the root qdisc of link {@code index}, restoring the default. */
  public static Request deleteRoot(int index) {
    return new Request(
        RTM_DELQDISC,
        NLM_F_REQUEST | NLM_F_ACK,
        "RTM_DELQDISC root ifindex " + index,
        w -> new TcMsg(0, index, 0, TC_H_ROOT, 0).writeTo(w));
  }

  /** Dumps every qdisc of the namespace, with its statistics ({@code tc -s qdisc show}). */
  public static Request dump() {
    return new Request(
        RTM_GETQDISC,
        NLM_F_REQUEST | NLM_F_DUMP,
        "RTM_GETQDISC dump",
        w -> new TcMsg(0, 0, 0, 0, 0).writeTo(w));
  }
}

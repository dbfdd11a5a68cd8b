package dev.netns.netlink;

import java.util.function.Consumer;

/**
 * One rtnetlink request: message type, flags, the body (family header and attributes), and a
 * description that errors quote, for example {@code "RTM_NEWADDR 10.1.1.1/24 on blue:eth0"}.
 *
 * <pre>{@code
 * Request up = LinkRequests.setUp(ifindex, true).describedAs("RTM_NEWLINK blue:eth0 up");
 * byte[] bytes = up.encode(42);
 * }</pre>
 */
public record Request(int type, int flags, String description, Consumer<MessageWriter> body) {

  /** The same request, described for error messages in the caller's terms. */
  public Request describedAs(String newDescription) {
    return new Request(type, flags, newDescription, body);
  }

  /** Appends this request as one message with sequence number {@code seq}. */
  public void writeTo(MessageWriter writer, int seq) {
    writer.beginMessage(type, flags, seq);
    body.accept(writer);
    writer.endMessage();
  }

  /** This request alone, as the bytes sent to the kernel. */
  public byte[] encode(int seq) {
    MessageWriter writer = new MessageWriter();
    writeTo(writer, seq);
    return writer.toByteArray();
  }

  /** True when the request asks for a dump (several replies, then {@code NLMSG_DONE}). */
  public boolean isDump() {
    return (flags & Netlink.NLM_F_DUMP) == Netlink.NLM_F_DUMP;
  }
}

package dev.netns.netlink;

/** Bytes that do not parse as netlink: a truncated message, an attribute past its end. */
public final class NetlinkFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NetlinkFormatException(String message) {
    super(message);
  }
}

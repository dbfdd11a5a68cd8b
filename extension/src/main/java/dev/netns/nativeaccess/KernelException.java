package dev.netns.nativeaccess;

import java.util.Optional;

/**
 * A system call or netlink request that the kernel refused.
 *
 * <p>The one exception type for native failures. Its message names the call and its arguments, the
 * errno name and text, and, for netlink, the kernel's extended-ack text, for example {@code
 * RTM_NEWLINK veth blue:eth0<->red:eth0 failed: EEXIST (File exists)}.
 */
public final class KernelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String call;
  private final int errno;
  private final String extAck;

  /**
   * Creates the exception.
   *
   * @param call the call and its arguments, as a reader would write them
   * @param errno the positive errno value
   * @param text strerror's text for it
   * @param extAck the netlink extended-ack message, or null
   */
  public KernelException(String call, int errno, String text, String extAck) {
    super(format(call, errno, text, extAck));
    this.call = call;
    this.errno = errno;
    this.extAck = extAck;
  }

  private static String format(String call, int errno, String text, String extAck) {
    StringBuilder message =
        new StringBuilder(call)
            .append(" failed: ")
            .append(Errno.name(errno))
            .append(" (")
            .append(text)
            .append(')');
    if (extAck != null && !extAck.isEmpty()) {
      message.append(": ").append(extAck);
    }
    return message.toString();
  }

  /** The call and its arguments. */
  public String call() {
    return call;
  }

  /** The positive errno value. */
  public int errno() {
    return errno;
  }

  /** The symbolic errno name, for example {@code "EEXIST"}. */
  public String errnoName() {
    return Errno.name(errno);
  }

  /** The netlink extended-ack message, if the kernel sent one. */
  public Optional<String> extAck() {
    return Optional.ofNullable(extAck);
  }
}

package dev.netns.kernel;

import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import dev.netns.nativeaccess.LibC;
import dev.netns.netlink.MessageWriter;
import dev.netns.netlink.Netlink;
import dev.netns.netlink.NetlinkError;
import dev.netns.netlink.NetlinkFormatException;
import dev.netns.netlink.NetlinkMessage;
import dev.netns.netlink.Request;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An rtnetlink socket bound to the namespace of the thread that opened it.
 *
 * <p>Once open it configures that namespace whatever thread uses it. Requests are checked: each
 * reply must come from the kernel, carry a sequence number the socket is waiting for, and errors
 * become {@link KernelException} with the request's description and the kernel's extended-ack text.
 * Several requests can be sent in one datagram ({@link #executeAll}); the kernel answers each
 * separately. Safe for use by several threads; requests on one socket are serialized.
 */
public final class NetlinkSocket implements AutoCloseable {
  private static final int RECEIVE_BUFFER = 1 << 16;
  private static final int BATCH_BYTES = 1 << 15;

  /**
   * Requests per datagram: each answer takes about a kilobyte of the socket's receive buffer
   * (212,992 bytes by default) until it is read, and answers past it are lost (ENOBUFS).
   */
  private static final int BATCH_REQUESTS = 64;

  private static final int RECEIVE_TIMEOUT_SECONDS = 30;
  private static final int DUMP_ATTEMPTS = 5;

  private final LibC libc;
  private final int fd;

  /** One receive buffer per thread, not per socket: a namespace costs little memory. */
  private static final ThreadLocal<byte[]> RECEIVE_BUFFERS =
      ThreadLocal.withInitial(() -> new byte[RECEIVE_BUFFER]);

  private final byte[] sender = new byte[12];
  private int nextSeq = 1;
  private boolean closed;

  private NetlinkSocket(LibC libc, int fd) {
    this.libc = libc;
    this.fd = fd;
  }

  /** Opens a socket in the calling thread's network namespace. */
  public static NetlinkSocket open(LibC libc) {
    int fd = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, Netlink.NETLINK_ROUTE);
    try {
      libc.setsockopt(fd, Netlink.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, 1);
      libc.setsockopt(fd, Netlink.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, 1);
      libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeval(RECEIVE_TIMEOUT_SECONDS));
      // No bind: the kernel gives the socket a port of its own at the first send. Replies are
      // matched by sequence number and sender (the kernel).
      return new NetlinkSocket(libc, fd);
    } catch (RuntimeException e) {
      libc.close(fd);
      throw e;
    }
  }

  /**
   * Sends one request without asking for an acknowledgement: nothing comes back unless it fails,
   * and a failure arrives later as an answer nobody waits for. For requests that cannot fail in
   * practice, such as bringing loopback up in a new namespace.
   */
  public synchronized void post(Request request) {
    ensureOpen();
    Request unacknowledged =
        new Request(
            request.type(),
            request.flags() & ~Netlink.NLM_F_ACK,
            request.description(),
            request.body());
    send(unacknowledged.encode(nextSeq++), request);
  }

  /** Sends one request and waits for its ACK. */
  public void execute(Request request) {
    executeAll(List.of(request));
  }

  /**
   * Sends the requests batched into as few datagrams as fit, and waits for every ACK. All requests
   * are answered even if one fails; the first failure is thrown after all answers are read, with
   * later ones suppressed.
   */
  public void executeAll(List<Request> requests) {
    KernelException failure = null;
    for (KernelException e : executeEach(requests)) {
      if (e == null) {
        continue;
      }
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * As {@link #executeAll}, but returns each request's outcome instead of throwing: the list holds,
   * at each request's position, null when the kernel did it and its failure otherwise, so that a
   * caller can keep what succeeded and undo or retry exactly the rest.
   *
   * <p>Only the last request of each datagram asks for an acknowledgement. The kernel handles the
   * requests of a datagram one after the other, within the {@code send}, and answers a request that
   * fails whether or not it asked; so once the last one's answer is read, every failure of the
   * datagram has been read before it, and a datagram of 64 requests costs one {@code recvfrom}
   * instead of 64.
   */
  public synchronized List<KernelException> executeEach(List<Request> requests) {
    ensureOpen();
    KernelException[] outcomes = new KernelException[requests.size()];
    int index = 0;
    while (index < requests.size()) {
      MessageWriter writer = new MessageWriter();
      Map<Integer, Integer> sent = new HashMap<>();
      int first = index;
      int lastSeq;
      do {
        Request request = requests.get(index);
        lastSeq = nextSeq++;
        boolean last =
            index + 1 == requests.size()
                || writer.size() >= BATCH_BYTES
                || index + 1 - first >= BATCH_REQUESTS;
        (last ? request : withoutAck(request)).writeTo(writer, lastSeq);
        sent.put(lastSeq, index++);
        if (last) {
          break;
        }
      } while (true);
      send(writer.toByteArray(), requests.get(index - 1));
      boolean answered = false;
      while (!answered) {
        for (NetlinkMessage message : receive()) {
          if (message.type() != Netlink.NLMSG_ERROR) {
            continue; // not an answer to a request (for example an echo); nothing waits for it
          }
          NetlinkError error = NetlinkError.decode(message);
          Integer position = sent.get(error.requestSeq());
          if (position == null) {
            continue; // an answer to an earlier request nobody waits for (a post that failed)
          }
          if (!error.isAck()) {
            outcomes[position] = kernelError(requests.get(position), error);
          }
          answered |= error.requestSeq() == lastSeq;
        }
      }
    }
    return Arrays.asList(outcomes);
  }

  private static Request withoutAck(Request request) {
    return new Request(
        request.type(),
        request.flags() & ~Netlink.NLM_F_ACK,
        request.description(),
        request.body());
  }

  /**
   * Sends a dump request and returns every reply message. A dump the kernel marks as interrupted
   * (the table changed meanwhile) is repeated.
   */
  public synchronized List<NetlinkMessage> dump(Request request) {
    ensureOpen();
    for (int attempt = 1; ; attempt++) {
      int seq = nextSeq++;
      send(request.encode(seq), request);
      List<NetlinkMessage> replies = new ArrayList<>();
      boolean interrupted = false;
      boolean done = false;
      while (!done) {
        for (NetlinkMessage message : receive()) {
          if (message.seq() != seq) {
            continue;
          }
          if ((message.flags() & Netlink.NLM_F_DUMP_INTR) != 0) {
            interrupted = true;
          }
          if (message.type() == Netlink.NLMSG_DONE) {
            // A dump that failed part-way says so in the int that NLMSG_DONE carries.
            int status = message.payload().length >= 4 ? message.body().getInt() : 0;
            if (status < 0) {
              throw libc.failure(request.description() + " (dump ended early)", -status, null);
            }
            done = true;
          } else if (message.type() == Netlink.NLMSG_ERROR) {
            NetlinkError error = NetlinkError.decode(message);
            if (!error.isAck()) {
              throw kernelError(request, error);
            }
            done = true;
          } else {
            replies.add(message);
          }
        }
      }
      if (!interrupted) {
        return replies;
      }
      if (attempt == DUMP_ATTEMPTS) {
        throw libc.failure(
            request.description() + " (interrupted " + attempt + " times)", Errno.EINTR, null);
      }
    }
  }

  /**
   * Sends one request that the kernel answers with a single message (a {@code RTM_GETLINK} by name,
   * for example) and returns that message.
   */
  public synchronized NetlinkMessage get(Request request) {
    ensureOpen();
    int seq = nextSeq++;
    send(request.encode(seq), request);
    while (true) {
      for (NetlinkMessage message : receive()) {
        if (message.seq() != seq) {
          continue;
        }
        if (message.type() == Netlink.NLMSG_ERROR) {
          throw kernelError(request, NetlinkError.decode(message));
        }
        return message;
      }
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      libc.close(fd);
    }
  }

  private void send(byte[] bytes, Request request) {
    int sent = libc.send(fd, bytes, bytes.length, 0);
    if (sent != bytes.length) {
      throw libc.failure(
          request.description() + " (sent " + sent + " of " + bytes.length + " bytes)",
          Errno.EIO,
          null);
    }
  }

  private List<NetlinkMessage> receive() {
    byte[] receiveBuffer;
    while (true) {
      int length;
      try {
        length = libc.recvfrom(fd, receiveBuffer = RECEIVE_BUFFERS.get(), LibC.MSG_TRUNC, sender);
      } catch (KernelException e) {
        if (e.errno() == Errno.EINTR) {
          continue;
        }
        if (e.errno() == Errno.EAGAIN) {
          throw libc.failure(
              "recvfrom(netlink): no answer from the kernel in " + RECEIVE_TIMEOUT_SECONDS + " s",
              Errno.ETIMEDOUT,
              null);
        }
        throw e;
      }
      if (length > receiveBuffer.length) {
        throw new NetlinkFormatException(
            "netlink datagram of " + length + " bytes exceeds the " + RECEIVE_BUFFER + " buffer");
      }
      int senderPort = ByteBuffer.wrap(sender).order(ByteOrder.nativeOrder()).getInt(4);
      if (senderPort != 0) {
        continue; // only the kernel may answer
      }
      return NetlinkMessage.parseAll(receiveBuffer, length);
    }
  }

  private KernelException kernelError(Request request, NetlinkError error) {
    return libc.failure(request.description(), error.errno(), error.extAck());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("netlink socket is closed");
    }
  }

  private static byte[] timeval(int seconds) {
    return ByteBuffer.allocate(16)
        .order(ByteOrder.nativeOrder())
        .putLong(seconds)
        .putLong(0)
        .array();
  }
}

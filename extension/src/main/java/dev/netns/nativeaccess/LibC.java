package dev.netns.nativeaccess;

/**
 * The narrow slice of libc that the library needs, and nothing more.
 *
 * <p>Every method throws {@link KernelException} when the call fails, with the call, its arguments,
 * the errno name and {@code strerror}'s text. Nothing here knows about netlink or JUnit. The one
 * implementation is JNA's ({@link #instance()}); tests may supply their own.
 *
 * <pre>{@code
 * LibC libc = LibC.instance();
 * int fd = libc.open("/proc/thread-self/ns/net", LibC.O_RDONLY | LibC.O_CLOEXEC);
 * libc.setns(fd, LibC.CLONE_NEWNET);
 * }</pre>
 */
public interface LibC {
  int CLONE_NEWNET = 0x40000000;
  int CLONE_NEWUSER = 0x10000000;
  int CLONE_NEWNS = 0x00020000;
  int CLONE_NEWUTS = 0x04000000;
  int CLONE_FS = 0x00000200;

  int O_RDONLY = 0;
  int O_CREAT = 0100;
  int O_EXCL = 0200;
  int O_CLOEXEC = 02000000;

  int AF_UNSPEC = 0;
  int AF_INET = 2;
  int AF_INET6 = 10;
  int AF_NETLINK = 16;
  int AF_PACKET = 17;

  int SOCK_STREAM = 1;
  int SOCK_DGRAM = 2;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 02000000;

  int SOL_SOCKET = 1;
  int SO_SNDBUF = 7;
  int SO_RCVBUF = 8;
  int SO_RCVTIMEO = 20;
  int SO_SNDBUFFORCE = 32;
  int SO_RCVBUFFORCE = 33;

  int MSG_DONTWAIT = 0x40;
  int MSG_TRUNC = 0x20;

  int MS_NOSUID = 2;
  int MS_NODEV = 4;
  int MS_NOEXEC = 8;
  int MS_BIND = 4096;
  int MS_REC = 16384;
  int MS_PRIVATE = 1 << 18;
  int MNT_DETACH = 2;

  /** The JNA implementation, loaded on first use. */
  static LibC instance() {
    return JnaLibC.INSTANCE;
  }

  /**
   * unshare(2): moves the calling thread into new namespaces of the given {@code CLONE_*} kinds.
   */
  void unshare(int flags);

  /** setns(2): moves the calling thread into the namespace that {@code fd} refers to. */
  void setns(int fd, int nstype);

  /** open(2) without {@code O_CREAT}. */
  int open(String path, int flags);

  /** open(2) with a mode, for {@code O_CREAT}. */
  int open(String path, int flags, int mode);

  /** close(2). */
  void close(int fd);

  /** socket(2). */
  int socket(int domain, int type, int protocol);

  /** bind(2) with a raw {@code sockaddr} as laid out in the kernel headers. */
  void bind(int fd, byte[] sockaddr);

  /** getsockname(2): returns the raw {@code sockaddr}, at most {@code maxLength} bytes. */
  byte[] getsockname(int fd, int maxLength);

  /** setsockopt(2) with an {@code int} value. */
  void setsockopt(int fd, int level, int option, int value);

  /** setsockopt(2) with a raw value (for example a {@code struct timeval}). */
  void setsockopt(int fd, int level, int option, byte[] value);

  /** send(2) of {@code length} bytes of {@code buffer}; returns the bytes sent. */
  int send(int fd, byte[] buffer, int length, int flags);

  /**
   * recvfrom(2) into {@code buffer}; the sender's raw {@code sockaddr} is copied into {@code from}.
   * Returns the number of bytes received (with {@code MSG_TRUNC}, the real length of the datagram).
   */
  int recvfrom(int fd, byte[] buffer, int flags, byte[] from);

  /** if_nametoindex(3); 0 when there is no such interface in the calling thread's namespace. */
  int ifNameToIndex(String name);

  /** gettid(2). */
  int gettid();

  /** {@code which} of setpriority(2): a process, or on Linux a single thread by its tid. */
  int PRIO_PROCESS = 0;

  /**
   * setpriority(2) of {@code PRIO_PROCESS}: sets the nice value of thread {@code tid} (Linux keeps
   * one per thread), from -20 to 19, the nicest.
   */
  void setThreadNice(int tid, int nice);

  /** mount(2) of a bind mount from {@code source} onto {@code target}. */
  void bindMount(String source, String target);

  /**
   * mount(2) in full: {@code source}, {@code fstype} and {@code data} may be null, as for a change
   * of propagation type ({@code MS_REC | MS_PRIVATE}).
   */
  void mount(String source, String target, String fstype, long flags, String data);

  /** sethostname(2): names the calling thread's UTS namespace. */
  void sethostname(String name);

  int SIGKILL = 9;
  int SIGTERM = 15;
  int SIGCONT = 18;
  int SIGSTOP = 19;

  /**
   * kill(2): sends signal {@code sig} to process {@code pid} (a positive pid only: no process
   * groups, no broadcast).
   */
  void kill(long pid, int sig);

  /** chdir(2): the calling thread's working directory (per thread once it has its own fs). */
  void chdir(String path);

  /** umount2(2). */
  void umount2(String target, int flags);

  /** strerror(3): the text for an errno value. */
  String strerror(int errno);

  /**
   * The one place that turns an errno into an exception: the call as a reader would write it, the
   * errno name and text, and netlink's extended-ack message when there is one.
   */
  default KernelException failure(String call, int errno, String extAck) {
    return new KernelException(call, errno, strerror(errno), extAck);
  }

  /** ioctl(2) with a pointer argument laid out by the caller (for example {@code struct ifreq}). */
  void ioctl(int fd, long request, byte[] argument);

  /**
   * ioctl(2) on a {@code struct ifreq} naming {@code ifname} whose {@code ifr_data} points at
   * {@code data} (for example SIOCETHTOOL with a {@code struct ethtool_value}); {@code data} is
   * copied back after the call.
   */
  void ifreqDataIoctl(int fd, long request, String ifname, byte[] data);

  int SIOCETHTOOL = 0x8946;
  int SOL_PACKET = 263;
  int PACKET_IGNORE_OUTGOING = 23;
  int PACKET_STATISTICS = 6;
  // linux/if_packet.h: sll_pkttype of a frame the link sent
  int PACKET_OUTGOING = 4;
  int ETH_P_ALL = 0x0003;

  int SIOCGSTAMP = 0x8906;
  int POLLIN = 0x0001;
  int EFD_NONBLOCK = 04000;
  int EFD_CLOEXEC = 02000000;

  /**
   * poll(2) over {@code count} {@code struct pollfd} entries laid out by the caller in {@code
   * pollfds} (int fd, short events, short revents each, native order); the revents are copied back.
   * Returns how many entries are ready, 0 on timeout.
   */
  int poll(byte[] pollfds, int count, int timeoutMillis);

  /**
   * recv(2) into a direct buffer, from its start up to its capacity, without copying through the
   * Java heap. Returns the number of bytes received (with {@code MSG_TRUNC}, the real length of the
   * datagram).
   */
  int recv(int fd, java.nio.ByteBuffer directBuffer, int flags);

  /** eventfd(2): a counter descriptor that one thread writes to wake another's poll. */
  int eventfd(int initialValue, int flags);

  /** write(2) of {@code length} bytes of {@code buffer}; returns the bytes written. */
  int write(int fd, byte[] buffer, int length);

  /** getsockopt(2): returns the raw option value, at most {@code maxLength} bytes. */
  byte[] getsockopt(int fd, int level, int option, int maxLength);

  int PROT_READ = 0x1;
  int PROT_WRITE = 0x2;
  int MAP_SHARED = 0x01;
  int MAP_LOCKED = 0x02000;
  int POLLOUT = 0x0004;

  /**
   * mmap(2) of {@code length} bytes of {@code fd} from {@code offset}, with no address hint; the
   * mapping as a direct buffer in native byte order. Release it with {@link #munmap}, and only once
   * no thread reads it any more: an access after munmap(2) crashes the JVM.
   */
  java.nio.ByteBuffer mmap(long length, int prot, int flags, int fd, long offset);

  /** munmap(2) of the whole of a mapping that {@link #mmap} returned. */
  void munmap(java.nio.ByteBuffer mapping);

  /**
   * sendmmsg(2): sends {@code count} datagrams in one call, datagram {@code i} being {@code
   * lengths[i]} bytes of the direct buffer {@code frames} from {@code offsets[i]}, to the address
   * the socket is bound or connected to. Returns how many were sent: fewer than {@code count} when
   * one failed after others went (the failure itself is reported by the next call).
   */
  int sendmmsg(
      int fd, java.nio.ByteBuffer frames, int[] offsets, int[] lengths, int count, int flags);

  /**
   * ppoll(2) without a signal mask: {@link #poll} with a timeout in nanoseconds rather than whole
   * milliseconds, for waits that end at a deadline. Returns how many entries are ready, 0 on
   * timeout.
   */
  int ppoll(byte[] pollfds, int count, long timeoutNanos);

  int PR_SET_TIMERSLACK = 29;

  /**
   * prctl(2) with one argument, on the calling thread: for example {@code PR_SET_TIMERSLACK}, how
   * late (in nanoseconds) the kernel may end the thread's timed waits to batch wake-ups (50 µs
   * unless set).
   */
  void prctl(int option, long argument);
}

package dev.netns.nativeaccess;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.Arrays;

/** {@link LibC} through JNA direct mapping: each native method below is bound once to libc. */
final class JnaLibC implements LibC {
  static final JnaLibC INSTANCE = new JnaLibC();

  static {
    if (!Platform.isLinux()) {
      throw new UnsupportedOperationException(
          "netns-junit needs Linux; this is " + System.getProperty("os.name"));
    }
  }

  private JnaLibC() {}

  /** The libc functions, bound by JNA direct mapping under their own names. */
  private static final class C {
    static {
      Native.register(C.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private C() {}

    // unshare(2)
    static native int unshare(int flags) throws LastErrorException;

    // setns(2)
    static native int setns(int fd, int nstype) throws LastErrorException;

    // open(2); declared with a fixed mode argument, which the variadic ABI accepts on Linux.
    static native int open(String path, int flags, int mode) throws LastErrorException;

    // close(2)
    static native int close(int fd) throws LastErrorException;

    // socket(2)
    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    // bind(2)
    static native int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

    // getsockname(2)
    static native int getsockname(int fd, byte[] addr, int[] addrlen) throws LastErrorException;

    // setsockopt(2)
    static native int setsockopt(int fd, int level, int name, byte[] value, int length)
        throws LastErrorException;

    // send(2)
    static native long send(int fd, byte[] buffer, long length, int flags)
        throws LastErrorException;

    // recvfrom(2)
    static native long recvfrom(
        int fd, Pointer buffer, long length, int flags, byte[] from, int[] fromlen)
        throws LastErrorException;

    // if_nametoindex(3)
    static native int if_nametoindex(String name);

    // gettid(2), in glibc since 2.30
    static native int gettid();

    static native int setpriority(int which, int who, int prio) throws LastErrorException;

    // mount(2)
    static native int mount(String source, String target, String fstype, long flags, String data)
        throws LastErrorException;

    // sethostname(2)
    static native int sethostname(byte[] name, long len) throws LastErrorException;

    // chdir(2)
    static native int chdir(String path) throws LastErrorException;

    // kill(2)
    static native int kill(int pid, int sig) throws LastErrorException;

    // umount2(2)
    static native int umount2(String target, int flags) throws LastErrorException;

    // ioctl(2)
    static native int ioctl(int fd, long request, byte[] argument) throws LastErrorException;

    // ioctl(2), with an argument in native memory that holds pointers to more native memory
    static native int ioctl(int fd, long request, com.sun.jna.Pointer argument)
        throws LastErrorException;

    // strerror(3)
    static native String strerror(int errnum);

    // poll(2)
    static native int poll(byte[] fds, long nfds, int timeout) throws LastErrorException;

    // recv(2), into a direct buffer: JNA passes its address, copying nothing
    static native long recv(int fd, java.nio.Buffer buffer, long length, int flags)
        throws LastErrorException;

    // eventfd(2)
    static native int eventfd(int initval, int flags) throws LastErrorException;

    // write(2)
    static native long write(int fd, byte[] buffer, long count) throws LastErrorException;

    // getsockopt(2)
    static native int getsockopt(int fd, int level, int name, byte[] value, int[] length)
        throws LastErrorException;

    // ppoll(2); the timeout is a struct timespec, the signal mask null
    static native int ppoll(byte[] fds, long nfds, long[] timeout, Pointer sigmask)
        throws LastErrorException;

    // prctl(2), its variadic arguments declared as the four unsigned longs the kernel reads
    static native int prctl(int option, long arg2, long arg3, long arg4, long arg5)
        throws LastErrorException;

    // mmap(2)
    static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset)
        throws LastErrorException;

    // munmap(2)
    static native int munmap(Pointer addr, long length) throws LastErrorException;

    // sendmmsg(2)
    static native int sendmmsg(int fd, Pointer msgvec, int vlen, int flags)
        throws LastErrorException;
  }

  private KernelException failure(String call, LastErrorException e) {
    return failure(call, e.getErrorCode(), null);
  }

  private static String cloneFlags(int flags) {
    return flagNames(
        flags,
        new int[] {CLONE_NEWNET, CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWUTS, CLONE_FS},
        new String[] {"CLONE_NEWNET", "CLONE_NEWUSER", "CLONE_NEWNS", "CLONE_NEWUTS", "CLONE_FS"});
  }

  private static String mountFlags(long flags) {
    return flagNames(
        flags,
        new int[] {MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE},
        new String[] {"MS_NOSUID", "MS_NODEV", "MS_NOEXEC", "MS_BIND", "MS_REC", "MS_PRIVATE"});
  }

  /** Flags as a reader of the headers writes them ({@code CLONE_NEWNS|CLONE_NEWUTS}). */
  private static String flagNames(long flags, int[] values, String[] names) {
    StringBuilder text = new StringBuilder();
    long rest = flags;
    for (int i = 0; i < values.length; i++) {
      if ((rest & values[i]) != 0) {
        text.append(text.length() == 0 ? "" : "|").append(names[i]);
        rest &= ~values[i];
      }
    }
    if (rest != 0 || text.length() == 0) {
      text.append(text.length() == 0 ? "" : "|").append("0x").append(Long.toHexString(rest));
    }
    return text.toString();
  }

  @Override
  public String strerror(int errno) {
    return C.strerror(errno);
  }

  @Override
  public void unshare(int flags) {
    try {
      C.unshare(flags);
    } catch (LastErrorException e) {
      throw failure("unshare(" + cloneFlags(flags) + ")", e);
    }
  }

  @Override
  public void setns(int fd, int nstype) {
    try {
      C.setns(fd, nstype);
    } catch (LastErrorException e) {
      throw failure("setns(" + fd + ", " + cloneFlags(nstype) + ")", e);
    }
  }

  @Override
  public int open(String path, int flags) {
    return open(path, flags, 0);
  }

  @Override
  public int open(String path, int flags, int mode) {
    try {
      return C.open(path, flags, mode);
    } catch (LastErrorException e) {
      throw failure("open(" + path + ")", e);
    }
  }

  @Override
  public void close(int fd) {
    try {
      C.close(fd);
    } catch (LastErrorException e) {
      throw failure("close(" + fd + ")", e);
    }
  }

  @Override
  public int socket(int domain, int type, int protocol) {
    try {
      return C.socket(domain, type, protocol);
    } catch (LastErrorException e) {
      throw failure("socket(" + domain + ", " + type + ", " + protocol + ")", e);
    }
  }

  @Override
  public void bind(int fd, byte[] sockaddr) {
    try {
      C.bind(fd, sockaddr, sockaddr.length);
    } catch (LastErrorException e) {
      throw failure("bind(" + fd + ")", e);
    }
  }

  @Override
  public byte[] getsockname(int fd, int maxLength) {
    byte[] addr = new byte[maxLength];
    int[] length = {maxLength};
    try {
      C.getsockname(fd, addr, length);
    } catch (LastErrorException e) {
      throw failure("getsockname(" + fd + ")", e);
    }
    return Arrays.copyOf(addr, Math.min(length[0], maxLength));
  }

  @Override
  public void setsockopt(int fd, int level, int option, int value) {
    byte[] raw = {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)};
    if (java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN) {
      raw = new byte[] {raw[3], raw[2], raw[1], raw[0]};
    }
    setsockopt(fd, level, option, raw);
  }

  @Override
  public void setsockopt(int fd, int level, int option, byte[] value) {
    try {
      C.setsockopt(fd, level, option, value, value.length);
    } catch (LastErrorException e) {
      throw failure("setsockopt(" + fd + ", " + level + ", " + option + ")", e);
    }
  }

  @Override
  public int send(int fd, byte[] buffer, int length, int flags) {
    try {
      return (int) C.send(fd, buffer, (long) length, flags);
    } catch (LastErrorException e) {
      throw failure("send(" + fd + ", " + length + " bytes)", e);
    }
  }

  @Override
  public int recvfrom(int fd, byte[] buffer, int flags, byte[] from) {
    int[] fromLength = {from.length};
    Memory memory = receiveBuffer(buffer.length);
    int length;
    try {
      length = (int) C.recvfrom(fd, memory, buffer.length, flags, from, fromLength);
    } catch (LastErrorException e) {
      throw failure("recvfrom(" + fd + ")", e);
    }
    // Only what arrived is copied: a byte[] argument would be copied whole into native memory and
    // back on every call (64 KiB each way for a netlink acknowledgement of 36 bytes).
    memory.read(0, buffer, 0, Math.min(length, buffer.length));
    return length;
  }

  /** Native memory for receiving, one block per thread, grown to the largest buffer asked for. */
  private static final ThreadLocal<Memory> RECEIVE_BUFFERS = new ThreadLocal<>();

  private static Memory receiveBuffer(int size) {
    Memory memory = RECEIVE_BUFFERS.get();
    if (memory == null || memory.size() < size) {
      memory = new Memory(Math.max(size, 1));
      RECEIVE_BUFFERS.set(memory);
    }
    return memory;
  }

  @Override
  public int ifNameToIndex(String name) {
    return C.if_nametoindex(name);
  }

  @Override
  public int gettid() {
    return C.gettid();
  }

  @Override
  public void setThreadNice(int tid, int nice) {
    try {
      C.setpriority(PRIO_PROCESS, tid, nice);
    } catch (LastErrorException e) {
      throw failure("setpriority(PRIO_PROCESS, " + tid + ", " + nice + ")", e);
    }
  }

  @Override
  public void bindMount(String source, String target) {
    try {
      C.mount(source, target, "none", MS_BIND, null);
    } catch (LastErrorException e) {
      throw failure("mount(" + source + ", " + target + ", MS_BIND)", e);
    }
  }

  @Override
  public void mount(String source, String target, String fstype, long flags, String data) {
    try {
      C.mount(source, target, fstype, flags, data);
    } catch (LastErrorException e) {
      throw failure(
          "mount(" + source + ", " + target + ", " + fstype + ", " + mountFlags(flags) + ")", e);
    }
  }

  @Override
  public void sethostname(String name) {
    byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try {
      C.sethostname(bytes, bytes.length);
    } catch (LastErrorException e) {
      throw failure("sethostname(" + name + ")", e);
    }
  }

  @Override
  public void kill(long pid, int sig) {
    if (pid <= 0 || pid > Integer.MAX_VALUE) {
      // 0 and negative pids signal process groups or every process: never meant here.
      throw new IllegalArgumentException("kill: pid " + pid + " is no single process");
    }
    try {
      C.kill((int) pid, sig);
    } catch (LastErrorException e) {
      throw failure("kill(" + pid + ", " + sig + ")", e);
    }
  }

  @Override
  public void chdir(String path) {
    try {
      C.chdir(path);
    } catch (LastErrorException e) {
      throw failure("chdir(" + path + ")", e);
    }
  }

  @Override
  public void umount2(String target, int flags) {
    try {
      C.umount2(target, flags);
    } catch (LastErrorException e) {
      throw failure("umount2(" + target + ")", e);
    }
  }

  @Override
  public void ifreqDataIoctl(int fd, long request, String ifname, byte[] data) {
    byte[] name = ifname.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (name.length > 15) {
      throw new IllegalArgumentException("interface name '" + ifname + "' is over 15 bytes");
    }
    try (com.sun.jna.Memory ifreq = new com.sun.jna.Memory(40);
        com.sun.jna.Memory payload = new com.sun.jna.Memory(Math.max(1, data.length))) {
      ifreq.clear();
      ifreq.write(0, name, 0, name.length);
      payload.write(0, data, 0, data.length);
      ifreq.setPointer(
          16, payload); // struct ifreq: char ifr_name[16], then union { void *ifr_data }
      try {
        C.ioctl(fd, request, ifreq);
      } catch (LastErrorException e) {
        throw failure("ioctl(" + fd + ", 0x" + Long.toHexString(request) + ", " + ifname + ")", e);
      }
      payload.read(0, data, 0, data.length);
    }
  }

  @Override
  public void ioctl(int fd, long request, byte[] argument) {
    try {
      C.ioctl(fd, request, argument);
    } catch (LastErrorException e) {
      throw failure("ioctl(" + fd + ", 0x" + Long.toHexString(request) + ")", e);
    }
  }

  @Override
  public int poll(byte[] pollfds, int count, int timeoutMillis) {
    try {
      return C.poll(pollfds, count, timeoutMillis);
    } catch (LastErrorException e) {
      throw failure("poll(" + count + " fds, " + timeoutMillis + " ms)", e);
    }
  }

  @Override
  public int recv(int fd, java.nio.ByteBuffer directBuffer, int flags) {
    if (!directBuffer.isDirect()) {
      throw new IllegalArgumentException("recv needs a direct buffer");
    }
    try {
      return (int) C.recv(fd, directBuffer, directBuffer.capacity(), flags);
    } catch (LastErrorException e) {
      throw failure("recv(" + fd + ")", e);
    }
  }

  @Override
  public int eventfd(int initialValue, int flags) {
    try {
      return C.eventfd(initialValue, flags);
    } catch (LastErrorException e) {
      throw failure("eventfd(" + initialValue + ", 0x" + Integer.toHexString(flags) + ")", e);
    }
  }

  @Override
  public int write(int fd, byte[] buffer, int length) {
    try {
      return (int) C.write(fd, buffer, length);
    } catch (LastErrorException e) {
      throw failure("write(" + fd + ", " + length + " bytes)", e);
    }
  }

  @Override
  public byte[] getsockopt(int fd, int level, int option, int maxLength) {
    byte[] value = new byte[maxLength];
    int[] length = {maxLength};
    try {
      C.getsockopt(fd, level, option, value, length);
    } catch (LastErrorException e) {
      throw failure("getsockopt(" + fd + ", " + level + ", " + option + ")", e);
    }
    return Arrays.copyOf(value, Math.min(length[0], maxLength));
  }

  @Override
  public java.nio.ByteBuffer mmap(long length, int prot, int flags, int fd, long offset) {
    Pointer address;
    try {
      address = C.mmap(null, length, prot, flags, fd, offset);
    } catch (LastErrorException e) {
      throw failure("mmap(" + length + " bytes, fd " + fd + ")", e);
    }
    return address.getByteBuffer(0, length).order(java.nio.ByteOrder.nativeOrder());
  }

  @Override
  public void munmap(java.nio.ByteBuffer mapping) {
    try {
      C.munmap(Native.getDirectBufferPointer(mapping), mapping.capacity());
    } catch (LastErrorException e) {
      throw failure("munmap(" + mapping.capacity() + " bytes)", e);
    }
  }

  // struct iovec { void *iov_base; size_t iov_len; } and struct mmsghdr { struct msghdr msg_hdr;
  // unsigned int msg_len; }, struct msghdr being name, namelen, iov, iovlen, control, controllen,
  // flags: on a 64-bit ABI, 16 and 64 bytes (msg_iov at 16, msg_iovlen at 24).
  private static final int IOVEC_SIZE = 16;
  private static final int MMSGHDR_SIZE = 64;

  /** Per thread: native room for the mmsghdr and iovec arrays of sendmmsg, grown as needed. */
  private static final ThreadLocal<Memory> MESSAGE_VECTORS = new ThreadLocal<>();

  @Override
  public int sendmmsg(
      int fd, java.nio.ByteBuffer frames, int[] offsets, int[] lengths, int count, int flags) {
    if (!frames.isDirect()) {
      throw new IllegalArgumentException("sendmmsg needs a direct buffer");
    }
    if (Native.POINTER_SIZE != 8) {
      throw new UnsupportedOperationException("sendmmsg is laid out for 64-bit ABIs only");
    }
    int size = count * (MMSGHDR_SIZE + IOVEC_SIZE);
    Memory vectors = MESSAGE_VECTORS.get();
    if (vectors == null || vectors.size() < size) {
      vectors = new Memory(Math.max(size, 64 * (MMSGHDR_SIZE + IOVEC_SIZE)));
      MESSAGE_VECTORS.set(vectors);
    }
    // Laid out through a buffer view: one JNA call per batch, not one per field.
    java.nio.ByteBuffer layout =
        vectors.getByteBuffer(0, size).order(java.nio.ByteOrder.nativeOrder());
    long base = Pointer.nativeValue(Native.getDirectBufferPointer(frames));
    long vectorBase = Pointer.nativeValue(vectors);
    int iovecs = count * MMSGHDR_SIZE;
    for (int i = 0; i < count; i++) {
      int header = i * MMSGHDR_SIZE;
      int iovec = iovecs + i * IOVEC_SIZE;
      layout.putLong(iovec, base + offsets[i]);
      layout.putLong(iovec + 8, lengths[i]);
      for (int at = 0; at < MMSGHDR_SIZE; at += 8) {
        layout.putLong(header + at, 0);
      }
      layout.putLong(header + 16, vectorBase + iovec);
      layout.putLong(header + 24, 1);
    }
    try {
      return C.sendmmsg(fd, vectors, count, flags);
    } catch (LastErrorException e) {
      throw failure("sendmmsg(" + fd + ", " + count + " frames)", e);
    }
  }

  @Override
  public int ppoll(byte[] pollfds, int count, long timeoutNanos) {
    long[] timespec = {timeoutNanos / 1_000_000_000L, timeoutNanos % 1_000_000_000L};
    try {
      return C.ppoll(pollfds, count, timespec, null);
    } catch (LastErrorException e) {
      throw failure("ppoll(" + count + " fds, " + timeoutNanos + " ns)", e);
    }
  }

  @Override
  public void prctl(int option, long argument) {
    try {
      C.prctl(option, argument, 0, 0, 0);
    } catch (LastErrorException e) {
      throw failure("prctl(" + option + ", " + argument + ")", e);
    }
  }
}

package dev.netns.benchmarks;

import dev.netns.nativeaccess.LibC;

/**
 * A namespace made the floor's way: {@code unshare} on the benchmark thread, a descriptor and a
 * {@link BareRtnetlink} socket opened inside, and {@code setns} home, with no thread, factory or
 * check beyond the return home.
 *
 * <pre>{@code
 * try (BareNamespace ns = BareNamespace.create(home)) {
 *   ns.netlink().up(1).commit("lo up");
 * }
 * }</pre>
 */
final class BareNamespace implements AutoCloseable {
  private final LibC libc;
  private final int fd;
  private final BareRtnetlink netlink;

  private BareNamespace(LibC libc, int fd, BareRtnetlink netlink) {
    this.libc = libc;
    this.fd = fd;
    this.netlink = netlink;
  }

  /** Creates a namespace from the calling thread, which ends up back in {@code home}. */
  static BareNamespace create(HomeNamespace home) {
    LibC libc = LibC.instance();
    int fd = -1;
    BareRtnetlink netlink = null;
    home.enterNew();
    try {
      fd = home.openCurrent();
      netlink = BareRtnetlink.open(libc);
    } catch (RuntimeException e) {
      if (fd >= 0) {
        libc.close(fd);
      }
      throw e;
    } finally {
      home.returnHome();
    }
    return new BareNamespace(libc, fd, netlink);
  }

  /** The descriptor that holds the namespace. */
  int fd() {
    return fd;
  }

  /** A socket that configures this namespace. */
  BareRtnetlink netlink() {
    return netlink;
  }

  /** Closes the socket and the descriptor; the kernel then frees the namespace. */
  @Override
  public void close() {
    try {
      netlink.close();
    } finally {
      libc.close(fd);
    }
  }
}

package dev.netns.benchmarks;

import dev.netns.nativeaccess.LibC;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until the kernel has freed every network namespace closed before the call.
 *
 * <p>Closing a namespace's last descriptor returns at once; a kernel worker frees it and its
 * devices later. That worker takes the namespaces queued so far as one batch, finishes the batch,
 * then takes the next, in order. So a <em>canary</em> closed now is freed in the batch that is
 * waiting or in a later one; a canary is a namespace holding one end of a veth pair whose other end
 * is in the machine's namespace, and the kernel deletes that other end while it tears the canary's
 * batch down, which {@code if_nametoindex} sees. The first canary's end vanishing shows that its
 * batch is under way; a second canary, closed only then, runs in a later batch, so its end
 * vanishing shows that every earlier batch has finished. Other processes' namespaces do not fool
 * it, unlike a machine-wide count would. The cost is two small namespaces and two polls per call.
 *
 * <pre>{@code
 * KernelCleanup cleanup = KernelCleanup.onCurrentThread();   // in @Setup, on the benchmark thread
 * network.close();
 * cleanup.await();
 * }</pre>
 */
final class KernelCleanup implements AutoCloseable {
  private static final long TIMEOUT_NANOS = 30_000_000_000L;
  private static final long POLL_NANOS = 100_000;

  private final LibC libc = LibC.instance();
  private final HomeNamespace home;
  private final BareRtnetlink hostNetlink;

  private KernelCleanup(HomeNamespace home, BareRtnetlink hostNetlink) {
    this.home = home;
    this.hostNetlink = hostNetlink;
  }

  /** Opens what the canaries need, for use by the calling thread only. */
  static KernelCleanup onCurrentThread() {
    HomeNamespace home = HomeNamespace.ofCurrentThread();
    return new KernelCleanup(home, BareRtnetlink.open(LibC.instance()));
  }

  /** Returns once every namespace closed before this call is freed; the nanoseconds it took. */
  long await() {
    long start = System.nanoTime();
    awaitGone(closeCanary());
    awaitGone(closeCanary());
    return System.nanoTime() - start;
  }

  private String closeCanary() {
    String hostEnd = HostInterfaceNames.next('c');
    try (BareNamespace canary = BareNamespace.create(home)) {
      hostNetlink.veth(hostEnd, -1, 0, "canary", canary.fd(), 0).commit("canary " + hostEnd);
    }
    return hostEnd;
  }

  private void awaitGone(String hostEnd) {
    long deadline = System.nanoTime() + TIMEOUT_NANOS;
    while (libc.ifNameToIndex(hostEnd) != 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the kernel has not freed the namespace behind " + hostEnd + " in 30 s");
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  @Override
  public void close() {
    hostNetlink.close();
    home.close();
  }
}

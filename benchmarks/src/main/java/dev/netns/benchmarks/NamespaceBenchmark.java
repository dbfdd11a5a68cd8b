package dev.netns.benchmarks;

import dev.netns.kernel.NetworkNamespace;
import dev.netns.nativeaccess.LibC;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one network namespace costs to create and close: through the library, and as the bare
 * syscalls that any implementation must make, so that the library's share can be read off.
 *
 * <ul>
 *   <li>{@link #library}: {@code NetworkNamespace.create} and {@code close}. That is a trip to the
 *       factory thread, {@code unshare}, two sysctl writes (duplicate address detection off), a
 *       descriptor, a netlink socket, {@code setns} home with its check, then loopback up.
 *   <li>{@link #syscallFloor}: the kernel's own cost, through JNA on the benchmark thread itself:
 *       {@code unshare(CLONE_NEWNET)}, open {@code /proc/thread-self/ns/net}, {@code setns} back to
 *       the home namespace's descriptor (opened once, in {@code @Setup}, on this thread), a check
 *       that the thread is home, {@code close}.
 *   <li>{@link #syscallFloorSameOutcome}: the floor plus what it takes to leave the namespace as
 *       the library does (a netlink socket inside, loopback up): the fair floor for the library.
 * </ul>
 *
 * <p>Closing the last descriptor returns at once; the kernel frees the namespace some milliseconds
 * later on a worker. Both sides pay that alike, since they run back to back in the same way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NamespaceBenchmark {
  private static final int LOOPBACK_INDEX = 1;

  private LibC libc;
  private HomeNamespace home;

  @Setup(Level.Trial)
  public void openHome() {
    libc = LibC.instance();
    home = HomeNamespace.ofCurrentThread();
  }

  @TearDown(Level.Trial)
  public void closeHome() {
    home.close();
  }

  @Benchmark
  public long library() {
    try (NetworkNamespace ns = NetworkNamespace.create("bench")) {
      return ns.inode();
    }
  }

  @Benchmark
  public int syscallFloor() {
    home.enterNew();
    int fd;
    try {
      fd = home.openCurrent();
    } finally {
      home.returnHome();
    }
    libc.close(fd);
    return fd;
  }

  @Benchmark
  public int syscallFloorSameOutcome() {
    try (BareNamespace ns = BareNamespace.create(home)) {
      ns.netlink().up(LOOPBACK_INDEX).commit("RTM_NEWLINK lo up");
      return ns.fd();
    }
  }
}

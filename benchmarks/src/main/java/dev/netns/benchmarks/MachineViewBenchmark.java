package dev.netns.benchmarks;

import dev.netns.kernel.MachineIdentity;
import dev.netns.kernel.NetworkNamespace;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the machine view (namespace threads seeing their namespace's {@code /proc/net}, {@code
 * /sys}, host name and {@code /etc/hosts}) costs, with it on and off ({@code view}).
 *
 * <ul>
 *   <li>{@link #firstCall}: a namespace created, its first {@code call} (which starts the service
 *       thread, and with the view on sets the view up: {@code unshare} of mount and UTS namespaces,
 *       four mounts, a file written, {@code sethostname}, two descriptors), then closed. The
 *       difference between the two settings is the view's cost per namespace that runs code; a
 *       namespace that only carries links (a LAN's switch, a wire) never pays it.
 *   <li>{@link #threadStart}: on a namespace whose service thread has set the view up, a thread of
 *       its thread factory started, run and joined; with the view on, it also joins the view
 *       ({@code unshare(CLONE_FS)}, two {@code setns}, {@code chdir}).
 *   <li>{@link #callRoundTrip}: {@code call} on a started namespace; with the view on, each task is
 *       preceded by a check that the thread still sees it ({@code readlink} of {@code
 *       /proc/thread-self/ns/mnt}).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MachineViewBenchmark {
  private static final MachineIdentity IDENTITY =
      new MachineIdentity("bench", "127.0.0.1\tlocalhost\n10.250.9.1\tbench\n10.250.9.2\tpeer\n");

  @Param({"false", "true"})
  public boolean view;

  private NetworkNamespace started;

  @Setup(Level.Trial)
  public void startNamespace() throws Exception {
    started = NetworkNamespace.create("view");
    if (view) {
      started.showMachine(IDENTITY);
    }
    started.call(() -> null);
  }

  @TearDown(Level.Trial)
  public void stop() {
    started.close();
  }

  @Benchmark
  public long firstCall() throws Exception {
    try (NetworkNamespace ns = NetworkNamespace.create("bench")) {
      if (view) {
        ns.showMachine(IDENTITY);
      }
      return ns.call(ns::inode);
    }
  }

  @Benchmark
  public Object threadStart() throws Exception {
    FutureTask<Object> task = new FutureTask<>(() -> this);
    Thread thread = started.threadFactory().newThread(task);
    thread.start();
    Object result = task.get();
    thread.join();
    return result;
  }

  @Benchmark
  public Object callRoundTrip() throws Exception {
    return started.call(() -> this);
  }
}

package dev.netns.benchmarks;

import dev.netns.kernel.NamespaceInode;
import dev.netns.kernel.NetworkNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * Running code inside a namespace that already exists and whose thread has started: what each
 * {@code NetNs.call} and each socket made inside a namespace costs a test.
 *
 * <ul>
 *   <li>{@link #callRoundTrip}: {@code NetworkNamespace.call} of a task that returns at once: the
 *       hand-off to the namespace thread, its check that it is still inside ({@code readlink} of
 *       {@code /proc/thread-self/ns/net}), and the way back.
 *   <li>{@link #callerNamespaceCheck}: the {@code readlink} of the calling thread's own {@code
 *       /proc/thread-self/ns/net}, which tells {@code call} whether the caller is already inside
 *       (then the task runs right there) or must hand the task over. {@code call} reads it once per
 *       thread and remembers it; this is what each call from outside would cost otherwise.
 *   <li>{@link #executorRoundTrip}: the same hand-off to a plain single-thread executor, without
 *       namespace or check: the part of the round trip that is just two threads meeting.
 *   <li>{@link #openSocketInNamespace}: a TCP server channel opened, bound to 127.0.0.1:0 and
 *       closed on the namespace thread.
 *   <li>{@link #openSocketHere}: the same on the benchmark thread, in the machine's namespace.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CallBenchmark {
  private static final InetSocketAddress ANY_LOOPBACK_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private NetworkNamespace namespace;
  private ExecutorService executor;

  @Setup(Level.Trial)
  public void startNamespaceThread() throws Exception {
    namespace = NetworkNamespace.create("call");
    namespace.call(() -> null);
    executor = Executors.newSingleThreadExecutor();
    executor.submit(() -> null).get();
  }

  @TearDown(Level.Trial)
  public void stop() {
    executor.shutdownNow();
    namespace.close();
  }

  @Benchmark
  public Object callRoundTrip() throws Exception {
    return namespace.call(() -> this);
  }

  @Benchmark
  public long callerNamespaceCheck() {
    return NamespaceInode.ofCurrentThread();
  }

  @Benchmark
  public Object executorRoundTrip() throws ExecutionException, InterruptedException {
    return executor.submit(() -> this).get();
  }

  @Benchmark
  public int openSocketInNamespace() throws Exception {
    return namespace.call(CallBenchmark::openBindClose);
  }

  @Benchmark
  public int openSocketHere() throws IOException {
    return openBindClose();
  }

  private static int openBindClose() throws IOException {
    try (ServerSocketChannel channel = ServerSocketChannel.open()) {
      channel.bind(ANY_LOOPBACK_PORT);
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }
  }
}

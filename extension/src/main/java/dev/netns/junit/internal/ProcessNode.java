package dev.netns.junit.internal;

import dev.netns.junit.AddressScope;
import dev.netns.junit.AssignedAddress;
import dev.netns.junit.ClockSkew;
import dev.netns.junit.Fault;
import dev.netns.junit.JavaNode;
import dev.netns.junit.NetNs;
import dev.netns.junit.Node;
import dev.netns.kernel.Failures;
import dev.netns.kernel.ProcessSignal;
import dev.netns.kernel.ProcessTree;
import dev.netns.topology.ActiveFault;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@link Node} over a copy of the command it was started with, which {@link #restart()} starts
 * again through {@link DefaultNetNs#start(ProcessBuilder)}, the one place processes are started.
 */
final class ProcessNode implements Node {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Duration EXIT_WAIT = Duration.ofSeconds(10);
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(250);
  private static final long POLL_MILLIS = 20;
  private static final int QUOTED_LINES = 20;

  private final String name;
  private final DefaultNetNs namespace;
  private final ProcessBuilder builder;
  private final NodeOutput output;

  private volatile Process current;
  private volatile long startOffset;
  private List<ProcessHandle> lastTree = List.of();
  private Process paused;
  private ActiveFault pausedBy;
  private boolean closed;

  private ProcessNode(
      String name, DefaultNetNs namespace, ProcessBuilder builder, NodeOutput output) {
    this.name = name;
    this.namespace = namespace;
    this.builder = builder;
    this.output = output;
  }

  /**
   * A node of {@code builder}'s command, working directory and environment (copied: the caller's
   * builder stays the caller's), not started yet.
   */
  static ProcessNode of(String call, DefaultNetNs namespace, String name, ProcessBuilder builder)
      throws IOException {
    if (builder == null) {
      throw new IllegalArgumentException(call + ": the process builder is null");
    }
    if (builder.command().isEmpty()) {
      throw new IllegalArgumentException(
          call + ": the builder of node '" + name + "' has no command");
    }
    ProcessBuilder copy = new ProcessBuilder(List.copyOf(builder.command()));
    copy.environment().clear();
    copy.environment().putAll(builder.environment());
    return of(call, namespace, name, copy, builder.directory());
  }

  /** A node of a Java main class, not started yet. */
  static ProcessNode of(String call, DefaultNetNs namespace, JavaNode spec) throws IOException {
    if (spec == null) {
      throw new IllegalArgumentException(call + ": the JavaNode is null");
    }
    Path java = spec.java();
    if (!Files.isExecutable(java)) {
      throw new IllegalArgumentException(
          call + ": no java launcher at " + java + " for node '" + spec.name() + "' (javaHome)");
    }
    ProcessBuilder copy = new ProcessBuilder(spec.command());
    copy.environment().putAll(spec.environment());
    if (spec.clockOffset().isPresent()) {
      ClockSkew.apply(copy, spec.clockOffset().get());
    }
    return of(
        call, namespace, spec.name(), copy, spec.workingDirectory().map(Path::toFile).orElse(null));
  }

  private static ProcessNode of(
      String call, DefaultNetNs namespace, String name, ProcessBuilder copy, File directory)
      throws IOException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          call + ": '" + name + "' is no node name: use 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (directory != null && !directory.isDirectory()) {
      throw new IllegalArgumentException(
          call
              + ": the working directory of node '"
              + name
              + "', "
              + directory
              + ", is no directory; create it first");
    }
    copy.directory(directory);
    NodeOutput output =
        NodeOutput.create(
            ReportLayout.nodeOutputFile(
                namespace.network().nodeOutputDirectory(), namespace.name(), name),
            "[" + name + "] ");
    copy.redirectErrorStream(true);
    copy.redirectOutput(ProcessBuilder.Redirect.appendTo(output.file().toFile()));
    return new ProcessNode(name, namespace, copy, output);
  }

  /** Starts the node's process (again). */
  synchronized void launch() throws IOException {
    startOffset = output.size();
    current = namespace.start(builder);
    lastTree = List.of();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public NetNs namespace() {
    return namespace;
  }

  @Override
  public long pid() {
    return current.pid();
  }

  @Override
  public boolean isAlive() {
    return !ProcessTree.exited(current.toHandle());
  }

  @Override
  public OptionalInt exitStatus() {
    Process process = current;
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  @Override
  public boolean waitFor(Duration timeout) throws InterruptedException {
    requireTimeout("waitFor", timeout);
    return current.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public Process process() {
    return current;
  }

  @Override
  public synchronized void kill() {
    killTree("kill");
  }

  @Override
  public void terminate() {
    terminate(DEFAULT_GRACE);
  }

  @Override
  public synchronized void terminate(Duration grace) {
    requireTimeout("terminate", grace);
    Process process = current;
    if (ProcessTree.exited(process.toHandle())) {
      return;
    }
    List<ProcessHandle> tree = ProcessTree.of(process.toHandle());
    ProcessSignal.SIGTERM.send(process.toHandle());
    boolean exited;
    try {
      exited = process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exited = false;
    }
    List<ProcessHandle> all = new ArrayList<>();
    if (!exited) {
      all.addAll(ProcessTree.kill(process.toHandle()));
    }
    // Children the process left behind when it exited are orphans now: out of its tree.
    for (ProcessHandle member : tree) {
      if (!ProcessTree.exited(member)) {
        all.addAll(ProcessTree.kill(member));
      }
    }
    all.addAll(tree);
    lastTree = List.copyOf(all);
    awaitExited("terminate", process);
  }

  @Override
  public synchronized void restart() throws IOException {
    if (closed) {
      throw new IllegalStateException(
          "restart: " + this + " was stopped at teardown; nodes do not outlive their test");
    }
    Process process = current;
    if (!ProcessTree.exited(process.toHandle())) {
      throw new IllegalStateException(
          "restart: "
              + this
              + " (pid "
              + process.pid()
              + ") is still running"
              + (isPaused() ? ", paused by '" + pausedBy.description() + "'" : "")
              + "; kill() or terminate() it first, or wait for it to exit");
    }
    awaitExited("restart", process);
    closeStreams(process);
    launch();
  }

  @Override
  public synchronized Fault pause() {
    Process process = requireRunning("pause");
    if (isPaused()) {
      throw new IllegalStateException(
          "pause: "
              + this
              + " is paused already by '"
              + pausedBy.description()
              + "'; heal that fault first");
    }
    ActiveFault fault;
    try {
      ProcessTree.stop(process.toHandle());
      fault = faults().node(namespace.name(), name, "pause", () -> resume(process));
    } catch (RuntimeException e) {
      // Half-way: what was stopped runs again.
      resume(process);
      throw e;
    }
    paused = process;
    pausedBy = fault;
    return new DefaultFault(fault);
  }

  @Override
  public synchronized Fault crash() {
    requireRunning("crash");
    if (isPaused()) {
      throw new IllegalStateException(
          "crash: "
              + this
              + " is paused by '"
              + pausedBy.description()
              + "'; heal that fault first, or kill() it");
    }
    killTree("crash");
    return new DefaultFault(faults().node(namespace.name(), name, "crash", this::healCrash));
  }

  /** A crash heals by restarting, unless the node runs again already or the test is over. */
  private synchronized void healCrash() {
    if (closed || isAlive()) {
      return;
    }
    try {
      restart();
    } catch (IOException e) {
      throw new UncheckedIOException("healing the crash of " + this + ": restart failed", e);
    }
  }

  private synchronized void resume(Process process) {
    if (!ProcessTree.exited(process.toHandle())) {
      ProcessTree.signal(ProcessTree.of(process.toHandle()), ProcessSignal.SIGCONT);
    }
    if (paused == process) {
      paused = null;
    }
  }

  private boolean isPaused() {
    return paused != null && paused == current && pausedBy != null && pausedBy.isActive();
  }

  @Override
  public String awaitLogLine(String regex, Duration timeout) {
    Pattern pattern = compile("awaitLogLine", regex);
    requireTimeout("awaitLogLine", timeout);
    NodeOutput.Cursor cursor = output.cursor(startOffset);
    return poll(
        "awaitLogLine",
        timeout,
        () -> cursor.next().stream().filter(line -> pattern.matcher(line).find()).findFirst(),
        "a line matching '" + regex + "'",
        () -> this + " wrote no line matching '" + regex + "' within " + millis(timeout) + tail());
  }

  @Override
  public boolean hasLogged(String regex) {
    Pattern pattern = compile("hasLogged", regex);
    return output.cursor(startOffset).next().stream().anyMatch(l -> pattern.matcher(l).find());
  }

  @Override
  public void awaitPort(int port, Duration timeout) {
    requirePort("awaitPort", port);
    requireTimeout("awaitPort", timeout);
    poll(
        "awaitPort",
        timeout,
        () -> acceptsConnections(port) ? Optional.of(port) : Optional.empty(),
        "accepting connections on port " + port,
        () ->
            this
                + " accepted no connection on port "
                + port
                + " (tried "
                + String.join(", ", targets(port).stream().map(Object::toString).toList())
                + " from inside "
                + namespace.name()
                + ") within "
                + millis(timeout)
                + tail());
  }

  /**
   * Asks {@code probe} until it finds something, the node's current process exits ({@code wanted}
   * names what it did not do first), or {@code timeout} passes; both failures are assertion errors.
   * Whether the process had exited is read before the probe, so output written just before the exit
   * is still found.
   */
  private <T> T poll(
      String call,
      Duration timeout,
      Supplier<Optional<T>> probe,
      String wanted,
      Supplier<String> timedOut) {
    Process process = current;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean exited = ProcessTree.exited(process.toHandle());
      Optional<T> found = probe.get();
      if (found.isPresent()) {
        return found.get();
      }
      if (exited) {
        throw new AssertionError(exitedBefore(process, wanted));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(timedOut.get());
      }
      sleep(call);
    }
  }

  @Override
  public boolean acceptsConnections(int port) {
    requirePort("acceptsConnections", port);
    for (InetSocketAddress target : targets(port)) {
      try {
        boolean accepted =
            namespace.call(
                () -> {
                  try (Socket socket = new Socket()) {
                    socket.connect(target, (int) CONNECT_TIMEOUT.toMillis());
                    return true;
                  } catch (IOException e) {
                    return false;
                  }
                });
        if (accepted) {
          return true;
        }
      } catch (Exception e) {
        throw new IllegalStateException("acceptsConnections: cannot connect from " + namespace, e);
      }
    }
    return false;
  }

  /** The namespace's usable addresses, loopback first; link-local and tentative ones skipped. */
  private List<InetSocketAddress> targets(int port) {
    return namespace.addresses().stream()
        .filter(a -> !a.tentative() && a.scope() != AddressScope.LINK)
        .sorted(Comparator.comparing((AssignedAddress a) -> a.scope() != AddressScope.HOST))
        .map(a -> new InetSocketAddress(a.address().address(), port))
        .toList();
  }

  @Override
  public Path output() {
    return output.file();
  }

  @Override
  public List<String> lastLines(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("lastLines: count " + count + " is negative");
    }
    return output.lastLines(count);
  }

  @Override
  public Node echoOutput() {
    output.echo(System.out);
    return this;
  }

  /**
   * At teardown: paused processes resumed, the tree killed, the echo stopped. Crash faults heal
   * without restarting from here on.
   */
  void stopAtTeardown(Failures failures) {
    Process process;
    Process wasPaused;
    synchronized (this) {
      closed = true;
      process = current;
      wasPaused = paused;
    }
    if (wasPaused != null) {
      failures.run(() -> resume(wasPaused));
    }
    failures.run(this::kill);
    output.close();
    closeStreams(process);
  }

  private void killTree(String call) {
    Process process = current;
    if (!ProcessTree.exited(process.toHandle())) {
      lastTree = ProcessTree.kill(process.toHandle());
    }
    awaitExited(call, process);
  }

  /** Waits for the process and the members of its last killed tree to exit. */
  private void awaitExited(String call, Process process) {
    try {
      if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            call
                + ": "
                + this
                + " (pid "
                + process.pid()
                + ") did not exit within "
                + millis(EXIT_WAIT));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(call + ": interrupted while waiting for " + this, e);
    }
    try {
      ProcessTree.awaitExited(lastTree, EXIT_WAIT);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(call + ": processes of " + this + " " + e.getMessage(), e);
    }
  }

  private Process requireRunning(String call) {
    Process process = current;
    if (closed || ProcessTree.exited(process.toHandle())) {
      throw new IllegalStateException(
          call
              + ": "
              + this
              + " is not running"
              + (process.isAlive() ? "" : " (exited with status " + process.exitValue() + ")")
              + "; restart() it first");
    }
    return process;
  }

  private String exitedBefore(Process process, String wanted) {
    String status;
    try {
      status = process.waitFor(1, TimeUnit.SECONDS) ? "status " + process.exitValue() : "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = "?";
    }
    return this + " exited (" + status + ") before " + wanted + tail();
  }

  /** The last lines of output, for a message. */
  private String tail() {
    List<String> lines = output.lastLines(QUOTED_LINES);
    if (lines.isEmpty()) {
      return "; it wrote nothing (" + output.file() + ")";
    }
    StringBuilder text =
        new StringBuilder("; its last ")
            .append(lines.size() == 1 ? "line" : lines.size() + " lines")
            .append(" (")
            .append(output.file())
            .append("):");
    lines.forEach(l -> text.append("\n  | ").append(l));
    return text.toString();
  }

  private dev.netns.topology.FaultInjector faults() {
    return namespace.network().running().faults();
  }

  private static void closeStreams(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // the pipe to a dead process: nothing to flush
    }
  }

  private static Pattern compile(String call, String regex) {
    if (regex == null) {
      throw new IllegalArgumentException(call + ": the regex is null");
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          call + ": '" + regex + "' is no regex: " + e.getDescription(), e);
    }
  }

  private static void requireTimeout(String call, Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException(
          call + ": the timeout " + timeout + " is null or negative");
    }
  }

  private static void requirePort(String call, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(call + ": " + port + " is no TCP port (1 to 65535)");
    }
  }

  private static String millis(Duration duration) {
    return duration.toMillis() + " ms";
  }

  private static void sleep(String call) {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(call + ": interrupted", e);
    }
  }

  /**
   * For the failure report: {@code records in n1: pid 4711, paused; output: /.../n1-records.log}.
   */
  synchronized String report() {
    Process process = current;
    String state;
    if (isPaused()) {
      state = "paused";
    } else if (process.isAlive()) {
      state = "running";
    } else {
      state = "exited with status " + process.exitValue();
    }
    return name
        + " in "
        + namespace.name()
        + ": pid "
        + process.pid()
        + ", "
        + state
        + "; output: "
        + output.file();
  }

  @Override
  public String toString() {
    return "node " + name + " in " + namespace.name();
  }
}

package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * What a failed network test leaves behind: a report of the network as the failure left it, and
 * pcap files of what crossed it, which tcpdump reads back; and what a passing test leaves (nothing,
 * by default).
 */
@Tag("privileged")
class DiagnosticsTest {
  static final String BLUE = "10.83.0.1";
  static final String RED = "10.83.0.2";

  @TempDir Path reports;

  @BeforeEach
  void requirePrivileges() {
    dev.netns.testing.Requirements.requireNamespaces();
  }

  /**
   * A TCP connection from blue to red:40001 carrying "hello", then three datagrams to red:40002.
   */
  static void exchange(NetNs blue, NetNs red) throws Exception {
    try (ServerSocketChannel server =
            red.openServerSocketChannel(new InetSocketAddress(RED, 40001));
        SocketChannel client = blue.openSocketChannel(new InetSocketAddress(RED, 40001));
        SocketChannel accepted = server.accept()) {
      client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer received = ByteBuffer.allocate(5);
      while (received.hasRemaining()) {
        accepted.read(received);
      }
    }
    try (DatagramChannel receiver = red.openDatagramChannel(new InetSocketAddress(RED, 40002));
        DatagramChannel sender = blue.openDatagramChannel(new InetSocketAddress(BLUE, 0))) {
      for (int i = 0; i < 3; i++) {
        sender.send(
            ByteBuffer.wrap(("datagram " + i).getBytes(StandardCharsets.US_ASCII)),
            new InetSocketAddress(RED, 40002));
        receiver.receive(ByteBuffer.allocate(64));
      }
    }
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = RED + "/24")
  static class FailingExchangeTest {
    @Test
    void exchangeThenFail(@Ns("blue") NetNs blue, @Ns("red") NetNs red) throws Exception {
      exchange(blue, red);
      throw new AssertionError("fails after the exchange, on purpose");
    }
  }

  /** Sends some 8 KB, more than the smallest capture bound, then fails. */
  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = RED + "/24")
  static class FailingBulkExchangeTest {
    @Test
    void exchangeThenFail(@Ns("blue") NetNs blue, @Ns("red") NetNs red) throws Exception {
      try (DatagramChannel receiver = red.openDatagramChannel(new InetSocketAddress(RED, 40003));
          DatagramChannel sender = blue.openDatagramChannel(new InetSocketAddress(BLUE, 0))) {
        for (int i = 0; i < 16; i++) {
          sender.send(ByteBuffer.allocate(512), new InetSocketAddress(RED, 40003));
          receiver.receive(ByteBuffer.allocate(512));
        }
      }
      throw new AssertionError("fails after the exchange, on purpose");
    }
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = RED + "/24")
  static class PassingExchangeTest {
    @Test
    void exchange(@Ns("blue") NetNs blue, @Ns("red") NetNs red) throws Exception {
      DiagnosticsTest.exchange(blue, red);
    }
  }

  @Capture(mode = Capture.Mode.ALWAYS)
  static class AlwaysCapturedTest extends PassingExchangeTest {}

  static volatile Optional<Boolean> captureThreadSeen = Optional.empty();

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = RED + "/24")
  static class NeverCapturedTest {
    @Test
    @Capture(mode = Capture.Mode.NEVER)
    void exchangeThenFail(@Ns("blue") NetNs blue, @Ns("red") NetNs red) throws Exception {
      captureThreadSeen =
          Optional.of(
              Thread.getAllStackTraces().keySet().stream()
                  .anyMatch(t -> t.getName().startsWith("netns-capture NeverCapturedTest")));
      exchange(blue, red);
      throw new AssertionError("fails without capture");
    }
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = RED + "/24")
  static class FailingAfterEachTest {
    @Test
    void exchange(@Ns("blue") NetNs blue, @Ns("red") NetNs red) throws Exception {
      DiagnosticsTest.exchange(blue, red);
    }

    @AfterEach
    void fails(Network network) {
      network.cut("blue", "red");
      throw new IllegalStateException("@AfterEach fails, on purpose");
    }
  }

  @SharedNetwork
  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = RED + "/24")
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class SharedNetworkTest {
    @Test
    void first(@Ns("blue") NetNs blue, @Ns("red") NetNs red) throws Exception {
      exchange(blue, red);
    }

    @Test
    void second() {
      throw new AssertionError("the second test fails");
    }
  }

  @NetNamespace("blue")
  static class RepeatedTest {
    @org.junit.jupiter.api.RepeatedTest(2)
    void fails() {
      throw new AssertionError("each repetition fails");
    }
  }

  private Path testDir(Class<?> fixture, String method) {
    return reports.resolve(fixture.getName()).resolve(method);
  }

  private EngineExecutionResults run(Class<?> fixture, Map<String, String> more) {
    Map<String, String> configuration = new java.util.HashMap<>(more);
    configuration.put(NetNamespace.REPORT_DIR_PROPERTY_NAME, reports.toString());
    // Capture is off by default; these fixtures ask for it unless a test says otherwise.
    configuration.putIfAbsent(NetNamespace.CAPTURE_PROPERTY_NAME, "onFailure");
    return Fixtures.run(fixture, configuration);
  }

  private List<Path> filesUnder(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void failedTestLeavesAReportOfTheNetwork() throws Exception {
    EngineExecutionResults results = run(FailingExchangeTest.class, Map.of());
    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    Path dir = testDir(FailingExchangeTest.class, "exchangeThenFail");
    Path report = dir.resolve("report.txt");

    Throwable failure = Fixtures.onlyFailure(results);
    assertThat(failure).hasMessage("fails after the exchange, on purpose");
    assertThat(failure.getSuppressed())
        .extracting(Throwable::getMessage)
        .containsExactly(
            "netns: the network as this failure left it: "
                + report.toAbsolutePath()
                + "; packets: "
                + dir.toAbsolutePath()
                + "/*.pcap (tcpdump -nn -r FILE)");

    List<ReportEntry> entries =
        results.allEvents().reportingEntryPublished().stream()
            .map(e -> e.getPayload(ReportEntry.class).orElseThrow())
            .toList();
    assertThat(entries)
        .anySatisfy(
            e ->
                assertThat(e.getKeyValuePairs())
                    .containsEntry("netns.report", report.toAbsolutePath().toString()))
        .anySatisfy(
            e ->
                assertThat(e.getKeyValuePairs())
                    .containsEntry(
                        "netns.reportPage", dir.resolve("report.html").toAbsolutePath().toString()))
        .anySatisfy(
            e ->
                assertThat(e.getKeyValuePairs())
                    .containsEntry(
                        "netns.network",
                        "2 namespaces (blue, red), 1 veth link, 0 LANs, 0 faults in force,"
                            + " 2 capture files"))
        .anySatisfy(
            e ->
                assertThat(e.getKeyValuePairs())
                    .containsEntry("netns.capture", dir.toAbsolutePath() + " (2 pcap files)"));

    String text = Files.readString(report);
    assertThat(text)
        .contains("test:    " + FailingExchangeTest.class.getName() + ".exchangeThenFail()")
        .contains("failure: java.lang.AssertionError: fails after the exchange, on purpose")
        .contains("== namespace blue  net:[")
        .contains("== namespace red  net:[")
        .contains(": red (veth) UP,LOWER_UP mtu 1500")
        .contains(": blue (veth) UP,LOWER_UP mtu 1500")
        .contains("  red " + BLUE + "/24")
        .contains("  blue " + RED + "/24")
        .contains("  10.83.0.0/24 dev red proto kernel scope link")
        .contains("  " + RED + " dev red lladdr ")
        .contains("  " + BLUE + " dev blue lladdr ")
        .contains("threads of this JVM inside:\n  'netns-blue-")
        .contains("== faults in force\n  none")
        .contains(dir.resolve("blue-red.pcap").toAbsolutePath().toString())
        .contains("== packet captures at teardown")
        .containsPattern("blue-red.pcap: \\d+ frames, \\d+ bytes")
        // (through the JVM's user namespace first when it runs rootless)
        .containsPattern(
            "nsenter (--preserve-credentials --user=/proc/\\d+/ns/user )?--net=/proc/"
                + ProcessHandle.current().pid()
                + "/fd/\\d+\n");
    // Counters: the exchange went out of blue's eth0 and into red's.
    assertThat(text).containsPattern("rx [1-9]\\d* packets \\d+ bytes 0 dropped");
  }

  @Test
  void failedTestKeepsPcapFilesThatTcpdumpReads() throws Exception {
    run(FailingExchangeTest.class, Map.of());
    Path dir = testDir(FailingExchangeTest.class, "exchangeThenFail");
    assertThat(filesUnder(reports))
        .containsExactly(
            dir.resolve("blue-red.pcap"),
            dir.resolve("red-blue.pcap"),
            dir.resolve("report.html"),
            dir.resolve("report.txt"));
    for (String file : new String[] {"blue-red.pcap", "red-blue.pcap"}) {
      String dump = tcpdump(dir.resolve(file));
      // The handshake, both ways, from blue's ephemeral port to red's 40001 ...
      assertThat(dump)
          .as(file)
          .containsPattern(
              "IP " + quote(BLUE) + "\\.\\d+ > " + quote(RED) + "\\.40001: Flags \\[S\\],")
          .containsPattern(
              "IP " + quote(RED) + "\\.40001 > " + quote(BLUE) + "\\.\\d+: Flags \\[S\\.\\],")
          .containsPattern(
              "IP "
                  + quote(BLUE)
                  + "\\.\\d+ > "
                  + quote(RED)
                  + "\\.40001: Flags \\[P\\.\\], .*length 5");
      // ... and the three datagrams of 10 bytes each.
      assertThat(
              dump.lines()
                  .filter(
                      l ->
                          l.matches(
                              ".* IP "
                                  + quote(BLUE)
                                  + "\\.\\d+ > "
                                  + quote(RED)
                                  + "\\.40002: UDP, length 10")))
          .as(file)
          .hasSize(3);
    }
  }

  @Test
  void passingTestLeavesNoFiles() throws Exception {
    run(PassingExchangeTest.class, Map.of())
        .testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1));
    assertThat(filesUnder(reports)).isEmpty();
    try (Stream<Path> left = Files.list(reports)) {
      assertThat(left).as("directories left").isEmpty();
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .as("capture threads left")
        .noneMatch(t -> t.getName().startsWith("netns-capture PassingExchangeTest"));
  }

  @Test
  void captureAlwaysKeepsTheFilesOfAPassingTest() throws Exception {
    run(AlwaysCapturedTest.class, Map.of())
        .testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1));
    Path dir = testDir(AlwaysCapturedTest.class, "exchange");
    assertThat(filesUnder(reports))
        .containsExactly(dir.resolve("blue-red.pcap"), dir.resolve("red-blue.pcap"));
    assertThat(tcpdump(dir.resolve("red-blue.pcap"))).contains(RED + ".40002: UDP, length 10");
  }

  @Test
  void captureCanBeTurnedOnForAClassWhenTheConfigurationSaysNever() throws Exception {
    run(AlwaysCapturedTest.class, Map.of(NetNamespace.CAPTURE_PROPERTY_NAME, "never"))
        .testEvents()
        .assertStatistics(s -> s.succeeded(1));
    assertThat(filesUnder(reports)).hasSize(2);
  }

  @Test
  void captureNeverStartsNoCaptureYetTheFailureIsReported() throws Exception {
    captureThreadSeen = Optional.empty();
    run(NeverCapturedTest.class, Map.of()).testEvents().assertStatistics(s -> s.failed(1));
    assertThat(captureThreadSeen).contains(false);
    Path dir = testDir(NeverCapturedTest.class, "exchangeThenFail");
    assertThat(filesUnder(reports))
        .containsExactly(dir.resolve("report.html"), dir.resolve("report.txt"));
    assertThat(Files.readString(dir.resolve("report.txt")))
        .contains("== packet captures (tcpdump -nn -r FILE, or open in Wireshark)\n  none");
  }

  @Test
  void captureNeverByConfigurationParameter() throws Exception {
    run(FailingExchangeTest.class, Map.of(NetNamespace.CAPTURE_PROPERTY_NAME, "never"))
        .testEvents()
        .assertStatistics(s -> s.failed(1));
    Path dir = testDir(FailingExchangeTest.class, "exchangeThenFail");
    assertThat(filesUnder(reports))
        .containsExactly(dir.resolve("report.html"), dir.resolve("report.txt"));
  }

  @Test
  void failureInAfterEachIsReportedWithTheFaultInForce() throws Exception {
    EngineExecutionResults results = run(FailingAfterEachTest.class, Map.of());
    results.testEvents().assertStatistics(s -> s.failed(1));
    assertThat(Fixtures.onlyFailure(results)).hasMessage("@AfterEach fails, on purpose");
    Path dir = testDir(FailingAfterEachTest.class, "exchange");
    assertThat(Files.readString(dir.resolve("report.txt")))
        .contains("failure: java.lang.IllegalStateException: @AfterEach fails, on purpose")
        .containsPattern("== faults in force\n  cut blue -> red");
    assertThat(dir.resolve("blue-red.pcap")).exists();
  }

  @Test
  void captureFilesStopAtTheirSizeBoundAndTheReportSaysSo() throws Exception {
    run(FailingBulkExchangeTest.class, Map.of(NetNamespace.CAPTURE_MAX_BYTES_PROPERTY_NAME, "1k"));
    Path dir = testDir(FailingBulkExchangeTest.class, "exchangeThenFail");
    assertThat(Files.size(dir.resolve("blue-red.pcap"))).isLessThanOrEqualTo(1024);
    assertThat(Files.readString(dir.resolve("report.txt")))
        .containsPattern(
            "blue-red.pcap: \\d+ frames, \\d+ bytes; \\d+ later frames NOT written: the file"
                + " reached netns.captureMaxBytes=1024");
  }

  @Test
  void sharedNetworkCapturesForTheClassAndReportsPerTest() throws Exception {
    run(SharedNetworkTest.class, Map.of())
        .testEvents()
        .assertStatistics(s -> s.succeeded(1).failed(1));
    Path shared = testDir(SharedNetworkTest.class, "shared-network");
    Path second = testDir(SharedNetworkTest.class, "second");
    assertThat(filesUnder(reports))
        .containsExactly(
            second.resolve("report.html"),
            second.resolve("report.txt"),
            shared.resolve("blue-red.pcap"),
            shared.resolve("red-blue.pcap"));
    assertThat(Files.readString(second.resolve("report.txt")))
        .contains("failure: java.lang.AssertionError: the second test fails")
        .contains(shared.resolve("blue-red.pcap").toAbsolutePath().toString());
    // The failed test's page links the class's capture files.
    assertThat(Files.readString(second.resolve("report.html")))
        .contains("<a href=\"../shared-network/blue-red.pcap\">blue-red.pcap</a>");
    // The first test's exchange is in the class's capture.
    assertThat(tcpdump(shared.resolve("blue-red.pcap")))
        .contains(BLUE + ".")
        .contains(RED + ".40002: UDP, length 10");
  }

  @Test
  void eachRepetitionHasADirectoryOfItsOwn() throws Exception {
    run(RepeatedTest.class, Map.of()).testEvents().assertStatistics(s -> s.failed(2));
    // blue has only loopback, which is not captured: reports only.
    assertThat(filesUnder(reports))
        .containsExactly(
            testDir(RepeatedTest.class, "fails-1").resolve("report.html"),
            testDir(RepeatedTest.class, "fails-1").resolve("report.txt"),
            testDir(RepeatedTest.class, "fails-2").resolve("report.html"),
            testDir(RepeatedTest.class, "fails-2").resolve("report.txt"));
    assertThat(Files.readString(testDir(RepeatedTest.class, "fails-2").resolve("report.txt")))
        .contains("test:    " + RepeatedTest.class.getName() + ".fails() [repetition 2 of 2]");
  }

  @Test
  void misconfiguredCaptureFailsNamingTheParameter() {
    EngineExecutionResults results =
        run(PassingExchangeTest.class, Map.of(NetNamespace.CAPTURE_PROPERTY_NAME, "sometimes"));
    assertThat(Fixtures.onlyFailure(results))
        .isInstanceOf(org.junit.jupiter.api.extension.ExtensionConfigurationException.class)
        .hasMessage(
            "configuration parameter netns.capture must be never, onFailure or always, but was"
                + " 'sometimes'");
  }

  private static String quote(String address) {
    return address.replace(".", "\\.");
  }

  /** {@code tcpdump -nn -r FILE}'s output; skips without tcpdump (fails under netns.require). */
  static String tcpdump(Path file) throws Exception {
    Optional<Path> tcpdump =
        Stream.concat(
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                Stream.of("/usr/sbin", "/usr/bin", "/sbin"))
            .filter(d -> !d.isEmpty())
            .map(d -> Path.of(d, "tcpdump"))
            .filter(Files::isExecutable)
            .findFirst();
    if (tcpdump.isEmpty()) {
      String message =
          "tcpdump is not installed, so the pcap files cannot be checked with it"
              + " (apt-get install tcpdump)";
      if (Boolean.getBoolean("netns.require")) {
        throw new AssertionError("netns.require=true but " + message);
      }
      Assumptions.abort(message);
    }
    List<String> command = new java.util.ArrayList<>();
    if (dev.netns.kernel.UserNamespaces.insideUserNamespace()) {
      // Run as root, tcpdump gives up root for its own user once the file is open, which a user
      // namespace that maps only root (as the rootless launcher's) refuses. In a nested user
      // namespace it runs as an unmapped user and has nothing to give up.
      command.addAll(List.of("unshare", "--user"));
    }
    command.addAll(List.of(tcpdump.get().toString(), "-nn", "-r", file.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("tcpdump -nn -r %s:\n%s", file, output).isZero();
    return output;
  }
}

package dev.netns.junit.forked;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.junit.NetInterface;
import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.junit.Ns;
import dev.netns.junit.VethLink;
import dev.netns.junit.forked.ForkedJvm.FixtureResult;
import dev.netns.kernel.NamespaceInode;
import dev.netns.kernel.UserNamespaces;
import dev.netns.testing.Oracle;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rootless launcher that the jar ships ({@code dev/netns/junit/rootless/bin/java}), used as
 * Surefire uses it, and what a JVM learns when it runs in a user namespace in other ways.
 *
 * <p>The launcher starts java inside a new user namespace and a new network namespace. There the
 * fixture builds namespaces and a link to {@link VethLink#HOST}, whose end lies in the JVM's own,
 * private namespace, never in the namespace this test runs in. The same holds when this suite
 * itself runs rootless: the launcher nests another pair of namespaces.
 */
@Tag("privileged")
class RootlessLauncherTest {
  static final String FORKED_PROPERTY = "netns.test.rootless.forked";

  /** The skip is under test: netns.require off, whatever the environment variable CI says. */
  static final String REQUIRE_PROPERTY = "netns.require";

  static final String LAUNCHER_RESOURCE = "/dev/netns/junit/rootless/bin/java";

  private static final String BLUE_TEST_ID =
      "[engine:junit-jupiter]/[class:"
          + Blue.class.getName()
          + "]/[method:test(dev.netns.junit.NetNs)]";

  private static void onlyInTheForkedJvm() {
    Assumptions.assumeTrue(
        System.getProperty(FORKED_PROPERTY) != null,
        "runs only in the JVMs that RootlessLauncherTest starts");
  }

  @NetNamespace("blue")
  @VethLink(a = "blue", aAddress = "10.79.0.1/24", b = VethLink.HOST, bAddress = "10.79.0.2/24")
  static class HostLinkInside {
    @Test
    void test(@Ns("blue") NetNs blue, Network network) throws Exception {
      onlyInTheForkedJvm();
      assertThat(UserNamespaces.insideUserNamespace()).as("inside a user namespace").isTrue();
      String home = System.getenv("HOME");
      if (home != null) {
        assertThat(System.getProperty("user.home")).as("user.home").isEqualTo(home);
      }
      // Loopback is up in the JVM's own namespace: the launcher brought it up.
      InetAddress loopback = InetAddress.getLoopbackAddress();
      try (ServerSocket server = new ServerSocket(0, 1, loopback);
          Socket client = new Socket(loopback, server.getLocalPort());
          Socket accepted = server.accept()) {
        assertThat(accepted.isConnected()).isTrue();
      }
      // JUnit's thread is in the JVM's namespace, the "host" end of the link.
      try (ServerSocket server = blue.serverSocketFactory().createServerSocket(8080);
          Socket client = new Socket("10.79.0.1", 8080);
          Socket accepted = server.accept()) {
        assertThat(accepted.getInetAddress().getHostAddress()).isEqualTo("10.79.0.2");
      }
      String hostEnd = network.link("blue", VethLink.HOST).interfaceIn(VethLink.HOST);
      assertThat(network.namespace(VethLink.HOST).interfaces())
          .extracting(NetInterface::name)
          .contains(hostEnd);
      System.out.println(ForkedFixtureMain.INFO + "\thostEnd\t" + hostEnd);
      System.out.println(
          ForkedFixtureMain.INFO + "\tnetns\t" + NamespaceInode.of(Path.of("/proc/self/ns/net")));
    }
  }

  @NetNamespace("blue")
  static class Blue {
    @Test
    void test(@Ns("blue") NetNs blue) {
      onlyInTheForkedJvm();
      assertThat(blue.name()).isEqualTo("blue");
    }
  }

  @Test
  void aLaunchedJvmBuildsHostLinksInItsOwnNamespace(@TempDir Path dir) throws Exception {
    String launcher = launcher();
    try (ForkedJvm child =
        ForkedJvm.start(
            dir,
            throughLauncher(launcher),
            Map.of(FORKED_PROPERTY, "true", NetNamespace.REQUIRE_PROPERTY_NAME, "true"),
            HostLinkInside.class)) {
      FixtureResult result = onlyTest(child);
      assertThat(result.status()).as("%s", child).isEqualTo("SUCCESSFUL");
      assertThat(Long.parseLong(child.info("netns")))
          .as("the launched JVM's network namespace")
          .isNotEqualTo(NamespaceInode.of(Path.of("/proc/self/ns/net")));
      assertThat(Oracle.hostIp("-o", "link", "show"))
          .as("links of this JVM's namespace")
          .doesNotContain(child.info("hostEnd") + ":");
    }
  }

  @Test
  void bindingUnderRunNetnsIsRefusedBeforeAnythingIsMade(@TempDir Path dir) throws Exception {
    String launcher = launcher();
    try (ForkedJvm child =
        ForkedJvm.start(
            dir,
            throughLauncher(launcher),
            Map.of(FORKED_PROPERTY, "true", NetNamespace.BIND_PROPERTY_NAME, "true"),
            Blue.class)) {
      FixtureResult result = onlyTest(child);
      assertThat(result.status()).as("%s", child).isEqualTo("FAILED");
      assertThat(result.exception())
          .isEqualTo("org.junit.jupiter.api.extension.ExtensionConfigurationException");
      assertThat(result.message())
          .isEqualTo(
              "netns.bind=true cannot work in this JVM: it runs inside a user namespace (as under"
                  + " the rootless launcher) that may not mount anything, so it cannot bind"
                  + " namespaces under /run/netns. Leave netns.bind unset for this run; to look"
                  + " inside a namespace, enter it with nsenter (see docs/getting-started.md).");
    }
  }

  @Test
  void theLauncherExplainsWhyItCannotStart() throws Exception {
    String launcher = launcher();
    // A user namespace of this test's own whose limit of user namespaces is 0: the machine's
    // setting stays as it is.
    Process process =
        new ProcessBuilder(
                "unshare",
                "--user",
                "--map-root-user",
                "sh",
                "-c",
                "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$0\" -version",
                launcher)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isEqualTo(1);
    assertThat(output)
        .startsWith(
            "netns-junit rootless launcher: cannot create a user namespace and a network"
                + " namespace for the test JVM: unshare: unshare failed: No space left on device\n")
        .contains(
            "netns-junit rootless launcher:   User namespaces are disabled"
                + " (user.max_user_namespaces=0).\n"
                + "netns-junit rootless launcher:   Fix: sudo sysctl -w"
                + " user.max_user_namespaces=10000\n")
        .endsWith("netns-junit rootless launcher:   See docs/troubleshooting.md.\n");
  }

  @Test
  void aUserNamespaceWithoutANetworkNamespaceOfItsOwnIsExplained(@TempDir Path dir)
      throws Exception {
    launcher(); // for the same skip when user namespaces are refused here
    try (ForkedJvm child =
        ForkedJvm.start(
            dir,
            List.of("unshare", "--user", "--map-root-user"),
            Map.of(FORKED_PROPERTY, "true", REQUIRE_PROPERTY, "false"),
            Blue.class)) {
      FixtureResult result = onlyTest(child);
      assertThat(result.status()).as("%s", child).isEqualTo("ABORTED");
      assertThat(result.message())
          .startsWith("skipped: creating a network namespace was refused (setns(")
          .contains(
              ". This JVM runs inside a user namespace (uid_map: 0 ",
              " but in a network namespace that another user namespace owns, so its threads"
                  + " cannot step back into it after making a new one: start it in a network"
                  + " namespace of its own as well, as netns-junit's rootless launcher (unshare"
                  + " --user --map-root-user --net) does.")
          .doesNotContain("without CAP_SYS_ADMIN");
    }
  }

  @Test
  void aLimitOfZeroNetworkNamespacesIsExplained(@TempDir Path dir) throws Exception {
    launcher();
    Map<String, String> properties = new HashMap<>();
    properties.put(FORKED_PROPERTY, "true");
    properties.put(REQUIRE_PROPERTY, "false");
    try (ForkedJvm child =
        ForkedJvm.start(
            dir,
            List.of(
                "unshare",
                "--user",
                "--map-root-user",
                "--net",
                "sh",
                "-c",
                "echo 0 > /proc/sys/user/max_net_namespaces && exec \"$@\"",
                "sh"),
            properties,
            Blue.class)) {
      FixtureResult result = onlyTest(child);
      assertThat(result.status()).as("%s", child).isEqualTo("ABORTED");
      assertThat(result.message())
          .isEqualTo(
              "skipped: cannot create a network namespace: unshare(CLONE_NEWNET) failed: ENOSPC"
                  + " (No space left on device). Network namespaces are disabled"
                  + " (user.max_net_namespaces=0). Fix: sudo sysctl -w"
                  + " user.max_net_namespaces=10000. Set netns.require=true to fail instead of"
                  + " skipping.");
    }
  }

  /** The one test's result, after checking that the forked JVM ran to its end. */
  private static FixtureResult onlyTest(ForkedJvm child) throws InterruptedException {
    int status = child.awaitExit(30);
    assertThat(child.printedDone()).as("%s", child).isTrue();
    assertThat(status).as("exit status of %s", child).isZero();
    List<FixtureResult> tests = child.results().stream().filter(FixtureResult::test).toList();
    assertThat(tests).as("tests run by %s", child).hasSize(1);
    return tests.get(0);
  }

  /**
   * ForkedJvm runs {@code wrapper... <real java> args...}; the launcher stands in for java, so a
   * shell drops the real java's path and execs the launcher with the rest. The launcher then finds
   * the real java through NETNS_JUNIT_JAVA.
   */
  private static List<String> throughLauncher(String launcher) {
    return List.of(
        "env",
        "NETNS_JUNIT_JAVA=" + ForkedJvm.javaBinary(),
        "sh",
        "-c",
        "shift; exec \"$0\" \"$@\"",
        launcher);
  }

  /**
   * The launcher as the build put it on the classpath (executable, as in the jar), once this
   * machine has shown that it lets this process make a user and a network namespace; otherwise the
   * test is skipped, or fails under {@code netns.require=true}.
   */
  private static String launcher() throws Exception {
    URL url = RootlessLauncherTest.class.getResource(LAUNCHER_RESOURCE);
    assertThat(url).as("%s on the classpath", LAUNCHER_RESOURCE).isNotNull();
    Path path;
    try {
      path = Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
    assertThat(Files.isExecutable(path)).as("%s is executable", path).isTrue();
    String reason = null;
    if (!onPath("unshare")) {
      reason = "unshare (util-linux) is not on the PATH";
    } else {
      Process dryRun =
          new ProcessBuilder("unshare", "--user", "--map-root-user", "--net", "true")
              .redirectErrorStream(true)
              .start();
      String output = new String(dryRun.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (dryRun.waitFor() != 0) {
        reason =
            "this machine does not let this process make a user and a network namespace ("
                + output.trim()
                + ")"
                + UserNamespaces.unprivilegedBlocked().map(b -> ": " + b).orElse("");
      }
    }
    if (reason != null) {
      if (Boolean.getBoolean(NetNamespace.REQUIRE_PROPERTY_NAME)) {
        throw new AssertionError(NetNamespace.REQUIRE_PROPERTY_NAME + "=true but " + reason);
      }
      Assumptions.abort(reason);
    }
    return path.toString();
  }

  private static boolean onPath(String program) {
    return Stream.of(
            System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }
}

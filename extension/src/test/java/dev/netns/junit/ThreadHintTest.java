package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Requirements;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A socket made on the test's own thread, which is in the machine's namespace, gets a one-line hint
 * naming the fix; the same error raised inside a namespace gets none. The fixtures only bind (to an
 * address the machine does not have), so nothing is ever sent from the machine's namespace.
 */
@Tag("privileged")
class ThreadHintTest {
  static final String BLUE = "10.151.0.1";

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = "10.151.0.2/24")
  static class BindsOnTheTestThread {
    @Test
    void listens() throws Exception {
      try (ServerSocket server = new ServerSocket()) {
        server.bind(new InetSocketAddress(BLUE, 7000)); // blue's address, but not in blue
      }
    }
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = "10.151.0.2/24")
  static class BindsAWrongAddressInside {
    @Test
    void listens(@Ns("red") NetNs red) throws Exception {
      red.run(
          () -> {
            try (ServerSocket server = new ServerSocket()) {
              server.bind(new InetSocketAddress(BLUE, 7000)); // blue's address, in red
            }
          });
    }
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = "10.151.0.2/24")
  static class BindsAWrongAddressInABody {
    @Test
    @InNamespace("red")
    void listens() throws Exception {
      try (ServerSocket server = new ServerSocket()) {
        server.bind(new InetSocketAddress(BLUE, 7000));
      }
    }
  }

  @Test
  void aSocketOnTheTestThreadGetsTheHint() {
    Throwable failure = Fixtures.onlyFailure(Fixtures.run(BindsOnTheTestThread.class));
    assertThat(failure).isInstanceOf(BindException.class);
    assertThat(hints(failure))
        .containsExactly(
            "netns hint: this BindException ("
                + failure.getMessage()
                + ") was raised on the test's own thread, which is in the machine's network"
                + " namespace, not in one of the test's (blue, red). Make and use sockets inside a"
                + " namespace: blue.call(() -> ...), blue.socketFactory(), or"
                + " @InNamespace(\"blue\") on the test method (docs/threads-and-sockets.md).");
  }

  @Test
  void theSameErrorInsideANamespaceGetsNone() {
    Throwable failure = Fixtures.onlyFailure(Fixtures.run(BindsAWrongAddressInside.class));
    assertThat(failure).isInstanceOf(BindException.class);
    assertThat(hints(failure)).isEmpty();
  }

  @Test
  void anInNamespaceBodyGetsNone() {
    Throwable failure = Fixtures.onlyFailure(Fixtures.run(BindsAWrongAddressInABody.class));
    assertThat(failure).isInstanceOf(BindException.class);
    assertThat(hints(failure)).isEmpty();
  }

  private static List<String> hints(Throwable failure) {
    return Arrays.stream(failure.getSuppressed())
        .map(Throwable::getMessage)
        .filter(message -> message.startsWith("netns hint:"))
        .toList();
  }
}

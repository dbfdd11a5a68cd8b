package dev.netns.junit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.AbstractAssert;
import org.awaitility.Awaitility;

/**
 * AssertJ assertions and Awaitility waits about what a namespace can reach. Checks run inside the
 * namespace; failure messages name the namespace, the address and the faults in force.
 *
 * <pre>{@code
 * NetAssertions.assertThat(n1).canConnect(network.address("n2"), 8080);
 * NetAssertions.assertThat(n1).within(Duration.ofMillis(300)).cannotReach(network.address("n3"));
 * NetAssertions.awaitReachable(n1, network.address("n3"), Duration.ofSeconds(10));
 * }</pre>
 */
public final class NetAssertions {
  private NetAssertions() {}

  /** Assertions about what {@code namespace} can reach. */
  public static NetNsAssert assertThat(NetNs namespace) {
    return new NetNsAssert(namespace, Duration.ofSeconds(1));
  }

  /** Waits until {@code from} can reach {@code to} (ICMP echo), at most {@code atMost}. */
  public static void awaitReachable(NetNs from, InetAddress to, Duration atMost) {
    Awaitility.await("namespace " + from.name() + " reaching " + to.getHostAddress())
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> NetNsAssert.reaches(from, to, Duration.ofMillis(200)));
  }

  /** Waits until {@code from} can open a TCP connection to {@code to}:{@code port}. */
  public static void awaitConnectable(NetNs from, InetAddress to, int port, Duration atMost) {
    Awaitility.await(
            "namespace " + from.name() + " connecting to " + to.getHostAddress() + ":" + port)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> NetNsAssert.connectError(from, to, port, Duration.ofMillis(500)) == null);
  }

  /** AssertJ assertions on a {@link NetNs}; obtain through {@link NetAssertions#assertThat}. */
  public static final class NetNsAssert extends AbstractAssert<NetNsAssert, NetNs> {
    private final Duration timeout;

    NetNsAssert(NetNs actual, Duration timeout) {
      super(actual, NetNsAssert.class);
      this.timeout = timeout;
    }

    /** The same assertions, with {@code timeout} for each check (default one second). */
    public NetNsAssert within(Duration timeout) {
      return new NetNsAssert(actual, timeout);
    }

    /** A TCP connection from this namespace to {@code address}:{@code port} succeeds. */
    public NetNsAssert canConnect(InetAddress address, int port) {
      String error = connectError(actual, address, port, timeout);
      if (error != null) {
        failWithMessage(
            "Expected namespace %s to connect to %s:%d within %d ms, but: %s.%s",
            actual.name(), address.getHostAddress(), port, timeout.toMillis(), error, faults());
      }
      return this;
    }

    /** A TCP connection from this namespace to {@code address}:{@code port} fails. */
    public NetNsAssert cannotConnect(InetAddress address, int port) {
      if (connectError(actual, address, port, timeout) == null) {
        failWithMessage(
            "Expected namespace %s not to connect to %s:%d, but it did.%s",
            actual.name(), address.getHostAddress(), port, faults());
      }
      return this;
    }

    /** An ICMP echo from this namespace to {@code address} is answered. */
    public NetNsAssert canReach(InetAddress address) {
      if (!reaches(actual, address, timeout)) {
        failWithMessage(
            "Expected namespace %s to reach %s within %d ms, but no echo reply came.%s",
            actual.name(), address.getHostAddress(), timeout.toMillis(), faults());
      }
      return this;
    }

    /** No ICMP echo from this namespace to {@code address} is answered within the timeout. */
    public NetNsAssert cannotReach(InetAddress address) {
      if (reaches(actual, address, timeout)) {
        failWithMessage(
            "Expected namespace %s not to reach %s, but it answered.%s",
            actual.name(), address.getHostAddress(), faults());
      }
      return this;
    }

    /** The namespace has an interface of this name that is up, with carrier. */
    public NetNsAssert hasInterfaceUp(String name) {
      boolean up =
          actual.interfaces().stream()
              .anyMatch(l -> l.name().equals(name) && l.up() && l.lowerUp());
      if (!up) {
        failWithMessage(
            "Expected interface %s of namespace %s to be up with carrier, but links are: %s",
            name, actual.name(), actual.interfaces());
      }
      return this;
    }

    /** The namespace's interface of this name is down, or has no carrier. */
    public NetNsAssert hasInterfaceDown(String name) {
      boolean down =
          actual.interfaces().stream()
              .anyMatch(l -> l.name().equals(name) && (!l.up() || !l.lowerUp()));
      if (!down) {
        failWithMessage(
            "Expected interface %s of namespace %s to be down, but links are: %s",
            name, actual.name(), actual.interfaces());
      }
      return this;
    }

    private String faults() {
      List<Fault> faults = actual.network().faults();
      return faults.isEmpty() ? " No faults in force." : " Faults in force: " + faults + ".";
    }

    static String connectError(NetNs from, InetAddress to, int port, Duration timeout) {
      try {
        return from.call(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(to, port), (int) timeout.toMillis());
                return null;
              } catch (java.io.IOException e) {
                return e.getClass().getSimpleName() + ": " + e.getMessage();
              }
            });
      } catch (Exception e) {
        return e.toString();
      }
    }

    static boolean reaches(NetNs from, InetAddress to, Duration timeout) {
      try {
        return from.call(() -> to.isReachable((int) timeout.toMillis()));
      } catch (Exception e) {
        return false;
      }
    }
  }
}

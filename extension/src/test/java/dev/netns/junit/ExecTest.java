package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A real server process started inside one namespace, a client in another. */
@Tag("privileged")
@NetNamespace("client")
@NetNamespace("server")
@VethLink(a = "client", aAddress = "10.1.3.1/24", b = "server", bAddress = "10.1.3.2/24")
class ExecTest {
  private static final String ECHO_SERVER =
      String.join(
          "\n",
          "import socket, sys",
          "s = socket.socket()",
          "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
          "s.bind(('10.1.3.2', 7100))",
          "s.listen(1)",
          "print('listening', flush=True)",
          "c, peer = s.accept()",
          "data = c.makefile().readline()",
          "c.sendall(('echo from ' + peer[0] + ': ' + data).encode())",
          "c.close()");

  @Test
  void clientReachesAServerProcessInAnotherNamespace(
      @Ns("client") NetNs client, @Ns("server") NetNs server) throws Exception {
    Process python = server.exec("python3", "-c", ECHO_SERVER);
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
      // The server can bind 10.1.3.2 only inside "server": binding proves where it runs.
      assertThat(out.readLine()).isEqualTo("listening");
      try (Socket socket =
              client.call(
                  () -> {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("10.1.3.2", 7100), 5_000);
                    return s;
                  });
          PrintWriter request = new PrintWriter(socket.getOutputStream(), true);
          BufferedReader reply =
              new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
        request.println("ping");
        assertThat(reply.readLine()).isEqualTo("echo from 10.1.3.1: ping");
      }
      assertThat(python.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(python.exitValue()).isZero();
    } finally {
      python.destroyForcibly();
    }
  }
}

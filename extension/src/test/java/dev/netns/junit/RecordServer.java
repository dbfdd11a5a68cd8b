package dev.netns.junit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A tiny server run as a JVM node by the tests: it keeps one record in a file of its data
 * directory, so that what it stored survives a kill and a restart. One line per request: {@code
 * get} answers the record, {@code set VALUE} stores it (written and renamed into place before the
 * answer {@code ok}).
 *
 * <pre>{@code
 * java dev.netns.junit.RecordServer 7000 /tmp/data
 * }</pre>
 */
public final class RecordServer {
  private RecordServer() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    Path data = Path.of(args[1]);
    Path record = data.resolve("record");
    String loaded = Files.exists(record) ? Files.readString(record) : "";
    System.out.println("loaded '" + loaded + "' from " + record);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopping")));
    try (ServerSocket server = new ServerSocket(port)) {
      System.out.println("listening on " + port);
      while (true) {
        try (Socket peer = server.accept();
            BufferedReader in =
                new BufferedReader(
                    new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(peer.getOutputStream(), true)) {
          String line = in.readLine();
          if (line == null) {
            continue;
          }
          if (line.startsWith("set ")) {
            Path next = data.resolve("record.next");
            Files.writeString(next, line.substring(4));
            Files.move(next, record, StandardCopyOption.ATOMIC_MOVE);
            out.println("ok");
          } else {
            out.println(Files.exists(record) ? Files.readString(record) : "");
          }
        }
      }
    }
  }
}

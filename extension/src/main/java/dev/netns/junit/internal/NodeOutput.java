package dev.netns.junit.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The file a node's output goes to (the process writes it directly, so nothing in the JVM has to
 * keep up with it), read back line by line for readiness waits, failure messages and the echo.
 */
final class NodeOutput {
  private static final long TAIL_BYTES = 256 * 1024;
  private static final long ECHO_PERIOD_MILLIS = 50;

  private final Path file;
  private final String prefix;
  private Thread echo;
  private volatile boolean closed;

  private NodeOutput(Path file, String prefix) {
    this.file = file;
    this.prefix = prefix;
  }

  /** A new, empty output file (an earlier run's is truncated). */
  static NodeOutput create(Path file, String prefix) throws IOException {
    ReportLayout.createDirectories(file.getParent());
    Files.write(file, new byte[0]);
    return new NodeOutput(file, prefix);
  }

  Path file() {
    return file;
  }

  long size() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Complete lines written from byte {@code from} on, read as they come. */
  Cursor cursor(long from) {
    return new Cursor(from);
  }

  /** The last {@code count} lines of the file, the unfinished one included. */
  List<String> lastLines(int count) {
    long size = size();
    Cursor cursor = new Cursor(Math.max(0, size - TAIL_BYTES));
    List<String> lines = new ArrayList<>(cursor.next());
    cursor.rest().ifPresent(lines::add);
    if (size > TAIL_BYTES && !lines.isEmpty()) {
      lines.remove(0); // starts mid-line
    }
    return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }

  /** Starts echoing every line, from the first, to {@code out}; once. */
  synchronized void echo(PrintStream out) {
    if (echo != null || closed) {
      return;
    }
    Cursor cursor = new Cursor(0);
    echo =
        new Thread(
            () -> {
              try {
                while (!closed) {
                  cursor.next().forEach(line -> out.println(prefix + line));
                  Thread.sleep(ECHO_PERIOD_MILLIS);
                }
                cursor.next().forEach(line -> out.println(prefix + line));
                cursor.rest().ifPresent(line -> out.println(prefix + line));
              } catch (InterruptedException | UncheckedIOException e) {
                out.println(prefix + "(echo stopped: " + e + ")");
              }
            },
            "netns-echo " + prefix.trim());
    echo.setDaemon(true);
    echo.start();
  }

  /** Stops the echo after it printed what is in the file; idempotent. */
  void close() {
    Thread thread;
    synchronized (this) {
      closed = true;
      thread = echo;
    }
    if (thread != null) {
      // Not interrupted: an interrupt would close the file channel it is reading.
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Reads lines from a position on; not thread-safe. */
  final class Cursor {
    private long position;
    private byte[] partial = new byte[0];

    private Cursor(long position) {
      this.position = position;
    }

    /** The complete lines written since the last call. */
    List<String> next() {
      List<String> lines = new ArrayList<>();
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (true) {
          buffer.clear();
          int read = channel.read(buffer, position);
          if (read <= 0) {
            break;
          }
          position += read;
          byte[] chunk = new byte[partial.length + read];
          System.arraycopy(partial, 0, chunk, 0, partial.length);
          System.arraycopy(buffer.array(), 0, chunk, partial.length, read);
          int start = 0;
          for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == '\n') {
              int end = i > start && chunk[i - 1] == '\r' ? i - 1 : i;
              lines.add(new String(chunk, start, end - start, StandardCharsets.UTF_8));
              start = i + 1;
            }
          }
          partial = java.util.Arrays.copyOfRange(chunk, start, chunk.length);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read node output " + file, e);
      }
      return lines;
    }

    /** The unfinished last line read so far, if any. */
    java.util.Optional<String> rest() {
      return partial.length == 0
          ? java.util.Optional.empty()
          : java.util.Optional.of(new String(partial, StandardCharsets.UTF_8));
    }
  }
}

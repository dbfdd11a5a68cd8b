package dev.netns.benchmarks;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The C floor of the two-namespace pair: {@code nslimit.c} (the project's baseline program, kept
 * unchanged in this module's resources) compiled with {@code gcc -O2} into a small shared library
 * next to a driver ({@code cfloor.c}) that runs one iteration of its loop per call, so that JMH
 * times the C program's pair exactly as it times the library's. One JNA call per pair adds about a
 * microsecond to the floor.
 *
 * <p>Built when the benchmark starts, in a temporary directory, with the first of {@code gcc} and
 * {@code cc} that works; without a C compiler it refuses with a message that says so, and the C
 * floor is not measured. Like the C program, it uses the calling thread and only that one.
 *
 * <pre>{@code
 * CFloor floor = CFloor.build();   // in @Setup, on the benchmark thread
 * floor.pair();
 * floor.lan(100);                 // the C floor of a LAN's setup (lanfloor.c)
 * floor.closeLan();
 * floor.close();
 * }</pre>
 */
final class CFloor implements AutoCloseable {
  private static final String RESOURCES = "cfloor/";
  private static final List<String> COMPILERS = List.of("gcc", "cc");

  /** The driver's entry points. */
  public interface Driver extends Library {
    int cfloor_open();

    int cfloor_pair();

    int cfloor_pair_wiring(long[] wiringNanos);

    int cfloor_lan(int hosts);

    void cfloor_lan_close();

    void cfloor_close();
  }

  private final Driver driver;
  private final Path directory;
  private final Thread owner;

  private CFloor(Driver driver, Path directory) {
    this.driver = driver;
    this.directory = directory;
    this.owner = Thread.currentThread();
  }

  /** Compiles and loads the floor, and opens what its loop needs on the calling thread. */
  static CFloor build() {
    Path directory;
    try {
      directory = Files.createTempDirectory("netns-cfloor");
      for (String file : new String[] {"nslimit.c", "lanfloor.c", "cfloor.c"}) {
        try (InputStream in = CFloor.class.getResourceAsStream(RESOURCES + file)) {
          if (in == null) {
            throw new IllegalStateException("missing resource " + RESOURCES + file);
          }
          Files.write(directory.resolve(file), in.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot unpack the C floor's sources", e);
    }
    Path library = directory.resolve("libcfloor.so");
    compile(directory, library);
    Driver driver = Native.load(library.toString(), Driver.class);
    CFloor floor = new CFloor(driver, directory);
    check(driver.cfloor_open(), "cfloor_open");
    return floor;
  }

  private static void compile(Path directory, Path library) {
    List<String> tried = new ArrayList<>();
    for (String compiler : COMPILERS) {
      List<String> command =
          List.of(compiler, "-O2", "-shared", "-fPIC", "-o", library.toString(), "cfloor.c");
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
      } catch (IOException e) {
        tried.add(compiler + ": not found");
        continue;
      }
      try {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() == 0) {
          return;
        }
        tried.add(String.join(" ", command) + ": " + output.trim());
      } catch (IOException e) {
        tried.add(compiler + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while compiling the C floor", e);
      }
    }
    throw new IllegalStateException(
        "no C compiler could build the C floor, so it is not measured (tried " + tried + ")");
  }

  /** One pair made and closed by the C code, on the thread that built this floor. */
  void pair() {
    checkOwner();
    check(driver.cfloor_pair(), "cfloor_pair (nslimit.c's loop body)");
  }

  /**
   * The pair as {@link #pair} makes it, its two namespaces made beforehand; returns the nanoseconds
   * of the rest alone (veth, addresses, links and loopback up), timed by the C code: the kernel's
   * part that namespaces made ahead cannot take off a pair.
   */
  long pairWiringNanos() {
    checkOwner();
    long[] nanos = new long[1];
    check(driver.cfloor_pair_wiring(nanos), "cfloor_pair_wiring");
    return nanos[0];
  }

  /**
   * A LAN of {@code hosts} hosts set up by the C code ({@code lanfloor.c}) as {@code
   * Topologies.lan} sets one up; {@link #closeLan} closes it.
   */
  void lan(int hosts) {
    checkOwner();
    check(driver.cfloor_lan(hosts), "cfloor_lan(" + hosts + ") (lanfloor.c)");
  }

  /** Closes the namespaces of the last {@link #lan}; the kernel frees them afterwards. */
  void closeLan() {
    checkOwner();
    driver.cfloor_lan_close();
  }

  private void checkOwner() {
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("the C floor runs only on the thread that built it");
    }
  }

  private static void check(int result, String call) {
    if (result < 0) {
      throw new IllegalStateException(call + " failed: errno " + -result);
    }
  }

  @Override
  public void close() {
    driver.cfloor_close();
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
      Files.delete(directory);
    } catch (IOException e) {
      // A temporary directory left behind is harmless.
    }
  }
}

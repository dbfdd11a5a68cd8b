package dev.netns.topology;

import dev.netns.kernel.FramePort;
import dev.netns.kernel.ReaderThreads;
import dev.netns.kernel.TimerSlack;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves frames between the two ports of a link's hidden wire namespace, impairing them on the way:
 * per direction, each frame's fate is decided from the seed as it is read, and the frame is queued
 * for its release time and sent when due (by one thread, or by a reader and a sender, see the
 * constructor). Neighbour discovery (ARP, IPv6 ND and MLD) passes untouched and does not count as a
 * frame, so that the test's own traffic alone advances the schedule.
 */
final class WireForwarder implements AutoCloseable {
  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ETHERTYPE_IPV6 = 0x86DD;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final int SEND_BATCH = 256;
  private static final long IDLE_WAIT_NANOS = 100_000_000;

  /**
   * How late a frame may leave so that it goes out with others due soon after it, when more than
   * one is held: under a stream, one wake-up and one system call for the frames due in 50 µs
   * instead of one each (in one A/B on a 60-byte flood, 1.5 to 2 times the frames per second). A
   * frame held alone, as a test's probe usually is, leaves on time; no frame ever leaves early.
   */
  private static final long BATCH_WINDOW_NANOS = 50_000;

  /**
   * The longest the forwarder sleeps without watching its port for new frames: how late a frame
   * that is never delayed (neighbour discovery) can leave while delayed ones are held. Ten wake-ups
   * a millisecond at most, where a flood would otherwise wake it for every frame.
   */
  private static final long BLIND_WAIT_NANOS = 100_000;

  private final Direction aToB;
  private final Direction bToA;
  private final FramePort a;
  private final FramePort b;
  private volatile boolean closed;

  /**
   * A forwarder between ports {@code a} and {@code b}. With {@code oneThread}, each direction reads
   * and sends on one thread (for ports that read without a system call per frame, {@link
   * FramePort#lendNow}); otherwise a reader blocked in {@link FramePort#receive} hands frames to a
   * sender.
   */
  WireForwarder(FramePort a, FramePort b, String name, boolean oneThread) {
    this.a = a;
    this.b = b;
    this.aToB = new Direction(a, b, name + " a->b", 0x5DEECE66DL, oneThread);
    this.bToA = new Direction(b, a, name + " b->a", 0xB5AD4ECEDA1CE2A9L, oneThread);
    aToB.start();
    bToA.start();
  }

  /** Direction from the a side (true) or the b side; null impairment passes frames untouched. */
  void impair(boolean fromA, FrameImpairment impairment) {
    (fromA ? aToB : bToA).impair(impairment);
  }

  /** True while the direction from the a side (or b side) is impaired. */
  boolean isImpaired(boolean fromA) {
    return (fromA ? aToB : bToA).plan != null;
  }

  /** True when {@code impairment}, this very instance, is in force in one direction. */
  boolean isImpairedWith(boolean fromA, FrameImpairment impairment) {
    Plan plan = (fromA ? aToB : bToA).plan;
    return plan != null && plan.spec() == impairment;
  }

  /** The impairment in force in one direction, for messages. */
  String describe(boolean fromA) {
    Plan plan = (fromA ? aToB : bToA).plan;
    return plan == null ? "none" : plan.spec().toString();
  }

  boolean isIdle() {
    return aToB.plan == null && bToA.plan == null;
  }

  /** What this direction has done to frames so far. */
  FrameCounts counts(boolean fromA) {
    Direction d = fromA ? aToB : bToA;
    return new FrameCounts(
        d.forwarded.get(), d.dropped.get(), d.delayed.get(), d.duplicated.get(), d.reordered.get());
  }

  /** True once {@link #close} ran. */
  boolean isClosed() {
    return closed;
  }

  /**
   * Stops both directions and closes the sockets. Each direction's threads are joined first (an
   * interrupt does not cut that short): a socket is never closed under a thread that may still use
   * it. A thread that does not end in time leaves both sockets open, reported as a leak.
   * Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean ended = aToB.stop() & bToA.stop();
    if (ended) {
      a.close();
      b.close();
    } else {
      ReaderThreads.warnLeaked(
          aToB.reader.isAlive() ? aToB.reader : bToA.reader,
          "the packet sockets " + a + " and " + b + " are");
    }
  }

  /** True for frames whose fate is decided: IP traffic other than neighbour discovery. */
  static boolean impairable(byte[] frame, int length) {
    if (length < 14) {
      return false;
    }
    int type = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
    if (type == ETHERTYPE_IPV4) {
      return true;
    }
    if (type == ETHERTYPE_IPV6 && length >= 14 + 41) {
      int next = frame[14 + 6] & 0xff;
      int at = 14 + 40;
      if (next == 0 && length >= at + 8) {
        // A hop-by-hop options header (as MLD reports carry): look past it.
        next = frame[at] & 0xff;
        at += ((frame[at + 1] & 0xff) + 1) * 8;
      }
      if (at >= length) {
        return true;
      }
      int icmpType = frame[at] & 0xff;
      // ICMPv6 MLD (130-132, 143) and neighbour discovery (133-137) keep the link working.
      boolean control = next == 58 && ((icmpType >= 130 && icmpType <= 137) || icmpType == 143);
      return !control;
    }
    return false;
  }

  private static final class Direction {
    private final FramePort in;
    private final FramePort out;
    private final String name;
    private final long salt;

    /** Frames held for the sender thread (two threads). */
    private final DelayQueue<HeldFrame> queue = new DelayQueue<>();

    /** Frames held by the one thread that reads and sends (one thread). */
    private final ReleaseQueue releases = new ReleaseQueue();

    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong delayed = new AtomicLong();
    private final AtomicLong reordered = new AtomicLong();

    /** The impairment and its schedule, published together; null passes frames untouched. */
    private volatile Plan plan;

    private volatile boolean running = true;
    private final Thread reader;
    private final Thread sender;
    private long lineFreeAt;
    private long latestRelease;
    private long order;
    private long decisions;

    Direction(FramePort in, FramePort out, String name, long salt, boolean oneThread) {
      this.in = in;
      this.out = out;
      this.name = name;
      this.salt = salt;
      if (oneThread) {
        this.reader = new Thread(this::forward, "netns-wire " + name);
        this.sender = null;
      } else {
        this.reader = new Thread(this::read, "netns-wire " + name + " reader");
        this.sender = new Thread(this::send, "netns-wire " + name + " sender");
        sender.setDaemon(true);
      }
      reader.setDaemon(true);
    }

    void start() {
      reader.start();
      if (sender != null) {
        sender.start();
      }
    }

    synchronized void impair(FrameImpairment impairment) {
      plan = impairment == null ? null : new Plan(impairment, new FrameSchedule(impairment, salt));
    }

    private void read() {
      while (running) {
        byte[] frame;
        try {
          frame = in.receive();
        } catch (RuntimeException e) {
          // For example ENETDOWN while a fault has the link down: nothing to read until it is up.
          pause();
          continue;
        }
        if (frame == null || frame.length == 0) {
          continue;
        }
        // The kernel's receive time where the port has it: the delay counts from the wire, not
        // from when this thread got round to the frame.
        admit(frame, frame.length, in.arrivalNanos());
      }
    }

    private void hold(HeldFrame frame) {
      if (sender == null) {
        releases.add(frame);
      } else {
        queue.add(frame);
      }
    }

    /**
     * Decides the fate of a frame (the first {@code length} bytes of {@code frame}) that arrived at
     * {@code now} and holds it for its release; false when it is dropped.
     */
    private boolean admit(byte[] frame, int length, long now) {
      Plan current = plan;
      FrameImpairment impairment = current == null ? null : current.spec();
      if (current == null || !impairable(frame, length)) {
        latestRelease = Math.max(latestRelease, now);
        hold(new HeldFrame(frame, length, now, order++));
        return true;
      }
      FrameSchedule.Fate fate = current.schedule().next(frame, length);
      FrameDecisionEvent.sample(decisions++, name, length, fate, fate.delayNanos());
      if (fate.drop()) {
        dropped.incrementAndGet();
        return false;
      }
      if (fate.corruptAt() >= 0 && length > 14) {
        int at = 14 + (int) (fate.corruptAt() * (length - 14));
        frame[Math.min(at, length - 1)] ^= 1;
      }
      long release = now + fate.delayNanos();
      if (impairment.bitsPerSecond() > 0) {
        // The line sends one frame at a time: each waits for the previous one to be out.
        long serialization = length * 8L * 1_000_000_000L / impairment.bitsPerSecond();
        release = Math.max(release, lineFreeAt) + serialization;
        lineFreeAt = release;
      }
      if (release > now) {
        delayed.incrementAndGet();
      }
      if (release < latestRelease) {
        // Sent before a frame that came in earlier: overtaking it.
        reordered.incrementAndGet();
      }
      latestRelease = Math.max(latestRelease, release);
      hold(new HeldFrame(frame, length, release, order++));
      if (fate.duplicate()) {
        duplicated.incrementAndGet();
        hold(new HeldFrame(Arrays.copyOf(frame, length), length, release, order++));
      }
      return true;
    }

    /**
     * Reads and sends in turn on one thread, for ports that read without a system call per frame:
     * what has arrived is admitted, what is due is sent in one batch, and the thread waits for
     * whichever comes first, the next frame or the next release. No frame crosses to another
     * thread, and two threads fewer compete for the cores with the traffic they carry. Frames are
     * read into arrays the port lends, given back once sent.
     */
    private void forward() {
      // The thread's waits end at release times: without the default 50 µs of slack, frames
      // leave closer to when they are due.
      TimerSlack.set(1_000);
      try {
        while (running) {
          try {
            int read = 0;
            byte[] frame;
            while (read < SEND_BATCH && (frame = in.lendNow()) != null) {
              int length = in.length();
              if (length == 0 || !admit(frame, length, in.arrivalNanos())) {
                in.recycle(frame);
              }
              read++;
            }
            sendDue();
            if (read < SEND_BATCH) {
              awaitWork();
            }
          } catch (RuntimeException e) {
            // For example ENETDOWN while a fault has the link down: nothing to do until it is up.
            pause();
          }
        }
      } finally {
        releases.clear();
      }
    }

    /** Sends every held frame that is due, in one batch, and gives their arrays back. */
    private void sendDue() {
      long now = System.nanoTime();
      HeldFrame due;
      int queued = 0;
      while (queued < SEND_BATCH && (due = releases.pollDue(now)) != null) {
        out.enqueue(due.frame(), due.length());
        in.recycle(due.frame());
        queued++;
      }
      if (queued > 0) {
        forwarded.addAndGet(out.flush());
      }
    }

    /**
     * Waits for the next release or the next frame. When every frame that could arrive meanwhile is
     * due after the next release anyway (a fixed delay longer than the wait), the thread sleeps
     * without watching the port: the ring keeps what arrives, with its arrival time, and is read at
     * the wake. Under a flood that saves a wake-up per frame. Such a sleep lasts at most {@link
     * #BLIND_WAIT_NANOS}: neighbour discovery, which is never delayed, waits no longer than that.
     */
    private void awaitWork() {
      HeldFrame next = releases.peek();
      if (next == null) {
        in.await(IDLE_WAIT_NANOS);
        return;
      }
      long wait = next.releaseNanos() - System.nanoTime();
      if (wait <= 0) {
        return;
      }
      Plan current = plan;
      long least = current == null ? 0 : current.spec().leastDelayNanos();
      if (wait <= least) {
        LockSupport.parkNanos(
            Math.min(wait + (releases.size() > 1 ? BATCH_WINDOW_NANOS : 0), BLIND_WAIT_NANOS));
      } else {
        in.await(Math.min(wait, IDLE_WAIT_NANOS));
      }
    }

    /**
     * Sends {@code first} and every other frame already due in the same batch: one system call for
     * all of them (two threads).
     */
    private void sendQueued(HeldFrame first) {
      if (first == null) {
        return;
      }
      out.enqueue(first.frame(), first.length());
      HeldFrame due;
      for (int n = 1; n < SEND_BATCH && running && (due = queue.poll()) != null; n++) {
        out.enqueue(due.frame(), due.length());
      }
      forwarded.addAndGet(out.flush());
    }

    private void send() {
      while (running || !queue.isEmpty()) {
        try {
          HeldFrame held = queue.poll(100, TimeUnit.MILLISECONDS);
          if (running) {
            sendQueued(held);
          }
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // A frame the link refused (for example while it is down): lost, as on a real wire.
        }
      }
    }

    private static void pause() {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Ends both threads; true when both have ended. */
    boolean stop() {
      running = false;
      queue.clear();
      // The reader notices within its receive timeout (100 ms).
      boolean readerEnded = ReaderThreads.awaitEnd(reader, STOP_TIMEOUT);
      if (sender == null) {
        return readerEnded;
      }
      sender.interrupt();
      boolean senderEnded = ReaderThreads.awaitEnd(sender, STOP_TIMEOUT);
      return readerEnded && senderEnded;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** An impairment with its schedule. */
  private record Plan(FrameImpairment spec, FrameSchedule schedule) {}
}

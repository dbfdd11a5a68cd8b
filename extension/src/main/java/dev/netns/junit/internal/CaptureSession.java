package dev.netns.junit.internal;

import dev.netns.junit.NetNamespace;
import dev.netns.kernel.Inspection;
import dev.netns.kernel.LinkInfo;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.PacketCapture;
import dev.netns.topology.RunningTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The packet capture of one network: one socket per interface (loopback aside) of every declared
 * namespace, each writing a pcap file bounded by {@code netns.captureMaxBytes}. A capture that
 * cannot start is remembered as a line for the reports, not thrown: the test runs without it.
 */
final class CaptureSession {
  private static final Logger LOG = Logger.getLogger(CaptureSession.class.getName());

  private final PacketCapture capture;
  private final String problem;
  private final long maxBytes;
  private List<PacketCapture.Summary> captured;
  private boolean kept;

  private CaptureSession(PacketCapture capture, String problem, long maxBytes) {
    this.capture = capture;
    this.problem = problem;
    this.maxBytes = maxBytes;
  }

  /** No capture: nothing is made. */
  static CaptureSession none() {
    return new CaptureSession(null, null, 0);
  }

  /** Starts capturing every interface of {@code running} into files under {@code dir}. */
  static CaptureSession start(
      RunningTopology running, Path dir, long maxBytes, String threadName, String owner) {
    try {
      List<PacketCapture.Target> targets = new ArrayList<>();
      for (Map.Entry<String, NetworkNamespace> host : running.namespaces().entrySet()) {
        for (LinkInfo link : Inspection.links(host.getValue())) {
          if (!link.name().equals("lo")) {
            targets.add(
                new PacketCapture.Target(
                    host.getValue(),
                    link.name(),
                    ReportLayout.captureFile(dir, host.getKey(), link.name())));
          }
        }
      }
      if (targets.isEmpty()) {
        return none();
      }
      ReportLayout.createDirectories(dir);
      ReportLayout.deleteStale(dir);
      return new CaptureSession(PacketCapture.start(targets, threadName, maxBytes), null, maxBytes);
    } catch (IOException | RuntimeException e) {
      LOG.warning(() -> "netns: " + owner + " runs without packet capture: " + e);
      return new CaptureSession(null, "capture could not start: " + e, maxBytes);
    }
  }

  /** How many interfaces are captured. */
  int interfaces() {
    return capture == null ? 0 : capture.targets().size();
  }

  /** The directory of the capture files, when there are any. */
  Optional<Path> directory() {
    return capture == null
        ? Optional.empty()
        : Optional.of(capture.targets().get(0).file().toAbsolutePath().getParent());
  }

  /** Lines for a report written while the capture runs: its files, or why there are none. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    if (problem != null) {
      lines.add(problem);
    }
    if (capture != null) {
      List<PacketCapture.Target> targets = capture.targets();
      List<Long> frames = capture.framesSoFar();
      for (int i = 0; i < targets.size(); i++) {
        lines.add(
            targets.get(i).file().toAbsolutePath()
                + " ("
                + targets.get(i).namespace().name()
                + ":"
                + targets.get(i).link()
                + ", "
                + frames.get(i)
                + " frames so far; written out at teardown)");
      }
    }
    return lines;
  }

  /**
   * The capture files for the report page: while the capture runs, each with its frames so far;
   * once stopped, the kept ones with their final counts; none when deleted or never started.
   */
  synchronized List<ReportPage.CaptureLink> links() {
    List<ReportPage.CaptureLink> links = new ArrayList<>();
    if (capture == null) {
      return links;
    }
    if (captured == null) {
      List<PacketCapture.Target> targets = capture.targets();
      List<Long> frames = capture.framesSoFar();
      for (int i = 0; i < targets.size(); i++) {
        PacketCapture.Target t = targets.get(i);
        links.add(
            new ReportPage.CaptureLink(
                t.file(),
                t.namespace().name()
                    + ":"
                    + t.link()
                    + ", "
                    + frames.get(i)
                    + " frames so far; written out at teardown"));
      }
    } else if (kept) {
      for (PacketCapture.Summary s : captured) {
        String line = describe(s);
        String path = s.target().file().toAbsolutePath().toString();
        links.add(
            new ReportPage.CaptureLink(
                s.target().file(),
                s.target().namespace().name()
                    + ":"
                    + s.target().link()
                    + ", "
                    + (line.startsWith(path + ": ") ? line.substring(path.length() + 2) : line)));
      }
    }
    return links;
  }

  /**
   * Stops the capture (sockets closed, thread joined); then deletes its files, or keeps them and
   * returns one line per file. Idempotent: empty after the first call, or when nothing ran.
   */
  synchronized List<String> stop(boolean keep) {
    if (capture == null || captured != null) {
      return List.of();
    }
    captured = capture.stop();
    kept = keep;
    if (!keep) {
      delete();
      return List.of();
    }
    return captured.stream().map(this::describe).toList();
  }

  private String describe(PacketCapture.Summary s) {
    StringBuilder line =
        new StringBuilder(s.target().file().toAbsolutePath().toString())
            .append(": ")
            .append(s.frames())
            .append(" frames, ")
            .append(s.bytes())
            .append(" bytes");
    if (s.framesNotWritten() > 0) {
      line.append("; ")
          .append(s.framesNotWritten())
          .append(" later frames NOT written: the file reached ")
          .append(NetNamespace.CAPTURE_MAX_BYTES_PROPERTY_NAME)
          .append('=')
          .append(maxBytes);
    }
    if (s.kernelDrops() > 0) {
      line.append("; ")
          .append(s.kernelDrops())
          .append(" frames dropped by the kernel (capture socket buffer full)");
    }
    if (s.failure() != null) {
      line.append("; capture stopped early: ").append(s.failure());
    }
    return line.toString();
  }

  private void delete() {
    Path dir = null;
    for (PacketCapture.Summary s : captured) {
      dir = s.target().file().getParent();
      try {
        Files.deleteIfExists(s.target().file());
      } catch (IOException e) {
        LOG.warning(() -> "netns: cannot delete " + s.target().file() + ": " + e);
      }
    }
    if (dir != null) {
      ReportLayout.deleteIfEmpty(dir);
    }
  }
}

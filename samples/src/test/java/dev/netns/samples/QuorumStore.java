package dev.netns.samples;

import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small replicated register store, written for {@link QuorumStoreTest}: three nodes, each holding
 * a copy of every key with a version, talking UDP. Any node takes a client's request and
 * coordinates it over a majority (itself and one peer), in the line of Attiya, Bar-Noy and Dolev:
 *
 * <ul>
 *   <li>a write asks a majority for their versions, picks a higher one, and stores the value at a
 *       majority before it answers;
 *   <li>a read asks a majority, takes the newest value, stores it back at a majority (so that no
 *       later read can see an older one) and answers with it.
 * </ul>
 *
 * <p>{@link Reads#LOCAL_COPY} is the classic mistake: a node answers reads from its own copy, which
 * is fast and right as long as the node hears the others. A node cut off from the majority goes on
 * answering with the value it last saw, while the majority accepts newer writes.
 *
 * <p>When a coordinator cannot hear a majority before it stores anything, it answers {@code FAIL}:
 * the operation certainly did not happen. When it loses the majority half-way through storing, it
 * does not answer at all, and the client's timeout leaves the outcome unknown, as it is.
 */
final class QuorumStore implements AutoCloseable {
  static final int CLIENT_PORT = 7000;
  static final int PEER_PORT = 7001;
  private static final int PEER_TIMEOUT_MILLIS = 100;

  /** How a node answers reads. */
  enum Reads {
    /** From a majority, with the newest value stored back: linearizable. */
    QUORUM,
    /** From its own copy: stale once the node is cut off. */
    LOCAL_COPY
  }

  private final List<Node> nodes = new ArrayList<>();

  private QuorumStore() {}

  /** Starts a node on each of {@code hosts} of {@code network}. */
  static QuorumStore start(Network network, List<String> hosts, Reads reads) throws Exception {
    QuorumStore store = new QuorumStore();
    try {
      for (int id = 0; id < hosts.size(); id++) {
        List<InetSocketAddress> peers = new ArrayList<>();
        for (String other : hosts) {
          if (!other.equals(hosts.get(id))) {
            peers.add(new InetSocketAddress(network.address(other), PEER_PORT));
          }
        }
        store.nodes.add(new Node(network.namespace(hosts.get(id)), id, peers, reads));
      }
    } catch (Exception e) {
      store.close();
      throw e;
    }
    return store;
  }

  @Override
  public void close() throws InterruptedException {
    for (Node node : nodes) {
      node.close();
    }
  }

  /** A key's value and the version that orders it: a counter, then the writing node's id. */
  private record Versioned(long counter, int node, String value) {
    static final Versioned NONE = new Versioned(0, -1, "-");

    boolean newerThan(Versioned other) {
      return counter != other.counter ? counter > other.counter : node > other.node;
    }
  }

  /** One replica: a socket for clients, one for peers, and one to coordinate with peers. */
  private static final class Node {
    private final int id;
    private final List<InetSocketAddress> peers;
    private final Reads reads;
    private final Map<String, Versioned> copy = new HashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final DatagramSocket clients;
    private final DatagramSocket peerRequests;
    private final DatagramSocket coordination;
    private final Thread clientLoop;
    private final Thread peerLoop;

    Node(NetNs ns, int id, List<InetSocketAddress> peers, Reads reads) throws Exception {
      this.id = id;
      this.peers = peers;
      this.reads = reads;
      clients = ns.call(() -> new DatagramSocket(CLIENT_PORT));
      peerRequests = ns.call(() -> new DatagramSocket(PEER_PORT));
      coordination = ns.call(() -> new DatagramSocket(0));
      clientLoop = ns.newThread(() -> serve(clients, this::coordinate));
      peerLoop = ns.newThread(() -> serve(peerRequests, this::answerPeer));
      clientLoop.start();
      peerLoop.start();
    }

    void close() throws InterruptedException {
      clients.close();
      peerRequests.close();
      coordination.close();
      clientLoop.join();
      peerLoop.join();
    }

    /** Answers each request on {@code socket} (null: no answer) until the socket closes. */
    private static void serve(DatagramSocket socket, Handler handler) {
      byte[] buffer = new byte[512];
      try {
        while (true) {
          DatagramPacket in = new DatagramPacket(buffer, buffer.length);
          socket.receive(in);
          String reply =
              handler.handle(new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8));
          if (reply != null) {
            byte[] out = reply.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
          }
        }
      } catch (SocketException closed) {
        // closed by close(): the node stops
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @FunctionalInterface
    private interface Handler {
      String handle(String request) throws IOException;
    }

    /** "G id key" -> "V id counter node value"; "P id key counter node value" -> "A id". */
    private String answerPeer(String request) {
      String[] f = request.split(" ");
      if (f[0].equals("G")) {
        Versioned v = local(f[2]);
        return "V " + f[1] + " " + v.counter() + " " + v.node() + " " + v.value();
      }
      store(f[2], new Versioned(Long.parseLong(f[3]), Integer.parseInt(f[4]), f[5]));
      return "A " + f[1];
    }

    /** "R id key" or "W id key value" -> "OK id value", "FAIL id", or nothing. */
    private String coordinate(String request) throws IOException {
      String[] f = request.split(" ");
      String key = f[2];
      Versioned newest = local(key);
      if (f[0].equals("R") && reads == Reads.LOCAL_COPY) {
        return "OK " + f[1] + " " + newest.value();
      }
      List<String> versions = askMajority("G " + requests.incrementAndGet() + " " + key);
      if (versions == null) {
        return "FAIL " + f[1];
      }
      for (String reply : versions) {
        String[] v = reply.split(" ");
        Versioned peer = new Versioned(Long.parseLong(v[2]), Integer.parseInt(v[3]), v[4]);
        if (peer.newerThan(newest)) {
          newest = peer;
        }
      }
      Versioned stored = f[0].equals("W") ? new Versioned(newest.counter() + 1, id, f[3]) : newest;
      store(key, stored);
      String put = " " + key + " " + stored.counter() + " " + stored.node() + " " + stored.value();
      if (askMajority("P " + requests.incrementAndGet() + put) == null) {
        return null; // stored here, maybe elsewhere: the client cannot know
      }
      return "OK " + f[1] + " " + stored.value();
    }

    /**
     * Sends {@code request} to every peer and waits for enough replies to make a majority with this
     * node; null when they do not come in time.
     */
    private List<String> askMajority(String request) throws IOException {
      String id = request.split(" ")[1];
      byte[] out = request.getBytes(StandardCharsets.UTF_8);
      for (InetSocketAddress peer : peers) {
        coordination.send(new DatagramPacket(out, out.length, peer));
      }
      int needed = (peers.size() + 1) / 2; // a majority of the nodes, this one included
      List<String> replies = new ArrayList<>();
      long deadline = System.nanoTime() + PEER_TIMEOUT_MILLIS * 1_000_000L;
      byte[] buffer = new byte[512];
      while (replies.size() < needed) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return null;
        }
        coordination.setSoTimeout((int) left);
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        try {
          coordination.receive(in);
        } catch (SocketTimeoutException e) {
          return null;
        }
        String reply = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
        if (reply.split(" ")[1].equals(id)) {
          replies.add(reply);
        }
      }
      return replies;
    }

    private synchronized Versioned local(String key) {
      return copy.getOrDefault(key, Versioned.NONE);
    }

    private synchronized void store(String key, Versioned value) {
      if (value.newerThan(local(key))) {
        copy.put(key, value);
      }
    }
  }
}

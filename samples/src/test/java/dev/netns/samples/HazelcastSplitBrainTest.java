package dev.netns.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import dev.netns.junit.Fault;
import dev.netns.junit.Lan;
import dev.netns.junit.NetNamespace;
import dev.netns.junit.Network;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A real Hazelcast cluster of three members in one JVM, split by a network partition and merged.
 *
 * <p>Each member is started on its own namespace's thread, so every thread Hazelcast starts for it
 * (and so every socket) stays in that namespace: three machines on one LAN, in one JVM. The
 * configuration is what a Hazelcast user writes: a cluster name, and TCP-IP discovery listing the
 * members by host name. Nothing tells a member its own address: Hazelcast picks it by enumerating
 * the network interfaces it sees, and resolves the other members' names through {@code /etc/hosts}.
 * Both work because each namespace thread sees its namespace as its machine (see
 * docs/threads-and-sockets.md, "What a namespace thread sees of its machine"); without that,
 * Hazelcast would see the machine's interfaces, and no member could find the others' names.
 *
 * <p>The scenario: one cluster of three, a partition {n1} | {n2, n3}, each side seeing only its own
 * members and accepting writes, then the heal, after which the smaller side merges into the larger
 * under the map's merge policy. If the partition did nothing, the cluster would never split; if the
 * heal did nothing, it would never merge; if the merge lost the minority's data, the key only n1
 * wrote would be missing. Either way the test fails.
 */
@NetNamespace("n1")
@NetNamespace("n2")
@NetNamespace("n3")
@Lan(
    name = "lan",
    subnet = "10.0.0.0/24",
    hosts = {"n1", "n2", "n3"})
class HazelcastSplitBrainTest {
  private static final List<String> MEMBERS = List.of("n1", "n2", "n3");
  private static final String MAP = "colours";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Test
  void minorityMergesIntoMajorityAfterTheHeal(Network network) throws Exception {
    Map<String, HazelcastInstance> members = new LinkedHashMap<>();
    try {
      for (String name : MEMBERS) {
        // Started on the namespace's own thread: Hazelcast's threads are born there and stay there.
        members.put(
            name, network.namespace(name).call(() -> Hazelcast.newHazelcastInstance(config())));
      }
      // Each member found its own address by itself: its namespace's address on the LAN.
      for (String name : MEMBERS) {
        assertThat(members.get(name).getCluster().getLocalMember().getAddress().getInetAddress())
            .as("the address %s picked for itself", name)
            .isEqualTo(network.address(name));
      }
      awaitClusterSizes(members, Map.of("n1", 3, "n2", 3, "n3", 3));
      put(network, members, "n1", "before", "shared");
      put(network, members, "n2", "colour", "grey");

      try (Fault split = network.partition(Set.of("n1"), Set.of("n2", "n3"))) {
        awaitClusterSizes(members, Map.of("n1", 1, "n2", 2, "n3", 2));
        // Each side keeps accepting writes, and they conflict; n1, the smaller side, writes last.
        put(network, members, "n2", "colour", "blue");
        put(network, members, "n1", "colour", "red");
        put(network, members, "n1", "onlyMinority", "n1 wrote this");
        assertThat(get(network, members, "n1", "colour")).isEqualTo("red");
        assertThat(get(network, members, "n3", "colour")).isEqualTo("blue");
      }

      // Healed: n1, the smaller side, finds the others again and merges into them.
      awaitClusterSizes(members, Map.of("n1", 3, "n2", 3, "n3", 3));
      for (String name : MEMBERS) {
        // Put-if-absent: the smaller side's entries are merged into the larger side's map, so the
        // key only n1 had arrives, and the larger side's value of a conflicting key survives,
        // although n1 wrote its value later.
        await(name + " to see the merged map")
            .atMost(PATIENCE)
            .ignoreExceptions()
            .until(() -> get(network, members, name, "onlyMinority"), "n1 wrote this"::equals);
        assertThat(get(network, members, name, "colour"))
            .as("colour on %s", name)
            .isEqualTo("blue");
        assertThat(get(network, members, name, "before"))
            .as("before on %s", name)
            .isEqualTo("shared");
      }
    } finally {
      shutDown(network, members);
    }
  }

  /**
   * What a Hazelcast user writes: the cluster's name and its members' host names. Every member gets
   * the same configuration: nothing in it says which member it is for, or which address to use.
   */
  private static Config config() {
    Config config = new Config();
    config.setClusterName("split-brain-sample");
    // Seconds instead of minutes: how fast a silent member is declared dead, and how often the
    // master of each side looks for the other side to merge with.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "3");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "2");
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    // Never talk to anything outside the test's network.
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Through slf4j-simple, at warn (src/test/resources/simplelogger.properties): the suspicions
    // and the merge, not every connection.
    config.setProperty("hazelcast.logging.type", "slf4j");
    // The test shuts the members down itself; no JVM-wide shutdown hook.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // One member per machine, so each has port 5701: no probing of 5702 and 5703 on every host,
    // where the search for the other side of a split waits 5 s for each address that nobody
    // listens on.
    config.getNetworkConfig().setPortAutoIncrement(false);
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(MEMBERS);
    config
        .getMapConfig(MAP)
        .getMergePolicyConfig()
        .setPolicy(PutIfAbsentMergePolicy.class.getName());
    return config;
  }

  private static void awaitClusterSizes(
      Map<String, HazelcastInstance> members, Map<String, Integer> sizes) {
    await("cluster sizes " + sizes)
        .atMost(PATIENCE)
        .until(() -> clusterSizes(members), sizes::equals);
  }

  private static Map<String, Integer> clusterSizes(Map<String, HazelcastInstance> members) {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    members.forEach((name, member) -> sizes.put(name, member.getCluster().getMembers().size()));
    return sizes;
  }

  // Map calls run on the member's namespace thread: a thread Hazelcast starts on behalf of the
  // caller is then born in the right namespace.
  private static void put(
      Network network, Map<String, HazelcastInstance> members, String on, String key, String value)
      throws Exception {
    network.namespace(on).run(() -> members.get(on).<String, String>getMap(MAP).put(key, value));
  }

  private static String get(
      Network network, Map<String, HazelcastInstance> members, String on, String key)
      throws Exception {
    return network.namespace(on).call(() -> members.get(on).<String, String>getMap(MAP).get(key));
  }

  /**
   * Shuts the members down gracefully, all at once (each takes seconds), each on a thread of its
   * own namespace, so that no Hazelcast thread stays inside.
   */
  private static void shutDown(Network network, Map<String, HazelcastInstance> members)
      throws Exception {
    List<ExecutorService> executors = new ArrayList<>();
    List<Future<?>> shutdowns = new ArrayList<>();
    try {
      for (Map.Entry<String, HazelcastInstance> member : members.entrySet()) {
        ExecutorService executor = network.namespace(member.getKey()).executor();
        executors.add(executor);
        shutdowns.add(executor.submit(member.getValue()::shutdown));
      }
      for (Future<?> shutdown : shutdowns) {
        shutdown.get();
      }
    } finally {
      executors.forEach(ExecutorService::shutdown);
    }
  }
}

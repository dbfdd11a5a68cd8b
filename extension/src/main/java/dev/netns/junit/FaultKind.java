package dev.netns.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One kind of fault a {@link FaultSchedule} draws from: what it does and how it picks its targets.
 * Targets are drawn from the schedule's seed over the declared hosts sorted by name, so the same
 * seed picks the same targets on the same network; only {@link #isolate(String, Supplier)} and
 * {@link #custom(String, Action)} ask the test, when the fault starts.
 *
 * <pre>{@code
 * FaultSchedule schedule = FaultSchedule.builder()
 *     .add(FaultKind.randomHalves(), 3)
 *     .add(FaultKind.isolate("the leader", cluster::leader))
 *     .add(FaultKind.impair(Impairment.none().withDelay(Duration.ofMillis(100))))
 *     .add(FaultKind.custom("restart n2", (network, random) -> restart("n2")))
 *     .build();
 * }</pre>
 */
public final class FaultKind {
  private final String name;
  private final Requirement requirement;
  private final Planner planner;

  private FaultKind(String name, int minimumHosts, Planner planner) {
    this(name, targets -> hostsProblem(name, minimumHosts, targets), planner);
  }

  private FaultKind(String name, Requirement requirement, Planner planner) {
    this.name = name;
    this.requirement = requirement;
    this.planner = planner;
  }

  /**
   * A fault made by the test's own code when it starts, for faults the library has no call for
   * (stopping a process, for example). It returns the {@link Fault} that heals it.
   *
   * <pre>{@code
   * FaultKind.custom("pause n2", (network, random) -> server2.pauseFault())
   * }</pre>
   */
  @FunctionalInterface
  public interface Action {
    /**
     * Starts the fault.
     *
     * @param network the test's network
     * @param random drawn from the schedule's seed and the fault's place in it, for choices that
     *     should replay with the seed
     * @return the fault in force, which the schedule heals when its time is up
     */
    Fault start(Network network, SplittableRandom random) throws Exception;
  }

  /** Starts one planned fault on a network; {@code seed} is the planned fault's own seed. */
  @FunctionalInterface
  interface Applier {
    Fault apply(Network network, long seed) throws Exception;
  }

  /**
   * A planned fault before the schedule numbers it.
   *
   * @param description what it will do
   * @param targets the hosts or ports it acts on, as planned
   * @param offsetMillis when it starts, from the start of its slot
   * @param lengthMillis how long it lasts
   * @param applier what applies it
   */
  record Draft(
      String description,
      List<String> targets,
      long offsetMillis,
      long lengthMillis,
      Applier applier) {}

  /** Why a kind cannot run over some targets, or null when it can. */
  @FunctionalInterface
  interface Requirement {
    String problemWith(PlanTargets targets);
  }

  /** Draws the faults of one slot of {@code lengthMillis}. */
  @FunctionalInterface
  interface Planner {
    List<Draft> plan(SplittableRandom random, PlanTargets targets, long lengthMillis);
  }

  /** The kind's name, as plans show it: {@code random halves}, {@code majorities ring}. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }

  /** Why this kind cannot run over {@code targets}, or null when it can. */
  String problemWith(PlanTargets targets) {
    return requirement.problemWith(targets);
  }

  private static String hostsProblem(String name, int minimumHosts, PlanTargets targets) {
    if (targets.hosts().size() < minimumHosts) {
      return name
          + " needs at least "
          + minimumHosts
          + " hosts, but the schedule has "
          + targets.hosts().size()
          + ": "
          + targets.hosts();
    }
    return null;
  }

  List<Draft> plan(SplittableRandom random, PlanTargets targets, long lengthMillis) {
    return planner.plan(random, targets, lengthMillis);
  }

  /**
   * Splits the hosts at random into two halves that cannot reach each other (the smaller half
   * first), silently: {@code partition {n1, n4} | {n2, n3, n5}}.
   */
  public static FaultKind randomHalves() {
    return new FaultKind(
        "random halves",
        2,
        (random, targets, length) -> {
          List<String> shuffled = shuffled(random, targets.hosts());
          int half = shuffled.size() / 2;
          Set<String> one = new TreeSet<>(shuffled.subList(0, half));
          Set<String> other = new TreeSet<>(shuffled.subList(half, shuffled.size()));
          return List.of(partition(one, other, length));
        });
  }

  /** Cuts one host, drawn at random, off from all the others, silently. */
  public static FaultKind isolateOne() {
    return new FaultKind(
        "isolate one",
        2,
        (random, targets, length) -> {
          String alone = targets.hosts().get(random.nextInt(targets.hosts().size()));
          Set<String> others = new TreeSet<>(targets.hosts());
          others.remove(alone);
          return List.of(partition(Set.of(alone), others, length));
        });
  }

  /**
   * Cuts one host off from all the others, silently; {@code chooser} names it when the fault
   * starts, so it can be the leader of the moment. The plan shows {@code isolate <what>}; the
   * record of applied faults shows the host chosen.
   *
   * <pre>{@code
   * FaultKind.isolate("the leader", () -> cluster.leader())
   * }</pre>
   *
   * @param what what the chooser picks, for plans and reports
   * @param chooser returns a host of the schedule
   */
  public static FaultKind isolate(String what, Supplier<String> chooser) {
    Objects.requireNonNull(chooser, "chooser");
    if (what == null || what.isBlank()) {
      throw new IllegalArgumentException("FaultKind.isolate: name what the chooser picks");
    }
    return new FaultKind(
        "isolate " + what,
        2,
        (random, targets, length) ->
            List.of(
                new Draft(
                    "isolate " + what,
                    List.of(),
                    0,
                    length,
                    (network, seed) -> {
                      String alone = chooser.get();
                      if (alone == null || !targets.hosts().contains(alone)) {
                        throw new IllegalStateException(
                            "the chooser returned "
                                + (alone == null ? "null" : "'" + alone + "'")
                                + ", which is not one of the schedule's hosts "
                                + targets.hosts());
                      }
                      Set<String> others = new TreeSet<>(targets.hosts());
                      others.remove(alone);
                      return network.partition(new TreeSet<>(Set.of(alone)), others);
                    })));
  }

  /**
   * Every host hears a majority, but no two hosts hear the same one: the hosts in a random ring,
   * each receiving only from its neighbours within a majority window (Jepsen's "majorities ring"),
   * done with one-way silent cuts. Needs at least three hosts.
   */
  public static FaultKind majoritiesRing() {
    return new FaultKind(
        "majorities ring",
        3,
        (random, targets, length) -> {
          List<String> ring = shuffled(random, targets.hosts());
          int n = ring.size();
          int majority = n / 2 + 1;
          List<String[]> cuts = new ArrayList<>();
          List<String> views = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            List<String> window = new ArrayList<>();
            for (int k = 0; k < majority; k++) {
              window.add(ring.get((i + k) % n));
            }
            String listener = window.get(majority / 2);
            views.add(listener + " hears " + braces(new TreeSet<>(window)));
            for (String speaker : targets.hosts()) {
              if (!window.contains(speaker)) {
                cuts.add(new String[] {speaker, listener});
              }
            }
          }
          views.sort(null);
          cuts.sort((x, y) -> (x[0] + " " + x[1]).compareTo(y[0] + " " + y[1]));
          String description = "majorities ring: " + String.join("; ", views);
          return List.of(
              new Draft(
                  description,
                  ring,
                  0,
                  length,
                  (network, seed) -> {
                    List<FaultSet.Part> parts = new ArrayList<>();
                    for (String[] cut : cuts) {
                      parts.add(() -> network.cut(cut[0], cut[1]));
                    }
                    return FaultSet.apply(description, parts);
                  }));
        });
  }

  /**
   * Two halves joined by one host that reaches both (Jepsen's "bridge"): with five hosts, {@code
   * {n1, n4} | {n2, n5}} with {@code n3} in neither side. Needs at least three hosts.
   */
  public static FaultKind bridge() {
    return new FaultKind(
        "bridge",
        3,
        (random, targets, length) -> {
          List<String> shuffled = shuffled(random, targets.hosts());
          int n = shuffled.size();
          String bridge = shuffled.get(n / 2);
          Set<String> one = new TreeSet<>(shuffled.subList(0, n / 2));
          Set<String> other = new TreeSet<>(shuffled.subList(n / 2 + 1, n));
          String description =
              "bridge " + bridge + ": partition " + braces(one) + " | " + braces(other);
          List<String> involved = new ArrayList<>(List.of(bridge));
          involved.addAll(one);
          involved.addAll(other);
          return List.of(
              new Draft(
                  description,
                  involved,
                  0,
                  length,
                  (network, seed) -> network.partition(one, other)));
        });
  }

  /** Packets from one host to another, both drawn at random, vanish; the other way works. */
  public static FaultKind oneWayCut() {
    return new FaultKind(
        "one-way cut",
        2,
        (random, targets, length) -> {
          List<String> hosts = targets.hosts();
          String from = hosts.get(random.nextInt(hosts.size()));
          List<String> others = new ArrayList<>(hosts);
          others.remove(from);
          String to = others.get(random.nextInt(others.size()));
          return List.of(
              new Draft(
                  "cut " + from + " -> " + to,
                  List.of(from, to),
                  0,
                  length,
                  (network, seed) -> network.cut(from, to)));
        });
  }

  /**
   * A link or LAN port, drawn at random, goes down for {@code period}, comes up for {@code period},
   * and so on for the fault's duration (at least once).
   *
   * @param period how long each down and each up lasts, more than zero
   */
  public static FaultKind flap(Duration period) {
    long periodMillis = positiveMillis("FaultKind.flap", "period", period);
    return new FaultKind(
        "link flap",
        targets ->
            targets.flappable().isEmpty()
                ? "link flap needs a LAN port or a link between hosts of the schedule "
                    + targets.hosts()
                    + ", but there is none"
                : null,
        (random, targets, length) -> {
          List<Attachment> candidates = targets.flappable();
          Attachment port = candidates.get(random.nextInt(candidates.size()));
          long times = Math.max(1, length / (2 * periodMillis));
          List<Draft> flaps = new ArrayList<>();
          for (long i = 0; i < times; i++) {
            String description =
                (port instanceof Attachment.OnLan lan
                        ? lan.host() + " unplugged from LAN " + lan.lan()
                        : "link "
                            + port.host()
                            + "<->"
                            + ((Attachment.OnLink) port).peer()
                            + " down")
                    + " (flap "
                    + (i + 1)
                    + " of "
                    + times
                    + ")";
            flaps.add(
                new Draft(
                    description,
                    List.of(port.label()),
                    2 * i * periodMillis,
                    periodMillis,
                    (network, seed) ->
                        port instanceof Attachment.OnLan lan
                            ? network.disconnect(lan.host(), lan.lan())
                            : network
                                .link(port.host(), ((Attachment.OnLink) port).peer())
                                .disconnect()));
          }
          return flaps;
        });
  }

  /**
   * {@code impairment} on traffic leaving one host through one of its LAN ports or link ends, drawn
   * at random. On a LAN port, an impairment without a seed of its own gets the planned fault's seed
   * (and so the userspace path), so the forwarder's decisions replay with the schedule; on a link
   * it is applied as given: netem where the kernel has it, else the userspace path of an {@code
   * impairable} link, seeded by {@code netns.seed} (see {@link Impairment}).
   */
  public static FaultKind impair(Impairment impairment) {
    Objects.requireNonNull(impairment, "impairment");
    if (impairment.equals(Impairment.none())) {
      throw new IllegalArgumentException("FaultKind.impair: the impairment does nothing");
    }
    return new FaultKind(
        "impairment " + impairment,
        targets ->
            targets.impairable().isEmpty()
                ? "impairment "
                    + impairment
                    + " needs a LAN port or a link between hosts of the schedule "
                    + targets.hosts()
                    + ", but there is none"
                : null,
        (random, targets, length) -> {
          List<Attachment> candidates = targets.impairable();
          Attachment port = candidates.get(random.nextInt(candidates.size()));
          String where =
              port instanceof Attachment.OnLan lan
                  ? " leaving " + lan.host() + " on LAN " + lan.lan()
                  : " leaving " + port.host() + " towards " + ((Attachment.OnLink) port).peer();
          return List.of(
              new Draft(
                  impairment + where,
                  List.of(port.label()),
                  0,
                  length,
                  (network, seed) -> {
                    if (port instanceof Attachment.OnLan lan) {
                      // A LAN port always has the userspace path, which a seed asks for.
                      Impairment seeded =
                          impairment.seed().isPresent() || impairment.isRateOnly()
                              ? impairment
                              : impairment.withSeed(seed);
                      return network.impair(lan.host(), lan.lan(), seeded);
                    }
                    // A link may have only the kernel's path: leave the choice to the impairment.
                    return network
                        .link(port.host(), ((Attachment.OnLink) port).peer())
                        .impair(port.host(), impairment);
                  }));
        });
  }

  /**
   * A fault the test makes itself, such as stopping a process: {@code action} starts it when its
   * time comes and returns the {@link Fault} the schedule heals when its time is up.
   *
   * @param name the kind's name, for plans and reports
   */
  public static FaultKind custom(String name, Action action) {
    Objects.requireNonNull(action, "action");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("FaultKind.custom: name the fault");
    }
    return new FaultKind(
        name,
        0,
        (random, targets, length) ->
            List.of(
                new Draft(
                    name,
                    List.of(),
                    0,
                    length,
                    (network, seed) -> {
                      Fault fault = action.start(network, new SplittableRandom(seed));
                      if (fault == null) {
                        throw new IllegalStateException(
                            "custom fault " + name + ": the action returned null, not a Fault");
                      }
                      return fault;
                    })));
  }

  /**
   * Pauses one of {@code nodes} (SIGSTOP to its process tree, as {@link Node#pause()}), chosen from
   * the seed, for the fault's duration: a long GC pause or a stopped VM. {@code pause node n1/zk in
   * n1}.
   *
   * <pre>{@code
   * FaultSchedule.builder().add(FaultKind.pauseNode(zk1, zk2, zk3)).build();
   * }</pre>
   */
  public static FaultKind pauseNode(Node... nodes) {
    return nodeKind("pause", "FaultKind.pauseNode", nodes, Node::pause);
  }

  /**
   * Kills one of {@code nodes} (SIGKILL to its process tree, as {@link Node#crash()}), chosen from
   * the seed, and restarts it with its data when the fault's time is up: {@code crash node zk in
   * n1}.
   */
  public static FaultKind crashNode(Node... nodes) {
    return nodeKind("crash", "FaultKind.crashNode", nodes, Node::crash);
  }

  private static FaultKind nodeKind(
      String verb, String call, Node[] nodes, java.util.function.Function<Node, Fault> start) {
    Objects.requireNonNull(nodes, "nodes");
    if (nodes.length == 0) {
      throw new IllegalArgumentException(call + ": name at least one node");
    }
    // Sorted by namespace and name, so that the seed picks the same node whatever the order given.
    List<Node> sorted = new ArrayList<>();
    for (Node node : nodes) {
      sorted.add(Objects.requireNonNull(node, call + ": a node is null"));
    }
    sorted.sort(
        java.util.Comparator.comparing((Node n) -> n.namespace().name()).thenComparing(Node::name));
    return new FaultKind(
        verb + " node",
        0,
        (random, targets, length) -> {
          Node node = sorted.get(random.nextInt(sorted.size()));
          return List.of(
              new Draft(
                  verb + " node " + node.name() + " in " + node.namespace().name(),
                  List.of(node.namespace().name()),
                  0,
                  length,
                  (network, seed) -> start.apply(node)));
        });
  }

  static long positiveMillis(String call, String what, Duration duration) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero() || duration.toMillis() == 0) {
      throw new IllegalArgumentException(
          call + ": the " + what + " must be at least 1 ms, not " + show(duration));
    }
    return duration.toMillis();
  }

  static String show(Duration duration) {
    return duration.toMillis() + " ms";
  }

  private static Draft partition(Set<String> one, Set<String> other, long length) {
    List<String> involved = new ArrayList<>(one);
    involved.addAll(other);
    return new Draft(
        "partition " + braces(one) + " | " + braces(other),
        involved,
        0,
        length,
        (network, seed) -> network.partition(one, other));
  }

  private static String braces(Set<String> hosts) {
    return hosts.stream().collect(Collectors.joining(", ", "{", "}"));
  }

  private static List<String> shuffled(SplittableRandom random, List<String> sorted) {
    List<String> all = new ArrayList<>(sorted);
    for (int i = all.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String swap = all.get(i);
      all.set(i, all.get(j));
      all.set(j, swap);
    }
    return all;
  }
}

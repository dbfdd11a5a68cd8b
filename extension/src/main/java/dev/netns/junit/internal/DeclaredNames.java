package dev.netns.junit.internal;

import dev.netns.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The namespace names that {@code @InNamespace}, {@code @Ns} and injected fields may use: the
 * declared hosts and routers, and {@code "host"} when a declaration reaches the machine's own.
 *
 * @param hosts the declared names, in declaration order
 * @param touchesHost whether {@code "host"} is among them
 */
record DeclaredNames(Set<String> hosts, boolean touchesHost) {
  static DeclaredNames of(Topology topology) {
    return new DeclaredNames(new LinkedHashSet<>(topology.hosts()), topology.touchesHost());
  }

  /** These names and {@code more}. */
  DeclaredNames with(List<String> more) {
    Set<String> all = new LinkedHashSet<>(hosts);
    all.addAll(more);
    return new DeclaredNames(all, touchesHost);
  }

  /** Adds a problem to {@code problems} when {@code name}, used by {@code origin}, is not here. */
  void check(String name, String origin, DeclarationProblems problems) {
    if (!hosts.contains(name) && !(Topology.HOST.equals(name) && touchesHost)) {
      problems.add(
          origin
              + ": \""
              + name
              + "\" names no declared namespace (declared: "
              + (hosts.isEmpty() ? "none" : String.join(", ", new ArrayList<>(hosts)))
              + ")");
    }
  }
}

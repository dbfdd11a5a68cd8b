package dev.netns.kernel;

import dev.netns.nativeaccess.KernelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The user namespace this process runs in, and whether this machine lets a normal user make one:
 * what running without root depends on, and what to say when network namespaces are refused.
 *
 * <p>A JVM started by netns-junit's rootless launcher runs as root of a user namespace of its own
 * (its {@code /proc/self/uid_map} reads {@code 0 1000 1}, where the machine's reads {@code 0 0
 * 4294967295}), in a network namespace that this user namespace owns. There it may create and enter
 * network namespaces, and what the library calls the host's namespace is that private one.
 *
 * <pre>{@code
 * boolean rootless = UserNamespaces.insideUserNamespace();
 * UserNamespaces.unprivilegedBlocked().ifPresent(why -> log(why)); // which setting, and the fix
 * }</pre>
 */
public final class UserNamespaces {
  /** The capability that creating and entering namespaces takes ({@code linux/capability.h}). */
  private static final int CAP_SYS_ADMIN = 21;

  /** Sysctls that decide whether a normal user may make user and network namespaces. */
  static final String MAX_USER_NAMESPACES = "user.max_user_namespaces";

  static final String UNPRIVILEGED_USERNS_CLONE = "kernel.unprivileged_userns_clone";
  static final String APPARMOR_RESTRICT = "kernel.apparmor_restrict_unprivileged_userns";
  static final String MAX_NET_NAMESPACES = "user.max_net_namespaces";

  private static final String LAUNCHER =
      "netns-junit's rootless launcher (unshare --user --map-root-user --net)";

  private UserNamespaces() {}

  /**
   * True when this process runs in a user namespace other than the machine's own, as a JVM started
   * by the rootless launcher does.
   */
  public static boolean insideUserNamespace() {
    return Facts.read().insideUserNamespace();
  }

  /**
   * Empty when this machine lets a normal user create user and network namespaces, as far as its
   * settings tell (a container's seccomp profile can still forbid them); otherwise each setting
   * that stands in the way, with the command that changes it.
   */
  public static Optional<String> unprivilegedBlocked() {
    List<String> blockers = blockers(Facts.read());
    return blockers.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", blockers));
  }

  /** True when {@code capEff}, in hex as {@code /proc/self/status} shows it, has CAP_SYS_ADMIN. */
  static boolean hasCapSysAdmin(String capEff) {
    try {
      return (Long.parseUnsignedLong(capEff.trim(), 16) & (1L << CAP_SYS_ADMIN)) != 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Sentences that follow "creating a network namespace was refused" (EPERM): where this process
   * stands, and what would let it create namespaces. Each starts with a space.
   */
  static String explainRefusal(KernelException refusal) {
    return explainRefusal(Facts.read(), refusal.call());
  }

  static String explainRefusal(Facts facts, String failedCall) {
    if (facts.insideUserNamespace()) {
      String inside = " This JVM runs inside a user namespace (uid_map: " + facts.uidMap() + ")";
      if (!facts.hasCapSysAdmin()) {
        return inside
            + " but without CAP_SYS_ADMIN there (CapEff="
            + facts.capEff()
            + "): start it as that namespace's root, as "
            + LAUNCHER
            + " does.";
      }
      if (facts.sysctl(APPARMOR_RESTRICT).filter("1"::equals).isPresent()) {
        return inside
            + ", and AppArmor denies unprivileged user namespaces their capabilities ("
            + APPARMOR_RESTRICT
            + "=1). Fix: sudo sysctl -w "
            + APPARMOR_RESTRICT
            + "=0, or an AppArmor profile that allows userns (see docs/ci.md).";
      }
      if (failedCall.startsWith("setns")) {
        return inside
            + " but in a network namespace that another user namespace owns, so its threads"
            + " cannot step back into it after making a new one: start it in a network namespace"
            + " of its own as well, as "
            + LAUNCHER
            + " does.";
      }
      return inside
          + " with CAP_SYS_ADMIN there, so something other than capabilities refused: a seccomp"
          + " filter or a security module"
          + (facts.seccomp() ? " (a seccomp filter is active)." : ".");
    }
    StringBuilder text = new StringBuilder();
    if (facts.uid() != 0) {
      text.append(" This JVM runs as user ")
          .append(facts.userName())
          .append(" (uid ")
          .append(facts.uid())
          .append(") in the machine's own user namespace, where creating network namespaces takes")
          .append(" CAP_SYS_ADMIN. Without root, ")
          .append(LAUNCHER)
          .append(" starts the test JVM in namespaces of its own: set it as Surefire's <jvm>.");
    } else {
      text.append(" Without those capabilities, ")
          .append(LAUNCHER)
          .append(" is the other way: set it as Surefire's <jvm>.");
    }
    List<String> blockers = blockers(facts);
    if (!blockers.isEmpty()) {
      text.append(" The launcher cannot work here until this changes: ")
          .append(String.join("; ", blockers))
          .append('.');
    } else if (facts.seccomp()) {
      text.append(" This machine's settings allow unprivileged user namespaces, but a seccomp")
          .append(" filter is active, as in a container, and may forbid them (see docs/ci.md).");
    } else {
      text.append(" This machine's settings allow unprivileged user namespaces, so the launcher")
          .append(" can work here.");
    }
    return text.toString();
  }

  /**
   * Sentences that follow "cannot create a network namespace" when the kernel answered ENOSPC:
   * which limit was reached. Each starts with a space.
   */
  static String explainLimit() {
    return explainLimit(Facts.read());
  }

  static String explainLimit(Facts facts) {
    Optional<String> limit = facts.sysctl(MAX_NET_NAMESPACES);
    if (limit.filter("0"::equals).isPresent()) {
      return " Network namespaces are disabled ("
          + MAX_NET_NAMESPACES
          + "=0). Fix: sudo sysctl -w "
          + MAX_NET_NAMESPACES
          + "=10000.";
    }
    return limit
        .map(
            n ->
                " The limit on network namespaces ("
                    + MAX_NET_NAMESPACES
                    + "="
                    + n
                    + ") is reached: raise it, or look for namespaces that other processes hold.")
        .orElse("");
  }

  /** The settings that keep a normal user from making user and network namespaces, with fixes. */
  static List<String> blockers(Facts facts) {
    List<String> blockers = new ArrayList<>();
    if (facts.sysctl(MAX_USER_NAMESPACES).filter("0"::equals).isPresent()) {
      blockers.add(
          "user namespaces are disabled ("
              + MAX_USER_NAMESPACES
              + "=0); fix: sudo sysctl -w "
              + MAX_USER_NAMESPACES
              + "=10000");
    }
    if (facts.sysctl(UNPRIVILEGED_USERNS_CLONE).filter("0"::equals).isPresent()) {
      blockers.add(
          "unprivileged user namespaces are disabled ("
              + UNPRIVILEGED_USERNS_CLONE
              + "=0); fix: sudo sysctl -w "
              + UNPRIVILEGED_USERNS_CLONE
              + "=1");
    }
    if (facts.sysctl(APPARMOR_RESTRICT).filter("1"::equals).isPresent()) {
      blockers.add(
          "AppArmor restricts unprivileged user namespaces ("
              + APPARMOR_RESTRICT
              + "=1); fix: sudo sysctl -w "
              + APPARMOR_RESTRICT
              + "=0, or an AppArmor profile that allows userns for unshare (see docs/ci.md)");
    }
    if (facts.sysctl(MAX_NET_NAMESPACES).filter("0"::equals).isPresent()) {
      blockers.add(
          "network namespaces are disabled ("
              + MAX_NET_NAMESPACES
              + "=0); fix: sudo sysctl -w "
              + MAX_NET_NAMESPACES
              + "=10000");
    }
    return blockers;
  }

  /**
   * What {@code /proc} says about this process and machine.
   *
   * @param uidMap the lines of {@code /proc/self/uid_map}, blanks collapsed, joined with ", "
   * @param uid the effective uid, as this user namespace sees it
   * @param userName the {@code user.name} of this JVM
   * @param capEff the effective capabilities, in hex as {@code /proc/self/status} shows them
   * @param seccomp true when a seccomp filter is active ({@code Seccomp: 2})
   * @param sysctls the settings read, by dotted name; an absent one is not in the map
   */
  record Facts(
      String uidMap,
      long uid,
      String userName,
      String capEff,
      boolean seccomp,
      Map<String, String> sysctls) {

    /** The machine's own user namespace maps every uid to itself. */
    private static final String INITIAL_UID_MAP = "0 0 4294967295";

    static Facts read() {
      Map<String, String> status = status();
      Map<String, String> sysctls = new TreeMap<>();
      for (String name :
          List.of(
              MAX_USER_NAMESPACES,
              UNPRIVILEGED_USERNS_CLONE,
              APPARMOR_RESTRICT,
              MAX_NET_NAMESPACES)) {
        readTrimmed(Path.of("/proc/sys", name.replace('.', '/')))
            .ifPresent(v -> sysctls.put(name, v));
      }
      String uidMap =
          readTrimmed(Path.of("/proc/self/uid_map"))
              .map(
                  map ->
                      String.join(
                          ", ", map.lines().map(l -> l.trim().replaceAll("\\s+", " ")).toList()))
              .orElse(INITIAL_UID_MAP);
      String[] uids = status.getOrDefault("Uid", "-1 -1").split("\\s+");
      return new Facts(
          uidMap,
          Long.parseLong(uids.length > 1 ? uids[1] : uids[0]),
          System.getProperty("user.name", "?"),
          status.getOrDefault("CapEff", "0"),
          "2".equals(status.get("Seccomp")),
          sysctls);
    }

    boolean insideUserNamespace() {
      return !INITIAL_UID_MAP.equals(uidMap);
    }

    boolean hasCapSysAdmin() {
      return UserNamespaces.hasCapSysAdmin(capEff);
    }

    Optional<String> sysctl(String name) {
      return Optional.ofNullable(sysctls.get(name));
    }

    private static Map<String, String> status() {
      Map<String, String> fields = new TreeMap<>();
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          int colon = line.indexOf(':');
          if (colon > 0) {
            fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux, or /proc unreadable: nothing to tell
      }
      return fields;
    }

    private static Optional<String> readTrimmed(Path path) {
      try {
        return Optional.of(Files.readString(path).trim());
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }
}

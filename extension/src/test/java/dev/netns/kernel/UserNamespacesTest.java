package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.UserNamespaces.Facts;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the messages say for each situation a refused namespace can come from, given the facts that
 * {@code /proc} would show; no privileges needed. The live cases (a JVM started by the rootless
 * launcher, or in a user namespace without a network namespace of its own) are in {@code
 * RootlessLauncherTest}.
 */
class UserNamespacesTest {
  private static final String MACHINE = "0 0 4294967295";
  private static final String ALL_CAPS = "000001ffffffffff";
  private static final String NO_CAPS = "0000000000000000";
  private static final String UNSHARE = "unshare(CLONE_NEWNET)";
  private static final String LAUNCHER =
      "netns-junit's rootless launcher (unshare --user --map-root-user --net)";

  private static Facts facts(String uidMap, long uid, String capEff, Map<String, String> sysctls) {
    return new Facts(uidMap, uid, uid == 0 ? "root" : "alice", capEff, false, Map.copyOf(sysctls));
  }

  @Test
  void theMachinesUserNamespaceIsNotANestedOne() {
    assertThat(facts(MACHINE, 1000, NO_CAPS, Map.of()).insideUserNamespace()).isFalse();
    assertThat(facts("0 1000 1", 0, ALL_CAPS, Map.of()).insideUserNamespace()).isTrue();
    assertThat(facts("0 0 1", 0, ALL_CAPS, Map.of()).insideUserNamespace()).isTrue();
  }

  @Test
  void capSysAdminIsBit21() {
    assertThat(UserNamespaces.hasCapSysAdmin(ALL_CAPS)).isTrue();
    assertThat(UserNamespaces.hasCapSysAdmin("0000000000200000")).isTrue();
    assertThat(UserNamespaces.hasCapSysAdmin("00000000001fffff")).isFalse();
    assertThat(UserNamespaces.hasCapSysAdmin(NO_CAPS)).isFalse();
    assertThat(UserNamespaces.hasCapSysAdmin("not hex")).isFalse();
  }

  @Test
  void aNormalUserWhereUserNamespacesAreAllowedIsToldToUseTheLauncher() {
    Facts facts =
        facts(MACHINE, 1000, NO_CAPS, Map.of(UserNamespaces.MAX_USER_NAMESPACES, "63000"));
    assertThat(UserNamespaces.explainRefusal(facts, UNSHARE))
        .isEqualTo(
            " This JVM runs as user alice (uid 1000) in the machine's own user namespace, where"
                + " creating network namespaces takes CAP_SYS_ADMIN. Without root, "
                + LAUNCHER
                + " starts the test JVM in namespaces of its own: set it as Surefire's <jvm>."
                + " This machine's settings allow unprivileged user namespaces, so the launcher"
                + " can work here.");
    assertThat(UserNamespaces.blockers(facts)).isEmpty();
  }

  @Test
  void ubuntusAppArmorRestrictionIsNamedWithItsFix() {
    Facts facts = facts(MACHINE, 1000, NO_CAPS, Map.of(UserNamespaces.APPARMOR_RESTRICT, "1"));
    assertThat(UserNamespaces.explainRefusal(facts, UNSHARE))
        .endsWith(
            " The launcher cannot work here until this changes: AppArmor restricts unprivileged"
                + " user namespaces (kernel.apparmor_restrict_unprivileged_userns=1); fix: sudo"
                + " sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or an AppArmor"
                + " profile that allows userns for unshare (see docs/ci.md).");
  }

  @Test
  void everySettingInTheWayIsListed() {
    Facts facts =
        facts(
            MACHINE,
            1000,
            NO_CAPS,
            Map.of(
                UserNamespaces.MAX_USER_NAMESPACES, "0",
                UserNamespaces.UNPRIVILEGED_USERNS_CLONE, "0",
                UserNamespaces.APPARMOR_RESTRICT, "0",
                UserNamespaces.MAX_NET_NAMESPACES, "0"));
    assertThat(UserNamespaces.blockers(facts))
        .containsExactly(
            "user namespaces are disabled (user.max_user_namespaces=0); fix: sudo sysctl -w"
                + " user.max_user_namespaces=10000",
            "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=0); fix:"
                + " sudo sysctl -w kernel.unprivileged_userns_clone=1",
            "network namespaces are disabled (user.max_net_namespaces=0); fix: sudo sysctl -w"
                + " user.max_net_namespaces=10000");
  }

  @Test
  void rootWithoutCapabilitiesHearsOfTheLauncherAsTheOtherWay() {
    assertThat(UserNamespaces.explainRefusal(facts(MACHINE, 0, NO_CAPS, Map.of()), UNSHARE))
        .isEqualTo(
            " Without those capabilities, "
                + LAUNCHER
                + " is the other way: set it as Surefire's <jvm>. This machine's settings allow"
                + " unprivileged user namespaces, so the launcher can work here.");
  }

  @Test
  void aSeccompFilterIsMentionedWhenNoSettingExplains() {
    Facts facts = new Facts(MACHINE, 1000, "alice", NO_CAPS, true, Map.of());
    assertThat(UserNamespaces.explainRefusal(facts, UNSHARE))
        .endsWith(
            " This machine's settings allow unprivileged user namespaces, but a seccomp filter is"
                + " active, as in a container, and may forbid them (see docs/ci.md).");
  }

  @Test
  void insideAUserNamespaceWithoutCapabilities() {
    assertThat(UserNamespaces.explainRefusal(facts("0 1000 1", 0, NO_CAPS, Map.of()), UNSHARE))
        .isEqualTo(
            " This JVM runs inside a user namespace (uid_map: 0 1000 1) but without CAP_SYS_ADMIN"
                + " there (CapEff=0000000000000000): start it as that namespace's root, as "
                + LAUNCHER
                + " does.");
  }

  @Test
  void insideAUserNamespaceButInTheMachinesNetworkNamespace() {
    assertThat(
            UserNamespaces.explainRefusal(
                facts("0 1000 1", 0, ALL_CAPS, Map.of()), "setns(24, CLONE_NEWNET)"))
        .isEqualTo(
            " This JVM runs inside a user namespace (uid_map: 0 1000 1) but in a network"
                + " namespace that another user namespace owns, so its threads cannot step back"
                + " into it after making a new one: start it in a network namespace of its own as"
                + " well, as "
                + LAUNCHER
                + " does.");
  }

  @Test
  void insideAUserNamespaceThatAppArmorHoldsBack() {
    Facts facts = facts("0 1000 1", 0, ALL_CAPS, Map.of(UserNamespaces.APPARMOR_RESTRICT, "1"));
    assertThat(UserNamespaces.explainRefusal(facts, UNSHARE))
        .isEqualTo(
            " This JVM runs inside a user namespace (uid_map: 0 1000 1), and AppArmor denies"
                + " unprivileged user namespaces their capabilities"
                + " (kernel.apparmor_restrict_unprivileged_userns=1). Fix: sudo sysctl -w"
                + " kernel.apparmor_restrict_unprivileged_userns=0, or an AppArmor profile that"
                + " allows userns (see docs/ci.md).");
  }

  @Test
  void theNetworkNamespaceLimitIsNamed() {
    assertThat(
            UserNamespaces.explainLimit(
                facts(MACHINE, 0, ALL_CAPS, Map.of(UserNamespaces.MAX_NET_NAMESPACES, "0"))))
        .isEqualTo(
            " Network namespaces are disabled (user.max_net_namespaces=0). Fix: sudo sysctl -w"
                + " user.max_net_namespaces=10000.");
    assertThat(
            UserNamespaces.explainLimit(
                facts(MACHINE, 0, ALL_CAPS, Map.of(UserNamespaces.MAX_NET_NAMESPACES, "3"))))
        .isEqualTo(
            " The limit on network namespaces (user.max_net_namespaces=3) is reached: raise it,"
                + " or look for namespaces that other processes hold.");
  }

  @Test
  void theLiveFactsAreReadable() {
    Facts live = Facts.read();
    assertThat(live.uidMap()).matches("\\d+ \\d+ \\d+(, \\d+ \\d+ \\d+)*");
    assertThat(live.capEff()).matches("[0-9a-f]{16}");
    assertThat(live.sysctls()).containsKey(UserNamespaces.MAX_USER_NAMESPACES);
  }
}

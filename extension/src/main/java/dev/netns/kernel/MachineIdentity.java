package dev.netns.kernel;

import java.nio.charset.StandardCharsets;

/**
 * What a namespace's threads are told about their machine: its host name and the text of the hosts
 * file they read at {@code /etc/hosts}. The layers above work both out (the kernel layer knows no
 * topology).
 *
 * @param hostName the name {@code gethostname(2)} returns inside, at most 64 bytes
 * @param hostsFile the whole content of {@code /etc/hosts} inside, in hosts(5) format
 */
public record MachineIdentity(String hostName, String hostsFile) {
  /** HOST_NAME_MAX on Linux. */
  private static final int HOST_NAME_MAX = 64;

  /** Checks the host name as sethostname(2) would, before anything is changed. */
  public MachineIdentity {
    int length = hostName.getBytes(StandardCharsets.UTF_8).length;
    if (length == 0 || length > HOST_NAME_MAX) {
      throw new IllegalArgumentException(
          "host name '" + hostName + "' must be 1 to " + HOST_NAME_MAX + " bytes long");
    }
  }
}

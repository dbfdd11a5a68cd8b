package dev.netns.topology;

import dev.netns.kernel.NetworkNamespace;

/**
 * One interface of one namespace, as a key of the state faults keep per interface.
 *
 * @param namespace the namespace it is in
 * @param name its name there
 */
record InterfaceKey(NetworkNamespace namespace, String name) {
  @Override
  public String toString() {
    return namespace.name() + ":" + name;
  }
}

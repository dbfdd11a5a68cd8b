package dev.netns.junit;

/**
 * Where a fault schedule can unplug or impair one host's traffic: its port on a LAN, or its end of
 * a veth link. Planning draws from these in sorted order, so a seed picks the same one every run.
 */
sealed interface Attachment extends Comparable<Attachment> {
  /** The host whose traffic is affected. */
  String host();

  /** How plans and reports name it, for example {@code n1@lan} or {@code a->b}. */
  String label();

  @Override
  default int compareTo(Attachment other) {
    return label().compareTo(other.label());
  }

  /** A host's port on a LAN. */
  record OnLan(String host, String lan) implements Attachment {
    @Override
    public String label() {
      return host + "@" + lan;
    }
  }

  /** A host's end of the veth link to {@code peer}. */
  record OnLink(String host, String peer) implements Attachment {
    @Override
    public String label() {
      return host + "->" + peer;
    }
  }
}

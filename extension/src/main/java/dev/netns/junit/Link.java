package dev.netns.junit;

import java.util.List;

/**
 * A veth pair of the test's network.
 *
 * <pre>{@code
 * Link wire = network.link("blue", "red");
 * wire.down();    // carrier lost on both ends
 * wire.up();
 * }</pre>
 */
public interface Link {
  /** The namespace of one end. */
  String a();

  /** The namespace of the other end. */
  String b();

  /** The interface name of the end in {@code namespace}. */
  String interfaceIn(String namespace);

  /** The addresses (with prefix) of the end in {@code namespace}, as declared or assigned. */
  List<CidrAddress> addressesIn(String namespace);

  /** Takes both ends down: the wire is cut, both ways. Prefer {@link #disconnect()}. */
  void down();

  /**
   * Brings both ends up again and puts back the routes the kernel dropped when they went down.
   * Refused with an {@link IllegalStateException} naming the fault while a {@link #disconnect()}
   * holds the link down: heal that fault instead.
   */
  void up();

  /** Takes both ends down as a {@link Fault}; healing brings them up and restores their routes. */
  Fault disconnect();

  /** An impairment on traffic leaving the end in {@code from}. */
  Fault impair(String from, Impairment impairment);
}

package dev.netns.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A parsed run of netlink attributes, in the order received, unknown ones included. */
public record Attributes(List<Attribute> all) {

  public Attributes {
    all = List.copyOf(all);
  }

  /** Parses attributes from the buffer's position to its limit. */
  public static Attributes parse(ByteBuffer buffer) {
    List<Attribute> attributes = new ArrayList<>();
    while (buffer.remaining() >= Netlink.NLA_HDRLEN) {
      int start = buffer.position();
      int length = buffer.getShort() & 0xffff;
      int rawType = buffer.getShort() & 0xffff;
      if (length < Netlink.NLA_HDRLEN) {
        throw new NetlinkFormatException(
            "attribute at offset " + start + " has length " + length + ", shorter than its header");
      }
      if (start + length > buffer.limit()) {
        throw new NetlinkFormatException(
            "attribute at offset " + start + " has length " + length + " beyond its message");
      }
      byte[] value = new byte[length - Netlink.NLA_HDRLEN];
      buffer.get(value);
      attributes.add(
          new Attribute(
              rawType & Netlink.NLA_TYPE_MASK, (rawType & Netlink.NLA_F_NESTED) != 0, value));
      buffer.position(Math.min(buffer.limit(), start + Netlink.align(length)));
    }
    return new Attributes(attributes);
  }

  /** The first attribute of this type. */
  public Optional<Attribute> get(int type) {
    for (Attribute attribute : all) {
      if (attribute.type() == type) {
        return Optional.of(attribute);
      }
    }
    return Optional.empty();
  }

  /** The string value of the first attribute of this type, or null. */
  public String string(int type) {
    return get(type).map(Attribute::string).orElse(null);
  }

  /** The u32 value of the first attribute of this type, or {@code absent}. */
  public int u32(int type, int absent) {
    return get(type).map(Attribute::u32).orElse(absent);
  }

  /** The raw bytes of the first attribute of this type, or null. */
  public byte[] bytes(int type) {
    return get(type).map(Attribute::value).orElse(null);
  }
}

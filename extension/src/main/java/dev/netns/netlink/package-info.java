/**
 * A pure-Java rtnetlink codec: messages and attributes to and from bytes (lengths and padding
 * handled in one place, {@link dev.netns.netlink.MessageWriter}), the kernel's structs and
 * constants named as in its headers, and request encoders. No native calls.
 */
package dev.netns.netlink;

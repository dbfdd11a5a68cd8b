package dev.netns.topology;

/**
 * A route as the user wrote it.
 *
 * @param in the host whose table gets it
 * @param to the destination, such as {@code 10.0.2.0/24}, or {@code default}
 * @param via the gateway's address
 * @param origin how it was declared, quoted in error messages
 */
public record RouteDeclaration(String in, String to, String via, String origin) {}

/**
 * The Jupiter extension behind the annotations: reading and validating declarations, building and
 * tearing down networks through JUnit's store, injection, {@code @InNamespace} invocations,
 * diagnostics. Internal: nothing here is API, and it may change in any release.
 */
package dev.netns.junit.internal;

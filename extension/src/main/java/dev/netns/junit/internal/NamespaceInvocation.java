package dev.netns.junit.internal;

import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;

/**
 * Runs an {@code @InNamespace} test or lifecycle method on a thread of its own inside its
 * namespace, as JUnit's {@code @Timeout(threadMode = SEPARATE_THREAD)} runs one on a thread of its
 * own: {@code proceed()} exactly once, and what the method throws is rethrown as is.
 */
final class NamespaceInvocation {
  private NamespaceInvocation() {}

  static void proceedIn(NetworkResource resource, String namespace, Invocation<Void> invocation)
      throws Throwable {
    DefaultNetNs ns = (DefaultNetNs) resource.network().namespace(namespace);
    Throwable[] thrown = new Throwable[1];
    // A thread of its own, not the namespace's service thread: a body that waits for another
    // thread's call into the namespace must not hold the thread that call needs.
    ns.namespace()
        .callOnNewThread(
            () -> {
              try {
                invocation.proceed();
              } catch (Throwable t) {
                thrown[0] = t;
              }
              return null;
            });
    if (thrown[0] != null) {
      throw thrown[0];
    }
  }
}

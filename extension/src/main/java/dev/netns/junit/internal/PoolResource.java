package dev.netns.junit.internal;

import dev.netns.kernel.Capabilities;
import dev.netns.kernel.NamespacePool;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The run's warm pool of namespaces ({@code netns.pool}) in JUnit's root store: started before the
 * first class that uses the extension, so that it fills while discovery and earlier tests run, and
 * closed with the root store at the end of the run, stocked namespaces with it.
 *
 * <p>Both {@link AutoCloseable} and {@link ExtensionContext.Store.CloseableResource}, as {@link
 * NetworkResource} is, for the same JUnit versions.
 */
// CloseableResource: see NetworkResource.
@SuppressWarnings("deprecation")
final class PoolResource implements AutoCloseable, ExtensionContext.Store.CloseableResource {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(PoolResource.class);

  private final NamespacePool pool;

  private PoolResource(NamespacePool pool) {
    this.pool = pool;
  }

  /**
   * Starts the pool of the run when the settings ask for one and namespaces can be made here (else
   * tests skip or fail on their own, without a pool). Idempotent. When a pool already runs in this
   * JVM (a run started inside another one), that pool serves and its owner closes it.
   */
  static void startIfAsked(ExtensionContext context, Settings settings) {
    if (settings.pool() == 0) {
      return;
    }
    ExtensionContext.Store store = context.getRoot().getStore(STORE);
    // Parallel classes may arrive together; only one may start the pool.
    synchronized (PoolResource.class) {
      if (store.get(PoolResource.class) != null || Capabilities.namespaceProblem().isPresent()) {
        return;
      }
      store.put(
          PoolResource.class,
          new PoolResource(NamespacePool.startIfNoneRuns(settings.pool()).orElse(null)));
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.close();
    }
  }
}

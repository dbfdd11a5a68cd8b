package dev.netns.kernel;

import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import dev.netns.nativeaccess.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A namespace made reachable by path, as {@code ip netns add} does: its nsfs file bind-mounted on
 * an empty file (under {@code /run/netns} for {@code ip netns exec}). The mount keeps the namespace
 * alive until it is unbound, even after every descriptor is closed.
 *
 * <pre>{@code
 * NamespaceBinding.bind(ns, Path.of("/run/netns/blue"));   // ip netns exec blue ... now works
 * NamespaceBinding.unbind(Path.of("/run/netns/blue"));
 * }</pre>
 */
public final class NamespaceBinding {
  /** The longest file name a Linux file system takes, in bytes ({@code linux/limits.h}). */
  public static final int NAME_MAX = 255;

  private NamespaceBinding() {}

  /** Creates {@code target} (which must not exist) and bind-mounts {@code ns} on it. */
  public static void bind(NetworkNamespace ns, Path target) throws IOException {
    Files.createFile(target);
    try {
      LibC.instance()
          .bindMount(
              "/proc/" + ProcessHandle.current().pid() + "/fd/" + ns.fd(), target.toString());
    } catch (RuntimeException e) {
      try {
        Files.deleteIfExists(target);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Detaches the mount on {@code target}, if any, and deletes the file. A file that was never
   * mounted on (left by a process that died between the two steps of {@link #bind}) is just
   * deleted.
   */
  public static void unbind(Path target) throws IOException {
    try {
      LibC.instance().umount2(target.toString(), LibC.MNT_DETACH);
    } catch (KernelException notMounted) {
      // EINVAL: created but never mounted; only the file is left
    }
    Files.deleteIfExists(target);
  }

  /**
   * False when this process may not mount anything. A process inside a user namespace that does not
   * own its mount namespace (as under the rootless launcher) may not: asked to unmount a file it
   * just made, which is no mount point, the kernel answers EPERM before it looks, where a process
   * that may mount gets EINVAL.
   */
  public static boolean mayMount() {
    Path probe = null;
    try {
      probe = Files.createTempFile("netns-junit-mount-probe", "");
      LibC.instance().umount2(probe.toString(), 0);
      return true;
    } catch (KernelException e) {
      return e.errno() != Errno.EPERM;
    } catch (IOException e) {
      return true; // no probe: let binding try and report what fails
    } finally {
      if (probe != null) {
        try {
          Files.deleteIfExists(probe);
        } catch (IOException e) {
          // a stray empty file in the temp directory
        }
      }
    }
  }
}

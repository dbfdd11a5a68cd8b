package dev.netns.kernel;

import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import dev.netns.nativeaccess.LibC;

/**
 * The signals the library sends to processes the test started: kill, terminate, stop and continue.
 *
 * <pre>{@code
 * ProcessSignal.SIGSTOP.send(handle);   // frozen, every thread
 * ProcessSignal.SIGCONT.send(handle);   // runs again
 * }</pre>
 */
public enum ProcessSignal {
  SIGKILL(LibC.SIGKILL),
  SIGTERM(LibC.SIGTERM),
  SIGSTOP(LibC.SIGSTOP),
  SIGCONT(LibC.SIGCONT);

  private final int number;

  ProcessSignal(int number) {
    this.number = number;
  }

  /**
   * Sends this signal with kill(2), unless the process has exited. The handle knows the process's
   * start time, so a pid the kernel already gave to another process is not signalled (short of a
   * reuse between that check and the call, which takes the pid space wrapping around meanwhile).
   * Returns false when the process was gone.
   */
  public boolean send(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      LibC.instance().kill(process.pid(), number);
      return true;
    } catch (KernelException e) {
      if (e.errno() == Errno.ESRCH) {
        return false;
      }
      throw e;
    }
  }
}

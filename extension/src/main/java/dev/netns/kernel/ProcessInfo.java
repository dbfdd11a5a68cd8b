package dev.netns.kernel;

/**
 * A process as {@code /proc/PID} shows it: what a report says about one found inside a namespace.
 *
 * @param pid the process id
 * @param commandLine its arguments joined by spaces, or its name in brackets when it has none
 * @param netInode the inode of the network namespace its main thread is in
 */
public record ProcessInfo(long pid, String commandLine, long netInode) {
  @Override
  public String toString() {
    return "pid " + pid + " (" + commandLine + ") in net:[" + netInode + "]";
  }
}

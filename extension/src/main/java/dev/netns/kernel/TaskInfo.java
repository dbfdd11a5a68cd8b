package dev.netns.kernel;

/**
 * One thread of this process as the kernel lists it under {@code /proc/self/task}.
 *
 * @param tid the kernel's thread id
 * @param name the thread's name as the kernel keeps it (its first 15 characters)
 * @param netInode the inode of the network namespace the thread is in
 */
public record TaskInfo(int tid, String name, long netInode) {}

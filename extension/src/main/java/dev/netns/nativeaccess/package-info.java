/**
 * One narrow interface over libc ({@link dev.netns.nativeaccess.LibC}) with its JNA implementation
 * hidden behind it, and the one exception type for what the kernel refuses ({@link
 * dev.netns.nativeaccess.KernelException}).
 */
package dev.netns.nativeaccess;

// Runs nslimit.c's pair one iteration at a time, for CFloorBenchmark to time with JMH beside the
// library's pair. nslimit.c is included unchanged: its own main stays (renamed, unused), and its
// die() returns here instead of ending the benchmark's JVM.
// Build: gcc -O2 -shared -fPIC -o libcfloor.so cfloor.c   (nslimit.c and lanfloor.c in the same
// directory; lanfloor.c is the C floor of a LAN, built on nslimit's helpers)
#define _GNU_SOURCE
#include <sched.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <setjmp.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/veth.h>
#include <net/if.h>

static __thread jmp_buf failed;
static __thread int failed_errno;

// nslimit's die() prints perror and calls exit(1): with the headers above already in, this macro
// only reaches that call.
static void back_to_caller(int status) {
  (void)status;
  failed_errno = errno ? errno : EIO;
  longjmp(failed, 1);
}
#define exit(status) back_to_caller(status)
#define main nslimit_main
#include "nslimit.c"
#undef main
#undef exit

static __thread int home = -1;
static __thread int rootnl = -1;

// On the calling thread: remembers its network namespace and opens a netlink socket there, as
// nslimit's main does before its loop. Returns 0, or -errno.
int cfloor_open(void) {
  if (setjmp(failed)) return -failed_errno;
  home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home < 0) return -errno;
  rootnl = nlsock();
  return 0;
}

// The middle of nslimit.c's loop, as it is there: between making the two namespaces and closing
// them, the veth and both ends configured.
static void wire_pair(int a, int b) {
  veth(rootnl, "eth0", a, "eth0", b);
  configure(home, a, "eth0", "10.1.1.1");
  configure(home, b, "eth0", "10.1.1.2");
}

// One iteration of nslimit's loop, on the thread that called cfloor_open. Returns 0, or -errno
// after putting the thread back in its namespace (descriptors of a failed iteration may leak).
int cfloor_pair(void) {
  if (setjmp(failed)) {
    setns(home, CLONE_NEWNET);
    return -failed_errno;
  }
  int a = newns(home), b = newns(home);
  wire_pair(a, b);
  close(a); close(b);
  return 0;
}

// nslimit's pair with its two namespaces made beforehand, untimed: the kernel's part of the pair
// that a pool of ready namespaces cannot take ahead (the veth, the addresses, links and lo up).
// Writes the wiring's nanoseconds to *wiring_nanos. Returns 0, or -errno as cfloor_pair does.
int cfloor_pair_wiring(long long *wiring_nanos) {
  if (setjmp(failed)) {
    setns(home, CLONE_NEWNET);
    return -failed_errno;
  }
  int a = newns(home), b = newns(home);
  double start = now_us();
  wire_pair(a, b);
  *wiring_nanos = (long long)((now_us() - start) * 1e3);
  close(a); close(b);
  return 0;
}

#include "lanfloor.c"

void cfloor_close(void) {
  cfloor_lan_close();
  if (rootnl >= 0) close(rootnl);
  if (home >= 0) close(home);
  rootnl = home = -1;
}

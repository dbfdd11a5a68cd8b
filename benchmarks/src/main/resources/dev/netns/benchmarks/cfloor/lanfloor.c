// The C floor of a LAN of N hosts, as Topologies.lan builds it for LanBenchmark.lanSetup: a switch
// namespace holding a bridge, N host namespaces, and per host one veth whose switch end is made a
// port of the bridge and up as it is created, and whose host end gets no IPv6 address
// (addrgenmode none, as the library's quiet LANs), an IPv4 address, and goes up with lo.
// Written with nslimit.c's own helpers (included before this file by cfloor.c), one thread, one
// request at a time, as nslimit builds its pair. Setup only: cfloor_lan_close closes the
// namespaces and the kernel frees the rest later, as it does for the library's networks.

#define LAN_MAX 1023

static __thread int lan_switch = -1;
static __thread int lan_hosts[LAN_MAX];
static __thread int lan_count;

// An RTM_NEWLINK request for link `index` (0: a new one), up, with `flags` beside NLM_F_REQUEST.
static struct ifinfomsg *newlink_up(struct req *r, int flags, int index) {
  memset(r, 0, sizeof *r);
  r->h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
  r->h.nlmsg_type = RTM_NEWLINK;
  r->h.nlmsg_flags = flags;
  struct ifinfomsg *i = NLMSG_DATA(&r->h);
  i->ifi_index = index;
  i->ifi_flags = IFF_UP;
  i->ifi_change = IFF_UP;
  return i;
}

// A veth whose first end is made in namespace `ns` as a port of bridge `master` there, up, with one
// queue each way (as the library makes its veths), and whose peer goes to namespace `peer_ns`.
static void veth_port(int fd, const char *name, int ns, int master, const char *peer, int peer_ns) {
  struct req r;
  newlink_up(&r, NLM_F_CREATE | NLM_F_EXCL, 0);
  int one = 1;
  addattr(&r.h, IFLA_NUM_TX_QUEUES, &one, 4);
  addattr(&r.h, IFLA_NUM_RX_QUEUES, &one, 4);
  addattr(&r.h, IFLA_NET_NS_FD, &ns, 4);
  addattr(&r.h, IFLA_MASTER, &master, 4);
  addattr(&r.h, IFLA_IFNAME, name, strlen(name) + 1);
  struct rtattr *li = addattr(&r.h, IFLA_LINKINFO, NULL, 0);
  addattr(&r.h, IFLA_INFO_KIND, "veth", 4);
  struct rtattr *data = addattr(&r.h, IFLA_INFO_DATA, NULL, 0);
  struct rtattr *p = addattr(&r.h, VETH_INFO_PEER, NULL, 0);
  r.h.nlmsg_len += sizeof(struct ifinfomsg);
  addattr(&r.h, IFLA_NUM_TX_QUEUES, &one, 4);
  addattr(&r.h, IFLA_NUM_RX_QUEUES, &one, 4);
  addattr(&r.h, IFLA_NET_NS_FD, &peer_ns, 4);
  addattr(&r.h, IFLA_IFNAME, peer, strlen(peer) + 1);
  endnest(&r.h, p);
  endnest(&r.h, data);
  endnest(&r.h, li);
  talk(fd, &r.h);
}

// Up, with no IPv6 address generated: the mode is set in the same request, before the kernel's
// link watcher (which runs after the request) would generate one.
static void up_quiet(int fd, int idx) {
  struct req r;
  newlink_up(&r, 0, idx);
  struct rtattr *spec = addattr(&r.h, IFLA_AF_SPEC, NULL, 0);
  struct rtattr *v6 = addattr(&r.h, AF_INET6, NULL, 0);
  unsigned char none = IN6_ADDR_GEN_MODE_NONE;
  addattr(&r.h, IFLA_INET6_ADDR_GEN_MODE, &none, 1);
  endnest(&r.h, v6);
  endnest(&r.h, spec);
  talk(fd, &r.h);
}

static void bridge(int fd, const char *name) {
  struct req r;
  newlink_up(&r, NLM_F_CREATE | NLM_F_EXCL, 0);
  addattr(&r.h, IFLA_IFNAME, name, strlen(name) + 1);
  struct rtattr *li = addattr(&r.h, IFLA_LINKINFO, NULL, 0);
  addattr(&r.h, IFLA_INFO_KIND, "bridge", 6);
  endnest(&r.h, li);
  talk(fd, &r.h);
}

// On the thread that called cfloor_open. Returns 0, or -errno after putting the thread back in its
// namespace (what a failed setup made may leak; the benchmark stops on it).
int cfloor_lan(int hosts) {
  if (hosts < 1 || hosts > LAN_MAX) return -EINVAL;
  if (setjmp(failed)) {
    setns(home, CLONE_NEWNET);
    return -failed_errno;
  }
  lan_count = 0;
  lan_switch = newns(home);
  if (setns(lan_switch, CLONE_NEWNET)) die("setns switch");
  int swnl = nlsock();
  up(swnl, 1);
  bridge(swnl, "br0");
  int br = if_nametoindex("br0");
  if (!br) die("if_nametoindex br0");
  close(swnl);
  if (setns(home, CLONE_NEWNET)) die("setns home");
  for (int h = 0; h < hosts; h++) {
    lan_hosts[lan_count++] = newns(home);
  }
  char port[IFNAMSIZ];
  for (int h = 0; h < hosts; h++) {
    snprintf(port, sizeof port, "p%d", h + 1);
    veth_port(rootnl, port, lan_switch, br, "lan", lan_hosts[h]);
  }
  char ip[INET_ADDRSTRLEN];
  for (int h = 0; h < hosts; h++) {
    if (setns(lan_hosts[h], CLONE_NEWNET)) die("setns host");
    int nl = nlsock();
    int idx = if_nametoindex("lan");
    if (!idx) die("if_nametoindex lan");
    int n = h + 1;
    snprintf(ip, sizeof ip, "10.251.%d.%d", n >> 8, n & 255);
    up_quiet(nl, idx);
    addr(nl, idx, ip, hosts <= 250 ? 24 : 22);
    up(nl, 1);
    close(nl);
    if (setns(home, CLONE_NEWNET)) die("setns home");
  }
  return 0;
}

// Closes what cfloor_lan made.
void cfloor_lan_close(void) {
  for (int h = 0; h < lan_count; h++) close(lan_hosts[h]);
  lan_count = 0;
  if (lan_switch >= 0) close(lan_switch);
  lan_switch = -1;
}

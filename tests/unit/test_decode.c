/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Decoding without a kernel: each case writes a rule's expressions in a
 * small notation close to `nft --debug=netlink`, the test builds them with
 * libnftnl, serializes the rule (and the sets it uses) into netlink messages,
 * parses them back, decodes into the model, renders and compares with the
 * text nft 1.0.6 printed for the same expressions (recorded from a kernel).
 *
 * Data words: x:HEX (bytes in memory order), s:TEXT (no NUL), s16:TEXT
 * (NUL-padded to 16), u32:N (host order), u8:N, be16:N, ip:A.B.C.D, ip6:ADDR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/rule.h>
#include <libnftnl/expr.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>

#include "model/nft/from_nftnl.h"
#include "model/syntax/rule_text.h"

struct tset {
	const char *name;
	uint32_t flags;		/* NFT_SET_* */
	uint32_t klen, dlen;
	const char *elems;	/* "KEY[~KEY_END][,end][=DATA[+DATA]] ..." separated by spaces */
};

struct tcase {
	const char *name;
	int family;
	const char *exprs;	/* one expression per line */
	const char *comment;
	const char *want;
	struct tset sets[2];
};

#define NO_SETS { { NULL, 0, 0, 0, NULL } }

static const struct tcase cases[] = {
	{ "iifname exact + tcp dport + counter + dnat", NSH_FAM_IP,
	  "meta load iifname => reg 1\ncmp eq reg 1 s16:eth0\n"
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 2b @ transport header + 2 => reg 1\ncmp eq reg 1 be16:80\n"
	  "counter 3 180\nimmediate reg 1 ip:192.0.2.10\n"
	  "nat dnat ip addr_min reg 1 addr_max reg 1 flags 1",
	  NULL, "iifname \"eth0\" tcp dport 80 counter packets 3 bytes 180 dnat to 192.0.2.10",
	  NO_SETS },
	{ "wildcard ifname, != , udp, port dnat", NSH_FAM_IP,
	  "meta load iifname => reg 1\ncmp neq reg 1 s:wlan\n"
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:17\n"
	  "payload load 2b @ transport header + 2 => reg 1\ncmp eq reg 1 be16:53\n"
	  "immediate reg 1 ip:192.0.2.1\nimmediate reg 2 be16:5353\n"
	  "nat dnat ip addr_min reg 1 addr_max reg 1 proto_min reg 2 proto_max reg 2 flags 3",
	  NULL, "iifname != \"wlan*\" udp dport 53 dnat to 192.0.2.1:5353", NO_SETS },
	{ "port range (cmp gte+lte), address and port ranges", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 2b @ transport header + 2 => reg 1\n"
	  "cmp gte reg 1 be16:1000\ncmp lte reg 1 be16:2000\n"
	  "immediate reg 1 ip:192.0.2.24\nimmediate reg 2 ip:192.0.2.30\n"
	  "immediate reg 3 be16:3000\nimmediate reg 4 be16:4000\n"
	  "nat dnat ip addr_min reg 1 addr_max reg 2 proto_min reg 3 proto_max reg 4 flags 7",
	  NULL, "tcp dport 1000-2000 dnat to 192.0.2.24-192.0.2.30:3000-4000 random", NO_SETS },
	{ "range expression: != 10-20", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 2b @ transport header + 2 => reg 1\nrange neq reg 1 be16:10 be16:20\n"
	  "counter 0 0", NULL, "tcp dport != 10-20 counter packets 0 bytes 0", NO_SETS },
	{ "comparisons < > <= >=", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 2b @ transport header + 2 => reg 1\ncmp lt reg 1 be16:1024\n"
	  "payload load 2b @ transport header + 0 => reg 1\ncmp gte reg 1 be16:50000\n"
	  "meta load mark => reg 1\ncmp gt reg 1 u32:7\n"
	  "ct load mark => reg 1\ncmp lte reg 1 u32:9",
	  NULL, "tcp dport < 1024 tcp sport >= 50000 meta mark > 0x00000007 ct mark <= 0x00000009",
	  NO_SETS },
	{ "host-order comparisons go through byteorder", NSH_FAM_IP,
	  "meta load mark => reg 1\nbyteorder reg 1 = hton(reg 1, 4, 4)\ncmp gt reg 1 x:00000007\n"
	  "ct load mark => reg 1\nbyteorder reg 1 = hton(reg 1, 4, 4)\n"
	  "range neq reg 1 x:00000010 x:00000020",
	  NULL, "meta mark > 0x00000007 ct mark != 0x00000010-0x00000020", NO_SETS },
	{ "byte-aligned prefix as a short payload load", NSH_FAM_IP,
	  "payload load 3b @ network header + 12 => reg 1\ncmp eq reg 1 x:c63364\n"
	  "payload load 1b @ network header + 16 => reg 1\ncmp neq reg 1 x:0a\n"
	  "immediate reg 0 return",
	  NULL, "ip saddr 198.51.100.0/24 ip daddr != 10.0.0.0/8 return", NO_SETS },
	{ "bitwise prefix /23", NSH_FAM_IP,
	  "payload load 3b @ network header + 12 => reg 1\n"
	  "bitwise reg 1 = ( reg 1 & x:fffffe ) ^ x:000000\ncmp eq reg 1 x:cb0070\n"
	  "counter 0 0", NULL, "ip saddr 203.0.112.0/23 counter packets 0 bytes 0", NO_SETS },
	{ "ct state / status bitmasks, direction", NSH_FAM_IP,
	  "ct load state => reg 1\nbitwise reg 1 = ( reg 1 & u32:6 ) ^ u32:0\n"
	  "cmp neq reg 1 u32:0\n"
	  "ct load status => reg 1\nbitwise reg 1 = ( reg 1 & u32:32 ) ^ u32:0\n"
	  "cmp eq reg 1 u32:0\n"
	  "ct load direction => reg 1\ncmp eq reg 1 u8:1\nimmediate reg 0 accept",
	  NULL, "ct state established,related ct status ! dnat ct direction reply accept",
	  NO_SETS },
	{ "fib daddr type, meta mark, ct mark", NSH_FAM_IP,
	  "fib daddr type => reg 1\ncmp eq reg 1 u32:2\n"
	  "meta load mark => reg 1\ncmp neq reg 1 u32:3\n"
	  "ct load mark => reg 1\ncmp eq reg 1 u32:1\nimmediate reg 0 drop",
	  NULL, "fib daddr type local meta mark != 0x00000003 ct mark 0x00000001 drop", NO_SETS },
	{ "explicit l4proto kept when nothing depends on it", NSH_FAM_IP,
	  "meta load oifname => reg 1\ncmp eq reg 1 s16:ppp0\n"
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "immediate reg 1 be16:1024\nimmediate reg 2 be16:65535\n"
	  "masq proto_min reg 1 proto_max reg 2 flags 18",
	  NULL, "oifname \"ppp0\" meta l4proto tcp masquerade to :1024-65535 fully-random",
	  NO_SETS },
	{ "th under a single tcp context reads as tcp", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "meta load mark => reg 1\ncmp eq reg 1 u32:1\n"
	  "payload load 2b @ transport header + 2 => reg 1\ncmp eq reg 1 be16:22\n"
	  "counter 0 0",
	  NULL, "meta mark 0x00000001 tcp dport 22 counter packets 0 bytes 0", NO_SETS },
	{ "a statement between dependency and port keeps the dependency", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:17\ncounter 0 0\n"
	  "payload load 2b @ transport header + 2 => reg 1\ncmp eq reg 1 be16:80",
	  NULL, "meta l4proto udp counter packets 0 bytes 0 udp dport 80", NO_SETS },
	{ "ip protocol as the dependency", NSH_FAM_IP,
	  "payload load 1b @ network header + 9 => reg 1\ncmp eq reg 1 u8:17\n"
	  "payload load 2b @ transport header + 0 => reg 1\ncmp eq reg 1 be16:53\n"
	  "immediate reg 0 return", NULL, "udp sport 53 return", NO_SETS },
	{ "th without context stays th", NSH_FAM_IP,
	  "payload load 2b @ transport header + 2 => reg 1\ncmp eq reg 1 be16:9000\n"
	  "counter 1 2", "any transport",
	  "th dport 9000 counter packets 1 bytes 2 comment \"any transport\"", NO_SETS },
	{ "anonymous set of ports with intervals", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 2b @ transport header + 2 => reg 1\nlookup reg 1 set __set1\n"
	  "immediate reg 0 accept",
	  NULL, "tcp dport { 22, 80-90, 443, 1000-2000 } accept",
	  { { "__set1", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL, 2, 0,
	      "be16:2001,end be16:1000 be16:444,end be16:443 be16:91,end be16:80 "
	      "be16:23,end be16:22 be16:0,end" } } },
	{ "negated anonymous set, sorted", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:17\n"
	  "payload load 2b @ transport header + 2 => reg 1\nlookup reg 1 set __set2 inv\n"
	  "immediate reg 0 return",
	  NULL, "udp dport != { 53, 123 } return",
	  { { "__set2", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT, 2, 0, "be16:123 be16:53" } } },
	{ "address set with prefixes from intervals", NSH_FAM_IP,
	  "payload load 4b @ network header + 12 => reg 1\nlookup reg 1 set __set4\n"
	  "counter 0 0\nimmediate reg 0 return",
	  NULL, "ip saddr { 192.0.2.1-192.0.2.5, 198.51.100.0/25, 203.0.113.0/24 } "
		"counter packets 0 bytes 0 return",
	  { { "__set4", NFT_SET_ANONYMOUS | NFT_SET_INTERVAL, 4, 0,
	      "ip:203.0.114.0,end ip:203.0.113.0 ip:198.51.100.128,end ip:198.51.100.0 "
	      "ip:192.0.2.6,end ip:192.0.2.1 ip:0.0.0.0,end" } } },
	{ "ifname set sorted in host byte order", NSH_FAM_IP,
	  "meta load iifname => reg 1\nlookup reg 1 set __set8\ncounter 0 0",
	  NULL, "iifname { \"aaa\", \"wan0\", \"eth1\" } counter packets 0 bytes 0",
	  { { "__set8", NFT_SET_ANONYMOUS, 16, 0, "s16:eth1 s16:wan0 s16:aaa" } } },
	{ "named set, negated", NSH_FAM_IP,
	  "payload load 4b @ network header + 12 => reg 1\nlookup reg 1 set blocked inv\n"
	  "immediate reg 0 drop",
	  NULL, "ip saddr != @blocked drop",
	  { { "blocked", NFT_SET_INTERVAL, 4, 0, "ip:203.0.113.0 ip:203.0.113.16,end" } } },
	{ "ct state and fib type sets", NSH_FAM_IP,
	  "ct load state => reg 1\nlookup reg 1 set __s\n"
	  "fib saddr type => reg 1\nlookup reg 1 set __f",
	  NULL, "ct state { established, related, new } fib saddr type { unicast, local }",
	  { { "__s", NFT_SET_ANONYMOUS, 4, 0, "u32:8 u32:2 u32:4" },
	    { "__f", NFT_SET_ANONYMOUS, 4, 0, "u32:2 u32:1" } } },
	{ "numgen map", NSH_FAM_IP,
	  "numgen reg 1 = random mod 2\nlookup reg 1 set __map0 dreg 1\n"
	  "nat dnat ip addr_min reg 1 addr_max reg 1 flags 1",
	  NULL, "dnat to numgen random mod 2 map { 0 : 192.0.2.21, 1 : 192.0.2.22 }",
	  { { "__map0", NFT_SET_ANONYMOUS | NFT_SET_MAP, 4, 4,
	      "u32:1=ip:192.0.2.22 u32:0=ip:192.0.2.21" } } },
	{ "numgen inc with offset", NSH_FAM_IP,
	  "numgen reg 1 = inc mod 2 offset 5\nlookup reg 1 set __m dreg 1\n"
	  "nat dnat ip addr_min reg 1 addr_max reg 1 flags 1",
	  NULL, "dnat to numgen inc mod 2 offset 5 map { 5 : 192.0.2.1, 6 : 192.0.2.2 }",
	  { { "__m", NFT_SET_ANONYMOUS | NFT_SET_MAP, 4, 4,
	      "u32:6=ip:192.0.2.2 u32:5=ip:192.0.2.1" } } },
	{ "port -> address . port map (concatenated data)", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 2b @ transport header + 2 => reg 1\nlookup reg 1 set __map2 dreg 1\n"
	  "nat dnat ip addr_min reg 1 addr_max reg 1 proto_min reg 9 proto_max reg 9 flags 3",
	  NULL, "dnat ip to tcp dport map { 80 : 192.0.2.1 . 8080, 443 : 192.0.2.2 . 8443 }",
	  { { "__map2", NFT_SET_ANONYMOUS | NFT_SET_MAP, 2, 8,
	      "be16:443=ip:192.0.2.2+be16:8443 be16:80=ip:192.0.2.1+be16:8080" } } },
	{ "ip6 concatenated map", NSH_FAM_IP6,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 2b @ transport header + 2 => reg 1\nlookup reg 1 set __m6 dreg 1\n"
	  "nat dnat ip6 addr_min reg 1 addr_max reg 1 proto_min reg 12 proto_max reg 12 flags 3",
	  NULL, "dnat ip6 to tcp dport map { 80 : 2001:db8::1 . 8080 }",
	  { { "__m6", NFT_SET_ANONYMOUS | NFT_SET_MAP, 2, 20,
	      "be16:80=ip6:2001:db8::1+be16:8080" } } },
	{ "nat prefix and flags", NSH_FAM_IP,
	  "immediate reg 1 ip:192.0.2.0\nimmediate reg 2 ip:192.0.2.15\n"
	  "nat dnat ip addr_min reg 1 addr_max reg 2 flags 25",
	  NULL, "dnat to 192.0.2.0/28 fully-random,persistent", NO_SETS },
	{ "snat address + port, random", NSH_FAM_IP,
	  "meta load oifname => reg 1\ncmp eq reg 1 s16:eth4\n"
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:17\n"
	  "payload load 2b @ transport header + 0 => reg 1\ncmp eq reg 1 be16:53\n"
	  "immediate reg 1 ip:198.51.100.1\nimmediate reg 2 be16:1024\nimmediate reg 3 be16:2048\n"
	  "nat snat ip addr_min reg 1 addr_max reg 1 proto_min reg 2 proto_max reg 3 flags 7",
	  NULL, "oifname \"eth4\" udp sport 53 snat to 198.51.100.1:1024-2048 random", NO_SETS },
	{ "redirect, masquerade flags", NSH_FAM_IP,
	  "immediate reg 1 be16:3128\nredir proto_min reg 1 proto_max reg 1 flags 2\n",
	  NULL, "redirect to :3128", NO_SETS },
	{ "masquerade random,persistent", NSH_FAM_IP,
	  "masq flags 12", NULL, "masquerade random,persistent", NO_SETS },
	{ "ip6 with brackets only when a port follows", NSH_FAM_IP6,
	  "immediate reg 1 ip6:2001:db8::20\nimmediate reg 2 ip6:2001:db8::2f\n"
	  "immediate reg 3 be16:80\nimmediate reg 4 be16:90\n"
	  "nat dnat ip6 addr_min reg 1 addr_max reg 2 proto_min reg 3 proto_max reg 4 flags 3",
	  NULL, "dnat to 2001:db8::20/124:80-90", NO_SETS },
	{ "ip6 range with port", NSH_FAM_IP6,
	  "immediate reg 1 ip6:2001:db8::1\nimmediate reg 2 ip6:2001:db8::3\n"
	  "immediate reg 3 be16:80\n"
	  "nat dnat ip6 addr_min reg 1 addr_max reg 2 proto_min reg 3 proto_max reg 3 flags 3",
	  NULL, "dnat to [2001:db8::1]-[2001:db8::3]:80", NO_SETS },
	{ "ip6 prefix match, nexthdr", NSH_FAM_IP6,
	  "payload load 6b @ network header + 8 => reg 1\ncmp eq reg 1 x:20010db80001\n"
	  "payload load 1b @ network header + 6 => reg 1\ncmp eq reg 1 u8:6\n"
	  "counter 0 0",
	  NULL, "ip6 saddr 2001:db8:1::/48 ip6 nexthdr tcp counter packets 0 bytes 0", NO_SETS },
	{ "inet: nfproto hidden before ip payload", NSH_FAM_INET,
	  "meta load nfproto => reg 1\ncmp eq reg 1 u8:2\n"
	  "payload load 4b @ network header + 12 => reg 1\ncmp eq reg 1 ip:1.2.3.4\n"
	  "immediate reg 1 ip:192.0.2.1\nnat dnat ip addr_min reg 1 addr_max reg 1 flags 1",
	  NULL, "ip saddr 1.2.3.4 dnat ip to 192.0.2.1", NO_SETS },
	{ "inet: nfproto kept when only a transport port follows", NSH_FAM_INET,
	  "meta load nfproto => reg 1\ncmp eq reg 1 u8:10\n"
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 2b @ transport header + 2 => reg 1\ncmp eq reg 1 be16:80\n"
	  "immediate reg 1 ip6:2001:db8::10\nimmediate reg 2 be16:8080\n"
	  "nat dnat ip6 addr_min reg 1 addr_max reg 1 proto_min reg 2 proto_max reg 2 flags 3",
	  NULL, "meta nfproto ipv6 tcp dport 80 dnat ip6 to [2001:db8::10]:8080", NO_SETS },
	{ "jump and goto", NSH_FAM_IP,
	  "payload load 3b @ network header + 12 => reg 1\ncmp eq reg 1 x:c00002\n"
	  "immediate reg 0 jump custom", NULL, "ip saddr 192.0.2.0/24 jump custom", NO_SETS },
	{ "goto", NSH_FAM_IP, "immediate reg 0 goto other", NULL, "goto other", NO_SETS },
	{ "meta mark set (opaque but readable)", NSH_FAM_IP,
	  "immediate reg 1 u32:1\nmeta set mark with reg 1", NULL, "meta mark set 0x00000001",
	  NO_SETS },
	{ "xt target (iptables-nft)", NSH_FAM_IP,
	  "counter 0 0\ntarget MASQUERADE", NULL,
	  "counter packets 0 bytes 0 xt target MASQUERADE", NO_SETS },
	{ "masked compare of a mark stays readable", NSH_FAM_IP,
	  "meta load mark => reg 1\nbitwise reg 1 = ( reg 1 & u32:255 ) ^ u32:0\n"
	  "cmp eq reg 1 u32:1", NULL, "meta mark & 0x000000ff == 0x00000001", NO_SETS },
	{ "concatenation lookup (opaque text)", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 4b @ network header + 12 => reg 1\n"
	  "payload load 2b @ transport header + 2 => reg 9\nlookup reg 1 set __c",
	  NULL, "ip saddr . tcp dport { 1.2.3.4 . 22 }",
	  { { "__c", NFT_SET_ANONYMOUS, 8, 0, "x:0102030400160000" } } },
	{ "inet: ip protocol is not hidden but gives th its protocol", NSH_FAM_INET,
	  "meta load nfproto => reg 1\ncmp eq reg 1 u8:2\n"
	  "payload load 1b @ network header + 9 => reg 1\ncmp eq reg 1 u8:17\n"
	  "payload load 2b @ transport header + 2 => reg 1\ncmp eq reg 1 be16:22",
	  NULL, "ip protocol udp udp dport 22", NO_SETS },
	{ "iptables-nft MASQUERADE (compat range) with ports", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:17\ncounter 0 0\n"
	  "target MASQUERADE 0 x:0100000012000000000000000000000004000800",
	  NULL, "meta l4proto udp counter packets 0 bytes 0 masquerade to :1024-2048 fully-random",
	  NO_SETS },
	{ "iptables-nft DNAT rev 2", NSH_FAM_IP,
	  "target DNAT 2 x:03000000c000020a000000000000000000000000c000020a000000000000000000000000"
	  "1f901f900000",
	  NULL, "dnat to 192.0.2.10:8080", NO_SETS },
	{ "iptables-nft multiport and comment matches", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "match multiport 1 x:010216001700000000000000000000000000000000000000000000000000"
	  "000000000000000000000000000000000000\n"
	  "match comment 0 x:6869\ncounter 0 0\ntarget REDIRECT 0 "
	  "x:0100000002000000000000000000000008ae08ae",
	  NULL, "meta l4proto tcp tcp dport { 22, 23 }  counter packets 0 bytes 0 redirect to :2222",
	  NO_SETS },
	/* interval sets and maps below: elements as nft 1.0.6 wrote them (--debug=netlink) */
	{ "interface names in an interval set: exact and wildcard", NSH_FAM_IP,
	  "meta load iifname => reg 1\nlookup reg 1 set __set0\n"
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 2b @ transport header + 2 => reg 1\ncmp eq reg 1 be16:22\n"
	  "counter 0 0\nimmediate reg 1 ip:192.0.2.22\nnat dnat ip addr_min reg 1",
	  NULL, "iifname { \"eth0\", \"wlan*\" } tcp dport 22 counter packets 0 bytes 0 "
		"dnat to 192.0.2.22",
	  { { "__set0", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL, 16, 0,
	      "x:00000000000000000000000000000000,end s16:eth0 "
	      "x:65746830000000000000000000000001,end s16:wlan s16:wlao,end" } } },
	{ "interface names in a negated interval set, byte order", NSH_FAM_IP,
	  "meta load iifname => reg 1\nlookup reg 1 set __set1 inv\nimmediate reg 0 accept",
	  NULL, "iifname != { \"ab1\", \"eth*\", \"wlan0\", \"zz*\" } accept",
	  { { "__set1", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL, 16, 0,
	      "s16:zz s16:z{,end x:00000000000000000000000000000000,end s16:ab1 "
	      "x:61623100000000000000000000000001,end s16:eth s16:eti,end s16:wlan0 "
	      "x:776c616e300000000000000000000001,end" } } },
	{ "numgen through hton into an interval map", NSH_FAM_IP,
	  "counter 0 0\nnumgen reg 1 = random mod 4\nbyteorder reg 1 = hton(reg 1, 4, 4)\n"
	  "lookup reg 1 set __map0 dreg 1\nnat dnat ip addr_min reg 1",
	  NULL, "counter packets 0 bytes 0 dnat to numgen random mod 4 map "
		"{ 0-1 : 192.0.2.1, 2-3 : 192.0.2.2 }",
	  { { "__map0", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL | NFT_SET_MAP,
	      4, 4, "x:00000000=ip:192.0.2.1 x:00000002=ip:192.0.2.2 x:00000004,end" } } },
	{ "ct state != (cmp neq) and ! (bitwise, cmp eq 0) as nft lists them", NSH_FAM_IP,
	  "ct load state => reg 1\ncmp neq reg 1 u32:2\n"
	  "ct load state => reg 1\nbitwise reg 1 = ( reg 1 & u32:2 ) ^ u32:0\ncmp eq reg 1 u32:0\n"
	  "ct load state => reg 1\ncmp eq reg 1 u32:2\n"
	  "ct load status => reg 1\ncmp neq reg 1 u32:48",
	  NULL, "ct state != established ct state ! established ct state == established "
	  "ct status != snat | dnat", NO_SETS },
	{ "numgen match (iptables statistic nth)", NSH_FAM_IP,
	  "numgen reg 1 = inc mod 3\ncmp eq reg 1 u32:0\ncounter 0 0\nimmediate reg 0 return",
	  NULL, "numgen inc mod 3 0 counter packets 0 bytes 0 return", NO_SETS },
	{ "numgen match with offset, negated", NSH_FAM_IP,
	  "numgen reg 1 = inc mod 3 offset 5\ncmp neq reg 1 u32:7",
	  NULL, "numgen inc mod 3 offset 5 != 7", NO_SETS },
	{ "numgen match on a range (hton, gte, lte)", NSH_FAM_IP,
	  "numgen reg 1 = inc mod 4\nbyteorder reg 1 = hton(reg 1, 4, 4)\n"
	  "cmp gte reg 1 x:00000001\ncmp lte reg 1 x:00000002",
	  NULL, "numgen inc mod 4 1-2", NO_SETS },
	{ "numgen match on a set", NSH_FAM_IP,
	  "numgen reg 1 = random mod 4\nlookup reg 1 set __s",
	  NULL, "numgen random mod 4 { 0, 2 }",
	  { { "__s", NFT_SET_ANONYMOUS, 4, 0, "u32:0 u32:2" } } },
	{ "meta mark through hton into an interval map", NSH_FAM_IP,
	  "meta load mark => reg 1\nbyteorder reg 1 = hton(reg 1, 4, 4)\n"
	  "lookup reg 1 set __map1 dreg 1\nnat dnat ip addr_min reg 1",
	  NULL, "dnat to meta mark map { 0x00000001-0x00000005 : 192.0.2.1, "
		"0x00000006 : 192.0.2.2 }",
	  { { "__map1", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL | NFT_SET_MAP,
	      4, 4, "x:00000000,end x:00000001=ip:192.0.2.1 x:00000006=ip:192.0.2.2 "
	      "x:00000007,end" } } },
	{ "interval map: the next range starts where one ends", NSH_FAM_IP,
	  "counter 0 0\nmeta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 2b @ transport header + 2 => reg 1\nlookup reg 1 set __map2 dreg 1\n"
	  "nat dnat ip addr_min reg 1",
	  NULL, "counter packets 0 bytes 0 dnat to tcp dport map "
		"{ 1-100 : 192.0.2.1, 101-200 : 192.0.2.2 }",
	  { { "__map2", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL | NFT_SET_MAP,
	      2, 4, "be16:0,end be16:1=ip:192.0.2.1 be16:101=ip:192.0.2.2 be16:201,end" } } },
	{ "interval map: the last range runs to the end (no end element)", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 2b @ transport header + 2 => reg 1\nlookup reg 1 set __map3 dreg 1\n"
	  "nat dnat ip addr_min reg 1",
	  NULL, "dnat to tcp dport map { 1-100 : 192.0.2.1, 101-65535 : 192.0.2.2 }",
	  { { "__map3", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL | NFT_SET_MAP,
	      2, 4, "be16:0,end be16:1=ip:192.0.2.1 be16:101=ip:192.0.2.2" } } },
	{ "interval map: touching prefixes", NSH_FAM_IP,
	  "payload load 4b @ network header + 12 => reg 1\nlookup reg 1 set __map4 dreg 1\n"
	  "nat dnat ip addr_min reg 1",
	  NULL, "dnat to ip saddr map { 192.0.2.0/25 : 198.51.100.1, "
		"192.0.2.128/25 : 198.51.100.2 }",
	  { { "__map4", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL | NFT_SET_MAP,
	      4, 4, "ip:0.0.0.0,end ip:192.0.2.0=ip:198.51.100.1 "
	      "ip:192.0.2.128=ip:198.51.100.2 ip:192.0.3.0,end" } } },
	{ "host-order interval set after hton", NSH_FAM_IP,
	  "meta load mark => reg 1\nbyteorder reg 1 = hton(reg 1, 4, 4)\n"
	  "lookup reg 1 set __set2\nimmediate reg 0 accept",
	  NULL, "meta mark { 0x00000001-0x00000005, 0x00000100 } accept",
	  { { "__set2", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL, 4, 0,
	      "x:00000000,end x:00000001 x:00000006,end x:00000100 x:00000101,end" } } },
	{ "concatenation hash set in nft's order (whole key, host order)", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 4b @ network header + 12 => reg 1\n"
	  "payload load 2b @ transport header + 2 => reg 9\nlookup reg 1 set __c2\n"
	  "immediate reg 0 accept",
	  NULL, "ip saddr . tcp dport { 1.1.1.1 . 22, 3.3.3.3 . 22, 1.1.1.1 . 80, "
		"1.1.1.2 . 80, 2.2.2.2 . 80 } accept",
	  { { "__c2", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_CONCAT, 8, 0,
	      "x:0202020200500000 x:0101010200500000 x:0101010100160000 "
	      "x:0303030300160000 x:0101010100500000" } } },
	{ "concatenation of ranges and prefixes, in the kernel's order", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 4b @ network header + 12 => reg 1\n"
	  "payload load 2b @ transport header + 2 => reg 9\nlookup reg 1 set __c3 inv\n"
	  "immediate reg 0 accept",
	  NULL, "ip saddr . tcp dport != { 192.0.2.0/24 . 22-25, 10.0.0.1 . 80, "
		"10.0.0.0/8 . 1-2 } accept",
	  { { "__c3", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL | NFT_SET_CONCAT,
	      8, 0, "x:c000020000160000~x:c00002ff00190000 x:0a00000100500000~x:0a00000100500000 "
	      "x:0a00000000010000~x:0affffff00020000" } } },
	{ "concatenation with an interface wildcard (ip6)", NSH_FAM_IP6,
	  "meta load iifname => reg 1\npayload load 16b @ network header + 8 => reg 2\n"
	  "lookup reg 1 set __c4\nimmediate reg 0 accept",
	  NULL, "iifname . ip6 saddr { \"eth*\" . 2001:db8::/64 } accept",
	  { { "__c4", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL | NFT_SET_CONCAT,
	      32, 0, "x:6574680000000000000000000000000020010db8000000000000000000000000~"
	      "x:657468ffffffffffffffffffffffffff20010db800000000ffffffffffffffff" } } },
	/* keys outside SPEC 5 (opaque), as nft 1.0.6 lists them */
	{ "icmp type by name, the l4proto dependency hidden", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:1\n"
	  "payload load 1b @ transport header + 0 => reg 1\n"
	  "cmp eq reg 1 u8:8\nimmediate reg 0 accept",
	  NULL, "icmp type echo-request accept", NO_SETS },
	{ "icmp type set: names, numbers, sorted", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:1\n"
	  "payload load 1b @ transport header + 0 => reg 1\n"
	  "lookup reg 1 set __i1 inv\nimmediate reg 0 accept",
	  NULL, "icmp type != { echo-reply, echo-request, 44 } accept",
	  { { "__i1", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT, 1, 0, "u8:8 u8:44 u8:0" } } },
	{ "icmp type range (gte + lte) in numbers, range expression negated", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:1\n"
	  "payload load 1b @ transport header + 0 => reg 1\n"
	  "cmp gte reg 1 u8:3\ncmp lte reg 1 u8:5\n"
	  "range neq reg 1 u8:9 u8:10",
	  NULL, "icmp type 3-5 icmp type != 9-10", NO_SETS },
	{ "icmp type and code from one two-byte load; ip protocol hidden in ip", NSH_FAM_IP,
	  "payload load 1b @ network header + 9 => reg 1\ncmp eq reg 1 u8:1\n"
	  "payload load 2b @ transport header + 0 => reg 1\ncmp eq reg 1 x:0800\n"
	  "immediate reg 0 accept",
	  NULL, "icmp type echo-request icmp code net-unreachable accept", NO_SETS },
	{ "icmp type >= name", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:1\n"
	  "payload load 1b @ transport header + 0 => reg 1\n"
	  "cmp gte reg 1 u8:5",
	  NULL, "icmp type >= redirect", NO_SETS },
	{ "inet: icmp type hides both nfproto and l4proto", NSH_FAM_INET,
	  "meta load nfproto => reg 1\ncmp eq reg 1 u8:2\n"
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:1\n"
	  "payload load 1b @ transport header + 0 => reg 1\ncmp eq reg 1 u8:8\n"
	  "immediate reg 0 accept",
	  NULL, "icmp type echo-request accept", NO_SETS },
	{ "icmpv6 type", NSH_FAM_IP6,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:58\n"
	  "payload load 1b @ transport header + 0 => reg 1\n"
	  "cmp eq reg 1 u8:135\ncounter 0 0\nimmediate reg 0 accept",
	  NULL, "icmpv6 type nd-neighbor-solicit counter packets 0 bytes 0 accept", NO_SETS },
	{ "tcp flags: any of a mask, none of a mask", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 1b @ transport header + 13 => reg 1\n"
	  "bitwise reg 1 = ( reg 1 & x:12 ) ^ x:00\ncmp neq reg 1 x:00\n"
	  "payload load 1b @ transport header + 13 => reg 1\n"
	  "bitwise reg 1 = ( reg 1 & x:02 ) ^ x:00\ncmp eq reg 1 x:00",
	  NULL, "tcp flags syn,ack tcp flags ! syn", NO_SETS },
	{ "tcp flags: value / mask, single-flag mask", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 1b @ transport header + 13 => reg 1\n"
	  "bitwise reg 1 = ( reg 1 & x:12 ) ^ x:00\ncmp eq reg 1 x:02\n"
	  "payload load 1b @ transport header + 13 => reg 1\n"
	  "bitwise reg 1 = ( reg 1 & x:17 ) ^ x:00\ncmp neq reg 1 x:02\n"
	  "payload load 1b @ transport header + 13 => reg 1\n"
	  "bitwise reg 1 = ( reg 1 & x:01 ) ^ x:00\ncmp eq reg 1 x:01",
	  NULL, "tcp flags syn / syn,ack tcp flags != syn / fin,syn,rst,ack "
		"tcp flags & fin == fin", NO_SETS },
	{ "tcp flags compared whole", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 1b @ transport header + 13 => reg 1\n"
	  "cmp eq reg 1 x:02\n"
	  "payload load 1b @ transport header + 13 => reg 1\n"
	  "cmp neq reg 1 x:12\n"
	  "payload load 1b @ transport header + 13 => reg 1\n"
	  "cmp eq reg 1 x:00",
	  NULL, "tcp flags == syn tcp flags != 0x12 tcp flags == 0x0", NO_SETS },
	{ "a set on a load nft has no name for here: raw payload and values", NSH_FAM_IP,
	  "meta load l4proto => reg 1\ncmp eq reg 1 u8:6\n"
	  "payload load 1b @ transport header + 13 => reg 1\n"
	  "lookup reg 1 set __r\nimmediate reg 0 accept",
	  NULL, "meta l4proto tcp @th,104,8 { 0x02, 0x12 } accept",
	  { { "__r", NFT_SET_ANONYMOUS | NFT_SET_CONSTANT, 1, 0, "x:12 x:02" } } },
	{ "l4proto names", NSH_FAM_IP,
	  "meta load l4proto => reg 1\nlookup reg 1 set __p", NULL,
	  "meta l4proto { icmp, gre, esp }",
	  { { "__p", NFT_SET_ANONYMOUS, 1, 0, "u8:50 u8:1 u8:47" } } },
};

/* Parse one data word into buf; returns its length. */
static size_t parse_data(const char *w, uint8_t *buf)
{
	uint32_t u;
	uint16_t s;
	size_t n = 0;

	memset(buf, 0, 32);
	if (strncmp(w, "x:", 2) == 0) {
		for (w += 2; w[0] && w[1]; w += 2) {
			unsigned v;

			sscanf(w, "%2x", &v);
			buf[n++] = (uint8_t)v;
		}
		return n;
	}
	if (strncmp(w, "s16:", 4) == 0) {
		strncpy((char *)buf, w + 4, 16);
		return 16;
	}
	if (strncmp(w, "s:", 2) == 0) {
		memcpy(buf, w + 2, strlen(w + 2));
		return strlen(w + 2);
	}
	if (strncmp(w, "u32:", 4) == 0) {
		u = (uint32_t)strtoul(w + 4, NULL, 0);
		memcpy(buf, &u, 4);
		return 4;
	}
	if (strncmp(w, "u8:", 3) == 0) {
		buf[0] = (uint8_t)strtoul(w + 3, NULL, 0);
		return 1;
	}
	if (strncmp(w, "be16:", 5) == 0) {
		s = htons((uint16_t)strtoul(w + 5, NULL, 0));
		memcpy(buf, &s, 2);
		return 2;
	}
	if (strncmp(w, "ip:", 3) == 0) {
		assert_int_equal(inet_pton(AF_INET, w + 3, buf), 1);
		return 4;
	}
	if (strncmp(w, "ip6:", 4) == 0) {
		assert_int_equal(inet_pton(AF_INET6, w + 4, buf), 1);
		return 16;
	}
	fail_msg("bad data word %s", w);
	return 0;
}

static uint32_t reg_num(const char *w)
{
	return (uint32_t)strtoul(w, NULL, 10);
}

/* Value of the word after key in words[], or NULL. */
static const char *after(char **w, int n, const char *key)
{
	int i;

	for (i = 0; i + 1 < n; i++)
		if (strcmp(w[i], key) == 0)
			return strcmp(w[i + 1], "reg") == 0 && i + 2 < n ? w[i + 2] : w[i + 1];
	return NULL;
}

static uint32_t meta_key(const char *k)
{
	if (!strcmp(k, "iifname"))	return NFT_META_IIFNAME;
	if (!strcmp(k, "oifname"))	return NFT_META_OIFNAME;
	if (!strcmp(k, "l4proto"))	return NFT_META_L4PROTO;
	if (!strcmp(k, "mark"))		return NFT_META_MARK;
	if (!strcmp(k, "nfproto"))	return NFT_META_NFPROTO;
	fail_msg("meta key %s", k);
	return 0;
}

static uint32_t ct_key(const char *k)
{
	if (!strcmp(k, "state"))	return NFT_CT_STATE;
	if (!strcmp(k, "status"))	return NFT_CT_STATUS;
	if (!strcmp(k, "mark"))		return NFT_CT_MARK;
	if (!strcmp(k, "direction"))	return NFT_CT_DIRECTION;
	fail_msg("ct key %s", k);
	return 0;
}

static uint32_t cmp_op(const char *o)
{
	static const char *const ops[] = { "eq", "neq", "lt", "lte", "gt", "gte" };
	uint32_t i;

	for (i = 0; i < 6; i++)
		if (!strcmp(o, ops[i]))
			return i;
	fail_msg("cmp op %s", o);
	return 0;
}

static void set_data(struct nftnl_expr *e, uint16_t attr, const char *word)
{
	uint8_t buf[32];
	size_t n = parse_data(word, buf);

	nftnl_expr_set(e, attr, buf, (uint32_t)n);
}

static void nat_regs(struct nftnl_expr *e, char **w, int n, uint16_t amin, uint16_t amax,
		     uint16_t pmin, uint16_t pmax, uint16_t flags)
{
	const char *v;

	if (amin && (v = after(w, n, "addr_min")))
		nftnl_expr_set_u32(e, amin, reg_num(v));
	if (amax && (v = after(w, n, "addr_max")))
		nftnl_expr_set_u32(e, amax, reg_num(v));
	if ((v = after(w, n, "proto_min")))
		nftnl_expr_set_u32(e, pmin, reg_num(v));
	if ((v = after(w, n, "proto_max")))
		nftnl_expr_set_u32(e, pmax, reg_num(v));
	if ((v = after(w, n, "flags")))
		nftnl_expr_set_u32(e, flags, (uint32_t)strtoul(v, NULL, 0));
}

/* One line of the notation -> one nftnl expression. */
static struct nftnl_expr *build_expr(char *line)
{
	char *w[24];
	int n = 0;
	struct nftnl_expr *e = NULL;
	const char *v;

	for (char *tok = strtok(line, " "); tok && n < 24; tok = strtok(NULL, " "))
		w[n++] = tok;
	assert_true(n > 0);
	if (!strcmp(w[0], "meta") && !strcmp(w[1], "load")) {
		e = nftnl_expr_alloc("meta");
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, meta_key(w[2]));
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, reg_num(w[5]));
	} else if (!strcmp(w[0], "meta") && !strcmp(w[1], "set")) {
		e = nftnl_expr_alloc("meta");
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, meta_key(w[2]));
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_SREG, reg_num(w[5]));
	} else if (!strcmp(w[0], "payload")) {
		/* payload load Nb @ network|transport header + O => reg R */
		e = nftnl_expr_alloc("payload");
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, (uint32_t)strtoul(w[2], NULL, 10));
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, !strcmp(w[4], "network") ?
				   NFT_PAYLOAD_NETWORK_HEADER : NFT_PAYLOAD_TRANSPORT_HEADER);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, (uint32_t)strtoul(w[7], NULL, 10));
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, reg_num(w[10]));
	} else if (!strcmp(w[0], "cmp")) {
		e = nftnl_expr_alloc("cmp");
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, cmp_op(w[1]));
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, reg_num(w[3]));
		set_data(e, NFTNL_EXPR_CMP_DATA, w[4]);
	} else if (!strcmp(w[0], "range")) {
		e = nftnl_expr_alloc("range");
		nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, !strcmp(w[1], "neq") ?
				   NFT_RANGE_NEQ : NFT_RANGE_EQ);
		nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_SREG, reg_num(w[3]));
		set_data(e, NFTNL_EXPR_RANGE_FROM_DATA, w[4]);
		set_data(e, NFTNL_EXPR_RANGE_TO_DATA, w[5]);
	} else if (!strcmp(w[0], "bitwise")) {
		/* bitwise reg R = ( reg R & MASK ) ^ XOR */
		uint8_t m[32];
		size_t ml = parse_data(w[8], m);

		e = nftnl_expr_alloc("bitwise");
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, reg_num(w[6]));
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, reg_num(w[2]));
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, (uint32_t)ml);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, m, (uint32_t)ml);
		set_data(e, NFTNL_EXPR_BITWISE_XOR, w[11]);
	} else if (!strcmp(w[0], "ct")) {
		e = nftnl_expr_alloc("ct");
		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, ct_key(w[2]));
		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, reg_num(w[5]));
	} else if (!strcmp(w[0], "fib")) {
		e = nftnl_expr_alloc("fib");
		nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_FLAGS, !strcmp(w[1], "daddr") ?
				   NFTA_FIB_F_DADDR : NFTA_FIB_F_SADDR);
		nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE);
		nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_DREG, reg_num(w[5]));
	} else if (!strcmp(w[0], "lookup")) {
		e = nftnl_expr_alloc("lookup");
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, reg_num(w[2]));
		nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, w[4]);
		if ((v = after(w, n, "dreg")))
			nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, reg_num(v));
		if (!strcmp(w[n - 1], "inv"))
			nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
	} else if (!strcmp(w[0], "byteorder")) {
		/* byteorder reg D = hton(reg S, SIZE, LEN) */
		e = nftnl_expr_alloc("byteorder");
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_DREG, reg_num(w[2]));
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SREG, reg_num(w[5]));
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_HTON);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SIZE, (uint32_t)strtoul(w[6], NULL, 10));
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_LEN, (uint32_t)strtoul(w[7], NULL, 10));
	} else if (!strcmp(w[0], "counter")) {
		e = nftnl_expr_alloc("counter");
		nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_PACKETS, strtoull(w[1], NULL, 10));
		nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_BYTES, strtoull(w[2], NULL, 10));
	} else if (!strcmp(w[0], "immediate")) {
		e = nftnl_expr_alloc("immediate");
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg_num(w[2]));
		if (reg_num(w[2]) != NFT_REG_VERDICT) {
			set_data(e, NFTNL_EXPR_IMM_DATA, w[3]);
		} else {
			static const struct { const char *n; int v; } vs[] = {
				{ "accept", NF_ACCEPT }, { "drop", NF_DROP },
				{ "return", NFT_RETURN }, { "jump", NFT_JUMP }, { "goto", NFT_GOTO },
			};
			for (size_t i = 0; i < 5; i++)
				if (!strcmp(w[3], vs[i].n))
					nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)vs[i].v);
			if (n > 4)
				nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, w[4]);
		}
	} else if (!strcmp(w[0], "nat")) {
		e = nftnl_expr_alloc("nat");
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, !strcmp(w[1], "snat") ?
				   NFT_NAT_SNAT : NFT_NAT_DNAT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, !strcmp(w[2], "ip6") ?
				   NFPROTO_IPV6 : NFPROTO_IPV4);
		nat_regs(e, w, n, NFTNL_EXPR_NAT_REG_ADDR_MIN, NFTNL_EXPR_NAT_REG_ADDR_MAX,
			 NFTNL_EXPR_NAT_REG_PROTO_MIN, NFTNL_EXPR_NAT_REG_PROTO_MAX,
			 NFTNL_EXPR_NAT_FLAGS);
	} else if (!strcmp(w[0], "masq")) {
		e = nftnl_expr_alloc("masq");
		nat_regs(e, w, n, 0, 0, NFTNL_EXPR_MASQ_REG_PROTO_MIN,
			 NFTNL_EXPR_MASQ_REG_PROTO_MAX, NFTNL_EXPR_MASQ_FLAGS);
	} else if (!strcmp(w[0], "redir")) {
		e = nftnl_expr_alloc("redir");
		nat_regs(e, w, n, 0, 0, NFTNL_EXPR_REDIR_REG_PROTO_MIN,
			 NFTNL_EXPR_REDIR_REG_PROTO_MAX, NFTNL_EXPR_REDIR_FLAGS);
	} else if (!strcmp(w[0], "numgen")) {
		/* numgen reg R = random|inc mod M [offset O] */
		e = nftnl_expr_alloc("numgen");
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_DREG, reg_num(w[2]));
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_TYPE, !strcmp(w[4], "random") ?
				   NFT_NG_RANDOM : NFT_NG_INCREMENTAL);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_MODULUS, (uint32_t)strtoul(w[6], NULL, 10));
		if ((v = after(w, n, "offset")))
			nftnl_expr_set_u32(e, NFTNL_EXPR_NG_OFFSET, (uint32_t)strtoul(v, NULL, 10));
	} else if (!strcmp(w[0], "target") || !strcmp(w[0], "match")) {
		/* target|match NAME [REV x:INFO] */
		uint8_t *info = calloc(1, 128);
		size_t il = 0;

		e = nftnl_expr_alloc(w[0]);
		nftnl_expr_set_str(e, w[0][0] == 't' ? NFTNL_EXPR_TG_NAME : NFTNL_EXPR_MT_NAME, w[1]);
		nftnl_expr_set_u32(e, w[0][0] == 't' ? NFTNL_EXPR_TG_REV : NFTNL_EXPR_MT_REV,
				   n > 3 ? (uint32_t)strtoul(w[2], NULL, 10) : 0);
		for (const char *h = n > 3 ? w[3] + 2 : ""; h[0] && h[1] && il < 128; h += 2) {
			unsigned x;

			sscanf(h, "%2x", &x);
			info[il++] = (uint8_t)x;
		}
		/* libnftnl takes ownership of the info blob */
		nftnl_expr_set(e, w[0][0] == 't' ? NFTNL_EXPR_TG_INFO : NFTNL_EXPR_MT_INFO,
			       info, (uint32_t)il);
	}
	assert_non_null(e);
	return e;
}

/* Build the rule, put it through a netlink message and parse it back. */
static struct nftnl_rule *rule_roundtrip(const struct tcase *c, char *msgbuf)
{
	struct nftnl_rule *r = nftnl_rule_alloc(), *back = nftnl_rule_alloc();
	char *text = strdup(c->exprs), *save = NULL, *line;
	struct nlmsghdr *nlh;

	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, "t");
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, "c");
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, (uint32_t)c->family);
	nftnl_rule_set_u64(r, NFTNL_RULE_HANDLE, 42);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		nftnl_rule_add_expr(r, build_expr(line));
	if (c->comment) {
		struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(256);

		assert_true(nftnl_udata_put_strz(ud, NFTNL_UDATA_RULE_COMMENT, c->comment));
		nftnl_rule_set_data(r, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(ud),
				    nftnl_udata_buf_len(ud));
		nftnl_udata_buf_free(ud);
	}
	nlh = nftnl_nlmsg_build_hdr(msgbuf, NFT_MSG_NEWRULE, (uint16_t)c->family, 0, 1);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	assert_int_equal(nftnl_rule_nlmsg_parse(nlh, back), 0);
	nftnl_rule_free(r);
	free(text);
	return back;
}

/*
 * A set's elements through a message shaped like the kernel's GETSETELEM
 * reply (every element an NFTA_LIST_ELEM; libnftnl's own multi-element
 * builder numbers them 1..n, which its parser then rejects) into a rawset.
 */
static void set_roundtrip(const struct tset *ts, int family, struct nsh_rawset *rs, char *msgbuf)
{
	struct nftnl_set *s = nftnl_set_alloc(), *back = nftnl_set_alloc();
	char *text = strdup(ts->elems), *save = NULL, *tok;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nftnl_set_set_str(s, NFTNL_SET_TABLE, "t");
	nftnl_set_set_str(s, NFTNL_SET_NAME, ts->name);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, ts->flags);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, ts->klen);
	if (ts->dlen)
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, ts->dlen);
	nsh_rawset_init(rs, s);
	nlh = nftnl_nlmsg_build_hdr(msgbuf, NFT_MSG_NEWSETELEM, (uint16_t)family, 0, 1);
	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, "t");
	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, ts->name);
	nest = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
	for (tok = strtok_r(text, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		struct nftnl_set_elem *el = nftnl_set_elem_alloc();
		char *eq = strchr(tok, '='), *end = strstr(tok, ",end"), *tilde;
		uint8_t key[32], data[32];
		size_t kl;

		if (eq)
			*eq++ = '\0';
		if (end)
			*end = '\0';
		tilde = strchr(tok, '~');
		if (tilde) {
			*tilde++ = '\0';
			kl = parse_data(tilde, key);
			nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY_END, key, (uint32_t)kl);
		}
		kl = parse_data(tok, key);
		nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, key, (uint32_t)kl);
		if (end)
			nftnl_set_elem_set_u32(el, NFTNL_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
		if (eq) {
			char *plus = strchr(eq, '+');
			size_t dl;

			if (plus)
				*plus++ = '\0';
			dl = parse_data(eq, data);
			if (plus) {
				uint8_t port[32];

				dl = (dl + 3) & ~3u;
				parse_data(plus, port);
				memcpy(data + dl, port, 4);
				dl += 4;
			}
			nftnl_set_elem_set(el, NFTNL_SET_ELEM_DATA, data, (uint32_t)dl);
		}
		nftnl_set_elem_nlmsg_build(nlh, el, NFTA_LIST_ELEM);
		nftnl_set_elem_free(el);
	}
	mnl_attr_nest_end(nlh, nest);
	if (nftnl_set_elems_nlmsg_parse(nlh, back) < 0)
		fail_msg("set %s: its elements message does not parse", ts->name);
	assert_int_equal(nsh_rawset_add_elems(rs, back), 0);
	{	/* the dump reads the message in place: the same elements */
		struct nsh_rawset inplace = { .n = 0 };

		assert_int_equal(nsh_rawset_add_elems_nlmsg(&inplace, nlh), 0);
		assert_int_equal(inplace.n, rs->n);
		assert_memory_equal(inplace.e, rs->e, rs->n * sizeof(*rs->e));
		free(inplace.e);
	}
	nftnl_set_free(s);
	nftnl_set_free(back);
	free(text);
}

struct tsets {
	struct nsh_rawset s[2];
	size_t n;
};

static const struct nsh_rawset *find(void *arg, const char *name)
{
	struct tsets *ts = arg;
	size_t i;

	for (i = 0; i < ts->n; i++)
		if (!strcmp(ts->s[i].name, name))
			return &ts->s[i];
	return NULL;
}

/* Keep the top-level attributes of a rule message. */
static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) <= NFTA_RULE_MAX)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

/*
 * The same message read in place (nsh_rule_from_attrs, what the dump uses)
 * must give the same text, or decline (1) for libnftnl to decode; 1 failure.
 */
static size_t attrs_check(const struct tcase *c, const struct nsh_decode_env *env,
			  const struct nsh_table *t, char *msgbuf, size_t *inplace)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1] = { NULL };
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)msgbuf;
	struct nsh_rule r;
	struct nsh_buf b;
	size_t bad = 0;
	int ret;

	assert_true(mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, tb) >= 0);
	ret = nsh_rule_from_attrs(tb, env, &r);
	assert_true(ret == 0 || ret == 1);
	if (ret == 1)
		return 0;
	(*inplace)++;
	assert_int_equal(r.handle, 42);
	nsh_buf_init(&b);
	nsh_rule_render(t, &r, NSH_RF_COUNTERS | NSH_RF_COMMENT, &b);
	if (strcmp(b.s, c->want) != 0) {
		print_error("case \"%s\" read in place:\n  want: %s\n  got:  %s\n", c->name,
			    c->want, b.s);
		bad = 1;
	}
	nsh_buf_free(&b);
	nsh_rule_clear(&r);
	return bad;
}

static void test_cases(void **state)
{
	static char msgbuf[32768];
	size_t i, j, failures = 0, inplace = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];
		struct tsets sets = { .n = 0 };
		struct nsh_decode_env env = { c->family, find, &sets };
		struct nsh_table t = { .family = (uint8_t)c->family, .name = (char *)"t" };
		struct nftnl_rule *nr;
		struct nsh_rule r;
		struct nsh_buf b;

		for (j = 0; j < 2 && c->sets[j].name; j++)
			set_roundtrip(&c->sets[j], c->family, &sets.s[sets.n++], msgbuf);
		nr = rule_roundtrip(c, msgbuf);
		assert_int_equal(nsh_rule_from_nftnl(nr, &env, &r), 0);
		assert_int_equal(r.handle, 42);
		nsh_buf_init(&b);
		nsh_rule_render(&t, &r, NSH_RF_COUNTERS | NSH_RF_COMMENT, &b);
		if (strcmp(b.s, c->want) != 0) {
			print_error("case \"%s\":\n  want: %s\n  got:  %s\n", c->name, c->want, b.s);
			failures++;
		}
		nsh_buf_free(&b);
		nsh_rule_clear(&r);
		nftnl_rule_free(nr);
		failures += attrs_check(c, &env, &t, msgbuf, &inplace);
		for (j = 0; j < sets.n; j++)
			nsh_rawset_clear(&sets.s[j]);
	}
	assert_int_equal(failures, 0);
	print_message("%zu of %zu cases read in place\n", inplace, sizeof(cases) / sizeof(cases[0]));
	assert_true(inplace > 0);	/* the in-place reader did decode cases */
}

/* The model fields the renderer does not show: counters, flags, positions. */
static void test_rule_fields(void **state)
{
	static char msgbuf[32768];
	const struct tcase c = {
		"fields", NSH_FAM_IP,
		"counter 7 700\ncounter 1 1\ntarget MASQUERADE\nimmediate reg 1 u32:1\n"
		"meta set mark with reg 1", "hello", "", NO_SETS
	};
	struct tsets sets = { .n = 0 };
	struct nsh_decode_env env = { NSH_FAM_IP, find, &sets };
	struct nftnl_rule *nr = rule_roundtrip(&c, msgbuf);
	struct nsh_rule r;

	(void)state;
	assert_int_equal(nsh_rule_from_nftnl(nr, &env, &r), 0);
	assert_true(r.has_counter);
	assert_int_equal(r.packets, 7);
	assert_int_equal(r.bytes, 700);
	assert_true(r.xt);
	assert_true(r.opaque);
	assert_string_equal(r.comment, "hello");
	assert_int_equal(r.nstmts, 4);
	nsh_rule_clear(&r);
	nftnl_rule_free(nr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_rule_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

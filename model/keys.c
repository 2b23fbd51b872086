/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The match keys natsh understands: one row each, the single source of truth
 * for name, help, datatype and kernel encoding.
 */
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "model/model.h"
#include "lib/util.h"

#define META(id_, name_, help_, type_, key_, len_) \
	[id_] = { .id = id_, .name = name_, .help = help_, .type = type_, \
		  .kind = NSH_KK_META, .nl_key = key_, .len = len_ }
#define PAYLOAD(id_, name_, help_, type_, base_, off_, len_, nf_, l4_) \
	[id_] = { .id = id_, .name = name_, .help = help_, .type = type_, \
		  .kind = NSH_KK_PAYLOAD, .nl_key = base_, .offset = off_, .len = len_, \
		  .nfproto_dep = nf_, .l4proto_dep = l4_ }
#define CT(id_, name_, help_, type_, key_, len_) \
	[id_] = { .id = id_, .name = name_, .help = help_, .type = type_, \
		  .kind = NSH_KK_CT, .nl_key = key_, .len = len_ }
#define FIB(id_, name_, help_, flags_) \
	[id_] = { .id = id_, .name = name_, .help = help_, .type = NSH_T_FIB_ADDRTYPE, \
		  .kind = NSH_KK_FIB, .nl_key = NFT_FIB_RESULT_ADDRTYPE, .len = 4, \
		  .fib_flags = flags_ }

#define NH NFT_PAYLOAD_NETWORK_HEADER
#define TH NFT_PAYLOAD_TRANSPORT_HEADER

const struct nsh_key_def nsh_keys[__NSH_K_MAX] = {
	META(NSH_K_IIFNAME, "iifname", "input interface name (eth* wildcards)",
	     NSH_T_IFNAME, NFT_META_IIFNAME, 16),
	META(NSH_K_OIFNAME, "oifname", "output interface name (eth* wildcards)",
	     NSH_T_IFNAME, NFT_META_OIFNAME, 16),
	META(NSH_K_META_L4PROTO, "meta l4proto", "layer 4 protocol (tcp, udp, icmp...)",
	     NSH_T_L4PROTO, NFT_META_L4PROTO, 1),
	META(NSH_K_META_MARK, "meta mark", "packet mark",
	     NSH_T_MARK, NFT_META_MARK, 4),
	META(NSH_K_META_NFPROTO, "meta nfproto", "layer 3 protocol (ipv4, ipv6)",
	     NSH_T_NFPROTO, NFT_META_NFPROTO, 1),
	PAYLOAD(NSH_K_IP_SADDR, "ip saddr", "IPv4 source address",
		NSH_T_IPV4, NH, 12, 4, NFPROTO_IPV4, 0),
	PAYLOAD(NSH_K_IP_DADDR, "ip daddr", "IPv4 destination address",
		NSH_T_IPV4, NH, 16, 4, NFPROTO_IPV4, 0),
	PAYLOAD(NSH_K_IP_PROTOCOL, "ip protocol", "IPv4 protocol field",
		NSH_T_L4PROTO, NH, 9, 1, NFPROTO_IPV4, 0),
	PAYLOAD(NSH_K_IP6_SADDR, "ip6 saddr", "IPv6 source address",
		NSH_T_IPV6, NH, 8, 16, NFPROTO_IPV6, 0),
	PAYLOAD(NSH_K_IP6_DADDR, "ip6 daddr", "IPv6 destination address",
		NSH_T_IPV6, NH, 24, 16, NFPROTO_IPV6, 0),
	PAYLOAD(NSH_K_IP6_NEXTHDR, "ip6 nexthdr", "IPv6 next header field",
		NSH_T_L4PROTO, NH, 6, 1, NFPROTO_IPV6, 0),
	PAYLOAD(NSH_K_TCP_SPORT, "tcp sport", "TCP source port",
		NSH_T_PORT, TH, 0, 2, 0, IPPROTO_TCP),
	PAYLOAD(NSH_K_TCP_DPORT, "tcp dport", "TCP destination port",
		NSH_T_PORT, TH, 2, 2, 0, IPPROTO_TCP),
	PAYLOAD(NSH_K_UDP_SPORT, "udp sport", "UDP source port",
		NSH_T_PORT, TH, 0, 2, 0, IPPROTO_UDP),
	PAYLOAD(NSH_K_UDP_DPORT, "udp dport", "UDP destination port",
		NSH_T_PORT, TH, 2, 2, 0, IPPROTO_UDP),
	PAYLOAD(NSH_K_TH_SPORT, "th sport", "source port of any transport protocol",
		NSH_T_PORT, TH, 0, 2, 0, 0),
	PAYLOAD(NSH_K_TH_DPORT, "th dport", "destination port of any transport protocol",
		NSH_T_PORT, TH, 2, 2, 0, 0),
	PAYLOAD(NSH_K_SCTP_SPORT, "sctp sport", "SCTP source port",
		NSH_T_PORT, TH, 0, 2, 0, IPPROTO_SCTP),
	PAYLOAD(NSH_K_SCTP_DPORT, "sctp dport", "SCTP destination port",
		NSH_T_PORT, TH, 2, 2, 0, IPPROTO_SCTP),
	PAYLOAD(NSH_K_DCCP_SPORT, "dccp sport", "DCCP source port",
		NSH_T_PORT, TH, 0, 2, 0, IPPROTO_DCCP),
	PAYLOAD(NSH_K_DCCP_DPORT, "dccp dport", "DCCP destination port",
		NSH_T_PORT, TH, 2, 2, 0, IPPROTO_DCCP),
	PAYLOAD(NSH_K_UDPLITE_SPORT, "udplite sport", "UDP-Lite source port",
		NSH_T_PORT, TH, 0, 2, 0, IPPROTO_UDPLITE),
	PAYLOAD(NSH_K_UDPLITE_DPORT, "udplite dport", "UDP-Lite destination port",
		NSH_T_PORT, TH, 2, 2, 0, IPPROTO_UDPLITE),
	CT(NSH_K_CT_STATE, "ct state", "connection state (new, established, related...)",
	   NSH_T_CT_STATE, NFT_CT_STATE, 4),
	CT(NSH_K_CT_STATUS, "ct status", "connection status (snat, dnat, confirmed...)",
	   NSH_T_CT_STATUS, NFT_CT_STATUS, 4),
	CT(NSH_K_CT_MARK, "ct mark", "connection mark",
	   NSH_T_MARK, NFT_CT_MARK, 4),
	CT(NSH_K_CT_DIRECTION, "ct direction", "packet direction (original, reply)",
	   NSH_T_CT_DIR, NFT_CT_DIRECTION, 1),
	FIB(NSH_K_FIB_SADDR_TYPE, "fib saddr type", "route type of the source address",
	    NFTA_FIB_F_SADDR),
	FIB(NSH_K_FIB_DADDR_TYPE, "fib daddr type", "route type of the destination address (local...)",
	    NFTA_FIB_F_DADDR),
	META(NSH_K_META_RANDOM, "meta random", "a random 32-bit number per packet (iptables statistic)",
	     NSH_T_INTEGER_BE, NFT_META_PRANDOM, 4),
	META(NSH_K_META_LENGTH, "meta length", "packet length in bytes",
	     NSH_T_INTEGER, NFT_META_LEN, 4),
	META(NSH_K_META_CPU, "meta cpu", "number of the CPU handling the packet",
	     NSH_T_INTEGER, NFT_META_CPU, 4),
	[NSH_K_NUMGEN] = { .id = NSH_K_NUMGEN, .name = "numgen",
			   .help = "a generated number: numgen inc|random mod N [offset O] (iptables statistic nth)",
			   .type = NSH_T_INTEGER, .kind = NSH_KK_NUMGEN, .len = 4 },
};

const struct nsh_key_def nsh_key_concat = {
	.id = __NSH_K_MAX, .name = "concatenation", .help = "KEY . KEY [. KEY...]",
	.type = NSH_T_INVALID, .kind = NSH_KK_CONCAT,
};

const struct nsh_key_def *nsh_key_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NSH_ARRAY_SIZE(nsh_keys); i++)
		if (strcmp(nsh_keys[i].name, name) == 0)
			return &nsh_keys[i];
	return NULL;
}

size_t nsh_type_len(enum nsh_type type)
{
	switch (type) {
	case NSH_T_IFNAME:	return 16;
	case NSH_T_IPV4:	return 4;
	case NSH_T_IPV6:	return 16;
	case NSH_T_PORT:	return 2;
	case NSH_T_L4PROTO:	return 1;
	case NSH_T_NFPROTO:	return 1;
	case NSH_T_CT_DIR:	return 1;
	case NSH_T_MARK:
	case NSH_T_CT_STATE:
	case NSH_T_CT_STATUS:
	case NSH_T_FIB_ADDRTYPE:
	case NSH_T_INTEGER:
	case NSH_T_INTEGER_BE:	return 4;
	default:		return 0;
	}
}

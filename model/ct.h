/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A typed conntrack entry, as natsh shows it, and the filter that selects
 * entries.  Produced by model/nl_ct.c from ctnetlink messages; consumed by
 * render/ct.c, the commands and the top/monitor scanner.  Nothing in here
 * speaks netlink or prints.
 */
#ifndef NSH_CT_H
#define NSH_CT_H

#include <stdbool.h>
#include <stdint.h>

/* One direction of a connection. Addresses network order; ports host order. */
struct nsh_ct_tuple {
	uint8_t src[16], dst[16];	/* IPv4 uses the first 4 bytes */
	uint16_t sport, dport;		/* tcp/udp/sctp/udplite: ports */
	uint8_t icmp_type, icmp_code;	/* icmp/icmpv6 */
	uint16_t icmp_id;		/* icmp/icmpv6 echo id (host order) */
};

enum nsh_ct_nat {
	NSH_CT_NAT_ANY = 0,		/* filter: no NAT condition */
	NSH_CT_NAT_NAT,			/* translated in either direction */
	NSH_CT_NAT_SNAT,		/* source translated */
	NSH_CT_NAT_DNAT,		/* destination translated */
};

struct nsh_ct {
	uint8_t family;			/* AF_INET, AF_INET6 */
	uint8_t proto;			/* IPPROTO_* */
	uint8_t tcp_state;		/* TCP_CONNTRACK_*; valid when has_tcp_state */
	bool has_tcp_state;
	struct nsh_ct_tuple orig;	/* as the first packet saw it */
	struct nsh_ct_tuple reply;	/* as the answer travels back */
	uint32_t status;		/* IPS_* bits */
	uint32_t timeout;		/* seconds left */
	uint32_t mark;
	uint32_t id;			/* kernel's conntrack id (for precise delete) */
	uint16_t zone;
	bool has_counters;		/* nf_conntrack_acct was on when it started */
	uint64_t packets[2], bytes[2];	/* [0] original, [1] reply direction */
};

/* Address length of a family (4 or 16). */
static inline unsigned nsh_ct_alen(const struct nsh_ct *ct)
{
	return ct->family == 10 /* AF_INET6 */ ? 16 : 4;
}

/* Whether NAT changed the source / the destination of the connection. */
bool nsh_ct_is_snat(const struct nsh_ct *ct);
bool nsh_ct_is_dnat(const struct nsh_ct *ct);
/* Whether the protocol carries ports (tcp, udp, sctp, dccp, udplite). */
bool nsh_ct_has_ports(uint8_t proto);

/*
 * The tuple after NAT, as the packet leaves the router in the original
 * direction: source = reply.dst, destination = reply.src.
 */
void nsh_ct_translated(const struct nsh_ct *ct, struct nsh_ct_tuple *out);

/* Names: "tcp", "udp", "icmp", "ipv6-icmp"...; "ESTABLISHED"...; NULL if none. */
const char *nsh_ct_proto_name(uint8_t proto);
const char *nsh_ct_tcp_state_name(uint8_t state);

/* An address with an optional prefix length, for filters. */
struct nsh_ct_addr {
	uint8_t family;			/* AF_INET / AF_INET6; 0: unset */
	uint8_t plen;
	uint8_t addr[16];
};

/*
 * What `conntrack [nat|snat|dnat] [PROTO] [src ADDR] [dst ADDR] [port P]`
 * selects.  src matches the source before or after NAT, dst the
 * destination before or after NAT, port any port of those tuples.
 */
struct nsh_ct_filter {
	uint8_t family;			/* 0: both */
	enum nsh_ct_nat nat;
	int proto;			/* -1: any; IPPROTO_ICMP matches icmpv6 too */
	struct nsh_ct_addr src, dst;
	int port;			/* -1: any */
	uint32_t id;			/* 0: any; else exactly this conntrack id */
};

void nsh_ct_filter_init(struct nsh_ct_filter *f);
bool nsh_ct_filter_is_empty(const struct nsh_ct_filter *f);
bool nsh_ct_filter_match(const struct nsh_ct_filter *f, const struct nsh_ct *ct);
/* Parse "192.0.2.0/24", "2001:db8::1"; -1 when it is not an address. */
int nsh_ct_addr_parse(const char *s, struct nsh_ct_addr *a);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Conntrack entries without netlink: names, NAT view, filter logic. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "model/ct.h"

/* The kernel sets SRC_NAT/DST_NAT when a NAT rule matched the connection. */
bool nsh_ct_is_snat(const struct nsh_ct *ct)
{
	return ct->status & (1u << 4);	/* IPS_SRC_NAT */
}

/* The destination was translated (DNAT, redirect). */
bool nsh_ct_is_dnat(const struct nsh_ct *ct)
{
	return ct->status & (1u << 5);	/* IPS_DST_NAT */
}

/* Protocols whose tuples carry ports. */
bool nsh_ct_has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_DCCP || proto == IPPROTO_UDPLITE;
}

/* The original-direction tuple as it leaves the router: the inverse of reply. */
void nsh_ct_translated(const struct nsh_ct *ct, struct nsh_ct_tuple *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->src, ct->reply.dst, sizeof(out->src));
	memcpy(out->dst, ct->reply.src, sizeof(out->dst));
	out->sport = ct->reply.dport;
	out->dport = ct->reply.sport;
	out->icmp_type = ct->orig.icmp_type;
	out->icmp_code = ct->orig.icmp_code;
	out->icmp_id = ct->reply.icmp_id;
}

/* Names as conntrack(8) and nft print them. */
const char *nsh_ct_proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	case IPPROTO_ICMPV6: return "icmpv6";
	case IPPROTO_SCTP: return "sctp";
	case IPPROTO_DCCP: return "dccp";
	case IPPROTO_UDPLITE: return "udplite";
	case IPPROTO_GRE: return "gre";
	default: return NULL;
	}
}

/* TCP_CONNTRACK_* names as conntrack(8) prints them. */
const char *nsh_ct_tcp_state_name(uint8_t state)
{
	static const char *const names[] = {
		"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
		"CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : NULL;
}

/* An empty filter selects everything. */
void nsh_ct_filter_init(struct nsh_ct_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->proto = -1;
	f->port = -1;
}

/* An empty filter is what makes flush ask and delete refuse. */
bool nsh_ct_filter_is_empty(const struct nsh_ct_filter *f)
{
	return !f->family && f->nat == NSH_CT_NAT_ANY && f->proto < 0 && !f->src.family &&
	       !f->dst.family && f->port < 0 && !f->id;
}

/* Whether addr (of len alen bytes) lies in the prefix a. */
static bool addr_in(const struct nsh_ct_addr *a, const uint8_t *addr, unsigned alen,
		    uint8_t family)
{
	unsigned full, rest;

	if (a->family != family)
		return false;
	(void)alen;
	full = a->plen / 8;
	rest = a->plen % 8;
	if (memcmp(a->addr, addr, full))
		return false;
	if (rest) {
		uint8_t m = (uint8_t)(0xff << (8 - rest));

		if ((a->addr[full] & m) != (addr[full] & m))
			return false;
	}
	return true;
}

/* The selection rules documented in ct.h, applied to one entry. */
bool nsh_ct_filter_match(const struct nsh_ct_filter *f, const struct nsh_ct *ct)
{
	unsigned alen = nsh_ct_alen(ct);

	if (f->family && f->family != ct->family)
		return false;
	if (f->id && f->id != ct->id)
		return false;
	if (f->proto >= 0 && f->proto != ct->proto &&
	    !(f->proto == IPPROTO_ICMP && ct->proto == IPPROTO_ICMPV6))
		return false;
	switch (f->nat) {
	case NSH_CT_NAT_ANY:
		break;
	case NSH_CT_NAT_NAT:
		if (!nsh_ct_is_snat(ct) && !nsh_ct_is_dnat(ct))
			return false;
		break;
	case NSH_CT_NAT_SNAT:
		if (!nsh_ct_is_snat(ct))
			return false;
		break;
	case NSH_CT_NAT_DNAT:
		if (!nsh_ct_is_dnat(ct))
			return false;
		break;
	}
	/* source before NAT is orig.src, after NAT reply.dst */
	if (f->src.family && !addr_in(&f->src, ct->orig.src, alen, ct->family) &&
	    !addr_in(&f->src, ct->reply.dst, alen, ct->family))
		return false;
	/* destination before NAT is orig.dst, after NAT reply.src */
	if (f->dst.family && !addr_in(&f->dst, ct->orig.dst, alen, ct->family) &&
	    !addr_in(&f->dst, ct->reply.src, alen, ct->family))
		return false;
	if (f->port >= 0) {
		uint16_t p = (uint16_t)f->port;

		if (!nsh_ct_has_ports(ct->proto))
			return false;
		if (ct->orig.sport != p && ct->orig.dport != p && ct->reply.sport != p &&
		    ct->reply.dport != p)
			return false;
	}
	return true;
}

/* Accepts ADDR or ADDR/LEN for IPv4 and IPv6 (IPv6 may be in brackets). */
int nsh_ct_addr_parse(const char *s, struct nsh_ct_addr *a)
{
	char tmp[64];
	const char *slash;
	size_t n;
	char *end;
	long plen = -1;

	memset(a, 0, sizeof(*a));
	slash = strchr(s, '/');
	n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= sizeof(tmp) || n == 0)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (tmp[0] == '[' && n > 2 && tmp[n - 1] == ']') {
		memmove(tmp, tmp + 1, n - 2);
		tmp[n - 2] = '\0';
	}
	if (slash) {
		if (!slash[1])
			return -1;
		plen = strtol(slash + 1, &end, 10);
		if (*end || plen < 0)
			return -1;
	}
	if (inet_pton(AF_INET, tmp, a->addr) == 1) {
		a->family = AF_INET;
		if (plen > 32)
			return -1;
		a->plen = plen < 0 ? 32 : (uint8_t)plen;
	} else if (inet_pton(AF_INET6, tmp, a->addr) == 1) {
		a->family = AF_INET6;
		if (plen > 128)
			return -1;
		a->plen = plen < 0 ? 128 : (uint8_t)plen;
	} else {
		return -1;
	}
	return 0;
}

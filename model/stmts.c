/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The settable fields and the names of reject's ICMP codes (see stmts.h). */
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "model/model.h"
#include "lib/util.h"

#define META(n, h, k, l, f, m) { n, h, NSH_SF_META, f, l, 0, 0, 0, 0, k, 0, 0, m }
#define CT(n, h, k, l, f, m) { n, h, NSH_SF_CT, f, l, 0, 0, 0, 0, k, 0, 0, m }
#define PL(n, h, base, off, len, sh, f, m, nf, l4, ct, co) \
	{ n, h, NSH_SF_PAYLOAD, f, len, nf, l4, ct, co, base, off, sh, m }
const struct nsh_setf nsh_setfs[] = {
	META("meta mark", "set the packet mark: meta mark set 0x10 | meta mark | 0x4000",
	     NFT_META_MARK, 4, NSH_SF_MARK, 0xffffffff),
	META("meta priority", "set the tc class: meta priority set 1:2",
	     NFT_META_PRIORITY, 4, NSH_SF_PRIO, 0xffffffff),
	META("meta nftrace", "trace the packet: meta nftrace set 1",
	     NFT_META_NFTRACE, 1, NSH_SF_DEC, 1),
	CT("ct mark", "set the connection mark: ct mark set 0x1 | meta mark",
	   NFT_CT_MARK, 4, NSH_SF_MARK, 0xffffffff),
	CT("ct zone", "set the conntrack zone: ct zone set 1", NFT_CT_ZONE, 2, NSH_SF_DEC, 0xffff),
	PL("ip dscp", "rewrite the IPv4 DSCP: ip dscp set cs1|af11|ef|0x3f",
	   NFT_PAYLOAD_NETWORK_HEADER, 0, 2, 2, NSH_SF_DSCP, 0x3f, NFPROTO_IPV4, 0,
	   NFT_PAYLOAD_CSUM_INET, 10),
	PL("ip ttl", "rewrite the IPv4 TTL: ip ttl set 64",
	   NFT_PAYLOAD_NETWORK_HEADER, 8, 2, 8, NSH_SF_DEC, 0xff, NFPROTO_IPV4, 0,
	   NFT_PAYLOAD_CSUM_INET, 10),
	PL("ip6 dscp", "rewrite the IPv6 DSCP: ip6 dscp set cs1|af11|ef|0x3f",
	   NFT_PAYLOAD_NETWORK_HEADER, 0, 2, 6, NSH_SF_DSCP, 0x3f, NFPROTO_IPV6, 0, 0, 0),
	PL("ip6 hoplimit", "rewrite the IPv6 hop limit: ip6 hoplimit set 64",
	   NFT_PAYLOAD_NETWORK_HEADER, 7, 1, 0, NSH_SF_DEC, 0xff, NFPROTO_IPV6, 0, 0, 0),
	PL("tcp sport", "rewrite the TCP source port: tcp sport set 1000",
	   NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2, 0, NSH_SF_PORT, 0xffff, 0, IPPROTO_TCP,
	   NFT_PAYLOAD_CSUM_INET, 16),
	PL("tcp dport", "rewrite the TCP destination port: tcp dport set 8080",
	   NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, 0, NSH_SF_PORT, 0xffff, 0, IPPROTO_TCP,
	   NFT_PAYLOAD_CSUM_INET, 16),
	PL("udp sport", "rewrite the UDP source port: udp sport set 1000",
	   NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2, 0, NSH_SF_PORT, 0xffff, 0, IPPROTO_UDP,
	   NFT_PAYLOAD_CSUM_INET, 6),
	PL("udp dport", "rewrite the UDP destination port: udp dport set 53",
	   NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, 0, NSH_SF_PORT, 0xffff, 0, IPPROTO_UDP,
	   NFT_PAYLOAD_CSUM_INET, 6),
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
};
#undef META
#undef CT
#undef PL

const struct nsh_setf *nsh_setf_lookup(const char *name)
{
	const struct nsh_setf *f;

	for (f = nsh_setfs; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

const struct nsh_setf *nsh_setf_find(enum nsh_setf_kind kind, uint32_t nl_key, uint32_t off,
				     uint32_t len, uint32_t shift)
{
	const struct nsh_setf *f;

	for (f = nsh_setfs; f->name; f++) {
		if (f->kind != kind || f->nl_key != nl_key)
			continue;
		if (kind != NSH_SF_PAYLOAD || (f->off == off && f->len == len && f->shift == shift))
			return f;
	}
	return NULL;
}

bool nsh_stmt_ends_rule(const struct nsh_stmt *s)
{
	return s->kind == NSH_ST_NAT || s->kind == NSH_ST_VERDICT || s->kind == NSH_ST_REJECT ||
	       s->kind == NSH_ST_VMAP;
}

struct code_name {
	uint8_t code;
	const char *name;
};

/* nft's icmp_code, icmpv6_code and icmpx_code names. */
static const struct code_name icmp_codes[] = {
	{ 0, "net-unreachable" }, { 1, "host-unreachable" }, { 2, "prot-unreachable" },
	{ 3, "port-unreachable" }, { 4, "frag-needed" }, { 9, "net-prohibited" },
	{ 10, "host-prohibited" }, { 13, "admin-prohibited" }, { 0, NULL },
};
static const struct code_name icmpv6_codes[] = {
	{ 0, "no-route" }, { 1, "admin-prohibited" }, { 3, "addr-unreachable" },
	{ 4, "port-unreachable" }, { 5, "policy-fail" }, { 6, "reject-route" }, { 0, NULL },
};
static const struct code_name icmpx_codes[] = {
	{ 0, "no-route" }, { 1, "port-unreachable" }, { 2, "host-unreachable" },
	{ 3, "admin-prohibited" }, { 0, NULL },
};

static const struct code_name *codes_of(int family)
{
	return family == NSH_FAM_IP ? icmp_codes : family == NSH_FAM_IP6 ? icmpv6_codes :
	       icmpx_codes;
}

const char *nsh_icmp_code_name(int family, uint8_t type, uint8_t code)
{
	const struct code_name *c = codes_of(type == NFT_REJECT_ICMPX_UNREACH ? 0 : family);

	for (; c->name; c++)
		if (c->code == code)
			return c->name;
	return NULL;
}

int nsh_icmp_code_parse(int family, const char *name)
{
	const struct code_name *c = codes_of(family);

	for (; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c->code;
	return -1;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iptables-nft (xt) expressions -> model, for the NAT targets and the few
 * matches NAT rules use, so that natsh shows such rules as nft does (nft
 * translates them through libxtables).  from_nftnl.c extracts name,
 * revision and info blob; nothing here reads libnftnl.
 */
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/xt_multiport.h>
#include <linux/netfilter/xt_addrtype.h>

#include "model/from_nftnl.h"
#include "lib/buf.h"
#include "lib/util.h"

#define NAT_USER_FLAGS (NF_NAT_RANGE_PROTO_RANDOM | NF_NAT_RANGE_PERSISTENT | \
			NF_NAT_RANGE_PROTO_RANDOM_FULLY)

/* A kernel NAT range -> the model's nat statement fields. */
static void nat_from_range(const struct nf_nat_range *r, int family, struct nsh_nat *n)
{
	size_t alen = family == NSH_FAM_IP6 ? 16 : 4;

	n->flags = r->flags & NAT_USER_FLAGS;
	if (r->flags & NF_NAT_RANGE_MAP_IPS) {
		memcpy(n->addr_min.data, &r->min_addr, alen);
		memcpy(n->addr_max.data, &r->max_addr, alen);
		n->addr_min.len = n->addr_max.len = (uint8_t)alen;
		n->addr = memcmp(&r->min_addr, &r->max_addr, alen) ? NSH_NAT_ADDR_RANGE :
								   NSH_NAT_ADDR_VALUE;
	}
	if (r->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
		n->has_port = true;
		n->port_min = ntohs(r->min_proto.all);
		n->port_max = ntohs(r->max_proto.all);
	}
}

/* The IPv4-only range of MASQUERADE, REDIRECT and revision 0 SNAT/DNAT. */
static bool range_from_compat(const void *info, size_t len, struct nf_nat_range *r)
{
	const struct nf_nat_ipv4_multi_range_compat *mr = info;

	if (len < sizeof(*mr) || mr->rangesize != 1)
		return false;
	memset(r, 0, sizeof(*r));
	r->flags = mr->range[0].flags;
	r->min_addr.ip = mr->range[0].min_ip;
	r->max_addr.ip = mr->range[0].max_ip;
	r->min_proto = mr->range[0].min;
	r->max_proto = mr->range[0].max;
	return true;
}

/* MASQUERADE/REDIRECT/SNAT/DNAT target info -> a nat statement. */
int nsh_xt_target_decode(const char *name, uint32_t rev, const void *info, size_t len,
			 int family, struct nsh_stmt *out)
{
	struct nf_nat_range r;
	struct nsh_nat *n = &out->nat;

	memset(out, 0, sizeof(*out));
	out->kind = NSH_ST_NAT;
	if (strcmp(name, "MASQUERADE") == 0 || strcmp(name, "REDIRECT") == 0) {
		if (family == NSH_FAM_IP6) {
			if (len < sizeof(r))
				return -1;
			memcpy(&r, info, sizeof(r));
		} else if (!range_from_compat(info, len, &r)) {
			return -1;
		}
		n->type = name[0] == 'M' ? NSH_NAT_MASQ : NSH_NAT_REDIR;
		r.flags &= ~NF_NAT_RANGE_MAP_IPS;
		nat_from_range(&r, family, n);
		return 0;
	}
	if (strcmp(name, "SNAT") != 0 && strcmp(name, "DNAT") != 0)
		return -1;
	n->type = name[0] == 'S' ? NSH_NAT_SNAT : NSH_NAT_DNAT;
	if (rev == 0) {
		if (family == NSH_FAM_IP6 || !range_from_compat(info, len, &r))
			return -1;
	} else {
		if (len < sizeof(r))
			return -1;
		memcpy(&r, info, sizeof(r));	/* nf_nat_range2 starts like nf_nat_range */
	}
	nat_from_range(&r, family, n);
	return 0;
}

static const char *const rtn_names[] = {
	"unspec", "unicast", "local", "broadcast", "anycast", "multicast",
	"blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve",
};

/* "fib DIR type [!= ]TYPE" or a set of types, as libxtables writes it. */
static void addrtype_xlate(const char *dir, uint16_t mask, bool inv, struct nsh_buf *b)
{
	size_t i, n = 0;

	for (i = 0; i < NSH_ARRAY_SIZE(rtn_names); i++)
		n += (mask >> i) & 1;
	nsh_buf_printf(b, "fib %s type %s%s", dir, inv ? "!= " : "", n > 1 ? "{ " : "");
	for (i = 0, n = 0; i < NSH_ARRAY_SIZE(rtn_names); i++)
		if (mask & (1u << i))
			nsh_buf_printf(b, "%s%s", n++ ? ", " : "", rtn_names[i]);
	if (n > 1)
		nsh_buf_puts(b, " }");
}

/* comment, addrtype v1, multiport v1 -> nft's text for them. */
int nsh_xt_match_xlate(const char *name, uint32_t rev, const void *info, size_t len,
		       uint8_t l4proto, struct nsh_buf *b)
{
	if (strcmp(name, "comment") == 0) {
		return 0;	/* nft shows nothing in its place */
	}
	if (strcmp(name, "addrtype") == 0 && rev == 1) {
		const struct xt_addrtype_info_v1 *a = info;

		if (len < sizeof(*a) ||
		    (a->flags & (XT_ADDRTYPE_LIMIT_IFACE_IN | XT_ADDRTYPE_LIMIT_IFACE_OUT)))
			return -1;
		/* as libxtables translates it: one side only, either invert flag */
		if (a->source)
			addrtype_xlate("saddr", a->source, a->flags & 3, b);
		else
			addrtype_xlate("daddr", a->dest, a->flags & 3, b);
		return 0;
	}
	if (strcmp(name, "multiport") == 0 && rev == 1) {
		const struct xt_multiport_v1 *m = info;
		const char *proto = l4proto == IPPROTO_TCP ? "tcp" :
				    l4proto == IPPROTO_UDP ? "udp" : NULL;
		unsigned i, nel = 0;

		if (len < sizeof(*m) || !proto || m->flags == XT_MULTIPORT_EITHER ||
		    m->count == 0 || m->count > XT_MULTI_PORTS)
			return -1;
		for (i = 0; i < m->count; i++, nel++)
			i += m->pflags[i] && i + 1 < m->count;	/* a range is one element */
		nsh_buf_printf(b, "%s %s %s%s", proto,
			       m->flags == XT_MULTIPORT_SOURCE ? "sport" : "dport",
			       m->invert ? "!= " : "", nel > 1 ? "{ " : "");
		for (i = 0; i < m->count; i++) {
			nsh_buf_printf(b, "%s%u", i ? ", " : "", m->ports[i]);
			if (m->pflags[i] && i + 1 < m->count)
				nsh_buf_printf(b, "-%u", m->ports[++i]);
		}
		if (nel > 1)
			nsh_buf_puts(b, " }");
		return 0;
	}
	return -1;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iptables-nft (xt) expressions -> model, for the NAT targets and the few
 * matches NAT rules use, so that natsh shows such rules as nft does (nft
 * translates them through libxtables).  from_nftnl.c extracts name,
 * revision and info blob; nothing here reads libnftnl.
 */
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/xt_multiport.h>
#include <linux/netfilter/xt_addrtype.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter/xt_statistic.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_state.h>
#include <linux/netfilter/nf_conntrack_common.h>

#include "model/nft/from_nftnl.h"
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

/* " PROTO DIR [!= ]LO[-HI]" unless the range is every port. */
static void port_range_xlate(const char *proto, const char *dir, const uint16_t *pts, bool inv,
			     struct nsh_buf *b)
{
	if (pts[0] == 0 && pts[1] == 0xffff && !inv)
		return;
	nsh_buf_printf(b, "%s%s %s %s%u", b->len ? " " : "", proto, dir, inv ? "!= " : "", pts[0]);
	if (pts[1] != pts[0])
		nsh_buf_printf(b, "-%u", pts[1]);
}

/* tcp/udp: ports only (host order in the blob); flags and options are shown by name. */
static int tcpudp_xlate(const char *name, const void *info, size_t len, struct nsh_buf *b)
{
	size_t start = b->len;

	if (name[0] == 't') {
		const struct xt_tcp *t = info;

		if (len < sizeof(*t) || t->option || t->flg_mask ||
		    (t->invflags & (XT_TCP_INV_FLAGS | XT_TCP_INV_OPTION)))
			return -1;
		port_range_xlate("tcp", "sport", t->spts, t->invflags & XT_TCP_INV_SRCPT, b);
		port_range_xlate("tcp", "dport", t->dpts, t->invflags & XT_TCP_INV_DSTPT, b);
	} else {
		const struct xt_udp *u = info;

		if (len < sizeof(*u))
			return -1;
		port_range_xlate("udp", "sport", u->spts, u->invflags & XT_UDP_INV_SRCPT, b);
		port_range_xlate("udp", "dport", u->dpts, u->invflags & XT_UDP_INV_DSTPT, b);
	}
	return b->len > start ? 0 : -1;
}

/* statistic, as nft prints it through libxtables: meta random / numgen inc. */
static int statistic_xlate(const void *info, size_t len, struct nsh_buf *b)
{
	const struct xt_statistic_info *st = info;
	bool inv = st->flags & XT_STATISTIC_INVERT;

	if (len < offsetof(struct xt_statistic_info, master))
		return -1;
	if (st->mode == XT_STATISTIC_MODE_RANDOM) {
		nsh_buf_printf(b, "meta random & 2147483647 %s %u", inv ? ">=" : "<",
			       st->u.random.probability);
		return 0;
	}
	if (st->mode == XT_STATISTIC_MODE_NTH) {
		nsh_buf_printf(b, "numgen inc mod %u %s%u", st->u.nth.every + 1, inv ? "!= " : "",
			       st->u.nth.packet);
		return 0;
	}
	return -1;
}

/* A conntrack state mask (XT_CONNTRACK_STATE_BIT) as nft's "ct state" names. */
static int ctstate_xlate(unsigned mask, bool inv, struct nsh_buf *b)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ XT_CONNTRACK_STATE_INVALID, "invalid" },
		{ XT_CONNTRACK_STATE_BIT(IP_CT_NEW), "new" },
		{ XT_CONNTRACK_STATE_BIT(IP_CT_RELATED), "related" },
		{ XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED), "established" },
		{ XT_CONNTRACK_STATE_UNTRACKED, "untracked" },
	};
	unsigned known = 0;
	size_t i, n = 0;

	for (i = 0; i < NSH_ARRAY_SIZE(names); i++)
		known |= names[i].bit;
	if (!mask || (mask & ~known))
		return -1;
	nsh_buf_printf(b, "ct state %s", inv ? "! " : "");
	for (i = 0; i < NSH_ARRAY_SIZE(names); i++)
		if (mask & names[i].bit)
			nsh_buf_printf(b, "%s%s", n++ ? "," : "", names[i].name);
	return 0;
}

/* conntrack revisions 1-3 (state only) and state. */
static int conntrack_xlate(const char *name, uint32_t rev, const void *info, size_t len,
			   struct nsh_buf *b)
{
	uint16_t flags, inv, mask;

	if (strcmp(name, "state") == 0) {
		const struct xt_state_info *si = info;

		return len < sizeof(*si) ? -1 : ctstate_xlate(si->statemask, false, b);
	}
	if (rev == 1) {
		const struct xt_conntrack_mtinfo1 *c = info;

		if (len < sizeof(*c))
			return -1;
		flags = c->match_flags, inv = c->invert_flags, mask = c->state_mask;
	} else if (rev == 2 || rev == 3) {
		const struct xt_conntrack_mtinfo2 *c = info;	/* mtinfo3 starts like it */

		if (len < sizeof(*c))
			return -1;
		flags = c->match_flags, inv = c->invert_flags, mask = c->state_mask;
	} else {
		return -1;
	}
	if ((flags & ~(XT_CONNTRACK_STATE | XT_CONNTRACK_STATE_ALIAS)) || !(flags & XT_CONNTRACK_STATE))
		return -1;
	return ctstate_xlate(mask, inv & XT_CONNTRACK_STATE, b);
}

/* comment, addrtype v1, multiport v1, tcp, udp, statistic, conntrack, state -> nft's text. */
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
	if (strcmp(name, "tcp") == 0 || strcmp(name, "udp") == 0)
		return tcpudp_xlate(name, info, len, b);
	if (strcmp(name, "statistic") == 0)
		return statistic_xlate(info, len, b);
	if (strcmp(name, "conntrack") == 0 || strcmp(name, "state") == 0)
		return conntrack_xlate(name, rev, info, len, b);
	if (strcmp(name, "tcp") == 0 || strcmp(name, "udp") == 0)
		return tcpudp_xlate(name, info, len, b);
	if (strcmp(name, "statistic") == 0)
		return statistic_xlate(info, len, b);
	if (strcmp(name, "conntrack") == 0 || strcmp(name, "state") == 0)
		return conntrack_xlate(name, rev, info, len, b);
	return -1;
}

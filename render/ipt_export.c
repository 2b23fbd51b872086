/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Model -> iptables-restore input (see ipt_export.h).  Each statement is
 * written as the iptables option that means the same; the first one that
 * has none puts the whole rule on the skip list with the reason, so that
 * nothing is exported half.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>

#include "render/ipt_export.h"
#include "model/syntax/rule_text.h"
#include "lib/util.h"

/* One rule being written. */
struct xr {
	const struct nsh_table *t;
	int family;
	struct nsh_buf opts;
	const char *why;	/* set: the rule cannot be written */
	char whybuf[160];
	int l4;			/* protocol written by -p (0: none yet) */
};

static const char *const rtn_upper[] = {
	"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
	"BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
};

/* Give up on the rule, saying why (the first reason wins). */
static void cannot(struct xr *x, const char *fmt, const char *what)
{
	if (x->why)
		return;
	snprintf(x->whybuf, sizeof(x->whybuf), fmt, what);
	x->why = x->whybuf;
}

/* A host-order 32-bit value. */
static uint32_t host32(const struct nsh_val *v)
{
	uint32_t n = 0;

	memcpy(&n, v->data, v->len < 4 ? v->len : 4);
	return n;
}

/* A port value (network order) as a number. */
static uint16_t port_of(const struct nsh_val *v)
{
	return (uint16_t)(v->data[0] << 8 | v->data[1]);
}

/* iptables puts "!" before the option it negates. */
static void neg(struct xr *x, const struct nsh_match *m)
{
	if (m->op == NSH_OP_NEQ)
		nsh_buf_puts(&x->opts, " !");
}

/* -p PROTO once; a second, different protocol cannot be written. */
static void proto(struct xr *x, int p, bool negated)
{
	char name[16];

	if (x->l4 == p)
		return;
	if (x->l4) {
		cannot(x, "%s", "it matches two transport protocols");
		return;
	}
	x->l4 = p;
	if (p == IPPROTO_TCP)
		strcpy(name, "tcp");
	else if (p == IPPROTO_UDP)
		strcpy(name, "udp");
	else if (p == IPPROTO_ICMP)
		strcpy(name, "icmp");
	else if (p == IPPROTO_ICMPV6)
		strcpy(name, "ipv6-icmp");
	else
		snprintf(name, sizeof(name), "%d", p);
	nsh_buf_printf(&x->opts, "%s -p %s", negated ? " !" : "", name);
}

/* Address or prefix: -s/-d [!] A[/LEN]; a range: -m iprange [!] --src-range/--dst-range A-B. */
static void addr(struct xr *x, const struct nsh_match *m, const char *opt)
{
	enum nsh_type t = m->key->type;

	if (m->rhs != NSH_RHS_VALUE && m->rhs != NSH_RHS_PREFIX && m->rhs != NSH_RHS_RANGE) {
		cannot(x, "%s: iptables takes one address or prefix, or a range (-m iprange), not a set",
		       m->key->name);
		return;
	}
	if (m->op != NSH_OP_EQ && m->op != NSH_OP_NEQ) {
		cannot(x, "%s with < or >", m->key->name);
		return;
	}
	if (m->rhs == NSH_RHS_RANGE) {
		nsh_buf_puts(&x->opts, " -m iprange");
		neg(x, m);
		nsh_buf_printf(&x->opts, " --%s-range ", opt[1] == 's' ? "src" : "dst");
		nsh_val_render(t, &m->val, &x->opts);
		nsh_buf_puts(&x->opts, "-");
		nsh_val_render(t, &m->hi, &x->opts);
		return;
	}
	neg(x, m);
	nsh_buf_printf(&x->opts, " %s ", opt);
	nsh_val_render(t, &m->val, &x->opts);
	if (m->rhs == NSH_RHS_PREFIX)
		nsh_buf_printf(&x->opts, "/%u", m->plen);
}

/* Ports: a value or range (-m tcp --dport), or a set (-m multiport, at most 15). */
static void ports(struct xr *x, const struct nsh_match *m, int l4, bool dport)
{
	const char *p = l4 == IPPROTO_TCP ? "tcp" : "udp";
	size_t i, n = 0;

	if (m->op != NSH_OP_EQ && m->op != NSH_OP_NEQ) {
		cannot(x, "%s with < or >", m->key->name);
		return;
	}
	proto(x, l4, false);
	if (m->rhs == NSH_RHS_VALUE || m->rhs == NSH_RHS_RANGE) {
		nsh_buf_printf(&x->opts, " -m %s", p);
		neg(x, m);
		nsh_buf_printf(&x->opts, " --%s %u", dport ? "dport" : "sport", port_of(&m->val));
		if (m->rhs == NSH_RHS_RANGE)
			nsh_buf_printf(&x->opts, ":%u", port_of(&m->hi));
		return;
	}
	if (m->rhs != NSH_RHS_SET || m->set->ndata) {
		cannot(x, "%s: a named set or prefix has no iptables form", m->key->name);
		return;
	}
	for (i = 0; i < m->set->nelems; i++)
		n += m->set->elems[i].kind == NSH_ELEM_RANGE ? 2 : 1;
	if (n > 15 || m->set->elems[0].kind == NSH_ELEM_PREFIX) {
		cannot(x, "%s: multiport takes at most 15 ports", m->key->name);
		return;
	}
	nsh_buf_puts(&x->opts, " -m multiport");
	neg(x, m);
	nsh_buf_printf(&x->opts, " --%s ", dport ? "dports" : "sports");
	for (i = 0; i < m->set->nelems; i++) {
		const struct nsh_elem *e = &m->set->elems[i];

		nsh_buf_printf(&x->opts, "%s%u", i ? "," : "", port_of(&e->lo));
		if (e->kind == NSH_ELEM_RANGE)
			nsh_buf_printf(&x->opts, ":%u", port_of(&e->hi));
	}
}

/* fib saddr/daddr type -> -m addrtype --src-type/--dst-type (a set: a list). */
static void addrtype(struct xr *x, const struct nsh_match *m, bool dst)
{
	size_t i;
	uint32_t v;

	if ((m->op != NSH_OP_EQ && m->op != NSH_OP_NEQ) ||
	    (m->rhs != NSH_RHS_VALUE && m->rhs != NSH_RHS_SET)) {
		cannot(x, "%s: only = or != a type or a set of types", m->key->name);
		return;
	}
	nsh_buf_puts(&x->opts, " -m addrtype");
	neg(x, m);
	nsh_buf_printf(&x->opts, " --%s-type ", dst ? "dst" : "src");
	if (m->rhs == NSH_RHS_VALUE) {
		v = host32(&m->val);
		nsh_buf_puts(&x->opts, v < NSH_ARRAY_SIZE(rtn_upper) ? rtn_upper[v] : "UNSPEC");
		return;
	}
	for (i = 0; i < m->set->nelems; i++) {
		v = host32(&m->set->elems[i].lo);
		nsh_buf_printf(&x->opts, "%s%s", i ? "," : "",
			       v < NSH_ARRAY_SIZE(rtn_upper) ? rtn_upper[v] : "UNSPEC");
	}
}

/*
 * ct state bits (and ct status snat/dnat) -> -m conntrack --ctstate; the
 * other ct status bits -> --ctstatus (one option says one kind).
 */
static void ctstate(struct xr *x, const struct nsh_match *m, bool status)
{
	static const struct ctname { uint32_t bit; const char *name; } st[] = {
		{ 1, "INVALID" }, { 2, "ESTABLISHED" }, { 4, "RELATED" }, { 8, "NEW" },
		{ 64, "UNTRACKED" },
	}, ss[] = { { 16, "SNAT" }, { 32, "DNAT" } }, sx[] = {
		{ 1, "EXPECTED" }, { 2, "SEEN_REPLY" }, { 4, "ASSURED" }, { 8, "CONFIRMED" },
	};
	const struct ctname *names = status ? ss : st;
	const char *opt = "--ctstate";
	uint32_t v, left;
	size_t i, n = status ? 2 : NSH_ARRAY_SIZE(st), k = 0;

	if (m->rhs != NSH_RHS_VALUE || (m->op != NSH_OP_EQ && m->op != NSH_OP_NEQ)) {
		cannot(x, "%s: only = or != a list of states", m->key->name);
		return;
	}
	v = left = host32(&m->val);
	/* --ctstate is "any of": a whole-value compare says the same only for one state */
	if (!m->bitmask && (status || (v & (v - 1)))) {
		cannot(x, "%s: compares the whole value (==, !=); iptables' --ctstate takes any of "
		       "the flags", m->key->name);
		return;
	}
	if (status && !(v & 48)) {	/* no snat/dnat: --ctstatus */
		names = sx;
		n = NSH_ARRAY_SIZE(sx);
		opt = "--ctstatus";
	}
	for (i = 0; i < n; i++)
		left &= ~names[i].bit;
	if (left || !v) {
		cannot(x, "%s: a value iptables' conntrack match has no name for (or one that "
		       "mixes --ctstate SNAT/DNAT with --ctstatus)", m->key->name);
		return;
	}
	nsh_buf_puts(&x->opts, " -m conntrack");
	neg(x, m);
	nsh_buf_printf(&x->opts, " %s ", opt);
	for (i = 0; i < n; i++)
		if (v & names[i].bit)
			nsh_buf_printf(&x->opts, "%s%s", k++ ? "," : "", names[i].name);
}

/* ct direction -> -m conntrack --ctdir (which takes no "!": != writes the other one). */
static void ctdir(struct xr *x, const struct nsh_match *m)
{
	if (m->rhs != NSH_RHS_VALUE || (m->op != NSH_OP_EQ && m->op != NSH_OP_NEQ) ||
	    m->val.data[0] > 1) {
		cannot(x, "%s: only original or reply", m->key->name);
		return;
	}
	nsh_buf_printf(&x->opts, " -m conntrack --ctdir %s",
		       (m->val.data[0] == 1) != (m->op == NSH_OP_NEQ) ? "REPLY" : "ORIGINAL");
}

/* meta random < X -> -m statistic --mode random --probability X/2^32. */
static void statistic(struct xr *x, const struct nsh_match *m)
{
	uint32_t v = (uint32_t)m->val.data[0] << 24 | m->val.data[1] << 16 |
		     m->val.data[2] << 8 | m->val.data[3];
	double p;
	bool inv = false;

	if (m->rhs != NSH_RHS_VALUE) {
		cannot(x, "%s: only < N or >= N", m->key->name);
		return;
	}
	if (m->op == NSH_OP_LTE && v == 0xffffffff) {
		p = 1.0;
	} else if ((m->op == NSH_OP_LT || m->op == NSH_OP_GTE) && v % 2 == 0) {
		p = v / 4294967296.0;
		inv = m->op == NSH_OP_GTE;
	} else {
		cannot(x, "%s: iptables' statistic takes \"< N\" (or \">= N\") with an even N",
		       m->key->name);
		return;
	}
	nsh_buf_printf(&x->opts, " -m statistic --mode random%s --probability %.10f",
		       inv ? " !" : "", p);
}

/* numgen inc mod N P (or != P) -> -m statistic --mode nth [!] --every N --packet P. */
static void statistic_nth(struct xr *x, const struct nsh_match *m)
{
	uint32_t p = host32(&m->val);

	if (m->numgen_type != NFT_NG_INCREMENTAL || m->numgen_offset || m->rhs != NSH_RHS_VALUE ||
	    (m->op != NSH_OP_EQ && m->op != NSH_OP_NEQ) || p >= m->numgen_mod) {
		cannot(x, "%s", "numgen: iptables' statistic nth takes \"numgen inc mod N P\" "
		       "(or != P) with P below N, no offset");
		return;
	}
	nsh_buf_printf(&x->opts, " -m statistic --mode nth%s --every %u --packet %u",
		       m->op == NSH_OP_NEQ ? " !" : "", m->numgen_mod, p);
}

/* One match; what natsh does not know how to write leaves the rule out. */
static void match(struct xr *x, const struct nsh_match *m)
{
	switch (m->key->id) {
	case NSH_K_IIFNAME:
	case NSH_K_OIFNAME:
		if (m->rhs != NSH_RHS_VALUE || (m->op != NSH_OP_EQ && m->op != NSH_OP_NEQ)) {
			cannot(x, "%s: iptables takes one name (or NAME+)", m->key->name);
			return;
		}
		neg(x, m);
		nsh_buf_printf(&x->opts, " -%c %.*s%s", m->key->id == NSH_K_IIFNAME ? 'i' : 'o',
			       (int)strnlen((const char *)m->val.data, m->val.len), m->val.data,
			       strnlen((const char *)m->val.data, m->val.len) == m->val.len &&
			       m->val.len < 16 ? "+" : "");
		return;
	case NSH_K_META_NFPROTO:
		return;		/* chosen by the family being written */
	case NSH_K_META_L4PROTO:
	case NSH_K_IP_PROTOCOL:
	case NSH_K_IP6_NEXTHDR:
		if (m->rhs != NSH_RHS_VALUE || (m->op != NSH_OP_EQ && m->op != NSH_OP_NEQ)) {
			cannot(x, "%s: iptables takes one protocol", m->key->name);
			return;
		}
		proto(x, m->val.data[0], m->op == NSH_OP_NEQ);
		if (m->op == NSH_OP_NEQ)
			x->l4 = -1;	/* no port options after "! -p" */
		return;
	case NSH_K_IP_SADDR:
	case NSH_K_IP6_SADDR:
		addr(x, m, "-s");
		return;
	case NSH_K_IP_DADDR:
	case NSH_K_IP6_DADDR:
		addr(x, m, "-d");
		return;
	case NSH_K_TCP_SPORT:
	case NSH_K_TCP_DPORT:
		ports(x, m, IPPROTO_TCP, m->key->id == NSH_K_TCP_DPORT);
		return;
	case NSH_K_UDP_SPORT:
	case NSH_K_UDP_DPORT:
		ports(x, m, IPPROTO_UDP, m->key->id == NSH_K_UDP_DPORT);
		return;
	case NSH_K_CT_STATE:
		ctstate(x, m, false);
		return;
	case NSH_K_CT_STATUS:
		ctstate(x, m, true);
		return;
	case NSH_K_CT_DIRECTION:
		ctdir(x, m);
		return;
	case NSH_K_FIB_SADDR_TYPE:
	case NSH_K_FIB_DADDR_TYPE:
		addrtype(x, m, m->key->id == NSH_K_FIB_DADDR_TYPE);
		return;
	case NSH_K_META_MARK:
	case NSH_K_CT_MARK:
		if (m->rhs != NSH_RHS_VALUE || (m->op != NSH_OP_EQ && m->op != NSH_OP_NEQ)) {
			cannot(x, "%s: only = or != one mark", m->key->name);
			return;
		}
		nsh_buf_printf(&x->opts, " -m %s", m->key->id == NSH_K_META_MARK ? "mark" : "connmark");
		neg(x, m);
		nsh_buf_printf(&x->opts, " --mark 0x%x", host32(&m->val));
		return;
	case NSH_K_META_RANDOM:
		statistic(x, m);
		return;
	case NSH_K_NUMGEN:
		statistic_nth(x, m);
		return;
	default:
		cannot(x, "%s has no iptables NAT option natsh writes", m->key->name);
		return;
	}
}

/* snat/dnat/masquerade/redirect -> the target and its options. */
static void nat(struct xr *x, const struct nsh_nat *n)
{
	static const char *const targets[] = {
		[NSH_NAT_SNAT] = "SNAT", [NSH_NAT_DNAT] = "DNAT",
		[NSH_NAT_MASQ] = "MASQUERADE", [NSH_NAT_REDIR] = "REDIRECT",
	};
	enum nsh_type at = x->family == NSH_FAM_IP6 ? NSH_T_IPV6 : NSH_T_IPV4;
	struct nsh_val hi;
	bool brackets = at == NSH_T_IPV6 && n->has_port;

	if (n->addr == NSH_NAT_ADDR_MAP) {
		cannot(x, "%s", "a nat map (numgen or port map) has no iptables form: write one rule "
		       "per backend with -m statistic");
		return;
	}
	if (n->family && n->family != x->family) {
		cannot(x, "%s", "its nat statement is for the other address family");
		return;
	}
	if (n->has_port && x->l4 != IPPROTO_TCP && x->l4 != IPPROTO_UDP) {
		cannot(x, "%s", "a NAT port needs -p tcp or -p udp, which the rule does not match");
		return;
	}
	nsh_buf_printf(&x->opts, " -j %s", targets[n->type]);
	if (n->type == NSH_NAT_SNAT || n->type == NSH_NAT_DNAT) {
		if (n->addr == NSH_NAT_ADDR_NONE && !n->has_port) {
			cannot(x, "%s", "snat/dnat without an address");
			return;
		}
		nsh_buf_printf(&x->opts, " --to-%s ", n->type == NSH_NAT_SNAT ? "source" : "destination");
		if (n->addr != NSH_NAT_ADDR_NONE) {
			nsh_buf_puts(&x->opts, brackets ? "[" : "");
			nsh_val_render(at, &n->addr_min, &x->opts);
			if (n->addr == NSH_NAT_ADDR_RANGE || n->addr == NSH_NAT_ADDR_PREFIX) {
				hi = n->addr == NSH_NAT_ADDR_RANGE ? n->addr_max : n->addr_min;
				if (n->addr == NSH_NAT_ADDR_PREFIX) {
					for (unsigned b = n->addr_plen; b < hi.len * 8u; b++)
						hi.data[b / 8] |= (uint8_t)(0x80 >> (b % 8));
				}
				nsh_buf_puts(&x->opts, "-");
				nsh_val_render(at, &hi, &x->opts);
			}
			nsh_buf_puts(&x->opts, brackets ? "]" : "");
		}
		if (n->has_port) {
			nsh_buf_printf(&x->opts, ":%u", n->port_min);
			if (n->port_max != n->port_min)
				nsh_buf_printf(&x->opts, "-%u", n->port_max);
		}
	} else if (n->has_port) {
		nsh_buf_printf(&x->opts, " --to-ports %u", n->port_min);
		if (n->port_max != n->port_min)
			nsh_buf_printf(&x->opts, "-%u", n->port_max);
	}
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM)
		nsh_buf_puts(&x->opts, " --random");
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY)
		nsh_buf_puts(&x->opts, " --random-fully");
	if (n->flags & NF_NAT_RANGE_PERSISTENT) {
		if (n->type == NSH_NAT_MASQ || n->type == NSH_NAT_REDIR)
			cannot(x, "%s", "persistent belongs to SNAT and DNAT in iptables");
		nsh_buf_puts(&x->opts, " --persistent");
	}
}

/* Does the rule apply to this family?  (meta nfproto, ip/ip6 keys, nat family) */
static bool rule_for_family(const struct nsh_rule *r, int tfamily, int family)
{
	size_t i;
	int want = family == NSH_FAM_IP6 ? NFPROTO_IPV6 : NFPROTO_IPV4;

	if (tfamily != NSH_FAM_INET)
		return tfamily == family;
	for (i = 0; i < r->nstmts; i++) {
		const struct nsh_stmt *s = &r->stmts[i];

		if (s->kind == NSH_ST_MATCH) {
			if (s->match.key->id == NSH_K_META_NFPROTO && s->match.op == NSH_OP_EQ &&
			    s->match.rhs == NSH_RHS_VALUE && s->match.val.data[0] != want)
				return false;
			if (s->match.key->nfproto_dep && s->match.key->nfproto_dep != want)
				return false;
		} else if (s->kind == NSH_ST_NAT && s->nat.family && s->nat.family != family) {
			return false;
		}
	}
	return true;
}

/* The iptables chain of a model chain: its hook's name for a nat base chain. */
static const char *ipt_chain(const struct nsh_chain *c)
{
	if (!c->base)
		return c->name;
	switch (c->hooknum) {
	case NF_INET_PRE_ROUTING:	return "PREROUTING";
	case NF_INET_LOCAL_IN:		return "INPUT";
	case NF_INET_LOCAL_OUT:		return "OUTPUT";
	case NF_INET_POST_ROUTING:	return "POSTROUTING";
	default:			return c->name;
	}
}

/* One rule's options, or the reason it has none. */
static void rule_opts(struct xr *x, const struct nsh_rule *r)
{
	static const char *const verdicts[] = {
		[NSH_V_ACCEPT] = "ACCEPT", [NSH_V_RETURN] = "RETURN",
	};
	size_t i;

	for (i = 0; i < r->nstmts && !x->why; i++) {
		const struct nsh_stmt *s = &r->stmts[i];

		switch (s->kind) {
		case NSH_ST_MATCH:
			match(x, &s->match);
			break;
		case NSH_ST_COUNTER:
			break;		/* iptables counts every rule */
		case NSH_ST_NAT:
			nat(x, &s->nat);
			break;
		case NSH_ST_VERDICT:
			if (s->verdict.code == NSH_V_ACCEPT || s->verdict.code == NSH_V_RETURN)
				nsh_buf_printf(&x->opts, " -j %s", verdicts[s->verdict.code]);
			else if (s->verdict.code == NSH_V_JUMP)
				nsh_buf_printf(&x->opts, " -j %s", s->verdict.chain);
			else
				cannot(x, "%s", "drop, continue and goto have no iptables NAT form");
			break;
		case NSH_ST_OPAQUE:
			if (r->nft_text)
				cannot(x, "natsh does not understand it (nft lists it as \"%s\")",
				       r->nft_text);
			else
				cannot(x, "it holds \"%s\", which natsh does not understand",
				       s->opaque.text ? s->opaque.text : "?");
			break;
		default:
			cannot(x, "%s", "it holds a statement iptables has no form for");
			break;
		}
	}
	if (!x->why && r->comment) {
		if (strchr(r->comment, '"'))
			cannot(x, "%s", "its comment holds a '\"'");
		else
			nsh_buf_printf(&x->opts, " -m comment --comment \"%s\"", r->comment);
	}
}

/* See ipt_export.h. */
size_t nsh_ipt_export(const struct nsh_table *t, int family, struct nsh_buf *out,
		      struct nsh_ipt_skip **skips, size_t *nskips)
{
	static const char *const builtin[] = { "PREROUTING", "INPUT", "OUTPUT", "POSTROUTING" };
	size_t i, j, written = 0;

	nsh_buf_puts(out, "*nat\n");
	for (i = 0; i < NSH_ARRAY_SIZE(builtin); i++)
		nsh_buf_printf(out, ":%s ACCEPT [0:0]\n", builtin[i]);
	for (i = 0; i < t->nchains; i++)
		if (!t->chains[i].base)
			nsh_buf_printf(out, ":%s - [0:0]\n", t->chains[i].name);
	for (i = 0; i < t->nchains; i++) {
		const struct nsh_chain *c = &t->chains[i];

		for (j = 0; j < c->nrules; j++) {
			const struct nsh_rule *r = &c->rules[j];
			struct xr x = { .t = t, .family = family };

			if (!rule_for_family(r, t->family, family))
				continue;
			nsh_buf_init(&x.opts);
			rule_opts(&x, r);
			if (x.why) {
				struct nsh_ipt_skip *sk;

				*skips = nsh_xrealloc(*skips, (*nskips + 1) * sizeof(**skips));
				sk = &(*skips)[(*nskips)++];
				sk->chain = c->name;
				sk->position = r->position;
				sk->handle = r->handle;
				snprintf(sk->why, sizeof(sk->why), "%s", x.why);
			} else {
				nsh_buf_printf(out, "-A %s%s\n", ipt_chain(c), x.opts.s);
				written++;
			}
			nsh_buf_free(&x.opts);
		}
	}
	nsh_buf_puts(out, "COMMIT\n");
	return written;
}

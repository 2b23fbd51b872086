/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Conntrack entries attributed to the NAT rules that made them (model/flows.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netfilter.h>

#include "lib/util.h"
#include "model/flows.h"

#define RTN_LOCAL_ 2	/* rtnetlink's RTN_LOCAL: fib daddr type local */

/* One NAT rule, ready to be evaluated against entries. */
struct frule {
	const struct nsh_table *t;
	const struct nsh_rule *r;
	const struct nsh_nat *nat;
	struct nsh_flow_ref ref;
	size_t flat;			/* index into counts */
	uint64_t order;			/* the order packets meet the rules */
	uint32_t hook;			/* NF_INET_* of a base chain, UINT32_MAX otherwise */
	const char *oif;		/* masquerade: the out interface named by oifname, or NULL */
	bool dst;			/* translates the destination (dnat, redirect) */
};

/* A target address of a rule, sorted by (dst, alen, addr, order). */
struct fkey {
	uint8_t dst, alen;
	uint8_t addr[16];
	uint64_t order;
	size_t rule;			/* index into rules */
};

struct nsh_flows {
	struct frule *rules;		/* sorted by order */
	size_t nrules;
	struct fkey *keys;		/* sorted */
	size_t nkeys;
	size_t *wild;			/* rules without a single target address, by order */
	size_t nwild;
	int64_t *counts;		/* flat: every rule of rs */
	const char **why;		/* flat: why a rule is unknown */
	size_t *choff;			/* per table: offset of its first chain in chrule */
	size_t *chrule;			/* per chain: offset of its first rule in counts */
	size_t ntables, nchains;
	struct nsh_flow_local *loc;
	size_t nloc;
};

static int key_cmp(const void *a, const void *b)
{
	const struct fkey *x = a, *y = b;
	int c;

	if (x->dst != y->dst)
		return x->dst < y->dst ? -1 : 1;
	if (x->alen != y->alen)
		return x->alen < y->alen ? -1 : 1;
	if ((c = memcmp(x->addr, y->addr, x->alen)))
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int rule_cmp(const void *a, const void *b)
{
	const struct frule *x = a, *y = b;

	return x->order < y->order ? -1 : x->order > y->order;
}

/* Whether natsh can evaluate a match from an entry's original tuple. */
static bool match_supported(const struct nsh_match *m)
{
	if (m->rhs == NSH_RHS_NAMED_SET)
		return false;
	switch (m->key->id) {
	case NSH_K_IIFNAME: case NSH_K_OIFNAME:		/* taken as met */
	case NSH_K_CT_STATE:				/* the first packet: new */
		return true;
	case NSH_K_META_L4PROTO: case NSH_K_META_NFPROTO:
	case NSH_K_IP_SADDR: case NSH_K_IP_DADDR: case NSH_K_IP_PROTOCOL:
	case NSH_K_IP6_SADDR: case NSH_K_IP6_DADDR: case NSH_K_IP6_NEXTHDR:
	case NSH_K_TCP_SPORT: case NSH_K_TCP_DPORT: case NSH_K_UDP_SPORT: case NSH_K_UDP_DPORT:
	case NSH_K_TH_SPORT: case NSH_K_TH_DPORT: case NSH_K_SCTP_SPORT: case NSH_K_SCTP_DPORT:
	case NSH_K_DCCP_SPORT: case NSH_K_DCCP_DPORT:
	case NSH_K_UDPLITE_SPORT: case NSH_K_UDPLITE_DPORT:
		return m->rhs != NSH_RHS_VALUE || !m->bitmask;
	case NSH_K_CT_STATUS:
		return m->rhs == NSH_RHS_VALUE && m->val.len == 4 &&
		       (m->op == NSH_OP_EQ || m->op == NSH_OP_NEQ);
	case NSH_K_FIB_DADDR_TYPE: case NSH_K_FIB_SADDR_TYPE:
		return m->rhs == NSH_RHS_VALUE && (m->op == NSH_OP_EQ || m->op == NSH_OP_NEQ) &&
		       m->val.len == 4;
	default:
		return false;
	}
}

/* Compare big-endian byte strings of equal length. */
static int be_cmp(const uint8_t *a, const uint8_t *b, size_t n)
{
	return memcmp(a, b, n);
}

/* Whether the first plen bits agree. */
static bool prefix_eq(const uint8_t *a, const uint8_t *b, unsigned plen)
{
	unsigned bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, b, bytes))
		return false;
	return !bits || ((a[bytes] ^ b[bytes]) & (uint8_t)(0xff << (8 - bits))) == 0;
}

static bool elem_has(const struct nsh_elem *e, const uint8_t *k, size_t n)
{
	if (e->lo.len != n)
		return false;
	switch (e->kind) {
	case NSH_ELEM_RANGE:
		return be_cmp(e->lo.data, k, n) <= 0 && be_cmp(k, e->hi.data, n) <= 0;
	case NSH_ELEM_PREFIX:
		return prefix_eq(e->lo.data, k, e->plen);
	default:
		return !memcmp(e->lo.data, k, n);
	}
}

/* The right-hand side against key bytes k (n bytes): -1 less, 0 in/equal, 1 greater. */
static int rhs_cmp(const struct nsh_match *m, const uint8_t *k, size_t n)
{
	size_t i;
	int c;

	switch (m->rhs) {
	case NSH_RHS_PREFIX:
		return m->val.len == n && prefix_eq(m->val.data, k, m->plen) ? 0 : 2;
	case NSH_RHS_RANGE:
		if (m->val.len != n || be_cmp(k, m->val.data, n) < 0)
			return 2;
		return be_cmp(k, m->hi.data, n) <= 0 ? 0 : 2;
	case NSH_RHS_SET:
		for (i = 0; m->set && i < m->set->nelems; i++)
			if (elem_has(&m->set->elems[i], k, n))
				return 0;
		return 2;
	default:
		if (m->val.len != n)
			return 2;
		c = be_cmp(k, m->val.data, n);
		return c < 0 ? -1 : c > 0 ? 1 : 0;
	}
}

static bool is_local(const struct nsh_flows *f, uint8_t fam, const uint8_t *a, const char *ifn)
{
	size_t i, alen = fam == AF_INET6 ? 16 : 4;

	for (i = 0; i < f->nloc; i++)
		if (f->loc[i].family == fam && !memcmp(f->loc[i].addr, a, alen) &&
		    (!ifn || !strcmp(f->loc[i].ifname, ifn)))
			return true;
	return false;
}

/*
 * One match against the packet as the rule saw it: the original tuple for
 * destination NAT (prerouting, output); for source NAT (postrouting,
 * input) the original source with the destination after DNAT.
 */
struct view {
	const uint8_t *src, *dst;
	uint16_t sport, dport;
};

static bool match_eval(const struct nsh_flows *f, const struct nsh_match *m,
		       const struct nsh_ct *ct, const struct view *vw)
{
	uint8_t k[16];
	size_t n = 0;
	uint16_t port = 0;
	bool ports = nsh_ct_has_ports(ct->proto), l4ok = true;
	int c;

	switch (m->key->id) {
	case NSH_K_IIFNAME: case NSH_K_OIFNAME: case NSH_K_CT_STATE:
		return true;
	case NSH_K_CT_STATUS: {
		uint32_t want;
		bool hit;

		memcpy(&want, m->val.data, 4);
		hit = m->bitmask ? (ct->status & want) != 0 : ct->status == want;
		return m->op == NSH_OP_EQ ? hit : !hit;
	}
	case NSH_K_FIB_DADDR_TYPE: case NSH_K_FIB_SADDR_TYPE: {
		uint32_t want;
		bool loc = is_local(f, ct->family, m->key->id == NSH_K_FIB_SADDR_TYPE ?
				    vw->src : vw->dst, NULL);

		memcpy(&want, m->val.data, 4);
		if (want != RTN_LOCAL_)
			return false;
		return m->op == NSH_OP_EQ ? loc : !loc;
	}
	case NSH_K_META_NFPROTO:
		k[n++] = ct->family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
		break;
	case NSH_K_META_L4PROTO: case NSH_K_IP_PROTOCOL: case NSH_K_IP6_NEXTHDR:
		k[n++] = ct->proto;
		break;
	case NSH_K_IP_SADDR: case NSH_K_IP6_SADDR:
		n = nsh_ct_alen(ct);
		memcpy(k, vw->src, n);
		break;
	case NSH_K_IP_DADDR: case NSH_K_IP6_DADDR:
		n = nsh_ct_alen(ct);
		memcpy(k, vw->dst, n);
		break;
	default: {	/* the port keys */
		enum nsh_key_id id = m->key->id;
		bool sport = id == NSH_K_TCP_SPORT || id == NSH_K_UDP_SPORT || id == NSH_K_TH_SPORT ||
			     id == NSH_K_SCTP_SPORT || id == NSH_K_DCCP_SPORT ||
			     id == NSH_K_UDPLITE_SPORT;

		if (m->key->l4proto_dep && m->key->l4proto_dep != 255)
			l4ok = ct->proto == m->key->l4proto_dep;
		if (!ports || !l4ok)
			return false;	/* the key is absent: no match, != included */
		port = sport ? vw->sport : vw->dport;
		k[0] = (uint8_t)(port >> 8);
		k[1] = (uint8_t)port;
		n = 2;
		break;
	}
	}
	c = rhs_cmp(m, k, n);
	switch (m->op) {
	case NSH_OP_NEQ:	return c != 0;
	case NSH_OP_LT:		return c == -1;
	case NSH_OP_GT:		return c == 1;
	case NSH_OP_LTE:	return c == -1 || c == 0;
	case NSH_OP_GTE:	return c == 1 || c == 0;
	default:		return c == 0;
	}
}

/* Whether an address of alen bytes lies in [lo, hi]. */
static bool addr_in(const struct nsh_val *lo, const struct nsh_val *hi, const uint8_t *a,
		    size_t alen)
{
	return lo->len == alen && be_cmp(lo->data, a, alen) <= 0 && be_cmp(a, hi->data, alen) <= 0;
}

/* Whether the entry's translation is the rule's. */
static bool translation_eval(const struct nsh_flows *f, const struct frule *fr,
			     const struct nsh_ct *ct)
{
	const struct nsh_nat *nat = fr->nat;
	size_t alen = nsh_ct_alen(ct), i;
	bool ports = nsh_ct_has_ports(ct->proto);
	/* the new address and port; before: the old ones */
	const uint8_t *a = fr->dst ? ct->reply.src : ct->reply.dst;
	const uint8_t *before = fr->dst ? ct->orig.dst : ct->orig.src;
	uint16_t p = fr->dst ? ct->reply.sport : ct->reply.dport;
	uint16_t pbefore = fr->dst ? ct->orig.dport : ct->orig.sport;

	if (fr->dst ? !nsh_ct_is_dnat(ct) : !nsh_ct_is_snat(ct))
		return false;
	switch (nat->type) {
	case NSH_NAT_MASQ:
		if (!is_local(f, ct->family, a, fr->oif))
			return false;
		break;
	case NSH_NAT_REDIR:
		if (!is_local(f, ct->family, a, NULL))
			return false;
		break;
	default:
		switch (nat->addr) {
		case NSH_NAT_ADDR_NONE:
			if (memcmp(a, before, alen))
				return false;
			break;
		case NSH_NAT_ADDR_MAP:
			for (i = 0; nat->map && i < nat->map->nelems; i++) {
				const struct nsh_elem *e = &nat->map->elems[i];

				if (e->data[0].len != alen || memcmp(e->data[0].data, a, alen))
					continue;
				if (e->ndata < 2 || !ports)
					return true;
				if (e->data[1].len == 2 &&
				    ((uint16_t)(e->data[1].data[0] << 8 | e->data[1].data[1])) == p)
					return true;
			}
			return false;
		case NSH_NAT_ADDR_VALUE:
			if (nat->addr_min.len != alen || memcmp(nat->addr_min.data, a, alen))
				return false;
			break;
		case NSH_NAT_ADDR_PREFIX:
			if (nat->addr_min.len != alen || !prefix_eq(nat->addr_min.data, a,
								     nat->addr_plen))
				return false;
			break;
		default:
			if (!addr_in(&nat->addr_min, &nat->addr_max, a, alen))
				return false;
		}
	}
	if (!ports)
		return true;
	if (nat->has_port)
		return p >= nat->port_min && p <= nat->port_max;
	/* no port given: unchanged, except that snat/masquerade may pick another source port */
	return fr->dst ? p == pbefore : true;
}

/* The rule's matches and translation against the entry. */
static bool rule_eval(const struct nsh_flows *f, const struct frule *fr, const struct nsh_ct *ct)
{
	struct view vw = { ct->orig.src, ct->orig.dst, ct->orig.sport, ct->orig.dport };
	size_t i;

	if (!fr->dst) {		/* source NAT sees the destination DNAT made */
		vw.dst = ct->reply.src;
		vw.dport = ct->reply.sport;
	}
	/* which hook saw the first packet: output only the router's own, input only its own */
	if ((fr->hook == NF_INET_PRE_ROUTING || fr->hook == NF_INET_LOCAL_OUT) &&
	    is_local(f, ct->family, vw.src, NULL) != (fr->hook == NF_INET_LOCAL_OUT))
		return false;
	if (fr->hook == NF_INET_LOCAL_IN && !is_local(f, ct->family, vw.dst, NULL))
		return false;
	if (fr->t->family != NSH_FAM_INET &&
	    fr->t->family != (ct->family == AF_INET6 ? NSH_FAM_IP6 : NSH_FAM_IP))
		return false;
	if (fr->nat->family && fr->nat->family != (ct->family == AF_INET6 ? NSH_FAM_IP6 : NSH_FAM_IP))
		return false;
	for (i = 0; i < fr->r->nstmts; i++) {
		const struct nsh_stmt *s = &fr->r->stmts[i];

		if (s->kind == NSH_ST_NAT)
			break;		/* what follows the nat statement does not gate it */
		if (s->kind == NSH_ST_MATCH && !match_eval(f, &s->match, ct, &vw))
			return false;
	}
	return translation_eval(f, fr, ct);
}

/* Classify one rule: NOT_NAT, UNKNOWN (why set) or a candidate (returns its nat). */
static const struct nsh_nat *rule_nat(const struct nsh_rule *r, const char **why,
				      const char **oif)
{
	const struct nsh_nat *nat = NULL;
	size_t i;

	*why = NULL;
	*oif = NULL;
	for (i = 0; i < r->nstmts && !nat; i++) {
		const struct nsh_stmt *s = &r->stmts[i];

		if (s->kind == NSH_ST_NAT)
			nat = &s->nat;
		else if (s->kind == NSH_ST_MATCH && !match_supported(&s->match) && !*why)
			*why = s->match.key->name;
		else if (s->kind == NSH_ST_OPAQUE && !*why)
			*why = "an expression natsh does not understand";
		else if (s->kind == NSH_ST_MATCH && s->match.key->id == NSH_K_OIFNAME &&
			 s->match.op == NSH_OP_EQ && s->match.rhs == NSH_RHS_VALUE)
			*oif = (const char *)s->match.val.data;
	}
	return nat;
}

/* See flows.h. */
struct nsh_flows *nsh_flows_new(const struct nsh_ruleset *rs, const struct nsh_flow_local *loc,
				size_t nloc)
{
	struct nsh_flows *f = nsh_xcalloc(1, sizeof(*f));
	size_t ti, ci, ri, total = 0, nch = 0, kcap = 0, i;

	f->ntables = rs->ntables;
	f->choff = nsh_xcalloc(rs->ntables + 1, sizeof(*f->choff));
	for (ti = 0; ti < rs->ntables; ti++) {
		f->choff[ti] = nch;
		nch += rs->tables[ti].nchains;
	}
	f->choff[ti] = nch;
	f->nchains = nch;
	f->chrule = nsh_xcalloc(nch + 1, sizeof(*f->chrule));
	for (ti = 0; ti < rs->ntables; ti++)
		for (ci = 0; ci < rs->tables[ti].nchains; ci++) {
			f->chrule[f->choff[ti] + ci] = total;
			total += rs->tables[ti].chains[ci].nrules;
		}
	f->chrule[nch] = total;
	f->counts = nsh_xcalloc(total ? total : 1, sizeof(*f->counts));
	f->why = nsh_xcalloc(total ? total : 1, sizeof(*f->why));
	f->rules = nsh_xcalloc(total ? total : 1, sizeof(*f->rules));
	for (ti = 0; ti < rs->ntables; ti++) {
		const struct nsh_table *t = &rs->tables[ti];

		for (ci = 0; ci < t->nchains; ci++) {
			const struct nsh_chain *c = &t->chains[ci];
			/* hook rank, priority, table, chain: base chains first, by hook */
			uint64_t corder = ((uint64_t)(c->base ? c->hooknum : 15) << 60) |
					  ((uint64_t)(((uint32_t)c->prio ^ 0x80000000u) >> 8) << 36) |
					  ((uint64_t)(ti & 0xff) << 28) | ((uint64_t)(ci & 0xff) << 20);

			for (ri = 0; ri < c->nrules; ri++) {
				size_t flat = f->chrule[f->choff[ti] + ci] + ri;
				const char *why, *oif;
				const struct nsh_nat *nat = rule_nat(&c->rules[ri], &why, &oif);

				if (!nat) {
					f->counts[flat] = NSH_FLOWS_NOT_NAT;
					continue;
				}
				if (why || c->rules[ri].opaque) {
					f->counts[flat] = NSH_FLOWS_UNKNOWN;
					f->why[flat] = why ? why : "an expression natsh does not understand";
					continue;
				}
				f->rules[f->nrules++] = (struct frule){
					.t = t, .r = &c->rules[ri], .nat = nat,
					.ref = { ti, ci, ri }, .flat = flat,
					.order = corder + (ri & 0xfffff),
					.hook = c->base ? c->hooknum : UINT32_MAX,
					.oif = oif,
					.dst = nat->type == NSH_NAT_DNAT || nat->type == NSH_NAT_REDIR,
				};
			}
		}
	}
	qsort(f->rules, f->nrules, sizeof(*f->rules), rule_cmp);
	for (i = 0; i < f->nrules; i++) {
		const struct frule *fr = &f->rules[i];
		const struct nsh_nat *nat = fr->nat;
		size_t e, nk = 0;

		/* a single target address (or a map's): indexed; else a wild rule */
		if ((nat->type == NSH_NAT_DNAT || nat->type == NSH_NAT_SNAT) &&
		    (nat->addr == NSH_NAT_ADDR_VALUE || nat->addr == NSH_NAT_ADDR_MAP)) {
			for (e = 0; e < (nat->addr == NSH_NAT_ADDR_MAP ?
					 (nat->map ? nat->map->nelems : 0) : 1); e++) {
				const struct nsh_val *v = nat->addr == NSH_NAT_ADDR_MAP ?
					&nat->map->elems[e].data[0] : &nat->addr_min;

				if (v->len != 4 && v->len != 16)
					continue;
				if (f->nkeys == kcap) {
					kcap = kcap ? kcap * 2 : 64;
					f->keys = nsh_xrealloc(f->keys, kcap * sizeof(*f->keys));
				}
				f->keys[f->nkeys] = (struct fkey){
					.dst = fr->dst, .alen = v->len, .order = fr->order, .rule = i,
				};
				memcpy(f->keys[f->nkeys].addr, v->data, v->len);
				f->nkeys++;
				nk++;
			}
			if (nk)
				continue;
		}
		f->wild = nsh_xrealloc(f->wild, (f->nwild + 1) * sizeof(*f->wild));
		f->wild[f->nwild++] = i;
	}
	if (f->nkeys)
		qsort(f->keys, f->nkeys, sizeof(*f->keys), key_cmp);
	if (nloc) {
		f->loc = nsh_xmalloc(nloc * sizeof(*loc));
		memcpy(f->loc, loc, nloc * sizeof(*loc));
		f->nloc = nloc;
	}
	return f;
}

/* First key >= (dst, alen, addr) with any order. */
static size_t key_lower(const struct nsh_flows *f, bool dst, size_t alen, const uint8_t *addr)
{
	struct fkey k = { .dst = dst, .alen = (uint8_t)alen, .order = 0 };
	size_t lo = 0, hi = f->nkeys;

	memcpy(k.addr, addr, alen);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp(&f->keys[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first rule (in packet order) of one direction that made the entry; SIZE_MAX if none. */
static size_t attribute(const struct nsh_flows *f, const struct nsh_ct *ct, bool dst)
{
	size_t alen = nsh_ct_alen(ct), k, w = 0;
	const uint8_t *a = dst ? ct->reply.src : ct->reply.dst;

	k = key_lower(f, dst, alen, a);
	/* merge the indexed candidates with the wild ones, in packet order */
	for (;;) {
		bool kv = k < f->nkeys && f->keys[k].dst == dst && f->keys[k].alen == alen &&
			  !memcmp(f->keys[k].addr, a, alen);
		size_t wi;

		while (w < f->nwild && f->rules[f->wild[w]].dst != dst)
			w++;
		wi = w < f->nwild ? f->wild[w] : SIZE_MAX;
		if (!kv && wi == SIZE_MAX)
			return SIZE_MAX;
		if (kv && (wi == SIZE_MAX || f->keys[k].order < f->rules[wi].order)) {
			if (rule_eval(f, &f->rules[f->keys[k].rule], ct))
				return f->keys[k].rule;
			k++;
		} else {
			if (rule_eval(f, &f->rules[wi], ct))
				return wi;
			w++;
		}
	}
}

/* See flows.h. */
size_t nsh_flows_add(struct nsh_flows *f, const struct nsh_ct *ct, struct nsh_flow_ref out[2])
{
	size_t n = 0, r;
	int d;

	for (d = 1; d >= 0; d--) {
		if (d ? !nsh_ct_is_dnat(ct) : !nsh_ct_is_snat(ct))
			continue;
		r = attribute(f, ct, d);
		if (r == SIZE_MAX)
			continue;
		f->counts[f->rules[r].flat]++;
		out[n++] = f->rules[r].ref;
	}
	return n;
}

/* See flows.h. */
const int64_t *nsh_flows_chain(const struct nsh_flows *f, size_t ti, size_t ci)
{
	if (!f || ti >= f->ntables || f->choff[ti] + ci >= f->choff[ti + 1])
		return NULL;
	return &f->counts[f->chrule[f->choff[ti] + ci]];
}

/* See flows.h. */
const char *nsh_flows_why(const struct nsh_flows *f, size_t ti, size_t ci, size_t ri)
{
	if (!f || ti >= f->ntables || f->choff[ti] + ci >= f->choff[ti + 1])
		return NULL;
	return f->why[f->chrule[f->choff[ti] + ci] + ri];
}

/* See flows.h. */
void nsh_flows_free(struct nsh_flows *f)
{
	if (!f)
		return;
	free(f->rules);
	free(f->keys);
	free(f->wild);
	free(f->counts);
	free(f->why);
	free(f->choff);
	free(f->chrule);
	free(f->loc);
	free(f);
}

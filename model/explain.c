/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What-if: a first packet's path through the NAT chains (model/explain.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netfilter.h>

#include "lib/util.h"
#include "model/explain.h"
#include "model/hooks.h"

#define RTN_LOCAL_	2		/* rtnetlink's RTN_LOCAL: fib ... type local */
#define IPS_SRC_NAT_	(1u << 4)
#define IPS_DST_NAT_	(1u << 5)
/* ct status bits known to be clear on a first packet: expected, seen-reply, assured, confirmed */
#define IPS_FIRST_CLEAR	(1u << 0 | 1u << 1 | 1u << 2 | 1u << 3)
#define CT_STATE_NEW	8u		/* NF_CT_STATE_BIT(IP_CT_NEW) */
#define MAX_DEPTH	16		/* jumps deep, as the kernel's NFT_JUMP_STACK_SIZE */

enum stage { ST_PRE, ST_IN, ST_OUT, ST_POST, ST_DONE };

struct frame {
	const struct nsh_table *t;
	const struct nsh_chain *c;
	size_t ri;			/* next rule */
	bool isgoto;			/* entered by goto: its end returns past its caller */
};

/* One path being walked: copied at every fork. */
struct st {
	struct nsh_xp_pkt p;
	enum stage stage;
	size_t hi;			/* next hook entry of the stage */
	bool hook_done;			/* a chain of this hook translated */
	int depth;			/* frames in use; 0: between chains */
	struct frame fr[MAX_DEPTH + 1];
	struct nsh_xp_path path;
	size_t cap;
};

struct xp {
	const struct nsh_ruleset *rs;
	const struct nsh_xp_env *env;
	struct nsh_hook_ent *hooks;
	size_t nhooks;
	struct nsh_xp *x;
	size_t pcap;
	size_t nforks;			/* paths started besides the first */
};

/* May the walk start one more path?  Beyond the bound the result says it left some out. */
static bool fork_ok(struct xp *x)
{
	if (x->nforks + 1 >= NSH_XP_MAX_PATHS) {
		x->x->truncated = true;
		return false;
	}
	x->nforks++;
	return true;
}

static size_t alen_of(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

static bool prefix_eq(const uint8_t *a, const uint8_t *b, unsigned plen)
{
	unsigned bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, b, bytes))
		return false;
	return !bits || ((a[bytes] ^ b[bytes]) & (uint8_t)(0xff << (8 - bits))) == 0;
}

/* ---- the router: addresses and routes ---- */

/* Whether addr is the router's (an address, or in a loopback interface's prefix: 127/8). */
static bool is_local(const struct nsh_xp_env *env, uint8_t fam, const uint8_t *addr)
{
	size_t i, n = alen_of(fam);

	for (i = 0; i < env->naddrs; i++) {
		const struct nsh_xp_addr *a = &env->addrs[i];

		if (a->family != fam)
			continue;
		if (!memcmp(a->addr, addr, n) || (a->loopback && prefix_eq(a->addr, addr, a->plen)))
			return true;
	}
	return false;
}

/* The route to addr, longest prefix first; the interfaces' own subnets when no route fits. */
static bool route_lookup(const struct nsh_xp_env *env, uint8_t fam, const uint8_t *addr,
			 struct nsh_xp_route *out)
{
	const struct nsh_xp_route *best = NULL;
	size_t i;

	for (i = 0; i < env->nroutes; i++) {
		const struct nsh_xp_route *r = &env->routes[i];

		if (r->family == fam && prefix_eq(r->dst, addr, r->plen) &&
		    (!best || r->plen > best->plen))
			best = r;
	}
	if (best) {
		*out = *best;
		return true;
	}
	for (i = 0; i < env->naddrs; i++) {
		const struct nsh_xp_addr *a = &env->addrs[i];

		if (a->family == fam && !a->loopback && prefix_eq(a->addr, addr, a->plen) &&
		    (!best || a->plen > best->plen)) {
			memset(out, 0, sizeof(*out));
			memcpy(out->ifname, a->ifname, sizeof(out->ifname));
			out->family = fam;
			out->plen = a->plen;
			memcpy(out->dst, a->addr, alen_of(fam));
			best = out;
		}
	}
	return best != NULL;
}

/* The address an interface speaks with toward next hop nh: one whose subnet holds nh, else its first. */
static const struct nsh_xp_addr *if_addr(const struct nsh_xp_env *env, const char *ifname,
					 uint8_t fam, const uint8_t *nh)
{
	const struct nsh_xp_addr *first = NULL;
	size_t i;

	for (i = 0; i < env->naddrs; i++) {
		const struct nsh_xp_addr *a = &env->addrs[i];

		if (a->family != fam || strcmp(a->ifname, ifname))
			continue;
		/* IPv6 link-local addresses are not a source for global traffic */
		if (fam == AF_INET6 && a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80)
			continue;
		if (nh && prefix_eq(a->addr, nh, a->plen))
			return a;
		if (!first)
			first = a;
	}
	return first;
}

/* ---- the walk's bookkeeping ---- */

static struct nsh_xp_step *step_add(struct st *s, enum nsh_xp_kind kind)
{
	struct nsh_xp_step *e;

	if (s->path.nsteps == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->path.steps = nsh_xrealloc(s->path.steps, s->cap * sizeof(*s->path.steps));
	}
	e = &s->path.steps[s->path.nsteps++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->pkt = s->p;
	if (s->depth) {
		e->table = s->fr[s->depth - 1].t;
		e->chain = s->fr[s->depth - 1].c;
	}
	return e;
}

static struct st *st_clone(const struct st *s)
{
	struct st *c = nsh_xmalloc(sizeof(*c));

	*c = *s;
	c->cap = s->path.nsteps ? s->path.nsteps : 1;
	c->path.steps = nsh_xmalloc(c->cap * sizeof(*c->path.steps));
	memcpy(c->path.steps, s->path.steps, s->path.nsteps * sizeof(*s->path.steps));
	return c;
}

static void st_free(struct st *s)
{
	if (s) {
		free(s->path.steps);
		free(s);
	}
}

static uint32_t stage_hook(enum stage st)
{
	switch (st) {
	case ST_PRE:	return NF_INET_PRE_ROUTING;
	case ST_IN:	return NF_INET_LOCAL_IN;
	case ST_OUT:	return NF_INET_LOCAL_OUT;
	default:	return NF_INET_POST_ROUTING;
	}
}

/* The path ends: it is handed to the result (s's steps move there). */
static void path_end(struct xp *x, struct st *s, enum nsh_xp_end end, const struct nsh_rule *r)
{
	struct nsh_xp_step *e = step_add(s, NSH_XP_END);
	struct nsh_xp *res = x->x;

	e->end = end;
	e->rule = r;
	e->hook = s->stage == ST_DONE ? NF_INET_POST_ROUTING : stage_hook(s->stage);
	s->path.end = end;
	s->path.final = s->p;
	if (res->npaths == NSH_XP_MAX_PATHS) {
		res->truncated = true;
		free(s->path.steps);
	} else {
		if (res->npaths == x->pcap) {
			x->pcap = x->pcap ? x->pcap * 2 : 4;
			res->paths = nsh_xrealloc(res->paths, x->pcap * sizeof(*res->paths));
		}
		res->paths[res->npaths++] = s->path;
	}
	s->path.steps = NULL;
	s->path.nsteps = s->cap = 0;
	s->stage = ST_DONE;
	s->depth = 0;
}

/* ---- matches ---- */

struct why {
	const char *key;
	const char *set;
	bool unset;
};

/* -1 less, 0 in/equal, 1 greater, 2 outside (prefix, range, set) */
static int rhs_cmp(const struct nsh_match *m, const uint8_t *k, size_t n)
{
	size_t i;
	int c;

	switch (m->rhs) {
	case NSH_RHS_PREFIX:
		return m->val.len == n && prefix_eq(m->val.data, k, m->plen) ? 0 : 2;
	case NSH_RHS_RANGE:
		return m->val.len == n && memcmp(k, m->val.data, n) >= 0 &&
		       memcmp(k, m->hi.data, n) <= 0 ? 0 : 2;
	case NSH_RHS_SET:
		for (i = 0; m->set && i < m->set->nelems; i++) {
			const struct nsh_elem *e = &m->set->elems[i];

			if (m->key->type == NSH_T_IFNAME) {
				/* an exact name (16 bytes) or a wildcard prefix */
				size_t l = e->kind == NSH_ELEM_PREFIX ? e->plen / 8u : e->lo.len;

				if (l <= n && !memcmp(e->lo.data, k, l) && (l < 16 || n == 16))
					return 0;
				continue;
			}
			if (e->lo.len != n)
				continue;
			if (e->kind == NSH_ELEM_RANGE ? memcmp(e->lo.data, k, n) <= 0 &&
							memcmp(k, e->hi.data, n) <= 0 :
			    e->kind == NSH_ELEM_PREFIX ? prefix_eq(e->lo.data, k, e->plen) :
			    !memcmp(e->lo.data, k, n))
				return 0;
		}
		return 2;
	default:
		if (m->key->type == NSH_T_IFNAME)	/* "eth*": val.len is the prefix */
			return !memcmp(m->val.data, k, m->val.len) ? 0 : 1;
		if (m->val.len != n)
			return 2;
		c = memcmp(k, m->val.data, n);
		return c < 0 ? -1 : c > 0 ? 1 : 0;
	}
}

static bool op_apply(enum nsh_op op, int c)
{
	switch (op) {
	case NSH_OP_NEQ:	return c != 0;
	case NSH_OP_LT:		return c == -1;
	case NSH_OP_GT:		return c == 1;
	case NSH_OP_LTE:	return c == -1 || c == 0;
	case NSH_OP_GTE:	return c == 1 || c == 0;
	default:		return c == 0;
	}
}

/* A named set of one field of t, looked up with key bytes k: 1 in, 0 not, -1 cannot say. */
static int nset_has(const struct nsh_table *t, const char *name, const uint8_t *k, size_t n)
{
	size_t i;

	for (i = 0; t && i < t->nsets; i++) {
		const struct nsh_nset *s = &t->sets[i];
		size_t e;

		if (strcmp(s->name, name))
			continue;
		if (s->key.n != 1 || s->key.len[0] != n || n > NSH_NSET_KEYMAX)
			return -1;
		for (e = 0; e < s->nelems; e++)
			if (memcmp(s->elems[e].key, k, n) <= 0 && memcmp(k, s->elems[e].key_end, n) <= 0)
				return 1;
		return 0;
	}
	return -1;
}

static bool is_sport(enum nsh_key_id id)
{
	return id == NSH_K_TCP_SPORT || id == NSH_K_UDP_SPORT || id == NSH_K_TH_SPORT ||
	       id == NSH_K_SCTP_SPORT || id == NSH_K_DCCP_SPORT || id == NSH_K_UDPLITE_SPORT;
}

static bool has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_DCCP || proto == IPPROTO_UDPLITE;
}

/*
 * The bytes of key id for packet p into k (n set); 0 known, 1 absent (the
 * kernel's lookup breaks: no match, != included), -1 not known offline.
 */
static int key_value(const struct xp *x, const struct st *s, const struct nsh_key_def *kd,
		     uint8_t *k, size_t *n, struct why *w)
{
	const struct nsh_xp_pkt *p = &s->p;
	uint8_t nfp = p->family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	(void)x;
	/* the implied dependencies: ip saddr only on IPv4, tcp dport only on tcp */
	if (kd->nfproto_dep && kd->nfproto_dep != nfp)
		return 1;
	if (kd->l4proto_dep == 255 ? !has_ports(p->proto) :
	    kd->l4proto_dep && kd->l4proto_dep != p->proto)
		return 1;
	*n = 0;
	switch (kd->id) {
	case NSH_K_IIFNAME: case NSH_K_OIFNAME:
		memset(k, 0, 16);
		memcpy(k, kd->id == NSH_K_IIFNAME ? p->iif : p->oif, 16);
		*n = 16;
		return 0;
	case NSH_K_META_L4PROTO: case NSH_K_IP_PROTOCOL: case NSH_K_IP6_NEXTHDR:
		k[(*n)++] = p->proto;
		return 0;
	case NSH_K_META_NFPROTO:
		k[(*n)++] = nfp;
		return 0;
	case NSH_K_IP_SADDR: case NSH_K_IP6_SADDR:
		*n = alen_of(p->family);
		memcpy(k, p->src, *n);
		return 0;
	case NSH_K_IP_DADDR: case NSH_K_IP6_DADDR:
		*n = alen_of(p->family);
		memcpy(k, p->dst, *n);
		return 0;
	case NSH_K_CT_DIRECTION:
		k[(*n)++] = 0;	/* IP_CT_DIR_ORIGINAL: the first packet */
		return 0;
	default:
		break;
	}
	if (kd->kind == NSH_KK_PAYLOAD && kd->len == 2) {	/* the port keys */
		bool sp = is_sport(kd->id);
		uint16_t port = sp ? p->sport : p->dport;

		if (!(sp ? p->has_sport : p->has_dport)) {
			w->unset = true;
			return -1;
		}
		k[0] = (uint8_t)(port >> 8);
		k[1] = (uint8_t)port;
		*n = 2;
		return 0;
	}
	return -1;
}

/* One match against the packet of path s. */
static enum nsh_xp_res match_eval(struct xp *x, struct st *s, const struct nsh_match *m,
				  struct why *w)
{
	uint8_t k[16];
	size_t n;
	uint32_t want = 0, have;
	int r;

	memset(w, 0, sizeof(*w));
	w->key = m->key->name;
	switch (m->key->id) {
	case NSH_K_CT_STATE:
		if (m->rhs != NSH_RHS_VALUE || m->val.len != 4)
			return NSH_XP_MAYBE;
		memcpy(&want, m->val.data, 4);
		x->x->ct_state_new = true;
		have = m->bitmask ? (CT_STATE_NEW & want) != 0 : CT_STATE_NEW == want;
		return (m->op == NSH_OP_NEQ ? !have : have) ? NSH_XP_YES : NSH_XP_NO;
	case NSH_K_CT_STATUS:
		if (m->rhs != NSH_RHS_VALUE || m->val.len != 4 ||
		    (m->op != NSH_OP_EQ && m->op != NSH_OP_NEQ))
			return NSH_XP_MAYBE;
		memcpy(&want, m->val.data, 4);
		if (want & ~(IPS_SRC_NAT_ | IPS_DST_NAT_ | IPS_FIRST_CLEAR))
			return NSH_XP_MAYBE;
		have = m->bitmask ? (s->p.status & want) != 0 : s->p.status == want;
		return (m->op == NSH_OP_NEQ ? !have : have) ? NSH_XP_YES : NSH_XP_NO;
	case NSH_K_FIB_DADDR_TYPE: case NSH_K_FIB_SADDR_TYPE: {
		bool loc = is_local(x->env, s->p.family,
				    m->key->id == NSH_K_FIB_SADDR_TYPE ? s->p.src : s->p.dst);

		if (m->rhs != NSH_RHS_VALUE || m->val.len != 4 ||
		    (m->op != NSH_OP_EQ && m->op != NSH_OP_NEQ))
			return NSH_XP_MAYBE;
		memcpy(&want, m->val.data, 4);
		if (want != RTN_LOCAL_) {
			/* local is known; any other type is only known not to be when it is local */
			if (loc)
				return m->op == NSH_OP_EQ ? NSH_XP_NO : NSH_XP_YES;
			return NSH_XP_MAYBE;
		}
		return (m->op == NSH_OP_EQ) == loc ? NSH_XP_YES : NSH_XP_NO;
	}
	default:
		break;
	}
	r = key_value(x, s, m->key, k, &n, w);
	if (r == 1)
		return NSH_XP_NO;
	if (r < 0)
		return NSH_XP_MAYBE;
	if (m->rhs == NSH_RHS_NAMED_SET) {
		w->set = m->set_name;
		r = nset_has(s->depth ? s->fr[s->depth - 1].t : NULL, m->set_name, k, n);
		if (r < 0)
			return NSH_XP_MAYBE;
		return (m->op == NSH_OP_NEQ ? !r : r) ? NSH_XP_YES : NSH_XP_NO;
	}
	if (m->rhs == NSH_RHS_VALUE && m->bitmask)
		return NSH_XP_MAYBE;
	return op_apply(m->op, rhs_cmp(m, k, n)) ? NSH_XP_YES : NSH_XP_NO;
}

/* ---- translations ---- */

/* One target of a nat statement. */
struct target {
	struct nsh_val lo, hi;		/* address (lo.len 0: unchanged) */
	bool has_port;
	uint16_t plo, phi;
};

/* The targets of a nat statement for s's packet; -1 when it cannot be said offline. */
static int nat_targets(struct xp *x, struct st *s, const struct nsh_nat *nat,
		       struct target **out, size_t *n, struct why *w)
{
	size_t alen = alen_of(s->p.family), i;
	struct target *v = NULL;

	*n = 0;
	if (nat->addr == NSH_NAT_ADDR_MAP) {
		uint8_t k[16];
		size_t kn;
		bool numgen = nat->mapkey.kind == NSH_MAPKEY_NUMGEN;

		if (!nat->map)
			return -1;
		if (!numgen) {
			int r = key_value(x, s, nat->mapkey.key, k, &kn, w);

			w->key = nat->mapkey.key->name;
			if (r != 0)
				return r < 0 ? -1 : 0;
		}
		v = nsh_xcalloc(nat->map->nelems ? nat->map->nelems : 1, sizeof(*v));
		for (i = 0; i < nat->map->nelems; i++) {
			const struct nsh_elem *e = &nat->map->elems[i];
			struct nsh_match m = { .key = nat->mapkey.key, .rhs = NSH_RHS_SET };
			struct nsh_set one = { .nelems = 1, .elems = (struct nsh_elem *)e };

			if (!numgen) {
				m.set = &one;
				if (rhs_cmp(&m, k, kn) != 0)
					continue;
			}
			if (e->data[0].len != alen)
				continue;
			v[*n].lo = v[*n].hi = e->data[0];
			if (e->ndata == 2 && e->data[1].len == 2) {
				v[*n].has_port = true;
				v[*n].plo = v[*n].phi =
					(uint16_t)(e->data[1].data[0] << 8 | e->data[1].data[1]);
			}
			++*n;
			if (!numgen)
				break;
		}
		*out = v;
		return 0;
	}
	v = nsh_xcalloc(1, sizeof(*v));
	*n = 1;
	if (nat->addr == NSH_NAT_ADDR_VALUE || nat->addr == NSH_NAT_ADDR_RANGE ||
	    nat->addr == NSH_NAT_ADDR_PREFIX) {
		v->lo = nat->addr_min;
		v->hi = nat->addr == NSH_NAT_ADDR_VALUE ? nat->addr_min : nat->addr_max;
		if (nat->addr == NSH_NAT_ADDR_PREFIX) {
			size_t b;

			v->hi = v->lo;
			for (b = nat->addr_plen; b < v->hi.len * 8u; b++)
				v->hi.data[b / 8] |= (uint8_t)(0x80 >> (b % 8));
		}
		if (v->lo.len != alen)
			*n = 0;		/* the other IP version's address: the kernel breaks */
	}
	v->has_port = nat->has_port;
	v->plo = nat->port_min;
	v->phi = nat->port_max;
	*out = v;
	return 0;
}

/* Apply target tg of rule r to s: a NAT step; false when the path ended (no address). */
static bool nat_apply(struct xp *x, struct st *s, const struct nsh_rule *r,
		      const struct nsh_nat *nat, const struct target *tg, size_t alt, size_t nalts)
{
	bool dst = nat->type == NSH_NAT_DNAT || nat->type == NSH_NAT_REDIR;
	size_t alen = alen_of(s->p.family);
	uint8_t *a = dst ? s->p.dst : s->p.src;
	uint16_t *port = dst ? &s->p.dport : &s->p.sport;
	struct nsh_xp_step *e;
	struct nsh_val hi = { 0 };
	bool range = false;

	if (nat->type == NSH_NAT_MASQ || nat->type == NSH_NAT_REDIR) {
		const struct nsh_xp_addr *ad;
		static const uint8_t lo4[4] = { 127, 0, 0, 1 }, lo6[16] = { [15] = 1 };

		if (nat->type == NSH_NAT_REDIR && !s->p.iif[0]) {
			memcpy(a, s->p.family == AF_INET6 ? lo6 : lo4, alen);
		} else {
			struct nsh_xp_route rt;
			const uint8_t *nh = s->p.dst;

			if (nat->type == NSH_NAT_MASQ && route_lookup(x->env, s->p.family, s->p.dst, &rt) &&
			    rt.has_gw)
				nh = rt.gw;
			ad = if_addr(x->env, nat->type == NSH_NAT_MASQ ? s->p.oif : s->p.iif,
				     s->p.family, nat->type == NSH_NAT_MASQ ? nh : s->p.src);
			if (!ad) {
				path_end(x, s, NSH_XP_END_NOADDR, r);
				return false;
			}
			memcpy(a, ad->addr, alen);
		}
	} else if (tg->lo.len == alen) {
		memcpy(a, tg->lo.data, alen);
		range = memcmp(tg->lo.data, tg->hi.data, alen) != 0;
		hi = tg->hi;
	}
	if (tg->has_port && has_ports(s->p.proto)) {
		*port = tg->plo;
		if (dst)
			s->p.has_dport = true;
		else
			s->p.has_sport = true;
	}
	s->p.status |= dst ? IPS_DST_NAT_ : IPS_SRC_NAT_;
	e = step_add(s, NSH_XP_NAT);
	e->hook = stage_hook(s->stage);
	e->rule = r;
	e->nat = nat;
	e->alt = alt;
	e->nalts = nalts;
	e->addr_range = range;
	e->addr_hi = hi;
	e->port_range = tg->has_port && tg->plo != tg->phi && has_ports(s->p.proto);
	e->port_hi = tg->phi;
	e->port_may_change = !dst && !tg->has_port && has_ports(s->p.proto);
	if (dst)
		s->path.dnat = s->path.nsteps - 1;
	else
		s->path.snat = s->path.nsteps - 1;
	s->hook_done = true;
	s->depth = 0;		/* a nat statement ends the chain with accept */
	return true;
}

/* ---- rules and chains ---- */

static void run(struct xp *x, struct st *s);

/* The first statement that acts: nat, verdict, reject (NULL: none, the rule falls through). */
static const struct nsh_stmt *rule_action(const struct nsh_rule *r)
{
	size_t i;

	for (i = 0; i < r->nstmts; i++) {
		enum nsh_stmt_kind k = r->stmts[i].kind;

		if (k == NSH_ST_NAT || k == NSH_ST_VERDICT || k == NSH_ST_REJECT)
			return &r->stmts[i];
	}
	return NULL;
}

/* Evaluate the gates of r (the matches before its action); w: the first failing or unknown. */
static enum nsh_xp_res rule_gate(struct xp *x, struct st *s, const struct nsh_rule *r,
				 struct why *w)
{
	enum nsh_xp_res res = NSH_XP_YES;
	struct why one;
	size_t i;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < r->nstmts; i++) {
		const struct nsh_stmt *st = &r->stmts[i];
		enum nsh_xp_res m = NSH_XP_YES;

		if (st->kind == NSH_ST_NAT || st->kind == NSH_ST_VERDICT || st->kind == NSH_ST_REJECT)
			break;
		memset(&one, 0, sizeof(one));
		switch (st->kind) {
		case NSH_ST_MATCH:
			m = match_eval(x, s, &st->match, &one);
			break;
		case NSH_ST_OPAQUE:
			m = NSH_XP_MAYBE;
			one.key = "an expression natsh does not understand";
			break;
		case NSH_ST_LIMIT:
			m = NSH_XP_MAYBE;
			one.key = "limit";
			break;
		case NSH_ST_QUOTA:
			m = NSH_XP_MAYBE;
			one.key = "quota";
			break;
		default:
			break;	/* counter, log, set, dynset, notrack: no gate */
		}
		if (m == NSH_XP_NO) {
			*w = one;
			return NSH_XP_NO;
		}
		if (m == NSH_XP_MAYBE && res == NSH_XP_YES) {
			res = NSH_XP_MAYBE;
			*w = one;
		}
	}
	return res;
}

/*
 * Leave the innermost chain (its end, return): back to the caller, or past a
 * goto's.  Leaving the base chain that way meets its policy next.
 */
static void chain_leave(struct st *s, const char *why, bool policy)
{
	struct nsh_xp_step *e = step_add(s, NSH_XP_LEAVE);
	bool wasgoto;

	e->why = why;
	if (policy) {
		s->depth = 0;
		return;
	}
	do {
		wasgoto = s->fr[s->depth - 1].isgoto;
		s->depth--;
	} while (wasgoto && s->depth > 0);
	if (s->depth == 0) {
		s->depth = 1;
		s->fr[0].ri = s->fr[0].c->nrules;
	}
}

/* Run the action of rule r (its gates met) on path s. */
static void rule_act(struct xp *x, struct st *s, const struct nsh_rule *r)
{
	const struct nsh_stmt *a = rule_action(r);
	const struct frame *f = &s->fr[s->depth - 1];
	struct nsh_xp_step *e;

	if (!a) {
		if (r->opaque) {	/* what it does is not known: the path stops here */
			path_end(x, s, NSH_XP_END_UNKNOWN, r);
		}
		return;		/* falls through to the next rule */
	}
	if (a->kind == NSH_ST_REJECT) {
		path_end(x, s, NSH_XP_END_DROP, r);
		return;
	}
	if (a->kind == NSH_ST_VERDICT) {
		const char *cn = a->verdict.chain;
		const struct nsh_chain *c;

		switch (a->verdict.code) {
		case NSH_V_DROP:
			path_end(x, s, NSH_XP_END_DROP, r);
			return;
		case NSH_V_ACCEPT:
			e = step_add(s, NSH_XP_LEAVE);
			e->why = "accept";
			s->depth = 0;
			return;
		case NSH_V_RETURN:
			chain_leave(s, "return", false);
			return;
		case NSH_V_CONTINUE:
			return;
		default:	/* jump, goto */
			c = cn ? nsh_table_find_chain(f->t, cn) : NULL;
			if (!c || s->depth > MAX_DEPTH - 1) {
				path_end(x, s, NSH_XP_END_UNKNOWN, r);
				return;
			}
			s->fr[s->depth++] = (struct frame){ .t = f->t, .c = c,
				.isgoto = a->verdict.code == NSH_V_GOTO };
			step_add(s, NSH_XP_CHAIN)->hook = stage_hook(s->stage);
			return;
		}
	}
	/* a nat statement */
	{
		const struct nsh_nat *nat = &a->nat;
		bool dst = nat->type == NSH_NAT_DNAT || nat->type == NSH_NAT_REDIR;
		bool dhook = s->stage == ST_PRE || s->stage == ST_OUT;
		struct target *tg = NULL;
		struct why w = { 0 };
		size_t n = 0, i;

		if (dst != dhook || (nat->family && nat->family !=
				     (s->p.family == AF_INET6 ? NSH_FAM_IP6 : NSH_FAM_IP)))
			return;		/* not at this hook, not this IP version: the kernel breaks */
		if (nat_targets(x, s, nat, &tg, &n, &w) < 0) {
			free(tg);
			path_end(x, s, NSH_XP_END_UNKNOWN, r);
			return;
		}
		if (!n) {		/* no map element for the key: no translation */
			free(tg);
			return;
		}
		/* one path per target, in the map's order: clones first, this one the last */
		for (i = 0; i + 1 < n && fork_ok(x); i++) {
			struct st *c = st_clone(s);

			if (nat_apply(x, c, r, nat, &tg[i], i, n))
				run(x, c);
			st_free(c);
		}
		nat_apply(x, s, r, nat, &tg[i], i, n);
		free(tg);
	}
}

/* One rule of the innermost chain. */
static void rule_step(struct xp *x, struct st *s)
{
	struct frame *f = &s->fr[s->depth - 1];
	const struct nsh_rule *r = &f->c->rules[f->ri++];
	struct nsh_xp_step *e;
	struct why w;
	enum nsh_xp_res res = rule_gate(x, s, r, &w);

	e = step_add(s, NSH_XP_RULE);
	e->hook = stage_hook(s->stage);
	e->rule = r;
	e->res = res;
	e->why = w.key;
	e->why_set = w.set;
	e->why_unset = w.unset;
	if (res == NSH_XP_NO)
		return;
	if (res == NSH_XP_MAYBE) {
		/* fork: this path assumes it does not match, the clone that it does */
		struct st *c;

		s->path.nassumed++;
		if (!fork_ok(x))
			return;
		c = st_clone(s);
		c->path.steps[c->path.nsteps - 1].assumed = true;
		c->path.nassumed++;
		rule_act(x, c, r);
		run(x, c);
		st_free(c);
		return;
	}
	rule_act(x, s, r);
}

/* ---- hooks and routing ---- */

/* Decide the route for s's destination; false when the path ended. */
static bool route_step(struct xp *x, struct st *s, bool reroute)
{
	struct nsh_xp_step *e = step_add(s, NSH_XP_ROUTE);

	e->reroute = reroute;
	if (is_local(x->env, s->p.family, s->p.dst)) {
		e->local = true;
		if (s->stage == ST_OUT || s->p.iif[0] == 0)
			snprintf(s->p.oif, sizeof(s->p.oif), "lo");
		e->pkt = s->p;
		return true;
	}
	e->rfound = route_lookup(x->env, s->p.family, s->p.dst, &e->route);
	if (!e->rfound) {
		path_end(x, s, NSH_XP_END_NOROUTE, NULL);
		return false;
	}
	memcpy(s->p.oif, e->route.ifname, sizeof(s->p.oif));
	e->rgw = e->route.has_gw;
	e->pkt = s->p;
	return true;
}

/* Enter the next stage after the current one has run all its chains. */
static void stage_next(struct xp *x, struct st *s)
{
	int fwd;

	switch (s->stage) {
	case ST_PRE:
		if (!route_step(x, s, false))
			return;
		if (s->path.steps[s->path.nsteps - 1].local) {
			s->stage = ST_IN;
			break;
		}
		fwd = x->env->forwarding[s->p.family == AF_INET6];
		if (fwd == 0) {
			path_end(x, s, NSH_XP_END_NOFORWARD, NULL);
			return;
		}
		s->stage = ST_POST;
		break;
	case ST_OUT:
		if (s->path.dnat != SIZE_MAX && !route_step(x, s, true))
			return;
		s->stage = ST_POST;
		break;
	case ST_IN:
		path_end(x, s, NSH_XP_END_LOCAL, NULL);
		return;
	default:
		path_end(x, s, !strcmp(s->p.oif, "lo") ? NSH_XP_END_LOCAL : NSH_XP_END_OUT, NULL);
		return;
	}
	s->hi = 0;
	s->hook_done = false;
	step_add(s, NSH_XP_HOOK)->hook = stage_hook(s->stage);
}

/* Walk path s to its end (forks run to theirs first). */
static void run(struct xp *x, struct st *s)
{
	uint8_t ipver = s->p.family == AF_INET6 ? NSH_FAM_IP6 : NSH_FAM_IP;

	while (s->stage != ST_DONE) {
		if (s->depth) {
			struct frame *f = &s->fr[s->depth - 1];

			if (f->ri < f->c->nrules) {
				rule_step(x, s);
			} else if (s->depth == 1) {	/* a base chain's end: its policy */
				if (f->c->policy == NF_DROP) {
					path_end(x, s, NSH_XP_END_DROP, NULL);
					return;
				}
				chain_leave(s, "policy", true);
			} else {
				chain_leave(s, "end", false);
			}
			continue;
		}
		/* between chains: the next nat chain of this hook */
		while (s->hi < x->nhooks) {
			const struct nsh_hook_ent *h = &x->hooks[s->hi++];

			if (h->ipver != ipver || h->hooknum != stage_hook(s->stage) ||
			    !h->chain->type || strcmp(h->chain->type, "nat"))
				continue;
			if (s->hook_done) {
				struct nsh_xp_step *e = step_add(s, NSH_XP_SKIP);

				e->hook = h->hooknum;
				e->table = h->table;
				e->chain = h->chain;
				continue;
			}
			s->fr[0] = (struct frame){ .t = h->table, .c = h->chain };
			s->depth = 1;
			step_add(s, NSH_XP_CHAIN)->hook = h->hooknum;
			break;
		}
		if (!s->depth)
			stage_next(x, s);
	}
}

/* ---- the entry ---- */

/* See explain.h. */
struct nsh_xp *nsh_explain(const struct nsh_ruleset *rs, const struct nsh_xp_env *env,
			   const struct nsh_xp_pkt *p, bool local)
{
	struct xp x = { .rs = rs, .env = env };
	struct st *s;
	struct nsh_xp_route rt;
	static const uint8_t zero[16];
	size_t alen = alen_of(p->family);

	x.x = nsh_xcalloc(1, sizeof(*x.x));
	x.x->in = *p;
	x.x->local = local;
	x.x->in.status = 0;
	memset(x.x->in.oif, 0, sizeof(x.x->in.oif));
	if (local) {
		x.x->in.iif[0] = 0;
		if (!memcmp(p->src, zero, alen)) {
			const struct nsh_xp_addr *a = NULL;

			/* routing picks the source: the destination itself when local, else the out interface's */
			x.x->src_derived = true;
			if (is_local(env, p->family, p->dst))
				memcpy(x.x->in.src, p->dst, alen);
			else if (route_lookup(env, p->family, p->dst, &rt) &&
				 (a = if_addr(env, rt.ifname, p->family, rt.has_gw ? rt.gw : p->dst)))
				memcpy(x.x->in.src, a->addr, alen);
			else
				goto einval;
		}
	} else if (!p->iif[0]) {
		if (!route_lookup(env, p->family, p->src, &rt))
			goto einval;
		memcpy(x.x->in.iif, rt.ifname, sizeof(x.x->in.iif));
		x.x->iif_derived = true;
	}
	x.nhooks = nsh_hooks_order(rs, &x.hooks);
	s = nsh_xcalloc(1, sizeof(*s));
	s->p = x.x->in;
	s->path.dnat = s->path.snat = SIZE_MAX;
	if (local) {
		/* a local packet is routed before the output hook */
		s->stage = ST_OUT;
		if (route_step(&x, s, false)) {
			step_add(s, NSH_XP_HOOK)->hook = NF_INET_LOCAL_OUT;
			run(&x, s);
		}
	} else {
		s->stage = ST_PRE;
		step_add(s, NSH_XP_HOOK)->hook = NF_INET_PRE_ROUTING;
		run(&x, s);
	}
	st_free(s);
	free(x.hooks);
	return x.x;
einval:
	free(x.x);
	errno = EINVAL;
	return NULL;
}

/* See explain.h. */
void nsh_xp_free(struct nsh_xp *x)
{
	size_t i;

	if (!x)
		return;
	for (i = 0; i < x->npaths; i++)
		free(x->paths[i].steps);
	free(x->paths);
	free(x);
}

/* See explain.h. */
const char *nsh_xp_end_name(enum nsh_xp_end e)
{
	switch (e) {
	case NSH_XP_END_LOCAL:		return "local";
	case NSH_XP_END_OUT:		return "out";
	case NSH_XP_END_DROP:		return "drop";
	case NSH_XP_END_NOROUTE:	return "no-route";
	case NSH_XP_END_NOFORWARD:	return "no-forward";
	case NSH_XP_END_NOADDR:		return "no-address";
	default:			return "unknown";
	}
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* doctor's checks: a ruleset and some facts in, findings (kind, rule, values, fix) out. */
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/buf.h"
#include "lib/util.h"
#include "model/plan/doctor.h"
#include "model/plan/doctor_int.h"
#include "model/txn/txn.h"
#include "model/syntax/rule_text.h"

/* The stable names of the kinds (JSON "id", scripts match on them). */
static const char *const kind_ids[] = {
	[NSH_FIND_IPTABLES_LEGACY] = "iptables_legacy",
	[NSH_FIND_IP_FORWARD_OFF] = "ip_forward_off",
	[NSH_FIND_UNEVEN_PROBABILITY] = "uneven_probability",
	[NSH_FIND_DNAT_UNREACHABLE] = "dnat_unreachable",
	[NSH_FIND_ROUTER_ACCESS_MISSING] = "router_access_missing",
	[NSH_FIND_ROUTER_ACCESS_NO_MASQ] = "router_access_no_masq",
	[NSH_FIND_ROUTER_ACCESS_NO_LOCALNET] = "router_access_no_localnet",
	[NSH_FIND_DNAT_WAN_ONLY] = "dnat_wan_only",
	[NSH_FIND_NO_HAIRPIN] = "no_hairpin",
	[NSH_FIND_SNAT_BAD_IFACE] = "snat_bad_iface",
	[NSH_FIND_SHADOWED_RULE] = "shadowed_rule",
	[NSH_FIND_NO_COUNTER] = "no_counter",
};

/* Append an empty finding of a kind, about rule a when given. */
struct nsh_finding *doc_add(struct doc *d, enum nsh_finding_kind kind, const struct at *a)
{
	struct nsh_finding *x;

	d->v = nsh_xrealloc(d->v, (d->n + 1) * sizeof(*d->v));
	x = &d->v[d->n++];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->id = kind_ids[kind];
	if (a) {
		x->table = a->t;
		x->chain = a->c;
		x->pos = a->i;
		x->rule = a->r;
	}
	return x;
}

/* natsh's own table gets short-form fix commands. */
static bool is_own(const struct nsh_table *t)
{
	return t->family == NSH_OWN_FAMILY && !strcmp(t->name, NSH_OWN_TABLE);
}

/* The first match of a key, or NULL. */
static const struct nsh_match *match_of(const struct nsh_rule *r, enum nsh_key_id k)
{
	size_t i;

	for (i = 0; i < r->nstmts; i++)
		if (r->stmts[i].kind == NSH_ST_MATCH && r->stmts[i].match.key->id == k)
			return &r->stmts[i].match;
	return NULL;
}

/* The rule's nat statement, or NULL. */
static const struct nsh_nat *nat_of(const struct nsh_rule *r)
{
	size_t i;

	for (i = 0; i < r->nstmts; i++)
		if (r->stmts[i].kind == NSH_ST_NAT)
			return &r->stmts[i].nat;
	return NULL;
}

/* An exact interface name of an iifname/oifname match ("" for none or a wildcard). */
static const char *ifname_of(const struct nsh_match *m, char *buf)
{
	buf[0] = '\0';
	if (m && m->op == NSH_OP_EQ && m->rhs == NSH_RHS_VALUE && m->val.len == 16)
		snprintf(buf, IFNAMSIZ, "%s", (const char *)m->val.data);
	return buf;
}

/* An IPv4 address (network order bytes) as a number. */
uint32_t doc_v4(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Is a inside net/plen? */
static bool in_prefix(const uint8_t *a, const uint8_t *net, uint8_t plen)
{
	uint32_t mask = plen ? ~0u << (32 - plen) : 0;

	return (doc_v4(a) & mask) == (doc_v4(net) & mask);
}

/* Does an IPv4 address match m (==, prefix, range, set)?  Absent m: yes. */
static bool addr_matches(const struct nsh_match *m, const uint8_t *a)
{
	size_t i;
	bool in = false;

	if (!m)
		return true;
	switch (m->rhs) {
	case NSH_RHS_VALUE:
		in = !memcmp(m->val.data, a, 4);
		break;
	case NSH_RHS_PREFIX:
		in = in_prefix(a, m->val.data, m->plen);
		break;
	case NSH_RHS_RANGE:
		in = doc_v4(a) >= doc_v4(m->val.data) && doc_v4(a) <= doc_v4(m->hi.data);
		break;
	case NSH_RHS_SET:
		for (i = 0; i < m->set->nelems && !in; i++) {
			const struct nsh_elem *e = &m->set->elems[i];

			in = e->kind == NSH_ELEM_VALUE ? !memcmp(e->lo.data, a, 4) :
			     e->kind == NSH_ELEM_PREFIX ? in_prefix(a, e->lo.data, e->plen) :
			     doc_v4(a) >= doc_v4(e->lo.data) && doc_v4(a) <= doc_v4(e->hi.data);
		}
		break;
	case NSH_RHS_NAMED_SET:
		return true;	/* unknown contents: assume it may match */
	}
	return m->op == NSH_OP_NEQ ? !in : in;
}

/* The IPv4 backends of a dnat (a single address or the addresses of its map); count. */
static size_t backends(const struct nsh_nat *n, uint8_t (*out)[4], size_t max)
{
	size_t i, k = 0;

	if (n->addr == NSH_NAT_ADDR_VALUE && n->addr_min.len == 4) {
		memcpy(out[0], n->addr_min.data, 4);
		return 1;
	}
	if (n->addr == NSH_NAT_ADDR_MAP && n->map && n->map->ndata >= 1)
		for (i = 0; i < n->map->nelems && k < max; i++)
			if (n->map->elems[i].data[0].len == 4)
				memcpy(out[k++], n->map->elems[i].data[0].data, 4);
	return k;
}

/* "tcp" + port of a rule's single destination port, 0 when none. */
static uint16_t dport_of(const struct nsh_rule *r, const char **proto)
{
	static const struct {
		enum nsh_key_id k;
		const char *p;
	} keys[] = { { NSH_K_TCP_DPORT, "tcp" }, { NSH_K_UDP_DPORT, "udp" } };
	size_t i;

	for (i = 0; i < NSH_ARRAY_SIZE(keys); i++) {
		const struct nsh_match *m = match_of(r, keys[i].k);

		if (m && m->op == NSH_OP_EQ && m->rhs == NSH_RHS_VALUE) {
			*proto = keys[i].p;
			return (uint16_t)(m->val.data[0] << 8 | m->val.data[1]);
		}
	}
	return 0;
}

/* Is the rule limited to packets whose source is the router (fib saddr type local)? */
static bool local_source(const struct nsh_rule *r)
{
	const struct nsh_match *m = match_of(r, NSH_K_FIB_SADDR_TYPE);
	uint32_t v;

	if (!m || m->rhs != NSH_RHS_VALUE || m->op != NSH_OP_EQ)
		return false;
	memcpy(&v, m->val.data, 4);
	return v == RTN_LOCAL;
}

/* The rule's text as nft prints it (caller frees). */
char *doc_text_of(const struct nsh_table *t, const struct nsh_rule *r)
{
	struct nsh_buf b;

	nsh_buf_init(&b);
	nsh_rule_render(t, r, NSH_RF_COMMENT, &b);
	return nsh_buf_steal(&b);
}

/* The command that replaces rule a with text: short form in natsh's table. */
void doc_replace_cmd(const struct at *a, const char *text, char *out, size_t len)
{
	if (is_own(a->t))
		snprintf(out, len, "replace %s %zu %s", a->c->name, a->i + 1, text);
	else
		snprintf(out, len, "use %s %s; replace %s %zu %s; use inet natsh",
			 nsh_family_name(a->t->family), a->t->name, a->c->name, a->i + 1, text);
}

/* The command that deletes rule a. */
static void delete_cmd(const struct at *a, char *out, size_t len)
{
	if (is_own(a->t))
		snprintf(out, len, "delete %s %zu", a->c->name, a->i + 1);
	else
		snprintf(out, len, "delete rule %s %s %s handle %llu", nsh_family_name(a->t->family),
			 a->t->name, a->c->name, (unsigned long long)a->r->handle);
}

/* Call fn for every rule of every base nat chain hooked at hooknum. */
static void each_rule(struct doc *d, uint32_t hooknum, void (*fn)(struct doc *, const struct at *))
{
	size_t ti, ci, ri;

	for (ti = 0; ti < d->rs->ntables; ti++) {
		const struct nsh_table *t = &d->rs->tables[ti];

		for (ci = 0; ci < t->nchains; ci++) {
			const struct nsh_chain *c = &t->chains[ci];

			if (!c->base || !c->type || strcmp(c->type, "nat") || c->hooknum != hooknum)
				continue;
			for (ri = 0; ri < c->nrules; ri++) {
				struct at a = { t, c, ri, &c->rules[ri] };

				fn(d, &a);
			}
		}
	}
}

/* Is there a rule at hooknum for which pred(rule, arg) holds? */
static bool any_rule(struct doc *d, uint32_t hooknum,
		     bool (*pred)(const struct nsh_rule *, const void *), const void *arg)
{
	size_t ti, ci, ri;

	for (ti = 0; ti < d->rs->ntables; ti++)
		for (ci = 0; ci < d->rs->tables[ti].nchains; ci++) {
			const struct nsh_chain *c = &d->rs->tables[ti].chains[ci];

			if (!c->base || !c->type || strcmp(c->type, "nat") || c->hooknum != hooknum)
				continue;
			for (ri = 0; ri < c->nrules; ri++)
				if (pred(&c->rules[ri], arg))
					return true;
		}
	return false;
}

/* ---- ip_forward ---- */

static bool forwards(const struct nsh_rule *r, const void *arg)
{
	const struct nsh_nat *n = nat_of(r);

	return n && (n->type == NSH_NAT_DNAT || n->type == NSH_NAT_SNAT || n->type == NSH_NAT_MASQ);
}

/* DNAT in prerouting or SNAT/MASQUERADE in postrouting need forwarding. */
static void check_forward(struct doc *d)
{
	struct nsh_finding *x;

	if (d->f->ip_forward || !(any_rule(d, NF_INET_PRE_ROUTING, forwards, NULL) ||
				  any_rule(d, NF_INET_POST_ROUTING, forwards, NULL)))
		return;
	x = doc_add(d, NSH_FIND_IP_FORWARD_OFF, NULL);
	SET(fix, "sysctl net.ipv4.ip_forward 1");
}

/* ---- port forwards: router access, hairpin, WAN-only ---- */

struct fwd {
	const char *proto;
	uint16_t port;		/* the public port */
	const uint8_t *addr;	/* a backend */
	uint16_t bport;		/* its port (0: unchanged) */
	const char *lan;	/* the backend's interface, or NULL */
};

/* An output-chain DNAT for the same port. */
static bool output_dnat(const struct nsh_rule *r, const void *arg)
{
	const struct fwd *w = arg;
	const struct nsh_nat *n = nat_of(r);
	const char *p = "";

	return n && n->type == NSH_NAT_DNAT && dport_of(r, &p) == w->port && !strcmp(p, w->proto);
}

/* A postrouting masquerade/snat that catches the translated packets; local: router's own. */
static bool masq_for(const struct nsh_rule *r, const struct fwd *w, bool local)
{
	const struct nsh_nat *n = nat_of(r);
	char oif[IFNAMSIZ];

	if (!n || (n->type != NSH_NAT_MASQ && n->type != NSH_NAT_SNAT))
		return false;
	ifname_of(match_of(r, NSH_K_OIFNAME), oif);
	if (match_of(r, NSH_K_OIFNAME) && (!w->lan || strcmp(oif, w->lan)))
		return false;
	if (!addr_matches(match_of(r, NSH_K_IP_DADDR), w->addr))
		return false;
	if (local)
		return !match_of(r, NSH_K_IP_SADDR) || local_source(r);
	return !local_source(r);
}

/* any_rule predicate: the masquerade of the router's own translated packets. */
static bool local_masq(const struct nsh_rule *r, const void *arg)
{
	return masq_for(r, arg, true);
}

/* any_rule predicate: the hairpin masquerade of LAN clients' packets. */
static bool hairpin_masq(const struct nsh_rule *r, const void *arg)
{
	return masq_for(r, arg, false);
}

/* The LAN subnet of an interface as "192.0.2.0/24" (first IPv4 address). */
static bool lan_net(const struct nsh_doctor_facts *f, const char *lan, char *out, size_t len)
{
	const struct nsh_link *k = f->links && lan ? nsh_links_by_name(f->links, lan) : NULL;
	const struct nsh_link_addr *a = k ? nsh_link_ipv4(k) : NULL;
	uint8_t net[4];
	uint32_t m;

	if (!a)
		return false;
	m = htonl(a->plen ? ~0u << (32 - a->plen) : 0);
	memcpy(net, a->addr, 4);
	*(uint32_t *)(void *)net &= m;
	snprintf(out, len, "%u.%u.%u.%u/%u", net[0], net[1], net[2], net[3], a->plen);
	return true;
}

/* route_localnet on for the interface (or for all)? */
static bool localnet_on(const struct nsh_doctor_facts *f, const char *ifname)
{
	size_t i;

	for (i = 0; f->route_localnet && f->route_localnet[i]; i++)
		if (!strcmp(f->route_localnet[i], ifname) || !strcmp(f->route_localnet[i], "all"))
			return true;
	return false;
}

/* A finding about the port forward w of rule a. */
static struct nsh_finding *fwd_add(struct doc *d, enum nsh_finding_kind kind, const struct at *a,
				   const struct fwd *w)
{
	struct nsh_finding *x = doc_add(d, kind, a);

	x->proto = w->proto;
	x->port = w->port;
	memcpy(x->addr, w->addr, 4);
	x->bport = w->bport;
	x->lan = w->lan;
	return x;
}

/* One prerouting DNAT: its router access, its hairpin, its interface limit. */
static void check_dnat(struct doc *d, const struct at *a)
{
	const struct nsh_nat *n = nat_of(a->r);
	const struct nsh_link *lan;
	struct nsh_finding *x;
	uint8_t be[16][4];
	char addr[INET_ADDRSTRLEN], bport[16] = "", iif[IFNAMSIZ], net[48];
	struct fwd w = { 0 };
	size_t nb;
	char *text;

	if (!n || n->type != NSH_NAT_DNAT || a->r->opaque || a->r->xt)
		return;
	nb = backends(n, be, 16);
	w.port = dport_of(a->r, &w.proto);
	if (!nb || !w.port)
		return;
	w.addr = be[0];
	w.bport = n->has_port ? n->port_min : 0;
	if (n->addr == NSH_NAT_ADDR_MAP && n->map->ndata == 2 && n->map->nelems)
		w.bport = (uint16_t)(n->map->elems[0].data[1].data[0] << 8 |
				     n->map->elems[0].data[1].data[1]);
	lan = d->f->links ? nsh_links_subnet_of(d->f->links, AF_INET, w.addr) : NULL;
	w.lan = lan ? lan->name : NULL;
	inet_ntop(AF_INET, w.addr, addr, sizeof(addr));
	if (w.bport)
		snprintf(bport, sizeof(bport), ":%u", w.bport);

	/* DNAT to an address in no connected subnet */
	if (d->f->links && !lan) {
		x = fwd_add(d, NSH_FIND_DNAT_UNREACHABLE, a, &w);
		delete_cmd(a, x->fix, sizeof(x->fix));
		return;	/* the other checks need the backend's LAN */
	}
	if (!any_rule(d, NF_INET_LOCAL_OUT, output_dnat, &w)) {
		x = fwd_add(d, NSH_FIND_ROUTER_ACCESS_MISSING, a, &w);
		SET(fix, "add output fib daddr type local %s dport %u dnat ip to %s%s", w.proto,
		    w.port, addr, bport);
	} else if (!any_rule(d, NF_INET_POST_ROUTING, local_masq, &w)) {
		x = fwd_add(d, NSH_FIND_ROUTER_ACCESS_NO_MASQ, a, &w);
		SET(fix, "add postrouting oifname \"%s\" fib saddr type local ip daddr %s "
		    "masquerade", w.lan, addr);
	} else if (!localnet_on(d->f, w.lan)) {
		x = fwd_add(d, NSH_FIND_ROUTER_ACCESS_NO_LOCALNET, a, &w);
		SET(fix, "sysctl net.ipv4.conf.%s.route_localnet 1", w.lan);
	}

	ifname_of(match_of(a->r, NSH_K_IIFNAME), iif);
	if (iif[0] && strcmp(iif, w.lan)) {
		char *p;

		x = fwd_add(d, NSH_FIND_DNAT_WAN_ONLY, a, &w);
		snprintf(x->iface, sizeof(x->iface), "%s", iif);
		text = doc_text_of(a->t, a->r);
		snprintf(net, sizeof(net), "iifname \"%s\" ", iif);
		p = strstr(text, net);
		if (p) {
			struct nsh_buf b;

			nsh_buf_init(&b);
			nsh_buf_putn(&b, text, (size_t)(p - text));
			if (!match_of(a->r, NSH_K_FIB_DADDR_TYPE) && !match_of(a->r, NSH_K_IP_DADDR))
				nsh_buf_puts(&b, "fib daddr type local ");
			nsh_buf_puts(&b, p + strlen(net));
			doc_replace_cmd(a, b.s, x->fix, sizeof(x->fix));
			nsh_buf_free(&b);
		}
		free(text);
	} else if (!any_rule(d, NF_INET_POST_ROUTING, hairpin_masq, &w)) {
		x = fwd_add(d, NSH_FIND_NO_HAIRPIN, a, &w);
		if (lan_net(d->f, w.lan, net, sizeof(net)))
			SET(fix, "add postrouting oifname \"%s\" ip saddr %s ip daddr %s %s dport %u "
			    "ct status dnat masquerade", w.lan, net, addr, w.proto,
			    w.bport ? w.bport : w.port);
	}
}

/* each_rule callback for prerouting. */
static void check_dnat_cb(struct doc *d, const struct at *a)
{
	check_dnat(d, a);
}

/* ---- SNAT/MASQUERADE on an interface without address or route ---- */

static void check_snat_iface(struct doc *d, const struct at *a)
{
	const struct nsh_nat *n = nat_of(a->r);
	const struct nsh_link *k, *wan;
	struct nsh_finding *x;
	char oif[IFNAMSIZ], *text, *p, from[48];
	bool routed = false;
	size_t i;

	if (!n || (n->type != NSH_NAT_MASQ && n->type != NSH_NAT_SNAT) || !d->f->links ||
	    !ifname_of(match_of(a->r, NSH_K_OIFNAME), oif)[0] || local_source(a->r))
		return;
	k = nsh_links_by_name(d->f->links, oif);
	for (i = 0; k && i < d->f->links->nroutes; i++)
		routed |= d->f->links->routes[i].family == AF_INET &&
			  d->f->links->routes[i].oif == k->index;
	if (k && nsh_link_ipv4(k) && routed)
		return;
	x = doc_add(d, NSH_FIND_SNAT_BAD_IFACE, a);
	x->masquerade = n->type == NSH_NAT_MASQ;
	snprintf(x->iface, sizeof(x->iface), "%s", oif);
	x->iface_state = !k ? NSH_IFACE_MISSING : !nsh_link_ipv4(k) ? NSH_IFACE_NO_IPV4 :
			 NSH_IFACE_NO_ROUTE;
	wan = nsh_links_default(d->f->links, AF_INET, NULL);
	if (wan && strcmp(wan->name, oif)) {
		text = doc_text_of(a->t, a->r);
		snprintf(from, sizeof(from), "oifname \"%s\"", oif);
		p = strstr(text, from);
		if (p) {
			struct nsh_buf b;

			nsh_buf_init(&b);
			nsh_buf_putn(&b, text, (size_t)(p - text));
			nsh_buf_printf(&b, "oifname \"%s\"", wan->name);
			nsh_buf_puts(&b, p + strlen(from));
			doc_replace_cmd(a, b.s, x->fix, sizeof(x->fix));
			nsh_buf_free(&b);
		}
		free(text);
	} else {
		delete_cmd(a, x->fix, sizeof(x->fix));
	}
}

/* ---- shadowed rules ---- */

/* Does every packet that matches m2 also match m1 (same key)? */
static bool covers(const struct nsh_match *m1, const struct nsh_match *m2)
{
	size_t i;

	if (m1->key != m2->key || m1->op != NSH_OP_EQ || m2->op != NSH_OP_EQ || m1->bitmask ||
	    m2->bitmask)
		return false;
	if (m1->rhs == NSH_RHS_VALUE && m2->rhs == NSH_RHS_VALUE)
		return m1->val.len == m2->val.len && !memcmp(m1->val.data, m2->val.data, m1->val.len);
	if (m1->key->type != NSH_T_IPV4 && m1->key->type != NSH_T_PORT)
		return false;
	if (m1->key->type == NSH_T_IPV4 && m1->rhs == NSH_RHS_PREFIX) {
		if (m2->rhs == NSH_RHS_VALUE)
			return in_prefix(m2->val.data, m1->val.data, m1->plen);
		if (m2->rhs == NSH_RHS_PREFIX)
			return m2->plen >= m1->plen && in_prefix(m2->val.data, m1->val.data, m1->plen);
	}
	if (m1->rhs == NSH_RHS_SET && m2->rhs == NSH_RHS_VALUE && !m1->set->interval)
		for (i = 0; i < m1->set->nelems; i++)
			if (!memcmp(m1->set->elems[i].lo.data, m2->val.data, m2->val.len))
				return true;
	return false;
}

/* Does rule r1 match every packet that r2 matches, and end the chain for it? */
static bool shadows(const struct nsh_rule *r1, const struct nsh_rule *r2)
{
	size_t i, j;
	bool terminal = false;

	if (r1->opaque || r1->xt || r2->opaque || r2->xt)
		return false;
	for (i = 0; i < r1->nstmts; i++) {
		const struct nsh_stmt *s = &r1->stmts[i];

		if (s->kind == NSH_ST_NAT || (s->kind == NSH_ST_VERDICT &&
					      s->verdict.code != NSH_V_CONTINUE &&
					      s->verdict.code != NSH_V_JUMP))
			terminal = true;
		if (s->kind == NSH_ST_NAT && s->nat.addr == NSH_NAT_ADDR_MAP &&
		    s->nat.mapkey.kind == NSH_MAPKEY_KEY)
			return false;	/* a map may leave keys unmapped: not terminal for all */
		if (s->kind == NSH_ST_NUMGEN_MATCH || s->kind == NSH_ST_OPAQUE)
			return false;
		if (s->kind != NSH_ST_MATCH)
			continue;
		for (j = 0; j < r2->nstmts; j++)
			if (r2->stmts[j].kind == NSH_ST_MATCH && covers(&s->match, &r2->stmts[j].match))
				break;
		if (j == r2->nstmts)
			return false;
	}
	return terminal;
}

/* The first earlier rule that shadows this one, if any, is named. */
static void check_shadow(struct doc *d, const struct at *a)
{
	struct nsh_finding *x;
	size_t i;

	for (i = 0; i < a->i; i++) {
		if (!shadows(&a->c->rules[i], a->r))
			continue;
		x = doc_add(d, NSH_FIND_SHADOWED_RULE, a);
		x->other = i;
		delete_cmd(a, x->fix, sizeof(x->fix));
		return;
	}
}

/* ---- counters ---- */

static void check_counter(struct doc *d, const struct at *a)
{
	struct nsh_rule copy = *a->r;
	struct nsh_finding *x;
	struct nsh_stmt *st;
	size_t i, at = a->r->nstmts;
	char *text;

	if (!is_own(a->t) || a->r->has_counter || a->r->opaque || a->r->xt)
		return;
	x = doc_add(d, NSH_FIND_NO_COUNTER, a);
	for (i = 0; i < a->r->nstmts; i++)
		if (a->r->stmts[i].kind == NSH_ST_NAT || a->r->stmts[i].kind == NSH_ST_VERDICT) {
			at = i;
			break;
		}
	st = nsh_xcalloc(a->r->nstmts + 1, sizeof(*st));
	memcpy(st, a->r->stmts, at * sizeof(*st));
	st[at].kind = NSH_ST_COUNTER;
	memcpy(st + at + 1, a->r->stmts + at, (a->r->nstmts - at) * sizeof(*st));
	copy.stmts = st;
	copy.nstmts++;
	copy.has_counter = true;
	text = doc_text_of(a->t, &copy);
	doc_replace_cmd(a, text, x->fix, sizeof(x->fix));
	free(text);
	free(st);
}

/* each_rule callback for postrouting. */
static void check_post(struct doc *d, const struct at *a)
{
	check_snat_iface(d, a);
}

/* each_rule callback for every nat chain. */
static void check_all_shadow_counter(struct doc *d, const struct at *a)
{
	check_shadow(d, a);
	check_counter(d, a);
}

/* See doctor.h: global checks first, then rule by rule in chain order. */
size_t nsh_doctor_run(const struct nsh_ruleset *rs, const struct nsh_doctor_facts *f,
		      struct nsh_finding **out)
{
	static const uint32_t hooks[] = {
		NF_INET_PRE_ROUTING, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING, NF_INET_LOCAL_IN,
	};
	struct doc d = { .rs = rs, .f = f };
	struct nsh_finding *x;
	size_t i;

	if (f->legacy_nat) {
		x = doc_add(&d, NSH_FIND_IPTABLES_LEGACY, NULL);
		SET(fix, "iptables-legacy-save -t nat > legacy.rules; iptables-legacy -t nat -F "
		    "(then write them again with natsh: its iptables lines or a wizard)");
	}
	check_forward(&d);
	doc_check_random(&d);
	each_rule(&d, NF_INET_PRE_ROUTING, check_dnat_cb);
	each_rule(&d, NF_INET_POST_ROUTING, check_post);
	for (i = 0; i < NSH_ARRAY_SIZE(hooks); i++)
		each_rule(&d, hooks[i], check_all_shadow_counter);
	*out = d.v;
	return d.n;
}

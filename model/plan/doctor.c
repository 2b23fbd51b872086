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
	[NSH_FIND_IP6_FORWARD_OFF] = "ip6_forward_off",
	[NSH_FIND_UNEVEN_PROBABILITY] = "uneven_probability",
	[NSH_FIND_DNAT_UNREACHABLE] = "dnat_unreachable",
	[NSH_FIND_ROUTER_ACCESS_MISSING] = "router_access_missing",
	[NSH_FIND_ROUTER_ACCESS_NO_MASQ] = "router_access_no_masq",
	[NSH_FIND_ROUTER_ACCESS_NO_LOCALNET] = "router_access_no_localnet",
	[NSH_FIND_ROUTER_ACCESS_LOOPBACK6] = "router_access_loopback6",
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

/* Address length of a family: 4 or 16. */
static size_t alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* Is a (len bytes) inside net/plen? */
static bool prefix_has(const uint8_t *a, const uint8_t *net, uint8_t plen, size_t len)
{
	size_t full = plen / 8;
	uint8_t mask = (uint8_t)(0xff00u >> (plen % 8));

	if (plen > len * 8)
		return false;
	if (memcmp(a, net, full))
		return false;
	return full == len || plen % 8 == 0 || (a[full] & mask) == (net[full] & mask);
}

/* Is a inside net/plen (IPv4)? */
static bool in_prefix(const uint8_t *a, const uint8_t *net, uint8_t plen)
{
	return prefix_has(a, net, plen, 4);
}

/* Does an address (len 4 or 16) match m (==, prefix, range, set)?  Absent m: yes. */
static bool addr_matches(const struct nsh_match *m, const uint8_t *a, size_t len)
{
	size_t i;
	bool in = false;

	if (!m)
		return true;
	switch (m->rhs) {
	case NSH_RHS_VALUE:
		in = m->val.len == len && !memcmp(m->val.data, a, len);
		break;
	case NSH_RHS_PREFIX:
		in = prefix_has(a, m->val.data, m->plen, len);
		break;
	case NSH_RHS_RANGE:
		in = memcmp(a, m->val.data, len) >= 0 && memcmp(a, m->hi.data, len) <= 0;
		break;
	case NSH_RHS_SET:
		for (i = 0; i < m->set->nelems && !in; i++) {
			const struct nsh_elem *e = &m->set->elems[i];

			in = e->kind == NSH_ELEM_VALUE ? !memcmp(e->lo.data, a, len) :
			     e->kind == NSH_ELEM_PREFIX ? prefix_has(a, e->lo.data, e->plen, len) :
			     memcmp(a, e->lo.data, len) >= 0 && memcmp(a, e->hi.data, len) <= 0;
		}
		break;
	case NSH_RHS_NAMED_SET:
		return true;	/* unknown contents: assume it may match */
	}
	return m->op == NSH_OP_NEQ ? !in : in;
}

/* The backends of one family of a dnat (a single address or those of its map); count. */
static size_t backends(const struct nsh_nat *n, int family, uint8_t (*out)[16], size_t max)
{
	size_t i, k = 0, len = alen(family);

	if (n->addr == NSH_NAT_ADDR_VALUE && n->addr_min.len == len) {
		memcpy(out[0], n->addr_min.data, len);
		return 1;
	}
	if (n->addr == NSH_NAT_ADDR_MAP && n->map && n->map->ndata >= 1)
		for (i = 0; i < n->map->nelems && k < max; i++)
			if (n->map->elems[i].data[0].len == len)
				memcpy(out[k++], n->map->elems[i].data[0].data, len);
	return k;
}

/* A port value (network order) as a number. */
static uint16_t port_val(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The tcp/udp destination port match of a rule, or NULL; *proto: "tcp", "udp". */
static const struct nsh_match *dport_match(const struct nsh_rule *r, const char **proto)
{
	static const struct {
		enum nsh_key_id k;
		const char *p;
	} keys[] = { { NSH_K_TCP_DPORT, "tcp" }, { NSH_K_UDP_DPORT, "udp" } };
	size_t i;

	for (i = 0; i < NSH_ARRAY_SIZE(keys); i++) {
		const struct nsh_match *m = match_of(r, keys[i].k);

		if (m && m->op == NSH_OP_EQ && (m->rhs == NSH_RHS_VALUE || m->rhs == NSH_RHS_RANGE ||
						(m->rhs == NSH_RHS_SET && m->set->nelems))) {
			*proto = keys[i].p;
			return m;
		}
	}
	return NULL;
}

/*
 * The rule's destination port(s): the first as the result (0 when none),
 * all of them as nft writes them in ports ("8080", "80-90", "{ 80, 443 }").
 */
static uint16_t dport_of(const struct nsh_rule *r, const char **proto, char *ports, size_t len)
{
	const struct nsh_match *m = dport_match(r, proto);
	struct nsh_buf b;
	size_t i;
	uint16_t first;

	if (!m)
		return 0;
	nsh_buf_init(&b);
	if (m->rhs == NSH_RHS_VALUE) {
		first = port_val(m->val.data);
		nsh_buf_printf(&b, "%u", first);
	} else if (m->rhs == NSH_RHS_RANGE) {
		first = port_val(m->val.data);
		nsh_buf_printf(&b, "%u-%u", first, port_val(m->hi.data));
	} else {
		first = port_val(m->set->elems[0].lo.data);
		nsh_buf_puts(&b, "{ ");
		for (i = 0; i < m->set->nelems; i++) {
			const struct nsh_elem *e = &m->set->elems[i];

			nsh_buf_printf(&b, "%s%u", i ? ", " : "", port_val(e->lo.data));
			if (e->kind == NSH_ELEM_RANGE)
				nsh_buf_printf(&b, "-%u", port_val(e->hi.data));
		}
		nsh_buf_puts(&b, " }");
	}
	snprintf(ports, len, "%s", b.s);
	nsh_buf_free(&b);
	return first ? first : 1;
}

/* Does the rule's tcp/udp destination port match take proto/port? */
static bool dport_has(const struct nsh_rule *r, const char *proto, uint16_t port)
{
	const char *p = "";
	const struct nsh_match *m = dport_match(r, &p);
	uint8_t v[2] = { (uint8_t)(port >> 8), (uint8_t)port };
	size_t i;

	if (!m || strcmp(p, proto))
		return false;
	if (m->rhs == NSH_RHS_VALUE)
		return port_val(m->val.data) == port;
	if (m->rhs == NSH_RHS_RANGE)
		return memcmp(v, m->val.data, 2) >= 0 && memcmp(v, m->hi.data, 2) <= 0;
	for (i = 0; i < m->set->nelems; i++) {
		const struct nsh_elem *e = &m->set->elems[i];

		if (e->kind == NSH_ELEM_VALUE ? !memcmp(v, e->lo.data, 2) :
		    memcmp(v, e->lo.data, 2) >= 0 && memcmp(v, e->hi.data, 2) <= 0)
			return true;
	}
	return false;
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

/* The family a rule applies to: AF_INET, AF_INET6, or 0 when both (inet, unqualified). */
static int rule_family(const struct nsh_table *t, const struct nsh_rule *r)
{
	size_t i;

	if (t->family == NSH_FAM_IP)
		return AF_INET;
	if (t->family == NSH_FAM_IP6)
		return AF_INET6;
	for (i = 0; i < r->nstmts; i++) {
		const struct nsh_stmt *s = &r->stmts[i];

		if (s->kind == NSH_ST_MATCH) {
			const struct nsh_match *m = &s->match;

			if (m->key->nfproto_dep)
				return m->key->nfproto_dep == NFPROTO_IPV6 ? AF_INET6 : AF_INET;
			if (m->key->id == NSH_K_META_NFPROTO && m->op == NSH_OP_EQ &&
			    m->rhs == NSH_RHS_VALUE)
				return m->val.data[0] == NFPROTO_IPV6 ? AF_INET6 : AF_INET;
		} else if (s->kind == NSH_ST_NAT) {
			const struct nsh_nat *n = &s->nat;

			if (n->family)
				return n->family == NSH_FAM_IP6 ? AF_INET6 : AF_INET;
			if (n->addr == NSH_NAT_ADDR_VALUE && n->addr_min.len)
				return n->addr_min.len == 16 ? AF_INET6 : AF_INET;
			if (n->addr == NSH_NAT_ADDR_MAP && n->map && n->map->ndata && n->map->nelems)
				return n->map->elems[0].data[0].len == 16 ? AF_INET6 : AF_INET;
		}
	}
	return 0;
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

/* Is there a rule at hooknum for which pred(table, rule, arg) holds? */
static bool any_rule(struct doc *d, uint32_t hooknum,
		     bool (*pred)(const struct nsh_table *, const struct nsh_rule *, const void *),
		     const void *arg)
{
	size_t ti, ci, ri;

	for (ti = 0; ti < d->rs->ntables; ti++)
		for (ci = 0; ci < d->rs->tables[ti].nchains; ci++) {
			const struct nsh_chain *c = &d->rs->tables[ti].chains[ci];

			if (!c->base || !c->type || strcmp(c->type, "nat") || c->hooknum != hooknum)
				continue;
			for (ri = 0; ri < c->nrules; ri++)
				if (pred(&d->rs->tables[ti], &c->rules[ri], arg))
					return true;
		}
	return false;
}

/* ---- ip_forward, IPv6 forwarding ---- */

/* A NAT rule of forwarded traffic for a family (arg: AF_INET, AF_INET6). */
static bool forwards(const struct nsh_table *t, const struct nsh_rule *r, const void *arg)
{
	const struct nsh_nat *n = nat_of(r);
	int want = *(const int *)arg, fam;

	if (!n || (n->type != NSH_NAT_DNAT && n->type != NSH_NAT_SNAT && n->type != NSH_NAT_MASQ))
		return false;
	fam = rule_family(t, r);
	/* an unqualified rule (inet, no address) counts as IPv4: most NAT is */
	return want == AF_INET ? fam != AF_INET6 : fam == AF_INET6;
}

/* DNAT in prerouting or SNAT/MASQUERADE in postrouting need forwarding, per family. */
static void check_forward(struct doc *d)
{
	static const int v4 = AF_INET, v6 = AF_INET6;
	struct nsh_finding *x;

	if (!d->f->ip_forward && (any_rule(d, NF_INET_PRE_ROUTING, forwards, &v4) ||
				  any_rule(d, NF_INET_POST_ROUTING, forwards, &v4))) {
		x = doc_add(d, NSH_FIND_IP_FORWARD_OFF, NULL);
		SET(fix, "sysctl net.ipv4.ip_forward 1");
	}
	if (!d->f->ip6_forward && (any_rule(d, NF_INET_PRE_ROUTING, forwards, &v6) ||
				   any_rule(d, NF_INET_POST_ROUTING, forwards, &v6))) {
		x = doc_add(d, NSH_FIND_IP6_FORWARD_OFF, NULL);
		SET(fix, "sysctl net.ipv6.conf.all.forwarding 1");
	}
}

/* ---- port forwards: router access, hairpin, WAN-only ---- */

struct fwd {
	const char *proto;
	uint16_t port;		/* the (first) public port */
	char ports[48];		/* all of them, as nft writes them */
	int family;
	const uint8_t *addr;	/* a backend */
	uint16_t bport;		/* its port (0: unchanged) */
	const char *lan;	/* the backend's interface, or NULL */
};

/* The destination port(s) after the DNAT: the backend's port, or the public ones. */
static void fwd_bports(const struct fwd *w, char *out, size_t len)
{
	if (w->bport)
		snprintf(out, len, "%u", w->bport);
	else
		snprintf(out, len, "%s", w->ports);
}

/* The DNAT target as nft writes it: "192.0.2.10:80", "[2001:db8:1::10]:80", "192.0.2.10". */
static void fwd_target(const struct fwd *w, char *out, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(w->family, w->addr, a, sizeof(a));
	if (!w->bport)
		snprintf(out, len, "%s", a);
	else if (w->family == AF_INET6)
		snprintf(out, len, "[%s]:%u", a, w->bport);
	else
		snprintf(out, len, "%s:%u", a, w->bport);
}

/* An output-chain DNAT of the forward's family for its port. */
static bool output_dnat(const struct nsh_table *t, const struct nsh_rule *r, const void *arg)
{
	const struct fwd *w = arg;
	const struct nsh_nat *n = nat_of(r);
	uint8_t be[1][16];

	return n && n->type == NSH_NAT_DNAT && dport_has(r, w->proto, w->port) &&
	       rule_family(t, r) == w->family && backends(n, w->family, be, 1);
}

static const uint8_t loop4[4] = { 127, 0, 0, 1 };
static const uint8_t loop6[16] = { [15] = 1 };

/* An output DNAT of the forward that 127.0.0.1 reaches (its ip daddr takes 127.0.0.1). */
static bool output_dnat_lo(const struct nsh_table *t, const struct nsh_rule *r, const void *arg)
{
	return output_dnat(t, r, arg) && addr_matches(match_of(r, NSH_K_IP_DADDR), loop4, 4);
}

/* Is the rule limited to ip6 daddr ::1 (an output DNAT that cannot leave the host)? */
static bool only_loop6(const struct nsh_rule *r)
{
	const struct nsh_match *m = match_of(r, NSH_K_IP6_DADDR);

	return m && m->op == NSH_OP_EQ && m->rhs == NSH_RHS_VALUE && m->val.len == 16 &&
	       !memcmp(m->val.data, loop6, 16);
}

/* An output DNAT of the forward that is more than ::1. */
static bool output_dnat_routable(const struct nsh_table *t, const struct nsh_rule *r,
				 const void *arg)
{
	return output_dnat(t, r, arg) && !only_loop6(r);
}

/* A postrouting masquerade/snat that catches the translated packets; local: router's own. */
static bool masq_for(const struct nsh_table *t, const struct nsh_rule *r, const struct fwd *w,
		     bool local)
{
	const struct nsh_nat *n = nat_of(r);
	bool v6 = w->family == AF_INET6;
	char oif[IFNAMSIZ];
	int fam;

	if (!n || (n->type != NSH_NAT_MASQ && n->type != NSH_NAT_SNAT))
		return false;
	fam = rule_family(t, r);
	if (fam && fam != w->family)
		return false;
	ifname_of(match_of(r, NSH_K_OIFNAME), oif);
	if (match_of(r, NSH_K_OIFNAME) && (!w->lan || strcmp(oif, w->lan)))
		return false;
	if (!addr_matches(match_of(r, v6 ? NSH_K_IP6_DADDR : NSH_K_IP_DADDR), w->addr,
			  alen(w->family)))
		return false;
	if (local)
		return !match_of(r, v6 ? NSH_K_IP6_SADDR : NSH_K_IP_SADDR) || local_source(r);
	return !local_source(r);
}

/* any_rule predicate: the masquerade of the router's own translated packets. */
static bool local_masq(const struct nsh_table *t, const struct nsh_rule *r, const void *arg)
{
	return masq_for(t, r, arg, true);
}

/* any_rule predicate: the hairpin masquerade of LAN clients' packets. */
static bool hairpin_masq(const struct nsh_table *t, const struct nsh_rule *r, const void *arg)
{
	return masq_for(t, r, arg, false);
}

/* The first global address of a family of a link (any scope when none is global). */
static const struct nsh_link_addr *link_addr(const struct nsh_link *k, int family)
{
	size_t i;

	if (family == AF_INET)
		return nsh_link_ipv4(k);
	for (i = 0; i < k->naddrs; i++)
		if (k->addrs[i].family == family && k->addrs[i].scope == RT_SCOPE_UNIVERSE)
			return &k->addrs[i];
	return NULL;
}

/* The LAN subnet of an interface as "192.0.2.0/24" or "2001:db8:1::/64". */
static bool lan_net(const struct nsh_doctor_facts *f, const char *lan, int family, char *out,
		    size_t len)
{
	const struct nsh_link *k = f->links && lan ? nsh_links_by_name(f->links, lan) : NULL;
	const struct nsh_link_addr *a = k ? link_addr(k, family) : NULL;
	char s[INET6_ADDRSTRLEN];
	uint8_t net[16] = { 0 };
	size_t i;

	if (!a)
		return false;
	for (i = 0; i < alen(family); i++) {
		unsigned bits = a->plen > i * 8 ? a->plen - i * 8 : 0;

		net[i] = a->addr[i] & (uint8_t)(bits >= 8 ? 0xff : 0xff00u >> bits);
	}
	inet_ntop(family, net, s, sizeof(s));
	snprintf(out, len, "%s/%u", s, a->plen);
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

/* Append one command of a fix, with the reason it is there. */
static void step(struct nsh_finding *x, enum nsh_fix_why why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void step(struct nsh_finding *x, enum nsh_fix_why why, const char *fmt, ...)
{
	size_t off = strlen(x->fix);
	va_list ap;

	if (x->nsteps == NSH_DOCTOR_STEPS || off + 3 >= sizeof(x->fix))
		return;
	if (off) {
		memcpy(x->fix + off, "; ", 3);
		off += 2;
	}
	va_start(ap, fmt);
	vsnprintf(x->fix + off, sizeof(x->fix) - off, fmt, ap);
	va_end(ap);
	x->step[x->nsteps].why = why;
	x->step[x->nsteps].off = off;
	x->step[x->nsteps].len = strlen(x->fix) - off;
	x->nsteps++;
}

/* A finding about the port forward w of rule a. */
static struct nsh_finding *fwd_add(struct doc *d, enum nsh_finding_kind kind, const struct at *a,
				   const struct fwd *w)
{
	struct nsh_finding *x = doc_add(d, kind, a);

	x->proto = w->proto;
	x->port = w->port;
	snprintf(x->ports, sizeof(x->ports), "%s", w->ports);
	x->family = w->family;
	memcpy(x->addr, w->addr, alen(w->family));
	x->bport = w->bport;
	x->lan = w->lan;
	return x;
}

/* The fix's output DNAT: the router's own connections to its addresses. */
static void step_output_dnat(struct nsh_finding *x, const struct fwd *w)
{
	char to[64];

	fwd_target(w, to, sizeof(to));
	step(x, w->family == AF_INET6 ? NSH_WHY_OUTPUT_DNAT6 : NSH_WHY_OUTPUT_DNAT,
	     "add output fib daddr type local %s dport %s dnat %s to %s", w->proto, w->ports,
	     w->family == AF_INET6 ? "ip6" : "ip", to);
}

/* The fix's masquerade of the router's own translated connections (IPv4). */
static void step_local_masq(struct nsh_finding *x, const struct fwd *w)
{
	char a[INET_ADDRSTRLEN], bp[48];

	inet_ntop(AF_INET, w->addr, a, sizeof(a));
	fwd_bports(w, bp, sizeof(bp));
	step(x, NSH_WHY_LOCAL_MASQ, "add postrouting oifname \"%s\" fib saddr type local ip daddr "
	     "%s %s dport %s ct status dnat masquerade", w->lan, a, w->proto, bp);
}

/* The fix's hairpin masquerade of LAN clients' translated connections. */
static void step_hairpin(struct doc *d, struct nsh_finding *x, const struct fwd *w)
{
	const char *ip = w->family == AF_INET6 ? "ip6" : "ip";
	char a[INET6_ADDRSTRLEN], bp[48], net[64];

	if (!lan_net(d->f, w->lan, w->family, net, sizeof(net)))
		return;
	inet_ntop(w->family, w->addr, a, sizeof(a));
	fwd_bports(w, bp, sizeof(bp));
	step(x, NSH_WHY_HAIRPIN_MASQ, "add postrouting oifname \"%s\" %s saddr %s %s daddr %s "
	     "%s dport %s ct status dnat masquerade", w->lan, ip, net, ip, a, w->proto, bp);
}

/* Router access of an IPv4 forward: output DNAT, local masquerade, route_localnet. */
static void check_router_access4(struct doc *d, const struct at *a, const struct fwd *w)
{
	bool out = any_rule(d, NF_INET_LOCAL_OUT, output_dnat, w);
	bool masq = any_rule(d, NF_INET_POST_ROUTING, local_masq, w);
	/* route_localnet matters once an output DNAT takes 127.0.0.1 (the fix's does) */
	bool ln = (!out || any_rule(d, NF_INET_LOCAL_OUT, output_dnat_lo, w)) &&
		  !localnet_on(d->f, w->lan);
	struct nsh_finding *x;

	if (out && masq && !ln)
		return;
	x = fwd_add(d, !out ? NSH_FIND_ROUTER_ACCESS_MISSING : !masq ?
		    NSH_FIND_ROUTER_ACCESS_NO_MASQ : NSH_FIND_ROUTER_ACCESS_NO_LOCALNET, a, w);
	if (!out)
		step_output_dnat(x, w);
	if (!masq)
		step_local_masq(x, w);
	if (ln)
		step(x, NSH_WHY_LOCALNET, "sysctl net.ipv4.conf.%s.route_localnet 1", w->lan);
}

/* Router access of an IPv6 forward: the output DNAT (an ::1 one is its own finding). */
static void check_router_access6(struct doc *d, const struct at *a, const struct fwd *w)
{
	struct nsh_finding *x;

	if (any_rule(d, NF_INET_LOCAL_OUT, output_dnat, w))
		return;
	x = fwd_add(d, NSH_FIND_ROUTER_ACCESS_MISSING, a, w);
	step_output_dnat(x, w);
}

/* The rule's text with one piece (from) replaced by another (to, "" to drop it). */
static bool text_swap(const struct at *a, const char *from, const char *to, char *out,
		      size_t len)
{
	char *text = doc_text_of(a->t, a->r), *p = strstr(text, from);
	struct nsh_buf b;

	if (p) {
		nsh_buf_init(&b);
		nsh_buf_putn(&b, text, (size_t)(p - text));
		nsh_buf_puts(&b, to);
		nsh_buf_puts(&b, p + strlen(from));
		doc_replace_cmd(a, b.s, out, len);
		nsh_buf_free(&b);
	}
	free(text);
	return p != NULL;
}

/* A forward limited to its input interface (hairpin), or without hairpin masquerade. */
static void check_hairpin(struct doc *d, const struct at *a, const struct fwd *w)
{
	struct nsh_finding *x;
	char iif[IFNAMSIZ], from[48], cmd[sizeof(x->fix)];
	bool has_daddr = match_of(a->r, NSH_K_FIB_DADDR_TYPE) || match_of(a->r, NSH_K_IP_DADDR) ||
			 match_of(a->r, NSH_K_IP6_DADDR);
	bool masq = any_rule(d, NF_INET_POST_ROUTING, hairpin_masq, w);

	ifname_of(match_of(a->r, NSH_K_IIFNAME), iif);
	if (iif[0] && strcmp(iif, w->lan)) {
		x = fwd_add(d, NSH_FIND_DNAT_WAN_ONLY, a, w);
		snprintf(x->iface, sizeof(x->iface), "%s", iif);
		snprintf(from, sizeof(from), "iifname \"%s\" ", iif);
		if (text_swap(a, from, has_daddr ? "" : "fib daddr type local ", cmd, sizeof(cmd)))
			step(x, NSH_WHY_ANY_IIF, "%s", cmd);
		if (!masq)
			step_hairpin(d, x, w);
	} else if (!masq) {
		x = fwd_add(d, NSH_FIND_NO_HAIRPIN, a, w);
		step_hairpin(d, x, w);
	}
}

/* One prerouting DNAT: its backend's subnet, its router access, its hairpin. */
static void check_dnat(struct doc *d, const struct at *a)
{
	const struct nsh_nat *n = nat_of(a->r);
	const struct nsh_link *lan;
	struct nsh_finding *x;
	uint8_t be[16][16];
	struct fwd w = { 0 };

	if (!n || n->type != NSH_NAT_DNAT || a->r->opaque || a->r->xt)
		return;
	w.family = AF_INET;
	if (!backends(n, AF_INET, be, 16)) {
		w.family = AF_INET6;
		if (!backends(n, AF_INET6, be, 16))
			return;
	}
	w.port = dport_of(a->r, &w.proto, w.ports, sizeof(w.ports));
	if (!w.port)
		return;
	w.addr = be[0];
	w.bport = n->has_port ? n->port_min : 0;
	if (n->addr == NSH_NAT_ADDR_MAP && n->map->ndata == 2 && n->map->nelems)
		w.bport = port_val(n->map->elems[0].data[1].data);
	if (!d->f->links)
		return;	/* every other check needs the backend's LAN */
	lan = nsh_links_subnet_of(d->f->links, w.family, w.addr);
	if (!lan) {
		/* DNAT to an address in no connected subnet */
		x = fwd_add(d, NSH_FIND_DNAT_UNREACHABLE, a, &w);
		delete_cmd(a, x->fix, sizeof(x->fix));
		return;
	}
	w.lan = lan->name;
	if (w.family == AF_INET)
		check_router_access4(d, a, &w);
	else
		check_router_access6(d, a, &w);
	check_hairpin(d, a, &w);
}

/* each_rule callback for prerouting. */
static void check_dnat_cb(struct doc *d, const struct at *a)
{
	check_dnat(d, a);
}

/* An output DNAT of ip6 daddr ::1: IPv6 cannot route ::1 off the host. */
static void check_loop6(struct doc *d, const struct at *a)
{
	const struct nsh_nat *n = nat_of(a->r);
	struct nsh_finding *x;
	uint8_t be[1][16];
	struct fwd w = { 0 };
	char cmd[sizeof(x->fix)];

	if (!n || n->type != NSH_NAT_DNAT || a->r->opaque || a->r->xt || !only_loop6(a->r) ||
	    !backends(n, AF_INET6, be, 1))
		return;
	w.family = AF_INET6;
	w.addr = be[0];
	w.port = dport_of(a->r, &w.proto, w.ports, sizeof(w.ports));
	w.bport = n->has_port ? n->port_min : 0;
	if (!w.port)
		w.proto = NULL;
	x = fwd_add(d, NSH_FIND_ROUTER_ACCESS_LOOPBACK6, a, &w);
	if (any_rule(d, NF_INET_LOCAL_OUT, output_dnat_routable, &w))
		delete_cmd(a, x->fix, sizeof(x->fix));	/* the router's addresses have theirs */
	else if (text_swap(a, "ip6 daddr ::1 ", "fib daddr type local ", cmd, sizeof(cmd)))
		step(x, NSH_WHY_NO_LOOPBACK6, "%s", cmd);
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
	each_rule(&d, NF_INET_LOCAL_OUT, check_loop6);
	each_rule(&d, NF_INET_POST_ROUTING, check_post);
	for (i = 0; i < NSH_ARRAY_SIZE(hooks); i++)
		each_rule(&d, hooks[i], check_all_shadow_counter);
	*out = d.v;
	return d.n;
}

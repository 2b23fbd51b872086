/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Wizard plans: arguments -> rules with reasons and sysctl changes.
 * See wizard.h.  Rule texts are written exactly as nft 1.0.6 lists them.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/util.h"
#include "model/plan/wizard.h"

#define TAG_PREFIX "wizard "

/* See wizard.h. */
void nsh_wiz_args_init(struct nsh_wiz_args *a, enum nsh_wiz_kind kind)
{
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->router_access = true;
	a->hairpin = true;
	a->ip_forward = -1;
	a->route_localnet = -1;
}

/* Names become part of comments and of the command line: keep them plain. */
int nsh_wiz_parse_name(const char *s, size_t off, char *name, struct nsh_err *err)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > NSH_WIZ_NAME_MAX) {
		nsh_err_set(err, off, n, "invalid wizard NAME \"%s\": 1 to %d characters",
			    s, NSH_WIZ_NAME_MAX);
		return -1;
	}
	if (!isalnum((unsigned char)s[0])) {
		nsh_err_set(err, off, 1, "invalid wizard NAME \"%s\": must start with a letter or digit", s);
		return -1;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (!isalnum(c) && c != '-' && c != '_' && c != '.') {
			nsh_err_set(err, off + i, 1,
				    "invalid wizard NAME \"%s\": only letters, digits, '-', '_' and '.'", s);
			return -1;
		}
	}
	memcpy(name, s, n + 1);
	return 0;
}

/* Strict decimal in [lo, hi]; -1 when s is not that. */
static long parse_num(const char *s, long lo, long hi)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	return v;
}

/* Dotted quad only (inet_pton, no shorthand forms). */
static int parse_ipv4(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1 ? 0 : -1;
}

/* See wizard.h: messages name the argument (what). */
int nsh_wiz_parse_addr(const char *s, size_t off, const char *what, struct in_addr *a,
		       struct nsh_err *err)
{
	if (parse_ipv4(s, a) < 0) {
		if (strchr(s, ':'))
			nsh_err_set(err, off, strlen(s),
				    "invalid %s \"%s\": wizards handle IPv4 addresses only", what, s);
		else
			nsh_err_set(err, off, strlen(s),
				    "invalid %s \"%s\": not an IPv4 address", what, s);
		return -1;
	}
	return 0;
}

/* See wizard.h: host bits set is an error that proposes the subnet. */
int nsh_wiz_parse_prefix(const char *s, size_t off, const char *what,
			 struct nsh_wiz_prefix *p, struct nsh_err *err)
{
	const char *slash = strchr(s, '/');
	char addr[INET_ADDRSTRLEN + 1];
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	uint32_t mask;
	long plen = 32;

	if (alen >= sizeof(addr) || (memcpy(addr, s, alen), addr[alen] = 0, parse_ipv4(addr, &p->addr) < 0)) {
		nsh_err_set(err, off, alen, "invalid %s \"%s\": expected an IPv4 subnet such as 192.0.2.0/24",
			    what, s);
		return -1;
	}
	if (slash) {
		plen = parse_num(slash + 1, 0, 32);
		if (plen < 0) {
			nsh_err_set(err, off + alen + 1, strlen(slash + 1),
				    "invalid %s \"%s\": prefix length must be 0 to 32", what, s);
			return -1;
		}
	}
	mask = plen ? htonl(~0u << (32 - plen)) : 0;
	if (p->addr.s_addr & ~mask) {
		struct in_addr net = { .s_addr = p->addr.s_addr & mask };
		char buf[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &net, buf, sizeof(buf));
		nsh_err_set(err, off, strlen(s), "invalid %s \"%s\": host bits set (did you mean %s/%ld?)",
			    what, s, buf, plen);
		return -1;
	}
	p->plen = plen;
	return 0;
}

/* See wizard.h. */
int nsh_wiz_parse_proto(const char *s, size_t off, unsigned *proto, struct nsh_err *err)
{
	if (!strcmp(s, "tcp"))
		*proto = NSH_WIZ_TCP;
	else if (!strcmp(s, "udp"))
		*proto = NSH_WIZ_UDP;
	else if (!strcmp(s, "tcp+udp") || !strcmp(s, "udp+tcp"))
		*proto = NSH_WIZ_TCP | NSH_WIZ_UDP;
	else {
		nsh_err_set(err, off, strlen(s), "invalid PROTO \"%s\": expected tcp, udp or tcp+udp", s);
		return -1;
	}
	return 0;
}

/* See wizard.h: N or N-M, 1-65535, N <= M. */
int nsh_wiz_parse_ports(const char *s, size_t off, uint16_t *lo, uint16_t *hi,
			struct nsh_err *err)
{
	const char *dash = strchr(s, '-');
	char first[8];
	size_t flen = dash ? (size_t)(dash - s) : strlen(s);
	long a = -1, b;

	if (flen < sizeof(first)) {
		memcpy(first, s, flen);
		first[flen] = 0;
		a = parse_num(first, 1, 65535);
	}
	if (a < 0) {
		nsh_err_set(err, off, flen, "invalid PORT \"%s\": expected a port 1-65535 or a range such as 8000-8010", s);
		return -1;
	}
	b = dash ? parse_num(dash + 1, 1, 65535) : a;
	if (b < 0) {
		nsh_err_set(err, off + flen + 1, strlen(dash + 1),
			    "invalid PORT \"%s\": range end must be a port 1-65535", s);
		return -1;
	}
	if (b < a) {
		nsh_err_set(err, off, strlen(s), "invalid PORT \"%s\": range end is below its start", s);
		return -1;
	}
	*lo = a;
	*hi = b;
	return 0;
}

/* A backend must be a host one can forward to. */
static bool addr_is_host(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return h != 0 && (h >> 24) != 127 && (h >> 28) < 14 && h != 0xffffffff;
}

/* See wizard.h: ADDR[:PORT] of a host (no loopback, multicast, 0.0.0.0). */
int nsh_wiz_parse_backend(const char *s, size_t off, struct nsh_wiz_backend *b,
			  struct nsh_err *err)
{
	const char *colon = strchr(s, ':');
	char addr[INET_ADDRSTRLEN + 1];
	size_t alen = colon ? (size_t)(colon - s) : strlen(s);
	long port = 0;

	if (colon && strchr(colon + 1, ':')) {
		nsh_err_set(err, off, strlen(s),
			    "invalid backend \"%s\": wizards handle IPv4 addresses only", s);
		return -1;
	}
	if (alen >= sizeof(addr) || (memcpy(addr, s, alen), addr[alen] = 0, parse_ipv4(addr, &b->addr) < 0)) {
		nsh_err_set(err, off, alen, "invalid backend \"%s\": expected ADDR[:PORT] such as 192.0.2.10:80", s);
		return -1;
	}
	if (!addr_is_host(b->addr)) {
		nsh_err_set(err, off, alen, "invalid backend \"%s\": %s is not a host address", s, addr);
		return -1;
	}
	if (colon) {
		port = parse_num(colon + 1, 1, 65535);
		if (port < 0) {
			nsh_err_set(err, off + alen + 1, strlen(colon + 1),
				    "invalid backend \"%s\": port must be 1-65535", s);
			return -1;
		}
	}
	b->port = port;
	return 0;
}

/* See wizard.h. */
int nsh_wiz_parse_onoff(const char *s, size_t off, const char *what, bool *v,
			struct nsh_err *err)
{
	if (!strcmp(s, "on") || !strcmp(s, "yes"))
		*v = true;
	else if (!strcmp(s, "off") || !strcmp(s, "no"))
		*v = false;
	else {
		nsh_err_set(err, off, strlen(s), "invalid %s \"%s\": expected on or off", what, s);
		return -1;
	}
	return 0;
}

/* See wizard.h: a trailing * only for out (an oifname wildcard). */
int nsh_wiz_parse_iface(const char *s, size_t off, const char *what, char *ifname,
			struct nsh_err *err)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ) {
		nsh_err_set(err, off, n, "invalid %s interface \"%s\": 1 to %d characters",
			    what, s, IFNAMSIZ - 1);
		return -1;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c <= ' ' || c == '/' || c == '"' || c == '\\' || c >= 0x7f ||
		    (c == '*' && (i != n - 1 || strcmp(what, "out")))) {
			nsh_err_set(err, off + i, 1, "invalid %s interface \"%s\": bad character '%c'",
				    what, s, c);
			return -1;
		}
	}
	memcpy(ifname, s, n + 1);
	return 0;
}

/* See wizard.h. */
const char *nsh_wiz_backend_str(const struct nsh_wiz_backend *b, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &b->addr, a, sizeof(a));
	if (b->port)
		snprintf(buf, len, "%s:%u", a, b->port);
	else
		snprintf(buf, len, "%s", a);
	return buf;
}

/* See wizard.h. */
char *nsh_wiz_tag(const char *name, const char *role)
{
	struct nsh_buf b;

	nsh_buf_init(&b);
	nsh_buf_printf(&b, TAG_PREFIX "%s: %s", name, role);
	return nsh_buf_steal(&b);
}

/* See wizard.h: anything else is not a wizard's rule. */
const char *nsh_wiz_tag_parse(const char *comment, char *name)
{
	const char *p, *colon;
	size_t n;

	if (!comment || strncmp(comment, TAG_PREFIX, strlen(TAG_PREFIX)))
		return NULL;
	p = comment + strlen(TAG_PREFIX);
	colon = strstr(p, ": ");
	if (!colon)
		return NULL;
	n = colon - p;
	if (n == 0 || n > NSH_WIZ_NAME_MAX || memchr(p, ' ', n))
		return NULL;
	memcpy(name, p, n);
	name[n] = 0;
	return colon + 2;
}

/* See wizard.h. */
const char *nsh_wiz_role_kind(const char *role)
{
	if (!strncmp(role, "masquerade", 10) || !strncmp(role, "snat", 4))
		return "masquerade";
	return "forward";
}

/* ---- plan building ---- */

/* Append a rule to the plan; its comment tag is added here, once. */
static void add_step(struct nsh_wiz_plan *p, const char *chain, const char *name,
		     const char *role, struct nsh_buf *rule, const char *reason)
{
	struct nsh_wiz_step *s;
	char *tag = nsh_wiz_tag(name, role);

	p->steps = nsh_xrealloc(p->steps, (p->nsteps + 1) * sizeof(*p->steps));
	s = &p->steps[p->nsteps++];
	s->chain = chain;
	nsh_buf_printf(rule, " comment \"%s\"", tag);
	free(tag);
	s->rule = nsh_buf_steal(rule);
	s->role = nsh_xstrdup(role);
	s->reason = nsh_xstrdup(reason);
}

/* Append a sysctl change to the plan. */
static void add_sysctl(struct nsh_wiz_plan *p, const char *key, const char *value,
		       const char *reason)
{
	struct nsh_wiz_sysctl *s;

	p->sysctls = nsh_xrealloc(p->sysctls, (p->nsysctls + 1) * sizeof(*p->sysctls));
	s = &p->sysctls[p->nsysctls++];
	s->key = nsh_xstrdup(key);
	s->value = nsh_xstrdup(value);
	s->reason = nsh_xstrdup(reason);
}

static void add_note(struct nsh_wiz_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_note(struct nsh_wiz_plan *p, const char *fmt, ...)
{
	struct nsh_buf b;
	va_list ap;

	nsh_buf_init(&b);
	va_start(ap, fmt);
	nsh_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	p->notes = nsh_xrealloc(p->notes, (p->nnotes + 1) * sizeof(*p->notes));
	p->notes[p->nnotes++] = nsh_buf_steal(&b);
}

/* See wizard.h. */
void nsh_wiz_plan_clear(struct nsh_wiz_plan *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nsteps; i++) {
		free(p->steps[i].rule);
		free(p->steps[i].role);
		free(p->steps[i].reason);
	}
	for (i = 0; i < p->nsysctls; i++) {
		free(p->sysctls[i].key);
		free(p->sysctls[i].value);
		free(p->sysctls[i].reason);
	}
	for (i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->steps);
	free(p->sysctls);
	free(p->notes);
	memset(p, 0, sizeof(*p));
}

/* Text helpers: values exactly as nft prints them. */
static void put_addr(struct nsh_buf *b, struct in_addr a)
{
	char s[INET_ADDRSTRLEN];

	nsh_buf_puts(b, inet_ntop(AF_INET, &a, s, sizeof(s)));
}

static void put_prefix(struct nsh_buf *b, const struct nsh_wiz_prefix *p)
{
	put_addr(b, p->addr);
	if (p->plen != 32)
		nsh_buf_printf(b, "/%u", p->plen);
}

static void put_ports(struct nsh_buf *b, uint16_t lo, uint16_t hi)
{
	if (lo == hi)
		nsh_buf_printf(b, "%u", lo);
	else
		nsh_buf_printf(b, "%u-%u", lo, hi);
}

/* "tcp dport 80", "udp dport 80", "meta l4proto { tcp, udp } th dport 80" */
static void put_l4(struct nsh_buf *b, unsigned proto, uint16_t lo, uint16_t hi)
{
	if (proto == NSH_WIZ_TCP)
		nsh_buf_puts(b, "tcp dport ");
	else if (proto == NSH_WIZ_UDP)
		nsh_buf_puts(b, "udp dport ");
	else
		nsh_buf_puts(b, "meta l4proto { tcp, udp } th dport ");
	put_ports(b, lo, hi);
}

static void put_oifname(struct nsh_buf *b, const char *ifname)
{
	nsh_buf_printf(b, "oifname \"%s\" ", ifname);
}

/* Address order (then port): sets in rules are listed sorted. */
static int cmp_backend(const void *x, const void *y)
{
	const struct nsh_wiz_backend *a = x, *b = y;
	uint32_t ha = ntohl(a->addr.s_addr), hb = ntohl(b->addr.s_addr);

	if (ha != hb)
		return ha < hb ? -1 : 1;
	return (int)a->port - (int)b->port;
}

/* One postrouting rule: masquerade, or snat to the static address. */
static int plan_masquerade(const struct nsh_wiz_args *a, struct nsh_wiz_plan *p,
			   struct nsh_err *err)
{
	struct nsh_buf r, why;

	if (!a->out[0]) {
		nsh_err_set(err, 0, 0, "wizard masquerade needs the out interface (out IFACE)");
		return -1;
	}
	nsh_buf_init(&r);
	nsh_buf_init(&why);
	put_oifname(&r, a->out);
	if (a->from.plen) {
		nsh_buf_puts(&r, "ip saddr ");
		put_prefix(&r, &a->from);
		nsh_buf_puts(&r, " ");
	} else {
		nsh_buf_puts(&r, "meta nfproto ipv4 ");
	}
	nsh_buf_puts(&r, "counter ");
	nsh_buf_puts(&why, "connections from ");
	put_prefix(&why, &a->from);
	nsh_buf_printf(&why, " leaving by %s ", a->out);
	if (a->has_to) {
		nsh_buf_puts(&r, "snat ip to ");
		put_addr(&r, a->to);
		nsh_buf_puts(&why, "take the source address ");
		put_addr(&why, a->to);
		nsh_buf_puts(&why, ", so replies find their way back");
		add_step(p, "postrouting", a->name, "snat", &r, why.s);
	} else {
		nsh_buf_puts(&r, "masquerade");
		nsh_buf_printf(&why, "take %s's current address (follows address changes), so replies find their way back",
			       a->out);
		add_step(p, "postrouting", a->name, "masquerade", &r, why.s);
	}
	nsh_buf_free(&why);
	return 0;
}

/* The dnat statement: one backend, or one numgen map over all of them. */
static int put_dnat(struct nsh_buf *b, const struct nsh_wiz_args *a,
		    const struct nsh_wiz_backend *be, size_t n, struct nsh_err *err)
{
	size_t i, with_port = 0;

	for (i = 0; i < n; i++)
		with_port += be[i].port != 0;
	nsh_buf_puts(b, "dnat ip to ");
	if (n == 1) {
		put_addr(b, be[0].addr);
		if (be[0].port)
			nsh_buf_printf(b, ":%u", be[0].port);
		return 0;
	}
	if (with_port && with_port != n && a->port_lo != a->port_hi) {
		nsh_err_set(err, 0, 0, "backends: give a port to every backend or to none when PORT is a range");
		return -1;
	}
	nsh_buf_printf(b, "numgen random mod %zu map { ", n);
	for (i = 0; i < n; i++) {
		nsh_buf_printf(b, "%s%zu : ", i ? ", " : "", i);
		put_addr(b, be[i].addr);
		if (with_port)
			nsh_buf_printf(b, " . %u", be[i].port ? be[i].port : a->port_lo);
	}
	nsh_buf_puts(b, " }");
	return 0;
}

/*
 * Masquerade rules that match the translated side of the forward: the
 * backends (one address or a set) and the port they listen on.  Backends
 * listening on different ports get one rule per port.
 */
static void plan_snat_side(const struct nsh_wiz_args *a, const struct nsh_wiz_backend *be,
			   size_t n, struct nsh_wiz_plan *p, bool router, const char *reason)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		uint16_t port = be[i].port, lo, hi;
		struct nsh_buf r;
		size_t cnt = 0;

		for (j = 0; j < i; j++)
			if (be[j].port == port)
				break;
		if (j < i)
			continue;	/* this port's rule is written already */
		for (j = i; j < n; j++)
			cnt += be[j].port == port;
		nsh_buf_init(&r);
		put_oifname(&r, a->lan);
		if (router) {
			nsh_buf_puts(&r, "fib saddr type local ");
		} else {
			nsh_buf_puts(&r, "ip saddr ");
			if (a->nlan_nets > 1)
				nsh_buf_puts(&r, "{ ");
			for (j = 0; j < a->nlan_nets; j++) {
				if (j)
					nsh_buf_puts(&r, ", ");
				put_prefix(&r, &a->lan_nets[j]);
			}
			nsh_buf_puts(&r, a->nlan_nets > 1 ? " } " : " ");
		}
		nsh_buf_puts(&r, "ip daddr ");
		if (cnt > 1)
			nsh_buf_puts(&r, "{ ");
		for (j = i, cnt = 0; j < n; j++) {
			if (be[j].port != port)
				continue;
			if (cnt++)
				nsh_buf_puts(&r, ", ");
			put_addr(&r, be[j].addr);
		}
		nsh_buf_puts(&r, cnt > 1 ? " } " : " ");
		lo = port ? port : a->port_lo;
		hi = port ? port : a->port_hi;
		put_l4(&r, a->proto, lo, hi);
		nsh_buf_puts(&r, " ct status dnat counter masquerade");
		add_step(p, "postrouting", a->name,
			 router ? "router access (masquerade)" : "hairpin (masquerade)", &r, reason);
	}
}

/* DNAT, router access and hairpin, with one numgen map for several backends. */
static int plan_forward(const struct nsh_wiz_args *a, struct nsh_wiz_plan *p,
			struct nsh_err *err)
{
	struct nsh_wiz_backend be[NSH_WIZ_BACKENDS_MAX];
	struct nsh_buf match, r, why;
	size_t i, n = a->nbackends;
	char bs[32];

	if (!a->proto) {
		nsh_err_set(err, 0, 0, "wizard forward needs PROTO (tcp, udp or tcp+udp)");
		return -1;
	}
	if (!a->port_lo) {
		nsh_err_set(err, 0, 0, "wizard forward needs PORT");
		return -1;
	}
	if (n == 0) {
		nsh_err_set(err, 0, 0, "wizard forward needs at least one backend (to ADDR[:PORT])");
		return -1;
	}
	if ((a->router_access || a->hairpin) && !a->lan[0]) {
		nsh_err_set(err, 0, 0, "wizard forward needs the LAN interface (lan IFACE) for %s",
			    a->router_access ? "router access" : "hairpin");
		return -1;
	}
	if (a->hairpin && a->nlan_nets == 0) {
		nsh_err_set(err, 0, 0, "hairpin: LAN interface %s has no IPv4 subnet", a->lan);
		return -1;
	}
	memcpy(be, a->backends, n * sizeof(*be));
	for (i = 0; i < n; i++)
		if (be[i].port && a->port_lo == a->port_hi)
			break;
	if (i < n)	/* some backends remap the port: the others keep it */
		for (i = 0; i < n; i++)
			if (!be[i].port)
				be[i].port = a->port_lo;
	for (i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (be[j].addr.s_addr == be[i].addr.s_addr &&
			    (be[j].port ? be[j].port : a->port_lo) == (be[i].port ? be[i].port : a->port_lo)) {
				nsh_err_set(err, 0, 0, "backend %s is given twice",
					    nsh_wiz_backend_str(&be[i], bs, sizeof(bs)));
				return -1;
			}
	}

	nsh_buf_init(&match);
	nsh_buf_init(&r);
	nsh_buf_init(&why);
	nsh_buf_puts(&match, "fib daddr type local ");
	put_l4(&match, a->proto, a->port_lo, a->port_hi);
	nsh_buf_printf(&r, "%s counter ", match.s);
	if (put_dnat(&r, a, be, n, err) < 0)
		goto err;
	nsh_buf_puts(&why, "connections to any address of the router itself (so it survives WAN address changes), from the Internet");
	if (a->wan[0])
		nsh_buf_printf(&why, " (%s)", a->wan);
	nsh_buf_puts(&why, " and the LAN");
	if (a->lan[0])
		nsh_buf_printf(&why, " (%s)", a->lan);
	nsh_buf_puts(&why, " alike, go to ");
	if (n == 1)
		nsh_buf_puts(&why, nsh_wiz_backend_str(&be[0], bs, sizeof(bs)));
	else
		nsh_buf_printf(&why, "one of %zu backends, chosen evenly at random", n);
	add_step(p, "prerouting", a->name, "port forward (dnat)", &r, why.s);

	if (a->router_access) {
		nsh_buf_printf(&r, "%s counter ", match.s);
		put_dnat(&r, a, be, n, err);
		add_step(p, "output", a->name, "router access (dnat)", &r,
			 "the router's own connections (to its WAN address, its LAN address or 127.0.0.1) pass output, not prerouting: translate them too");
	}
	/* postrouting rules name the backends in address order */
	qsort(be, n, sizeof(*be), cmp_backend);
	if (a->router_access) {
		char why2[160];

		snprintf(why2, sizeof(why2),
			 "the router's own translated connections leave by %s with its LAN address as source, so the backend can answer",
			 a->lan);
		plan_snat_side(a, be, n, p, true, why2);
	}
	if (a->hairpin)
		plan_snat_side(a, be, n, p, false,
			       "LAN hosts (a backend included) that use the router's address get answers through the router, so the handshake completes");

	if (a->router_access) {
		char key[IFNAMSIZ + 40], ifn[IFNAMSIZ];

		for (i = 0; a->lan[i]; i++)	/* sysctl writes dots in names as '/' */
			ifn[i] = a->lan[i] == '.' ? '/' : a->lan[i];
		ifn[i] = 0;
		snprintf(key, sizeof(key), "net.ipv4.conf.%s.route_localnet", ifn);
		if (a->route_localnet != 1)
			add_sysctl(p, key, "1",
				   "lets the router's connections from 127.0.0.1, translated towards the LAN, pass the reroute check");
		else
			add_note(p, "%s is already 1", key);
	}
	if (n > 1 && a->port_lo != a->port_hi)
		add_note(p, "a port range with several backends keeps the client's port on every backend");
	else if (n == 1 && be[0].port && a->port_lo != a->port_hi)
		add_note(p, "every port of %u-%u goes to port %u of the backend", a->port_lo,
			 a->port_hi, be[0].port);
	nsh_buf_free(&match);
	nsh_buf_free(&r);
	nsh_buf_free(&why);
	return 0;
err:
	nsh_buf_free(&match);
	nsh_buf_free(&r);
	nsh_buf_free(&why);
	return -1;
}

/* See wizard.h. */
int nsh_wiz_plan_build(const struct nsh_wiz_args *a, struct nsh_wiz_plan *p,
		       struct nsh_err *err)
{
	int rc;

	memset(p, 0, sizeof(*p));
	if (!a->name[0]) {
		nsh_err_set(err, 0, 0, "a wizard needs a NAME");
		return -1;
	}
	if (a->ip_forward != 1)
		add_sysctl(p, "net.ipv4.ip_forward", "1",
			   a->ip_forward == 0 ? "it is off: the router would not forward packets between its interfaces"
					      : "the router must forward packets between its interfaces");
	else
		add_note(p, "net.ipv4.ip_forward is already 1");
	if (a->kind == NSH_WIZ_MASQUERADE)
		rc = plan_masquerade(a, p, err);
	else
		rc = plan_forward(a, p, err);
	if (rc < 0) {
		nsh_wiz_plan_clear(p);
		return -1;
	}
	return 0;
}

/* ---- reading a wizard's rules back ---- */

/* A backend from map data (address, optional port in network order). */
static void be_from_data(const struct nsh_val *addr, const struct nsh_val *port,
			 struct nsh_wiz_backend *b)
{
	memset(b, 0, sizeof(*b));
	if (addr->len >= 4)
		memcpy(&b->addr, addr->data, 4);
	if (port && port->len >= 2)
		b->port = (port->data[0] << 8) | port->data[1];
}

/* See wizard.h. */
size_t nsh_wiz_rule_backends(const struct nsh_rule *r, struct nsh_wiz_backend *out,
			     size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->nstmts; i++) {
		const struct nsh_nat *nat = &r->stmts[i].nat;

		if (r->stmts[i].kind != NSH_ST_NAT || nat->type != NSH_NAT_DNAT)
			continue;
		if (nat->addr == NSH_NAT_ADDR_VALUE && max > 0) {
			be_from_data(&nat->addr_min, NULL, &out[0]);
			out[0].port = nat->has_port ? nat->port_min : 0;
			return 1;
		}
		if (nat->addr == NSH_NAT_ADDR_MAP && nat->map) {
			for (j = 0; j < nat->map->nelems && n < max; j++) {
				const struct nsh_elem *e = &nat->map->elems[j];

				be_from_data(&e->data[0], e->ndata > 1 ? &e->data[1] : NULL, &out[n++]);
			}
			return n;
		}
	}
	return 0;
}

/* Wizard names found in natsh's table (for completion), each once, in order. */
void nsh_wiz_names(const struct nsh_ruleset *rs, void (*fn)(void *arg, const char *name), void *arg)
{
	const struct nsh_table *t = rs ? nsh_ruleset_find_table(rs, NSH_FAM_INET, "natsh") : NULL;
	char seen[64][NSH_WIZ_NAME_MAX + 1], name[NSH_WIZ_NAME_MAX + 1];
	size_t c, r, i, nseen = 0;

	for (c = 0; t && c < t->nchains; c++)
		for (r = 0; r < t->chains[c].nrules; r++) {
			if (!nsh_wiz_tag_parse(t->chains[c].rules[r].comment, name))
				continue;
			for (i = 0; i < nseen && strcmp(seen[i], name); i++)
				;
			if (i < nseen)
				continue;
			if (nseen < 64)
				memcpy(seen[nseen++], name, sizeof(name));
			fn(arg, name);
		}
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * explain without a kernel (model/explain.c): rulesets built in memory from
 * rule text, a router of three interfaces, the path and translation of
 * first packets: port forward, router access, hairpin, masquerade, numgen
 * maps, marks (both ways), jump/goto/return, drop, chains of two tables on
 * one hook, redirect, forwarding off, named sets, ports not given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <linux/netfilter.h>

#include "lib/util.h"
#include "model/explain.h"
#include "model/syntax/rule_parse.h"

static const char *const hooks[] = { "prerouting", "output", "postrouting", "input" };
static const uint32_t hooknums[] = {
	NF_INET_PRE_ROUTING, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING, NF_INET_LOCAL_IN,
};

static struct nsh_chain *chain_get(struct nsh_table *t, const char *name, size_t len)
{
	size_t k;

	for (k = 0; k < t->nchains; k++)
		if (strlen(t->chains[k].name) == len && !strncmp(t->chains[k].name, name, len))
			return &t->chains[k];
	/* not one of the hooks: a regular chain (jump target) */
	t->chains = nsh_xrealloc(t->chains, (t->nchains + 1) * sizeof(*t->chains));
	memset(&t->chains[t->nchains], 0, sizeof(*t->chains));
	t->chains[t->nchains].name = nsh_xstrndup(name, len);
	return &t->chains[t->nchains++];
}

/* A table with the four nat base chains of natsh and rules as "CHAIN RULE" lines. */
static void table_add(struct nsh_ruleset *rs, int family, const char *name, int32_t prio_shift,
		      const char *const *lines)
{
	struct nsh_table *t;
	struct nsh_err err = { 0 };
	size_t i, k;

	rs->tables = nsh_xrealloc(rs->tables, (rs->ntables + 1) * sizeof(*rs->tables));
	t = &rs->tables[rs->ntables++];
	memset(t, 0, sizeof(*t));
	t->family = (uint8_t)family;
	t->name = nsh_xstrdup(name);
	t->has_nat = true;
	t->nchains = 4;
	t->chains = nsh_xcalloc(4, sizeof(*t->chains));
	for (k = 0; k < 4; k++) {
		t->chains[k].name = nsh_xstrdup(hooks[k]);
		t->chains[k].base = true;
		t->chains[k].type = nsh_xstrdup("nat");
		t->chains[k].hooknum = hooknums[k];
		t->chains[k].prio = (k == 2 || k == 3 ? 100 : -100) + prio_shift;
		t->chains[k].policy = NF_ACCEPT;
	}
	for (i = 0; lines[i]; i++) {
		size_t sp = strcspn(lines[i], " ");
		struct nsh_chain *c = chain_get(t, lines[i], sp);

		c->rules = nsh_xrealloc(c->rules, (c->nrules + 1) * sizeof(*c->rules));
		if (nsh_rule_parse(lines[i], sp + 1, strlen(lines[i]), family,
				   &c->rules[c->nrules], &err) < 0)
			fail_msg("parse %s: %s", lines[i], err.msg);
		c->rules[c->nrules].position = (uint32_t)c->nrules + 1;
		c->rules[c->nrules].handle = 100 + i;
		c->nrules++;
	}
}

static struct nsh_ruleset *rs_new(const char *const *lines)
{
	struct nsh_ruleset *rs = nsh_xcalloc(1, sizeof(*rs));

	table_add(rs, NSH_FAM_INET, "natsh", 0, lines);
	return rs;
}

/* The router: eth0 198.51.100.1/24 (WAN, default via .254), eth1 192.0.2.1/24, lo. */
static struct nsh_xp_addr addrs[3];
static struct nsh_xp_route routes[3];
static struct nsh_xp_env env;

static void env_init(void)
{
	static const char *const a[][3] = {
		{ "lo", "127.0.0.1", "8" }, { "eth0", "198.51.100.1", "24" },
		{ "eth1", "192.0.2.1", "24" },
	};
	size_t i;

	memset(addrs, 0, sizeof(addrs));
	memset(routes, 0, sizeof(routes));
	for (i = 0; i < 3; i++) {
		snprintf(addrs[i].ifname, sizeof(addrs[i].ifname), "%s", a[i][0]);
		addrs[i].family = AF_INET;
		inet_pton(AF_INET, a[i][1], addrs[i].addr);
		addrs[i].plen = (uint8_t)atoi(a[i][2]);
		addrs[i].loopback = i == 0;
	}
	snprintf(routes[0].ifname, 16, "eth0");
	routes[0].family = AF_INET;
	inet_pton(AF_INET, "198.51.100.0", routes[0].dst);
	routes[0].plen = 24;
	snprintf(routes[1].ifname, 16, "eth1");
	routes[1].family = AF_INET;
	inet_pton(AF_INET, "192.0.2.0", routes[1].dst);
	routes[1].plen = 24;
	snprintf(routes[2].ifname, 16, "eth0");
	routes[2].family = AF_INET;
	routes[2].has_gw = true;
	inet_pton(AF_INET, "198.51.100.254", routes[2].gw);
	env = (struct nsh_xp_env){ .addrs = addrs, .naddrs = 3, .routes = routes, .nroutes = 3,
				   .forwarding = { 1, 1 } };
}

/* tcp SRC:SP -> DST:DP (ports 0: not given), in iif ("" : from the route), or local. */
static struct nsh_xp *xp(const struct nsh_ruleset *rs, const char *src, uint16_t sp,
			 const char *dst, uint16_t dp, const char *iif, bool local)
{
	struct nsh_xp_pkt p;

	memset(&p, 0, sizeof(p));
	p.family = AF_INET;
	p.proto = IPPROTO_TCP;
	if (src)
		inet_pton(AF_INET, src, p.src);
	inet_pton(AF_INET, dst, p.dst);
	p.sport = sp;
	p.has_sport = sp != 0;
	p.dport = dp;
	p.has_dport = dp != 0;
	snprintf(p.iif, sizeof(p.iif), "%s", iif ? iif : "");
	return nsh_explain(rs, &env, &p, local);
}

static const char *ip(const uint8_t *a)
{
	static char buf[4][INET_ADDRSTRLEN];
	static int n;

	n = (n + 1) % 4;
	inet_ntop(AF_INET, a, buf[n], sizeof(buf[n]));
	return buf[n];
}

/* The translation of path p as "dnat CHAIN N -> ADDR:PORT, masquerade CHAIN N -> ADDR". */
static const char *summary(const struct nsh_xp_path *p)
{
	static char buf[512];
	size_t off = 0, i;

	buf[0] = 0;
	for (i = 0; i < 2; i++) {
		size_t si = i ? p->snat : p->dnat;
		const struct nsh_xp_step *e;

		if (si == SIZE_MAX)
			continue;
		e = &p->steps[si];
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s %u -> ", off ? ", " : "",
					e->chain->name, e->rule->position);
		if (i)
			off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s", ip(e->pkt.src));
		else
			off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s:%u", ip(e->pkt.dst),
						e->pkt.dport);
	}
	off += (size_t)snprintf(buf + off, sizeof(buf) - off, "; %s %s", nsh_xp_end_name(p->end),
				p->final.oif);
	return buf;
}

static const char *const wizard_rules[] = {
	"prerouting fib daddr type local tcp dport 8080 counter dnat ip to 192.0.2.10:80",
	"output fib daddr type local tcp dport 8080 counter dnat ip to 192.0.2.10:80",
	"postrouting oifname \"eth1\" fib saddr type local ip daddr 192.0.2.10 tcp dport 80 ct status dnat counter masquerade",
	"postrouting oifname \"eth1\" ip saddr 192.0.2.0/24 ip daddr 192.0.2.10 tcp dport 80 ct status dnat counter masquerade",
	"postrouting oifname \"eth0\" ip saddr 192.0.2.0/24 counter masquerade",
	NULL
};

static void test_port_forward(void **state)
{
	struct nsh_ruleset *rs = rs_new(wizard_rules);
	struct nsh_xp *x = xp(rs, "198.51.100.100", 40000, "198.51.100.1", 8080, NULL, false);

	(void)state;
	assert_non_null(x);
	assert_true(x->iif_derived);
	assert_string_equal(x->in.iif, "eth0");
	assert_int_equal(x->npaths, 1);
	assert_true(nsh_xp_path_certain(&x->paths[0]));
	assert_string_equal(summary(&x->paths[0]), "prerouting 1 -> 192.0.2.10:80; out eth1");
	assert_int_equal(x->paths[0].final.sport, 40000);
	nsh_xp_free(x);
	/* the same from the LAN side of a given interface: fib local still, hairpin masquerade */
	x = xp(rs, "192.0.2.11", 40001, "198.51.100.1", 8080, NULL, false);
	assert_int_equal(x->npaths, 1);
	assert_string_equal(summary(&x->paths[0]),
			    "prerouting 1 -> 192.0.2.10:80, postrouting 2 -> 192.0.2.1; out eth1");
	nsh_xp_free(x);
	/* the backend itself */
	x = xp(rs, "192.0.2.10", 40002, "198.51.100.1", 8080, NULL, false);
	assert_string_equal(summary(&x->paths[0]),
			    "prerouting 1 -> 192.0.2.10:80, postrouting 2 -> 192.0.2.1; out eth1");
	nsh_xp_free(x);
	/* another port: untouched, to the router */
	x = xp(rs, "198.51.100.100", 40000, "198.51.100.1", 22, NULL, false);
	assert_string_equal(summary(&x->paths[0]), "; local ");
	nsh_xp_free(x);
	nsh_ruleset_free(rs);
}

static void test_router_access(void **state)
{
	struct nsh_ruleset *rs = rs_new(wizard_rules);
	struct nsh_xp *x = xp(rs, NULL, 0, "127.0.0.1", 8080, NULL, true);

	(void)state;
	assert_non_null(x);
	assert_true(x->src_derived);
	assert_string_equal(ip(x->in.src), "127.0.0.1");
	assert_int_equal(x->npaths, 1);
	assert_string_equal(summary(&x->paths[0]),
			    "output 1 -> 192.0.2.10:80, postrouting 1 -> 192.0.2.1; out eth1");
	nsh_xp_free(x);
	/* via the WAN address: the source is that address */
	x = xp(rs, NULL, 0, "198.51.100.1", 8080, NULL, true);
	assert_string_equal(ip(x->in.src), "198.51.100.1");
	assert_string_equal(summary(&x->paths[0]),
			    "output 1 -> 192.0.2.10:80, postrouting 1 -> 192.0.2.1; out eth1");
	nsh_xp_free(x);
	/* to the Internet: the source of the default route's interface, nothing translated */
	x = xp(rs, NULL, 0, "203.0.113.9", 443, NULL, true);
	assert_string_equal(ip(x->in.src), "198.51.100.1");
	assert_string_equal(summary(&x->paths[0]), "; out eth0");
	nsh_xp_free(x);
	nsh_ruleset_free(rs);
}

static void test_masquerade(void **state)
{
	struct nsh_ruleset *rs = rs_new(wizard_rules);
	struct nsh_xp *x = xp(rs, "192.0.2.11", 50000, "203.0.113.9", 443, NULL, false);
	const struct nsh_xp_step *e;

	(void)state;
	assert_int_equal(x->npaths, 1);
	assert_string_equal(summary(&x->paths[0]), "postrouting 3 -> 198.51.100.1; out eth0");
	e = &x->paths[0].steps[x->paths[0].snat];
	assert_true(e->port_may_change);
	assert_int_equal(e->pkt.sport, 50000);
	nsh_xp_free(x);
	/* forwarding off: dropped after routing */
	env.forwarding[0] = 0;
	x = xp(rs, "192.0.2.11", 50000, "203.0.113.9", 443, NULL, false);
	assert_int_equal(x->paths[0].end, NSH_XP_END_NOFORWARD);
	env.forwarding[0] = 1;
	nsh_xp_free(x);
	nsh_ruleset_free(rs);
}

static void test_numgen(void **state)
{
	static const char *const lines[] = {
		"prerouting tcp dport 8080 dnat ip to numgen random mod 2 map { 0 : 192.0.2.10 . 80, 1 : 192.0.2.11 . 81 }",
		"postrouting oifname \"eth1\" ip daddr { 192.0.2.10, 192.0.2.11 } ct status dnat masquerade",
		NULL
	};
	struct nsh_ruleset *rs = rs_new(lines);
	struct nsh_xp *x = xp(rs, "198.51.100.100", 40000, "198.51.100.1", 8080, NULL, false);

	(void)state;
	assert_int_equal(x->npaths, 2);
	assert_string_equal(summary(&x->paths[0]),
			    "prerouting 1 -> 192.0.2.10:80, postrouting 1 -> 192.0.2.1; out eth1");
	assert_string_equal(summary(&x->paths[1]),
			    "prerouting 1 -> 192.0.2.11:81, postrouting 1 -> 192.0.2.1; out eth1");
	assert_true(nsh_xp_path_certain(&x->paths[0]) && nsh_xp_path_certain(&x->paths[1]));
	assert_int_equal(x->paths[1].steps[x->paths[1].dnat].nalts, 2);
	assert_int_equal(x->paths[1].steps[x->paths[1].dnat].alt, 1);
	nsh_xp_free(x);
	nsh_ruleset_free(rs);
}

static void test_mark_forks(void **state)
{
	static const char *const lines[] = {
		"prerouting meta mark 0x7 dnat ip to 192.0.2.12",
		"prerouting tcp dport 8080 dnat ip to 192.0.2.10:80",
		NULL
	};
	struct nsh_ruleset *rs = rs_new(lines);
	struct nsh_xp *x = xp(rs, "198.51.100.100", 40000, "198.51.100.1", 8080, NULL, false);
	const struct nsh_xp_step *e;
	size_t i;

	(void)state;
	assert_int_equal(x->npaths, 2);
	/* first: the mark matches */
	assert_string_equal(summary(&x->paths[0]), "prerouting 1 -> 192.0.2.12:8080; out eth1");
	assert_string_equal(summary(&x->paths[1]), "prerouting 2 -> 192.0.2.10:80; out eth1");
	for (i = 0; i < 2; i++) {
		assert_false(nsh_xp_path_certain(&x->paths[i]));
		e = &x->paths[i].steps[2];	/* hook, chain, rule 1 */
		assert_int_equal(e->kind, NSH_XP_RULE);
		assert_int_equal(e->res, NSH_XP_MAYBE);
		assert_string_equal(e->why, "meta mark");
		assert_int_equal(e->assumed, i == 0);
	}
	nsh_xp_free(x);
	nsh_ruleset_free(rs);
}

static void test_jumps(void **state)
{
	static const char *const lines[] = {
		"prerouting tcp dport 23 drop",
		"prerouting tcp dport 81 jump sub",
		"prerouting tcp dport 82 goto sub",
		"prerouting tcp dport { 81, 82 } dnat ip to 192.0.2.13",
		"sub ip saddr 203.0.113.0/24 return",
		"sub dnat ip to 192.0.2.12",
		NULL
	};
	struct nsh_ruleset *rs = rs_new(lines);
	struct nsh_xp *x;

	(void)state;
	x = xp(rs, "198.51.100.100", 40000, "198.51.100.1", 81, NULL, false);
	assert_string_equal(summary(&x->paths[0]), "sub 2 -> 192.0.2.12:81; out eth1");
	nsh_xp_free(x);
	/* return: back to the caller, the next rule translates */
	x = xp(rs, "203.0.113.5", 40000, "198.51.100.1", 81, NULL, false);
	assert_string_equal(summary(&x->paths[0]), "prerouting 4 -> 192.0.2.13:81; out eth1");
	nsh_xp_free(x);
	/* goto then return: back past prerouting's rule 3, to the policy */
	x = xp(rs, "203.0.113.5", 40000, "198.51.100.1", 82, NULL, false);
	assert_string_equal(summary(&x->paths[0]), "; local ");
	nsh_xp_free(x);
	x = xp(rs, "198.51.100.100", 40000, "198.51.100.1", 23, NULL, false);
	assert_int_equal(x->paths[0].end, NSH_XP_END_DROP);
	assert_int_equal(x->paths[0].steps[x->paths[0].nsteps - 1].rule->position, 1);
	nsh_xp_free(x);
	nsh_ruleset_free(rs);
}

static void test_two_tables(void **state)
{
	static const char *const early[] = {
		"prerouting tcp dport 9090 dnat to 192.0.2.13",
		"prerouting tcp dport 8080 accept",
		NULL
	};
	struct nsh_ruleset *rs = rs_new(wizard_rules);
	struct nsh_xp *x;
	const struct nsh_xp_path *p;
	size_t i, skips = 0;

	(void)state;
	table_add(rs, NSH_FAM_IP, "early", -50, early);
	/* accept in the earlier chain: natsh's prerouting still runs */
	x = xp(rs, "198.51.100.100", 40000, "198.51.100.1", 8080, NULL, false);
	assert_string_equal(summary(&x->paths[0]), "prerouting 1 -> 192.0.2.10:80; out eth1");
	assert_string_equal(x->paths[0].steps[x->paths[0].dnat].table->name, "natsh");
	nsh_xp_free(x);
	/* translated by the earlier chain: natsh's prerouting is not run */
	x = xp(rs, "198.51.100.100", 40000, "198.51.100.1", 9090, NULL, false);
	p = &x->paths[0];
	assert_string_equal(summary(p), "prerouting 1 -> 192.0.2.13:9090; out eth1");
	assert_string_equal(p->steps[p->dnat].table->name, "early");
	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind == NSH_XP_SKIP) {
			assert_string_equal(p->steps[i].table->name, "natsh");
			skips++;
		}
	assert_int_equal(skips, 1);
	nsh_xp_free(x);
	nsh_ruleset_free(rs);
}

static void test_redirect_iif_unset(void **state)
{
	static const char *const lines[] = {
		"prerouting iifname \"eth1\" tcp dport 3128 redirect to :8080",
		"prerouting iifname \"eth0\" tcp dport 3128 dnat ip to 192.0.2.10",
		"input tcp sport 1-1023 snat ip to 192.0.2.1",
		NULL
	};
	struct nsh_ruleset *rs = rs_new(lines);
	struct nsh_xp *x;
	const struct nsh_xp_step *e;

	(void)state;
	x = xp(rs, "192.0.2.11", 40000, "203.0.113.9", 3128, NULL, false);
	assert_string_equal(summary(&x->paths[0]), "prerouting 1 -> 192.0.2.1:8080; local ");
	nsh_xp_free(x);
	/* given in eth0: the first rule's iifname fails */
	x = xp(rs, "192.0.2.11", 40000, "203.0.113.9", 3128, "eth0", false);
	assert_false(x->iif_derived);
	assert_string_equal(summary(&x->paths[0]), "prerouting 2 -> 192.0.2.10:3128; out eth1");
	e = &x->paths[0].steps[2];
	assert_int_equal(e->res, NSH_XP_NO);
	assert_string_equal(e->why, "iifname");
	nsh_xp_free(x);
	/* no source port given: the input rule's tcp sport cannot be evaluated */
	x = xp(rs, "198.51.100.100", 0, "198.51.100.1", 22, NULL, false);
	assert_int_equal(x->npaths, 2);
	assert_string_equal(summary(&x->paths[0]), "input 1 -> 192.0.2.1; local ");
	e = &x->paths[0].steps[x->paths[0].snat - 1];
	assert_true(e->why_unset);
	assert_string_equal(e->why, "tcp sport");
	nsh_xp_free(x);
	nsh_ruleset_free(rs);
}

/* What made the path's first undecided rule undecided ("" when none). */
static const char *maybe_why(const struct nsh_xp_path *p)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind == NSH_XP_RULE && p->steps[i].res == NSH_XP_MAYBE)
			return p->steps[i].why ? p->steps[i].why : "";
	return "";
}

static void test_named_set(void **state)
{
	static const char *const lines[] = {
		"prerouting ip saddr @friends tcp dport 8080 dnat ip to 192.0.2.10",
		"prerouting meta mark @marks dnat ip to 192.0.2.11",
		NULL
	};
	struct nsh_ruleset *rs = rs_new(lines);
	struct nsh_table *t = &rs->tables[0];
	struct nsh_nset *s;
	struct nsh_xp *x;

	(void)state;
	t->sets = nsh_xcalloc(1, sizeof(*t->sets));
	t->nsets = 1;
	s = &t->sets[0];
	s->name = nsh_xstrdup("friends");
	s->key.n = 1;
	s->key.len[0] = 4;
	s->nelems = 1;
	s->elems = nsh_xcalloc(1, sizeof(*s->elems));
	inet_pton(AF_INET, "198.51.100.100", s->elems[0].key);
	memcpy(s->elems[0].key_end, s->elems[0].key, 4);
	x = xp(rs, "198.51.100.100", 40000, "198.51.100.1", 8080, NULL, false);
	assert_int_equal(x->npaths, 1);
	assert_string_equal(summary(&x->paths[0]), "prerouting 1 -> 192.0.2.10:8080; out eth1");
	nsh_xp_free(x);
	/* not in the set: the second rule's meta mark is not known offline, both ways */
	x = xp(rs, "198.51.100.101", 40000, "198.51.100.1", 8080, NULL, false);
	assert_int_equal(x->npaths, 2);
	assert_string_equal(summary(&x->paths[0]), "prerouting 2 -> 192.0.2.11:8080; out eth1");
	assert_string_equal(maybe_why(&x->paths[0]), "meta mark");
	assert_string_equal(summary(&x->paths[1]), "; local ");
	nsh_xp_free(x);
	nsh_ruleset_free(rs);
}

static void test_no_route_back(void **state)
{
	struct nsh_ruleset *rs = rs_new(wizard_rules);
	struct nsh_xp *x;

	(void)state;
	env.nroutes = 2;	/* no default route */
	x = xp(rs, "203.0.113.5", 1, "198.51.100.1", 8080, NULL, false);
	assert_null(x);
	x = xp(rs, "203.0.113.5", 1, "198.51.100.1", 8080, "eth0", false);
	assert_non_null(x);
	nsh_xp_free(x);
	x = xp(rs, "198.51.100.100", 1, "203.0.113.5", 80, NULL, false);
	assert_int_equal(x->paths[0].end, NSH_XP_END_NOROUTE);
	nsh_xp_free(x);
	env.nroutes = 3;
	nsh_ruleset_free(rs);
}

static int setup(void **state)
{
	(void)state;
	env_init();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_port_forward, setup),
		cmocka_unit_test_setup(test_router_access, setup),
		cmocka_unit_test_setup(test_masquerade, setup),
		cmocka_unit_test_setup(test_numgen, setup),
		cmocka_unit_test_setup(test_mark_forks, setup),
		cmocka_unit_test_setup(test_jumps, setup),
		cmocka_unit_test_setup(test_two_tables, setup),
		cmocka_unit_test_setup(test_redirect_iif_unset, setup),
		cmocka_unit_test_setup(test_named_set, setup),
		cmocka_unit_test_setup(test_no_route_back, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

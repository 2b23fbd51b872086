/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * doctor without a kernel: rulesets built from rule text and hand-made
 * facts (interfaces, routes, sysctls) in, the expected findings and fix
 * commands out; a healthy set-up gives none.  Also the save/load pair:
 * a table rendered by save parses back (natsh load) to the same rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <linux/netfilter.h>

#include "lib/util.h"
#include "model/plan/doctor.h"
#include "model/syntax/load.h"
#include "model/syntax/rule_parse.h"
#include "model/syntax/rule_text.h"
#include "render/save.h"

static const char *const hooks[] = { "prerouting", "output", "postrouting", "input" };
static const uint32_t hooknums[] = {
	NF_INET_PRE_ROUTING, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING, NF_INET_LOCAL_IN,
};

/* inet natsh with rules given as "CHAIN RULE" lines. */
static struct nsh_ruleset *rs_new(const char *const *lines)
{
	struct nsh_ruleset *rs = nsh_xcalloc(1, sizeof(*rs));
	struct nsh_table *t;
	struct nsh_err err = { 0 };
	size_t i, k;

	rs->ntables = 1;
	rs->tables = t = nsh_xcalloc(1, sizeof(*t));
	t->family = NSH_FAM_INET;
	t->name = nsh_xstrdup("natsh");
	t->has_nat = true;
	t->nchains = 4;
	t->chains = nsh_xcalloc(4, sizeof(*t->chains));
	for (k = 0; k < 4; k++) {
		t->chains[k].name = nsh_xstrdup(hooks[k]);
		t->chains[k].base = true;
		t->chains[k].type = nsh_xstrdup("nat");
		t->chains[k].hooknum = hooknums[k];
		t->chains[k].policy = NF_ACCEPT;
		t->chains[k].prio = k == 0 ? -100 : k == 2 ? 100 : k == 1 ? -100 : 100;
	}
	for (i = 0; lines[i]; i++) {
		size_t sp = strcspn(lines[i], " ");
		struct nsh_chain *c = NULL;

		for (k = 0; k < 4; k++)
			if (!strncmp(lines[i], hooks[k], sp) && strlen(hooks[k]) == sp)
				c = &t->chains[k];
		assert_non_null(c);
		c->rules = nsh_xrealloc(c->rules, (c->nrules + 1) * sizeof(*c->rules));
		if (nsh_rule_parse(lines[i], sp + 1, strlen(lines[i]), NSH_FAM_INET,
				   &c->rules[c->nrules], &err) < 0)
			fail_msg("parse %s: %s", lines[i], err.msg);
		c->rules[c->nrules].handle = 10 + i;
		c->nrules++;
	}
	return rs;
}

/* wan0 198.51.100.2/24 (default route), lan0 192.0.2.1/24; eth9 exists without address. */
static struct nsh_links links;
static struct nsh_link lk[3];
static struct nsh_link_addr la[4];
static bool fwd6 = true;	/* net.ipv6.conf.all.forwarding for run() */
static struct nsh_route rt[3];

static void links_init(void)
{
	memset(lk, 0, sizeof(lk));
	lk[0] = (struct nsh_link){ .index = 2, .name = "wan0", .up = true, .naddrs = 2, .addrs = &la[0] };
	lk[1] = (struct nsh_link){ .index = 3, .name = "lan0", .up = true, .naddrs = 2, .addrs = &la[2] };
	lk[2] = (struct nsh_link){ .index = 4, .name = "eth9", .up = true };
	la[0] = (struct nsh_link_addr){ .family = AF_INET, .addr = { 198, 51, 100, 2 }, .plen = 24 };
	la[1] = (struct nsh_link_addr){ .family = AF_INET6, .addr = { 0x20, 1, 0xd, 0xb8, 0xff, 0xff, [15] = 1 }, .plen = 64 };
	la[2] = (struct nsh_link_addr){ .family = AF_INET, .addr = { 192, 0, 2, 1 }, .plen = 24 };
	la[3] = (struct nsh_link_addr){ .family = AF_INET6, .addr = { 0x20, 1, 0xd, 0xb8, 0, 1, [15] = 1 }, .plen = 64 };
	rt[0] = (struct nsh_route){ .family = AF_INET, .plen = 0, .has_gw = true,
				   .gw = { 198, 51, 100, 1 }, .oif = 2 };
	rt[1] = (struct nsh_route){ .family = AF_INET, .dst = { 198, 51, 100 }, .plen = 24, .oif = 2 };
	rt[2] = (struct nsh_route){ .family = AF_INET, .dst = { 192, 0, 2 }, .plen = 24, .oif = 3 };
	links = (struct nsh_links){ .n = 3, .links = lk, .nroutes = 3, .routes = rt };
}

static const char *const localnet_lan[] = { "lan0", NULL };

/* The findings of rules under facts, as "id|fix" lines. */
static char *run(const char *const *lines, bool fwd, const char *const *localnet, bool legacy)
{
	struct nsh_doctor_facts f = { .ip_forward = fwd, .ip6_forward = fwd6, .links = &links,
				      .route_localnet = localnet, .legacy_nat = legacy };
	struct nsh_ruleset *rs = rs_new(lines);
	struct nsh_finding *v = NULL;
	struct nsh_buf b;
	size_t n, i;

	links_init();
	n = nsh_doctor_run(rs, &f, &v);
	nsh_buf_init(&b);
	for (i = 0; i < n; i++)
		nsh_buf_printf(&b, "%s|%s\n", v[i].id, v[i].fix);
	free(v);
	nsh_ruleset_free(rs);
	return nsh_buf_steal(&b);
}

#define FWD_OK \
	"prerouting fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80", \
	"output fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80", \
	"postrouting oifname \"lan0\" fib saddr type local ip daddr 192.0.2.10 tcp dport 80 ct status dnat masquerade", \
	"postrouting oifname \"lan0\" ip saddr 192.0.2.0/24 ip daddr 192.0.2.10 tcp dport 80 ct status dnat masquerade"

static void test_healthy(void **state)
{
	const char *const r[] = { FWD_OK, "postrouting oifname \"wan0\" ip saddr 192.0.2.0/24 masquerade", NULL };
	char *s = run(r, true, localnet_lan, false);

	assert_string_equal(s, "");
	free(s);
}

static void test_forward_off_and_legacy(void **state)
{
	const char *const r[] = { FWD_OK, NULL };
	char *s = run(r, false, localnet_lan, true);

	assert_non_null(strstr(s, "iptables_legacy|iptables-legacy-save -t nat"));
	assert_non_null(strstr(s, "ip_forward_off|sysctl net.ipv4.ip_forward 1\n"));
	free(s);
}

static void test_router_access(void **state)
{
	const char *const r1[] = { "prerouting fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80", NULL };
	const char *const r2[] = { "prerouting fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80",
				   "output fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80", NULL };
	const char *const r3[] = { FWD_OK, NULL };
	char *s;

	s = run(r1, true, localnet_lan, false);
	/* the whole set: output DNAT, local-source masquerade (route_localnet is on) */
	assert_non_null(strstr(s, "router_access_missing|add output fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80; "
			       "add postrouting oifname \"lan0\" fib saddr type local ip daddr 192.0.2.10 tcp dport 80 ct status dnat masquerade\n"));
	free(s);
	s = run(r2, true, localnet_lan, false);
	assert_non_null(strstr(s, "router_access_no_masq|add postrouting oifname \"lan0\" fib saddr type local ip daddr 192.0.2.10 tcp dport 80 ct status dnat masquerade\n"));
	free(s);
	s = run(r3, true, NULL, false);
	assert_string_equal(s, "router_access_no_localnet|sysctl net.ipv4.conf.lan0.route_localnet 1\n");
	free(s);
}

static void test_wan_only_hairpin_unreachable(void **state)
{
	const char *const r1[] = { "prerouting iifname \"wan0\" tcp dport 8080 dnat ip to 192.0.2.10:80",
				   "output fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80",
				   "postrouting oifname \"lan0\" fib saddr type local masquerade", NULL };
	const char *const r2[] = { "prerouting fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80",
				   "output fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80",
				   "postrouting oifname \"lan0\" fib saddr type local masquerade", NULL };
	const char *const r3[] = { "prerouting tcp dport 22 dnat ip to 203.0.113.5", NULL };
	char *s;

	s = run(r1, true, localnet_lan, false);
	/* hairpin: the DNAT for every interface, and the hairpin masquerade */
	assert_string_equal(s, "dnat_wan_only|replace prerouting 1 fib daddr type local tcp dport 8080 counter dnat ip to 192.0.2.10:80; "
			       "add postrouting oifname \"lan0\" ip saddr 192.0.2.0/24 ip daddr 192.0.2.10 tcp dport 80 ct status dnat masquerade\n");
	free(s);
	s = run(r2, true, localnet_lan, false);
	assert_string_equal(s, "no_hairpin|add postrouting oifname \"lan0\" ip saddr 192.0.2.0/24 ip daddr 192.0.2.10 tcp dport 80 ct status dnat masquerade\n");
	free(s);
	s = run(r3, true, localnet_lan, false);
	assert_string_equal(s, "dnat_unreachable|delete prerouting 1\n");
	free(s);
}

/* A finding's steps as "why:command" lines. */
static char *steps(const char *const *lines, const char *id, const char *const *localnet)
{
	struct nsh_doctor_facts f = { .ip_forward = true, .ip6_forward = true, .links = &links,
				      .route_localnet = localnet };
	struct nsh_ruleset *rs = rs_new(lines);
	struct nsh_finding *v = NULL;
	struct nsh_buf b;
	size_t n, i, k;

	links_init();
	n = nsh_doctor_run(rs, &f, &v);
	nsh_buf_init(&b);
	for (i = 0; i < n; i++)
		for (k = 0; !strcmp(v[i].id, id) && k < v[i].nsteps; k++)
			nsh_buf_printf(&b, "%d:%.*s\n", (int)v[i].step[k].why, (int)v[i].step[k].len,
				       v[i].fix + v[i].step[k].off);
	free(v);
	nsh_ruleset_free(rs);
	return nsh_buf_steal(&b);
}

/* No router access: the whole set, each part with its reason. */
static void test_router_access_steps(void **state)
{
	const char *const r1[] = { "prerouting fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80", NULL };
	const char *const r2[] = { "prerouting fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80",
				   "output ip daddr 198.51.100.2 tcp dport 8080 dnat ip to 192.0.2.10:80", NULL };
	const char *const r3[] = { "prerouting fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80",
				   "output ip daddr 198.51.100.2 tcp dport 8080 dnat ip to 192.0.2.10:80",
				   "postrouting oifname \"lan0\" fib saddr type local ip daddr 192.0.2.10 tcp dport 80 ct status dnat masquerade", NULL };
	char *s;

	s = steps(r1, "router_access_missing", NULL);
	assert_string_equal(s, "0:add output fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80\n"
			       "2:add postrouting oifname \"lan0\" fib saddr type local ip daddr 192.0.2.10 tcp dport 80 ct status dnat masquerade\n"
			       "3:sysctl net.ipv4.conf.lan0.route_localnet 1\n");
	free(s);
	/* an output DNAT that 127.0.0.1 does not reach: route_localnet does not matter */
	s = steps(r2, "router_access_no_masq", NULL);
	assert_string_equal(s, "2:add postrouting oifname \"lan0\" fib saddr type local ip daddr 192.0.2.10 tcp dport 80 ct status dnat masquerade\n");
	free(s);
	s = run(r3, true, NULL, false);
	assert_null(strstr(s, "router_access"));
	free(s);
}

/* A port set: the forward is recognised, its fixes keep the set. */
static void test_port_set(void **state)
{
	const char *const r1[] = { "prerouting tcp dport { 80, 443 } dnat ip to 203.0.113.5", NULL };
	const char *const r2[] = { "prerouting fib daddr type local tcp dport { 80, 443 } dnat ip to 192.0.2.10", NULL };
	char *s;

	s = run(r1, true, localnet_lan, false);
	assert_string_equal(s, "dnat_unreachable|delete prerouting 1\n");
	free(s);
	s = run(r2, true, localnet_lan, false);
	assert_string_equal(s, "router_access_missing|add output fib daddr type local tcp dport { 80, 443 } dnat ip to 192.0.2.10; "
			       "add postrouting oifname \"lan0\" fib saddr type local ip daddr 192.0.2.10 tcp dport { 80, 443 } ct status dnat masquerade\n"
			       "no_hairpin|add postrouting oifname \"lan0\" ip saddr 192.0.2.0/24 ip daddr 192.0.2.10 tcp dport { 80, 443 } ct status dnat masquerade\n");
	free(s);
}

/* The IPv6 counterparts: forwarding, router access (no ::1), hairpin, unreachable. */
static void test_ipv6(void **state)
{
	const char *const r1[] = { "prerouting fib daddr type local tcp dport 8080 dnat ip6 to [2001:db8:1::10]:80",
				   "output fib daddr type local tcp dport 8080 dnat ip6 to [2001:db8:1::10]:80",
				   "postrouting oifname \"lan0\" ip6 saddr 2001:db8:1::/64 ip6 daddr 2001:db8:1::10 tcp dport 80 ct status dnat masquerade", NULL };
	const char *const r2[] = { "prerouting iifname \"wan0\" tcp dport 8080 dnat ip6 to [2001:db8:1::10]:80", NULL };
	const char *const r3[] = { "prerouting fib daddr type local tcp dport 8080 dnat ip6 to [2001:db8:1::10]:80",
				   "output ip6 daddr ::1 tcp dport 8080 dnat ip6 to [2001:db8:1::10]:80",
				   "postrouting oifname \"lan0\" ip6 saddr 2001:db8:1::/64 ip6 daddr 2001:db8:1::10 tcp dport 80 ct status dnat masquerade", NULL };
	const char *const r4[] = { "prerouting fib daddr type local tcp dport 8080 dnat ip6 to [2001:db8:1::10]:80",
				   "output fib daddr type local tcp dport 8080 dnat ip6 to [2001:db8:1::10]:80",
				   "output ip6 daddr ::1 tcp dport 8080 dnat ip6 to [2001:db8:1::10]:80",
				   "postrouting oifname \"lan0\" ip6 saddr 2001:db8:1::/64 ip6 daddr 2001:db8:1::10 tcp dport 80 ct status dnat masquerade", NULL };
	const char *const r5[] = { "prerouting tcp dport { 80, 443 } dnat ip6 to 2001:db8:99::5", NULL };
	const char *const r6[] = { "postrouting oifname \"wan0\" masquerade", NULL };
	char *s;

	/* healthy; with IPv6 forwarding off only the IPv6 finding (IPv4's is not needed) */
	s = run(r1, true, NULL, false);
	assert_string_equal(s, "");
	free(s);
	fwd6 = false;
	s = run(r1, false, NULL, false);
	fwd6 = true;
	assert_string_equal(s, "ip6_forward_off|sysctl net.ipv6.conf.all.forwarding 1\n");
	free(s);
	/* an unqualified masquerade counts as IPv4 only */
	fwd6 = false;
	s = run(r6, true, NULL, false);
	fwd6 = true;
	assert_string_equal(s, "");
	free(s);
	s = run(r2, true, NULL, false);
	assert_string_equal(s, "router_access_missing|add output fib daddr type local tcp dport 8080 dnat ip6 to [2001:db8:1::10]:80\n"
			       "dnat_wan_only|replace prerouting 1 fib daddr type local tcp dport 8080 counter dnat ip6 to [2001:db8:1::10]:80; "
			       "add postrouting oifname \"lan0\" ip6 saddr 2001:db8:1::/64 ip6 daddr 2001:db8:1::10 tcp dport 80 ct status dnat masquerade\n");
	free(s);
	/* ::1 cannot leave the host: the router's own addresses instead, or the rule goes */
	s = run(r3, true, NULL, false);
	assert_string_equal(s, "router_access_loopback6|replace output 1 fib daddr type local tcp dport 8080 counter dnat ip6 to [2001:db8:1::10]:80\n");
	free(s);
	s = run(r4, true, NULL, false);
	assert_string_equal(s, "router_access_loopback6|delete output 2\n");
	free(s);
	s = run(r5, true, NULL, false);
	assert_string_equal(s, "dnat_unreachable|delete prerouting 1\n");
	free(s);
}

static void test_snat_shadow_counter(void **state)
{
	const char *const r1[] = { "postrouting oifname \"eth9\" masquerade", NULL };
	const char *const r2[] = { "postrouting oifname \"wan0\" ip saddr 192.0.2.0/24 masquerade",
				   "postrouting oifname \"wan0\" ip saddr 192.0.2.7 snat ip to 198.51.100.2", NULL };
	const char *const r3[] = { "postrouting oifname \"wan0\" ip saddr 192.0.2.7 snat ip to 198.51.100.2",
				   "postrouting oifname \"wan0\" ip saddr 192.0.2.0/24 masquerade",
				   "postrouting nocounter oifname \"wan0\" ip saddr 192.0.2.0/24 masquerade", NULL };
	char *s;

	s = run(r1, true, NULL, false);
	assert_string_equal(s, "snat_bad_iface|replace postrouting 1 oifname \"wan0\" counter masquerade\n");
	free(s);
	s = run(r2, true, NULL, false);
	assert_string_equal(s, "shadowed_rule|delete postrouting 2\n");
	free(s);
	s = run(r3, true, NULL, false);
	assert_string_equal(s, "shadowed_rule|delete postrouting 3\n"
			       "no_counter|replace postrouting 3 oifname \"wan0\" ip saddr 192.0.2.0/24 counter masquerade\n");
	free(s);
}

static void test_uneven_random(void **state)
{
	/* 0.33 = 1417339208 / 2^32 twice, then the rest: 33%, 22%, 45% */
	const char *const r1[] = { "prerouting tcp dport 81 meta random < 1417339208 dnat ip to 192.0.2.10",
				   "prerouting tcp dport 81 meta random < 1417339208 dnat ip to 192.0.2.11",
				   "prerouting tcp dport 81 dnat ip to 192.0.2.12",
				   "output tcp dport 81 dnat ip to 192.0.2.10",
				   "postrouting oifname \"lan0\" masquerade", NULL };
	const char *const r2[] = { "prerouting tcp dport 81 meta random < 1431655765 dnat ip to 192.0.2.10",
				   "prerouting tcp dport 81 meta random < 2147483648 dnat ip to 192.0.2.11",
				   "prerouting tcp dport 81 dnat ip to 192.0.2.12",
				   "output tcp dport 81 dnat ip to 192.0.2.10",
				   "postrouting oifname \"lan0\" masquerade", NULL };
	char *s;

	s = run(r1, true, localnet_lan, false);
	assert_string_equal(s, "uneven_probability|replace prerouting 1 tcp dport 81 meta random < 1431655765 counter dnat ip to 192.0.2.10; "
			       "replace prerouting 2 tcp dport 81 meta random < 2147483648 counter dnat ip to 192.0.2.11\n");
	free(s);
	s = run(r2, true, localnet_lan, false);
	assert_string_equal(s, "");
	free(s);
}

/* save's text parses back (load) to rules that render the same. */
static void test_save_load(void **state)
{
	const char *const r[] = { FWD_OK, "prerouting tcp dport { 80, 443 } dnat ip to numgen random mod 2 map { 0 : 192.0.2.10, 1 : 192.0.2.11 } comment \"lb\"",
				  "postrouting nocounter oifname \"wan0\" masquerade random", NULL };
	struct nsh_ruleset *rs = rs_new(r);
	const struct nsh_save_sysctl sys[] = { { "net.ipv4.ip_forward", "1" } };
	struct nsh_load l;
	struct nsh_err err = { 0 };
	struct nsh_buf b, a1, a2;
	unsigned ln;
	size_t off, i, k, j = 0;

	nsh_buf_init(&b);
	nsh_save_render(&rs->tables[0], sys, 1, NULL, &b);
	assert_non_null(strstr(b.s, "#   net.ipv4.ip_forward = 1\ntable inet natsh\ndelete table inet natsh\n"));
	assert_int_equal(nsh_load_parse(b.s, &l, &ln, &off, &err), 0);
	assert_int_equal(l.n, 6);
	for (k = 0; k < 4; k++)
		for (i = 0; i < rs->tables[0].chains[k].nrules; i++, j++) {
			nsh_buf_init(&a1);
			nsh_buf_init(&a2);
			nsh_rule_render(&rs->tables[0], &rs->tables[0].chains[k].rules[i], NSH_RF_COMMENT, &a1);
			nsh_rule_render(&rs->tables[0], &l.v[j].rule, NSH_RF_COMMENT, &a2);
			assert_string_equal(l.v[j].chain, hooks[k]);
			assert_string_equal(a2.s, a1.s);
			nsh_buf_free(&a1);
			nsh_buf_free(&a2);
		}
	nsh_load_clear(&l);
	nsh_buf_free(&b);
	nsh_ruleset_free(rs);
}

static void test_load_errors(void **state)
{
	static const struct {
		const char *text;
		unsigned line;
		const char *msg;
	} cases[] = {
		{ "table ip nat {\n}\n", 1, "expected \"table inet natsh {\"" },
		{ "table inet natsh {\n\tflowtable ft {\n", 2, "expected \"chain NAME {\"" },
		/* a chain beyond natsh's own is taken, its rules checked for its hook */
		{ "table inet natsh {\n\tchain fwd {\n\t\ttype filter hook forward priority filter; policy drop;\n\t\tmasquerade\n\t}\n}\n", 4, "masquerade" },
		{ "table inet natsh {\n\tchain fwd {\n\t\ttype filter hook sideways priority filter; policy drop;\n", 3, "expected \"type filter" },
		{ "table inet natsh {\n\tchain output {\n\t\ttcp dport 8o dnat ip to 192.0.2.1\n\t}\n}\n", 3, "8o" },
		{ "table inet natsh {\n\tchain prerouting {\n\t\tmasquerade\n\t}\n}\n", 3, "masquerade" },
		{ "table inet natsh {\n\tchain input {\n", 2, "a \"}\" is missing" },
	};
	struct nsh_load l;
	size_t i, off;
	unsigned ln;

	for (i = 0; i < NSH_ARRAY_SIZE(cases); i++) {
		struct nsh_err err = { 0 };

		assert_int_equal(nsh_load_parse(cases[i].text, &l, &ln, &off, &err), -1);
		assert_int_equal(ln, cases[i].line);
		if (!strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: %s", i, err.msg);
		assert_int_equal(l.n, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_forward_off_and_legacy),
		cmocka_unit_test(test_router_access),
		cmocka_unit_test(test_wan_only_hairpin_unreachable),
		cmocka_unit_test(test_router_access_steps),
		cmocka_unit_test(test_port_set),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_snat_shadow_counter),
		cmocka_unit_test(test_uneven_random),
		cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_load_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

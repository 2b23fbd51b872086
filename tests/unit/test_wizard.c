/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Wizard plans against golden files (tests/unit/golden/wizard_*.txt), and
 * every wizard argument parser against bad input.
 * NSH_UPDATE_GOLDEN=1 rewrites the golden files from the current output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/buf.h"
#include "model/syntax/rule_parse.h"
#include "model/plan/wizard.h"

#define GOLDEN_DIR "tests/unit/golden/"

/* The plan as the golden files hold it. */
static void plan_text(const struct nsh_wiz_plan *p, struct nsh_buf *b)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++)
		nsh_buf_printf(b, "%-11s %s\n            # %s\n", p->steps[i].chain,
			       p->steps[i].rule, p->steps[i].reason);
	for (i = 0; i < p->nsysctls; i++)
		nsh_buf_printf(b, "sysctl      %s=%s\n            # %s\n", p->sysctls[i].key,
			       p->sysctls[i].value, p->sysctls[i].reason);
	for (i = 0; i < p->nnotes; i++)
		nsh_buf_printf(b, "note        %s\n", p->notes[i]);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	struct nsh_buf b;
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	nsh_buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		nsh_buf_putn(&b, chunk, n);
	fclose(f);
	return nsh_buf_steal(&b);
}

/* Each rule of a plan is accepted by natsh's own rule parser for its chain. */
static void check_parses(const struct nsh_wiz_plan *p)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++) {
		const char *line = p->steps[i].rule, *c = p->steps[i].chain;
		uint32_t hook = !strcmp(c, "prerouting") ? 0 : !strcmp(c, "output") ? 3 : 4;
		struct nsh_err err = { 0 };
		struct nsh_rule r;

		if (nsh_rule_parse(line, 0, strlen(line), NSH_FAM_INET, &r, &err) < 0 ||
		    nsh_rule_check_hook(&r, NSH_FAM_INET, hook, 0, &err) < 0)
			fail_msg("rule parser refuses \"%s\" at %zu: %s", line, err.off, err.msg);
		assert_non_null(r.comment);
		assert_true(r.has_counter);
		nsh_rule_clear(&r);
	}
}

static void check_golden(const char *name, const struct nsh_wiz_args *a)
{
	struct nsh_wiz_plan p;
	struct nsh_err err = { 0 };
	struct nsh_buf b;
	char path[256], *want;

	assert_int_equal(nsh_wiz_plan_build(a, &p, &err), 0);
	check_parses(&p);
	nsh_buf_init(&b);
	plan_text(&p, &b);
	snprintf(path, sizeof(path), GOLDEN_DIR "wizard_%s.txt", name);
	if (getenv("NSH_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(b.s, f);
		fclose(f);
	}
	want = slurp(path);
	if (!want)
		fail_msg("missing golden file %s", path);
	if (strcmp(want, b.s))
		fail_msg("%s differs; got:\n%s", path, b.s);
	free(want);
	nsh_buf_free(&b);
	nsh_wiz_plan_clear(&p);
}

/* A forward on the lab's router: LAN eth1 192.0.2.0/24, WAN eth0. */
static void fwd(struct nsh_wiz_args *a, const char *name, const char *proto,
		const char *ports, const char *const *backends)
{
	struct nsh_err err = { 0 };

	nsh_wiz_args_init(a, NSH_WIZ_FORWARD);
	assert_int_equal(nsh_wiz_parse_name(name, 0, a->name, &err), 0);
	assert_int_equal(nsh_wiz_parse_proto(proto, 0, &a->proto, &err), 0);
	assert_int_equal(nsh_wiz_parse_ports(ports, 0, &a->port_lo, &a->port_hi, &err), 0);
	for (; *backends; backends++)
		assert_int_equal(nsh_wiz_parse_backend(*backends, 0,
						       &a->backends[a->nbackends++], &err), 0);
	strcpy(a->wan, "eth0");
	strcpy(a->lan, "eth1");
	assert_int_equal(nsh_wiz_parse_prefix("192.0.2.0/24", 0, "subnet", &a->lan_nets[0], &err), 0);
	a->nlan_nets = 1;
	a->ip_forward = 0;
	a->route_localnet = 0;
	assert_int_equal(err.set, 0);
}

#define BE(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_masquerade(void **state)
{
	struct nsh_wiz_args a;
	struct nsh_err err = { 0 };

	nsh_wiz_args_init(&a, NSH_WIZ_MASQUERADE);
	strcpy(a.name, "lan");
	assert_int_equal(nsh_wiz_parse_prefix("192.0.2.0/24", 0, "SUBNET", &a.from, &err), 0);
	strcpy(a.out, "eth0");
	a.ip_forward = 0;
	check_golden("masquerade", &a);

	/* a static address: SNAT; ip_forward already on */
	assert_int_equal(nsh_wiz_parse_addr("198.51.100.1", 0, "ADDRESS", &a.to, &err), 0);
	a.has_to = true;
	a.ip_forward = 1;
	check_golden("snat", &a);

	/* everything leaving by a wildcard interface */
	nsh_wiz_args_init(&a, NSH_WIZ_MASQUERADE);
	strcpy(a.name, "all");
	assert_int_equal(nsh_wiz_parse_prefix("0.0.0.0/0", 0, "SUBNET", &a.from, &err), 0);
	assert_int_equal(nsh_wiz_parse_iface("ppp*", 0, "out", a.out, &err), 0);
	a.ip_forward = 1;
	check_golden("masquerade_all", &a);
}

static void test_forward_one(void **state)
{
	struct nsh_wiz_args a;

	fwd(&a, "web", "tcp", "8080", BE("192.0.2.10:80"));
	check_golden("forward_1", &a);
}

static void test_forward_balance(void **state)
{
	struct nsh_wiz_args a;

	fwd(&a, "web", "tcp", "8080", BE("192.0.2.10:80", "192.0.2.11:80"));
	check_golden("forward_2", &a);
	fwd(&a, "web", "tcp", "8080", BE("192.0.2.12:80", "192.0.2.10:80", "192.0.2.11:80"));
	check_golden("forward_3", &a);
	/* different ports on different backends: one masquerade per port */
	fwd(&a, "web", "tcp", "8080", BE("192.0.2.10:80", "192.0.2.11:8000", "192.0.2.12"));
	check_golden("forward_mixed_ports", &a);
}

static void test_forward_tcp_udp(void **state)
{
	struct nsh_wiz_args a;

	fwd(&a, "game", "tcp+udp", "8080", BE("192.0.2.10:80", "192.0.2.11:80", "192.0.2.12:80"));
	check_golden("forward_tcp_udp", &a);
	fwd(&a, "dns", "udp", "53", BE("192.0.2.10"));
	a.ip_forward = 1;
	a.route_localnet = 1;
	check_golden("forward_udp", &a);
}

static void test_forward_off(void **state)
{
	struct nsh_wiz_args a;

	fwd(&a, "web", "tcp", "8080", BE("192.0.2.10:80"));
	a.router_access = false;
	a.hairpin = false;
	check_golden("forward_plain", &a);
	fwd(&a, "web", "tcp", "8080", BE("192.0.2.10:80"));
	a.router_access = false;
	check_golden("forward_no_router_access", &a);
	fwd(&a, "web", "tcp", "8080", BE("192.0.2.10:80"));
	a.hairpin = false;
	check_golden("forward_no_hairpin", &a);
}

static void test_forward_ranges(void **state)
{
	struct nsh_wiz_args a;

	fwd(&a, "games", "tcp", "27000-27015", BE("192.0.2.10"));
	check_golden("forward_range", &a);
	fwd(&a, "games", "tcp", "27000-27015", BE("192.0.2.10", "192.0.2.11"));
	check_golden("forward_range_2", &a);
	fwd(&a, "alt", "tcp", "8000-8009", BE("192.0.2.10:80"));
	check_golden("forward_range_remap", &a);
	/* two LAN subnets: hairpin from both */
	fwd(&a, "web", "tcp", "443", BE("192.0.2.10"));
	a.lan_nets[1].addr.s_addr = htonl(0xcb007100);	/* 203.0.113.0/24 */
	a.lan_nets[1].plen = 24;
	a.nlan_nets = 2;
	check_golden("forward_two_lan_nets", &a);
}

static void test_plan_refusals(void **state)
{
	struct nsh_wiz_args a;
	struct nsh_wiz_plan p;
	struct nsh_err err = { 0 };

	fwd(&a, "web", "tcp", "8080", BE("192.0.2.10:80", "192.0.2.10:80"));
	assert_int_equal(nsh_wiz_plan_build(&a, &p, &err), -1);
	assert_non_null(strstr(err.msg, "backend 192.0.2.10:80 is given twice"));
	assert_int_equal(p.nsteps, 0);

	nsh_err_clear(&err);
	fwd(&a, "web", "tcp", "8000-8010", BE("192.0.2.10:80", "192.0.2.11"));
	assert_int_equal(nsh_wiz_plan_build(&a, &p, &err), -1);
	assert_non_null(strstr(err.msg, "backends"));

	nsh_err_clear(&err);
	fwd(&a, "web", "tcp", "8080", BE("192.0.2.10:80"));
	a.nlan_nets = 0;
	assert_int_equal(nsh_wiz_plan_build(&a, &p, &err), -1);
	assert_non_null(strstr(err.msg, "hairpin"));

	nsh_err_clear(&err);
	fwd(&a, "web", "tcp", "8080", BE("192.0.2.10:80"));
	a.lan[0] = 0;
	assert_int_equal(nsh_wiz_plan_build(&a, &p, &err), -1);
	assert_non_null(strstr(err.msg, "lan IFACE"));

	nsh_err_clear(&err);
	nsh_wiz_args_init(&a, NSH_WIZ_MASQUERADE);
	strcpy(a.name, "x");
	assert_int_equal(nsh_wiz_plan_build(&a, &p, &err), -1);
	assert_non_null(strstr(err.msg, "out IFACE"));
}

/* Bad input for every argument: the message names the argument and the offset points into it. */
static void test_bad_input(void **state)
{
	static const struct {
		const char *arg, *in, *want;
		size_t want_off;
	} cases[] = {
		{ "name", "", "NAME", 10 },
		{ "name", "-web", "NAME", 10 },
		{ "name", "we b", "NAME", 12 },
		{ "name", "a23456789012345678901234567890123", "NAME", 10 },
		{ "subnet", "192.0.2.0/33", "SUBNET", 20 },
		{ "subnet", "192.0.2.300/24", "SUBNET", 10 },
		{ "subnet", "192.0.2.5/24", "did you mean 192.0.2.0/24", 10 },
		{ "subnet", "lan", "SUBNET", 10 },
		{ "addr", "198.51.100", "ADDRESS", 10 },
		{ "addr", "2001:db8::1", "IPv4 addresses only", 10 },
		{ "proto", "icmp", "PROTO", 10 },
		{ "proto", "TCP+", "PROTO", 10 },
		{ "ports", "0", "PORT", 10 },
		{ "ports", "65536", "PORT", 10 },
		{ "ports", "80a", "PORT", 10 },
		{ "ports", "90-80", "below its start", 10 },
		{ "ports", "80-", "range end", 13 },
		{ "ports", "-80", "PORT", 10 },
		{ "backend", "192.0.2.10:0", "port must be 1-65535", 21 },
		{ "backend", "192.0.2.10:http", "port must be 1-65535", 21 },
		{ "backend", "192.0.2:80", "backend", 10 },
		{ "backend", "127.0.0.1:80", "not a host address", 10 },
		{ "backend", "0.0.0.0", "not a host address", 10 },
		{ "backend", "224.0.0.1", "not a host address", 10 },
		{ "backend", "2001:db8::1", "IPv4 addresses only", 10 },
		{ "onoff", "maybe", "router-access", 10 },
		{ "iface", "", "lan interface", 10 },
		{ "iface", "eth1 x", "bad character", 14 },
		{ "iface", "eth*", "bad character", 13 },
		{ "iface", "a234567890123456", "lan interface", 10 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nsh_err err = { 0 };
		struct nsh_wiz_prefix pfx;
		struct nsh_wiz_backend be;
		struct in_addr addr;
		char name[64];
		unsigned proto;
		uint16_t lo, hi;
		bool b;
		int rc = 0;

		if (!strcmp(cases[i].arg, "name"))
			rc = nsh_wiz_parse_name(cases[i].in, 10, name, &err);
		else if (!strcmp(cases[i].arg, "subnet"))
			rc = nsh_wiz_parse_prefix(cases[i].in, 10, "SUBNET", &pfx, &err);
		else if (!strcmp(cases[i].arg, "addr"))
			rc = nsh_wiz_parse_addr(cases[i].in, 10, "ADDRESS", &addr, &err);
		else if (!strcmp(cases[i].arg, "proto"))
			rc = nsh_wiz_parse_proto(cases[i].in, 10, &proto, &err);
		else if (!strcmp(cases[i].arg, "ports"))
			rc = nsh_wiz_parse_ports(cases[i].in, 10, &lo, &hi, &err);
		else if (!strcmp(cases[i].arg, "backend"))
			rc = nsh_wiz_parse_backend(cases[i].in, 10, &be, &err);
		else if (!strcmp(cases[i].arg, "onoff"))
			rc = nsh_wiz_parse_onoff(cases[i].in, 10, "router-access", &b, &err);
		else if (!strcmp(cases[i].arg, "iface"))
			rc = nsh_wiz_parse_iface(cases[i].in, 10, "lan", name, &err);
		if (rc != -1 || !err.set || !strstr(err.msg, cases[i].want) ||
		    err.off != cases[i].want_off)
			fail_msg("%s \"%s\": rc %d, off %zu, msg \"%s\"", cases[i].arg, cases[i].in,
				 rc, err.off, err.msg);
	}
}

/* Good input parses to the expected values. */
static void test_good_input(void **state)
{
	struct nsh_err err = { 0 };
	struct nsh_wiz_backend be;
	struct nsh_wiz_prefix pfx;
	uint16_t lo, hi;
	char buf[32], ifn[16];

	assert_int_equal(nsh_wiz_parse_ports("8000-8010", 0, &lo, &hi, &err), 0);
	assert_int_equal(lo, 8000);
	assert_int_equal(hi, 8010);
	assert_int_equal(nsh_wiz_parse_backend("192.0.2.10:8080", 0, &be, &err), 0);
	assert_string_equal(nsh_wiz_backend_str(&be, buf, sizeof(buf)), "192.0.2.10:8080");
	assert_int_equal(nsh_wiz_parse_prefix("192.0.2.7", 0, "SUBNET", &pfx, &err), 0);
	assert_int_equal(pfx.plen, 32);
	assert_int_equal(nsh_wiz_parse_iface("ppp*", 0, "out", ifn, &err), 0);
	assert_int_equal(err.set, 0);
}

/* Backends read back from parsed dnat rules: one target or a numgen map. */
static void test_rule_backends(void **state)
{
	static const struct {
		const char *rule;
		size_t n;
		const char *want[3];
	} cases[] = {
		{ "tcp dport 8080 dnat ip to 192.0.2.10:80", 1, { "192.0.2.10:80" } },
		{ "udp dport 53 dnat ip to 192.0.2.10", 1, { "192.0.2.10" } },
		{ "tcp dport 8080 dnat ip to numgen random mod 3 map { 0 : 192.0.2.12 . 80, 1 : 192.0.2.10 . 81, 2 : 192.0.2.11 . 82 }",
		  3, { "192.0.2.12:80", "192.0.2.10:81", "192.0.2.11:82" } },
		{ "tcp dport 8000-8010 dnat ip to numgen random mod 2 map { 0 : 192.0.2.10, 1 : 192.0.2.11 }",
		  2, { "192.0.2.10", "192.0.2.11" } },
		{ "ip saddr 192.0.2.0/24 masquerade", 0, { NULL } },
	};
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nsh_wiz_backend be[NSH_WIZ_BACKENDS_MAX];
		struct nsh_err err = { 0 };
		struct nsh_rule r;
		char buf[32];
		size_t n;

		assert_int_equal(nsh_rule_parse(cases[i].rule, 0, strlen(cases[i].rule), NSH_FAM_INET,
						&r, &err), 0);
		n = nsh_wiz_rule_backends(&r, be, NSH_WIZ_BACKENDS_MAX);
		assert_int_equal(n, cases[i].n);
		for (j = 0; j < n; j++)
			assert_string_equal(nsh_wiz_backend_str(&be[j], buf, sizeof(buf)), cases[i].want[j]);
		nsh_rule_clear(&r);
	}
}

static void test_tags(void **state)
{
	char name[NSH_WIZ_NAME_MAX + 1];
	char *tag = nsh_wiz_tag("web", "port forward (dnat)");

	assert_string_equal(tag, "wizard web: port forward (dnat)");
	assert_string_equal(nsh_wiz_tag_parse(tag, name), "port forward (dnat)");
	assert_string_equal(name, "web");
	assert_string_equal(nsh_wiz_role_kind("port forward (dnat)"), "forward");
	assert_string_equal(nsh_wiz_role_kind("masquerade"), "masquerade");
	assert_null(nsh_wiz_tag_parse("my own rule", name));
	assert_null(nsh_wiz_tag_parse("wizard : x", name));
	assert_null(nsh_wiz_tag_parse(NULL, name));
	free(tag);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_masquerade),
		cmocka_unit_test(test_forward_one),
		cmocka_unit_test(test_forward_balance),
		cmocka_unit_test(test_forward_tcp_udp),
		cmocka_unit_test(test_forward_off),
		cmocka_unit_test(test_forward_ranges),
		cmocka_unit_test(test_plan_refusals),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_good_input),
		cmocka_unit_test(test_rule_backends),
		cmocka_unit_test(test_tags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The rule parser: a table of malformed or invalid rules, each rejected at
 * the right column with the right message; valid rules and the model they
 * give; nft's canonical counter placement; hook checks; completion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>

#include "model/syntax/rule_parse.h"

/*
 * The error table lives in tests/kernel/data/rule_errors.txt (shared with the
 * kernel test that sends the same rules through `natsh -c`):
 * FAMILY<TAB>COLUMN<TAB>MESSAGE<TAB>RULE.
 */
static FILE *open_data(const char *env, const char *path)
{
	const char *p = getenv(env);
	FILE *f = fopen(p ? p : path, "r");

	if (!f)
		fail_msg("cannot open %s (run from the top of the tree)", p ? p : path);
	return f;
}

/* Every bad rule fails at its column with its message, also behind a prefix. */
static void test_bad_rules(void **state)
{
	static const char prefix[] = "add rule inet natsh prerouting ";
	FILE *f = open_data("NSH_RULE_ERRORS", "tests/kernel/data/rule_errors.txt");
	char row[1024];
	size_t n = 0, fails = 0;

	(void)state;
	while (fgets(row, sizeof(row), f)) {
		char *fam, *col, *msg, *rule, *save = NULL, line[1200];
		size_t plen = strlen(prefix), want;
		struct nsh_rule r;
		struct nsh_err e = { 0 };
		int rc, family;

		row[strcspn(row, "\n")] = 0;
		if (!row[0] || row[0] == '#')
			continue;
		fam = strtok_r(row, "\t", &save);
		col = strtok_r(NULL, "\t", &save);
		msg = strtok_r(NULL, "\t", &save);
		rule = save ? save : (char *)"";
		assert_non_null(msg);
		family = nsh_family_parse(fam);
		want = strtoul(col, NULL, 10);
		n++;
		rc = nsh_rule_parse(rule, 0, strlen(rule), family, &r, &e);
		if (rc != -1 || !e.set || e.off != want || !strstr(e.msg, msg)) {
			print_error("\"%s\": rc %d off %zu (want %zu) msg \"%s\" (want \"%s\")\n",
				    rule, rc, e.off, want, e.msg, msg);
			fails++;
		}
		assert_int_equal(r.nstmts, 0);
		assert_null(r.stmts);
		snprintf(line, sizeof(line), "%s%s", prefix, rule);
		nsh_err_clear(&e);
		rc = nsh_rule_parse(line, plen, strlen(line), family, &r, &e);
		if (rc != -1 || e.off != want + plen) {
			print_error("\"%s\" behind a prefix: off %zu, want %zu\n", rule, e.off,
				    want + plen);
			fails++;
		}
	}
	fclose(f);
	print_message("%zu malformed rules\n", n);
	assert_true(n >= 60);
	assert_int_equal(fails, 0);
}

static void parse_ok(int family, const char *text, struct nsh_rule *r)
{
	struct nsh_err e = { 0 };

	if (nsh_rule_parse(text, 0, strlen(text), family, r, &e) != 0)
		fail_msg("\"%s\" at %zu: %s", text, e.off, e.msg);
}

static void test_match_model(void **state)
{
	struct nsh_rule r;
	const struct nsh_match *m;
	uint16_t port;
	uint32_t mask;

	(void)state;
	parse_ok(NSH_FAM_IP, "iifname \"eth*\" tcp dport != 80-90 ip saddr 10.1.0.0/16 accept", &r);
	assert_int_equal(r.nstmts, 5);
	m = &r.stmts[0].match;
	assert_int_equal(r.stmts[0].kind, NSH_ST_MATCH);
	assert_int_equal(m->key->id, NSH_K_IIFNAME);
	assert_int_equal(m->val.len, 3);	/* wildcard: the prefix only */
	assert_memory_equal(m->val.data, "eth", 3);
	m = &r.stmts[1].match;
	assert_int_equal(m->key->id, NSH_K_TCP_DPORT);
	assert_int_equal(m->op, NSH_OP_NEQ);
	assert_int_equal(m->rhs, NSH_RHS_RANGE);
	memcpy(&port, m->val.data, 2);
	assert_int_equal(ntohs(port), 80);
	memcpy(&port, m->hi.data, 2);
	assert_int_equal(ntohs(port), 90);
	m = &r.stmts[2].match;
	assert_int_equal(m->rhs, NSH_RHS_PREFIX);
	assert_int_equal(m->plen, 16);
	assert_int_equal(m->val.data[0], 10);
	assert_int_equal(m->val.data[1], 1);
	/* the default counter goes before the verdict */
	assert_int_equal(r.stmts[3].kind, NSH_ST_COUNTER);
	assert_int_equal(r.stmts[4].kind, NSH_ST_VERDICT);
	assert_int_equal(r.stmts[4].verdict.code, NSH_V_ACCEPT);
	assert_true(r.has_counter);
	/* source spans for carets */
	assert_int_equal(r.stmts[1].src_off, 15);
	assert_int_equal(r.stmts[1].src_len, strlen("tcp dport != 80-90"));
	nsh_rule_clear(&r);

	parse_ok(NSH_FAM_IP, "ct state established,related ct state != new ct status { snat, dnat }", &r);
	m = &r.stmts[0].match;
	assert_true(m->bitmask);
	memcpy(&mask, m->val.data, 4);
	assert_int_equal(mask, 2 | 4);
	m = &r.stmts[1].match;
	assert_false(m->bitmask);
	assert_int_equal(m->op, NSH_OP_NEQ);
	m = &r.stmts[2].match;
	assert_int_equal(m->rhs, NSH_RHS_SET);
	assert_int_equal(m->set->nelems, 2);
	assert_false(m->set->interval);
	assert_int_equal(r.stmts[3].kind, NSH_ST_COUNTER);	/* no terminal: at the end */
	nsh_rule_clear(&r);

	parse_ok(NSH_FAM_INET, "tcp dport { 80, 1000-2000 } ip saddr { 10.0.0.0/8, 172.16.0.0/12 } th dport http", &r);
	assert_true(r.stmts[0].match.set->interval);
	assert_int_equal(r.stmts[0].match.set->elems[1].kind, NSH_ELEM_RANGE);
	assert_int_equal(r.stmts[1].match.set->elems[0].kind, NSH_ELEM_PREFIX);
	memcpy(&port, r.stmts[2].match.val.data, 2);
	assert_int_equal(ntohs(port), 80);	/* service name from /etc/services */
	nsh_rule_clear(&r);

	/* a set written with one element is the bare element, as nft makes it */
	parse_ok(NSH_FAM_IP, "ip saddr { 10.0.0.0/8 } tcp dport != { 80-90 } ct state { new } meta mark { 1-5, 9 }", &r);
	assert_int_equal(r.stmts[0].match.rhs, NSH_RHS_PREFIX);
	assert_null(r.stmts[0].match.set);
	assert_int_equal(r.stmts[1].match.rhs, NSH_RHS_RANGE);
	assert_int_equal(r.stmts[1].match.op, NSH_OP_NEQ);
	assert_int_equal(r.stmts[2].match.rhs, NSH_RHS_VALUE);
	assert_true(r.stmts[2].match.bitmask);
	assert_int_equal(r.stmts[3].match.rhs, NSH_RHS_SET);
	assert_true(r.stmts[3].match.set->interval);	/* host-order intervals are fine */
	nsh_rule_clear(&r);
}

/* "numgen inc mod N [offset O] VALUE": a match on the key numgen, its generator in the match. */
static void test_numgen_match(void **state)
{
	struct nsh_rule r;
	const struct nsh_match *m;
	uint32_t v;

	(void)state;
	parse_ok(NSH_FAM_IP, "numgen inc mod 3 0 return", &r);
	assert_int_equal(r.stmts[0].kind, NSH_ST_MATCH);
	m = &r.stmts[0].match;
	assert_int_equal(m->key->id, NSH_K_NUMGEN);
	assert_int_equal(m->numgen_type, NFT_NG_INCREMENTAL);
	assert_int_equal(m->numgen_mod, 3);
	assert_int_equal(m->numgen_offset, 0);
	assert_int_equal(m->op, NSH_OP_EQ);
	assert_int_equal(m->rhs, NSH_RHS_VALUE);
	memcpy(&v, m->val.data, 4);
	assert_int_equal(v, 0);
	assert_int_equal(r.stmts[1].kind, NSH_ST_COUNTER);
	nsh_rule_clear(&r);

	parse_ok(NSH_FAM_INET, "tcp dport 80 numgen random mod 4 offset 10 != { 10, 12-13 } dnat ip to 192.0.2.1", &r);
	m = &r.stmts[1].match;
	assert_int_equal(m->key->id, NSH_K_NUMGEN);
	assert_int_equal(m->numgen_type, NFT_NG_RANDOM);
	assert_int_equal(m->numgen_mod, 4);
	assert_int_equal(m->numgen_offset, 10);
	assert_int_equal(m->op, NSH_OP_NEQ);
	assert_int_equal(m->rhs, NSH_RHS_SET);
	assert_int_equal(m->set->nelems, 2);
	nsh_rule_clear(&r);

	parse_ok(NSH_FAM_IP, "dnat to numgen inc mod 2 offset 7 map { 7 : 192.0.2.1, 8 : 192.0.2.2 }", &r);
	assert_int_equal(r.stmts[1].nat.mapkey.numgen_offset, 7);
	nsh_rule_clear(&r);
}

static void test_nat_model(void **state)
{
	struct nsh_rule r;
	const struct nsh_nat *n;

	(void)state;
	parse_ok(NSH_FAM_IP, "tcp dport 80 dnat to 192.0.2.1-192.0.2.9:8000-8100 random,persistent", &r);
	n = &r.stmts[2].nat;
	assert_int_equal(r.stmts[2].kind, NSH_ST_NAT);
	assert_int_equal(n->type, NSH_NAT_DNAT);
	assert_int_equal(n->addr, NSH_NAT_ADDR_RANGE);
	assert_int_equal(n->addr_max.data[3], 9);
	assert_true(n->has_port);
	assert_int_equal(n->port_min, 8000);
	assert_int_equal(n->port_max, 8100);
	assert_int_equal(n->flags, NF_NAT_RANGE_PROTO_RANDOM | NF_NAT_RANGE_PERSISTENT);
	assert_int_equal(n->family, 0);
	nsh_rule_clear(&r);

	/* inet: the address says the family, as nft's "dnat ip to" */
	parse_ok(NSH_FAM_INET, "dnat to 192.0.2.10", &r);
	assert_int_equal(r.stmts[1].nat.family, NSH_FAM_IP);
	nsh_rule_clear(&r);
	parse_ok(NSH_FAM_INET, "tcp dport 22 dnat to [2001:db8::1]:2222", &r);
	assert_int_equal(r.stmts[2].nat.family, NSH_FAM_IP6);
	assert_int_equal(r.stmts[2].nat.port_min, 2222);
	nsh_rule_clear(&r);

	parse_ok(NSH_FAM_IP, "ip saddr 192.0.2.0/24 snat to 198.51.100.0/28 fully-random", &r);
	n = &r.stmts[2].nat;
	assert_int_equal(n->addr, NSH_NAT_ADDR_PREFIX);
	assert_int_equal(n->addr_plen, 28);
	assert_int_equal(n->addr_max.data[3], 15);
	nsh_rule_clear(&r);

	parse_ok(NSH_FAM_IP, "dnat to numgen inc mod 2 map { 0 : 192.0.2.1, 1 : 192.0.2.2 }", &r);
	n = &r.stmts[1].nat;
	assert_int_equal(n->addr, NSH_NAT_ADDR_MAP);
	assert_int_equal(n->mapkey.kind, NSH_MAPKEY_NUMGEN);
	assert_int_equal(n->mapkey.numgen_type, NFT_NG_INCREMENTAL);
	assert_int_equal(n->mapkey.numgen_mod, 2);
	assert_int_equal(n->map->nelems, 2);
	assert_int_equal(n->map->ndata, 1);
	assert_int_equal(n->map->data_type[0], NSH_T_IPV4);
	nsh_rule_clear(&r);

	parse_ok(NSH_FAM_IP, "dnat ip to tcp dport map { 80 : 192.0.2.1 . 8080, 443 : 192.0.2.2 . 8443 }", &r);
	n = &r.stmts[1].nat;
	assert_int_equal(n->mapkey.kind, NSH_MAPKEY_KEY);
	assert_int_equal(n->mapkey.key->id, NSH_K_TCP_DPORT);
	assert_int_equal(n->map->ndata, 2);
	assert_int_equal(n->map->elems[1].ndata, 2);
	assert_int_equal(n->map->data_type[1], NSH_T_PORT);
	nsh_rule_clear(&r);

	parse_ok(NSH_FAM_IP, "tcp dport 80 nocounter redirect to :8080 comment \"web\"", &r);
	assert_false(r.has_counter);
	assert_int_equal(r.nstmts, 2);
	assert_string_equal(r.comment, "web");
	assert_int_equal(r.stmts[1].nat.type, NSH_NAT_REDIR);
	nsh_rule_clear(&r);

	parse_ok(NSH_FAM_IP, "counter jump other", &r);
	assert_int_equal(r.nstmts, 2);	/* an explicit counter is not doubled */
	assert_string_equal(r.stmts[1].verdict.chain, "other");
	nsh_rule_clear(&r);
}

struct hook_case {
	int family;
	const char *rule;
	uint32_t hook;
	const char *msg;	/* NULL: accepted */
	size_t col;
};

static const struct hook_case hook_cases[] = {
	{ NSH_FAM_IP, "masquerade", NF_INET_PRE_ROUTING, "masquerade only works in postrouting", 8 },
	{ NSH_FAM_IP, "masquerade", NF_INET_LOCAL_IN, "masquerade only works in postrouting", 8 },
	{ NSH_FAM_IP, "masquerade", NF_INET_POST_ROUTING, NULL, 0 },
	{ NSH_FAM_IP, "snat to 192.0.2.1", NF_INET_PRE_ROUTING, "snat only works in postrouting or input", 8 },
	{ NSH_FAM_IP, "snat to 192.0.2.1", NF_INET_LOCAL_IN, NULL, 0 },
	{ NSH_FAM_IP, "tcp dport 80 dnat to 192.0.2.1", NF_INET_POST_ROUTING, "dnat only works in prerouting or output", 21 },
	{ NSH_FAM_IP, "tcp dport 80 dnat to 192.0.2.1", NF_INET_LOCAL_OUT, NULL, 0 },
	{ NSH_FAM_IP, "redirect", NF_INET_LOCAL_IN, "redirect only works in prerouting or output", 8 },
	{ NSH_FAM_IP, "tcp dport 80 redirect to :80", NF_INET_PRE_ROUTING, NULL, 0 },
	{ NSH_FAM_IP, "dnat to 192.0.2.1 accept", NF_INET_PRE_ROUTING, "nothing can follow \"dnat\"", 26 },
	{ NSH_FAM_IP, "accept drop", NF_INET_PRE_ROUTING, "nothing can follow \"the verdict\"", 15 },
	{ NSH_FAM_IP, "dnat to 192.0.2.1 counter", NF_INET_PRE_ROUTING, "a counter after \"dnat\" never counts", 26 },
	{ NSH_FAM_IP, "masquerade", NSH_HOOK_ANY, NULL, 0 },
};

/* check_hook: refusals carry the statement's place (after an 8-byte prefix). */
static void test_hook_checks(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hook_cases) / sizeof(hook_cases[0]); i++) {
		const struct hook_case *c = &hook_cases[i];
		struct nsh_rule r;
		struct nsh_err e = { 0 };
		int rc;

		parse_ok(c->family, c->rule, &r);
		rc = nsh_rule_check_hook(&r, c->family, c->hook, 8, &e);
		if (!c->msg) {
			if (rc != 0)
				fail_msg("hook case %zu refused: %s", i, e.msg);
		} else {
			if (rc != -1 || !strstr(e.msg, c->msg) || e.off != c->col)
				fail_msg("hook case %zu: rc %d off %zu msg %s", i, rc, e.off, e.msg);
		}
		nsh_rule_clear(&r);
	}
}

struct cands {
	char buf[2048];
	size_t n;
};

static void collect(void *arg, const char *word, const char *help)
{
	struct cands *c = arg;
	size_t len = strlen(c->buf);

	assert_non_null(help);
	snprintf(c->buf + len, sizeof(c->buf) - len, "%s%s", c->n ? " " : "", word);
	c->n++;
}

struct complete_case {
	int family;
	const char *line;
	const char *want;	/* the candidates, space separated, in order */
};

static const struct complete_case complete_cases[] = {
	{ NSH_FAM_IP, "tcp ", "sport dport" },
	{ NSH_FAM_IP, "tcp d", "dport" },
	{ NSH_FAM_IP, "ip ", "saddr daddr protocol" },
	{ NSH_FAM_IP, "meta ", "l4proto mark nfproto random length cpu" },
	{ NSH_FAM_IP, "fib daddr ", "type" },
	{ NSH_FAM_IP, "ct ", "state status mark direction" },
	{ NSH_FAM_IP, "dnat ", "ip ip6 to" },
	{ NSH_FAM_IP, "dnat to ", "numgen tcp udp" },
	{ NSH_FAM_IP, "dnat to numgen ", "random inc" },
	{ NSH_FAM_IP, "ct state new,e", "established" },
	{ NSH_FAM_IP, "ct direction ", "== != < > <= >= vmap . { original reply" },
	{ NSH_FAM_IP, "tcp dport 80 dnat to 192.0.2.1 r", "random redirect return reject" },
	{ NSH_FAM_IP, "masquerade f", "fully-random fib" },
	{ NSH_FAM_IP, "co", "counter comment" },
	{ NSH_FAM_IP, "tcp dport { 80, 443 ", "}" },
	{ NSH_FAM_IP, "tcp dport 80 dnat to numgen random mod 2 ", "offset map" },
	{ NSH_FAM_IP, "tcp dport 80 dnat to numgen random mod 2 offset 4 ", "map" },
	{ NSH_FAM_IP, "num", "numgen" },
	{ NSH_FAM_IP, "numgen ", "random inc" },
	{ NSH_FAM_IP, "numgen inc ", "mod" },
	{ NSH_FAM_IP, "numgen inc mod 3 ", "offset == != < > <= >= vmap {" },
};

/* A comment is one line of text: control characters are refused under it. */
static void test_comment_control(void **state)
{
	static const char *const bad[] = { "accept comment \"a\nb\"", "accept comment \"a\tb\"",
					   "accept comment \"a\x7f\"" };
	struct nsh_err e = { 0 };
	struct nsh_rule r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(nsh_rule_parse(bad[i], 0, strlen(bad[i]), NSH_FAM_IP, &r, &e), -1);
		assert_non_null(strstr(e.msg, "no control characters"));
		assert_int_equal(e.off, strlen("accept comment "));
		nsh_err_clear(&e);
	}
	assert_int_equal(nsh_rule_parse("accept comment \"a b\"", 0, 20, NSH_FAM_IP, &r, &e), 0);
	assert_string_equal(r.comment, "a b");
	nsh_rule_clear(&r);
}

static void test_complete(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(complete_cases) / sizeof(complete_cases[0]); i++) {
		const struct complete_case *c = &complete_cases[i];
		struct cands got = { .n = 0 };

		nsh_rule_complete(c->line, 0, strlen(c->line), c->family, collect, &got);
		if (strcmp(got.buf, c->want) != 0)
			fail_msg("complete \"%s\": got \"%s\", want \"%s\"", c->line, got.buf, c->want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_rules),
		cmocka_unit_test(test_match_model),
		cmocka_unit_test(test_numgen_match),
		cmocka_unit_test(test_nat_model),
		cmocka_unit_test(test_hook_checks),
		cmocka_unit_test(test_comment_control),
		cmocka_unit_test(test_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Flows per rule without a kernel: rules from text, hand-made conntrack
 * entries, the rule each is attributed to (model/flows.c); and the hook
 * order of `show hooks` (model/hooks.c).
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
#include "model/flows.h"
#include "model/hooks.h"
#include "model/syntax/rule_parse.h"

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
		t->chains[k].prio = k == 2 || k == 3 ? 100 : -100;
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
		c->rules[c->nrules].position = (uint32_t)c->nrules + 1;
		c->nrules++;
	}
	return rs;
}

/* An IPv4 TCP entry: orig s:sp -> d:dp, reply from rs:rsp to rd:rdp. */
static struct nsh_ct ct4(const char *s, uint16_t sp, const char *d, uint16_t dp,
			 const char *rsrc, uint16_t rsp, const char *rdst, uint16_t rdp)
{
	struct nsh_ct ct;

	memset(&ct, 0, sizeof(ct));
	ct.family = AF_INET;
	ct.proto = IPPROTO_TCP;
	inet_pton(AF_INET, s, ct.orig.src);
	inet_pton(AF_INET, d, ct.orig.dst);
	inet_pton(AF_INET, rsrc, ct.reply.src);
	inet_pton(AF_INET, rdst, ct.reply.dst);
	ct.orig.sport = sp;
	ct.orig.dport = dp;
	ct.reply.sport = rsp;
	ct.reply.dport = rdp;
	if (memcmp(ct.orig.dst, ct.reply.src, 4) || dp != rsp)
		ct.status |= 1u << 5;	/* IPS_DST_NAT */
	if (memcmp(ct.orig.src, ct.reply.dst, 4) || sp != rdp)
		ct.status |= 1u << 4;	/* IPS_SRC_NAT */
	return ct;
}

static const struct nsh_flow_local loc[] = {
	{ "wan0", AF_INET, { 198, 51, 100, 1 } },
	{ "lan0", AF_INET, { 192, 0, 2, 1 } },
	{ "lo", AF_INET, { 127, 0, 0, 1 } },
};

/* "chain:position" of the rules an entry is attributed to, space-separated. */
static void who(struct nsh_flows *f, const struct nsh_ruleset *rs, const struct nsh_ct *ct,
		char *out, size_t len)
{
	struct nsh_flow_ref r[2];
	size_t n = nsh_flows_add(f, ct, r), i, at = 0;

	out[0] = 0;
	for (i = 0; i < n; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%s:%zu", i ? " " : "",
				       rs->tables[r[i].table].chains[r[i].chain].name, r[i].rule + 1);
}

static void test_attribution(void **state)
{
	const char *const lines[] = {
		"prerouting iifname \"wan0\" tcp dport 8080 dnat ip to 192.0.2.10:80",
		"prerouting tcp dport 9090 dnat ip to 192.0.2.10:80",
		"prerouting meta mark 1 tcp dport 7070 dnat ip to 192.0.2.11",
		"prerouting tcp dport 7070 dnat ip to 192.0.2.11",
		"prerouting tcp dport 8443 dnat ip to numgen inc mod 2 map { 0 : 192.0.2.10, 1 : 192.0.2.12 }",
		"output fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80",
		"postrouting oifname \"lan0\" fib saddr type local ip daddr 192.0.2.10 ct status dnat masquerade",
		"postrouting oifname \"wan0\" ip saddr 192.0.2.0/24 masquerade",
		"postrouting ip saddr 203.0.113.0/24 snat ip to 198.51.100.9",
		NULL,
	};
	struct nsh_ruleset *rs = rs_new(lines);
	struct nsh_flows *f = nsh_flows_new(rs, loc, 3);
	struct nsh_ct ct;
	const int64_t *pre, *post;
	char w[64];

	(void)state;
	ct = ct4("198.51.100.100", 40000, "198.51.100.1", 8080, "192.0.2.10", 80, "198.51.100.100", 40000);
	who(f, rs, &ct, w, sizeof(w));
	assert_string_equal(w, "prerouting:1");
	ct = ct4("198.51.100.100", 40001, "198.51.100.1", 9090, "192.0.2.10", 80, "198.51.100.100", 40001);
	who(f, rs, &ct, w, sizeof(w));
	assert_string_equal(w, "prerouting:2");
	/* the wrong port on the right address: no rule */
	ct = ct4("198.51.100.100", 40002, "198.51.100.1", 9090, "192.0.2.10", 81, "198.51.100.100", 40002);
	who(f, rs, &ct, w, sizeof(w));
	assert_string_equal(w, "");
	/* a mark rule is unknown: the next rule that fits counts it */
	ct = ct4("198.51.100.100", 40003, "198.51.100.1", 7070, "192.0.2.11", 7070, "198.51.100.100", 40003);
	who(f, rs, &ct, w, sizeof(w));
	assert_string_equal(w, "prerouting:4");
	/* a numgen map: any of its backends */
	ct = ct4("198.51.100.100", 40004, "198.51.100.1", 8443, "192.0.2.12", 8443, "198.51.100.100", 40004);
	who(f, rs, &ct, w, sizeof(w));
	assert_string_equal(w, "prerouting:5");
	/* the router's own connection: output, and the router-access masquerade */
	ct = ct4("127.0.0.1", 40005, "127.0.0.1", 8080, "192.0.2.10", 80, "192.0.2.1", 40005);
	who(f, rs, &ct, w, sizeof(w));
	assert_string_equal(w, "output:1 postrouting:1");
	/* LAN out to the Internet: masquerade to wan0's address */
	ct = ct4("192.0.2.11", 50000, "198.51.100.100", 80, "198.51.100.100", 80, "198.51.100.1", 50000);
	who(f, rs, &ct, w, sizeof(w));
	assert_string_equal(w, "postrouting:2");
	/* masquerade to an address that is not wan0's: not that rule */
	ct = ct4("192.0.2.11", 50001, "198.51.100.100", 80, "198.51.100.100", 80, "192.0.2.1", 50001);
	who(f, rs, &ct, w, sizeof(w));
	assert_string_equal(w, "");
	ct = ct4("203.0.113.5", 50002, "198.51.100.100", 80, "198.51.100.100", 80, "198.51.100.9", 61000);
	who(f, rs, &ct, w, sizeof(w));
	assert_string_equal(w, "postrouting:3");
	pre = nsh_flows_chain(f, 0, 0);
	post = nsh_flows_chain(f, 0, 2);
	assert_int_equal(pre[0], 1);
	assert_int_equal(pre[1], 1);
	assert_int_equal(pre[2], NSH_FLOWS_UNKNOWN);
	assert_string_equal(nsh_flows_why(f, 0, 0, 2), "meta mark");
	assert_int_equal(pre[3], 1);
	assert_int_equal(post[0], 1);
	assert_int_equal(post[1], 1);
	assert_int_equal(post[2], 1);
	assert_null(nsh_flows_chain(f, 1, 0));
	nsh_flows_free(f);
	nsh_ruleset_free(rs);
}

static void test_hooks_order(void **state)
{
	struct nsh_ruleset rs;
	struct nsh_table t[3];
	struct nsh_chain c[5];
	struct nsh_hook_ent *v;
	size_t n;

	(void)state;
	memset(&rs, 0, sizeof(rs));
	memset(t, 0, sizeof(t));
	memset(c, 0, sizeof(c));
	c[0] = (struct nsh_chain){ .name = "prerouting", .base = true, .type = "nat",
				   .hooknum = NF_INET_PRE_ROUTING, .prio = -100 };
	c[1] = (struct nsh_chain){ .name = "PREROUTING", .base = true, .type = "nat",
				   .hooknum = NF_INET_PRE_ROUTING, .prio = -100 };
	c[2] = (struct nsh_chain){ .name = "POSTROUTING", .base = true, .type = "nat",
				   .hooknum = NF_INET_POST_ROUTING, .prio = 100 };
	c[3] = (struct nsh_chain){ .name = "raw", .base = true, .type = "filter",
				   .hooknum = NF_INET_PRE_ROUTING, .prio = -300 };
	c[4] = (struct nsh_chain){ .name = "helper" };
	t[0] = (struct nsh_table){ .family = NSH_FAM_INET, .name = "natsh", .nchains = 1, .chains = &c[0] };
	t[1] = (struct nsh_table){ .family = NSH_FAM_IP, .name = "nat", .nchains = 2, .chains = &c[1] };
	t[2] = (struct nsh_table){ .family = NSH_FAM_IP6, .name = "fw", .nchains = 2, .chains = &c[3] };
	rs.ntables = 3;
	rs.tables = t;
	assert_true(nsh_table_is_iptables(&t[1]));
	assert_false(nsh_table_is_iptables(&t[2]));
	n = nsh_hooks_order(&rs, &v);
	assert_int_equal(n, 5);		/* inet twice, ip two, ip6 one (helper is no base chain) */
	assert_int_equal(v[0].ipver, NSH_FAM_IP);
	assert_string_equal(v[0].chain->name, "prerouting");	/* same priority: listing order */
	assert_int_equal(v[0].owner, NSH_HO_NATSH);
	assert_string_equal(v[1].chain->name, "PREROUTING");
	assert_int_equal(v[1].owner, NSH_HO_IPTABLES);
	assert_string_equal(v[2].chain->name, "POSTROUTING");
	assert_int_equal(v[3].ipver, NSH_FAM_IP6);
	assert_string_equal(v[3].chain->name, "raw");		/* -300 before -100 */
	assert_string_equal(v[4].chain->name, "prerouting");
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attribution),
		cmocka_unit_test(test_hooks_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

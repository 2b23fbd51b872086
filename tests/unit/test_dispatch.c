/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Command lookup (exact, unique prefix, ambiguity) and grammar matching
 * (ALT, OPT, ANY, REPEAT, RULE) with the error and its place, against a
 * command table defined here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "shell/shell.h"
#include "lib/distance.h"

static int nop_exec(struct nsh_ctx *ctx, const struct nsh_args *a)
{
	return NSH_OK;
}

static const struct nsh_cmd t_show = {
	.name = "show",
	.args = NSH_ALT(NSH_WORD("tables", "list tables"),
			NSH_WORD("chains", "list chains"),
			NSH_SEQ(NSH_WORD("rule", "one rule"),
				NSH_VAL("CHAIN", NSH_VK_CHAIN, "chain"),
				NSH_VAL("N", NSH_VK_POSITION, "position")),
			NSH_SEQ(NSH_OPT(NSH_VAL("FAMILY", NSH_VK_FAMILY, "family")),
				NSH_OPT(NSH_VAL("TABLE", NSH_VK_TABLE, "table")),
				NSH_OPT(NSH_VAL("CHAIN", NSH_VK_CHAIN, "chain")))),
	.exec = nop_exec,
};

static const struct nsh_cmd t_sysctl = {
	.name = "sysctl",
	.args = NSH_OPT(NSH_SEQ(NSH_VAL("KEY", NSH_VK_SYSCTL, "key"),
				NSH_OPT(NSH_VAL("VALUE", NSH_VK_STRING, "value")))),
	.exec = nop_exec,
};

static const struct nsh_cmd t_add = {
	.name = "add",
	.args = NSH_SEQ(NSH_VAL("CHAIN", NSH_VK_CHAIN, "chain"),
			NSH_VAL("RULE", NSH_VK_RULE, "rule")),
	.exec = nop_exec,
};

static const struct nsh_cmd t_delete = {
	.name = "delete",
	.args = NSH_SEQ(NSH_VAL("CHAIN", NSH_VK_CHAIN, "chain"),
			NSH_ALT(NSH_SEQ(NSH_WORD("handle", "by handle"),
					NSH_VAL("H", NSH_VK_HANDLE, "handle")),
				NSH_VAL("N", NSH_VK_POSITION, "position"))),
	.exec = nop_exec,
};

static const struct nsh_cmd t_wizard = {
	.name = "wizard",
	.args = NSH_SEQ(NSH_WORD("masquerade", "lan to internet"),
			NSH_VAL("NAME", NSH_VK_STRING, "name"),
			NSH_ANY(NSH_SEQ(NSH_WORD("from", "subnet"),
					NSH_VAL("SUBNET", NSH_VK_PREFIX, "subnet")),
				NSH_SEQ(NSH_WORD("out", "iface"),
					NSH_VAL("IFACE", NSH_VK_IFACE, "iface")),
				NSH_SEQ(NSH_WORD("to", "address"),
					NSH_VAL("ADDRESS", NSH_VK_ADDR, "addr")))),
	.exec = nop_exec,
};

static const struct nsh_cmd t_backends = {
	.name = "backends",
	.args = NSH_SEQ(NSH_REPEAT(NSH_VAL("ADDR", NSH_VK_ADDR_PORT, "backend")),
			NSH_OPT(NSH_SEQ(NSH_WORD("wan", "wan iface"),
					NSH_VAL("IFACE", NSH_VK_IFACE, "iface")))),
	.exec = nop_exec,
};

static const struct nsh_cmd t_exit = { .name = "exit", .exec = nop_exec };
static const struct nsh_cmd t_exec = { .name = "execute", .exec = nop_exec };

/*
 * This file's command table is natsh's table here: defining nsh_cmds and
 * nsh_help_topics keeps cmds/table.c (and every real command) out of the link.
 */
const struct nsh_cmd *const nsh_cmds[] = {
	&t_show, &t_sysctl, &t_add, &t_delete, &t_wizard, &t_backends, &t_exit, &t_exec, NULL
};
const struct nsh_help_topic *const nsh_help_topics[] = { NULL };
#define tab nsh_cmds


struct case_ {
	const char *line;
	const char *want;	/* "cmd: name=value ..." or "error OFF:LEN: message" */
};

static const struct case_ cases[] = {
	/* lookup */
	{ "show", "show:" },
	{ "sh", "show:" },
	{ "s", "error 0:1: ambiguous command \"s\", could be: show, sysctl" },
	{ "e", "error 0:1: ambiguous command \"e\", could be: exit, execute" },
	{ "ex", "error 0:2: ambiguous command \"ex\", could be: exit, execute" },
	{ "exi", "exit:" },
	{ "exit", "exit:" },
	{ "bogus", "error 0:5: unknown command \"bogus\" (try \"help\")" },
	{ "shwo tables", "error 0:4: unknown command \"shwo\"; did you mean \"show\"?" },
	{ "  sysclt", "error 2:6: unknown command \"sysclt\"; did you mean \"sysctl\"?" },
	{ "exit now", "error 5:3: unexpected \"now\": exit takes no arguments" },
	/* ALT and OPT */
	{ "show tables", "show: tables=tables" },
	{ "show chains", "show: chains=chains" },
	{ "show ip", "show: FAMILY=ip" },
	{ "show ip nat", "show: FAMILY=ip TABLE=nat" },
	{ "show nat", "show: TABLE=nat" },
	{ "show nat post", "show: TABLE=nat CHAIN=post" },
	{ "show inet natsh prerouting", "show: FAMILY=inet TABLE=natsh CHAIN=prerouting" },
	{ "show ip nat post extra", "error 17:5: unexpected \"extra\"" },
	{ "show rule pre 3", "show: rule=rule CHAIN=pre N=3" },
	{ "show rule pre", "show: TABLE=rule CHAIN=pre" },
	{ "show rule pre x", "error 14:1: expected N (a number) or end of line, got \"x\"" },
	{ "show ipv4 nat", "show: TABLE=ipv4 CHAIN=nat" },
	{ "show ipv4 nat x", "error 14:1: unexpected \"x\"" },
	{ "sysctl", "sysctl:" },
	{ "sysctl net.ipv4.ip_forward", "sysctl: KEY=net.ipv4.ip_forward" },
	{ "sysctl net.ipv4.ip_forward 1", "sysctl: KEY=net.ipv4.ip_forward VALUE=1" },
	{ "sysctl a b c", "error 11:1: unexpected \"c\"" },
	/* RULE swallows the rest */
	{ "add", "error 4:0: expected CHAIN, got end of line" },
	{ "add pre", "error 8:0: expected RULE, got end of line" },
	{ "add pre tcp dport 80 dnat to 192.0.2.1",
	  "add: CHAIN=pre RULE=tcp RULE=dport RULE=80 RULE=dnat RULE=to RULE=192.0.2.1" },
	/* nested ALT with a keyword and a number */
	{ "delete pre 3", "delete: CHAIN=pre N=3" },
	{ "delete pre handle 17", "delete: CHAIN=pre handle=handle H=17" },
	{ "delete pre handle", "error 18:0: expected H (a number), got end of line" },
	{ "delete pre handle x", "error 18:1: expected H (a number), got \"x\"" },
	{ "delete pre hanlde 3",
	  "error 11:6: expected handle or N (a number), got \"hanlde\"; did you mean \"handle\"?" },
	{ "delete pre", "error 11:0: expected handle or N (a number), got end of line" },
	{ "delete pre 3 4", "error 13:1: unexpected \"4\"" },
	/* keywords: did you mean */
	{ "wizard masq x", "error 7:4: expected masquerade, got \"masq\"" },
	{ "wizard masqerade x", "error 7:9: expected masquerade, got \"masqerade\"; did you mean \"masquerade\"?" },
	/* ANY: any order, each at most once */
	{ "wizard masquerade lan", "wizard: masquerade=masquerade NAME=lan" },
	{ "wizard masquerade lan from 192.0.2.0/24 out eth0",
	  "wizard: masquerade=masquerade NAME=lan from=from SUBNET=192.0.2.0/24 out=out IFACE=eth0" },
	{ "wizard masquerade lan out eth0 from 192.0.2.0/24",
	  "wizard: masquerade=masquerade NAME=lan out=out IFACE=eth0 from=from SUBNET=192.0.2.0/24" },
	{ "wizard masquerade lan out eth0 to 198.51.100.1 from 192.0.2.0/24",
	  "wizard: masquerade=masquerade NAME=lan out=out IFACE=eth0 to=to ADDRESS=198.51.100.1 from=from SUBNET=192.0.2.0/24" },
	{ "wizard masquerade lan out eth0 out eth1",
	  "error 31:3: expected from, to or end of line, got \"out\"" },
	{ "wizard masquerade lan frm x", "error 22:3: expected from, out, to or end of line, got \"frm\"; did you mean \"from\"?" },
	{ "wizard masquerade lan from", "error 27:0: expected SUBNET, got end of line" },
	/* REPEAT */
	{ "backends 192.0.2.1", "backends: ADDR=192.0.2.1" },
	{ "backends a b c", "backends: ADDR=a ADDR=b ADDR=c" },
	{ "backends a b wan eth0", "backends: ADDR=a ADDR=b wan=wan IFACE=eth0" },
	{ "backends", "error 9:0: expected ADDR, got end of line" },
	/* a keyword that may follow a placeholder is not taken by it, unless quoted */
	{ "backends a wan", "error 15:0: expected IFACE, got end of line" },
	{ "backends a 'wan'", "backends: ADDR=a ADDR=wan" },
	{ "wizard masquerade from 192.0.2.0/24", "error 18:4: expected NAME before \"from\"" },
	{ "wizard masquerade out eth0", "error 18:3: expected NAME before \"out\"" },
	{ "wizard masquerade 'from' from 192.0.2.0/24",
	  "wizard: masquerade=masquerade NAME=from from=from SUBNET=192.0.2.0/24" },
	{ "wizard masquerade lan from to", "error 27:2: expected SUBNET before \"to\"" },
	/* quoting reaches the grammar unquoted */
	{ "sysctl \"a b\" 'c d'", "sysctl: KEY=a b VALUE=c d" },
};

static void run_case(const struct case_ *c)
{
	struct nsh_toks toks;
	struct nsh_err err = { 0 };
	const struct nsh_cmd *cmd;
	struct nsh_args args;
	char got[1024];
	size_t i;

	assert_int_equal(nsh_lex(c->line, false, &toks, &err), 0);
	if (nsh_parse(tab, &toks, &cmd, &args, &err) < 0) {
		snprintf(got, sizeof(got), "error %zu:%zu: %s", err.off, err.len, err.msg);
	} else {
		snprintf(got, sizeof(got), "%s:", cmd->name);
		for (i = 0; i < args.n; i++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), " %s=%s",
				 args.v[i].name, args.v[i].tok->s);
	}
	if (strcmp(got, c->want))
		fail_msg("\"%s\":\n  got  %s\n  want %s", c->line, got, c->want);
	nsh_toks_free(&toks);
}

static void test_cases(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

static void test_args_api(void **state)
{
	struct nsh_toks toks;
	struct nsh_err err = { 0 };
	const struct nsh_cmd *cmd;
	struct nsh_args args;

	assert_int_equal(nsh_lex("backends a b c wan eth0", false, &toks, &err), 0);
	assert_int_equal(nsh_parse(tab, &toks, &cmd, &args, &err), 0);
	assert_ptr_equal(cmd, &t_backends);
	assert_string_equal(nsh_args_get(&args, "ADDR")->s, "a");
	assert_string_equal(nsh_args_nth(&args, "ADDR", 2)->s, "c");
	assert_null(nsh_args_nth(&args, "ADDR", 3));
	assert_true(nsh_args_has(&args, "wan"));
	assert_false(nsh_args_has(&args, "lan"));
	assert_int_equal(nsh_args_get(&args, "IFACE")->off, 19);
	assert_ptr_equal(args.toks, toks.v);
	assert_int_equal(args.ntoks, 6);
	nsh_toks_free(&toks);
}

/* A rule longer than the argument table still parses; its text is line + first->off. */
static void test_long_rule(void **state)
{
	char line[4096] = "add pre tcp dport {";
	struct nsh_toks toks;
	struct nsh_err err = { 0 };
	const struct nsh_cmd *cmd;
	struct nsh_args args;
	int i;

	for (i = 0; i < 200; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), " %d,", 1000 + i);
	strcat(line, " 2000 } dnat to 192.0.2.1");
	assert_int_equal(nsh_lex(line, false, &toks, &err), 0);
	assert_true(toks.n > NSH_ARGS_MAX);
	if (nsh_parse(tab, &toks, &cmd, &args, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(nsh_args_get(&args, "CHAIN")->s, "pre");
	assert_int_equal(nsh_args_get(&args, "RULE")->off, 8);
	assert_int_equal(args.n, NSH_ARGS_MAX);
	nsh_toks_free(&toks);
}

static void test_lookup(void **state)
{
	bool amb;

	assert_ptr_equal(nsh_cmd_lookup_in(tab, "show", &amb), &t_show);
	assert_false(amb);
	assert_null(nsh_cmd_lookup_in(tab, "s", &amb));
	assert_true(amb);
	assert_null(nsh_cmd_lookup_in(tab, "zzz", &amb));
	assert_false(amb);
	assert_null(nsh_cmd_lookup_in(tab, "", &amb));
	assert_ptr_equal(nsh_cmd_lookup_in(tab, "a", NULL), &t_add);
}

static void test_distance(void **state)
{
	assert_int_equal(nsh_distance("dport", "dport", 2), 0);
	assert_int_equal(nsh_distance("dpot", "dport", 2), 1);
	assert_int_equal(nsh_distance("tabels", "tables", 2), 1);	/* a swap */
	assert_int_equal(nsh_distance("dant", "dnat", 2), 1);
	assert_int_equal(nsh_distance("abcd", "badc", 2), 2);
	assert_int_equal(nsh_distance("ca", "abc", 3), 3);		/* OSA, not Damerau */
	assert_int_equal(nsh_distance("xyz", "masquerade", 2), 3);
}

/* Of equally near words, the one of the same length: "dant" is a swapped "dnat". */
static void test_nearest(void **state)
{
	static const char *const ct[] = { "count", "delete", "nat", "snat", "dnat", "tcp" };
	static const char *const cmds[] = { "show", "save", "sysctl" };

	assert_string_equal(nsh_nearest_word("dant", ct, 6), "dnat");
	assert_string_equal(nsh_nearest_word("nta", ct, 6), "nat");
	assert_string_equal(nsh_nearest_word("shwo", cmds, 3), "show");
	assert_null(nsh_nearest_word("xyzzy", cmds, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_args_api),
		cmocka_unit_test(test_long_rule),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_nearest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The completer on partial lines, against a command table defined here and
 * a hand-built ruleset: command names, keywords, live families, tables,
 * chains, positions, handles, placeholders, the rule hook.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "completions/complete.h"
#include "model/model.h"
#include "model/plan/wizard.h"
#include "shell/shell.h"

static int nop_exec(struct nsh_ctx *ctx, const struct nsh_args *a)
{
	return NSH_OK;
}

static const struct nsh_cmd t_show = {
	.name = "show", .summary = "show the NAT ruleset",
	.args = NSH_ALT(NSH_WORD("tables", "list tables"),
			NSH_WORD("chains", "list chains"),
			NSH_SEQ(NSH_WORD("rule", "one rule"),
				NSH_VAL("CHAIN", NSH_VK_CHAIN, "a chain"),
				NSH_VAL("N", NSH_VK_POSITION, "its position")),
			NSH_SEQ(NSH_OPT(NSH_VAL("FAMILY", NSH_VK_FAMILY, "family")),
				NSH_OPT(NSH_VAL("TABLE", NSH_VK_TABLE, "a table")),
				NSH_OPT(NSH_VAL("CHAIN", NSH_VK_CHAIN, "a chain")))),
	.exec = nop_exec,
};
static const struct nsh_cmd t_sysctl = {
	.name = "sysctl", .summary = "kernel knobs",
	.args = NSH_OPT(NSH_VAL("KEY", NSH_VK_STRING, "a sysctl key")	/* SYSCTL is live: 0023 */), .exec = nop_exec,
};
static const struct nsh_cmd t_add = {
	.name = "add", .summary = "append a rule",
	.args = NSH_SEQ(NSH_VAL("CHAIN", NSH_VK_CHAIN, "a chain"),
			NSH_VAL("RULE", NSH_VK_RULE, "the rule")),
	.exec = nop_exec,
};
static const struct nsh_cmd t_delete = {
	.name = "delete", .summary = "delete a rule",
	.args = NSH_SEQ(NSH_VAL("CHAIN", NSH_VK_CHAIN, "a chain"),
			NSH_ALT(NSH_SEQ(NSH_WORD("handle", "by handle"),
					NSH_VAL("H", NSH_VK_HANDLE, "a handle")),
				NSH_VAL("N", NSH_VK_POSITION, "a position"))),
	.exec = nop_exec,
};
static const struct nsh_cmd t_use = {
	.name = "use", .summary = "switch table",
	.args = NSH_SEQ(NSH_OPT(NSH_VAL("FAMILY", NSH_VK_FAMILY, "family")),
			NSH_VAL("TABLE", NSH_VK_TABLE, "a table")),
	.exec = nop_exec,
};
static const struct nsh_cmd t_wizard = {
	.name = "wizard", .summary = "wizards",
	.args = NSH_ALT(NSH_SEQ(NSH_WORD("masquerade", "LAN to Internet"),
				NSH_VAL("NAME", NSH_VK_STRING, "a name"),
				NSH_ANY(NSH_SEQ(NSH_WORD("from", "the LAN subnet"),
						NSH_VAL("SUBNET", NSH_VK_STRING, "ADDR/LEN")	/* PREFIX is live: 0023 */),
					NSH_SEQ(NSH_WORD("out", "the WAN interface"),
						NSH_VAL("IFACE", NSH_VK_IFACE, "an interface")))),
			NSH_WORD("list", "list wizard groups")),
	.exec = nop_exec,
};
static const struct nsh_cmd t_load = {
	.name = "load", .summary = "load a file",
	.args = NSH_VAL("FILE", NSH_VK_FILE, "a saved file"), .exec = nop_exec,
};
static const struct nsh_cmd t_help = {
	.name = "help", .summary = "help",
	.args = NSH_OPT(NSH_SEQ(NSH_VAL("COMMAND", NSH_VK_COMMAND, "a command"),
				NSH_OPT(NSH_VAL("SUBCOMMAND", NSH_VK_SUBCOMMAND, "a form")))),
	.exec = nop_exec,
};
static const struct nsh_cmd t_exit = { .name = "exit", .summary = "leave", .exec = nop_exec };

/*
 * This file's command table is natsh's table here: defining nsh_cmds and
 * nsh_help_topics keeps cmds/table.c (and every real command) out of the link.
 */
const struct nsh_cmd *const nsh_cmds[] = {
	&t_show, &t_sysctl, &t_add, &t_delete, &t_use, &t_wizard, &t_load, &t_help, &t_exit, NULL
};
static void print_nothing(struct nsh_out *o)
{
}

static const struct nsh_help_topic topic_rule = {
	.name = "rule", .summary = "the rule syntax", .print = print_nothing,
};
const struct nsh_help_topic *const nsh_help_topics[] = { &topic_rule, NULL };
#define tab nsh_cmds


/* A ruleset: inet natsh (prerouting 2 rules, postrouting 1, mine 0) and ip nat. */
static struct nsh_ruleset *build_ruleset(void)
{
	struct nsh_ruleset *rs = calloc(1, sizeof(*rs));
	struct nsh_table *t;
	struct nsh_chain *c;

	rs->ntables = 2;
	rs->tables = calloc(2, sizeof(*rs->tables));
	t = &rs->tables[0];
	t->family = NSH_FAM_INET;
	t->name = strdup("natsh");
	t->nchains = 3;
	t->chains = calloc(3, sizeof(*t->chains));
	c = &t->chains[0];
	c->name = strdup("prerouting");
	c->base = true;
	c->type = strdup("nat");
	c->hooknum = 0;
	c->nrules = 2;
	c->rules = calloc(2, sizeof(*c->rules));
	c->rules[0].handle = 4;
	c->rules[0].position = 1;
	c->rules[0].comment = strdup("web");
	c->rules[1].handle = 9;
	c->rules[1].position = 2;
	c = &t->chains[1];
	c->name = strdup("postrouting");
	c->base = true;
	c->type = strdup("nat");
	c->hooknum = 4;
	c->nrules = 1;
	c->rules = calloc(1, sizeof(*c->rules));
	c->rules[0].handle = 12;
	c->rules[0].position = 1;
	c = &t->chains[2];
	c->name = strdup("mine");
	t = &rs->tables[1];
	t->family = NSH_FAM_IP;
	t->name = strdup("nat");
	t->nchains = 2;
	t->chains = calloc(2, sizeof(*t->chains));
	t->chains[0].name = strdup("PREROUTING");
	t->chains[0].base = true;
	t->chains[0].type = strdup("nat");
	t->chains[1].name = strdup("POSTROUTING");
	t->chains[1].base = true;
	t->chains[1].type = strdup("nat");
	t->chains[1].hooknum = 4;
	return rs;
}

/* A stand-in for the rule grammar's completer: keywords after the rule so far. */
static void rule_hook(struct nsh_ctx *ctx, const char *line, size_t start, int family,
		      struct nsh_cands *out)
{
	static const char *const first[] = { "tcp", "udp", "iifname", "ip", NULL };
	const char *rule = line + start, *partial = strrchr(line, ' ');
	size_t i;

	partial = partial ? partial + 1 : line;
	out->start = (size_t)(partial - line);
	if (strcmp(rule, "tcp ") == 0 || strcmp(rule, "tcp d") == 0) {
		if (strncmp("dport", partial, strlen(partial)) == 0)
			nsh_cands_add(out, "dport", "destination port", false);
		return;
	}
	for (i = 0; first[i]; i++)
		if (strncmp(first[i], partial, strlen(partial)) == 0)
			nsh_cands_add(out, first[i], NULL, false);
}

struct case_ {
	const char *line;
	const char *want;	/* insertable words, then "| " placeholders, then flags */
};

static const struct case_ cases[] = {
	/* command names */
	{ "", "show sysctl add delete use wizard load help exit" },
	{ "s", "show sysctl" },
	{ "sh", "show" },
	{ "w", "wizard" },
	{ "x", "" },
	{ "  d", "delete" },
	/* keywords and live values after a command */
	{ "show ", "tables chains rule ip ip6 inet natsh nat prerouting postrouting mine [end]" },
	{ "show t", "tables" },
	{ "show c", "chains" },
	{ "show i", "ip ip6 inet" },
	{ "show n", "natsh nat" },
	{ "show p", "prerouting postrouting" },
	{ "show ip ", "nat PREROUTING POSTROUTING [end]" },
	{ "show inet ", "natsh prerouting postrouting mine [end]" },
	{ "show ip6 ", "| TABLE CHAIN [end]" },
	{ "show ip nat ", "PREROUTING POSTROUTING [end]" },
	{ "show ip nat P", "PREROUTING POSTROUTING" },
	{ "show ip nat POST", "POSTROUTING" },
	{ "show natsh ", "prerouting postrouting mine [end]" },
	{ "show natsh prerouting ", "[end]" },
	{ "show tables ", "[end]" },
	{ "show nat", "natsh nat" },
	{ "sh ", "tables chains rule ip ip6 inet natsh nat prerouting postrouting mine [end]" },
	{ "s ", "" },
	{ "bogus ", "" },
	{ "exit ", "[end]" },
	{ "exit", "exit" },
	/* positions and handles of the chain named before (current table: inet natsh) */
	{ "show rule ", "prerouting postrouting mine [end]" },	/* "show TABLE" too */
	{ "show rule prerouting ", "1 2 [end]" },
	{ "show rule postrouting ", "1 [end]" },
	{ "show rule mine ", "| N [end]" },
	{ "show rule nosuch ", "[end]" },
	{ "delete prerouting ", "handle 1 2" },
	{ "delete prerouting h", "handle" },
	{ "delete prerouting handle ", "4 9" },
	{ "delete prerouting handle 9", "9" },
	{ "delete postrouting handle ", "12" },
	{ "delete prerouting 1 ", "[end]" },
	{ "delete prerouting 1 x", "" },
	/* use [FAMILY] TABLE */
	{ "use ", "ip ip6 inet natsh nat" },
	{ "use ip ", "nat [end]" },	/* "use TABLE" with a table called ip */
	{ "use ip6 ", "| TABLE [end]" },
	/* ANY: each keyword once, in any order */
	{ "wizard ", "masquerade list" },
	{ "wizard masquerade ", "| NAME" },
	{ "wizard masquerade lan ", "from out [end]" },
	{ "wizard masquerade lan from ", "| SUBNET" },
	{ "wizard masquerade lan from 192.0.2.0/24 ", "out [end]" },
	{ "wizard masquerade lan out lo from 192.0.2.0/24 ", "[end]" },
	{ "wizard masquerade lan out l", "lo" },
	/* placeholders for values with no live candidates */
	{ "sysctl ", "| KEY [end]" },
	{ "load ", "| FILE [files]" },
	{ "help ", "show sysctl add delete use wizard load help exit rule [end]" },
	{ "help r", "rule" },
	{ "help de", "delete" },
	/* the forms of the command named before */
	{ "help wizard ", "masquerade list [end]" },
	{ "help wiz m", "masquerade" },
	{ "help exit ", "[end]" },
	/* the rule hook, after the chain */
	{ "add ", "prerouting postrouting mine" },
	{ "add prerouting ", "tcp udp iifname ip" },
	{ "add prerouting i", "iifname ip" },
	{ "add prerouting tcp ", "dport" },
	{ "add prerouting tcp d", "dport" },
	/* only the last command of a line counts */
	{ "show; us", "use" },
	{ "exit; show t", "tables" },
	{ "show \"; \" ; sh", "show" },
	/* quotes */
	{ "show \"na", "natsh nat" },
};

/* The same lines through the real rule grammar (model/rule_parse.c). */
static const struct case_ rule_cases[] = {
	{ "add prerouting tc", "tcp" },
	{ "add prerouting t", "tcp th" },
	{ "add prerouting tcp dp", "dport" },
	{ "add prerouting tcp ", "sport dport" },
	{ "add prerouting i", "iifname ip ip6" },
	{ "add prerouting ip ", "saddr daddr protocol" },
	{ "add prerouting ip6 ", "saddr daddr nexthdr" },
	{ "add prerouting ct ", "state status mark direction" },
	{ "add prerouting m", "meta masquerade" },
	{ "add prerouting meta ", "l4proto mark nfproto random length cpu" },
	{ "add prerouting tcp dport 80 dn", "dnat" },
	{ "add prerouting tcp dport 80 dnat ", "ip ip6 to" },
	{ "add prerouting tcp dport 80 dnat t", "to" },
	{ "add postrouting oifname eth0 masq", "masquerade" },
	{ "add prerouting tcp dport 80 co", "counter comment" },
	{ "add prerouting tcp dport 80 dnat to 192.0.2.1 comment ", "\" | <value>" },
	/* where a value comes, the parser's expectation as a hint */
	{ "add prerouting tcp dport ", "== != < > <= >= vmap . { | <value>" },
	/* (after "to" the machine's own addresses come too: tui/0035 checks those) */
	{ "add prerouting tcp dport 80 dnat to n", "numgen" },
	/* interfaces are the host's: only lo is sure to exist */
	{ "add prerouting iifname <", "< <=" },
	{ "add prerouting iifname lo", "lo" },
	{ "add prerouting iifname \"l", "\"lo\"" },
	{ "add prerouting tcp dport { 80, 443 ", "}" },
	{ "delete prerouting handle ", "4 9" },
};

static struct nsh_ctx ctx_for_tests;

/* The candidates as one line: words, then "| " placeholders, then [end] [files]; frees c. */
static void describe(struct nsh_cands *cp, char *got, size_t len)
{
	struct nsh_cands c = *cp;
	size_t i;

	got[0] = '\0';
	for (i = 0; i < c.n; i++)
		if (!c.v[i].placeholder)
			snprintf(got + strlen(got), len - strlen(got), "%s%s",
				 got[0] ? " " : "", c.v[i].word);
	for (i = 0; i < c.n; i++)
		if (c.v[i].placeholder)
			snprintf(got + strlen(got), len - strlen(got), "%s%s",
				 strchr(got, '|') ? " " : got[0] ? " | " : "| ", c.v[i].word);
	if (c.may_end)
		snprintf(got + strlen(got), len - strlen(got), "%s[end]", got[0] ? " " : "");
	if (c.files)
		snprintf(got + strlen(got), len - strlen(got), "%s[files]", got[0] ? " " : "");
	nsh_cands_free(cp);
}

static void run(const char *line, char *got, size_t len)
{
	struct nsh_cands c;

	nsh_complete(&ctx_for_tests, tab, line, &c);
	describe(&c, got, len);
}

static void test_cases(void **state)
{
	char got[1024];
	size_t i, bad = 0;

	ctx_for_tests.complete_rule = rule_hook;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(cases[i].line, got, sizeof(got));
		if (strcmp(got, cases[i].want)) {
			print_error("\"%s\":\n  got  %s\n  want %s\n", cases[i].line, got,
				    cases[i].want);
			bad++;
		}
	}
	ctx_for_tests.complete_rule = NULL;
	if (bad)
		fail_msg("%zu of %zu cases failed", bad, sizeof(cases) / sizeof(cases[0]));
}

static void test_rule_grammar(void **state)
{
	struct nsh_cands c;
	char got[1024];
	size_t i, bad = 0;

	ctx_for_tests.complete_rule = nsh_complete_rule_nft;
	for (i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
		run(rule_cases[i].line, got, sizeof(got));
		if (strcmp(got, rule_cases[i].want)) {
			print_error("\"%s\":\n  got  %s\n  want %s\n", rule_cases[i].line, got,
				    rule_cases[i].want);
			bad++;
		}
	}
	/* the word being completed starts after '{' or ',' in a set */
	nsh_complete(&ctx_for_tests, tab, "add prerouting tcp dport {80,44", &c);
	assert_int_equal(c.start, strlen("add prerouting tcp dport {80,"));
	nsh_cands_free(&c);
	nsh_complete(&ctx_for_tests, tab, "add prerouting tcp dp", &c);
	assert_int_equal(c.start, strlen("add prerouting tcp "));
	nsh_cands_free(&c);
	ctx_for_tests.complete_rule = NULL;
	if (bad)
		fail_msg("%zu of %zu cases failed", bad, sizeof(rule_cases) / sizeof(rule_cases[0]));
}

static void test_no_hook_placeholder(void **state)
{
	char got[256];

	run("add prerouting ", got, sizeof(got));
	assert_string_equal(got, "| RULE");
}

static void test_help_lines(void **state)
{
	struct nsh_cands c;

	nsh_complete(&ctx_for_tests, tab, "show rule prerouting ", &c);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.v[0].word, "1");
	/* the rule's text (here only its comment: the rule has no statements) */
	assert_non_null(strstr(c.v[0].help, "comment \"web\""));
	assert_int_equal(c.start, strlen("show rule prerouting "));
	nsh_cands_free(&c);

	nsh_complete(&ctx_for_tests, tab, "show natsh pre", &c);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].help, "nat hook prerouting, 2 rules");
	assert_int_equal(c.start, 11);
	nsh_cands_free(&c);

	nsh_complete(&ctx_for_tests, tab, "sh", &c);
	assert_string_equal(c.v[0].help, "show the NAT ruleset");
	assert_int_equal(c.start, 0);
	nsh_cands_free(&c);
}

static void test_no_cache(void **state)
{
	struct nsh_ruleset *rs = ctx_for_tests.cache;
	char got[256];

	ctx_for_tests.cache = NULL;
	run("show ", got, sizeof(got));
	assert_string_equal(got, "tables chains rule ip ip6 inet | TABLE CHAIN [end]");
	run("delete x handle ", got, sizeof(got));
	assert_string_equal(got, "| H");
	ctx_for_tests.cache = rs;

	/* no current table in the ruleset: chains and their rules of any table */
	strcpy(ctx_for_tests.table, "gone");
	run("delete ", got, sizeof(got));
	assert_string_equal(got, "prerouting postrouting mine PREROUTING POSTROUTING");
	run("delete postrouting handle ", got, sizeof(got));
	assert_string_equal(got, "12");
	run("delete POSTROUTING ", got, sizeof(got));
	assert_string_equal(got, "handle | N");
	strcpy(ctx_for_tests.table, "natsh");
}

static void test_dedup(void **state)
{
	struct nsh_cands c = { 0 };
	char w[16];
	int i;

	for (i = 0; i < 1000; i++) {
		snprintf(w, sizeof(w), "w%d", i % 300);
		nsh_cands_add(&c, w, "help", false);
	}
	nsh_cands_add(&c, "w1", NULL, true);	/* a placeholder of the same name is distinct */
	assert_int_equal(c.n, 301);
	assert_string_equal(c.v[299].word, "w299");
	assert_true(c.v[300].placeholder);
	nsh_cands_free(&c);
	nsh_cands_free(NULL);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* 50,000 rules in one chain: listing handles stays fast (no quadratic work). */
static void test_many_rules(void **state)
{
	struct nsh_chain *c = &ctx_for_tests.cache->tables[0].chains[2];	/* "mine" */
	struct nsh_cands cands;
	struct timespec t0;
	size_t i, n = 50000;
	double ms;

	c->rules = calloc(n, sizeof(*c->rules));
	c->nrules = n;
	for (i = 0; i < n; i++) {
		c->rules[i].handle = 100 + i;
		c->rules[i].position = (uint32_t)i + 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nsh_complete(&ctx_for_tests, tab, "delete mine handle ", &cands);
	ms = ms_since(&t0);
	assert_int_equal(cands.n, n);
	nsh_cands_free(&cands);
	print_message("all 50000 handles: %.1f ms\n", ms);
	assert_true(ms < 2000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nsh_complete(&ctx_for_tests, tab, "delete mine handle 4999", &cands);
	ms = ms_since(&t0);
	assert_int_equal(cands.n, 11);	/* 4999 and 49990..49999 */
	nsh_cands_free(&cands);
	print_message("handles 4999*: %.1f ms\n", ms);
	assert_true(ms < 200);
}

/* Values the system or the kernel names, in a table of their own. */
static const struct nsh_cmd t_fwd = {
	.name = "fwd", .summary = "forward a port",
	.args = NSH_VAL("PORT", NSH_VK_PORT, "a port"), .exec = nop_exec,
};
static const struct nsh_cmd t_wremove = {
	.name = "wremove", .summary = "remove a wizard",
	.args = NSH_VAL("NAME", NSH_VK_WIZARD, "a wizard"), .exec = nop_exec,
};
static const struct nsh_cmd t_knob = {
	.name = "knob", .summary = "a sysctl",
	.args = NSH_VAL("KEY", NSH_VK_SYSCTL, "a key"), .exec = nop_exec,
};
static const struct nsh_cmd t_out = {
	.name = "out", .summary = "an interface",
	.args = NSH_VAL("IFACE", NSH_VK_IFACE, "an interface"), .exec = nop_exec,
};
/* The shape of `wizard forward`: keyword-led alternatives beside a bare value. */
static const struct nsh_cmd t_wfwd = {
	.name = "wfwd", .summary = "forward like the wizard",
	.args = NSH_SEQ(NSH_VAL("NAME", NSH_VK_WIZARD_NEW, "a name"),
			NSH_VAL("PORT", NSH_VK_NUMBER, "a port"),
			NSH_OPT(NSH_REPEAT(NSH_ALT(
				NSH_SEQ(NSH_WORD("to", "the backends"),
					NSH_VAL("BACKEND", NSH_VK_ADDR_PORT, "a backend")),
				NSH_SEQ(NSH_WORD("wan", "the WAN side"),
					NSH_VAL("WAN", NSH_VK_IFACE, "an interface")),
				NSH_VAL("BACKEND", NSH_VK_ADDR_PORT, "another backend"))))),
	.exec = nop_exec,
};
static const struct nsh_cmd *const tab2[] = { &t_fwd, &t_wremove, &t_knob, &t_out, &t_add, &t_wfwd,
					      NULL };

/* The help of candidate word in c, or NULL when it is not offered. */
static const char *cand_help(const struct nsh_cands *c, const char *word)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].word, word))
			return c->v[i].help ? c->v[i].help : "";
	return NULL;
}

/* Service names where a rule takes a port, port numbers where only numbers go, protocols. */
static void test_services_protocols(void **state)
{
	struct nsh_cands c;
	const char *h;

	ctx_for_tests.complete_rule = nsh_complete_rule_nft;
	nsh_complete(&ctx_for_tests, tab2, "add prerouting tcp dport htt", &c);
	h = cand_help(&c, "http");
	assert_non_null(h);
	assert_string_equal(h, "port 80/tcp");
	assert_non_null(cand_help(&c, "https"));
	assert_null(cand_help(&c, "ssh"));
	nsh_cands_free(&c);

	nsh_complete(&ctx_for_tests, tab2, "add prerouting udp dport != 44", &c);
	h = cand_help(&c, "443");
	assert_non_null(h);
	assert_non_null(strstr(h, "https"));
	nsh_cands_free(&c);

	nsh_complete(&ctx_for_tests, tab2, "add prerouting meta l4proto ic", &c);
	assert_non_null(cand_help(&c, "icmp"));
	assert_non_null(cand_help(&c, "icmpv6"));	/* from /etc/protocols */
	nsh_cands_free(&c);
	nsh_complete(&ctx_for_tests, tab2, "add prerouting ip protocol g", &c);
	assert_non_null(cand_help(&c, "gre"));
	nsh_cands_free(&c);

	/* the wizards take numbers: numbers, with the service as help */
	nsh_complete(&ctx_for_tests, tab2, "fwd 2", &c);
	h = cand_help(&c, "22");
	assert_non_null(h);
	assert_non_null(strstr(h, "ssh"));
	assert_null(cand_help(&c, "ssh"));
	nsh_cands_free(&c);
	nsh_complete(&ctx_for_tests, tab2, "fwd s", &c);
	assert_null(cand_help(&c, "ssh"));
	nsh_cands_free(&c);
	/* nothing typed yet: the PORT placeholder, not hundreds of services */
	nsh_complete(&ctx_for_tests, tab2, "fwd ", &c);
	assert_int_equal(c.n, 1);
	assert_true(c.v[0].placeholder);
	nsh_cands_free(&c);
	ctx_for_tests.complete_rule = NULL;
}

/* Wizard names from the rules' tags, sysctl keys, interfaces. */
static void test_names(void **state)
{
	struct nsh_chain *c = &ctx_for_tests.cache->tables[0].chains[1];	/* postrouting */
	char *old = c->rules[0].comment;
	struct nsh_cands cands;

	c->rules[0].comment = nsh_wiz_tag("lan", "masquerade");
	nsh_complete(&ctx_for_tests, tab2, "wremove ", &cands);
	assert_non_null(cand_help(&cands, "lan"));
	assert_int_equal(cands.n, 1);
	nsh_cands_free(&cands);
	/* a wizard's NAME: the existing groups (re-running replaces one) and room for a new one */
	nsh_complete(&ctx_for_tests, tab2, "wfwd ", &cands);
	assert_non_null(cand_help(&cands, "lan"));
	assert_non_null(cand_help(&cands, "NAME"));
	assert_int_equal(cands.n, 2);
	nsh_cands_free(&cands);
	nsh_complete(&ctx_for_tests, tab2, "wfwd l", &cands);
	assert_non_null(cand_help(&cands, "lan"));
	nsh_cands_free(&cands);
	free(c->rules[0].comment);
	c->rules[0].comment = old;

	nsh_complete(&ctx_for_tests, tab2, "knob net.ipv4.ip_for", &cands);
	assert_non_null(cand_help(&cands, "net.ipv4.ip_forward"));
	nsh_cands_free(&cands);
	nsh_complete(&ctx_for_tests, tab2, "knob net.ipv4.conf.lo.route_", &cands);
	assert_non_null(cand_help(&cands, "net.ipv4.conf.lo.route_localnet"));
	nsh_cands_free(&cands);

	nsh_complete(&ctx_for_tests, tab2, "out l", &cands);
	assert_non_null(cand_help(&cands, "lo"));
	nsh_cands_free(&cands);
}

/* A bare value does not take a keyword its own alternatives start with. */
static void test_keyword_not_value(void **state)
{
	static const struct { const char *line, *want; } kcases[] = {
		/* after `to` only the backend: `to` is not a backend, the line cannot end */
		{ "wfwd web 8080 to ", "| BACKEND" },
		{ "wfwd web 8080 wan l", "lo" },
		/* after a backend: more of everything, and the line may end */
		{ "wfwd web 8080 to 192.0.2.5 ", "to wan | BACKEND [end]" },
		{ "wfwd web 8080 to 192.0.2.5 192.0.2.6 ", "to wan | BACKEND [end]" },
		{ "wfwd web 8080 ", "to wan | BACKEND [end]" },
		/* quoted, the word is a value */
		{ "wfwd web 8080 \"to\" ", "to wan | BACKEND [end]" },
	};
	/* parsing agrees: a dangling `to` is a missing backend, not a backend called to */
	static const char *const bad_lines[] = { "wfwd web 8080 to", "wfwd web 8080 192.0.2.5 to" };
	struct nsh_cands c;
	struct nsh_toks toks;
	struct nsh_args args;
	struct nsh_err err = { 0 };
	const struct nsh_cmd *cmd;
	char got[1024];
	size_t i, bad = 0;

	for (i = 0; i < sizeof(kcases) / sizeof(kcases[0]); i++) {
		nsh_complete(&ctx_for_tests, tab2, kcases[i].line, &c);
		describe(&c, got, sizeof(got));
		if (strcmp(got, kcases[i].want)) {
			print_error("\"%s\":\n  got  %s\n  want %s\n", kcases[i].line, got, kcases[i].want);
			bad++;
		}
	}
	if (bad)
		fail_msg("%zu cases failed", bad);
	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		assert_int_equal(nsh_lex(bad_lines[i], false, &toks, &err), 0);
		assert_true(nsh_parse(tab2, &toks, &cmd, &args, &err) < 0);
		assert_non_null(strstr(err.msg, "BACKEND"));
		nsh_err_clear(&err);
		nsh_toks_free(&toks);
	}
	assert_int_equal(nsh_lex("wfwd web 8080 to 192.0.2.5 \"to\"", false, &toks, &err), 0);
	assert_int_equal(nsh_parse(tab2, &toks, &cmd, &args, &err), 0);
	assert_string_equal(nsh_args_nth(&args, "BACKEND", 1)->s, "to");
	nsh_toks_free(&toks);
}

/*
 * Tables and chains only (what the first Tab reads, no rules): chains are
 * offered without rule counts; positions wait for a kernel to read them.
 */
static void test_chains_only(void **state)
{
	struct nsh_ruleset *rs = ctx_for_tests.cache;
	char got[256];

	rs->no_rules = true;
	run("show rule ", got, sizeof(got));
	assert_string_equal(got, "prerouting postrouting mine [end]");
	{
		struct nsh_cands c;

		nsh_complete(&ctx_for_tests, tab, "show rule pre", &c);
		assert_string_equal(cand_help(&c, "prerouting"), "nat hook prerouting");
		nsh_cands_free(&c);
	}
	run("delete prerouting handle ", got, sizeof(got));
	assert_string_equal(got, "| H");
	rs->no_rules = false;
	run("delete prerouting handle ", got, sizeof(got));
	assert_string_equal(got, "4 9");
}

static int setup(void **state)
{
	/* as nsh_ctx_init leaves it (not called: it would link netlink in) */
	memset(&ctx_for_tests, 0, sizeof(ctx_for_tests));
	ctx_for_tests.family = NSH_FAM_INET;
	strcpy(ctx_for_tests.table, "natsh");
	ctx_for_tests.cache = build_ruleset();
	return 0;
}

static int teardown(void **state)
{
	nsh_ruleset_free(ctx_for_tests.cache);
	ctx_for_tests.cache = NULL;
	return 0;
}

/* iptables lines: options and values from the translator's option table (model/ipt_opts.c). */
static const struct nsh_cmd t_ipt = {
	.name = "iptables", .summary = "an iptables line",
	.args = NSH_VAL("OPTIONS", NSH_VK_REST, "iptables options"), .exec = nop_exec,
};
static const struct nsh_cmd t_translate = {
	.name = "translate", .summary = "translate a line",
	.args = NSH_VAL("IPTABLES-LINE", NSH_VK_REST, "an iptables line"), .exec = nop_exec,
};
static const struct nsh_cmd *const tab_ipt[] = { &t_ipt, &t_translate, NULL };

static void test_iptables(void **state)
{
	static const struct { const char *line, *want; } ipt_cases[] = {
		{ "iptables -t ", "nat" },
		{ "iptables -t nat -A P", "PREROUTING POSTROUTING" },
		{ "iptables -t nat -I ", "PREROUTING OUTPUT POSTROUTING INPUT mine" },	/* mine: a regular chain */
		{ "iptables -t nat -A PREROUTING -p ", "tcp udp icmp" },
		{ "iptables -t nat -A PREROUTING -p tcp --d", "--dport" },
		{ "iptables -t nat -A PREROUTING --d", "" },
		{ "iptables -t nat -A PREROUTING -m ", "tcp udp multiport addrtype statistic comment conntrack state mark connmark iprange" },
		{ "iptables -t nat -A PREROUTING -m statistic --", "--mode --probability --every --packet" },
		{ "iptables -t nat -A PREROUTING -m statistic --mode ", "random nth" },
		{ "iptables -t nat -A POSTROUTING -m addrtype --src-type L", "LOCAL" },
		{ "iptables -t nat -A PREROUTING -m conntrack --ctstate D", "DNAT" },
		{ "iptables -t nat -A PREROUTING -m conntrack --ctstatus A", "ASSURED" },
		{ "iptables -t nat -A PREROUTING -m conntrack --ctdir ", "ORIGINAL REPLY" },
		{ "iptables -t nat -A PREROUTING -m connmark --m", "--mark" },
		{ "iptables -t nat -A PREROUTING -m iprange --", "--src-range --dst-range" },
		{ "iptables -t nat -A PREROUTING -j ", "DNAT SNAT MASQUERADE REDIRECT ACCEPT RETURN" },
		{ "iptables -t nat -A POSTROUTING -j MASQUERADE --", "--to-ports --random --random-fully" },
		{ "iptables -t nat -A PREROUTING -p tcp -j DNAT --to-d", "--to-destination" },
		{ "iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination ", "| TO" },
		{ "iptables -t nat -A PREROUTING -s ", "| ADDR" },
		{ "iptables -t nat -A PREROUTING -m comment --comment ", "| TEXT" },
		{ "translate ", "iptables ip6tables" },
		{ "translate iptables -t nat -A PO", "POSTROUTING" },
		{ "translate ip6tables -t nat -A POSTROUTING -j M", "MASQUERADE" },
	};
	struct nsh_cands c;
	char got[1024];
	size_t i, j, bad = 0;

	for (i = 0; i < sizeof(ipt_cases) / sizeof(ipt_cases[0]); i++) {
		nsh_complete(&ctx_for_tests, tab_ipt, ipt_cases[i].line, &c);
		got[0] = '\0';
		for (j = 0; j < c.n; j++)
			if (!c.v[j].placeholder)
				snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
					 got[0] ? " " : "", c.v[j].word);
		for (j = 0; j < c.n; j++)
			if (c.v[j].placeholder)
				snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
					 got[0] ? " | " : "| ", c.v[j].word);
		nsh_cands_free(&c);
		if (strcmp(got, ipt_cases[i].want)) {
			print_error("\"%s\":\n  got  %s\n  want %s\n", ipt_cases[i].line, got, ipt_cases[i].want);
			bad++;
		}
	}
	if (bad)
		fail_msg("%zu iptables cases failed", bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_rule_grammar),
		cmocka_unit_test(test_iptables),
		cmocka_unit_test(test_no_hook_placeholder),
		cmocka_unit_test(test_help_lines),
		cmocka_unit_test(test_no_cache),
		cmocka_unit_test(test_dedup),
		cmocka_unit_test(test_many_rules),
		cmocka_unit_test(test_services_protocols),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_keyword_not_value),
		cmocka_unit_test(test_chains_only),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `iptables -t nat -A|-I|-D|-R|-F ...` and `ip6tables ...`: iptables NAT
 * lines translated (model/ipt.c) into natsh's model and staged like `add`,
 * `insert`, `replace`, `delete` and `flush` in the current table.
 */
#include <stdlib.h>
#include <string.h>

#include "cmds/edit.h"
#include "cmds/ipt_cmd.h"
#include "model/syntax/rule_parse.h"
#include "model/txn/txn.h"

/* See ipt_cmd.h. */
int nsh_ipt_cmd_parse(struct nsh_ctx *ctx, const struct nsh_args *args, size_t first,
		      bool ip6, struct nsh_ipt *c, struct nsh_ipt_word **words)
{
	struct nsh_err err = { 0 };
	size_t n = args->ntoks - first, i;
	struct nsh_ipt_word *w = calloc(n ? n : 1, sizeof(*w));

	*words = w;
	if (!w)
		return NSH_FAIL;
	for (i = 0; i < n; i++) {
		w[i].s = args->toks[first + i].s;
		w[i].off = args->toks[first + i].off;
		w[i].len = args->toks[first + i].len;
	}
	w[0].s = ip6 ? "ip6tables" : "iptables";
	if (nsh_ipt_parse(w, n, ctx->family, c, &err) < 0) {
		nsh_error_span(ctx, err.off, err.len, "%s", err.msg);
		return NSH_FAIL;
	}
	return NSH_OK;
}

/* In natsh's own table PREROUTING is prerouting; other tables keep the name. */
const char *nsh_ipt_cmd_chain(const struct nsh_ctx *ctx, const struct nsh_ipt *c)
{
	if (ctx->family == NSH_OWN_FAMILY && strcmp(ctx->table, NSH_OWN_TABLE) == 0)
		return nsh_ipt_chain_name(c->chain);
	return c->chain;
}

/* nsh_ipt_rule_same() for nsh_txn_find(). */
static bool same_cb(const struct nsh_rule *r, const void *arg)
{
	return nsh_ipt_rule_same(r, arg);
}

/*
 * -D CHAIN RULE: the first rule of the chain that says the same, as the
 * chain will be once what is staged applies (a rule added earlier in the
 * same batch or begin counts; one deleted there does not): *pos.
 */
static int find_rule(struct nsh_ctx *ctx, struct nsh_edit *ed, const struct nsh_target *t,
		     const struct nsh_rule *r, const struct nsh_ipt *c, uint32_t *pos)
{
	struct nsh_txn_err e;

	if (nsh_txn_find(ed->txn, t->family, t->table, t->chain, same_cb, r, pos, &e) < 0) {
		nsh_edit_report_target(ctx, &e, t, NULL);
		return NSH_FAIL;
	}
	if (*pos)
		return NSH_OK;
	nsh_error_at(ctx, t->chain_tok, "no rule of %s says \"%s\" (iptables: Bad rule, does a "
		     "matching rule exist in that chain?)", t->chain, c->nft.s);
	return NSH_FAIL;
}

/* The parsed rule, checked for the chain's hook; NSH_FAIL after reporting. */
static int build_rule(struct nsh_ctx *ctx, struct nsh_edit *ed, const struct nsh_target *t,
		      const struct nsh_ipt *c, bool need_chain, struct nsh_rule *r)
{
	struct nsh_err err = { 0 };
	uint32_t hooknum = NSH_HOOK_ANY;

	if (need_chain && nsh_edit_target_check(ctx, ed, t, t->chain_tok, &hooknum) != NSH_OK)
		return NSH_FAIL;
	if (nsh_ipt_rule(c, t->family, r, &err) < 0) {
		nsh_error_span(ctx, err.off, err.len, "%s", err.msg);
		return NSH_FAIL;
	}
	if (nsh_rule_check_hook(r, t->family, hooknum, 0, &err) < 0) {
		const struct nsh_ipt_word *w = &c->words[nsh_ipt_word_at(c, err.off)];

		nsh_rule_clear(r);
		nsh_error_span(ctx, w->off, w->len, "%s", err.msg);
		return NSH_FAIL;
	}
	return NSH_OK;
}

/* -F without a chain: every chain of the table (nothing when it does not exist). */
static int flush_all(struct nsh_ctx *ctx, struct nsh_edit *ed, struct nsh_target *t,
		     const struct nsh_txn_loc *loc)
{
	const struct nsh_table *tb;
	struct nsh_txn_err e;
	size_t i;

	if (nsh_ctx_refresh(ctx) != NSH_OK)
		return NSH_FAIL;
	tb = nsh_ruleset_find_table(ctx->cache, t->family, t->table);
	for (i = 0; tb && i < tb->nchains; i++) {
		t->chain = tb->chains[i].name;
		if (nsh_txn_flush(ed->txn, t->family, t->table, t->chain, loc, &e) < 0) {
			nsh_edit_report_target(ctx, &e, t, NULL);
			return NSH_FAIL;
		}
	}
	return NSH_OK;
}

/* Stage what the line says, then commit as the other editing commands do. */
static int run(struct nsh_ctx *ctx, const struct nsh_args *args, bool ip6)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	struct nsh_txn_loc loc = nsh_edit_cmd_loc(ctx, args);
	struct nsh_ipt_word *words = NULL;
	struct nsh_rule r = { 0 };
	struct nsh_ipt c;
	struct nsh_target t = { .family = ctx->family, .table = ctx->table };
	struct nsh_txn_err e;
	const struct nsh_tok *numtok;
	uint32_t pos;
	int rc = NSH_FAIL;

	if (nsh_ipt_cmd_parse(ctx, args, 0, ip6, &c, &words) != NSH_OK) {
		free(words);
		return NSH_FAIL;
	}
	numtok = c.pos ? &args->toks[c.pos_word] : &args->toks[c.op_word];
	if (c.chain) {
		t.chain = nsh_ipt_cmd_chain(ctx, &c);
		t.chain_tok = &args->toks[c.chain_word];
	}
	switch (c.op) {
	case NSH_IPT_APPEND:
	case NSH_IPT_INSERT:
	case NSH_IPT_REPLACE:
		if (build_rule(ctx, ed, &t, &c, true, &r) != NSH_OK)
			goto out;
		if (nsh_txn_put(ed->txn, t.family, t.table, t.chain,
				c.op == NSH_IPT_APPEND ? NSH_TXN_APPEND :
				c.op == NSH_IPT_INSERT ? NSH_TXN_INSERT : NSH_TXN_REPLACE,
				c.pos, &r, &loc, &e) < 0) {
			nsh_edit_report_target(ctx, &e, &t, numtok);
			goto out;
		}
		break;
	case NSH_IPT_DELETE:
		pos = c.pos;
		if (!pos) {
			if (build_rule(ctx, ed, &t, &c, false, &r) != NSH_OK ||
			    find_rule(ctx, ed, &t, &r, &c, &pos) != NSH_OK)
				goto out;
		}
		if (nsh_txn_del(ed->txn, t.family, t.table, t.chain, pos, 0, &loc, &e) < 0) {
			nsh_edit_report_target(ctx, &e, &t, numtok);
			goto out;
		}
		break;
	case NSH_IPT_FLUSH:
		if (!c.chain) {
			if (flush_all(ctx, ed, &t, &loc) != NSH_OK)
				goto out;
		} else if (nsh_txn_flush(ed->txn, t.family, t.table, t.chain, &loc, &e) < 0) {
			nsh_edit_report_target(ctx, &e, &t, NULL);
			goto out;
		}
		break;
	}
	rc = nsh_edit_done(ctx, ed);
out:
	nsh_rule_clear(&r);
	nsh_ipt_clear(&c);
	free(words);
	return rc;
}

/* `iptables ...`: IPv4 rules. */
static int iptables_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	return run(ctx, args, false);
}

/* `ip6tables ...`: IPv6 rules. */
static int ip6tables_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	return run(ctx, args, true);
}

static const char *const iptables_examples[] = {
	"iptables -t nat -A POSTROUTING -s 192.0.2.0/24 -o eth0 -j MASQUERADE",
	"iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 192.0.2.10:80",
	"iptables -t nat -A POSTROUTING -m addrtype --src-type LOCAL -o eth1 -j MASQUERADE",
	"iptables -t nat -D PREROUTING 1",
	NULL
};

static const char *const ip6tables_examples[] = {
	"ip6tables -t nat -A POSTROUTING -s 2001:db8::/64 -o eth0 -j MASQUERADE",
	"ip6tables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination [2001:db8::10]:8080",
	NULL
};

const struct nsh_cmd nsh_cmd_iptables = {
	.name = "iptables",
	.group = NSH_GRP_EDITING,
	.summary = "run an iptables NAT command, translated to native rules",
	.args = NSH_VAL("OPTIONS", NSH_VK_REST,
			"iptables options: -t nat -A|-I|-D|-R|-F CHAIN ... -j TARGET"),
	.description =
		"Runs an iptables NAT command line, translated into native nf_tables expressions\n"
		"in the current table (natsh's own inet natsh unless `use` says otherwise;\n"
		"PREROUTING, OUTPUT, POSTROUTING and INPUT become its chains prerouting, output,\n"
		"postrouting and input).  Commands: -A CHAIN, -I CHAIN [N], -R CHAIN N, -D CHAIN N,\n"
		"-D CHAIN RULE (deletes the first rule that says the same), -F [CHAIN].\n"
		"Matches: -s -d -i -o -p (each with !), --sport/--dport (PORT or FIRST:LAST, -m\n"
		"tcp/udp), -m multiport --sports/--dports, -m addrtype --src-type/--dst-type (fib),\n"
		"-m statistic --mode random --probability P (meta random), -m comment --comment,\n"
		"-m conntrack --ctstate.  Targets: SNAT --to-source, DNAT --to-destination,\n"
		"MASQUERADE [--to-ports], REDIRECT [--to-ports], ACCEPT, RETURN, a chain; flags\n"
		"--random, --random-fully, --persistent.  Anything else is an error naming the\n"
		"option; nothing is dropped silently.  In inet tables a rule without an address\n"
		"match gets `meta nfproto ipv4`, so that it keeps iptables' meaning.  `translate`\n"
		"shows the translation without applying it.",
	.examples = iptables_examples,
	.exec = iptables_exec,
};

const struct nsh_cmd nsh_cmd_ip6tables = {
	.name = "ip6tables",
	.group = NSH_GRP_EDITING,
	.summary = "run an ip6tables NAT command, translated to native rules",
	.args = NSH_VAL("OPTIONS", NSH_VK_REST,
			"ip6tables options: -t nat -A|-I|-D|-R|-F CHAIN ... -j TARGET"),
	.description =
		"The IPv6 twin of `iptables` (see `help iptables`): addresses are IPv6\n"
		"(--to-destination [ADDR]:PORT), protocols match with meta l4proto, and rules\n"
		"without an address match get `meta nfproto ipv6` in inet tables.",
	.examples = ip6tables_examples,
	.exec = ip6tables_exec,
};

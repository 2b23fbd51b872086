/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `show`: the NAT chains with, per rule, position, handle, counters, the
 * rule as nft writes it and its comment; `show tables`, `show chains`,
 * `show rule CHAIN N`.  Here: which family, table and chain the arguments
 * select; render/show.c lays them out (streaming, 16 KiB at a time).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/cmd.h"
#include "cmds/edit.h"
#include "cmds/flows.h"
#include "lib/buf.h"
#include "lib/distance.h"
#include "lib/util.h"
#include "model/hooks.h"
#include "model/model.h"
#include "model/nl/legacy.h"
#include "model/nl/nl.h"
#include "render/hooks.h"
#include "render/show.h"

/* What one show invocation selected, and its renderer. */
struct show {
	struct nsh_ctx *ctx;
	struct nsh_show r;
	int family;			/* NSH_FAM_UNSPEC: any */
	const char *table;		/* NULL: any */
	const char *chain;		/* NULL: any */
	size_t staged;			/* rules shown as staged (inside begin) */
};

/*
 * Inside `begin`, a chain the staged changes touch is shown as it will be:
 * its live rules that stay and, marked, the staged ones (rules shared, not
 * copied: *tmp holds only the array).  Returns the chain to show: c itself
 * outside begin or when nothing staged touches it; NULL after reporting.
 */
static const struct nsh_chain *staged_chain(struct show *s, const struct nsh_table *t,
					    const struct nsh_chain *c, struct nsh_chain *tmp)
{
	struct nsh_edit *ed = s->ctx->edit ? nsh_edit_get(s->ctx) : NULL;
	struct nsh_view_ent *v;
	struct nsh_txn_err e;
	size_t n, i, j;
	int r;

	if (!ed || !ed->begun || !nsh_txn_nops(ed->txn))
		return c;
	r = nsh_txn_view(ed->txn, t->family, t->name, c->name, &v, &n, &e);
	if (r < 0) {
		nsh_error(s->ctx, "%s", e.msg);
		return NULL;
	}
	if (r == 0)
		return c;
	*tmp = *c;
	tmp->rules = nsh_xcalloc(n ? n : 1, sizeof(*tmp->rules));
	tmp->nrules = n;
	for (i = 0; i < n; i++) {
		struct nsh_rule *x = &tmp->rules[i];

		if (v[i].rule) {
			*x = *v[i].rule;
			x->staged = true;
			x->handle = 0;
			x->has_counter = false;
		} else {
			/* the live rule with that handle (both in chain order: look on from j) */
			for (j = 0; j < c->nrules && c->rules[j].handle != v[i].handle; j++)
				;
			if (j < c->nrules)
				*x = c->rules[j];
			else
				x->handle = v[i].handle;	/* gone since the read */
		}
		x->position = (uint32_t)(i + 1);
	}
	s->staged += n;
	free(v);
	return tmp;
}

/* Whether a table passes the FAMILY/TABLE filter of this show. */
static bool table_selected(const struct show *s, const struct nsh_table *t)
{
	return (s->family == NSH_FAM_UNSPEC || t->family == s->family) &&
	       (!s->table || strcmp(t->name, s->table) == 0);
}

/* `show [FAMILY] [TABLE] [CHAIN]`: the selected chains, text or one JSON document. */
static void show_rules(struct show *s, const struct nsh_ruleset *rs)
{
	/* one conntrack dump for the whole listing; NULL: no flows column */
	struct nsh_flows *flows = nsh_ctx_flows(s->ctx, rs, NULL, NULL);
	bool any = false;
	size_t i, j;

	s->r.flows = flows;
	nsh_show_begin(&s->r, rs);
	for (i = 0; i < rs->ntables; i++) {
		const struct nsh_table *t = &rs->tables[i];

		if (!table_selected(s, t))
			continue;
		nsh_show_table_begin(&s->r, t);
		for (j = 0; j < t->nchains; j++) {
			const struct nsh_chain *c = &t->chains[j];

			const struct nsh_chain *shown;
			struct nsh_chain tmp;

			if (s->chain && strcmp(c->name, s->chain) != 0)
				continue;
			any = true;
			if (!(shown = staged_chain(s, t, c, &tmp)))
				continue;
			s->r.ti = i;
			s->r.ci = j;
			if (shown != c) {	/* staged: positions are not the live rules' */
				const struct nsh_flows *f = s->r.flows;

				s->r.flows = NULL;
				nsh_show_chain(&s->r, t, shown);
				s->r.flows = f;
				free(tmp.rules);
			} else {
				nsh_show_chain(&s->r, t, shown);
			}
		}
		nsh_show_table_end(&s->r);
	}
	nsh_show_end(&s->r, any);
	nsh_flows_free(flows);
	s->r.flows = NULL;
	if (s->staged)
		nsh_out_ctext(s->ctx->out, NSH_C_WARN, "inside begin: this is the staged ruleset; "
			      "rules marked + are not committed, rules staged for deletion are "
			      "left out (diff lists the changes)\n");
}

/*
 * The chain CHAIN of `show rule`: in the current table when it exists there,
 * else the only NAT chain of that name.
 */
static int find_chain(struct show *s, const struct nsh_ruleset *rs, const struct nsh_tok *tok,
		      const struct nsh_table **pt, const struct nsh_chain **pc)
{
	const struct nsh_table *cur = nsh_ruleset_find_table(rs, s->ctx->family, s->ctx->table);
	size_t i, n = 0;
	struct nsh_buf where;

	if (cur && (*pc = nsh_table_find_chain(cur, tok->s))) {
		*pt = cur;
		return NSH_OK;
	}
	nsh_buf_init(&where);
	for (i = 0; i < rs->ntables; i++) {
		const struct nsh_chain *c = nsh_table_find_chain(&rs->tables[i], tok->s);

		if (!c)
			continue;
		nsh_buf_printf(&where, "%s%s %s", n ? ", " : "",
			       nsh_family_name(rs->tables[i].family), rs->tables[i].name);
		*pt = &rs->tables[i];
		*pc = c;
		n++;
	}
	if (n == 1) {
		nsh_buf_free(&where);
		return NSH_OK;
	}
	if (n == 0)
		nsh_error_at(s->ctx, tok, "unknown chain \"%s\" (no NAT table has it)", tok->s);
	else
		nsh_error_at(s->ctx, tok, "chain \"%s\" is in several tables (%s): "
			     "say which with `use TABLE` or `show TABLE %s`", tok->s, where.s,
			     tok->s);
	nsh_buf_free(&where);
	return NSH_FAIL;
}

/* `show rule CHAIN N`: one rule, with the chain header in text mode. */
static int show_one_rule(struct show *s, const struct nsh_ruleset *rs, const struct nsh_args *a)
{
	const struct nsh_tok *ct = nsh_args_get(a, "CHAIN"), *nt = nsh_args_get(a, "N");
	const struct nsh_table *t;
	const struct nsh_chain *c;
	struct nsh_flows *flows;
	unsigned long n;

	if (find_chain(s, rs, ct, &t, &c) != NSH_OK)
		return NSH_FAIL;
	n = strtoul(nt->s, NULL, 10);
	if (n < 1 || n > c->nrules) {
		if (c->nrules)
			nsh_error_at(s->ctx, nt, "chain %s has no rule %s (positions are 1 to %zu)",
				     c->name, nt->s, c->nrules);
		else
			nsh_error_at(s->ctx, nt, "chain %s has no rule %s (it is empty)",
				     c->name, nt->s);
		return NSH_FAIL;
	}
	flows = nsh_ctx_flows(s->ctx, rs, NULL, NULL);
	s->r.flows = flows;
	s->r.ti = (size_t)(t - rs->tables);
	s->r.ci = (size_t)(c - t->chains);
	nsh_show_rule(&s->r, t, c, n - 1);
	nsh_flows_free(flows);
	s->r.flows = NULL;
	return NSH_OK;
}

/*
 * [FAMILY] [TABLE] [CHAIN]: a lone word that names no table but names a
 * chain (of the current table, or of exactly one table) shows that chain.
 */
/*
 * A chain word of `show` that names no chain exactly: a unique prefix of
 * one (of the current table's chains first, else of the tables that pass
 * the filter) stands for it.  Returns the chain's name, or NULL after
 * reporting (ambiguous: the candidates; unknown: the nearest name).
 */
static const char *expand_chain(struct show *s, const struct nsh_ruleset *rs,
				const struct nsh_tok *tok, const char *where)
{
	const struct nsh_table *cur = nsh_ruleset_find_table(rs, s->ctx->family, s->ctx->table);
	const char *names[256], *hit = NULL, *near;
	size_t i, j, k, n = 0, nhit = 0, len = strlen(tok->s);
	struct nsh_buf b;
	int pass;

	for (pass = 0; pass < 2 && !nhit; pass++) {
		for (i = 0; i < rs->ntables; i++) {
			const struct nsh_table *t = &rs->tables[i];

			if (pass == 0 ? t != cur || (s->table && strcmp(t->name, s->table)) :
					!table_selected(s, t))
				continue;
			for (j = 0; j < t->nchains; j++) {
				const char *cn = t->chains[j].name;

				for (k = 0; k < n && strcmp(names[k], cn); k++)
					;
				if (k < n || n == NSH_ARRAY_SIZE(names))
					continue;	/* named once, whatever the tables */
				names[n++] = cn;
				if (!strncmp(cn, tok->s, len)) {
					hit = cn;
					nhit++;
				}
			}
		}
		if (pass == 0 && !nhit)
			n = 0;		/* candidates of every table, then */
	}
	if (nhit == 1)
		return hit;
	nsh_buf_init(&b);
	if (nhit > 1) {
		for (k = 0; k < n; k++)
			if (!strncmp(names[k], tok->s, len))
				nsh_buf_printf(&b, "%s%s", b.len ? ", " : "", names[k]);
		nsh_error_at(s->ctx, tok, "ambiguous chain \"%s\", could be: %s", tok->s, b.s);
	} else if ((near = nsh_nearest_word(tok->s, names, n))) {
		nsh_error_at(s->ctx, tok, "unknown %s \"%s\"%s%s; did you mean \"%s\"?",
			     where ? "chain" : "table or chain", tok->s, where ? " in table " : "",
			     where ? where : "", near);
	} else if (where) {
		nsh_error_at(s->ctx, tok, "unknown chain \"%s\" in table %s", tok->s, where);
	} else {
		nsh_error_at(s->ctx, tok, "unknown table or chain \"%s\" (no NAT table or chain "
			     "of that name)", tok->s);
	}
	nsh_buf_free(&b);
	return NULL;
}

static int resolve(struct show *s, const struct nsh_ruleset *rs, const struct nsh_args *a)
{
	const struct nsh_tok *ft = nsh_args_get(a, "FAMILY");
	const struct nsh_tok *tt = nsh_args_get(a, "TABLE");
	const struct nsh_tok *cht = nsh_args_get(a, "CHAIN");
	const struct nsh_table *t = NULL;
	const struct nsh_chain *c;
	size_t i;

	if (ft)
		s->family = nsh_family_parse(ft->s);
	if (!tt)
		return NSH_OK;
	for (i = 0; i < rs->ntables && !t; i++)
		if (table_selected(&(struct show){ .family = s->family, .table = tt->s },
				   &rs->tables[i]))
			t = &rs->tables[i];
	if (!t && !cht && !ft) {
		bool any = false;

		struct nsh_tok full;

		for (i = 0; i < rs->ntables; i++)
			any |= nsh_table_find_chain(&rs->tables[i], tt->s) != NULL;
		full = *tt;
		if (!any && !(full.s = (char *)expand_chain(s, rs, tt, NULL)))
			return NSH_FAIL;
		if (find_chain(s, rs, &full, &t, &c) != NSH_OK)
			return NSH_FAIL;
		s->family = t->family;
		s->table = t->name;
		s->chain = c->name;
		return NSH_OK;
	}
	if (!t) {
		nsh_error_at(s->ctx, tt, "unknown table \"%s%s%s\" (no NAT table of that name)",
			     ft ? ft->s : "", ft ? " " : "", tt->s);
		return NSH_FAIL;
	}
	s->table = tt->s;
	if (!cht)
		return NSH_OK;
	for (i = 0; i < rs->ntables; i++)
		if (table_selected(s, &rs->tables[i]) &&
		    nsh_table_find_chain(&rs->tables[i], cht->s))
			break;
	s->chain = cht->s;
	if (i == rs->ntables && !(s->chain = expand_chain(s, rs, cht, tt->s)))
		return NSH_FAIL;
	return NSH_OK;
}

/* Both would apply: iptables-legacy NAT rules natsh cannot show, beside nf_tables. */
static void warn_legacy(struct nsh_ctx *ctx)
{
	static const int fams[] = { NSH_FAM_IP, NSH_FAM_IP6 };
	size_t i;

	for (i = 0; i < 2; i++) {
		long n = nsh_legacy_nat_rules(fams[i]);
		const char *tool = fams[i] == NSH_FAM_IP ? "iptables-legacy" : "ip6tables-legacy";

		if (n > 0)
			nsh_warn(ctx, "%s has NAT rules here too (%ld entries beyond its built-in "
				 "chains): they apply beside nf_tables and are not shown; see `%s -t "
				 "nat -S`", tool, n, tool);
		else if (n < 0)
			nsh_warn(ctx, "%s has a nat table here (cannot read it: %s): its rules "
				 "apply beside nf_tables; see `%s -t nat -S`", tool, strerror(errno),
				 tool);
	}
}

/*
 * `show hooks`: every base chain of every ip, ip6 and inet table (not only
 * NAT tables) in the order packets meet them, and iptables-legacy's nat
 * tables, which sit on the same hooks unseen by nft.
 */
static int show_hooks(struct nsh_ctx *ctx)
{
	static const int fams[] = { NSH_FAM_IP, NSH_FAM_IP6 };
	struct nsh_hooks_legacy legacy[2];
	struct nsh_ruleset *rs;
	struct nsh_hook_ent *v;
	size_t i, j, n;

	if (nsh_ctx_refresh(ctx) != NSH_OK)
		return NSH_FAIL;
	if (!(rs = nsh_ruleset_dump_hooks(ctx->nl))) {
		nsh_error(ctx, "cannot read the ruleset: %s", nsh_ctx_strerror(errno));
		return NSH_FAIL;
	}
	/* iptables-nft's NAT tables are known by their xt rules too (the NAT dump read them) */
	for (i = 0; i < rs->ntables; i++) {
		const struct nsh_table *t = nsh_ruleset_find_table(ctx->cache, rs->tables[i].family,
								   rs->tables[i].name);

		rs->tables[i].has_xt = t && t->has_xt;
	}
	for (i = 0; i < 2; i++) {
		legacy[i].loaded = nsh_legacy_nat_loaded(fams[i]);
		legacy[i].rules = legacy[i].loaded ? nsh_legacy_nat_rules(fams[i]) : 0;
	}
	n = nsh_hooks_order(rs, &v);
	nsh_hooks_render(ctx->out, v, n, legacy);
	for (i = 0; i < 2; i++) {
		const char *tool = fams[i] == NSH_FAM_IP ? "iptables-legacy" : "ip6tables-legacy";

		if (!legacy[i].loaded)
			continue;
		j = legacy[i].rules > 0 ? (size_t)legacy[i].rules : 0;
		if (legacy[i].rules < 0)
			nsh_warn(ctx, "%s has a nat table here (cannot read it): it runs on the NAT "
				 "hooks beside nf_tables, unseen by nft; see `%s -t nat -S`", tool, tool);
		else
			nsh_warn(ctx, "%s has a nat table here (%zu rule%s): it runs on the NAT hooks "
				 "beside nf_tables, unseen by nft; see `%s -t nat -S`", tool, j,
				 j == 1 ? "" : "s", tool);
	}
	free(v);
	nsh_ruleset_free(rs);
	return NSH_OK;
}

/* Re-read the ruleset (counters move) and show what the arguments select. */
static int show_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct show s;
	int ret = NSH_OK;

	if (nsh_args_has(args, "hooks"))
		return show_hooks(ctx);
	if (nsh_ctx_refresh(ctx) != NSH_OK)
		return NSH_FAIL;
	memset(&s, 0, sizeof(s));
	s.ctx = ctx;
	nsh_show_init(&s.r, ctx->out);
	if (nsh_args_has(args, "tables"))
		nsh_show_tables(&s.r, ctx->cache);
	else if (nsh_args_has(args, "chains"))
		nsh_show_chains(&s.r, ctx->cache);
	else if (nsh_args_has(args, "rule"))
		ret = show_one_rule(&s, ctx->cache, args);
	else if ((ret = resolve(&s, ctx->cache, args)) == NSH_OK)
		show_rules(&s, ctx->cache);
	if (!nsh_args_has(args, "rule"))
		warn_legacy(ctx);
	nsh_show_clear(&s.r);
	return ret;
}

static const char *const show_examples[] = {
	"show", "show inet natsh", "show ip nat prerouting", "show prerouting",
	"show tables", "show chains", "show hooks", "show rule prerouting 2", "natsh -j show",
	NULL
};

const struct nsh_cmd nsh_cmd_show = {
	.name = "show",
	.group = NSH_GRP_READING,
	.summary = "show the NAT rules with positions, handles, counters and comments",
	.args = NSH_OPT(NSH_ALT(
		NSH_WORD("tables", "list the NAT tables (tables with a chain of type nat)"),
		NSH_WORD("chains", "list the chains of the NAT tables"),
		NSH_WORD("hooks", "every base chain on each hook (nft, iptables-nft, natsh) in "
			 "priority order"),
		NSH_SEQ(NSH_WORD("rule", "one rule of a chain"),
			NSH_VAL("CHAIN", NSH_VK_CHAIN, "chain of the current table (or the only one of that name)"),
			NSH_VAL("N", NSH_VK_POSITION, "rule position, 1 is the first")),
		NSH_SEQ(NSH_OPT(NSH_VAL("FAMILY", NSH_VK_FAMILY, "ip, ip6 or inet")),
			NSH_OPT(NSH_VAL("TABLE", NSH_VK_TABLE, "a NAT table (or a chain name)")),
			NSH_OPT(NSH_VAL("CHAIN", NSH_VK_CHAIN, "a chain of that table"))))),
	.description =
		"Shows every table that has a chain of type nat (ip, ip6 and inet), chain by\n"
		"chain: a header with family, table, chain, hook, priority and policy, then one\n"
		"line per rule with its position (1..n), handle, packets and bytes (\"-\" when\n"
		"the rule has no counter), flows (the live conntrack entries the rule made;\n"
		"see natsh(1), FLOWS PER RULE), the rule exactly as `nft list ruleset` writes it,\n"
		"and its comment.  With -j, each rule also carries \"nft\": the text nft prints,\n"
		"counter values and comment included.\n"
		"`show hooks` lists every base chain of every ip, ip6 and inet table (filter\n"
		"and route chains too) per IP version and hook in the order packets meet them:\n"
		"priority (number and nft's name: raw, mangle, dstnat, filter, security,\n"
		"srcnat), type, table, chain, policy and who wrote the table (nft, iptables-nft,\n"
		"natsh), and warns when iptables-legacy's nat table is loaded too.",
	.examples = show_examples,
	.needs_nl = true,
	.exec = show_exec,
};

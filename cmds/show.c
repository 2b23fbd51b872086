/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `show`: the NAT chains with, per rule, position, handle, counters, the
 * rule as nft writes it and its comment; `show tables`, `show chains`,
 * `show rule CHAIN N`.  Text is rendered into a few scratch buffers reused
 * for every rule and printed in 16 KiB pieces (50,000 rules must not mean
 * 50,000 allocations, nor a buffer as big as the listing).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <linux/netfilter.h>

#include "cmds/cmd.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "model/model.h"
#include "model/nl/legacy.h"
#include "render/out.h"
#include "model/syntax/rule_text.h"

/* What one show invocation selected, and its reusable buffers. */
struct show {
	struct nsh_ctx *ctx;
	struct nsh_out *o;
	int family;			/* NSH_FAM_UNSPEC: any */
	const char *table;		/* NULL: any */
	const char *chain;		/* NULL: any */
	struct nsh_buf text, nft, line;	/* scratch, reused per rule */
};

/* A base chain policy as nft names it. */
static const char *policy_name(uint32_t p)
{
	return p == NF_DROP ? "drop" : "accept";
}

/* The header line of a chain: family, table, chain, hook, priority, policy. */
static void chain_header(struct show *s, const struct nsh_table *t, const struct nsh_chain *c)
{
	struct nsh_buf *b = &s->line;

	nsh_buf_reset(b);
	if (c->base) {
		nsh_buf_printf(b, "type %s hook %s priority ", c->type ? c->type : "?",
			       nsh_hook_name(c->hooknum));
		nsh_prio_render(t->family, c->hooknum, c->prio, b);
		nsh_buf_printf(b, " policy %s", policy_name(c->policy));
	}
	nsh_out_ctext(s->o, NSH_C_HEADER, "table ");
	nsh_out_ctext(s->o, NSH_C_TABLE, "%s %s", nsh_family_name(t->family), t->name);
	nsh_out_ctext(s->o, NSH_C_HEADER, " chain ");
	nsh_out_ctext(s->o, NSH_C_CHAIN, "%s", c->name);
	if (c->base)
		nsh_out_ctext(s->o, NSH_C_DIM, "  (%s)", b->s);
	if (t->has_xt)
		nsh_out_ctext(s->o, NSH_C_DIM, "  [written by iptables-nft: delete only]");
	nsh_out_text(s->o, "\n");
}

/* Width of a number in decimal, for column alignment. */
static size_t digits(uint64_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* Append n spaces. */
static void pad(struct nsh_buf *b, size_t n)
{
	static const char sp[] = "                                ";
	size_t k;

	for (; n; n -= k) {
		k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;
		nsh_buf_putn_fast(b, sp, k);
	}
}

/* Two spaces, then s right-aligned in w columns (no printf: once per cell). */
static void put_cell(struct nsh_buf *b, const char *s, size_t n, size_t w)
{
	pad(b, 2 + (w > n ? w - n : 0));
	nsh_buf_putn_fast(b, s, n);
}

/* A number as a right-aligned cell. */
static void put_num_cell(struct nsh_buf *b, uint64_t v, size_t w)
{
	char tmp[20], *p = nsh_u64_dec(v, tmp);

	put_cell(b, p, (size_t)(tmp + 20 - p), w);
}

/* The larger of two sizes. */
static size_t max_sz(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* A rule's counters in human units, "-" when it has none. */
static void human_counters(const struct nsh_rule *r, char pk[16], char by[16])
{
	if (r->has_counter) {
		nsh_human(r->packets, pk);
		nsh_human(r->bytes, by);
	} else {
		strcpy(pk, "-");
		strcpy(by, "-");
	}
}

/*
 * One chain as aligned columns: # handle packets bytes rule comment.  A
 * first pass takes the column widths, the second renders each rule straight
 * into the output buffer, printed every 16 KiB: memory does not grow with
 * the chain.  Rule texts are measured (rendered twice) only when a comment
 * column has to be aligned after them.
 */
static void chain_text(struct show *s, const struct nsh_table *t, const struct nsh_chain *c,
		       size_t first, size_t last)
{
	size_t wp = 1, wh = 6, wk = 7, wb = 5, wr = 4, i, at;
	bool comments = false, color = nsh_out_color(s->o);
	struct nsh_buf *out = &s->line;
	char pk[16], by[16];

	chain_header(s, t, c);
	if (first >= last) {
		nsh_out_ctext(s->o, NSH_C_DIM, "  (no rules)\n\n");
		return;
	}
	for (i = first; i < last; i++) {
		const struct nsh_rule *r = &c->rules[i];

		human_counters(r, pk, by);
		wp = max_sz(wp, digits(r->position));
		wh = max_sz(wh, digits(r->handle));
		wk = max_sz(wk, strlen(pk));
		wb = max_sz(wb, strlen(by));
		comments |= r->comment != NULL;
	}
	for (i = first; comments && i < last; i++) {
		nsh_buf_reset(&s->text);
		nsh_rule_render(t, &c->rules[i], 0, &s->text);
		wr = max_sz(wr, s->text.len);
	}
	nsh_buf_reset(out);
	nsh_buf_printf(out, "  %*s  %*s  %*s  %*s  rule", (int)wp, "#", (int)wh, "handle",
		       (int)wk, "packets", (int)wb, "bytes");
	if (comments) {
		pad(out, wr - 4 + 2);
		nsh_buf_puts(out, "comment");
	}
	nsh_out_ctext(s->o, NSH_C_HEADER, "%s", out->s);
	nsh_out_text(s->o, "\n");
	nsh_buf_reset(out);
	for (i = first; i < last; i++) {
		const struct nsh_rule *r = &c->rules[i];

		human_counters(r, pk, by);
		if (color) {
			nsh_buf_reset(&s->text);
			nsh_rule_render(t, r, 0, &s->text);
			nsh_out_ctext(s->o, NSH_C_HANDLE, "  %*" PRIu32 "  %*" PRIu64, (int)wp,
				      r->position, (int)wh, r->handle);
			nsh_out_ctext(s->o, NSH_C_COUNT, "  %*s  %*s  ", (int)wk, pk, (int)wb, by);
			nsh_out_text(s->o, "%s", s->text.s);
			if (r->comment)
				nsh_out_ctext(s->o, NSH_C_COMMENT, "%*s%s",
					      (int)(wr - s->text.len + 2), "", r->comment);
			nsh_out_text(s->o, "\n");
			continue;
		}
		put_num_cell(out, r->position, wp);
		put_num_cell(out, r->handle, wh);
		put_cell(out, pk, strlen(pk), wk);
		put_cell(out, by, strlen(by), wb);
		nsh_buf_putn_fast(out, "  ", 2);
		at = out->len;
		nsh_rule_render(t, r, 0, out);
		if (r->comment) {
			pad(out, wr - (out->len - at) + 2);
			nsh_buf_putn_fast(out, r->comment, strlen(r->comment));
		}
		nsh_buf_putn_fast(out, "\n", 1);
		if (out->len > 16384) {		/* print as we go: bounded memory */
			nsh_out_text(s->o, "%s", out->s);
			nsh_buf_reset(out);
		}
	}
	nsh_buf_putc(out, '\n');
	if (!color)
		nsh_out_text(s->o, "%s", out->s);
	else
		nsh_out_text(s->o, "\n");
}

/* One rule as a JSON object; "nft" is the text nft prints, counters and comment included. */
static void rule_json(struct show *s, const struct nsh_table *t, const struct nsh_rule *r)
{
	struct nsh_out *o = s->o;

	nsh_buf_reset(&s->text);
	nsh_rule_render(t, r, 0, &s->text);
	nsh_buf_reset(&s->nft);
	nsh_rule_render(t, r, NSH_RF_COUNTERS | NSH_RF_COMMENT, &s->nft);
	nsh_out_obj_open(o, NULL);
	nsh_out_uint(o, NSH_C_NONE, "position", NULL, r->position);
	nsh_out_uint(o, NSH_C_NONE, "handle", NULL, r->handle);
	if (r->has_counter) {
		nsh_out_uint(o, NSH_C_NONE, "packets", NULL, r->packets);
		nsh_out_uint(o, NSH_C_NONE, "bytes", NULL, r->bytes);
	} else {
		nsh_out_null(o, "packets", NULL);
		nsh_out_null(o, "bytes", NULL);
	}
	nsh_out_string(o, NSH_C_NONE, "rule", NULL, s->text.s);
	if (r->comment)
		nsh_out_string(o, NSH_C_NONE, "comment", NULL, r->comment);
	else
		nsh_out_null(o, "comment", NULL);
	nsh_out_string(o, NSH_C_NONE, "nft", NULL, s->nft.s);
	nsh_out_bool(o, "opaque", NULL, r->opaque);
	nsh_out_bool(o, "iptables", NULL, r->xt);
	nsh_out_obj_close(o);
}

/* Chain attributes as JSON members (the caller opened the object). */
static void chain_json_attrs(struct show *s, const struct nsh_table *t, const struct nsh_chain *c)
{
	struct nsh_out *o = s->o;

	nsh_out_string(o, NSH_C_NONE, "name", NULL, c->name);
	nsh_out_uint(o, NSH_C_NONE, "handle", NULL, c->handle);
	if (c->base) {
		nsh_out_string(o, NSH_C_NONE, "type", NULL, c->type ? c->type : "");
		nsh_out_string(o, NSH_C_NONE, "hook", NULL, nsh_hook_name(c->hooknum));
		nsh_buf_reset(&s->line);
		nsh_prio_render(t->family, c->hooknum, c->prio, &s->line);
		nsh_out_string(o, NSH_C_NONE, "priority", NULL, s->line.s);
		nsh_out_int(o, NSH_C_NONE, "prio", NULL, c->prio);
		nsh_out_string(o, NSH_C_NONE, "policy", NULL, policy_name(c->policy));
	}
}

/* One chain as a JSON object with its rules. */
static void chain_json(struct show *s, const struct nsh_table *t, const struct nsh_chain *c)
{
	size_t i;

	nsh_out_obj_open(s->o, NULL);
	chain_json_attrs(s, t, c);
	nsh_out_arr_open(s->o, "rules");
	for (i = 0; i < c->nrules; i++)
		rule_json(s, t, &c->rules[i]);
	nsh_out_arr_close(s->o);
	nsh_out_obj_close(s->o);
}

/* Open a table's JSON object with its attributes (the caller closes it). */
static void table_json_open(struct show *s, const struct nsh_table *t)
{
	nsh_out_obj_open(s->o, NULL);
	nsh_out_string(s->o, NSH_C_NONE, "family", NULL, nsh_family_name(t->family));
	nsh_out_string(s->o, NSH_C_NONE, "name", NULL, t->name);
	nsh_out_uint(s->o, NSH_C_NONE, "handle", NULL, t->handle);
	nsh_out_bool(s->o, "iptables", NULL, t->has_xt);
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
	bool json = nsh_out_json(s->o), any = false;
	size_t i, j;

	if (json) {
		nsh_out_obj_open(s->o, NULL);
		nsh_out_uint(s->o, NSH_C_NONE, "genid", NULL, rs->genid);
		nsh_out_arr_open(s->o, "tables");
	}
	for (i = 0; i < rs->ntables; i++) {
		const struct nsh_table *t = &rs->tables[i];

		if (!table_selected(s, t))
			continue;
		if (json) {
			table_json_open(s, t);
			nsh_out_arr_open(s->o, "chains");
		}
		for (j = 0; j < t->nchains; j++) {
			const struct nsh_chain *c = &t->chains[j];

			if (s->chain && strcmp(c->name, s->chain) != 0)
				continue;
			any = true;
			if (json)
				chain_json(s, t, c);
			else
				chain_text(s, t, c, 0, c->nrules);
		}
		if (json) {
			nsh_out_arr_close(s->o);
			nsh_out_obj_close(s->o);
		}
	}
	if (json) {
		nsh_out_arr_close(s->o);
		nsh_out_obj_close(s->o);
	} else if (!any) {
		nsh_out_ctext(s->o, NSH_C_DIM, "no NAT tables (no table has a chain of type nat)\n");
	}
}

/* `show tables`: the NAT tables with their numbers of chains and rules. */
static void show_tables(struct show *s, const struct nsh_ruleset *rs)
{
	static const char *const hdr[] = { "family", "table", "chains", "rules", "" };
	static const bool right[] = { false, false, true, true, false };
	struct nsh_cols *cols = nsh_cols_new(5, hdr, right);
	char nc[24], nr[24];
	size_t i, j, n;

	nsh_out_arr_open(s->o, NULL);
	for (i = 0; i < rs->ntables; i++) {
		const struct nsh_table *t = &rs->tables[i];
		const char *cells[5];

		for (j = n = 0; j < t->nchains; j++)
			n += t->chains[j].nrules;
		nsh_out_obj_open(s->o, NULL);
		nsh_out_string(s->o, NSH_C_NONE, "family", NULL, nsh_family_name(t->family));
		nsh_out_string(s->o, NSH_C_NONE, "name", NULL, t->name);
		nsh_out_uint(s->o, NSH_C_NONE, "handle", NULL, t->handle);
		nsh_out_uint(s->o, NSH_C_NONE, "chains", NULL, t->nchains);
		nsh_out_uint(s->o, NSH_C_NONE, "rules", NULL, n);
		nsh_out_bool(s->o, "iptables", NULL, t->has_xt);
		nsh_out_obj_close(s->o);
		snprintf(nc, sizeof(nc), "%zu", t->nchains);
		snprintf(nr, sizeof(nr), "%zu", n);
		cells[0] = nsh_family_name(t->family);
		cells[1] = t->name;
		cells[2] = nc;
		cells[3] = nr;
		cells[4] = t->has_xt ? "(iptables-nft)" : "";
		nsh_cols_add(cols, cells, NULL);
	}
	nsh_out_arr_close(s->o);
	if (rs->ntables)
		nsh_cols_print(cols, s->o);
	else
		nsh_out_ctext(s->o, NSH_C_DIM, "no NAT tables (no table has a chain of type nat)\n");
	nsh_cols_free(cols);
}

/* `show chains`: every chain of the NAT tables with hook, priority and policy. */
static void show_chains(struct show *s, const struct nsh_ruleset *rs)
{
	static const char *const hdr[] = {
		"family", "table", "chain", "type", "hook", "priority", "policy", "rules"
	};
	static const bool right[] = { false, false, false, false, false, false, false, true };
	struct nsh_cols *cols = nsh_cols_new(8, hdr, right);
	char nr[24];
	size_t i, j;

	nsh_out_arr_open(s->o, NULL);
	for (i = 0; i < rs->ntables; i++) {
		const struct nsh_table *t = &rs->tables[i];

		for (j = 0; j < t->nchains; j++) {
			const struct nsh_chain *c = &t->chains[j];
			const char *cells[8];
			char *prio;

			nsh_out_obj_open(s->o, NULL);
			nsh_out_string(s->o, NSH_C_NONE, "family", NULL, nsh_family_name(t->family));
			nsh_out_string(s->o, NSH_C_NONE, "table", NULL, t->name);
			chain_json_attrs(s, t, c);
			nsh_out_uint(s->o, NSH_C_NONE, "rules", NULL, c->nrules);
			nsh_out_obj_close(s->o);
			nsh_buf_reset(&s->line);
			if (c->base)
				nsh_prio_render(t->family, c->hooknum, c->prio, &s->line);
			prio = nsh_xstrdup(s->line.s);
			snprintf(nr, sizeof(nr), "%zu", c->nrules);
			cells[0] = nsh_family_name(t->family);
			cells[1] = t->name;
			cells[2] = c->name;
			cells[3] = c->base && c->type ? c->type : "-";
			cells[4] = c->base ? nsh_hook_name(c->hooknum) : "-";
			cells[5] = c->base ? prio : "-";
			cells[6] = c->base ? policy_name(c->policy) : "-";
			cells[7] = nr;
			nsh_cols_add(cols, cells, NULL);
			free(prio);
		}
	}
	nsh_out_arr_close(s->o);
	nsh_cols_print(cols, s->o);
	nsh_cols_free(cols);
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
	if (nsh_out_json(s->o)) {
		nsh_out_obj_open(s->o, NULL);
		nsh_out_string(s->o, NSH_C_NONE, "family", NULL, nsh_family_name(t->family));
		nsh_out_string(s->o, NSH_C_NONE, "table", NULL, t->name);
		nsh_out_string(s->o, NSH_C_NONE, "chain", NULL, c->name);
		nsh_out_arr_open(s->o, "rules");
		rule_json(s, t, &c->rules[n - 1]);
		nsh_out_arr_close(s->o);
		nsh_out_obj_close(s->o);
	} else {
		chain_text(s, t, c, n - 1, n);
	}
	return NSH_OK;
}

/*
 * [FAMILY] [TABLE] [CHAIN]: a lone word that names no table but names a
 * chain (of the current table, or of exactly one table) shows that chain.
 */
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

		for (i = 0; i < rs->ntables; i++)
			any |= nsh_table_find_chain(&rs->tables[i], tt->s) != NULL;
		if (!any) {
			nsh_error_at(s->ctx, tt, "unknown table or chain \"%s\" (no NAT table "
				     "or chain of that name)", tt->s);
			return NSH_FAIL;
		}
		if (find_chain(s, rs, tt, &t, &c) != NSH_OK)
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
	if (i == rs->ntables) {
		nsh_error_at(s->ctx, cht, "unknown chain \"%s\" in table %s", cht->s, tt->s);
		return NSH_FAIL;
	}
	s->chain = cht->s;
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

/* Re-read the ruleset (counters move) and show what the arguments select. */
static int show_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct show s;
	int ret = NSH_OK;

	if (nsh_ctx_refresh(ctx) != NSH_OK)
		return NSH_FAIL;
	memset(&s, 0, sizeof(s));
	s.ctx = ctx;
	s.o = ctx->out;
	nsh_buf_init(&s.text);
	nsh_buf_init(&s.nft);
	nsh_buf_init(&s.line);
	if (nsh_args_has(args, "tables"))
		show_tables(&s, ctx->cache);
	else if (nsh_args_has(args, "chains"))
		show_chains(&s, ctx->cache);
	else if (nsh_args_has(args, "rule"))
		ret = show_one_rule(&s, ctx->cache, args);
	else if ((ret = resolve(&s, ctx->cache, args)) == NSH_OK)
		show_rules(&s, ctx->cache);
	if (!nsh_args_has(args, "rule"))
		warn_legacy(ctx);
	nsh_buf_free(&s.text);
	nsh_buf_free(&s.nft);
	nsh_buf_free(&s.line);
	return ret;
}

static const char *const show_examples[] = {
	"show", "show inet natsh", "show ip nat prerouting", "show prerouting",
	"show tables", "show chains", "show rule prerouting 2", "natsh -j show", NULL
};

const struct nsh_cmd nsh_cmd_show = {
	.name = "show",
	.group = NSH_GRP_READING,
	.summary = "show the NAT rules with positions, handles, counters and comments",
	.args = NSH_OPT(NSH_ALT(
		NSH_WORD("tables", "list the NAT tables (tables with a chain of type nat)"),
		NSH_WORD("chains", "list the chains of the NAT tables"),
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
		"the rule has no counter), the rule exactly as `nft list ruleset` writes it,\n"
		"and its comment.  With -j, each rule also carries \"nft\": the text nft prints,\n"
		"counter values and comment included.",
	.examples = show_examples,
	.needs_nl = true,
	.exec = show_exec,
};

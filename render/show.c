/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * show's layout: per chain a header, then one line per rule in aligned
 * columns, or the same as JSON; the table and chain lists.  See
 * render/show.h for the 16 KiB streaming.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>

#include "lib/buf.h"
#include "lib/util.h"
#include "model/syntax/rule_nft.h"
#include "model/syntax/rule_text.h"
#include "render/show.h"

/* Scratch buffers empty, ready for the first rule. */
void nsh_show_init(struct nsh_show *s, struct nsh_out *o)
{
	s->o = o;
	nsh_buf_init(&s->text);
	nsh_buf_init(&s->nft);
	nsh_buf_init(&s->line);
}

/* Free the scratch buffers (the output stays the caller's). */
void nsh_show_clear(struct nsh_show *s)
{
	nsh_buf_free(&s->text);
	nsh_buf_free(&s->nft);
	nsh_buf_free(&s->line);
}

/* A base chain policy as nft names it. */
static const char *policy_name(uint32_t p)
{
	return p == NF_DROP ? "drop" : "accept";
}

/* The header line of a chain: family, table, chain, hook, priority, policy. */
static void chain_header(struct nsh_show *s, const struct nsh_table *t,
			 const struct nsh_chain *c)
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

/* A rule's flows cell: the count, "-" for a rule that translates nothing, "?" unknown. */
static const char *flow_cell(int64_t v, char buf[24])
{
	if (v == NSH_FLOWS_NOT_NAT)
		return strcpy(buf, "-");
	if (v < 0)
		return strcpy(buf, "?");
	snprintf(buf, 24, "%lld", (long long)v);
	return buf;
}

/*
 * One chain as aligned columns: # handle packets bytes rule comment.  A
 * first pass takes the column widths, the second renders each rule straight
 * into the output buffer, printed every 16 KiB: memory does not grow with
 * the chain.  Rule texts are measured (rendered twice) only when a comment
 * column has to be aligned after them.
 */
static void chain_text(struct nsh_show *s, const struct nsh_table *t, const struct nsh_chain *c,
		       size_t first, size_t last)
{
	size_t wp = 1, wh = 6, wk = 7, wb = 5, wf = 5, wr = 4, i, at;
	bool comments = false, color = nsh_out_color(s->o);
	const int64_t *fl = nsh_flows_chain(s->flows, s->ti, s->ci);
	struct nsh_buf *out = &s->line;
	char pk[16], by[16], fw[24];

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
		if (fl)
			wf = max_sz(wf, strlen(flow_cell(fl[i], fw)));
		comments |= r->comment != NULL;
	}
	for (i = first; comments && i < last; i++) {
		nsh_buf_reset(&s->text);
		nsh_rule_render(t, &c->rules[i], NSH_RF_MARK, &s->text);
		wr = max_sz(wr, s->text.len);
	}
	nsh_buf_reset(out);
	nsh_buf_printf(out, "  %*s  %*s  %*s  %*s", (int)wp, "#", (int)wh, "handle",
		       (int)wk, "packets", (int)wb, "bytes");
	if (fl)
		nsh_buf_printf(out, "  %*s", (int)wf, "flows");
	nsh_buf_puts(out, "  rule");
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
			if (r->staged)	/* inside begin: no handle until the commit */
				nsh_out_ctext(s->o, NSH_C_WARN, "  %*" PRIu32 "  %*s", (int)wp,
					      r->position, (int)wh, "+");
			else
				nsh_out_ctext(s->o, NSH_C_HANDLE, "  %*" PRIu32 "  %*" PRIu64,
					      (int)wp, r->position, (int)wh, r->handle);
			nsh_out_ctext(s->o, NSH_C_COUNT, "  %*s  %*s  ", (int)wk, pk, (int)wb, by);
			if (fl)
				nsh_out_ctext(s->o, NSH_C_COUNT, "%*s  ", (int)wf,
					      flow_cell(fl[i], fw));
			nsh_out_text(s->o, "%s", s->text.s);
			if (r->opaque) {	/* the mark in the warning colour */
				nsh_out_ctext(s->o, NSH_C_WARN, "  %s", nsh_rule_mark_text(r));
				nsh_buf_reset(&s->text);
				nsh_rule_render(t, r, NSH_RF_MARK, &s->text);
			}
			if (r->comment)
				nsh_out_ctext(s->o, NSH_C_COMMENT, "%*s%s",
					      (int)(wr - s->text.len + 2), "", r->comment);
			nsh_out_text(s->o, "\n");
			continue;
		}
		put_num_cell(out, r->position, wp);
		if (r->staged)
			put_cell(out, "+", 1, wh);
		else
			put_num_cell(out, r->handle, wh);
		put_cell(out, pk, strlen(pk), wk);
		put_cell(out, by, strlen(by), wb);
		if (fl) {
			flow_cell(fl[i], fw);
			put_cell(out, fw, strlen(fw), wf);
		}
		nsh_buf_putn_fast(out, "  ", 2);
		at = out->len;
		nsh_rule_render(t, r, NSH_RF_MARK, out);
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

/*
 * One rule as a JSON object; "nft" is the text nft prints, counters and
 * comment included.  A rule natsh does not understand has "opaque": true,
 * its "nft" and "rule" are nft's own (null and natsh's raw text when nft's
 * could not be read), "raw" is natsh's expression dump.
 */
static void rule_json(struct nsh_show *s, const struct nsh_table *t, const struct nsh_rule *r,
		      size_t i)
{
	const int64_t *fl = nsh_flows_chain(s->flows, s->ti, s->ci);
	struct nsh_out *o = s->o;

	nsh_buf_reset(&s->text);
	nsh_rule_render(t, r, 0, &s->text);
	nsh_buf_reset(&s->nft);
	nsh_rule_render(t, r, NSH_RF_COUNTERS | NSH_RF_COMMENT, &s->nft);
	nsh_out_obj_open(o, NULL);
	nsh_out_uint(o, NSH_C_NONE, "position", NULL, r->position);
	if (r->staged)
		nsh_out_null(o, "handle", NULL);
	else
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
	if (r->opaque && !r->nft_text)
		nsh_out_null(o, "nft", NULL);
	else
		nsh_out_string(o, NSH_C_NONE, "nft", NULL, s->nft.s);
	nsh_out_bool(o, "opaque", NULL, r->opaque);
	if (r->opaque) {
		nsh_buf_reset(&s->nft);
		nsh_rule_render(t, r, NSH_RF_RAW, &s->nft);
		nsh_out_string(o, NSH_C_NONE, "raw", NULL, s->nft.s);
	}
	nsh_out_bool(o, "iptables", NULL, r->xt);
	nsh_out_bool(o, "staged", NULL, r->staged);
	if (fl && fl[i] >= 0) {
		nsh_out_uint(o, NSH_C_NONE, "flows", NULL, (uint64_t)fl[i]);
	} else if (fl && fl[i] == NSH_FLOWS_UNKNOWN) {
		const char *why = nsh_flows_why(s->flows, s->ti, s->ci, i);

		nsh_out_null(o, "flows", NULL);
		nsh_out_string(o, NSH_C_NONE, "flows_unknown", NULL, why ? why : "?");
	} else {
		nsh_out_null(o, "flows", NULL);
	}
	nsh_out_obj_close(o);
}

/* Chain attributes as JSON members (the caller opened the object). */
static void chain_json_attrs(struct nsh_show *s, const struct nsh_table *t,
			     const struct nsh_chain *c)
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
static void chain_json(struct nsh_show *s, const struct nsh_table *t,
		       const struct nsh_chain *c)
{
	size_t i;

	nsh_out_obj_open(s->o, NULL);
	chain_json_attrs(s, t, c);
	nsh_out_arr_open(s->o, "rules");
	for (i = 0; i < c->nrules; i++)
		rule_json(s, t, &c->rules[i], i);
	nsh_out_arr_close(s->o);
	nsh_out_obj_close(s->o);
}

/* Open a table's JSON object with its attributes (the caller closes it). */
static void table_json_open(struct nsh_show *s, const struct nsh_table *t)
{
	nsh_out_obj_open(s->o, NULL);
	nsh_out_string(s->o, NSH_C_NONE, "family", NULL, nsh_family_name(t->family));
	nsh_out_string(s->o, NSH_C_NONE, "name", NULL, t->name);
	nsh_out_uint(s->o, NSH_C_NONE, "handle", NULL, t->handle);
	nsh_out_bool(s->o, "iptables", NULL, t->has_xt);
}

/* See render/show.h: JSON opens the document with the generation id. */
void nsh_show_begin(struct nsh_show *s, const struct nsh_ruleset *rs)
{
	if (!nsh_out_json(s->o))
		return;
	nsh_out_obj_open(s->o, NULL);
	nsh_out_uint(s->o, NSH_C_NONE, "genid", NULL, rs->genid);
	nsh_out_arr_open(s->o, "tables");
}

/* See render/show.h: text has no table line, each chain header names its table. */
void nsh_show_table_begin(struct nsh_show *s, const struct nsh_table *t)
{
	if (!nsh_out_json(s->o))
		return;
	table_json_open(s, t);
	nsh_out_arr_open(s->o, "chains");
}

/* See render/show.h. */
void nsh_show_chain(struct nsh_show *s, const struct nsh_table *t, const struct nsh_chain *c)
{
	if (nsh_out_json(s->o))
		chain_json(s, t, c);
	else
		chain_text(s, t, c, 0, c->nrules);
}

/* See render/show.h. */
void nsh_show_table_end(struct nsh_show *s)
{
	if (!nsh_out_json(s->o))
		return;
	nsh_out_arr_close(s->o);
	nsh_out_obj_close(s->o);
}

/* See render/show.h. */
void nsh_show_end(struct nsh_show *s, bool any)
{
	if (nsh_out_json(s->o)) {
		nsh_out_arr_close(s->o);
		nsh_out_obj_close(s->o);
	} else if (!any) {
		nsh_out_ctext(s->o, NSH_C_DIM, "no NAT tables (no table has a chain of type nat)\n");
	}
}

/* See render/show.h. */
void nsh_show_rule(struct nsh_show *s, const struct nsh_table *t, const struct nsh_chain *c,
		   size_t i)
{
	if (nsh_out_json(s->o)) {
		nsh_out_obj_open(s->o, NULL);
		nsh_out_string(s->o, NSH_C_NONE, "family", NULL, nsh_family_name(t->family));
		nsh_out_string(s->o, NSH_C_NONE, "table", NULL, t->name);
		nsh_out_string(s->o, NSH_C_NONE, "chain", NULL, c->name);
		nsh_out_arr_open(s->o, "rules");
		rule_json(s, t, &c->rules[i], i);
		nsh_out_arr_close(s->o);
		nsh_out_obj_close(s->o);
	} else {
		chain_text(s, t, c, i, i + 1);
	}
}

/* See render/show.h. */
void nsh_show_tables(struct nsh_show *s, const struct nsh_ruleset *rs)
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

/* See render/show.h. */
void nsh_show_chains(struct nsh_show *s, const struct nsh_ruleset *rs)
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

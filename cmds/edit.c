/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the editing and transaction commands: staging, places, commit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/edit.h"
#include "lib/distance.h"
#include "lib/util.h"
#include "model/txn/confirm.h"
#include "model/nl/batch.h"
#include "model/nl/nl.h"
#include "model/nft/from_nftnl.h"
#include "model/nft/to_nftnl.h"
#include "model/syntax/rule_parse.h"
#include "render/out.h"

/* See edit.h: the prompt and the batch end follow ctx->txn. */
void nsh_edit_sync(struct nsh_ctx *ctx, struct nsh_edit *ed)
{
	ctx->txn = (ctx->batch || ed->begun) ? ed : NULL;
	ctx->txn_end = nsh_edit_txn_end;
}

/* Created on first use; lines are copied unless a batch keeps them. */
struct nsh_edit *nsh_edit_get(struct nsh_ctx *ctx)
{
	struct nsh_edit *ed = ctx->edit;

	if (!ed) {
		ed = nsh_xcalloc(1, sizeof(*ed));
		ed->txn = nsh_txn_new(!ctx->batch, true);
		ctx->edit = ed;
	}
	nsh_txn_set_lines(ed->txn, !ctx->batch);
	/* a single interactive command reads afresh (a failed one may have read) */
	if (!ed->begun && !ctx->batch && !nsh_txn_pending(ed->txn))
		nsh_txn_abort(ed->txn);
	nsh_edit_sync(ctx, ed);
	return ed;
}

/* NULL-safe; staged changes are dropped. */
void nsh_edit_fini(struct nsh_ctx *ctx)
{
	struct nsh_edit *ed = ctx->edit;

	if (!ed)
		return;
	nsh_edit_after_run(ctx, ed, false);
	nsh_txn_free(ed->txn);
	nsh_sysctl_snap_clear(ed->sys_base);
	free(ed->sys_base);
	free(ed);
	ctx->edit = NULL;
	ctx->txn = NULL;
}

void nsh_edit_after_commit(struct nsh_edit *ed, void (*fn)(struct nsh_ctx *ctx, void *arg,
							      bool applied), void *arg)
{
	ed->after = nsh_xrealloc(ed->after, (ed->nafter + 1) * sizeof(*ed->after));
	ed->after[ed->nafter].fn = fn;
	ed->after[ed->nafter++].arg = arg;
}

void nsh_edit_after_run(struct nsh_ctx *ctx, struct nsh_edit *ed, bool applied)
{
	struct nsh_edit_after *v = ed->after;
	size_t i, n = ed->nafter;

	ed->after = NULL;
	ed->nafter = 0;
	for (i = 0; i < n; i++)
		v[i].fn(ctx, v[i].arg, applied);
	free(v);
}

/* The current command's place, for errors reported later. */
struct nsh_txn_loc nsh_edit_loc(const struct nsh_ctx *ctx, size_t off, size_t len)
{
	struct nsh_txn_loc l = {
		.name = ctx->src.name, .lineno = ctx->src.lineno, .line = ctx->src.line,
		.base = ctx->src.base, .off = off, .len = len,
	};
	return l;
}

/* From the first token to the end of the last. */
struct nsh_txn_loc nsh_edit_cmd_loc(const struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *first = &args->toks[0], *last = &args->toks[args->ntoks - 1];

	return nsh_edit_loc(ctx, first->off, last->off + last->len - first->off);
}

/* At the staged command's line (SOURCE:LINE:COL), else under the fallback token. */
void nsh_edit_report(struct nsh_ctx *ctx, const struct nsh_txn_err *e,
		     const struct nsh_tok *fallback)
{
	struct nsh_src saved = ctx->src;

	if (e->loc.line) {
		ctx->src.name = e->loc.name;
		ctx->src.lineno = e->loc.lineno;
		ctx->src.line = e->loc.line;
		ctx->src.base = e->loc.base;
		nsh_error_span(ctx, e->loc.off, e->loc.len, "%s", e->msg);
		ctx->src = saved;
	} else if (fallback) {
		nsh_error_at(ctx, fallback, "%s", e->msg);
	} else {
		nsh_error(ctx, "%s", e->msg);
	}
}

/* Underline the table, the chain or the number the error is about. */
/*
 * A chain that does not exist: name the one meant, when the table has a
 * chain the word is a prefix of (only one) or a near spelling of.
 */
static void suggest_chain(struct nsh_ctx *ctx, const struct nsh_target *t,
			  struct nsh_txn_err *e)
{
	const char *names[256], *hit = NULL;
	struct nsh_ruleset *rs;
	struct nsh_table *tb;
	size_t i, n = 0, nhit = 0, len = strlen(t->chain);

	bool quiet = ctx->quiet;
	unsigned nerr = ctx->nerrors;
	int r;

	ctx->quiet = true;	/* a hint: no error of its own */
	r = nsh_ctx_open_nl(ctx);
	ctx->quiet = quiet;
	ctx->nerrors = nerr;
	if (r != NSH_OK || !(rs = nsh_ruleset_dump_chains(ctx->nl)))
		return;
	if ((tb = nsh_ruleset_find_table(rs, t->family, t->table))) {
		for (i = 0; i < tb->nchains && n < NSH_ARRAY_SIZE(names); i++) {
			names[n++] = tb->chains[i].name;
			if (!strncmp(tb->chains[i].name, t->chain, len)) {
				hit = tb->chains[i].name;
				nhit++;
			}
		}
		if (nhit != 1)
			hit = nsh_nearest_word(t->chain, names, n);
		if (hit)
			snprintf(e->msg + strlen(e->msg), sizeof(e->msg) - strlen(e->msg),
				 "; did you mean \"%s\"?", hit);
	}
	nsh_ruleset_free(rs);
}

void nsh_edit_report_target(struct nsh_ctx *ctx, const struct nsh_txn_err *e,
			    const struct nsh_target *t, const struct nsh_tok *num)
{
	struct nsh_txn_err c = *e;
	const struct nsh_tok *tok = NULL;

	switch (e->what) {
	case NSH_TE_TABLE:
		tok = t->table_tok;
		break;
	case NSH_TE_CHAIN:
		tok = t->chain_tok;
		if (e->err == ENOENT && t->chain)
			suggest_chain(ctx, t, &c);
		break;
	case NSH_TE_RULE:
		tok = num;
		break;
	case NSH_TE_OTHER:
		break;
	}
	if (tok || !c.loc.line) {
		c.loc.line = NULL;
		nsh_edit_report(ctx, &c, tok ? tok : t->chain_tok);
	} else {
		nsh_edit_report(ctx, &c, NULL);
	}
}

/* The sysctls a commit wrote after applying (wizards in begin or a batch) that changed. */
static void report_written(struct nsh_ctx *ctx, struct nsh_edit *ed)
{
	const struct nsh_txn_sysctl *v;
	size_t i, n = nsh_txn_written(ed->txn, &v);

	for (i = 0; i < n; i++)
		if (v[i].old && strcmp(v[i].old, v[i].val))
			nsh_out_text(ctx->out, "%s turned %s (it was %s)\n", v[i].key,
				     !strcmp(v[i].val, "1") ? "on" : v[i].val, v[i].old);
}

/* Every error of the commit is reported, each at its command. */
int nsh_edit_commit_at(struct nsh_ctx *ctx, struct nsh_edit *ed, bool check, bool retry,
		       bool record, const struct nsh_tok *tok)
{
	struct nsh_txn_err *errs = NULL;
	size_t n = 0, i;
	int r;

	if (!check && nsh_txn_pending(ed->txn)) {
		struct nsh_confirm c;

		if (nsh_confirm_pending(&c) == 1)
			nsh_warn(ctx, "a commit confirmed is pending (timer pid %d): if it rolls "
				 "back, it reverts that commit only and this change stays; "
				 "`confirm` first to keep both", (int)c.pid);
	}
	r = nsh_txn_commit(ed->txn, check, retry, record, &errs, &n);
	for (i = 0; i < n; i++)
		nsh_edit_report(ctx, &errs[i], tok);
	free(errs);
	report_written(ctx, ed);
	if (r < 0 && !n)
		nsh_error(ctx, "the changes were not applied");
	nsh_edit_after_run(ctx, ed, r >= 0 && !check);
	return r < 0 ? NSH_FAIL : NSH_OK;
}

/* nsh_edit_commit_at() without a fallback token. */
int nsh_edit_commit(struct nsh_ctx *ctx, struct nsh_edit *ed, bool check, bool retry,
		    bool record)
{
	return nsh_edit_commit_at(ctx, ed, check, retry, record, NULL);
}

/* Called once by the batch runner: commit, check or drop, then free in a batch. */
int nsh_edit_txn_end(struct nsh_ctx *ctx, bool commit)
{
	struct nsh_edit *ed = ctx->edit;
	int rc = NSH_OK;

	if (!ed)
		return NSH_OK;
	if (nsh_txn_pending(ed->txn)) {
		/* sysctls alone (no rule change) are written plainly: nothing to roll back */
		if (commit && ctx->confirm_secs && nsh_txn_nops(ed->txn))
			rc = nsh_edit_commit_confirmed(ctx, ed, ctx->confirm_secs, NULL);
		else if (commit)
			rc = nsh_edit_commit(ctx, ed, false, true, ctx->interactive);
		else if (ctx->check && !ctx->nerrors) {
			size_t n = nsh_txn_nops(ed->txn);

			rc = nsh_edit_commit(ctx, ed, true, true, false);
			if (rc == NSH_OK && !nsh_out_json(ctx->out))
				nsh_out_text(ctx->out, "valid: the kernel accepts %s; nothing was "
					     "applied (--check)\n", n == 1 ? "the change" : "the changes");
		}
		else
			nsh_txn_abort(ed->txn);
	}
	nsh_edit_after_run(ctx, ed, false);
	ed->begun = false;
	ctx->txn = NULL;
	if (!ctx->interactive)
		nsh_edit_fini(ctx);
	return rc;
}

/* Outside begin and batches a change is applied at once (retried once). */
int nsh_edit_done(struct nsh_ctx *ctx, struct nsh_edit *ed)
{
	if (ed->begun || ctx->batch)
		return NSH_OK;
	return nsh_edit_commit(ctx, ed, ctx->check, true, true);
}

/* Long forms name the table (family ip by default, as nft); short ones use the current. */
int nsh_target_get(struct nsh_ctx *ctx, const struct nsh_args *args, struct nsh_target *t)
{
	const struct nsh_tok *fam = nsh_args_get(args, "FAMILY");

	memset(t, 0, sizeof(*t));
	t->table_tok = nsh_args_get(args, "TABLE");
	t->chain_tok = nsh_args_get(args, "CHAIN");
	t->chain = t->chain_tok ? t->chain_tok->s : NULL;
	if (t->table_tok) {
		t->table = t->table_tok->s;
		t->family = NSH_FAM_IP;	/* nft's default family */
		if (fam) {
			t->family = nsh_family_parse(fam->s);
			if (t->family < 0) {
				nsh_error_at(ctx, fam, "unknown family \"%s\": ip, ip6 or inet",
					     fam->s);
				return -1;
			}
		}
	} else {
		t->family = ctx->family;
		t->table = ctx->table;
	}
	return 0;
}

/* The named sets a new rule refers to, read once each for nft's type check. */
struct set_heads {
	struct nsh_wire *w;
	int family;
	const char *table;
	struct nsh_rawset s[8];
	size_t n;
};

static const struct nsh_rawset *set_head_find(void *arg, const char *name)
{
	struct set_heads *h = arg;
	size_t i;

	for (i = 0; i < h->n; i++)
		if (!strcmp(h->s[i].name, name))
			return &h->s[i];
	if (!h->w || h->n == NSH_ARRAY_SIZE(h->s) ||
	    nsh_wire_set_header(h->w, h->family, h->table, name, &h->s[h->n]) < 0)
		return NULL;	/* unknown: the kernel will say so */
	return &h->s[h->n++];
}

/* nft's datatype check of @name and vmap @name against the live sets. */
static int check_named_sets(struct nsh_edit *ed, const struct nsh_rule *r, int family,
			    const char *table, size_t start, struct nsh_err *err)
{
	struct set_heads h = { .w = nsh_txn_wire(ed->txn), .family = family, .table = table };
	int rc = nsh_rule_check_sets(r, set_head_find, &h, start, err);
	size_t i;

	for (i = 0; i < h.n; i++)
		nsh_rawset_clear(&h.s[i]);
	return rc;
}

/* Does the table hold rules written by iptables-nft?  -1 after reporting. */
static int table_is_xt(struct nsh_ctx *ctx, struct nsh_edit *ed, int family, const char *table)
{
	struct nsh_wire *w;
	int r;

	if (family == NSH_OWN_FAMILY && !strcmp(table, NSH_OWN_TABLE))
		return 0;
	if (ed->xt_table[0] && ed->xt_family == family && !strcmp(ed->xt_table, table))
		return ed->xt;
	w = nsh_txn_wire(ed->txn);
	r = w ? nsh_wire_table_has_xt(w, family, table) : -1;
	if (r < 0) {
		if (errno == ENOENT)
			return 0;	/* no such table: the chain check says so */
		nsh_error(ctx, "cannot read table %s %s: %s", nsh_family_name(family), table,
			  strerror(errno));
		return -1;
	}
	ed->xt_family = family;
	snprintf(ed->xt_table, sizeof(ed->xt_table), "%s", table);
	ed->xt = r;
	return r;
}

/* Table check (iptables-nft), chain check, parse, hook check: in that order. */
int nsh_edit_rule(struct nsh_ctx *ctx, struct nsh_edit *ed, const struct nsh_args *args,
		  const struct nsh_target *t, struct nsh_rule *r, struct nsh_txn_loc *loc)
{
	const struct nsh_tok *first = nsh_args_get(args, "RULE");
	const struct nsh_tok *last = &args->toks[args->ntoks - 1];
	const char *text = ctx->src.line ? ctx->src.line + ctx->src.base : args->line;
	struct nsh_txn_err te;
	struct nsh_err err = { 0 };
	uint32_t hooknum;
	size_t start, end;
	int xt;

	if (!first) {
		nsh_error(ctx, "a rule is missing");
		return NSH_FAIL;
	}
	start = first->off;
	end = last->off + last->len;
	*loc = nsh_edit_loc(ctx, start, end - start);
	xt = table_is_xt(ctx, ed, t->family, t->table);
	if (xt < 0)
		return NSH_FAIL;
	if (xt) {
		nsh_error_at(ctx, t->table_tok ? t->table_tok : &args->toks[0],
			     "table %s %s holds rules written by iptables-nft: natsh does not add "
			     "native rules to it (iptables-nft -L would no longer read it); write "
			     "to natsh's own table instead: use inet natsh",
			     nsh_family_name(t->family), t->table);
		return NSH_FAIL;
	}
	if (nsh_txn_chain(ed->txn, t->family, t->table, t->chain, &hooknum, &te) < 0) {
		nsh_edit_report_target(ctx, &te, t, NULL);
		return NSH_FAIL;
	}
	if (nsh_rule_parse(text, start, end, t->family, r, &err) < 0) {
		nsh_error_span(ctx, err.off, err.len, "%s", err.msg);
		return NSH_FAIL;
	}
	if (nsh_rule_check_hook(r, t->family, hooknum, start, &err) < 0 ||
	    check_named_sets(ed, r, t->family, t->table, start, &err) < 0) {
		nsh_rule_clear(r);
		nsh_error_span(ctx, err.off, err.len, "%s", err.msg);
		return NSH_FAIL;
	}
	return NSH_OK;
}

/*
 * For a rule built elsewhere (iptables lines): the table check
 * (iptables-nft) and the chain check of nsh_edit_rule, reporting at tok;
 * *hooknum is the chain's hook for nsh_rule_check_hook.
 */
int nsh_edit_target_check(struct nsh_ctx *ctx, struct nsh_edit *ed, const struct nsh_target *t,
			  const struct nsh_tok *tok, uint32_t *hooknum)
{
	struct nsh_txn_err te;
	int xt = table_is_xt(ctx, ed, t->family, t->table);

	if (xt < 0)
		return NSH_FAIL;
	if (xt) {
		nsh_error_at(ctx, tok, "table %s %s holds rules written by iptables-nft: natsh does "
			     "not add native rules to it (iptables-nft -L would no longer read it); "
			     "write to natsh's own table instead: use inet natsh",
			     nsh_family_name(t->family), t->table);
		return NSH_FAIL;
	}
	if (nsh_txn_chain(ed->txn, t->family, t->table, t->chain, hooknum, &te) < 0) {
		nsh_edit_report_target(ctx, &te, t, NULL);
		return NSH_FAIL;
	}
	return NSH_OK;
}

/* Digits only, from 1. */
int nsh_edit_number(struct nsh_ctx *ctx, const struct nsh_tok *tok, const char *what,
		    uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(tok->s, &end, 10);
	if (errno || *end || !*tok->s || *v == 0 || (!strcmp(what, "position") && *v > UINT32_MAX)) {
		nsh_error_at(ctx, tok, "invalid %s \"%s\": expected a number from 1", what, tok->s);
		return NSH_FAIL;
	}
	return NSH_OK;
}

/* nft's long form `rule [FAMILY] TABLE CHAIN`, written once for add, insert and delete. */
const struct nsh_gram nsh_edit_g_long = {
	.kind = NSH_G_SEQ,
	.kids = NSH_KIDS(NSH_WORD("rule", "nft's long form: name the table"),
			 NSH_OPT(NSH_VAL("FAMILY", NSH_VK_FAMILY, "ip, ip6 or inet (default ip)")),
			 NSH_VAL("TABLE", NSH_VK_TABLE, "the table"),
			 NSH_VAL("CHAIN", NSH_VK_CHAIN, "the chain")),
};

/* The short forms' chain: one of the current table (see `use`). */
const struct nsh_gram nsh_edit_g_chain = {
	.kind = NSH_G_VALUE, .text = "CHAIN", .vk = NSH_VK_CHAIN,
	.help = "a chain of the current table",
};

/* A rule to stage, in nft syntax (the rest of the line). */
const struct nsh_gram nsh_edit_g_rule = {
	.kind = NSH_G_VALUE, .text = "RULE", .vk = NSH_VK_RULE,
	.help = "the rule, in nft syntax",
};

/* A rule handle (after `position` or `handle`). */
const struct nsh_gram nsh_edit_g_handle = {
	.kind = NSH_G_VALUE, .text = "H", .vk = NSH_VK_HANDLE, .help = "the handle",
};

/* The start add, insert, delete and replace share: target, then N and H when given. */
int nsh_edit_args(struct nsh_ctx *ctx, const struct nsh_args *args, struct nsh_target *t,
		  uint64_t *pos, uint64_t *handle)
{
	const struct nsh_tok *nt = nsh_args_get(args, "N"), *ht = nsh_args_get(args, "H");

	*pos = 0;
	*handle = 0;
	if (nsh_target_get(ctx, args, t) < 0)
		return NSH_FAIL;
	if (nt && nsh_edit_number(ctx, nt, "position", pos) != NSH_OK)
		return NSH_FAIL;
	if (ht && nsh_edit_number(ctx, ht, "handle", handle) != NSH_OK)
		return NSH_FAIL;
	return NSH_OK;
}

/* The end they share: a staging error is reported under its word, else commit as due. */
int nsh_edit_staged(struct nsh_ctx *ctx, struct nsh_edit *ed, int rc, struct nsh_rule *r,
		    const struct nsh_txn_err *e, const struct nsh_target *t,
		    const struct nsh_tok *num)
{
	if (rc < 0) {
		if (r)
			nsh_rule_clear(r);
		nsh_edit_report_target(ctx, e, t, num);
		return NSH_FAIL;
	}
	return nsh_edit_done(ctx, ed);
}

/* add, insert and replace differ only in where the rule goes: one body for the three. */
int nsh_edit_put(struct nsh_ctx *ctx, const struct nsh_args *args, enum nsh_txn_where where)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	const struct nsh_tok *nt = nsh_args_get(args, "N"), *ht = nsh_args_get(args, "H");
	struct nsh_rule r = { 0 };
	struct nsh_target t;
	struct nsh_txn_loc loc;
	struct nsh_txn_err e;
	uint64_t pos, handle;
	int rc;

	if (nsh_edit_args(ctx, args, &t, &pos, &handle) != NSH_OK)
		return NSH_FAIL;
	if (nsh_edit_rule(ctx, ed, args, &t, &r, &loc) != NSH_OK)
		return NSH_FAIL;
	if (ht)	/* nft's `position H`: add goes after it, insert before; replace `handle H` */
		rc = nsh_txn_put_handle(ed->txn, t.family, t.table, t.chain, where, handle, &r,
					&loc, &e);
	else
		rc = nsh_txn_put(ed->txn, t.family, t.table, t.chain, where, (uint32_t)pos, &r,
				 &loc, &e);
	return nsh_edit_staged(ctx, ed, rc, &r, &e, &t, nt ? nt : ht);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `load [--check] FILE`: replace natsh's table with a saved script, in one transaction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/edit.h"
#include "lib/afile.h"
#include "lib/text.h"
#include "lib/util.h"
#include "model/syntax/load.h"
#include "render/out.h"


/* Report a parse error at its line of the file, with the caret. */
static void load_report(struct nsh_ctx *ctx, const char *name, const char *text, unsigned lineno,
			size_t line_off, const struct nsh_err *err)
{
	struct nsh_src saved = ctx->src;
	const char *s = text + line_off;
	char *line = nsh_xstrndup(s, strcspn(s, "\n"));

	ctx->src.name = name;
	ctx->src.lineno = lineno;
	ctx->src.line = line;
	ctx->src.base = 0;
	nsh_error_span(ctx, err->off, err->len, "%s", err->msg);
	ctx->src = saved;
	free(line);
}

struct loaded {
	size_t n;
	char file[];
};

static struct loaded *loaded_new(size_t n, const char *file)
{
	struct loaded *x = nsh_xmalloc(sizeof(*x) + strlen(file) + 1);

	x->n = n;
	strcpy(x->file, file);
	return x;
}

/* After the batch's commit: what load did (nsh_edit_after_commit). */
static void say_loaded(struct nsh_ctx *ctx, void *arg, bool applied)
{
	struct loaded *x = arg;

	if (applied)
		nsh_out_text(ctx->out, "loaded %zu rule%s from %s\n", x->n, x->n == 1 ? "" : "s",
			     x->file);
	free(x);
}

/*
 * A saved script is text: a NUL, a control character other than tab or
 * invalid UTF-8 is an error at its line and column, and nothing is loaded.
 */
static int check_text(struct nsh_ctx *ctx, const char *name, const char *text, size_t len)
{
	struct nsh_err err = { 0 };
	const char *what, *nl;
	size_t i = 0, end, off, bl;
	unsigned lineno = 0;

	while (i < len) {
		nl = memchr(text + i, '\n', len - i);
		end = nl ? (size_t)(nl - text) : len;
		lineno++;
		if (end - i > NSH_LINE_MAX) {
			nsh_error(ctx, "%s:%u: error: the line is %zu bytes long; a line may hold at "
				  "most %u KiB; nothing was loaded", name, lineno, end - i,
				  NSH_LINE_MAX >> 10);
			return NSH_FAIL;
		}
		off = nsh_text_bad(text + i, end - i - (end > i && text[end - 1] == '\r'), &what, &bl);
		if (off < end - i - (end > i && text[end - 1] == '\r')) {
			nsh_err_set(&err, off, bl, "%s in the file: a saved script holds text only "
				    "(UTF-8, and tab as the one control character); nothing was loaded",
				    what);
			load_report(ctx, name, text, lineno, i, &err);
			return NSH_FAIL;
		}
		i = end + 1;
	}
	return NSH_OK;
}

/*
 * Declare the file's other chains and its sets, flush every chain it names
 * and append every rule (ownership moves); NSH_FAIL after reporting.
 */
static int stage(struct nsh_ctx *ctx, struct nsh_txn *t, struct nsh_load *l,
		 const struct nsh_txn_loc *loc, const struct nsh_tok *file)
{
	struct nsh_txn_err te;
	size_t i;

	/* chains first (rules and verdict maps jump to them), then sets, then the rules */
	for (i = 0; i < l->nchains; i++)
		if (nsh_txn_declare_chain(t, NSH_OWN_FAMILY, NSH_OWN_TABLE, &l->chains[i].def, loc,
					  &te) < 0 ||
		    nsh_txn_flush(t, NSH_OWN_FAMILY, NSH_OWN_TABLE, l->chains[i].def.name, loc,
				  &te) < 0)
			goto err;
	for (i = 0; i < l->nsets; i++)
		if (nsh_txn_declare_set(t, NSH_OWN_FAMILY, NSH_OWN_TABLE, &l->sets[i].set, loc,
					&te) < 0)
			goto err;
	for (i = 0; i < NSH_OWN_NCHAINS; i++)
		if (nsh_txn_flush(t, NSH_OWN_FAMILY, NSH_OWN_TABLE, nsh_own_chains[i].name, loc,
				  &te) < 0)
			goto err;
	for (i = 0; i < l->n; i++)
		if (nsh_txn_put(t, NSH_OWN_FAMILY, NSH_OWN_TABLE, l->v[i].chain, NSH_TXN_APPEND, 0,
				&l->v[i].rule, loc, &te) < 0)
			goto err;
	return NSH_OK;
err:
	nsh_edit_report(ctx, &te, file);
	nsh_txn_abort(t);
	return NSH_FAIL;
}

/* Let the kernel validate t without applying it. */
static int check_txn(struct nsh_ctx *ctx, struct nsh_txn *t, const struct nsh_tok *file)
{
	struct nsh_txn_err *errs = NULL;
	size_t n = 0, i;
	int r = nsh_txn_commit(t, true, false, false, &errs, &n);

	for (i = 0; i < n; i++)
		nsh_edit_report(ctx, &errs[i], file);
	free(errs);
	return r < 0 ? NSH_FAIL : NSH_OK;
}

/* Parse all of it first; then flush natsh's chains and add every rule, staged as one change. */
static int load_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *file = nsh_args_get(args, "FILE");
	bool check = ctx->check || nsh_args_has(args, "--check");
	struct nsh_load l = { 0 };
	struct nsh_err err = { 0 };
	struct nsh_edit *ed;
	struct nsh_txn_loc loc;
	unsigned lineno = 0;
	size_t line_off = 0, len;
	char *text;
	int rc = NSH_FAIL;

	text = nsh_file_read(file->s, NSH_BATCH_MAX, &len);
	if (!text) {
		if (errno == EFBIG)
			nsh_error_at(ctx, file, "%s is larger than the %u MiB a load may hold; nothing "
				     "was loaded", file->s, NSH_BATCH_MAX >> 20);
		else if (errno == EISDIR)
			nsh_error_at(ctx, file, "cannot read %s: it is a directory", file->s);
		else
			nsh_error_at(ctx, file, "cannot read %s: %s", file->s, strerror(errno));
		return NSH_FAIL;
	}
	if (check_text(ctx, file->s, text, len) != NSH_OK)
		goto out;
	if (nsh_load_parse(text, &l, &lineno, &line_off, &err) < 0) {
		load_report(ctx, file->s, text, lineno, line_off, &err);
		goto out;
	}
	if (check) {
		/* a transaction of its own, validated by the kernel and dropped */
		struct nsh_txn *t = nsh_txn_new(false, false);

		loc = nsh_edit_cmd_loc(ctx, args);
		rc = stage(ctx, t, &l, &loc, file);
		if (rc == NSH_OK)
			rc = check_txn(ctx, t, file);
		nsh_txn_free(t);
		if (rc == NSH_OK)
			nsh_out_text(ctx->out, "%s: %zu rule%s, valid (nothing applied)\n", file->s,
				     l.n, l.n == 1 ? "" : "s");
		goto out;
	}
	ed = nsh_edit_get(ctx);
	loc = nsh_edit_cmd_loc(ctx, args);
	if (stage(ctx, ed->txn, &l, &loc, file) != NSH_OK)
		goto out;
	rc = nsh_edit_done(ctx, ed);
	if (rc != NSH_OK)
		goto out;
	if (ed->begun)
		nsh_out_text(ctx->out, "staged %zu rule%s from %s: they replace natsh's table at "
			     "`commit`\n", l.n, l.n == 1 ? "" : "s", file->s);
	else if (ctx->batch)	/* said once the batch committed */
		nsh_edit_after_commit(ed, say_loaded, loaded_new(l.n, file->s));
	else
		nsh_out_text(ctx->out, "loaded %zu rule%s from %s\n", l.n, l.n == 1 ? "" : "s",
			     file->s);
out:
	nsh_load_clear(&l);
	free(text);
	return rc;
}

static const struct nsh_gram *const load_args = NSH_SEQ(
	NSH_OPT(NSH_WORD("--check", "parse and let the kernel validate; apply nothing")),
	NSH_VAL("FILE", NSH_VK_FILE, "a script written by natsh save"));

static const char *const load_examples[] = {
	"load /etc/nftables.d/natsh.nft",
	"load --check natsh.nft",
	"natsh --confirm 60 load natsh.nft",
	NULL
};

const struct nsh_cmd nsh_cmd_load = {
	.name = "load",
	.group = NSH_GRP_SAFETY,
	.summary = "replace natsh's table with a script written by save (atomically)",
	.args = load_args,
	.description =
		"Reads a script written by natsh save through natsh's own rule parser\n"
		"and replaces every rule of natsh's table in ONE transaction: all of it\n"
		"or nothing.  Its named sets and maps and its chains beyond natsh's own\n"
		"are created (sets emptied and refilled when they exist) before the rules.  Errors name FILE:LINE:COL with a caret.  --check parses\n"
		"and lets the kernel validate without applying.  Inside begin, or in a\n"
		"batch, the load is staged with the other changes; with natsh --confirm\n"
		"it rolls back unless confirmed.",
	.examples = load_examples,
	.exec = load_exec,
};

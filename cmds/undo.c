/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `undo`: revert the last change natsh committed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/edit.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "model/nl/batch.h"
#include "model/nl/sysctl.h"
#include "render/diff.h"
#include "render/out.h"

/* A sysctl the undone change set: back to its old value, unless someone set it since. */
static void put_back(struct nsh_ctx *ctx, const struct nsh_txn_sysctl *s, struct nsh_buf *b)
{
	char cur[64];

	if (!s->old || !strcmp(s->old, s->val))
		return;
	if (nsh_sysctl_read(s->key, cur, sizeof(cur)) < 0)
		snprintf(cur, sizeof(cur), "unreadable");
	if (strcmp(cur, s->val)) {
		nsh_warn(ctx, "%s is %s now, not the %s natsh set: left as it is", s->key, cur,
			 s->val);
		return;
	}
	if (nsh_sysctl_write(s->key, s->old) < 0) {
		nsh_warn(ctx, "%s cannot be put back to %s: %s", s->key, s->old, strerror(errno));
		return;
	}
	nsh_buf_printf(b, "sysctl %s = %s (it was %s)\n", s->key, s->old, s->val);
}

/* Is the ruleset at the generation natsh's last commit left (so undo would go ahead)? */
static bool unchanged_since(struct nsh_edit *ed)
{
	struct nsh_wire *w = nsh_txn_wire(ed->txn);
	uint32_t now;

	return !w || nsh_wire_genid(w, &now) < 0 || now == nsh_txn_undo_genid(ed->txn);
}

/*
 * Exact: deletes what the change added and puts back what it deleted, in
 * place, and the sysctls it set.  Says what it reverted; a whole table
 * going is asked first in the shell (-y: said, not asked; a batch needs -y).
 */
static int undo_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	const struct nsh_txn_sysctl *sys;
	struct nsh_txn_sysctl *keep = NULL;
	struct nsh_change *v = NULL;
	size_t n, nsys = 0, i;
	struct nsh_txn_err e;
	struct nsh_buf b;
	char q[300];
	int rc = NSH_FAIL;

	if (nsh_txn_pending(ed->txn)) {
		nsh_error_at(ctx, &args->toks[0], "changes are staged: `commit` or `abort` them "
			     "before undo");
		return NSH_FAIL;
	}
	nsh_buf_init(&b);
	n = nsh_txn_undo_preview(ed->txn, &v, &sys, &nsys);
	/* asked only when the undo can go ahead: after someone else's change it is refused */
	if (n && v[0].op == NSH_CHANGE_DEL_TABLE && !ctx->check && unchanged_since(ed)) {
		snprintf(q, sizeof(q), "Undo removes table %s %s with its chains and every rule "
			 "in them. Undo?", nsh_family_name(v[0].family), v[0].table);
		if (!ctx->yes && !nsh_can_ask(ctx)) {
			nsh_error_at(ctx, &args->toks[0], "undo would remove table %s %s with every "
				     "rule in it: in a batch that needs -y", nsh_family_name(v[0].family),
				     v[0].table);
			goto out;
		}
		if (nsh_ask_yes(ctx, q, false) != 1) {
			nsh_out_text(ctx->out, "nothing undone\n");
			rc = NSH_OK;
			goto out;
		}
	}
	/* the record goes with the undo: keep what it says for the report */
	nsh_diff_text(v, n, &b);
	keep = nsh_xcalloc(nsys ? nsys : 1, sizeof(*keep));
	for (i = 0; i < nsys; i++) {
		keep[i].key = nsh_xstrdup(sys[i].key);
		keep[i].val = nsh_xstrdup(sys[i].val);
		keep[i].old = sys[i].old ? nsh_xstrdup(sys[i].old) : NULL;
	}
	if (ctx->check) {
		rc = NSH_OK;
		goto report;
	}
	if (nsh_txn_undo(ed->txn, &e) < 0) {
		nsh_edit_report(ctx, &e, &args->toks[0]);
		goto out;
	}
	for (i = 0; i < nsys; i++)
		put_back(ctx, &keep[i], &b);
	rc = NSH_OK;
report:
	if (nsh_out_json(ctx->out)) {
		nsh_out_obj_open(ctx->out, NULL);
		nsh_out_string(ctx->out, NSH_C_NONE, "undone", NULL, b.s);
		nsh_out_obj_close(ctx->out);
	} else {
		nsh_out_text(ctx->out, "%s:\n%s", ctx->check ? "undo would revert (--check)" :
			     "undone", b.s);
	}
out:
	for (i = 0; keep && i < nsys; i++) {
		free(keep[i].key);
		free(keep[i].val);
		free(keep[i].old);
	}
	free(keep);
	free(v);
	nsh_buf_free(&b);
	return rc;
}

static const char *const undo_examples[] = { "undo", NULL };

const struct nsh_cmd nsh_cmd_undo = {
	.name = "undo",
	.group = NSH_GRP_TRANSACTIONS,
	.summary = "revert the last change natsh committed",
	.description =
		"Reverts natsh's last committed change exactly: the rules it added are\n"
		"deleted and the rules it deleted are put back where they were, and the\n"
		"sysctls it set go back (unless someone set them since); it prints what it\n"
		"reverted, as diff does.  When that removes natsh's whole table the shell\n"
		"asks first (-y: it says so; a batch needs -y).  Several levels (up to 32)\n"
		"are kept for the session.  Refused, with nothing changed, when someone\n"
		"else changed the ruleset since.",
	.examples = undo_examples,
	.exec = undo_exec,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `undo`: revert the last change natsh committed. */
#include "cmds/edit.h"

/* Exact: deletes what the change added and puts back what it deleted, in place. */
static int undo_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	struct nsh_txn_err e;

	if (nsh_txn_pending(ed->txn)) {
		nsh_error_at(ctx, &args->toks[0], "changes are staged: `commit` or `abort` them "
			     "before undo");
		return NSH_FAIL;
	}
	if (nsh_txn_undo(ed->txn, &e) < 0) {
		nsh_edit_report(ctx, &e, &args->toks[0]);
		return NSH_FAIL;
	}
	return NSH_OK;
}

static const char *const undo_examples[] = { "undo", NULL };

const struct nsh_cmd nsh_cmd_undo = {
	.name = "undo",
	.group = NSH_GRP_TRANSACTIONS,
	.summary = "revert the last change natsh committed",
	.description =
		"Reverts natsh's last committed change exactly: the rules it added are\n"
		"deleted and the rules it deleted are put back where they were.  Several\n"
		"levels (up to 32) are kept for the session.  Refused, with nothing\n"
		"changed, when someone else changed the ruleset since.",
	.examples = undo_examples,
	.exec = undo_exec,
};

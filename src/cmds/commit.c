/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `commit`: apply what `begin` staged, atomically. */
#include "cmds/edit.h"

/* A transaction that read the ruleset is refused, not retried, when it changed since. */
static int commit_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	bool begun = ed->begun;
	int rc;

	if (!begun && !nsh_txn_pending(ed->txn)) {
		nsh_error_at(ctx, &args->toks[0], "nothing to commit (start with `begin`)");
		return NSH_FAIL;
	}
	rc = nsh_edit_commit_at(ctx, ed, ctx->check, !begun, true, &args->toks[0]);
	ed->begun = false;
	nsh_edit_sync(ctx, ed);
	return rc;
}

static const char *const commit_examples[] = { "commit", NULL };

const struct nsh_cmd nsh_cmd_commit = {
	.name = "commit",
	.group = NSH_GRP_TRANSACTIONS,
	.summary = "apply the staged changes as one transaction",
	.description =
		"Sends every staged change to the kernel as one nf_tables transaction\n"
		"carrying the generation id natsh read: all of it applies or none does.\n"
		"When the ruleset was changed by someone else since, the commit is\n"
		"refused, saying what changed, and the staged changes are dropped.",
	.examples = commit_examples,
	.exec = commit_exec,
};

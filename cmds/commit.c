/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `commit`: apply what `begin` staged, atomically. */
#include <errno.h>
#include <stdlib.h>

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
	if (nsh_args_has(args, "confirmed")) {
		const struct nsh_tok *st = nsh_args_get(args, "SECONDS");
		char *end;
		unsigned long secs;

		errno = 0;
		secs = strtoul(st->s, &end, 10);
		if (errno || *end || !*st->s || secs > 86400 || secs == 0) {
			nsh_error_at(ctx, st, "invalid timeout \"%s\": expected 1 to 86400 seconds%s",
				     st->s, begun ? "; what you staged is kept" : "");
			return NSH_FAIL;
		}
		rc = nsh_edit_commit_confirmed(ctx, ed, (unsigned)secs, st);
		/* refused before anything was sent: staged work is never dropped unasked */
		if (rc != NSH_OK && begun && nsh_txn_pending(ed->txn)) {
			nsh_edit_sync(ctx, ed);
			return rc;
		}
	} else {
		rc = nsh_edit_commit_at(ctx, ed, ctx->check, !begun, true, &args->toks[0]);
	}
	ed->begun = false;
	nsh_edit_sync(ctx, ed);
	return rc;
}

static const char *const commit_examples[] = { "commit", "commit confirmed 60", NULL };

static const struct nsh_gram *const commit_args =
	NSH_OPT(NSH_SEQ(NSH_WORD("confirmed", "roll back automatically unless `confirm` comes in time"),
			NSH_VAL("SECONDS", NSH_VK_NUMBER, "seconds before the rollback (1-86400)")));

const struct nsh_cmd nsh_cmd_commit = {
	.name = "commit",
	.group = NSH_GRP_TRANSACTIONS,
	.summary = "apply the staged changes as one transaction",
	.description =
		"Sends every staged change to the kernel as one nf_tables transaction\n"
		"carrying the generation id natsh read: all of it applies or none does.\n"
		"When the ruleset was changed by someone else since, the commit is\n"
		"refused, saying what changed, and the staged changes are dropped.\n"
		"`commit confirmed SECONDS` applies the same way, then a detached timer\n"
		"process reverts the change exactly (and the sysctls changed since `begin`)\n"
		"unless `confirm` is given within SECONDS: the rollback happens even when\n"
		"the SSH session dies or natsh is killed.  The rollback is one transaction\n"
		"at the generation recorded after the commit: when someone else changed\n"
		"the ruleset meanwhile it is refused and logged, their change kept.",
	.args = commit_args,
	.examples = commit_examples,
	.exec = commit_exec,
};

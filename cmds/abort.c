/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `abort`: drop the staged changes. */
#include "cmds/edit.h"
#include "render/out.h"

/* Nothing was sent yet, so dropping is purely local. */
static int abort_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	size_t n = nsh_txn_nops(ed->txn);

	if (!ed->begun && !n) {
		nsh_error_at(ctx, &args->toks[0], "no transaction is open");
		return NSH_FAIL;
	}
	nsh_txn_abort(ed->txn);
	nsh_edit_after_run(ctx, ed, false);
	ed->begun = false;
	nsh_edit_sync(ctx, ed);
	if (ctx->interactive)
		nsh_out_text(ctx->out, "%zu staged change%s dropped\n", n, n == 1 ? "" : "s");
	return NSH_OK;
}

static const char *const abort_examples[] = { "abort", NULL };

const struct nsh_cmd nsh_cmd_abort = {
	.name = "abort",
	.group = NSH_GRP_TRANSACTIONS,
	.summary = "drop the staged changes",
	.description = "Drops everything staged since `begin`; the ruleset is not touched.",
	.examples = abort_examples,
	.exec = abort_exec,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `diff`: the staged changes against the live ruleset. */
#include <stdlib.h>

#include "cmds/edit.h"
#include "render/diff.h"

/* Reads only the chains the staged changes touch. */
static int diff_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	struct nsh_change *v = NULL;
	struct nsh_txn_err e;
	size_t n;

	if (nsh_txn_diff(ed->txn, &v, &n, &e) < 0) {
		nsh_edit_report(ctx, &e, NULL);
		return NSH_FAIL;
	}
	nsh_diff_render(ctx->out, v, n);
	free(v);
	return NSH_OK;
}

static const char *const diff_examples[] = { "diff", NULL };

const struct nsh_cmd nsh_cmd_diff = {
	.name = "diff",
	.group = NSH_GRP_TRANSACTIONS,
	.summary = "show the staged changes against the live rules",
	.description =
		"Lists, per chain, the rules the staged changes add (+) and delete (-),\n"
		"in chain order, as nft would print them.",
	.examples = diff_examples,
	.needs_nl = false,
	.exec = diff_exec,
};

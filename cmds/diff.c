/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `diff`: the staged changes against the live ruleset. */
#include <stdlib.h>

#include "cmds/edit.h"
#include "lib/buf.h"
#include "render/out.h"

/* Reads only the chains the staged changes touch. */
static int diff_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	struct nsh_txn_err e;
	struct nsh_buf b;
	int rc = NSH_OK;

	nsh_buf_init(&b);
	if (nsh_txn_diff(ed->txn, &b, &e) < 0) {
		nsh_edit_report(ctx, &e, NULL);
		rc = NSH_FAIL;
	} else if (nsh_out_json(ctx->out)) {
		nsh_out_obj_open(ctx->out, NULL);
		nsh_out_string(ctx->out, NSH_C_NONE, "diff", NULL, b.s);
		nsh_out_obj_close(ctx->out);
	} else if (b.len) {
		nsh_out_text(ctx->out, "%s", b.s);
	} else {
		nsh_out_text(ctx->out, "nothing staged\n");
	}
	nsh_buf_free(&b);
	return rc;
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

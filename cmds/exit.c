/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `exit` and `quit`: leave the shell (or end a batch) without calling exit(). */
#include "cmds/edit.h"
#include "render/out.h"

/* See edit.h. */
size_t nsh_edit_nstaged(struct nsh_ctx *ctx)
{
	struct nsh_edit *ed = ctx->edit ? nsh_edit_get(ctx) : NULL;

	return ed && ed->begun ? nsh_txn_nops(ed->txn) : 0;
}

/* See edit.h: staged changes are never dropped without the user saying so. */
bool nsh_edit_may_leave(struct nsh_ctx *ctx)
{
	size_t n = ctx->batch ? 0 : nsh_edit_nstaged(ctx);
	char q[200];

	if (!n)
		return true;
	snprintf(q, sizeof(q), "%zu staged change%s not committed: leave and drop %s?", n,
		 n == 1 ? " is" : "s are", n == 1 ? "it" : "them");
	if (nsh_ask_yes(ctx, q, false) == 1)
		return true;
	nsh_out_text(ctx->out, "staying: `commit` applies the staged changes, `abort` drops them\n");
	return false;
}

/* Ask the shell to leave; commands never exit() themselves. */
static int exit_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	if (nsh_edit_may_leave(ctx))
		ctx->quit = true;
	return NSH_OK;
}

const struct nsh_cmd nsh_cmd_exit = {
	.name = "exit",
	.group = NSH_GRP_SHELL,
	.summary = "leave natsh (also quit, Ctrl-D)",
	.description = "Leaves the interactive shell; in a batch, stops reading it.\n"
		       "With staged changes of an open `begin` the shell asks first (-y\n"
		       "leaves and drops them); a batch that ends inside `begin` is an error.",
	.exec = exit_exec,
};

const struct nsh_cmd nsh_cmd_quit = {
	.name = "quit",
	.group = NSH_GRP_SHELL,
	.summary = "leave natsh (also exit, Ctrl-D)",
	.description = "The same as exit.",
	.exec = exit_exec,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `exit` and `quit`: leave the shell (or end a batch) without calling exit(). */
#include "cmds/cmd.h"

/* Ask the shell to leave; commands never exit() themselves. */
static int exit_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	ctx->quit = true;
	return NSH_OK;
}

const struct nsh_cmd nsh_cmd_exit = {
	.name = "exit",
	.group = NSH_GRP_SHELL,
	.summary = "leave natsh (also quit, Ctrl-D)",
	.description = "Leaves the interactive shell; in a batch, stops reading it.\n"
		       "Staged changes of an open `begin` are not committed.",
	.exec = exit_exec,
};

const struct nsh_cmd nsh_cmd_quit = {
	.name = "quit",
	.group = NSH_GRP_SHELL,
	.summary = "leave natsh (also exit, Ctrl-D)",
	.description = "The same as exit.",
	.exec = exit_exec,
};

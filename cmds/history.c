/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `history`: the lines typed in the shell (kept in ~/.natsh_history, mode 0600). */
#include <stdio.h>
#include <stdlib.h>
#include <readline/history.h>

#include "cmds/cmd.h"
#include "render/out.h"

/* The readline history, numbered as readline numbers it. */
static int history_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *nt = nsh_args_get(args, "N");
	HIST_ENTRY **list = history_list();
	int i, n = 0, from = 0;

	if (nsh_args_has(args, "clear")) {
		clear_history();
		return NSH_OK;
	}
	while (list && list[n])
		n++;
	if (nt) {
		unsigned long want = strtoul(nt->s, NULL, 10);

		if (want < (unsigned long)n)
			from = n - (int)want;
	}
	nsh_out_arr_open(ctx->out, NULL);
	for (i = from; i < n; i++) {
		nsh_out_obj_open(ctx->out, NULL);
		nsh_out_int(ctx->out, NSH_C_DIM, "number", "%5lld  ",
			    (long long)(i + history_base));
		nsh_out_string(ctx->out, NSH_C_NONE, "line", "%s\n", list[i]->line);
		nsh_out_obj_close(ctx->out);
	}
	nsh_out_arr_close(ctx->out);
	return NSH_OK;
}

static const char *const history_examples[] = { "history", "history 20", "history clear", NULL };

const struct nsh_cmd nsh_cmd_history = {
	.name = "history",
	.group = NSH_GRP_SHELL,
	.summary = "show the lines typed so far",
	.args = NSH_OPT(NSH_ALT(NSH_WORD("clear", "forget the history of this session"),
				NSH_VAL("N", NSH_VK_NUMBER, "show only the last N lines"))),
	.description = "Lists the shell's history, oldest first, numbered.  The history is\n"
		       "kept across sessions in ~/.natsh_history (mode 0600).",
	.examples = history_examples,
	.exec = history_exec,
};

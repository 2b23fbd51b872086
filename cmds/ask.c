/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Asking before a destructive command: only in the interactive shell on a
 * terminal (never in a batch, never with -j); -y answers yes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <readline/readline.h>

#include "cmds/cmd.h"

bool nsh_can_ask(const struct nsh_ctx *ctx)
{
	return ctx->interactive && !ctx->batch && !ctx->json && isatty(STDIN_FILENO);
}

int nsh_ask_yes(struct nsh_ctx *ctx, const char *question, bool def)
{
	rl_completion_func_t *saved = rl_attempted_completion_function;
	char prompt[512], *line, *a;
	int rc;

	if (ctx->yes)
		return 1;
	if (!nsh_can_ask(ctx))
		return def;
	snprintf(prompt, sizeof(prompt), "%s [%s]: ", question, def ? "Y/n" : "y/N");
	rl_attempted_completion_function = NULL;
	for (;;) {
		line = readline(prompt);
		if (!line) {		/* Ctrl-C or Ctrl-D: no answer */
			rc = -1;
			break;
		}
		a = line + strspn(line, " \t");
		a[strcspn(a, " \t")] = '\0';
		if (!*a)
			rc = def;
		else if (!strcasecmp(a, "y") || !strcasecmp(a, "yes"))
			rc = 1;
		else if (!strcasecmp(a, "n") || !strcasecmp(a, "no"))
			rc = 0;
		else
			rc = -2;
		free(line);
		if (rc != -2)
			break;
		fprintf(stderr, "please answer yes or no\n");
	}
	rl_attempted_completion_function = saved;
	return rc;
}

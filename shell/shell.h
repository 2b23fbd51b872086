/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * shell/: the top floor.  main.c reads the options, repl.c (readline) and
 * batch.c (-c strings, files, piped stdin) feed lines to the command core
 * (cmds/: lexer, grammar matcher, commands), ctx.c owns the session.
 * May use every folder below it: cmds, completions, render, model, lib.
 */
#ifndef NSH_SHELL_H
#define NSH_SHELL_H

#include <stdbool.h>
#include <stddef.h>

#include "cmds/cmd.h"
#include "lib/err.h"

/* ---- ctx.c ---- */

void nsh_ctx_init(struct nsh_ctx *ctx);
void nsh_ctx_fini(struct nsh_ctx *ctx);
/* Refresh ctx->cache only when the ruleset generation changed; quiet on failure. */
int nsh_ctx_refresh_cached(struct nsh_ctx *ctx);

/* ---- batch.c ---- */

#define NSH_BATCH_ERRORS 20	/* bad lines of a batch listed before giving up */

/*
 * Is a line of input (n bytes, without its newline) text natsh takes: at
 * most NSH_LINE_MAX bytes, UTF-8, no NUL nor control character but tab?
 * Reports the first bad byte at its place (ctx->src names the source).
 */
bool nsh_line_check(struct nsh_ctx *ctx, const char *line, size_t n);

/* Run a -c string (source "-c"); stops at the first error. Exit status. */
int nsh_batch_string(struct nsh_ctx *ctx, const char *name, const char *text);
/* Run a file ("-" = stdin); stops at the first error. Exit status. */
int nsh_batch_file(struct nsh_ctx *ctx, const char *path);
/* Lex, parse and run one command's text; NSH_OK, NSH_FAIL or NSH_USAGE. */
int nsh_run_cmd(struct nsh_ctx *ctx, const char *text);
/* Run one line (split on ';'); used by the REPL and the batch runner. */
int nsh_run_line(struct nsh_ctx *ctx, const char *line, bool stop_on_error);

/* ---- repl.c ---- */

int nsh_repl(struct nsh_ctx *ctx);

#endif

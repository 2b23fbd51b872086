/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Batches: a -c string, a file, or piped stdin.  Lines are split on ';'
 * outside quotes, '#' starts a comment, and the first error stops the
 * batch.  Every line is kept until the end, so that the transaction layer
 * (ctx->txn_end) can point kernel errors back at the command that caused
 * them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "render/out.h"
#include "shell/shell.h"

/* Lex, parse and run one command's text. */
int nsh_run_cmd(struct nsh_ctx *ctx, const char *text)
{
	const struct nsh_cmd *cmd;
	struct nsh_args args;
	struct nsh_toks toks;
	struct nsh_err err = { 0 };
	int ret = NSH_FAIL;

	if (nsh_lex(text, false, &toks, &err) < 0) {
		nsh_error_err(ctx, &err);
		goto out;
	}
	if (toks.n == 0) {
		ret = NSH_OK;
		goto out;
	}
	if (nsh_parse(nsh_cmds, &toks, &cmd, &args, &err) < 0) {
		nsh_error_err(ctx, &err);
		goto out;
	}
	args.line = text;
	if (cmd->needs_nl && nsh_ctx_open_nl(ctx) != NSH_OK)
		goto out;
	ret = cmd->exec(ctx, &args);
	if (ctx->out)
		nsh_out_flush(ctx->out);
out:
	nsh_toks_free(&toks);
	return ret;
}

/* Each command of a line in turn; the first failure stops the rest when asked. */
int nsh_run_line(struct nsh_ctx *ctx, const char *line, bool stop_on_error)
{
	size_t i = 0, end;
	bool comment;
	int ret, status = NSH_OK;
	char *cmd;

	ctx->src.line = line;
	for (;;) {
		end = nsh_cmd_end(line, i, &comment);
		cmd = nsh_xstrndup(line + i, end - i);
		ctx->src.base = i;
		ret = nsh_run_cmd(ctx, cmd);
		free(cmd);
		if (ret != NSH_OK) {
			if (status == NSH_OK)
				status = ret;
			if (stop_on_error)
				break;
		}
		if (ctx->quit || comment || line[end] != ';')
			break;
		i = end + 1;
	}
	return status;
}

/* Lines kept alive until the batch ends (kernel errors point back at them). */
struct lines {
	char **v;
	size_t n, cap;
};

/* Keep a line (takes ownership) for the rest of the batch. */
static void lines_add(struct lines *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = nsh_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = s;
}

/* Release the lines once the batch has been committed or dropped. */
static void lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* Commands from here on are staged and name this source in errors. */
static void batch_begin(struct nsh_ctx *ctx, const char *name)
{
	ctx->batch = true;
	memset(&ctx->src, 0, sizeof(ctx->src));
	ctx->src.name = name;
}

/* Commit (or drop) what the batch staged, as one transaction. */
static int batch_end(struct nsh_ctx *ctx, int status)
{
	if (ctx->txn && ctx->txn_end) {
		int r = ctx->txn_end(ctx, status == NSH_OK && !ctx->check);

		if (r != NSH_OK && status == NSH_OK)
			status = r;
	}
	ctx->batch = false;
	memset(&ctx->src, 0, sizeof(ctx->src));
	return status;
}

/* A -c string (or one command from argv): lines split at newlines. */
int nsh_batch_string(struct nsh_ctx *ctx, const char *name, const char *text)
{
	const char *p = text;
	int status = NSH_OK;

	batch_begin(ctx, name);
	while (*p && status == NSH_OK && !ctx->quit) {
		ctx->src.lineno++;
		status = nsh_run_line(ctx, p, true);
		p += strcspn(p, "\n");
		if (*p)
			p++;
	}
	return batch_end(ctx, status);
}

/* A file or stdin, line by line; lines are kept until the batch ends. */
int nsh_batch_file(struct nsh_ctx *ctx, const char *path)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	struct lines lines = { 0 };
	int status = NSH_OK;
	size_t cap = 0;
	ssize_t n;
	char *buf = NULL;

	if (!f) {
		nsh_error(ctx, "cannot open %s: %s", path, strerror(errno));
		return NSH_FAIL;
	}
	batch_begin(ctx, is_stdin ? "<stdin>" : path);
	while (status == NSH_OK && !ctx->quit && (n = getline(&buf, &cap, f)) >= 0) {
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		lines_add(&lines, buf);
		buf = NULL;
		cap = 0;
		ctx->src.lineno++;
		status = nsh_run_line(ctx, lines.v[lines.n - 1], true);
	}
	free(buf);
	if (ferror(f) && status == NSH_OK) {
		nsh_error(ctx, "error reading %s: %s", path, strerror(errno));
		status = NSH_FAIL;
	}
	status = batch_end(ctx, status);
	if (!is_stdin)
		fclose(f);
	lines_free(&lines);
	return status;
}

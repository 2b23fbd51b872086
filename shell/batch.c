/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Batches: a -c string, a file, or piped stdin.  A -c string or a regular
 * file is checked whole (text only, lines of at most NSH_LINE_MAX bytes, at
 * most NSH_BATCH_MAX bytes in all) before anything of it runs; a pipe runs
 * line by line as it comes, each line checked first.  Lines are split on ';'
 * outside quotes, '#' starts a comment, and the first error stops the
 * batch.  Every line is kept until the end, so that the transaction layer
 * (ctx->txn_end) can point kernel errors back at the command that caused
 * them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmds/edit.h"
#include "lib/buf.h"
#include "lib/text.h"
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
	/* "to" in a script must not start top and never commit what came before */
	if (ctx->batch && ctx->src.name && cmd->endless && strcmp(toks.v[0].s, cmd->name) != 0) {
		nsh_error_at(ctx, &toks.v[0], "\"%s\" would be %s, which runs until it is stopped: "
			     "in a -c string or a file it is never abbreviated (write \"%s\")",
			     toks.v[0].s, cmd->name, cmd->name);
		goto out;
	}
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
	/* an open begin at the end: the script forgot commit (or abort), nothing goes in */
	if (status == NSH_OK && ctx->edit && nsh_edit_get(ctx)->begun) {
		nsh_error(ctx, "%s: the batch ends inside `begin`: nothing of it is committed (end "
			  "it with commit, or abort)", ctx->src.name ? ctx->src.name : "-c");
		status = NSH_FAIL;
	}
	if (ctx->txn && ctx->txn_end) {
		int r = ctx->txn_end(ctx, status == NSH_OK && !ctx->check);

		if (r != NSH_OK && status == NSH_OK)
			status = r;
	}
	ctx->batch = false;
	memset(&ctx->src, 0, sizeof(ctx->src));
	return status;
}

/*
 * Is the line text natsh takes?  A NUL, a control character other than tab
 * or invalid UTF-8 is an error at its place: a C string would silently end
 * at a NUL, and an escape sequence has no meaning in a command.
 */
bool nsh_line_check(struct nsh_ctx *ctx, const char *line, size_t n)
{
	const char *what;
	size_t off, len;

	if (n > NSH_LINE_MAX) {
		ctx->src.line = NULL;
		nsh_error(ctx, "%s%s%u: error: the line is %zu bytes long; a line may hold at most "
			  "%u KiB", ctx->src.name ? ctx->src.name : "", ctx->src.name ? ":" : "",
			  ctx->src.lineno, n, NSH_LINE_MAX >> 10);
		return false;
	}
	off = nsh_text_bad(line, n, &what, &len);
	if (off == n)
		return true;
	ctx->src.line = line;
	ctx->src.base = 0;
	if (what[2] == 'c')	/* "a control character": say which */
		nsh_error_span(ctx, off, len, "%s (0x%02x) in the input: a command holds text "
			       "only (UTF-8, and tab as the one control character)", what,
			       (unsigned char)line[off]);
	else
		nsh_error_span(ctx, off, len, "%s in the input: a command holds text only "
			       "(UTF-8, and tab as the one control character)", what);
	return false;
}

/*
 * Split a whole batch into lines (at '\n'; a '\r' before it goes) kept in l,
 * and check every one before any runs: an error anywhere means nothing of
 * the batch runs.  Returns NSH_OK or NSH_FAIL after reporting (at most
 * NSH_BATCH_ERRORS errors).
 */
static int take_lines(struct nsh_ctx *ctx, const char *text, size_t n, struct lines *l)
{
	size_t i = 0, end, len;
	unsigned bad = 0;

	ctx->src.lineno = 0;
	while (i < n) {
		const char *nl = memchr(text + i, '\n', n - i);

		end = nl ? (size_t)(nl - text) : n;
		len = end - i;
		if (len && text[end - 1] == '\r' && nl)
			len--;
		ctx->src.lineno++;
		lines_add(l, nsh_xstrndup(text + i, len));
		/* a NUL inside is kept in the copy's length only: check the original */
		if (!nsh_line_check(ctx, text + i, len) && ++bad == NSH_BATCH_ERRORS)
			break;
		i = end + 1;
	}
	ctx->src.line = NULL;
	ctx->src.lineno = 0;
	if (!bad)
		return NSH_OK;
	nsh_error(ctx, "%s: %s%u error%s in the input; nothing of it was run",
		  ctx->src.name ? ctx->src.name : "-c", bad == NSH_BATCH_ERRORS ? "at least " : "",
		  bad, bad == 1 ? "" : "s");
	return NSH_FAIL;
}

/* Run the kept lines in order; the first error stops the batch. */
static int run_lines(struct nsh_ctx *ctx, const struct lines *l)
{
	int status = NSH_OK;
	size_t i;

	for (i = 0; i < l->n && status == NSH_OK && !ctx->quit; i++) {
		ctx->src.lineno = (unsigned)i + 1;
		status = nsh_run_line(ctx, l->v[i], true);
	}
	return status;
}

/* A -c string (or one command from argv): lines split at newlines. */
int nsh_batch_string(struct nsh_ctx *ctx, const char *name, const char *text)
{
	struct lines lines = { 0 };
	size_t n = strlen(text);
	int status;

	batch_begin(ctx, name);
	if (n > NSH_BATCH_MAX) {
		nsh_error(ctx, "%s: the commands are %zu bytes long; a batch may hold at most "
			  "%u MiB; nothing was run", name ? name : "-c", n, NSH_BATCH_MAX >> 20);
		status = NSH_FAIL;
	} else {
		status = take_lines(ctx, text, n, &lines);
	}
	if (status == NSH_OK)
		status = run_lines(ctx, &lines);
	status = batch_end(ctx, status);
	lines_free(&lines);
	return status;
}

/*
 * Read a whole batch file (or stdin), at most NSH_BATCH_MAX bytes: *text is
 * the caller's.  NSH_FAIL after reporting.
 */
static int read_batch(struct nsh_ctx *ctx, FILE *f, const char *path, char **text, size_t *n)
{
	size_t cap = 1 << 16, len = 0, got;
	char *buf = nsh_xmalloc(cap);

	for (;;) {
		if (len == cap) {
			if (cap > NSH_BATCH_MAX) {
				free(buf);
				nsh_error(ctx, "%s is larger than the %u MiB a batch may hold; nothing "
					  "was run", path, NSH_BATCH_MAX >> 20);
				return NSH_FAIL;
			}
			cap *= 2;
			buf = nsh_xrealloc(buf, cap);
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;

		free(buf);
		nsh_error(ctx, "cannot read %s: %s", path, strerror(e));
		return NSH_FAIL;
	}
	if (len > NSH_BATCH_MAX) {
		free(buf);
		nsh_error(ctx, "%s is larger than the %u MiB a batch may hold; nothing was run",
			  path, NSH_BATCH_MAX >> 20);
		return NSH_FAIL;
	}
	*text = buf;
	*n = len;
	return NSH_OK;
}

/*
 * One line of a stream, without its line end, into *buf (len bytes, NUL
 * inside kept): 1, 0 at the end of the input, -1 on a read error.  A line
 * longer than NSH_LINE_MAX is read no further: *len says NSH_LINE_MAX + 1.
 */
static int read_line(FILE *f, struct nsh_buf *b, size_t *len)
{
	int c = 0;

	nsh_buf_reset(b);
	while (b->len <= NSH_LINE_MAX && (c = getc_unlocked(f)) != EOF && c != '\n')
		nsh_buf_putc(b, (char)c);
	if (c == EOF && ferror(f))
		return -1;
	if (c == EOF && b->len == 0)
		return 0;
	if (b->len && b->s[b->len - 1] == '\r' && c == '\n')
		b->len--;
	*len = b->len;
	nsh_buf_putc(b, '\0');
	return 1;
}

/*
 * A pipe or a terminal: each line runs as it comes (a producer may wait for
 * natsh between lines), each checked before it runs; the batch stops at the
 * first bad line, so nothing of it is committed.
 */
static int stream_lines(struct nsh_ctx *ctx, FILE *f, const char *name, struct lines *l)
{
	struct nsh_buf b;
	size_t len = 0, total = 0;
	int status = NSH_OK, r;

	nsh_buf_init(&b);
	while (status == NSH_OK && !ctx->quit && (r = read_line(f, &b, &len)) > 0) {
		ctx->src.lineno++;
		total += len + 1;
		if (total > NSH_BATCH_MAX) {
			nsh_error(ctx, "%s is larger than the %u MiB a batch may hold; nothing was run",
				  name, NSH_BATCH_MAX >> 20);
			status = NSH_FAIL;
			break;
		}
		if (!nsh_line_check(ctx, b.s, len)) {
			nsh_error(ctx, "%s: the batch stops here; nothing of it is committed", name);
			status = NSH_FAIL;
			break;
		}
		lines_add(l, nsh_xstrndup(b.s, len));
		status = nsh_run_line(ctx, l->v[l->n - 1], true);
	}
	if (status == NSH_OK && ferror(f)) {
		nsh_error(ctx, "error reading %s: %s", name, strerror(errno));
		status = NSH_FAIL;
	}
	nsh_buf_free(&b);
	return status;
}

/*
 * A file or stdin.  A regular file is read whole and checked whole (every
 * bad line reported) before any line runs; a pipe or terminal is run line
 * by line as it comes, each line checked first.
 */
int nsh_batch_file(struct nsh_ctx *ctx, const char *path)
{
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	struct lines lines = { 0 };
	struct stat st;
	char *text = NULL;
	size_t n = 0;
	int status;

	if (!f) {
		nsh_error(ctx, "cannot open %s: %s", path, strerror(errno));
		return NSH_FAIL;
	}
	batch_begin(ctx, name);
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		nsh_error(ctx, "cannot read %s: it is a directory", path);
		status = NSH_FAIL;
	} else if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
		status = read_batch(ctx, f, name, &text, &n);
		if (status == NSH_OK)
			status = take_lines(ctx, text, n, &lines);
		free(text);
		if (status == NSH_OK)
			status = run_lines(ctx, &lines);
	} else {
		status = stream_lines(ctx, f, name, &lines);
	}
	if (!is_stdin)
		fclose(f);
	status = batch_end(ctx, status);
	lines_free(&lines);
	return status;
}

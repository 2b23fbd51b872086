/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Batches: a -c string, a file, or piped stdin.  A -c string or a regular
 * file is checked whole (text only, lines of at most NSH_LINE_MAX bytes, at
 * most NSH_BATCH_MAX bytes in all) before anything of it runs; a pipe runs
 * line by line as it comes, each line checked first.  A line that ends in
 * '\\' or leaves a '{' open goes on on the next (a set written over several
 * lines, as nft takes it); the lines stay apart in the text by their '\n',
 * so errors still name the line and column they are on.  Commands are split
 * on ';' outside quotes, '#' starts a comment.  A whole batch is parsed
 * first, and every command that does not parse is reported (up to
 * NSH_BATCH_ERRORS) before nothing runs; then it runs, and the first error
 * stops it.  Every line is kept until the end, so that the transaction layer
 * (ctx->txn_end) can point kernel errors back at the command that caused
 * them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmds/edit.h"
#include "model/syntax/rule_parse.h"
#include "lib/buf.h"
#include "lib/text.h"
#include "lib/util.h"
#include "render/out.h"
#include "shell/shell.h"

/*
 * Lex and parse one command's text: 1 with *cmd and args, 0 for an empty
 * command, -1 after reporting.  toks is the caller's to free either way.
 */
static int lex_parse(struct nsh_ctx *ctx, const char *text, struct nsh_toks *toks,
		     const struct nsh_cmd **cmd, struct nsh_args *args)
{
	struct nsh_err err = { 0 };

	if (nsh_lex(text, false, toks, &err) < 0) {
		nsh_error_err(ctx, &err);
		return -1;
	}
	if (toks->n == 0)
		return 0;
	if (nsh_parse(nsh_cmds, toks, cmd, args, &err) < 0) {
		nsh_error_err(ctx, &err);
		return -1;
	}
	return 1;
}

/* Lex, parse and run one command's text. */
int nsh_run_cmd(struct nsh_ctx *ctx, const char *text)
{
	const struct nsh_cmd *cmd;
	struct nsh_args args;
	struct nsh_toks toks;
	int ret = NSH_FAIL, r;

	if ((r = lex_parse(ctx, text, &toks, &cmd, &args)) <= 0) {
		ret = r == 0 ? NSH_OK : NSH_FAIL;
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
	unsigned *lineno;	/* where each (logical) line starts in the source */
	size_t n, cap;
};

/* Keep a line (takes ownership) for the rest of the batch. */
static void lines_add(struct lines *l, char *s, unsigned lineno)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = nsh_xrealloc(l->v, l->cap * sizeof(*l->v));
		l->lineno = nsh_xrealloc(l->lineno, l->cap * sizeof(*l->lineno));
	}
	l->lineno[l->n] = lineno;
	l->v[l->n++] = s;
}

/*
 * Does the line s[0, n) go on on the next one?  It does when it ends in a
 * '\\' (outside quotes, before any comment) or when a '{' is still open
 * (*depth counts them across lines).  Then s is changed in place, keeping
 * every offset: the '\\' becomes a space and a comment is blanked out (it
 * would otherwise swallow the lines that follow).
 */
static bool line_goes_on(char *s, size_t n, int *depth)
{
	size_t i, cut = n, last = n;
	char q = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (q) {
			if (c == '\\' && q == '"' && i + 1 < n)
				i++;
			else if (c == q)
				q = 0;
			continue;
		}
		if (c == '"' || c == '\'') {
			q = c;
		} else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' ||
					s[i - 1] == ';')) {
			cut = i;
			break;
		} else if (c == '{') {
			(*depth)++;
		} else if (c == '}' && *depth > 0) {
			(*depth)--;
		}
	}
	while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == '\t'))
		cut--;
	if (!q && cut > 0 && s[cut - 1] == '\\' && (cut < 2 || s[cut - 2] != '\\'))
		last = cut - 1;		/* a continuation mark */
	if (last == n && *depth == 0)
		return false;
	if (last < n)
		s[last] = ' ';
	for (i = cut; i < n; i++)
		s[i] = ' ';
	return true;
}

/* Physical lines gathered into one logical line (a '\\' at the end, an open '{'). */
struct joiner {
	struct nsh_buf buf;
	unsigned first;		/* the logical line's first source line */
	bool more;		/* the last line goes on */
	int depth;		/* '{' still open */
};

/* Add source line lineno; true when it completes the logical line in j->buf. */
static bool join_line(struct joiner *j, const char *s, size_t len, unsigned lineno)
{
	size_t at;

	if (!j->more) {
		nsh_buf_reset(&j->buf);
		j->first = lineno;
	} else {
		nsh_buf_putc(&j->buf, '\n');
	}
	at = j->buf.len;
	nsh_buf_putn(&j->buf, s, len);
	j->more = line_goes_on(j->buf.s + at, len, &j->depth);
	return !j->more;
}

/* Release the lines once the batch has been committed or dropped. */
static void lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->lineno);
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
	struct joiner j = { 0 };

	nsh_buf_init(&j.buf);
	ctx->src.lineno = 0;
	while (i < n) {
		const char *nl = memchr(text + i, '\n', n - i);

		end = nl ? (size_t)(nl - text) : n;
		len = end - i;
		if (len && text[end - 1] == '\r' && nl)
			len--;
		ctx->src.lineno++;
		/* a NUL inside is kept in the copy's length only: check the original */
		if (!nsh_line_check(ctx, text + i, len) && ++bad == NSH_BATCH_ERRORS)
			break;
		if (join_line(&j, text + i, len, ctx->src.lineno))
			lines_add(l, nsh_xstrndup(j.buf.s, j.buf.len), j.first);
		i = end + 1;
	}
	if (j.more)			/* the input ends inside a set or after a '\\' */
		lines_add(l, nsh_xstrndup(j.buf.s, j.buf.len), j.first);
	nsh_buf_free(&j.buf);
	ctx->src.line = NULL;
	ctx->src.lineno = 0;
	if (!bad)
		return NSH_OK;
	nsh_error(ctx, "%s: %s%u error%s in the input; nothing of it was run",
		  ctx->src.name ? ctx->src.name : "-c", bad == NSH_BATCH_ERRORS ? "at least " : "",
		  bad, bad == 1 ? "" : "s");
	return NSH_FAIL;
}

/*
 * Does one command parse?  Its words against the command grammar, and a
 * rule's text against the rule grammar while the table's family is known
 * (a `use` may change it: rules after one are parsed when they run).
 * Reports and returns false when not.
 */
static bool cmd_parses(struct nsh_ctx *ctx, const char *text, bool *family_known, bool *ends)
{
	const struct nsh_cmd *cmd;
	const struct nsh_tok *rt, *ft, *last;
	struct nsh_args args;
	struct nsh_toks toks;
	struct nsh_err err = { 0 };
	struct nsh_rule r;
	bool ok;
	int family, lp;

	lp = lex_parse(ctx, text, &toks, &cmd, &args);
	ok = lp >= 0;
	if (lp <= 0)
		goto out;
	*ends = !strcmp(cmd->name, "exit") || !strcmp(cmd->name, "quit");	/* nothing after runs */
	if (!strcmp(cmd->name, "use"))
		*family_known = false;
	rt = nsh_args_get(&args, "RULE");
	ft = nsh_args_get(&args, "FAMILY");
	family = ft ? nsh_family_parse(ft->s) : ctx->family;
	if (rt && (ft || *family_known) && family > 0) {
		last = &args.toks[args.ntoks - 1];
		if (nsh_rule_parse(text, rt->off, last->off + last->len, family, &r, &err) < 0) {
			nsh_error_span(ctx, err.off, err.len, "%s", err.msg);
			ok = false;
		} else {
			nsh_rule_clear(&r);
		}
	}
out:
	nsh_toks_free(&toks);
	return ok;
}

/*
 * Parse every command of the kept lines before any runs; report each that
 * does not (at most NSH_BATCH_ERRORS).  NSH_OK when all parse.
 */
static int parse_lines(struct nsh_ctx *ctx, const struct lines *l)
{
	bool family_known = true, comment, ends = false;
	unsigned bad = 0;
	size_t i, k, end;
	char *cmd;

	for (i = 0; i < l->n && bad < NSH_BATCH_ERRORS && !ends; i++) {
		ctx->src.lineno = l->lineno[i];
		ctx->src.line = l->v[i];
		for (k = 0;; k = end + 1) {
			end = nsh_cmd_end(l->v[i], k, &comment);
			cmd = nsh_xstrndup(l->v[i] + k, end - k);
			ctx->src.base = k;
			if (!cmd_parses(ctx, cmd, &family_known, &ends))
				bad++;
			free(cmd);
			if (comment || l->v[i][end] != ';' || bad == NSH_BATCH_ERRORS || ends)
				break;
		}
	}
	ctx->src.lineno = 0;
	ctx->src.line = NULL;
	ctx->src.base = 0;
	if (!bad)
		return NSH_OK;
	if (bad > 1 || l->n > 1)
		nsh_error(ctx, "%s: %s%u command%s did not parse; nothing of it was run",
			  ctx->src.name ? ctx->src.name : "-c", bad == NSH_BATCH_ERRORS ? "at least " : "",
			  bad, bad == 1 ? "" : "s");
	return NSH_FAIL;
}

/* Run the kept lines in order; the first error stops the batch. */
static int run_lines(struct nsh_ctx *ctx, const struct lines *l)
{
	int status = parse_lines(ctx, l);
	size_t i;

	for (i = 0; i < l->n && status == NSH_OK && !ctx->quit; i++) {
		ctx->src.lineno = l->lineno[i];
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

/* How many lines a logical line spans, less one. */
static unsigned newlines(const char *s)
{
	unsigned n = 0;

	while ((s = strchr(s, '\n')))
		n++, s++;
	return n;
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

	struct joiner j = { 0 };

	nsh_buf_init(&b);
	nsh_buf_init(&j.buf);
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
		if (!join_line(&j, b.s, len, ctx->src.lineno))
			continue;
		lines_add(l, nsh_xstrndup(j.buf.s, j.buf.len), j.first);
		ctx->src.lineno = j.first;
		status = nsh_run_line(ctx, l->v[l->n - 1], true);
		ctx->src.lineno = j.first + newlines(l->v[l->n - 1]);
	}
	if (status == NSH_OK && j.more) {	/* the input ended inside a set or after a '\\' */
		lines_add(l, nsh_xstrndup(j.buf.s, j.buf.len), j.first);
		ctx->src.lineno = j.first;
		status = nsh_run_line(ctx, l->v[l->n - 1], true);
	}
	nsh_buf_free(&j.buf);
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

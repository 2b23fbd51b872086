/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Error reporting with the place:
 *
 *   natsh: rules.nat:3:21: error: invalid port "80a"
 *     add prerouting tcp dport 80a dnat to 192.0.2.10
 *                              ^~~
 *
 * The source is the file name, "-c" or "<stdin>"; interactively and for
 * `natsh CMD ARGS...` (ctx->src.name NULL) the location is left out, since
 * the line and the caret under it say everything:
 *
 *   natsh: error: unknown command "shwo"; did you mean "show"?
 *     shwo tables
 *     ^~~~
 *
 * Columns are 1-based and count characters (UTF-8 code points).  What the
 * user typed (or another program wrote) is echoed with its control
 * characters and invalid bytes escaped (^[ , \xff): an error never sends a
 * raw escape sequence to the terminal.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds/cmd.h"
#include "lib/text.h"
#include "lib/util.h"
#include "render/out.h"

/* Errors go to stderr unless a test redirects them. */
static FILE *err_file(const struct nsh_ctx *ctx)
{
	return ctx->errf ? ctx->errf : stderr;
}

/* Colour only when wanted and stderr is a terminal. */
static bool err_color(const struct nsh_ctx *ctx)
{
	return ctx->color && isatty(fileno(err_file(ctx)));
}

/* UTF-8 continuation bytes do not start a column. */
static bool is_cont_byte(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/* Length of the source line without its line end. */
static size_t line_len(const char *line)
{
	size_t n = strcspn(line, "\n");

	if (n && line[n - 1] == '\r')
		n--;
	return n;
}

/* 1-based column (in characters) of byte offset off. */
static unsigned column(const char *line, size_t off)
{
	unsigned col = 1;
	size_t i;

	for (i = 0; i < off && line[i]; i++)
		if (!is_cont_byte(line[i]))
			col++;
	return col;
}

/*
 * Text from the user or the kernel, written so that it cannot drive the
 * terminal: a byte that is not text (lib/text.h) is shown escaped.
 */
static void put_text(FILE *f, const char *s, size_t n, bool newlines)
{
	const char *what;
	size_t i = 0, k, bl, m;
	char e[4];

	while (i < n) {
		k = nsh_text_bad(s + i, n - i, &what, &bl);
		fwrite(s + i, 1, k, f);
		i += k;
		if (i < n) {
			if (newlines && s[i] == '\n') {
				fputc('\n', f);
			} else {
				m = nsh_text_escape((unsigned char)s[i], e);
				fwrite(e, 1, m, f);
			}
			i++;
		}
	}
}

/*
 * The display width of each byte of line[0..n) as put_text writes it: 1 for
 * the first byte of a character, 0 for the rest of it, the escape's width
 * for a byte that is not text.  The caller frees.
 */
static unsigned char *shown_widths(const char *line, size_t n)
{
	unsigned char *w = nsh_xmalloc(n + 1);
	const char *what;
	size_t i = 0, k, j, bl;
	char e[4];

	while (i < n) {
		k = nsh_text_bad(line + i, n - i, &what, &bl);
		for (j = i; j < i + k; j++)
			w[j] = !is_cont_byte(line[j]);
		i += k;
		if (i < n) {
			w[i] = (unsigned char)nsh_text_escape((unsigned char)line[i], e);
			i++;
		}
	}
	return w;
}

/* The source line, then a caret under [off, off+len): tabs are kept so it aligns. */
static void print_caret(const struct nsh_ctx *ctx, FILE *f, const char *line, size_t off,
			size_t len)
{
	size_t n = line_len(line), i, k;
	bool col = err_color(ctx), first = true;
	unsigned char *w = shown_widths(line, n);

	fputs("  ", f);
	put_text(f, line, n, false);
	fputs("\n  ", f);
	if (off > n)
		off = n;
	for (i = 0; i < off; i++)
		for (k = 0; k < w[i]; k++)
			fputc(line[i] == '\t' ? '\t' : ' ', f);
	if (col)
		fputs("\033[1;32m", f);
	for (i = off; i < off + len && i < n; i++)
		for (k = 0; k < w[i]; k++, first = false)
			fputc(first ? '^' : '~', f);
	if (first)
		fputc('^', f);
	if (col)
		fputs("\033[0m", f);
	fputc('\n', f);
	free(w);
}

/* A message made of the caller's format and (often user-given) arguments, escaped. */
static void put_vmsg(FILE *f, const char *fmt, va_list ap)
{
	char *msg = NULL;
	int n = vasprintf(&msg, fmt, ap);

	if (n < 0) {
		fputs("(out of memory)", f);
		return;
	}
	put_text(f, msg, (size_t)n, true);
	free(msg);
}

/*
 * A batch's line may span several lines of its source (a '\\' at the end,
 * a set over several lines): the one that holds byte *off, with *off made
 * relative to it; *below says how many lines it is below the first.
 */
static const char *phys_line(const char *line, size_t *off, unsigned *below)
{
	const char *p = line;
	size_t i;

	*below = 0;
	for (i = 0; i < *off && line[i]; i++)
		if (line[i] == '\n') {
			p = line + i + 1;
			(*below)++;
		}
	*off -= (size_t)(p - line);
	return p;
}

/* "natsh: SRC:LINE:COL: error: " with the parts that are known. */
static void print_head(struct nsh_ctx *ctx, FILE *f, bool have_off, size_t off,
		       const char *kind)
{
	const struct nsh_src *s = &ctx->src;
	const char *line = s->line;
	unsigned below = 0;

	if (have_off && line)
		line = phys_line(line, &off, &below);
	fputs("natsh: ", f);
	if (s->name) {
		fputs(s->name, f);
		if (s->lineno)
			fprintf(f, ":%u", s->lineno + below);
		if (have_off && line)
			fprintf(f, ":%u", column(line, off));
		fputs(": ", f);
	}
	if (err_color(ctx))
		fprintf(f, "\033[1;31m%s:\033[0m ", kind);
	else
		fprintf(f, "%s: ", kind);
}

/* The head line, then the source line with a caret under [off, off+len). */
static void verror_span(struct nsh_ctx *ctx, bool have_off, size_t off, size_t len,
			const char *fmt, va_list ap)
{
	FILE *f = err_file(ctx);

	ctx->nerrors++;
	if (ctx->quiet)
		return;
	if (ctx->out)
		nsh_out_flush(ctx->out);
	off += ctx->src.base;
	print_head(ctx, f, have_off, off, "error");
	put_vmsg(f, fmt, ap);
	fputc('\n', f);
	if (ctx->src.line && have_off) {
		unsigned below;
		const char *line = phys_line(ctx->src.line, &off, &below);

		print_caret(ctx, f, line, off, len);
	} else if (ctx->src.line && ctx->src.name) {
		fputs("  ", f);
		put_text(f, ctx->src.line, line_len(ctx->src.line), false);
		fputc('\n', f);
	}
	fflush(f);
}

/* An error at a token of the current command (no caret without one). */
void nsh_error_at(struct nsh_ctx *ctx, const struct nsh_tok *tok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_span(ctx, tok != NULL, tok ? tok->off : 0, tok ? tok->len : 0, fmt, ap);
	va_end(ap);
}

/* An error at a byte range of the current command. */
void nsh_error_span(struct nsh_ctx *ctx, size_t off, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_span(ctx, true, off, len, fmt, ap);
	va_end(ap);
}

/* An error recorded by a lower layer, at the place it recorded. */
void nsh_error_err(struct nsh_ctx *ctx, const struct nsh_err *err)
{
	nsh_error_span(ctx, err->off, err->len, "%s", err->msg);
}

/* An error with no place, e.g. the permission message. */
void nsh_error(struct nsh_ctx *ctx, const char *fmt, ...)
{
	FILE *f = err_file(ctx);
	va_list ap;

	ctx->nerrors++;
	if (ctx->quiet)
		return;
	if (ctx->out)
		nsh_out_flush(ctx->out);
	fputs("natsh: ", f);
	va_start(ap, fmt);
	put_vmsg(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}

/* A warning never fails the command. */
void nsh_warn(struct nsh_ctx *ctx, const char *fmt, ...)
{
	FILE *f = err_file(ctx);
	va_list ap;

	if (ctx->quiet)
		return;
	if (ctx->out)
		nsh_out_flush(ctx->out);
	if (err_color(ctx))
		fputs("natsh: \033[1;33mwarning:\033[0m ", f);
	else
		fputs("natsh: warning: ", f);
	va_start(ap, fmt);
	put_vmsg(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}

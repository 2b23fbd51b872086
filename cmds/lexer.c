/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Words of a command: whitespace-separated, with quotes and escapes. */
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/util.h"
#include "cmds/cmd.h"

/* Word separators. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Append a token; takes the word from buf. */
static void toks_push(struct nsh_toks *t, struct nsh_buf *word, size_t off, size_t len,
		      bool quoted)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 8;
		t->v = nsh_xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	t->v[t->n].s = nsh_buf_steal(word);
	t->v[t->n].off = off;
	t->v[t->n].len = len;
	t->v[t->n].quoted = quoted;
	t->n++;
}

/* The character a backslash escape inside double quotes stands for. */
static char dq_escape(char c)
{
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	default:  return c;
	}
}

/* Words with their offsets, so that errors can point at them. */
int nsh_lex(const char *text, bool partial, struct nsh_toks *out, struct nsh_err *err)
{
	struct nsh_buf word;
	size_t i = 0, start, qstart, len = strlen(text);
	bool quoted;
	char q;

	memset(out, 0, sizeof(*out));
	nsh_buf_init(&word);
	for (;;) {
		while (i < len && is_space(text[i]))
			i++;
		if (i >= len)
			break;
		start = i;
		quoted = false;
		while (i < len && !is_space(text[i])) {
			char c = text[i];

			if (c == '\\') {
				if (i + 1 >= len) {
					if (partial) {
						i++;
						break;
					}
					nsh_err_set(err, i, 1, "backslash at end of line");
					goto err;
				}
				nsh_buf_putc(&word, text[i + 1]);
				i += 2;
			} else if (c == '"' || c == '\'') {
				q = c;
				qstart = i++;
				quoted = true;
				while (i < len && text[i] != q) {
					if (q == '"' && text[i] == '\\' && i + 1 < len) {
						nsh_buf_putc(&word, dq_escape(text[i + 1]));
						i += 2;
					} else {
						nsh_buf_putc(&word, text[i++]);
					}
				}
				if (i >= len) {
					if (partial) {
						out->open_quote = q;
						break;
					}
					nsh_err_set(err, qstart, len - qstart,
						    "unterminated %s quote",
						    q == '"' ? "double" : "single");
					goto err;
				}
				i++;	/* closing quote */
			} else {
				nsh_buf_putc(&word, c);
				i++;
			}
		}
		toks_push(out, &word, start, i - start, quoted);
	}
	out->trailing_space = len > 0 && is_space(text[len - 1]) && !out->open_quote;
	nsh_buf_free(&word);
	return 0;
err:
	nsh_buf_free(&word);
	return -1;
}

/* Release the tokens; a zeroed list is fine. */
void nsh_toks_free(struct nsh_toks *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		free(t->v[i].s);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Characters that make a word need quoting. */
static bool needs_quote(const char *w)
{
	if (!*w)
		return true;
	for (; *w; w++)
		if (is_space(*w) || strchr("\"'\\;#", *w))
			return true;
	return false;
}

/* Double quotes with escapes, only when the word needs them. */
char *nsh_quote(const char *word)
{
	struct nsh_buf b;

	if (!needs_quote(word))
		return nsh_xstrdup(word);
	nsh_buf_init(&b);
	nsh_buf_putc(&b, '"');
	for (; *word; word++) {
		if (*word == '"' || *word == '\\')
			nsh_buf_putc(&b, '\\');
		if (*word == '\n')
			nsh_buf_puts(&b, "\\n");
		else if (*word == '\t')
			nsh_buf_puts(&b, "\\t");
		else
			nsh_buf_putc(&b, *word);
	}
	nsh_buf_putc(&b, '"');
	return nsh_buf_steal(&b);
}

/*
 * End of the command that starts at line[i]: the next ';' or comment
 * outside quotes, or the end of the line.  *comment says a '#' ended it.
 */
size_t nsh_cmd_end(const char *line, size_t i, bool *comment)
{
	char q = 0;

	*comment = false;
	for (; line[i] && line[i] != '\n'; i++) {
		char c = line[i];

		if (q) {
			if (c == '\\' && q == '"' && line[i + 1])
				i++;
			else if (c == q)
				q = 0;
		} else if (c == '\\' && line[i + 1]) {
			i++;
		} else if (c == '"' || c == '\'') {
			q = c;
		} else if (c == ';') {
			break;
		} else if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t' ||
					line[i - 1] == ';')) {
			*comment = true;
			break;
		}
	}
	return i;
}

/* Completion works on the command the cursor is in. */
size_t nsh_line_last_cmd(const char *line)
{
	size_t i = 0, end, start = 0;
	bool comment;

	for (;;) {
		end = nsh_cmd_end(line, i, &comment);
		if (line[end] != ';')
			return start;
		i = end + 1;
		start = i;
	}
}

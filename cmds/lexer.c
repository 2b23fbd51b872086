/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Words of a command (the shell's rules of lib/lex.c), quoting, and where commands end. */
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/lex.h"
#include "lib/util.h"
#include "cmds/cmd.h"

/* The shell's rules for the words of a command line. */
static const struct nsh_lex_rules cmd_words = { .shell = true };

/* Words with their offsets, so that errors can point at them (lib/lex.c splits them). */
int nsh_lex(const char *text, bool partial, struct nsh_toks *out, struct nsh_err *err)
{
	struct nsh_words w;
	int rc = nsh_lex_words(text, 0, strlen(text), &cmd_words, partial, &w, err);
	size_t i;

	memset(out, 0, sizeof(*out));
	if (w.n) {
		out->v = nsh_xcalloc(w.n, sizeof(*out->v));
		out->n = out->cap = w.n;
	}
	for (i = 0; i < w.n; i++) {
		out->v[i].s = w.v[i].s;		/* ownership moves */
		out->v[i].off = w.v[i].off;
		out->v[i].len = w.v[i].len;
		out->v[i].quoted = w.v[i].quoted;
	}
	out->open_quote = w.open_quote;
	out->trailing_space = w.trailing_space;
	free(w.v);
	return rc;
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
		if (nsh_lex_is_space(*w) || strchr("\"'\\;#", *w))
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
	for (; line[i]; i++) {		/* a batch's line may go on over several ('\n') */
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
					line[i - 1] == ';' || line[i - 1] == '\n')) {
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

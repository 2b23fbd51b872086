/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Words of a command line or of a rule: whitespace-separated, with quotes (see lex.h). */
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/lex.h"
#include "lib/util.h"

bool nsh_lex_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Append a word; takes the text from buf. */
static void words_push(struct nsh_words *w, struct nsh_buf *word, size_t off, size_t len,
		       bool quoted, bool open)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 8;
		w->v = nsh_xrealloc(w->v, w->cap * sizeof(*w->v));
	}
	w->v[w->n].s = nsh_buf_steal(word);
	w->v[w->n].off = off;
	w->v[w->n].len = len;
	w->v[w->n].quoted = quoted;
	w->v[w->n].open = open;
	w->n++;
}

/* The character a backslash escape inside double quotes stands for (shell rules). */
static char dq_escape(char c)
{
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	default:  return c;
	}
}

/* Is c a word of its own? */
static bool is_punct(const struct nsh_lex_rules *r, char c)
{
	return r->punct && c && strchr(r->punct, c);
}

/*
 * The quoted part at text[*i] (the quote) into word; *i ends past the
 * closing quote, or at end when it is missing: 1 then, -1 when that is an
 * error.
 */
static int lex_quoted(const char *text, size_t *i, size_t end, const struct nsh_lex_rules *r,
		      bool partial, struct nsh_buf *word, struct nsh_err *err)
{
	char q = text[*i];
	size_t qstart = (*i)++;

	while (*i < end && text[*i] != q) {
		if (r->shell && q == '"' && text[*i] == '\\' && *i + 1 < end) {
			nsh_buf_putc(word, dq_escape(text[*i + 1]));
			*i += 2;
		} else {
			nsh_buf_putc(word, text[(*i)++]);
		}
	}
	if (*i < end) {
		(*i)++;		/* closing quote */
		return 0;
	}
	if (partial)
		return 1;
	if (r->shell)
		nsh_err_set(err, qstart, end - qstart, "unterminated %s quote",
			    q == '"' ? "double" : "single");
	else
		nsh_err_set(err, qstart, end - qstart, "unterminated string (missing %c)", q);
	return -1;
}

/* See lex.h: one loop for both languages; r says where they differ. */
int nsh_lex_words(const char *text, size_t start, size_t end, const struct nsh_lex_rules *r,
		  bool partial, struct nsh_words *out, struct nsh_err *err)
{
	struct nsh_buf word;
	size_t i = start, s;
	bool quoted, open;
	int rc;

	memset(out, 0, sizeof(*out));
	nsh_buf_init(&word);
	for (;;) {
		while (i < end && nsh_lex_is_space(text[i]))
			i++;
		if (i >= end)
			break;
		if (r->max && out->n == r->max) {
			nsh_err_set(err, i, end - i, "%s too long (more than %zu words)", r->what,
				    r->max);
			goto err;
		}
		s = i;
		quoted = open = false;
		if (is_punct(r, text[i])) {
			nsh_buf_putc(&word, text[i++]);
			words_push(out, &word, s, 1, false, false);
			continue;
		}
		while (i < end && !nsh_lex_is_space(text[i])) {
			char c = text[i];

			if (c == '"' || c == '\'') {
				if (!r->shell && i > s)
					break;	/* nft: the string is the next word */
				quoted = true;
				rc = lex_quoted(text, &i, end, r, partial, &word, err);
				if (rc < 0)
					goto err;
				if (rc) {
					out->open_quote = c;
					open = true;
					break;
				}
				if (!r->shell)
					break;
			} else if (r->shell && c == '\\') {
				if (i + 1 >= end) {
					if (partial) {
						i++;
						break;
					}
					nsh_err_set(err, i, 1, "backslash at end of line");
					goto err;
				}
				nsh_buf_putc(&word, text[i + 1]);
				i += 2;
			} else if (!r->shell && (!c || is_punct(r, c))) {
				break;
			} else {
				nsh_buf_putc(&word, c);
				i++;
			}
		}
		words_push(out, &word, s, i - s, quoted, open);
	}
	out->trailing_space = end > start && nsh_lex_is_space(text[end - 1]) && !out->open_quote;
	nsh_buf_free(&word);
	return 0;
err:
	nsh_buf_free(&word);
	return -1;
}

void nsh_words_free(struct nsh_words *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->n; i++)
		free(w->v[i].s);
	free(w->v);
	memset(w, 0, sizeof(*w));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One word splitter for the two languages natsh reads: the command line
 * (shell rules) and the rule text (nft's rules).  Both separate words by
 * the same whitespace, keep each word's place in the text for error
 * carets, accept an unterminated quote while completing and report the
 * same errors; what differs is a parameter (struct nsh_lex_rules).
 */
#ifndef NSH_LEX_H
#define NSH_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/err.h"

/* A word and where it stands in the text. */
struct nsh_word {
	char *s;		/* the word, unquoted (owned by the list) */
	size_t off;		/* byte offset in the text */
	size_t len;		/* length in the text (quotes included) */
	bool quoted;
	bool open;		/* partial: its quote is not closed */
};

struct nsh_words {
	struct nsh_word *v;
	size_t n, cap;
	int open_quote;		/* partial: the quote char left open, or 0 */
	bool trailing_space;	/* the text ends in whitespace (outside a quote) */
};

/*
 * What a language makes of quotes and punctuation.
 *   shell: a backslash escapes the next character, "..." understands
 *     \" \\ \n \t, and quoted parts join the word around them (a"b c"d is
 *     one word), as in sh.  Without it (nft): quotes are literal to the
 *     closing quote and a quoted string is a word of its own.
 *   punct: characters that are words of their own ("{},"), NULL: none.
 *   max: most words (0: no bound); past it the error names what.
 */
struct nsh_lex_rules {
	bool shell;
	const char *punct;
	size_t max;
	const char *what;
};

/* The whitespace that separates words: space, tab, newline, return. */
bool nsh_lex_is_space(char c);

/*
 * Split text[start, end) into words appended to out (zeroed first).  With
 * partial (completion), an unterminated quote or a trailing backslash is
 * accepted.  -1 with err set on error; the words so far stay in out, the
 * caller's to release with nsh_words_free (also on error).
 */
int nsh_lex_words(const char *text, size_t start, size_t end, const struct nsh_lex_rules *r,
		  bool partial, struct nsh_words *out, struct nsh_err *err);
/* Free the words and their array; a zeroed list is fine. */
void nsh_words_free(struct nsh_words *w);

#endif

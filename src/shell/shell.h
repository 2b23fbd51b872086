/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The front end: a line of input becomes tokens (lexer.c), a command and
 * its arguments (dispatch.c), and runs; batch.c and repl.c feed it lines,
 * error.c prints what went wrong with a caret under the place.
 *
 * Offsets: the lexer works on one command's text (a -c string or a file
 * line is first split on ';').  Token offsets are relative to that text;
 * ctx->src.base says where it starts in ctx->src.line, and error.c adds it.
 */
#ifndef NSH_SHELL_H
#define NSH_SHELL_H

#include <stdbool.h>
#include <stddef.h>

#include "cmds/cmd.h"
#include "lib/err.h"

/* ---- lexer.c ---- */

struct nsh_toks {
	struct nsh_tok *v;
	size_t n, cap;
	int open_quote;		/* partial lexing: the quote char left open, or 0 */
	bool trailing_space;	/* partial lexing: the text ends in whitespace */
};

/*
 * Split text into words: whitespace separates; "..." keeps spaces and
 * understands \" \\ \n \t; '...' is literal; a backslash outside quotes
 * escapes the next character.  With partial (completion), an unterminated
 * quote is accepted and reported in open_quote.  -1 with err set on error;
 * the tokens are the caller's to release with nsh_toks_free (also on error).
 */
int nsh_lex(const char *text, bool partial, struct nsh_toks *out, struct nsh_err *err);
void nsh_toks_free(struct nsh_toks *t);

/*
 * Where the command starting at line[i] ends: at the next ';' or '#'
 * comment outside quotes, or at the end of the line (*comment: a '#').
 */
size_t nsh_cmd_end(const char *line, size_t i, bool *comment);
/* Offset where the last command of a line starts (after its last ';'). */
size_t nsh_line_last_cmd(const char *line);

/* Quote a word so that nsh_lex() gives it back unchanged (caller frees). */
char *nsh_quote(const char *word);

/* ---- dispatch.c ---- */

/* Lookup in a given table (nsh_cmd_lookup uses nsh_cmds). */
const struct nsh_cmd *nsh_cmd_lookup_in(const struct nsh_cmd *const *tab, const char *word,
					bool *ambiguous);

/*
 * Find the command of toks[0] and match the other tokens against its grammar.
 * On error, err holds the message and the place; *cmd is set when the command
 * itself was found (so usage can be suggested).
 */
int nsh_parse(const struct nsh_cmd *const *tab, const struct nsh_toks *toks,
	      const struct nsh_cmd **cmd, struct nsh_args *args, struct nsh_err *err);

/*
 * Walk a grammar over toks[from..n) and report every node that could
 * consume the token at index n (the word being completed).  A VALUE of kind
 * RULE or REST that starts at or before n is reported with its start index.
 * args holds what matched before it.  g is NULL when the line may end at n.
 */
typedef void (*nsh_gram_next_fn)(void *arg, const struct nsh_gram *g, size_t start,
				 const struct nsh_args *args);
void nsh_gram_next(const struct nsh_gram *g, const struct nsh_tok *toks, size_t from, size_t n,
		   nsh_gram_next_fn fn, void *arg);

/* Does word fit a VALUE of this kind (syntax only, no live lookup)? */
bool nsh_vk_valid(enum nsh_vk vk, const char *word);


/* Edit distance, for "did you mean" (capped: returns > cap when larger). */
size_t nsh_distance(const char *a, const char *b, size_t cap);

/* ---- error.c ---- */

/* Print an nsh_err recorded against the current command. */
void nsh_error_err(struct nsh_ctx *ctx, const struct nsh_err *err);

/* ---- ctx.c ---- */

void nsh_ctx_init(struct nsh_ctx *ctx);
void nsh_ctx_fini(struct nsh_ctx *ctx);
/* Open the netlink socket if not yet open; NSH_FAIL after reporting. */
int nsh_ctx_open_nl(struct nsh_ctx *ctx);
/* The user's message for an errno from netlink (the SPEC wording for EPERM). */
const char *nsh_ctx_strerror(int err);
/* Refresh ctx->cache only when the ruleset generation changed; quiet on failure. */
int nsh_ctx_refresh_cached(struct nsh_ctx *ctx);

/* ---- batch.c ---- */

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

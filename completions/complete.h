/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * completions/: what may come next at the end of a partial line, derived by
 * walking the same grammars the parser uses (cmds/args.c and the rule
 * grammar of model/syntax/).  May use cmds, render, model, lib; never shell/.
 *
 * Completion: what may come next at the end of a partial line, with live
 * values (families, tables, chains, positions, handles) from ctx->cache.
 * Used by the readline hooks (shell/repl.c) and `natsh --complete`.
 */
#ifndef NSH_COMPLETE_H
#define NSH_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

#include "cmds/cmd.h"

struct nsh_cand {
	char *word;		/* what Tab inserts; for a placeholder its name ("CHAIN") */
	char *help;		/* one line, may be NULL */
	bool placeholder;	/* not insertable: says what kind of value comes next */
	int vk;			/* placeholder: its enum nsh_vk (rule values mapped to one) */
};

struct nsh_cands {
	struct nsh_cand *v;
	size_t n, cap;
	size_t start;		/* byte offset in the line of the word being completed */
	bool files;		/* a file name may come next: complete file names too */
	size_t *index;		/* hash of words -> 1 + position in v (drops duplicates) */
	size_t index_cap;
	bool may_end;		/* the line is complete as it stands */
};

/*
 * Candidates for the word that ends the line (the text before the cursor):
 * insertable words start with the partial word; placeholders are added for
 * values that have no live candidates.  Duplicates are dropped; grammar order
 * is kept.  Returns 0 (never fails; an unknown command gives no candidates).
 */
int nsh_complete(struct nsh_ctx *ctx, const struct nsh_cmd *const *tab, const char *line,
		 struct nsh_cands *out);
void nsh_cands_free(struct nsh_cands *c);

/*
 * Bring completion's view of the kernel up to date (ctx->nl open): one
 * generation query when nothing changed, else tables and chains only;
 * the rules of a chain are read when its positions or handles are
 * completed.  -1 + errno on failure.  nsh_complete_fini frees it (NULL-safe).
 */
int nsh_complete_refresh(struct nsh_ctx *ctx);
void nsh_complete_fini(struct nsh_ctx *ctx);
/* Add a candidate (copies word and help); ignores words already present. */
void nsh_cands_add(struct nsh_cands *c, const char *word, const char *help, bool placeholder);
/* The same for a placeholder of value kind vk (enum nsh_vk). */
void nsh_cands_add_value(struct nsh_cands *c, const char *word, const char *help, int vk);
/* "STRING", "CHAIN", ...: a value kind's name, for `natsh --complete --describe`. */
const char *nsh_vk_name(int vk);

/*
 * Completion of a RULE value: line is the whole line up to the cursor, the
 * rule starts at line[start].  The completer adds candidates for the word
 * being typed and sets out->start to where that word begins in line (it
 * may split words differently from the shell, e.g. at '{' and ',').
 * nsh_complete_rule_nft walks the rule grammar (model/rule_parse.c) for
 * tables of the given family; it is ctx->complete_rule once nsh_ctx_init
 * ran (tests may set their own).  NULL: a RULE placeholder is offered.
 */
void nsh_complete_rule_nft(struct nsh_ctx *ctx, const char *line, size_t start, int family,
			   struct nsh_cands *out);

#endif

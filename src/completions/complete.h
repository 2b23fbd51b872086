/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Completion: what may come next at the end of a partial line, derived by
 * walking the same grammar the parser uses (shell/dispatch.c), with live
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
};

struct nsh_cands {
	struct nsh_cand *v;
	size_t n, cap;
	size_t start;		/* byte offset in the line of the word being completed */
	const char *partial;	/* that word as typed so far (set while the rule hook runs) */
	bool files;		/* a file name may come next: complete file names too */
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
/* Add a candidate (copies word and help); ignores words already present. */
void nsh_cands_add(struct nsh_cands *c, const char *word, const char *help, bool placeholder);

/*
 * The rule grammar plugs its completer here (set once at start-up in
 * shell/main.c, like nsh_oom_hook): rule is the text of the rule typed so
 * far (up to the cursor); it adds candidates that replace the last word
 * of rule (out->partial).  NULL: a RULE placeholder is offered.
 */
typedef void (*nsh_complete_rule_fn)(struct nsh_ctx *ctx, const char *rule,
				     struct nsh_cands *out);
extern nsh_complete_rule_fn nsh_complete_rule_hook;

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * model/syntax/: text <-> model: the rule grammar (rule_gram.c), the rule
 * parser (rule_parse*.c), a rule's nft text (rule_text.c), the iptables
 * translation (ipt*.c) and saved scripts (load.c).  May use model, lib.
 *
 * Text -> model: natsh's rule language (nft syntax, SPEC section 5).
 * The rule grammar is data (rule_gram.c) walked by the parser and by
 * the completion engine.
 */
#ifndef NSH_RULE_PARSE_H
#define NSH_RULE_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include "lib/err.h"
#include "model/model.h"

/*
 * Parse line[start, end) as one rule for a table of family into *r (cleared
 * first).  A counter statement is added unless the rule says `nocounter`.
 * On error returns -1 and fills err with offsets into line (so the caller
 * can put a caret under the bad word); *r is left empty.
 */
int nsh_rule_parse(const char *line, size_t start, size_t end, int family,
		   struct nsh_rule *r, struct nsh_err *err);

/*
 * Refuse combinations the kernel would reject or that cannot work in a
 * chain hooked at hooknum (masquerade outside postrouting, dnat in
 * postrouting, a statement after a terminal one...).  -1 + err on refusal;
 * off is where the rule text starts in the line (for the caret).
 * hooknum NSH_HOOK_ANY (a regular chain) skips the hook checks.
 */
#define NSH_HOOK_ANY UINT32_MAX
int nsh_rule_check_hook(const struct nsh_rule *r, int family, uint32_t hooknum,
			size_t off, struct nsh_err *err);

/*
 * Completion of a partial rule: calls fn for each word that may come next
 * after line[start, cursor), with a one-line description.
 */
typedef void (*nsh_complete_fn)(void *arg, const char *word, const char *help);
void nsh_rule_complete(const char *line, size_t start, size_t cursor, int family,
		       nsh_complete_fn fn, void *arg);

#endif

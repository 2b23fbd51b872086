/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading a script written by `natsh save` (nft syntax) back into rules of
 * natsh's own table, through natsh's rule parser: no kernel, no printing.
 * Accepted: comments, "table inet natsh", "delete|flush table inet natsh",
 * "table inet natsh {", "set|map NAME {" blocks as nft lists them,
 * "chain NAME {" for natsh's base chains (their "type nat hook H priority
 * P; policy accept;" line) and for other chains (regular, or base with
 * "type T hook H priority P; policy accept|drop;"), rule lines, "}".
 */
#ifndef NSH_LOAD_H
#define NSH_LOAD_H

#include <stddef.h>
#include "lib/err.h"
#include "model/model.h"

struct nsh_load_rule {
	const char *chain;	/* natsh's base chain name (static) */
	uint32_t hooknum;
	struct nsh_rule rule;
	unsigned lineno;
	size_t line_off;	/* where its line starts in the text */
	size_t off, len;	/* the rule text, relative to its line */
};

/* A chain beyond natsh's own: regular, or a base chain with its type line. */
struct nsh_load_chain {
	struct nsh_chain def;	/* name, base, type, hooknum, prio, policy (no rules) */
	unsigned lineno;
};

/* A named set or map block. */
struct nsh_load_set {
	struct nsh_nset set;
	unsigned lineno;
};

struct nsh_load {
	size_t n;
	struct nsh_load_rule *v;	/* chain: natsh's (static) or a nsh_load_chain's name */
	size_t nchains;
	struct nsh_load_chain *chains;
	size_t nsets;
	struct nsh_load_set *sets;
};

/*
 * Parse text.  On error -1, *lineno and *line_off say which line, err holds
 * the offsets in that line.  out is emptied on error; free with nsh_load_clear.
 */
int nsh_load_parse(const char *text, struct nsh_load *out, unsigned *lineno, size_t *line_off,
		   struct nsh_err *err);
void nsh_load_clear(struct nsh_load *l);

#endif

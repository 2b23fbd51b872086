/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * show's layout: the chains as aligned columns (position, handle, counters,
 * rule, comment) or as one JSON document, and the lists of `show tables`
 * and `show chains`.  Which tables and chains to show is the caller's
 * choice (cmds/show.c): it walks them and hands each over.
 *
 * Text is rendered into a few scratch buffers reused for every rule and
 * printed in 16 KiB pieces (50,000 rules must not mean 50,000 allocations,
 * nor a buffer as big as the listing).
 */
#ifndef NSH_RENDER_SHOW_H
#define NSH_RENDER_SHOW_H

#include <stddef.h>

#include "lib/buf.h"
#include "model/flows.h"
#include "model/model.h"
#include "render/out.h"

/* One show's output and its scratch buffers (caller-owned, reused per rule). */
struct nsh_show {
	struct nsh_out *o;
	struct nsh_buf text, nft, line;
	/*
	 * Flows per rule (cmds set them before each chain): the counts of
	 * chain ci of table ti; NULL: no flows column (conntrack unreadable,
	 * or a staged chain).
	 */
	const struct nsh_flows *flows;
	size_t ti, ci;
};

void nsh_show_init(struct nsh_show *s, struct nsh_out *o);
void nsh_show_clear(struct nsh_show *s);

/*
 * The chains of a listing: begin, then per table table_begin, the chains
 * (one call each) and table_end, then end.  any: some chain was shown (text
 * says "no NAT tables" otherwise).  In JSON the listing is one document.
 */
void nsh_show_begin(struct nsh_show *s, const struct nsh_ruleset *rs);
void nsh_show_table_begin(struct nsh_show *s, const struct nsh_table *t);
void nsh_show_chain(struct nsh_show *s, const struct nsh_table *t, const struct nsh_chain *c);
void nsh_show_table_end(struct nsh_show *s);
void nsh_show_end(struct nsh_show *s, bool any);

/* Rule i (0-based) of chain c alone: under its chain header, or as a JSON document. */
void nsh_show_rule(struct nsh_show *s, const struct nsh_table *t, const struct nsh_chain *c,
		   size_t i);

/* `show tables`: every table with its numbers of chains and rules. */
void nsh_show_tables(struct nsh_show *s, const struct nsh_ruleset *rs);
/* `show chains`: every chain with hook, priority, policy and number of rules. */
void nsh_show_chains(struct nsh_show *s, const struct nsh_ruleset *rs);

#endif

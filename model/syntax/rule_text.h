/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Model -> nft syntax.  The text is exactly what `nft list ruleset`
 * (nftables 1.0.6, the oracle) prints for the same rule.
 */
#ifndef NSH_RENDER_RULE_H
#define NSH_RENDER_RULE_H

#include <stdint.h>
#include "lib/buf.h"
#include "model/model.h"

enum {
	NSH_RF_COUNTERS = 1 << 0,	/* "counter packets N bytes M" instead of "counter" */
	NSH_RF_COMMENT = 1 << 1,	/* append comment "..." as nft does */
	NSH_RF_RAW = 1 << 2,		/* natsh's own statements, even where nft's text is had */
	NSH_RF_MARK = 1 << 3,		/* a rule natsh does not understand: "  # not understood..." */
};

/*
 * Append the rule's text to b (t gives the family context).  A rule natsh
 * does not understand (r->opaque) is nft's text when it was had
 * (r->nft_text, see model/syntax/rule_nft.h), else natsh's raw statements.
 */
void nsh_rule_render(const struct nsh_table *t, const struct nsh_rule *r, unsigned flags,
		     struct nsh_buf *b);
/* Append one value of a datatype as nft prints it. */
void nsh_val_render(enum nsh_type type, const struct nsh_val *v, struct nsh_buf *b);

/* "dstnat", "srcnat", "100", "dstnat + 10" as nft prints a nat chain's priority. */
void nsh_prio_render(int family, uint32_t hooknum, int32_t prio, struct nsh_buf *b);

#endif

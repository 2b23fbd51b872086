/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A rule natsh does not understand, shown as nft lists it: r->nft_text
 * (read by model/nl/nftlib.c) in the forms nsh_rule_render's flags ask for,
 * and the mark that says natsh does not understand it.
 */
#ifndef NSH_SYNTAX_RULE_NFT_H
#define NSH_SYNTAX_RULE_NFT_H

#include "lib/buf.h"
#include "model/model.h"

/*
 * Append r->nft_text: with counter values only for NSH_RF_COUNTERS (else
 * "counter", as natsh writes a rule it understands), with the comment only
 * for NSH_RF_COMMENT, and the mark for NSH_RF_MARK.
 */
void nsh_rule_nft_render(const struct nsh_rule *r, unsigned flags, struct nsh_buf *b);

/*
 * The mark of an opaque rule, "# not understood by natsh", saying too when
 * nft's text could not be had (the text shown is then natsh's raw one).
 */
const char *nsh_rule_mark_text(const struct nsh_rule *r);
/* Two spaces and the mark. */
void nsh_rule_mark(const struct nsh_rule *r, struct nsh_buf *b);

#endif

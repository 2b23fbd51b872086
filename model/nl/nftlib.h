/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * nft's own text of the rules natsh does not understand: libnftables (the
 * library nft is built on) lists the table, and each opaque rule of the dump
 * gets the line nft prints for its handle.  The only file that uses
 * libnftables (tools/check-layout.sh).  For model/nl/ (dump.c) and the unit
 * tests of the listing parser.
 */
#ifndef NSH_NL_NFTLIB_H
#define NSH_NL_NFTLIB_H

#include <stddef.h>
#include <stdint.h>
#include "model/model.h"
#include "model/nl/sock.h"

/* One rule line of a listing: pointers into the listing's text, not owned. */
struct nsh_nft_line {
	const char *chain, *text;
	size_t chain_len, text_len;	/* text without "\t\t" and " # handle N" */
	uint64_t handle;
};

/* The rule lines of one table's listing, sorted by handle. */
struct nsh_nft_listing {
	size_t n, cap;
	struct nsh_nft_line *v;
};

/*
 * Parse the output of `nft -a list table FAMILY TABLE` (nftables 1.0.6).
 * Every line must be one nft writes there (table and chain headers, the
 * chain's type/comment lines, rule lines with balanced quotes ending in
 * " # handle N", set/map/object blocks, blank lines), and each handle may
 * appear once: otherwise -1 + EINVAL, and nothing of the listing is to be
 * trusted (a string holding a newline could forge a line).
 */
int nsh_nft_listing_parse(const char *text, const char *family, const char *table,
			  struct nsh_nft_listing *out);
void nsh_nft_listing_clear(struct nsh_nft_listing *l);
/* The line of this handle, NULL when there is none. */
const struct nsh_nft_line *nsh_nft_listing_find(const struct nsh_nft_listing *l,
						uint64_t handle);

/*
 * Does nft's line fit rule r: the same chain and, when r has a comment,
 * ending in exactly comment "..." as nft writes it?  Only then is the text
 * shown for r.
 */
bool nsh_nft_line_fits(const struct nsh_nft_line *l, const char *chain,
		       const struct nsh_rule *r);

/*
 * Give each opaque rule of rs nft's text (r->nft_text), table by table and
 * only for tables that hold one, each listing read between two generation
 * checks on sock.  Returns 0 when done (rules whose text could not be had,
 * libnftables failing or the listing not trusted, keep NULL), 1 when the
 * generation moved past rs->genid (rs is stale: dump again).
 */
int nsh_nftlib_attach(struct nsh_sock *sock, struct nsh_ruleset *rs);

#endif

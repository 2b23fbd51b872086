/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The encoder's part for the statements of model/stmts.h (used by to_nftnl.c only). */
#ifndef NSH_TO_NFTNL_STMT2_H
#define NSH_TO_NFTNL_STMT2_H

#include "model/model.h"

struct nftnl_expr;

/* Where the expressions go, and what the rule's earlier matches established. */
struct nsh_enc2 {
	int family;
	int *nf_ctx;		/* nfproto known, 0 when not */
	int *l4_ctx;		/* l4proto known, -1 when not */
	int (*add)(void *arg, struct nftnl_expr *x);	/* takes x, also on error */
	void *arg;
};

/* The implicit matches nft puts at the start of a rule (those of reject). */
int nsh_enc_rule_deps(struct nsh_enc2 *c, const struct nsh_rule *r);
/* Append the expressions of s; -1 + errno on failure. */
int nsh_enc_stmt2(struct nsh_enc2 *c, const struct nsh_stmt *s);

#endif

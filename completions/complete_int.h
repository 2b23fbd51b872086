/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by complete.c (the grammar walk) and complete_live.c (what it reads). */
#ifndef NSH_COMPLETE_INT_H
#define NSH_COMPLETE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "completions/complete.h"
#include "model/model.h"

/* The ruleset to complete from: a current full dump, else tables and chains only. */
const struct nsh_ruleset *nsh_comp_live_rs(const struct nsh_ctx *ctx);

/*
 * The rules of chain c of table t in rs: from a full dump, else read on
 * demand (cached by generation); *rules NULL: handles only (a long chain).
 * -1 when they cannot be read.
 */
int nsh_comp_chain_rules(struct nsh_ctx *ctx, const struct nsh_ruleset *rs,
			 const struct nsh_table *t, const struct nsh_chain *c,
			 const struct nsh_rule **rules, const uint64_t **handles, size_t *n);

/* Ports of /etc/services matching partial (names: service names allowed); how many exist. */
int nsh_comp_services(struct nsh_cands *out, const char *partial, bool names);
/* Protocols of /etc/protocols matching partial; how many exist. */
int nsh_comp_protos(struct nsh_cands *out, const char *partial);

/*
 * Candidates for an iptables option line (completions/complete_ipt.c):
 * toks[0..n) are the words after "iptables", before the partial word.
 */
void nsh_comp_ipt(struct nsh_ctx *ctx, const struct nsh_tok *toks, size_t n, const char *partial,
		  struct nsh_cands *out);

#endif

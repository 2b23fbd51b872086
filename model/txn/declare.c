/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a load declares besides rules: chains beyond natsh's own and named
 * sets and maps.  Kept apart from the ops (which are rules): they go into
 * the batch after the table and before every rule, in the file's order.
 */
#include <errno.h>
#include <stdio.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "model/nft/to_nftnl.h"
#include "model/txn/txn_int.h"

/* Set ids of declared sets: far from the ids of the rules' anonymous sets. */
#define DECL_SET_ID 0x40000000u

/* A copy of loc whose line the transaction owns when it copies lines. */
static void loc_keep(const struct nsh_txn *t, const struct nsh_txn_loc *loc,
		     struct nsh_txn_loc *to, bool *own)
{
	*own = false;
	if (loc)
		*to = *loc;
	else
		memset(to, 0, sizeof(*to));
	if (t->own_lines && to->line) {
		to->line = nsh_xstrdup(to->line);
		*own = true;
	}
}

size_t txn_dchain_find(const struct nsh_txn *t, int family, const char *table, const char *name)
{
	size_t i;

	for (i = 0; i < t->ndchains; i++)
		if (t->dchains[i].family == family && !strcmp(t->dchains[i].table, table) &&
		    !strcmp(t->dchains[i].def.name, name))
			return i + 1;
	return 0;
}

/* See txn.h. */
int nsh_txn_declare_chain(struct nsh_txn *t, int family, const char *table,
			  const struct nsh_chain *def, const struct nsh_txn_loc *loc,
			  struct nsh_txn_err *e)
{
	struct txn_dchain *d;

	if (txn_dchain_find(t, family, table, def->name)) {
		txn_err(e, loc, EEXIST, "chain %s is declared twice", def->name);
		e->what = NSH_TE_CHAIN;
		return -1;
	}
	t->dchains = nsh_xrealloc(t->dchains, (t->ndchains + 1) * sizeof(*t->dchains));
	d = &t->dchains[t->ndchains++];
	memset(d, 0, sizeof(*d));
	d->family = family;
	d->table = nsh_xstrdup(table);
	d->def.name = nsh_xstrdup(def->name);
	d->def.base = def->base;
	d->def.type = def->type ? nsh_xstrdup(def->type) : NULL;
	d->def.hooknum = def->hooknum;
	d->def.prio = def->prio;
	d->def.policy = def->policy;
	loc_keep(t, loc, &d->loc, &d->own_line);
	return 0;
}

/* See txn.h. */
int nsh_txn_declare_set(struct nsh_txn *t, int family, const char *table, struct nsh_nset *s,
			const struct nsh_txn_loc *loc, struct nsh_txn_err *e)
{
	struct txn_dset *d;
	size_t i;

	for (i = 0; i < t->ndsets; i++)
		if (t->dsets[i].family == family && !strcmp(t->dsets[i].table, table) &&
		    !strcmp(t->dsets[i].set.name, s->name)) {
			txn_err(e, loc, EEXIST, "set %s is declared twice", s->name);
			return -1;
		}
	t->dsets = nsh_xrealloc(t->dsets, (t->ndsets + 1) * sizeof(*t->dsets));
	d = &t->dsets[t->ndsets++];
	memset(d, 0, sizeof(*d));
	d->family = family;
	d->table = nsh_xstrdup(table);
	d->set = *s;
	memset(s, 0, sizeof(*s));
	loc_keep(t, loc, &d->loc, &d->own_line);
	return 0;
}

void txn_decl_clear(struct nsh_txn *t)
{
	size_t i;

	for (i = 0; i < t->ndchains; i++) {
		free(t->dchains[i].table);
		free(t->dchains[i].def.name);
		free(t->dchains[i].def.type);
		if (t->dchains[i].own_line)
			free((char *)t->dchains[i].loc.line);
	}
	free(t->dchains);
	t->dchains = NULL;
	t->ndchains = 0;
	for (i = 0; i < t->ndsets; i++) {
		free(t->dsets[i].table);
		nsh_nset_clear(&t->dsets[i].set);
		if (t->dsets[i].own_line)
			free((char *)t->dsets[i].loc.line);
	}
	free(t->dsets);
	t->dsets = NULL;
	t->ndsets = 0;
}

/* "set NAME", "chain NAME": what a seqmap value > TXN_DECL_OP names. */
void txn_decl_name(const struct nsh_txn *t, size_t v, char *buf, size_t len)
{
	size_t i = v - TXN_DECL_OP - 1;

	if (i < t->ndchains)
		snprintf(buf, len, "chain %s", t->dchains[i].def.name);
	else if (i - t->ndchains < t->ndsets)
		snprintf(buf, len, "%s %s", (t->dsets[i - t->ndchains].set.flags & NFT_SET_MAP) ?
			 "map" : "set", t->dsets[i - t->ndchains].set.name);
	else
		snprintf(buf, len, "a declaration");
}

/* seqmap values: TXN_DECL_OP + 1 + index, chains first, then sets. */
const struct nsh_txn_loc *txn_decl_loc(const struct nsh_txn *t, size_t v)
{
	size_t i = v - TXN_DECL_OP - 1;

	if (i < t->ndchains)
		return t->dchains[i].loc.line ? &t->dchains[i].loc : NULL;
	i -= t->ndchains;
	if (i < t->ndsets)
		return t->dsets[i].loc.line ? &t->dsets[i].loc : NULL;
	return NULL;
}

/* See txn_int.h: chains before sets (a verdict map's jump needs its chain). */
int txn_build_decl(struct nsh_txn *t, struct nsh_batch *b, struct seqmap *m, struct nsh_txn_err *e)
{
	size_t ci, i;

	for (ci = 0; ci < t->nchains; ci++) {
		const struct txn_chain *c = &t->chains[ci];

		if (!c->create || !c->decl)
			continue;
		txn_seqmap_put(m, nsh_batch_seq(b), TXN_DECL_OP + c->decl);
		nsh_batch_add_chain_def(b, c->family, c->table, &t->dchains[c->decl - 1].def);
	}
	for (i = 0; i < t->ndsets; i++) {
		const struct txn_dset *d = &t->dsets[i];
		struct mnl_nlmsg_batch *mb;
		uint32_t *seq;

		mb = nsh_batch_enc_begin(b, &seq);
		txn_seqmap_put(m, *seq, TXN_DECL_OP + 1 + t->ndchains + i);
		if (nsh_nset_encode(mb, seq, d->family, d->table, &d->set,
				    DECL_SET_ID + (uint32_t)i, true) < 0) {
			txn_err(e, d->loc.line ? &d->loc : NULL, errno,
				"set %s cannot be written: %s", d->set.name,
				errno == ENOSPC ? "it is too large for one batch" : strerror(errno));
			nsh_batch_enc_end(b, false);
			return -1;
		}
		nsh_batch_enc_end(b, false);
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Staged transactions: chain views, positions resolved against them, staging. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "lib/util.h"
#include "model/nft/to_nftnl.h"
#include "model/txn/txn_int.h"

#ifndef ERESTART
#define ERESTART 85
#endif

/* Fill an error with the place of the command it belongs to (e may be NULL). */
void txn_err(struct nsh_txn_err *e, const struct nsh_txn_loc *loc, int err,
	     const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	memset(e, 0, sizeof(*e));
	if (loc)
		e->loc = *loc;
	e->err = err;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

/* An empty session: no socket until the first change. */
struct nsh_txn *nsh_txn_new(bool own_lines, bool undo)
{
	struct nsh_txn *t = nsh_xcalloc(1, sizeof(*t));

	t->own_lines = own_lines;
	t->undo = undo;
	return t;
}

/* Batches keep their lines alive; interactive lines must be copied. */
void nsh_txn_set_lines(struct nsh_txn *t, bool own_lines)
{
	t->own_lines = own_lines;
}

/* The writing socket, opened on first use. */
struct nsh_wire *nsh_txn_wire(struct nsh_txn *t)
{
	if (!t->w)
		t->w = nsh_wire_open();
	return t->w;
}

/* Free a chain view and the live rules it read. */
static void chain_free(struct txn_chain *c)
{
	size_t i;

	for (i = 0; i < c->nlive; i++)
		nsh_rule_clear(&c->live[i]);
	free(c->live);
	free(c->ents);
	free(c->table);
	free(c->name);
}

/* Forget the views (not the ops): before a replay or after a commit. */
void txn_views_clear(struct nsh_txn *t)
{
	size_t i;

	for (i = 0; i < t->nchains; i++)
		chain_free(&t->chains[i]);
	free(t->chains);
	t->chains = NULL;
	t->nchains = 0;
	t->have_genid = false;
	t->own_state = 0;
	t->create_op = 0;
}

/* Free what a staged op owns. */
static void op_clear(struct txn_op *o)
{
	nsh_rule_clear(&o->rule);
	if (o->own_line)
		free((char *)o->loc.line);
}

/* Drop the ops and the views; the undo history stays. */
void nsh_txn_abort(struct nsh_txn *t)
{
	size_t i;

	for (i = 0; i < t->nops; i++)
		op_clear(&t->ops[i]);
	free(t->ops);
	t->ops = NULL;
	t->nops = t->cap = 0;
	txn_after_clear(t);
	txn_views_clear(t);
	txn_decl_clear(t);
}

/* Free the lines kept for the errors of the last commit. */
void txn_old_lines_free(struct nsh_txn *t)
{
	size_t i;

	for (i = 0; i < t->nold; i++)
		free(t->old_lines[i]);
	free(t->old_lines);
	t->old_lines = NULL;
	t->nold = 0;
}

/* Keep the ops' own lines past the commit: the errors it returns point into them. */
void txn_keep_lines(struct nsh_txn *t)
{
	size_t i;

	for (i = 0; i < t->nops; i++) {
		struct txn_op *o = &t->ops[i];

		if (!o->own_line)
			continue;
		t->old_lines = nsh_xrealloc(t->old_lines, (t->nold + 1) * sizeof(*t->old_lines));
		t->old_lines[t->nold++] = (char *)o->loc.line;
		o->own_line = false;
	}
}

/* NULL is a no-op. */
void nsh_txn_free(struct nsh_txn *t)
{
	if (!t)
		return;
	nsh_txn_abort(t);
	txn_old_lines_free(t);
	txn_written_clear(t);
	txn_hist_clear(t);
	nsh_wire_close(t->w);
	free(t);
}

/* NULL-safe. */
bool nsh_txn_pending(const struct nsh_txn *t)
{
	return t && (t->nops > 0 || t->nafter > 0 || t->ndsets > 0 || t->ndchains > 0);
}

/* NULL-safe. */
size_t nsh_txn_nops(const struct nsh_txn *t)
{
	return t ? t->nops : 0;
}

/* Is this natsh's own table inet natsh? */
static bool is_own(int family, const char *table)
{
	return family == NSH_OWN_FAMILY && !strcmp(table, NSH_OWN_TABLE);
}

/* The view of a chain this transaction already touched, or NULL. */
struct txn_chain *txn_find_chain(struct nsh_txn *t, int family, const char *table,
				 const char *chain)
{
	size_t i;

	for (i = 0; i < t->nchains; i++) {
		struct txn_chain *c = &t->chains[i];

		if (c->family == family && !strcmp(c->table, table) && !strcmp(c->name, chain))
			return c;
	}
	return NULL;
}

/* A new, empty view; remembers the op that first touched it. */
static struct txn_chain *chain_add(struct nsh_txn *t, int family, const char *table,
				   const char *chain)
{
	struct txn_chain *c;

	t->chains = nsh_xrealloc(t->chains, (t->nchains + 1) * sizeof(*t->chains));
	c = &t->chains[t->nchains++];
	memset(c, 0, sizeof(*c));
	c->family = family;
	c->table = nsh_xstrdup(table);
	c->name = nsh_xstrdup(chain);
	c->first_op = t->nops + 1;
	return c;
}

/* The generation id every later read and the commit are checked against. */
int txn_genid(struct nsh_txn *t, struct nsh_txn_err *e)
{
	if (t->have_genid)
		return 0;
	if (!nsh_txn_wire(t) || nsh_wire_genid(t->w, &t->genid) < 0) {
		txn_err(e, NULL, errno, "cannot read the nf_tables generation: %s",
			strerror(errno));
		return -1;
	}
	t->have_genid = true;
	return 0;
}

/* The view of a chain a load declares and the transaction creates. */
static struct txn_chain *decl_view(struct nsh_txn *t, int family, const char *table,
				   const char *chain)
{
	size_t d = txn_dchain_find(t, family, table, chain);
	struct txn_chain *c = chain_add(t, family, table, chain);

	c->base = t->dchains[d - 1].def.base;
	c->hooknum = c->base ? t->dchains[d - 1].def.hooknum : UINT32_MAX;
	c->create = true;
	c->decl = d;
	c->loaded = c->decoded = true;
	return c;
}

/* Find or set up the view of a chain, checking that table and chain exist. */
struct txn_chain *txn_chain_get(struct nsh_txn *t, int family, const char *table,
				       const char *chain, struct nsh_txn_err *e)
{
	struct txn_chain *c = txn_find_chain(t, family, table, chain);
	struct nsh_wire_chain wc;
	bool own = is_own(family, table);
	const struct nsh_own_chain *oc = own ? nsh_own_chain_find(chain) : NULL;
	int r;

	if (c)
		return c;
	if (txn_genid(t, e) < 0)
		return NULL;
	if (own && t->own_state == 0) {
		r = nsh_wire_table_exists(t->w, family, table);
		if (r < 0)
			goto io_err;
		t->own_state = r ? 1 : 2;
		if (!r)
			t->create_op = t->nops + 1;
	}
	if (own && t->own_state == 2) {
		if (!oc && txn_dchain_find(t, family, table, chain))
			return decl_view(t, family, table, chain);
		if (!oc)
			goto no_chain;
		c = chain_add(t, family, table, chain);
		c->base = true;
		c->hooknum = oc->hooknum;
		c->loaded = c->decoded = true;
		return c;
	}
	r = nsh_wire_chain_get(t->w, family, table, chain, &wc);
	if (r < 0)
		goto io_err;
	if (r == 0) {
		if (oc) {
			/* natsh's table lost one of its base chains: put it back */
			c = chain_add(t, family, table, chain);
			c->base = true;
			c->create = true;
			c->hooknum = oc->hooknum;
			c->loaded = c->decoded = true;
			return c;
		}
		if (txn_dchain_find(t, family, table, chain))
			return decl_view(t, family, table, chain);
		if (!own) {
			r = nsh_wire_table_exists(t->w, family, table);
			if (r < 0)
				goto io_err;
			if (!r) {
				txn_err(e, NULL, ENOENT, "no table %s %s", nsh_family_name(family),
					table);
				e->what = NSH_TE_TABLE;
				return NULL;
			}
		}
		goto no_chain;
	}
	c = chain_add(t, family, table, chain);
	c->base = wc.base;
	c->hooknum = wc.base ? wc.hooknum : UINT32_MAX;
	return c;
no_chain:
	txn_err(e, NULL, ENOENT, "table %s %s has no chain \"%s\"", nsh_family_name(family),
		table, chain);
	e->what = NSH_TE_CHAIN;
	return NULL;
io_err:
	txn_err(e, NULL, errno, "cannot read table %s %s: %s", nsh_family_name(family), table,
		strerror(errno));
	return NULL;
}

/* The hook of a chain the caller is about to write to (checks it exists). */
int nsh_txn_chain(struct nsh_txn *t, int family, const char *table, const char *chain,
		  uint32_t *hooknum, struct nsh_txn_err *e)
{
	struct txn_chain *c = txn_chain_get(t, family, table, chain, e);

	if (!c)
		return -1;
	*hooknum = c->base ? c->hooknum : UINT32_MAX;
	return 0;
}

/* Insert n entries at index at of a view. */
static void ents_insert(struct txn_chain *c, size_t at, const struct txn_ent *x, size_t n)
{
	if (!n)
		return;
	if (c->n + n > c->cap) {
		while (c->n + n > c->cap)
			c->cap = c->cap ? c->cap * 2 : 16;
		c->ents = nsh_xrealloc(c->ents, c->cap * sizeof(*c->ents));
	}
	memmove(&c->ents[at + n], &c->ents[at], (c->n - at) * sizeof(*c->ents));
	memcpy(&c->ents[at], x, n * sizeof(*x));
	c->n += n;
}

/* Remove the entry at index at of a view. */
static void ents_remove(struct txn_chain *c, size_t at)
{
	memmove(&c->ents[at], &c->ents[at + 1], (c->n - at - 1) * sizeof(*c->ents));
	c->n--;
}

/*
 * Read the live rules of a chain into its view (handles only, or decoded
 * models too).  Rules read after a blind flush enter as deleted by it.
 */
int txn_load(struct nsh_txn *t, struct txn_chain *c, bool decode, struct nsh_txn_err *e)
{
	struct nsh_rule *rules = NULL;
	uint64_t *handles = NULL;
	struct txn_ent *x;
	size_t n = 0, i, j;
	int r;

	if (c->loaded && (!decode || c->decoded))
		return 0;
	if (decode)
		r = nsh_wire_chain_rules(t->w, c->family, c->table, c->name, &rules, &n);
	else
		r = nsh_wire_chain_handles(t->w, c->family, c->table, c->name, &handles, &n);
	if (r < 0) {
		txn_err(e, NULL, errno, "cannot read chain %s: %s", c->name, strerror(errno));
		return -1;
	}
	if (!c->loaded) {
		x = nsh_xcalloc(n ? n : 1, sizeof(*x));
		for (i = 0; i < n; i++) {
			x[i].handle = decode ? rules[i].handle : handles[i];
			x[i].lr = decode ? i + 1 : 0;
			x[i].del_op = c->flushed ? c->flush_op : 0;
		}
		ents_insert(c, c->live_at, x, n);
		free(x);
	} else {
		/*
		 * Handles were known: attach the models to them.  Both are in
		 * chain order, so one walk does it (a rule not found where the
		 * walk is, is looked for from the start); rules read one by one
		 * before (txn_load_one) give way to these.
		 */
		for (i = 0; i < c->nlive; i++)
			nsh_rule_clear(&c->live[i]);
		free(c->live);
		c->live = NULL;
		c->nlive = 0;
		for (j = 0, i = 0; j < c->n; j++) {
			size_t k = i;

			if (c->ents[j].op)
				continue;
			c->ents[j].lr = 0;
			while (k < n && rules[k].handle != c->ents[j].handle)
				k++;
			if (k == n)
				for (k = 0; k < i && rules[k].handle != c->ents[j].handle; k++)
					;
			if (k < n && rules[k].handle == c->ents[j].handle) {
				c->ents[j].lr = k + 1;
				i = k + 1;
			}
		}
	}
	if (decode) {
		c->live = rules;
		c->nlive = n;
		c->decoded = true;
	}
	free(handles);
	c->loaded = true;
	return 0;
}

/*
 * The live rule op o deletes or replaces, decoded for undo: read alone, by
 * its handle, unless the whole chain was read already (a delete in a chain
 * of 50,000 rules reads one rule, not 50,000, and only the sets it uses).
 */
static int txn_load_one(struct nsh_txn *t, struct txn_chain *c, const struct txn_op *o,
			struct nsh_txn_err *e)
{
	struct txn_ent *x;
	size_t i;

	if (o->a_op)
		return 0;	/* a staged rule: undo has nothing live to keep */
	if (c->decoded || !c->loaded)
		return txn_load(t, c, true, e);
	for (i = 0; i < c->n; i++)
		if (!c->ents[i].del_op && !c->ents[i].op && c->ents[i].handle == o->a_handle)
			break;
	if (i == c->n || c->ents[i].lr)
		return 0;	/* read before, or gone (said later) */
	x = &c->ents[i];
	c->live = nsh_xrealloc(c->live, (c->nlive + 1) * sizeof(*c->live));
	if (nsh_wire_chain_rule(t->w, c->family, c->table, c->name, x->handle,
				&c->live[c->nlive]) < 0) {
		if (errno == ENOENT)
			return 0;	/* deleted meanwhile: the op says it is gone */
		txn_err(e, NULL, errno, "cannot read chain %s: %s", c->name, strerror(errno));
		return -1;
	}
	c->live[c->nlive].position = 0;
	x->lr = ++c->nlive;
	return 0;
}

int nsh_txn_view(struct nsh_txn *t, int family, const char *table, const char *chain,
		 struct nsh_view_ent **v, size_t *n, struct nsh_txn_err *e)
{
	struct txn_chain *c = txn_find_chain(t, family, table, chain);
	size_t i, k = 0;

	*v = NULL;
	*n = 0;
	if (!c || c->first_op > t->nops)
		return 0;	/* untouched, or only looked at by an op not staged */
	if (!c->create && txn_load(t, c, false, e) < 0)
		return -1;
	*v = nsh_xcalloc(c->n ? c->n : 1, sizeof(**v));
	for (i = 0; i < c->n; i++) {
		const struct txn_ent *x = &c->ents[i];

		if (x->del_op)
			continue;
		(*v)[k].handle = x->handle;
		(*v)[k].rule = x->op ? &t->ops[x->op - 1].rule : NULL;
		k++;
	}
	*n = k;
	return 1;
}

/* A loaded view without a kernel (unit tests). */
struct txn_chain *txn_preload(struct nsh_txn *t, int family, const char *table,
			       const char *chain, uint32_t hooknum, const uint64_t *handles,
			       size_t n, uint32_t genid)
{
	struct txn_chain *c = chain_add(t, family, table, chain);
	size_t i;

	t->have_genid = true;
	t->genid = genid;
	if (is_own(family, table))
		t->own_state = 1;
	c->base = hooknum != UINT32_MAX;
	c->hooknum = hooknum;
	c->loaded = true;
	for (i = 0; i < n; i++) {
		struct txn_ent x = { .handle = handles[i] };

		ents_insert(c, c->n, &x, 1);
	}
	return c;
}

/* The rule of an entry: the op's for a staged one, the decoded one for a live one. */
struct nsh_rule *txn_ent_rule(struct nsh_txn *t, struct txn_chain *c,
			      const struct txn_ent *x)
{
	if (x->op)
		return &t->ops[x->op - 1].rule;
	return x->lr ? &c->live[x->lr - 1] : NULL;
}

/* The rules the chain will have: live ones kept and staged ones. */
static size_t visible_count(const struct txn_chain *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		n += !c->ents[i].del_op;
	return n;
}

/* Index of the pos-th (1-based) visible rule; c->n when there is none. */
static size_t visible_at(const struct txn_chain *c, uint32_t pos)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!c->ents[i].del_op && --pos == 0)
			return i;
	return c->n;
}

/* Index of the visible entry with this handle (or this op), c->n when gone. */
static size_t find_anchor(const struct txn_chain *c, uint64_t handle, size_t op)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct txn_ent *x = &c->ents[i];

		if (x->del_op)
			continue;
		if (op ? x->op == op : (!x->op && x->handle == handle))
			return i;
	}
	return c->n;
}

/* A new op at the end of the list, not counted until op_stage(). */
static struct txn_op *op_new(struct nsh_txn *t, enum txn_op_kind kind, size_t chain,
			     const struct nsh_txn_loc *loc)
{
	struct txn_op *o;

	if (t->nops == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->ops = nsh_xrealloc(t->ops, t->cap * sizeof(*t->ops));
	}
	o = &t->ops[t->nops];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->chain = chain;
	if (loc) {
		o->loc = *loc;
		if (t->own_lines && loc->line) {
			o->loc.line = nsh_xstrdup(loc->line);
			o->own_line = true;
		}
	}
	return o;
}

/* "s" unless n is 1. */
const char *txn_plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* Apply op number opi (already in t->ops) to its chain's view; -1 + e when it no longer fits. */
int txn_op_apply(struct nsh_txn *t, size_t opi, struct nsh_txn_err *e)
{
	struct txn_op *o = &t->ops[opi];
	struct txn_chain *c = &t->chains[o->chain];
	struct txn_ent nx = { .op = opi + 1 };
	size_t at, i;

	if ((o->a_handle || (o->kind == OP_DEL && !o->a_op)) && txn_load(t, c, false, e) < 0)
		return -1;
	if ((o->kind == OP_DEL || o->where == NSH_TXN_REPLACE) && t->undo &&
	    txn_load_one(t, c, o, e) < 0)
		return -1;
	switch (o->kind) {
	case OP_FLUSH:
		if (!c->loaded && t->undo && txn_load(t, c, true, e) < 0)
			return -1;
		for (i = c->n; i-- > 0;) {
			if (c->ents[i].op)
				ents_remove(c, i);
			else if (!c->ents[i].del_op)
				c->ents[i].del_op = opi + 1;
		}
		if (!c->loaded) {
			c->flushed = true;
			c->flush_op = opi + 1;
			c->live_at = 0;
		}
		return 0;
	case OP_DEL:
		at = find_anchor(c, o->a_handle, o->a_op);
		if (at == c->n)
			goto gone;
		if (c->ents[at].op)
			ents_remove(c, at);
		else
			c->ents[at].del_op = opi + 1;
		return 0;
	case OP_PUT:
		break;
	}
	switch (o->where) {
	case NSH_TXN_APPEND:
		ents_insert(c, c->n, &nx, 1);
		return 0;
	case NSH_TXN_INSERT:
		if (!o->a_handle && !o->a_op) {
			ents_insert(c, 0, &nx, 1);
			if (!c->loaded)
				c->live_at++;
			return 0;
		}
		at = find_anchor(c, o->a_handle, o->a_op);
		if (at == c->n)
			goto gone;
		ents_insert(c, at, &nx, 1);
		return 0;
	case NSH_TXN_REPLACE:
		at = find_anchor(c, o->a_handle, o->a_op);
		if (at == c->n)
			goto gone;
		if (c->ents[at].op) {
			c->ents[at] = nx;
		} else {
			c->ents[at].del_op = opi + 1;
			ents_insert(c, at + 1, &nx, 1);
		}
		return 0;
	}
	return 0;
gone:
	if (o->a_handle)
		txn_err(e, &o->loc, ENOENT, "chain %s has no rule with handle %llu", c->name,
			(unsigned long long)o->a_handle);
	else
		txn_err(e, &o->loc, ENOENT, "the rule this refers to is gone");
	return -1;
}

/* Turn a 1-based position into the anchor of op o; -1 + e when it does not exist. */
static int resolve_pos(struct nsh_txn *t, struct txn_chain *c, struct txn_op *o, uint32_t pos,
		       struct nsh_txn_err *e)
{
	size_t at, n;

	if (txn_load(t, c, false, e) < 0)
		return -1;
	at = visible_at(c, pos);
	if (pos == 0 || at == c->n) {
		n = visible_count(c);
		txn_err(e, &o->loc, ERANGE, "no rule at position %u: chain %s has %zu rule%s", pos,
			c->name, n, txn_plural(n));
		e->what = NSH_TE_RULE;
		return -1;
	}
	if (c->ents[at].op)
		o->a_op = c->ents[at].op;
	else
		o->a_handle = c->ents[at].handle;
	return 0;
}

/* Finish staging op o: apply it, or take it back when it does not fit. */
static int op_stage(struct nsh_txn *t, struct txn_op *o, struct nsh_txn_err *e)
{
	if (txn_op_apply(t, t->nops, e) < 0) {
		op_clear(o);
		return -1;
	}
	t->nops++;
	return 0;
}

/* Resolve the position against the view, then stage. */
int nsh_txn_put(struct nsh_txn *t, int family, const char *table, const char *chain,
		enum nsh_txn_where where, uint32_t pos, struct nsh_rule *r,
		const struct nsh_txn_loc *loc, struct nsh_txn_err *e)
{
	struct txn_chain *c = txn_chain_get(t, family, table, chain, e);
	struct txn_op *o;

	if (!c)
		return -1;
	o = op_new(t, OP_PUT, (size_t)(c - t->chains), loc);
	o->where = where;
	if ((where == NSH_TXN_REPLACE || (where == NSH_TXN_INSERT && pos)) &&
	    resolve_pos(t, c, o, pos, e) < 0) {
		op_clear(o);
		return -1;
	}
	o->rule = *r;
	memset(r, 0, sizeof(*r));
	if (op_stage(t, o, e) < 0)
		return -1;
	return 0;
}

/* Anchor to a handle (or, after it, to the next visible rule), then stage. */
int nsh_txn_put_handle(struct nsh_txn *t, int family, const char *table, const char *chain,
		       enum nsh_txn_where where, uint64_t handle, struct nsh_rule *r,
		       const struct nsh_txn_loc *loc, struct nsh_txn_err *e)
{
	struct txn_chain *c = txn_chain_get(t, family, table, chain, e);
	struct txn_op *o;
	size_t at, j;

	if (!c)
		return -1;
	o = op_new(t, OP_PUT, (size_t)(c - t->chains), loc);
	o->where = where == NSH_TXN_REPLACE ? NSH_TXN_REPLACE : NSH_TXN_INSERT;
	if (txn_load(t, c, false, e) < 0) {
		op_clear(o);
		return -1;
	}
	at = find_anchor(c, handle, 0);
	if (at == c->n) {
		txn_err(e, loc, ENOENT, "chain %s has no rule with handle %llu", chain,
			(unsigned long long)handle);
		e->what = NSH_TE_RULE;
		op_clear(o);
		return -1;
	}
	if (where != NSH_TXN_APPEND) {
		o->a_handle = handle;
	} else {
		for (j = at + 1; j < c->n && c->ents[j].del_op; j++)
			;
		if (j == c->n)
			o->where = NSH_TXN_APPEND;
		else if (c->ents[j].op)
			o->a_op = c->ents[j].op;
		else
			o->a_handle = c->ents[j].handle;
	}
	o->rule = *r;
	memset(r, 0, sizeof(*r));
	return op_stage(t, o, e);
}

/* Resolve position or handle against the view, then stage. */
int nsh_txn_del(struct nsh_txn *t, int family, const char *table, const char *chain,
		uint32_t pos, uint64_t handle, const struct nsh_txn_loc *loc,
		struct nsh_txn_err *e)
{
	struct txn_chain *c = txn_chain_get(t, family, table, chain, e);
	struct txn_op *o;

	if (!c)
		return -1;
	o = op_new(t, OP_DEL, (size_t)(c - t->chains), loc);
	if (pos) {
		if (resolve_pos(t, c, o, pos, e) < 0) {
			op_clear(o);
			return -1;
		}
	} else {
		o->a_handle = handle;
		if (txn_load(t, c, false, e) < 0) {
			op_clear(o);
			return -1;
		}
		if (find_anchor(c, handle, 0) == c->n) {
			txn_err(e, loc, ENOENT, "chain %s has no rule with handle %llu", chain,
				(unsigned long long)handle);
			e->what = NSH_TE_RULE;
			op_clear(o);
			return -1;
		}
	}
	return op_stage(t, o, e);
}

/* Stage a flush: no read needed unless undo must keep the rules. */
int nsh_txn_flush(struct nsh_txn *t, int family, const char *table, const char *chain,
		  const struct nsh_txn_loc *loc, struct nsh_txn_err *e)
{
	struct txn_chain *c = txn_chain_get(t, family, table, chain, e);
	struct txn_op *o;

	if (!c)
		return -1;
	o = op_new(t, OP_FLUSH, (size_t)(c - t->chains), loc);
	return op_stage(t, o, e);
}

/* See txn.h: the staged view, read (and decoded) once, searched in chain order. */
int nsh_txn_find(struct nsh_txn *t, int family, const char *table, const char *chain,
		 bool (*same)(const struct nsh_rule *r, const void *arg), const void *arg,
		 uint32_t *pos, struct nsh_txn_err *e)
{
	struct txn_chain *c = txn_chain_get(t, family, table, chain, e);
	uint32_t n = 0;
	size_t i;

	*pos = 0;
	if (!c || txn_load(t, c, true, e) < 0)
		return -1;
	for (i = 0; i < c->n; i++) {
		const struct nsh_rule *r;

		if (c->ents[i].del_op)
			continue;
		n++;
		r = txn_ent_rule(t, c, &c->ents[i]);
		if (r && same(r, arg)) {
			*pos = n;
			return 0;
		}
	}
	return 0;
}

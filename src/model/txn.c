/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Staged transactions: chain views, positions, one batch at commit. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "lib/util.h"
#include "model/to_nftnl.h"
#include "model/txn_int.h"

#ifndef ERESTART
#define ERESTART 85
#endif

/* From this many anonymous sets in one batch natsh names them itself. */
#define NSH_NAME_SETS_MIN 64

/* natsh's own table: its base chains, in the order they are created. */
static const struct {
	const char *name;
	uint32_t hooknum;
	int32_t prio;
} own_chains[] = {
	{ "prerouting", NF_INET_PRE_ROUTING, -100 },
	{ "output", NF_INET_LOCAL_OUT, -100 },
	{ "postrouting", NF_INET_POST_ROUTING, 100 },
	{ "input", NF_INET_LOCAL_IN, 100 },
};

/* Fill an error (first one wins when e is reused by the caller). */
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

struct nsh_txn *nsh_txn_new(bool own_lines, bool undo)
{
	struct nsh_txn *t = nsh_xcalloc(1, sizeof(*t));

	t->own_lines = own_lines;
	t->undo = undo;
	t->family = NSH_OWN_FAMILY;
	snprintf(t->table, sizeof(t->table), "%s", NSH_OWN_TABLE);
	return t;
}

void nsh_txn_set_lines(struct nsh_txn *t, bool own_lines)
{
	t->own_lines = own_lines;
}

struct nsh_wire *nsh_txn_wire(struct nsh_txn *t)
{
	if (!t->w)
		t->w = nsh_wire_open();
	return t->w;
}

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
static void txn_views_clear(struct nsh_txn *t)
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

static void op_clear(struct txn_op *o)
{
	nsh_rule_clear(&o->rule);
	if (o->own_line)
		free((char *)o->loc.line);
}

void nsh_txn_abort(struct nsh_txn *t)
{
	size_t i;

	for (i = 0; i < t->nops; i++)
		op_clear(&t->ops[i]);
	free(t->ops);
	t->ops = NULL;
	t->nops = t->cap = 0;
	txn_views_clear(t);
}

void nsh_txn_free(struct nsh_txn *t)
{
	if (!t)
		return;
	nsh_txn_abort(t);
	txn_hist_clear(t);
	nsh_wire_close(t->w);
	free(t);
}

bool nsh_txn_pending(const struct nsh_txn *t)
{
	return t && t->nops > 0;
}

size_t nsh_txn_nops(const struct nsh_txn *t)
{
	return t ? t->nops : 0;
}

void nsh_txn_use(struct nsh_txn *t, int family, const char *table)
{
	t->family = family;
	snprintf(t->table, sizeof(t->table), "%s", table);
}

int nsh_txn_family(const struct nsh_txn *t)
{
	return t->family;
}

const char *nsh_txn_table(const struct nsh_txn *t)
{
	return t->table;
}

static bool is_own(int family, const char *table)
{
	return family == NSH_OWN_FAMILY && !strcmp(table, NSH_OWN_TABLE);
}

static int own_chain_idx(const char *chain)
{
	size_t i;

	for (i = 0; i < NSH_ARRAY_SIZE(own_chains); i++)
		if (!strcmp(own_chains[i].name, chain))
			return (int)i;
	return -1;
}

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
static int txn_genid(struct nsh_txn *t, struct nsh_txn_err *e)
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

/* Find or set up the view of a chain, checking that table and chain exist. */
static struct txn_chain *txn_chain_get(struct nsh_txn *t, int family, const char *table,
				       const char *chain, struct nsh_txn_err *e)
{
	struct txn_chain *c = txn_find_chain(t, family, table, chain);
	struct nsh_wire_chain wc;
	bool own = is_own(family, table);
	int oi = own ? own_chain_idx(chain) : -1;
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
		if (oi < 0)
			goto no_chain;
		c = chain_add(t, family, table, chain);
		c->base = true;
		c->hooknum = own_chains[oi].hooknum;
		c->loaded = c->decoded = true;
		return c;
	}
	r = nsh_wire_chain_get(t->w, family, table, chain, &wc);
	if (r < 0)
		goto io_err;
	if (r == 0) {
		if (oi >= 0) {
			/* natsh's table lost one of its base chains: put it back */
			c = chain_add(t, family, table, chain);
			c->base = true;
			c->create = true;
			c->hooknum = own_chains[oi].hooknum;
			c->loaded = c->decoded = true;
			return c;
		}
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

int nsh_txn_chain(struct nsh_txn *t, int family, const char *table, const char *chain,
		  uint32_t *hooknum, struct nsh_txn_err *e)
{
	struct txn_chain *c = txn_chain_get(t, family, table, chain, e);

	if (!c)
		return -1;
	*hooknum = c->base ? c->hooknum : UINT32_MAX;
	return 0;
}

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
		/* handles were known: attach the models to them */
		for (j = 0; j < c->n; j++) {
			if (c->ents[j].op)
				continue;
			for (i = 0; i < n; i++)
				if (rules[i].handle == c->ents[j].handle)
					c->ents[j].lr = i + 1;
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

struct nsh_rule *txn_ent_rule(struct nsh_txn *t, struct txn_chain *c,
			      const struct txn_ent *x)
{
	if (x->op)
		return &t->ops[x->op - 1].rule;
	return x->lr ? &c->live[x->lr - 1] : NULL;
}

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

int nsh_txn_chain_size(struct nsh_txn *t, int family, const char *table, const char *chain,
		       size_t *n, struct nsh_txn_err *e)
{
	struct txn_chain *c = txn_chain_get(t, family, table, chain, e);

	if (!c || txn_load(t, c, false, e) < 0)
		return -1;
	*n = visible_count(c);
	return 0;
}

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

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* Apply op number opi (already in t->ops) to its chain's view; -1 + e when it no longer fits. */
static int op_apply(struct nsh_txn *t, size_t opi, struct nsh_txn_err *e)
{
	struct txn_op *o = &t->ops[opi];
	struct txn_chain *c = &t->chains[o->chain];
	struct txn_ent nx = { .op = opi + 1 };
	size_t at, i;

	if ((o->a_handle || (o->kind == OP_DEL && !o->a_op)) && txn_load(t, c, false, e) < 0)
		return -1;
	if ((o->kind == OP_DEL || o->where == NSH_TXN_REPLACE) && t->undo &&
	    txn_load(t, c, true, e) < 0)
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
			c->name, n, plural(n));
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
	if (op_apply(t, t->nops, e) < 0) {
		op_clear(o);
		return -1;
	}
	t->nops++;
	return 0;
}

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

/* ---- building the batch ---- */

static void seqmap_put(struct seqmap *m, uint32_t seq, size_t op)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = nsh_xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	m->v[m->n].seq = seq;
	m->v[m->n].op = op;
	m->n++;
}

size_t txn_seqmap_get(const struct seqmap *m, uint32_t seq)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (m->v[mid].seq <= seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? m->v[lo - 1].op : 0;
}

/* The next live rule after index i that stays: new rules go before it. */
static uint64_t next_kept(const struct txn_chain *c, size_t i)
{
	for (i++; i < c->n; i++)
		if (!c->ents[i].op && !c->ents[i].del_op)
			return c->ents[i].handle;
	return 0;
}

static bool all_live_deleted(const struct txn_chain *c)
{
	size_t i, nlive = 0;

	for (i = 0; i < c->n; i++) {
		if (c->ents[i].op)
			continue;
		if (!c->ents[i].del_op)
			return false;
		nlive++;
	}
	return nlive > 0;
}

static int encode_ent(struct nsh_txn *t, struct nsh_batch *b, struct seqmap *m,
		      struct txn_chain *c, struct txn_ent *x, enum nsh_enc_op op,
		      uint64_t handle, uint32_t *set_id, bool echo, struct nsh_txn_err *e)
{
	struct txn_op *o = &t->ops[x->op - 1];
	struct mnl_nlmsg_batch *mb;
	uint32_t *seq;

	mb = nsh_batch_enc_begin(b, &seq);
	x->seq0 = *seq;
	seqmap_put(m, *seq, x->op);
	if (nsh_rule_encode(mb, seq, c->family, c->table, c->name, &o->rule, op, handle,
			    set_id) < 0) {
		txn_err(e, &o->loc, errno, "this rule cannot be written: %s", strerror(errno));
		nsh_batch_enc_end(b, false);
		return -1;
	}
	nsh_batch_enc_end(b, echo);
	x->seq1 = *seq;
	return 0;
}

/* Anonymous sets and maps a rule creates. */
static size_t rule_nsets(const struct nsh_rule *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nstmts; i++) {
		const struct nsh_stmt *s = &r->stmts[i];

		n += s->kind == NSH_ST_MATCH && s->match.rhs == NSH_RHS_SET;
		n += s->kind == NSH_ST_NAT && s->nat.addr == NSH_NAT_ADDR_MAP;
	}
	return n;
}

/*
 * With many anonymous sets, name them ourselves past the names natsh used
 * before in the tables concerned (nsh_batch_name_sets says why).
 */
static void txn_name_sets(struct nsh_txn *t, struct nsh_batch *b)
{
	uint32_t end = 0;
	size_t ci, i, n = 0;

	for (i = 0; i < t->nops; i++)
		if (t->ops[i].kind == OP_PUT)
			n += rule_nsets(&t->ops[i].rule);
	if (n < NSH_NAME_SETS_MIN)
		return;
	for (ci = 0; ci < t->nchains; ci++) {
		struct txn_chain *c = &t->chains[ci];

		if (ci && c->family == t->chains[ci - 1].family &&
		    !strcmp(c->table, t->chains[ci - 1].table))
			continue;
		if (nsh_wire_set_names_end(t->w, c->family, c->table, &end) < 0)
			return;
	}
	if (end + n + 2 < 36u * 36 * 36 * 36)
		nsh_batch_name_sets(b, end);
}

int txn_build(struct nsh_txn *t, struct nsh_batch *b, struct seqmap *m, bool echo,
	      bool name_sets, struct nsh_txn_err *e)
{
	uint32_t set_id = 1;
	size_t ci, i, k;

	if (name_sets)
		txn_name_sets(t, b);

	if (t->own_state == 2) {
		seqmap_put(m, nsh_batch_seq(b), t->create_op);
		nsh_batch_add_table(b, NSH_OWN_FAMILY, NSH_OWN_TABLE);
		for (k = 0; k < NSH_ARRAY_SIZE(own_chains); k++)
			nsh_batch_add_chain(b, NSH_OWN_FAMILY, NSH_OWN_TABLE, own_chains[k].name,
					    "nat", own_chains[k].hooknum, own_chains[k].prio);
	}
	for (ci = 0; ci < t->nchains; ci++) {
		struct txn_chain *c = &t->chains[ci];

		if (c->create) {
			k = (size_t)own_chain_idx(c->name);
			seqmap_put(m, nsh_batch_seq(b), c->first_op);
			nsh_batch_add_chain(b, c->family, c->table, c->name, "nat",
					    own_chains[k].hooknum, own_chains[k].prio);
		}
		if (c->flushed || all_live_deleted(c)) {
			seqmap_put(m, nsh_batch_seq(b), c->flushed ? c->flush_op : c->first_op);
			nsh_batch_del_rule(b, c->family, c->table, c->name, 0);
		} else {
			for (i = 0; i < c->n; i++) {
				if (c->ents[i].op || !c->ents[i].del_op)
					continue;
				seqmap_put(m, nsh_batch_seq(b), c->ents[i].del_op);
				nsh_batch_del_rule(b, c->family, c->table, c->name,
						   c->ents[i].handle);
			}
		}
		/* rules before the unread live ones go in at the start, last first */
		if (!c->loaded && !c->flushed) {
			for (i = c->live_at; i-- > 0;)
				if (encode_ent(t, b, m, c, &c->ents[i], NSH_ENC_INSERT, 0, &set_id,
					       echo, e) < 0)
					return -1;
		}
		for (i = (!c->loaded && !c->flushed) ? c->live_at : 0; i < c->n; i++) {
			uint64_t h;

			if (!c->ents[i].op)
				continue;
			h = next_kept(c, i);
			if (encode_ent(t, b, m, c, &c->ents[i], h ? NSH_ENC_INSERT : NSH_ENC_APPEND,
				       h, &set_id, echo, e) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- commit ---- */

static void errs_push(struct nsh_txn_err **errs, size_t *n, const struct nsh_txn_err *e)
{
	*errs = nsh_xrealloc(*errs, (*n + 1) * sizeof(**errs));
	(*errs)[(*n)++] = *e;
}

/* Say what a kernel refusal means, in words about the rule or chain. */
static void explain(struct nsh_txn *t, const struct nsh_batch *b, const struct nsh_batch_err *ke,
		    const struct txn_op *o, struct nsh_txn_err *e)
{
	uint16_t type = 0, attr = 0;
	char ename[32] = "";
	const char *what = ke->msg[0] ? ke->msg : strerror(ke->err);
	int ei = -1;
	size_t i;

	nsh_batch_locate(b, ke->seq, ke->attr_off, &type, &attr, &ei, ename, sizeof(ename));
	if (o && o->kind == OP_PUT && ke->err == ENOENT) {
		for (i = 0; i < o->rule.nstmts; i++) {
			const struct nsh_stmt *s = &o->rule.stmts[i];

			if (s->kind == NSH_ST_VERDICT && s->verdict.chain &&
			    (ei < 0 || !strcmp(ename, "immediate"))) {
				txn_err(e, o ? &o->loc : NULL, ke->err,
					"the kernel refused this rule: chain \"%s\" (target of %s) does not exist",
					s->verdict.chain,
					s->verdict.code == NSH_V_GOTO ? "goto" : "jump");
				return;
			}
		}
	}
	if (ei >= 0)
		txn_err(e, o ? &o->loc : NULL, ke->err,
			"the kernel refused this rule: %s (in its %s expression)", what, ename);
	else if (o && o->kind == OP_DEL && ke->err == ENOENT)
		txn_err(e, &o->loc, ke->err, "the rule to delete no longer exists");
	else
		txn_err(e, o ? &o->loc : NULL, ke->err, "the kernel refused this change: %s", what);
}

/* Say what someone else changed in the chains this transaction read. */
static void describe_change(struct nsh_txn *t, uint32_t now, struct nsh_txn_err *e)
{
	char buf[400] = "";
	size_t ci, off = 0;

	for (ci = 0; ci < t->nchains && off < sizeof(buf) - 80; ci++) {
		struct txn_chain *c = &t->chains[ci];
		uint64_t *h = NULL;
		size_t n = 0, i, j, added = 0, removed = 0, had = 0;
		struct nsh_wire_chain wc;

		if (c->create || nsh_wire_chain_get(t->w, c->family, c->table, c->name, &wc) == 0) {
			if (!c->create)
				off += (size_t)snprintf(buf + off, sizeof(buf) - off,
							"; chain %s was deleted", c->name);
			continue;
		}
		if (!c->loaded ||
		    nsh_wire_chain_handles(t->w, c->family, c->table, c->name, &h, &n) < 0)
			continue;
		for (i = 0; i < c->n; i++) {
			if (c->ents[i].op)
				continue;
			had++;
			for (j = 0; j < n && h[j] != c->ents[i].handle; j++)
				;
			removed += j == n;
		}
		added = n + removed - had;
		if (added || removed)
			off += (size_t)snprintf(buf + off, sizeof(buf) - off,
						"; chain %s: %zu rule%s added, %zu removed",
						c->name, added, plural(added), removed);
		free(h);
	}
	txn_err(e, NULL, ERESTART,
		"commit refused: the ruleset was changed by someone else since natsh read it "
		"(generation %u, now %u)%s; nothing was applied",
		t->genid, now, buf);
}

/* Re-read what the staged changes depend on and apply them again. */
static int txn_replay(struct nsh_txn *t, struct nsh_txn_err *e)
{
	struct {
		int family;
		char *table, *name;
	} *ids = nsh_xcalloc(t->nchains + 1, sizeof(*ids));
	size_t i, nids = t->nchains, nops = t->nops;
	struct txn_chain *c;
	int rc = -1;

	for (i = 0; i < nids; i++) {
		ids[i].family = t->chains[i].family;
		ids[i].table = nsh_xstrdup(t->chains[i].table);
		ids[i].name = nsh_xstrdup(t->chains[i].name);
	}
	txn_views_clear(t);
	if (txn_genid(t, e) < 0)
		goto out;
	for (i = 0; i < nops; i++) {
		struct txn_op *o = &t->ops[i];

		t->nops = i;	/* as it was when the op was staged */
		c = txn_chain_get(t, ids[o->chain].family, ids[o->chain].table,
				  ids[o->chain].name, e);
		if (!c) {
			e->loc = o->loc;
			goto out;
		}
		o->chain = (size_t)(c - t->chains);
		if (op_apply(t, i, e) < 0) {
			e->err = ERESTART;
			snprintf(e->msg, sizeof(e->msg),
				 "the ruleset was changed by someone else meanwhile and this change no longer applies");
			goto out;
		}
	}
	rc = 0;
out:
	t->nops = nops;
	for (i = 0; i < nids; i++) {
		free(ids[i].table);
		free(ids[i].name);
	}
	free(ids);
	return rc;
}

int nsh_txn_commit(struct nsh_txn *t, bool check, bool retry, bool record,
		   struct nsh_txn_err **errs, size_t *nerrs)
{
	struct nsh_batch_result res = { 0 };
	struct nsh_txn_err e;
	struct seqmap m = { 0 };
	struct nsh_batch *b = NULL;
	int attempt, rc = -1, r;
	bool name_sets = true;
	size_t i;

	if (!t->nops)
		return 0;
	for (attempt = 0; attempt < 2; attempt++) {
		nsh_batch_free(b);
		free(m.v);
		memset(&m, 0, sizeof(m));
		b = nsh_batch_new(t->genid);
		if (txn_build(t, b, &m, record && !check, name_sets, &e) < 0) {
			errs_push(errs, nerrs, &e);
			goto out;
		}
		if (nsh_batch_count(b) == 0) {
			rc = 0;
			goto out;
		}
		r = nsh_batch_send(t->w, b, !check, &res);
		if (r < 0) {
			txn_err(&e, NULL, errno, "cannot send the changes to the kernel: %s",
				strerror(errno));
			errs_push(errs, nerrs, &e);
			goto out;
		}
		if (r == 0) {
			if (!check && record)
				txn_record(t, t->genid, &res);
			rc = 0;
			goto out;
		}
		if (!res.restart && name_sets && res.errs[0].err == ENFILE && !attempt) {
			/* a set name natsh chose was taken: let the kernel number them */
			name_sets = false;
			nsh_batch_result_clear(&res);
			continue;
		}
		if (!res.restart)
			break;
		if (!retry || attempt) {
			uint32_t now = 0;

			nsh_wire_genid(t->w, &now);
			describe_change(t, now, &e);
			errs_push(errs, nerrs, &e);
			goto out;
		}
		nsh_batch_result_clear(&res);
		if (txn_replay(t, &e) < 0) {
			errs_push(errs, nerrs, &e);
			goto out;
		}
	}
	for (i = 0; i < res.nerrs; i++) {
		size_t op = txn_seqmap_get(&m, res.errs[i].seq);

		explain(t, b, &res.errs[i], op ? &t->ops[op - 1] : NULL, &e);
		errs_push(errs, nerrs, &e);
	}
out:
	nsh_batch_result_clear(&res);
	nsh_batch_free(b);
	free(m.v);
	nsh_txn_abort(t);
	return rc;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Committing a staged transaction: the batch it becomes, the kernel's answers, retry. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "model/nl/sysctl.h"
#include "model/nft/to_nftnl.h"
#include "model/txn/txn_int.h"

#ifndef ERESTART
#define ERESTART 85
#endif

/* From this many anonymous sets in one batch natsh names them itself. */
#define NSH_NAME_SETS_MIN 64

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

void txn_seqmap_put(struct seqmap *m, uint32_t seq, size_t op)
{
	seqmap_put(m, seq, op);
}

/* Binary search: the last range starting at or before seq. */
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

/*
 * For every entry, the next live rule after it that stays (0: none): new
 * rules go before it.  One backward sweep, so a long chain costs O(n).
 */
uint64_t *txn_next_kept(const struct txn_chain *c)
{
	uint64_t *next = nsh_xcalloc(c->n ? c->n : 1, sizeof(*next)), h = 0;
	size_t i;

	for (i = c->n; i-- > 0;) {
		next[i] = h;
		if (!c->ents[i].op && !c->ents[i].del_op)
			h = c->ents[i].handle;
	}
	return next;
}

/* Every live rule goes (and there are some): one flush message does it. */
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

/* Encode one staged rule, recording its sequence numbers for errors and echoes. */
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
		if (errno == E2BIG)
			txn_err(e, &o->loc, errno, "the rule is too long: the kernel takes at most %u "
				"expressions in one rule (a match makes 2 or 3, a statement 1 or "
				"more); split it into several rules", NSH_RULE_MAX_EXPRS);
		else
			txn_err(e, &o->loc, errno, "this rule cannot be written: %s",
				strerror(errno));
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
		n += s->kind == NSH_ST_VMAP && !s->vmap.name;
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

/* Creations first, then deletions, then new rules in chain order. */
int txn_build(struct nsh_txn *t, struct nsh_batch *b, struct seqmap *m, bool echo,
	      bool name_sets, struct nsh_txn_err *e)
{
	uint32_t set_id = 1;
	uint64_t *next;
	size_t ci, i, k;

	if (name_sets)
		txn_name_sets(t, b);

	if (t->own_state == 2) {
		seqmap_put(m, nsh_batch_seq(b), t->create_op);
		nsh_batch_add_table(b, NSH_OWN_FAMILY, NSH_OWN_TABLE);
		for (k = 0; k < NSH_OWN_NCHAINS; k++)
			nsh_batch_add_chain(b, NSH_OWN_FAMILY, NSH_OWN_TABLE, nsh_own_chains[k].name,
					    "nat", nsh_own_chains[k].hooknum, nsh_own_chains[k].prio);
	}
	if (txn_build_decl(t, b, m, e) < 0)
		return -1;
	for (ci = 0; ci < t->nchains; ci++) {
		struct txn_chain *c = &t->chains[ci];

		if (c->create && !c->decl) {
			const struct nsh_own_chain *oc = nsh_own_chain_find(c->name);

			seqmap_put(m, nsh_batch_seq(b), c->first_op);
			nsh_batch_add_chain(b, c->family, c->table, c->name, "nat", oc->hooknum,
					    oc->prio);
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
		next = txn_next_kept(c);
		for (i = (!c->loaded && !c->flushed) ? c->live_at : 0; i < c->n; i++) {
			uint64_t h = next[i];

			if (!c->ents[i].op)
				continue;
			if (encode_ent(t, b, m, c, &c->ents[i], h ? NSH_ENC_INSERT : NSH_ENC_APPEND,
				       h, &set_id, echo, e) < 0) {
				free(next);
				return -1;
			}
		}
		free(next);
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

/* qsort/bsearch order of handles. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Say what someone else changed in the chains this transaction read. */
static void describe_change(struct nsh_txn *t, uint32_t now, struct nsh_txn_err *e)
{
	char buf[400] = "";
	size_t ci, off = 0;

	for (ci = 0; ci < t->nchains && off < sizeof(buf) - 80; ci++) {
		struct txn_chain *c = &t->chains[ci];
		uint64_t *h = NULL;
		size_t n = 0, i, added = 0, removed = 0, had = 0;
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
		qsort(h, n, sizeof(*h), cmp_u64);
		for (i = 0; i < c->n; i++) {
			if (c->ents[i].op)
				continue;
			had++;
			removed += !bsearch(&c->ents[i].handle, h, n, sizeof(*h), cmp_u64);
		}
		added = n + removed - had;
		if (added || removed)
			off += (size_t)snprintf(buf + off, sizeof(buf) - off,
						"; chain %s: %zu rule%s added, %zu removed",
						c->name, added, txn_plural(added), removed);
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
		if (txn_op_apply(t, i, e) < 0) {
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

/* Queue a sysctl write for after a successful commit. */
void nsh_txn_after_sysctl(struct nsh_txn *t, const char *key, const char *val)
{
	t->after = nsh_xrealloc(t->after, (t->nafter + 1) * sizeof(*t->after));
	t->after[t->nafter].key = nsh_xstrdup(key);
	t->after[t->nafter].val = nsh_xstrdup(val);
	t->after[t->nafter].old = NULL;
	t->nafter++;
}

/* Free a list of sysctl writes. */
static void sysctls_free(struct nsh_txn_sysctl *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].val);
		free(v[i].old);
	}
	free(v);
}

/* Empty list: no-op. */
void txn_after_clear(struct nsh_txn *t)
{
	sysctls_free(t->after, t->nafter);
	t->after = NULL;
	t->nafter = 0;
}

/* Empty list: no-op. */
void txn_written_clear(struct nsh_txn *t)
{
	sysctls_free(t->written, t->nwritten);
	t->written = NULL;
	t->nwritten = 0;
}

/* See txn.h. */
size_t nsh_txn_written(const struct nsh_txn *t, const struct nsh_txn_sysctl **v)
{
	*v = t->written;
	return t->nwritten;
}

/*
 * The changes are applied: write the queued sysctls, keeping the ones
 * written (with their old values) for the caller; -1 when one failed.
 */
static int run_after(struct nsh_txn *t, struct nsh_txn_err **errs, size_t *nerrs)
{
	struct nsh_txn_err e;
	int rc = 0;
	size_t i;

	for (i = 0; i < t->nafter; i++) {
		struct nsh_txn_sysctl *a = &t->after[i];
		char v[64];

		if (nsh_sysctl_read(a->key, v, sizeof(v)) == 0)
			a->old = nsh_xstrdup(v);
		if (nsh_sysctl_write(a->key, a->val) < 0) {
			txn_err(&e, NULL, errno, "the rules were applied, but %s = %s cannot be set: %s",
				a->key, a->val, strerror(errno));
			errs_push(errs, nerrs, &e);
			rc = -1;
			continue;
		}
		t->written = nsh_xrealloc(t->written, (t->nwritten + 1) * sizeof(*t->written));
		t->written[t->nwritten++] = *a;
		memset(a, 0, sizeof(*a));
	}
	txn_after_clear(t);
	return rc;
}

/* Build, send, and on ERESTART retry once (single commands) or refuse. */
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

	txn_old_lines_free(t);
	txn_written_clear(t);
	if (!t->nops && !t->ndsets && !t->ndchains) {
		rc = check ? 0 : run_after(t, errs, nerrs);
		txn_after_clear(t);
		return rc;
	}
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
		if (res.lost && !check) {
			uint32_t now = 0;

			/* answers were lost: the generation says whether it was applied */
			if (nsh_wire_genid(t->w, &now) == 0 && now == t->genid + 1) {
				/* without the new handles no undo record: older ones are stale */
				txn_hist_clear(t);
				nsh_batch_result_clear(&res);
				rc = 0;
				goto out;
			}
			if (r == 0 || res.restart) {
				txn_err(&e, NULL, ENOBUFS, "the kernel's answers were lost (receive "
					"buffer full): the changes were %s", now == t->genid ?
					"not applied" : "perhaps applied; check with show");
				errs_push(errs, nerrs, &e);
				goto out;
			}
			break;	/* not applied: report the errors that did arrive */
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

		if (op > TXN_DECL_OP) {
			char what[300];

			txn_decl_name(t, op, what, sizeof(what));
			txn_err(&e, txn_decl_loc(t, op), res.errs[i].err,
				"the kernel refused %s: %s%s", what,
				res.errs[i].msg[0] ? res.errs[i].msg : strerror(res.errs[i].err),
				res.errs[i].err == EEXIST ? " (a set of that name exists with "
				"another declaration: delete it first)" : "");
			errs_push(errs, nerrs, &e);
			continue;
		}
		explain(t, b, &res.errs[i], op ? &t->ops[op - 1] : NULL, &e);
		errs_push(errs, nerrs, &e);
	}
out:
	if (rc == 0 && !check) {
		rc = run_after(t, errs, nerrs);
		if (record)
			txn_record_sysctls(t);
	}
	nsh_batch_result_clear(&res);
	nsh_batch_free(b);
	free(m.v);
	txn_keep_lines(t);
	nsh_txn_abort(t);
	return rc;
}

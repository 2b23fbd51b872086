/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Undo records left by commits, undo itself, and the staged changes as a list (diff). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/nf_tables.h>

#include "lib/buf.h"
#include "lib/util.h"
#include "model/nft/to_nftnl.h"
#include "model/syntax/rule_text.h"
#include "model/txn/txn_int.h"

#ifndef ERESTART
#define ERESTART 85
#endif

#define NSH_UNDO_MAX 32

/* Free what one chain's undo record owns. */
static void undo_chain_clear(struct undo_chain *u)
{
	size_t i;

	for (i = 0; i < u->nre; i++)
		nsh_rule_clear(&u->re[i].rule);
	for (i = 0; i < u->nnew; i++)
		free(u->newtext[i]);
	free(u->newtext);
	free(u->re);
	free(u->newh);
	free(u->table);
	free(u->name);
}

/* Free an undo record and leave it empty. */
static void rec_clear(struct undo_rec *r)
{
	size_t i;

	for (i = 0; i < r->nch; i++)
		undo_chain_clear(&r->ch[i]);
	free(r->ch);
	free(r->table);
	free(r->broken);
	for (i = 0; i < r->nsys; i++) {
		free(r->sys[i].key);
		free(r->sys[i].val);
		free(r->sys[i].old);
	}
	free(r->sys);
	memset(r, 0, sizeof(*r));
}

/* Forget every undo record. */
void txn_hist_clear(struct nsh_txn *t)
{
	size_t i;

	for (i = 0; i < t->nhist; i++)
		rec_clear(&t->hist[i]);
	free(t->hist);
	t->hist = NULL;
	t->nhist = 0;
}

/* NULL-safe. */
size_t nsh_txn_undo_depth(const struct nsh_txn *t)
{
	return t ? t->nhist : 0;
}

/* NULL when the last record can be undone; "nothing committed" when there is none. */
const char *nsh_txn_undo_broken(const struct nsh_txn *t)
{
	if (!t || !t->nhist)
		return "natsh has committed nothing to revert";
	return t->hist[t->nhist - 1].broken;
}

/* The generation id an undo of the last record must find (0: none). */
uint32_t nsh_txn_undo_genid(const struct nsh_txn *t)
{
	return t && t->nhist ? t->hist[t->nhist - 1].genid : 0;
}

/* A forked child must not share its parent's socket: close its copy, open afresh later. */
void nsh_txn_wire_drop(struct nsh_txn *t)
{
	nsh_wire_close(t->w);
	t->w = NULL;
}

/* The handle the kernel echoed for the NEWRULE sent in [seq0, seq1). */
static uint64_t echo_handle(const struct nsh_batch_result *res, uint32_t seq0, uint32_t seq1)
{
	size_t i;

	for (i = 0; i < res->nechos; i++)
		if (res->echos[i].type == NFT_MSG_NEWRULE && res->echos[i].seq >= seq0 &&
		    res->echos[i].seq < seq1)
			return res->echos[i].handle;
	return 0;
}

/* Mark a record as not undoable; the first reason wins. */
static void rec_broken(struct undo_rec *r, const char *why)
{
	/* a created table is undone by deleting it: its chains' record is a help only */
	if (r->drop_table) {
		r->partial = true;
		return;
	}
	if (!r->broken)
		r->broken = nsh_xstrdup(why);
}

/* A rule's text without counters: how a rollback recognises natsh's own rule. */
static char *rule_text(int family, const char *table, const struct nsh_rule *r)
{
	struct nsh_table tab = { .family = (uint8_t)family, .name = (char *)table };
	struct nsh_buf b;

	nsh_buf_init(&b);
	nsh_rule_render(&tab, r, NSH_RF_COMMENT, &b);
	return b.s;
}

/* After a successful commit: remember how to revert it exactly. */
void txn_record(struct nsh_txn *t, uint32_t genid, const struct nsh_batch_result *res)
{
	struct undo_rec r = { .genid = genid + 1 };
	size_t ci, i;

	/* the chains are recorded also then: a rollback may have to keep the table */
	if (t->own_state == 2) {
		r.drop_table = true;
		r.family = NSH_OWN_FAMILY;
		r.table = nsh_xstrdup(NSH_OWN_TABLE);
	}
	if (t->ndsets)
		rec_broken(&r, "it wrote named sets or maps (undo reverts rules only)");
	for (ci = 0; ci < t->nchains; ci++)
		if (t->chains[ci].decl)
			rec_broken(&r, "it created chains beyond natsh's own (undo reverts rules only)");
	r.ch = nsh_xcalloc(t->nchains ? t->nchains : 1, sizeof(*r.ch));
	for (ci = 0; ci < t->nchains; ci++) {
		struct txn_chain *c = &t->chains[ci];
		struct undo_chain *u = &r.ch[r.nch++];
		uint64_t *next = txn_next_kept(c);

		u->family = c->family;
		u->table = nsh_xstrdup(c->table);
		u->name = nsh_xstrdup(c->name);
		u->newh = nsh_xcalloc(c->n ? c->n : 1, sizeof(*u->newh));
		u->newtext = nsh_xcalloc(c->n ? c->n : 1, sizeof(*u->newtext));
		u->re = nsh_xcalloc(c->n ? c->n : 1, sizeof(*u->re));
		if (c->flushed && !c->decoded)
			rec_broken(&r, "a flushed chain was not read before");
		for (i = 0; i < c->n; i++) {
			struct txn_ent *x = &c->ents[i];
			struct undo_rule *ur;

			if (x->op) {
				uint64_t h = echo_handle(res, x->seq0, x->seq1);

				if (!h)
					rec_broken(&r, "the kernel did not report a new rule's handle");
				u->newtext[u->nnew] = rule_text(c->family, c->table,
								&t->ops[x->op - 1].rule);
				u->newh[u->nnew++] = h;
				continue;
			}
			if (!x->del_op)
				continue;
			if (!x->lr || c->live[x->lr - 1].opaque || c->live[x->lr - 1].xt) {
				rec_broken(&r, "a deleted rule cannot be written back by natsh");
				continue;
			}
			ur = &u->re[u->nre++];
			ur->old_handle = x->handle;
			ur->anchor = next[i];
			ur->rule = c->live[x->lr - 1];
			memset(&c->live[x->lr - 1], 0, sizeof(ur->rule));
		}
		free(next);
	}
	if (t->nhist == NSH_UNDO_MAX) {
		rec_clear(&t->hist[0]);
		memmove(&t->hist[0], &t->hist[1], (t->nhist - 1) * sizeof(*t->hist));
		t->nhist--;
	}
	t->hist = nsh_xrealloc(t->hist, (t->nhist + 1) * sizeof(*t->hist));
	t->hist[t->nhist++] = r;
}

/* After the commit's sysctls were written: the last record keeps a copy (undo puts them back). */
void txn_record_sysctls(struct nsh_txn *t)
{
	struct undo_rec *r;
	size_t i;

	if (!t->nhist || !t->nwritten)
		return;
	r = &t->hist[t->nhist - 1];
	r->sys = nsh_xcalloc(t->nwritten, sizeof(*r->sys));
	for (i = 0; i < t->nwritten; i++) {
		r->sys[i].key = nsh_xstrdup(t->written[i].key);
		r->sys[i].val = nsh_xstrdup(t->written[i].val);
		r->sys[i].old = t->written[i].old ? nsh_xstrdup(t->written[i].old) : NULL;
	}
	r->nsys = t->nwritten;
}

size_t nsh_txn_undo_preview(const struct nsh_txn *t, struct nsh_change **v,
			    const struct nsh_txn_sysctl **sys, size_t *nsys)
{
	const struct undo_rec *r;
	struct nsh_change *out;
	size_t c, i, n = 0, cap = 1;

	*v = NULL;
	*sys = NULL;
	*nsys = 0;
	if (!t || !t->nhist)
		return 0;
	r = &t->hist[t->nhist - 1];
	for (c = 0; c < r->nch; c++)
		cap += r->ch[c].nnew + r->ch[c].nre;
	out = nsh_xcalloc(cap, sizeof(*out));
	if (r->drop_table) {
		out[n++] = (struct nsh_change){ .op = NSH_CHANGE_DEL_TABLE, .family = r->family,
						.table = r->table };
	} else {
		for (c = 0; c < r->nch; c++) {
			const struct undo_chain *u = &r->ch[c];

			for (i = 0; i < u->nnew; i++)
				out[n++] = (struct nsh_change){
					.op = NSH_CHANGE_DEL, .family = u->family, .table = u->table,
					.chain = u->name, .handle = u->newh[i], .text = u->newtext[i] };
			for (i = 0; i < u->nre; i++)
				out[n++] = (struct nsh_change){
					.op = NSH_CHANGE_ADD, .family = u->family, .table = u->table,
					.chain = u->name, .rule = &u->re[i].rule };
		}
	}
	*v = out;
	*sys = r->sys;
	*nsys = r->nsys;
	return n;
}

/* Rules put back by an undo have new handles: older records must use them. */
static void hist_remap(struct nsh_txn *t, uint64_t from, uint64_t to)
{
	size_t k, c, i;

	for (k = 0; k < t->nhist; k++) {
		struct undo_rec *r = &t->hist[k];

		for (c = 0; c < r->nch; c++) {
			struct undo_chain *u = &r->ch[c];

			for (i = 0; i < u->nnew; i++)
				if (u->newh[i] == from)
					u->newh[i] = to;
			for (i = 0; i < u->nre; i++)
				if (u->re[i].anchor == from)
					u->re[i].anchor = to;
		}
	}
}

/* One transaction with the generation after the commit: exact, or refused. */
int nsh_txn_undo(struct nsh_txn *t, struct nsh_txn_err *e)
{
	struct nsh_batch_result res = { 0 };
	struct undo_rec *r;
	struct nsh_batch *b;
	uint32_t set_id = 1, *seq;
	uint32_t (*ranges)[2] = NULL;
	size_t c, i, k, nre = 0;
	int rc = -1, s;

	if (!t->nhist) {
		txn_err(e, NULL, 0, "nothing to undo: natsh has committed no change in this session");
		return -1;
	}
	r = &t->hist[t->nhist - 1];
	if (r->broken) {
		txn_err(e, NULL, 0, "the last change cannot be undone: %s", r->broken);
		return -1;
	}
	if (!nsh_txn_wire(t)) {
		txn_err(e, NULL, errno, "cannot open netlink: %s", strerror(errno));
		return -1;
	}
	b = nsh_batch_new(r->genid);
	if (r->drop_table) {
		nsh_batch_del_table(b, r->family, r->table);
		goto send;
	}
	for (c = 0; c < r->nch; c++)
		nre += r->ch[c].nre;
	ranges = nsh_xcalloc(nre ? nre : 1, sizeof(*ranges));
	for (c = 0, k = 0; c < r->nch; c++) {
		struct undo_chain *u = &r->ch[c];

		for (i = 0; i < u->nnew; i++)
			nsh_batch_del_rule(b, u->family, u->table, u->name, u->newh[i]);
		for (i = 0; i < u->nre; i++, k++) {
			struct mnl_nlmsg_batch *mb = nsh_batch_enc_begin(b, &seq);

			ranges[k][0] = *seq;
			if (nsh_rule_encode(mb, seq, u->family, u->table, u->name, &u->re[i].rule,
					    u->re[i].anchor ? NSH_ENC_INSERT : NSH_ENC_APPEND,
					    u->re[i].anchor, &set_id) < 0) {
				txn_err(e, NULL, errno, "cannot write a deleted rule back: %s",
					strerror(errno));
				nsh_batch_enc_end(b, false);
				goto out;
			}
			nsh_batch_enc_end(b, true);
			ranges[k][1] = *seq;
		}
	}
send:
	s = nsh_batch_send(t->w, b, true, &res);
	if (s < 0) {
		txn_err(e, NULL, errno, "cannot send the undo to the kernel: %s", strerror(errno));
		goto out;
	}
	if (s > 0) {
		if (res.restart)
			txn_err(e, NULL, ERESTART,
				"undo refused: the ruleset was changed by someone else since natsh's last commit; nothing was changed");
		else
			txn_err(e, NULL, res.errs[0].err, "the kernel refused the undo: %s",
				res.errs[0].msg[0] ? res.errs[0].msg : strerror(res.errs[0].err));
		goto out;
	}
	for (c = 0, k = 0; c < r->nch; c++)
		for (i = 0; i < r->ch[c].nre; i++, k++) {
			uint64_t h = echo_handle(&res, ranges[k][0], ranges[k][1]);

			if (h)
				hist_remap(t, r->ch[c].re[i].old_handle, h);
		}
	{
		uint32_t g = r->genid + 1;

		rec_clear(r);
		t->nhist--;
		if (t->nhist)
			t->hist[t->nhist - 1].genid = g;
	}
	rc = 0;
out:
	free(ranges);
	nsh_batch_result_clear(&res);
	nsh_batch_free(b);
	return rc;
}

/* ---- undo when others changed nf_tables meanwhile ---- */

static void left_add(struct nsh_undo_left *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void left_add(struct nsh_undo_left *l, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = nsh_xstrdup("(out of memory)");
	va_end(ap);
	l->v = nsh_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = s;
}

void nsh_undo_left_clear(struct nsh_undo_left *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
	/* merged stays: it says which path was taken */
}

/* The index of the live rule with this handle, or n. */
static size_t live_find(const struct nsh_rule *live, size_t n, uint64_t handle)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (live[i].handle == handle)
			return i;
	return n;
}

static void live_free(struct nsh_rule *live, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		nsh_rule_clear(&live[i]);
	free(live);
}

/*
 * One try at reverting record r against the ruleset as it is now, at the
 * generation read first: natsh's own rules still as natsh wrote them go,
 * the rules it deleted come back before the rule they stood before (at the
 * end when that one is gone), a table it created goes when nothing but
 * its own chains is left in it.  What cannot be reverted is said in left.
 * 0: all reverted; 1: partly; -1: nothing (e); -2: the generation moved
 * while this was prepared (try again).
 */
static int merge_once(struct nsh_txn *t, struct undo_rec *r, struct nsh_undo_left *left,
		      struct nsh_txn_err *e)
{
	struct nsh_batch_result res = { 0 };
	struct nsh_batch *b = NULL;
	uint32_t set_id = 1, *seq, gen, use;
	size_t c, i, j, kept_natsh = 0, nops = 0, others = 0;
	bool partial = false, drop = r->drop_table;
	int rc = -1, s;

	if (nsh_wire_genid(t->w, &gen) < 0) {
		txn_err(e, NULL, errno, "cannot read the ruleset generation: %s", strerror(errno));
		return -1;
	}
	b = nsh_batch_new(gen);
	for (c = 0; c < r->nch; c++) {
		struct undo_chain *u = &r->ch[c];
		const char *fam = nsh_family_name(u->family);
		struct nsh_rule *live = NULL;
		size_t nlive = 0;

		if (nsh_wire_chain_rules(t->w, u->family, u->table, u->name, &live, &nlive) < 0) {
			if (errno != ENOENT) {
				txn_err(e, NULL, errno, "cannot read chain %s %s %s: %s", fam, u->table,
					u->name, strerror(errno));
				goto out;
			}
			if (u->nre) {
				left_add(left, "chain %s %s %s was deleted by someone else: the %zu "
					 "rule%s natsh deleted from it cannot be put back", fam, u->table,
					 u->name, u->nre, u->nre == 1 ? "" : "s");
				partial = true;
			}
			continue;
		}
		for (i = 0; i < u->nnew; i++) {
			char *now;

			j = live_find(live, nlive, u->newh[i]);
			if (j == nlive)		/* removed already: what the rollback wants */
				continue;
			now = rule_text(u->family, u->table, &live[j]);
			if (u->newtext[i] && strcmp(now, u->newtext[i]) == 0) {
				nsh_batch_del_rule(b, u->family, u->table, u->name, u->newh[i]);
				nops++;
			} else {
				left_add(left, "chain %s %s %s: the rule natsh added (handle %llu) was "
					 "changed by someone else and is left as it is: %s", fam, u->table,
					 u->name, (unsigned long long)u->newh[i], now);
				partial = true;
				kept_natsh++;
			}
			free(now);
		}
		for (i = 0; i < nlive; i++) {
			bool ours = false;

			for (j = 0; j < u->nnew; j++)
				ours |= live[i].handle == u->newh[j];
			others += !ours;
		}
		for (i = 0; i < u->nre; i++) {
			struct undo_rule *ur = &u->re[i];
			uint64_t at = ur->anchor;
			struct mnl_nlmsg_batch *mb;

			if (at && live_find(live, nlive, at) == nlive) {
				left_add(left, "chain %s %s %s: a rule natsh deleted is put back at the "
					 "end, since the rule it stood before is gone", fam, u->table,
					 u->name);
				partial = true;
				at = 0;
			}
			mb = nsh_batch_enc_begin(b, &seq);
			if (nsh_rule_encode(mb, seq, u->family, u->table, u->name, &ur->rule,
					    at ? NSH_ENC_INSERT : NSH_ENC_APPEND, at, &set_id) < 0) {
				txn_err(e, NULL, errno, "cannot write a deleted rule back: %s",
					strerror(errno));
				nsh_batch_enc_end(b, false);
				live_free(live, nlive);
				goto out;
			}
			nsh_batch_enc_end(b, false);
			nops++;
		}
		live_free(live, nlive);
	}
	if (drop) {
		/* the table goes only when it holds natsh's chains and natsh's rules alone */
		if (r->partial || kept_natsh || others ||
		    nsh_wire_table_use(t->w, r->family, r->table, &use) < 0 ||
		    use != NSH_OWN_NCHAINS) {
			left_add(left, "table %s %s stays: someone else added to it since natsh "
				 "created it (natsh's own rules in it are removed)",
				 nsh_family_name(r->family), r->table);
			partial = true;
		} else {
			nsh_batch_free(b);
			b = nsh_batch_new(gen);
			nsh_batch_del_table(b, r->family, r->table);
			nops = 1;
		}
	}
	if (nops) {
		s = nsh_batch_send(t->w, b, true, &res);
		if (s < 0) {
			txn_err(e, NULL, errno, "cannot send the rollback to the kernel: %s",
				strerror(errno));
			goto out;
		}
		if (s > 0 && res.restart) {
			rc = -2;
			goto out;
		}
		if (s > 0) {
			txn_err(e, NULL, res.errs[0].err, "the kernel refused the rollback: %s",
				res.errs[0].msg[0] ? res.errs[0].msg : strerror(res.errs[0].err));
			goto out;
		}
	}
	rec_clear(r);
	t->nhist--;
	rc = partial ? 1 : 0;
out:
	nsh_batch_result_clear(&res);
	nsh_batch_free(b);
	return rc;
}

int nsh_txn_undo_merge(struct nsh_txn *t, struct nsh_undo_left *left, struct nsh_txn_err *e)
{
	int tries, rc;

	memset(left, 0, sizeof(*left));
	if (nsh_txn_undo(t, e) == 0)
		return 0;
	if (e->err != ERESTART || !t->nhist)
		return -1;
	/* others keep committing: a few tries, each against what is there then */
	left->merged = true;
	for (tries = 0; tries < 8; tries++) {
		rc = merge_once(t, &t->hist[t->nhist - 1], left, e);
		if (rc != -2)
			return rc;
		nsh_undo_left_clear(left);
	}
	txn_err(e, NULL, ERESTART, "the ruleset kept changing under the rollback (8 tries); "
		"nothing was changed");
	return -1;
}

/* ---- diff ---- */

/* Append a change to *v. */
static struct nsh_change *change_add(struct nsh_change **v, size_t *n, enum nsh_change_op op,
				     const struct txn_chain *c)
{
	struct nsh_change *x;

	*v = nsh_xrealloc(*v, (*n + 1) * sizeof(**v));
	x = &(*v)[(*n)++];
	memset(x, 0, sizeof(*x));
	x->op = op;
	x->family = c ? c->family : NSH_OWN_FAMILY;
	x->table = c ? c->table : NSH_OWN_TABLE;
	x->chain = c ? c->name : NULL;
	return x;
}

/* A chain's live rules as models when the diff shows some that go (all of them when flushed). */
static int diff_load(struct nsh_txn *t, struct txn_chain *c, struct nsh_txn_err *e)
{
	size_t i;

	if (c->flushed && txn_load(t, c, true, e) < 0)
		return -1;
	for (i = 0; i < c->n; i++)
		if (!c->ents[i].op && c->ents[i].del_op && !c->ents[i].lr)
			return txn_load(t, c, true, e);
	return 0;
}

/* See txn.h: each chain is loaded before its changes are taken, so the rule pointers hold. */
int nsh_txn_diff(struct nsh_txn *t, struct nsh_change **out, size_t *n, struct nsh_txn_err *e)
{
	struct nsh_change *v = NULL, *x;
	size_t ci, i, nv = 0, after, before;

	if (t->own_state == 2)
		change_add(&v, &nv, NSH_CHANGE_ADD_TABLE, NULL);
	for (ci = 0; ci < t->nchains; ci++) {
		struct txn_chain *c = &t->chains[ci];

		if (diff_load(t, c, e) < 0) {
			free(v);
			return -1;
		}
		for (i = after = before = 0; i < c->n; i++) {
			const struct txn_ent *ent = &c->ents[i];

			after += !ent->del_op;
			before += !ent->op;
			if (!ent->op && !ent->del_op)
				continue;
			x = change_add(&v, &nv, ent->op ? NSH_CHANGE_ADD : NSH_CHANGE_DEL, c);
			x->pos = !c->loaded ? 0 : ent->op ? after : before;
			x->rule = txn_ent_rule(t, c, ent);
			x->handle = ent->handle;
		}
	}
	*out = v;
	*n = nv;
	return 0;
}

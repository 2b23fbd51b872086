/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Rule parser, concatenations and verdict maps: KEY . KEY [. KEY...]
 * [!=] { V . V, ... } | @NAME, and KEY [. KEY...] vmap { V : VERDICT, ... }
 * | @NAME.  Each part of an element is read with its own key's type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/syntax/rule_parse_int.h"
#include "model/values.h"
#include "lib/util.h"

#define CHAIN_MAX 255
#define CONCAT_BYTES 40		/* what the decoder reads back of a key */

static size_t part_len(const struct nsh_key_def *k)
{
	return (k->len + 3) & ~(size_t)3;
}

int nsh_rp_verdict_data(struct nsh_rp *p, struct nsh_set *set, size_t idx, struct nsh_elem *e)
{
	const struct nsh_rg_word *w;
	const struct nsh_word *t;
	int rc;

	rc = nsh_rp_word(p, nsh_rg_vmap_verdicts, "a verdict (accept, drop, return, continue, "
			 "jump CHAIN, goto CHAIN)", &w);
	if (rc)
		return rc;
	e->ndata = 1;
	e->data[0].len = 1;
	e->data[0].data[0] = (uint8_t)w->id;
	if (w->id != NSH_V_JUMP && w->id != NSH_V_GOTO)
		return 0;
	t = nsh_rp_peek(p);
	if (!t)
		return p->completing ? -2 : nsh_rp_err_end(p, "a chain name");
	if (!t->s[0] || strlen(t->s) > CHAIN_MAX || strchr("{},:.", t->s[0]))
		return nsh_rp_err_tok(p, t, "a chain name");
	set->chains[idx] = nsh_xstrdup(t->s);
	p->pos++;
	return 0;
}

/* The keys after the first: ". KEY" while a "." follows. */
static int concat_keys(struct nsh_rp *p, struct nsh_set *set)
{
	const struct nsh_word *t = nsh_rp_peek(p);
	const struct nsh_key_def *k;
	size_t total = part_len(set->keys[0]);
	int rc;

	while (t && !t->quoted && nsh_rg_find(nsh_rg_concat_word, t->s)) {
		p->pos++;
		t = nsh_rp_peek(p);
		if (!t) {
			if (p->completing) {
				nsh_rp_offer_tab(p, nsh_rg_key_words);
				return -2;
			}
			return nsh_rp_err_end(p, "a key after \".\" (ip daddr, tcp dport...)");
		}
		if (t->quoted || !nsh_rg_find(nsh_rg_key_words, t->s))
			return nsh_rp_err_tok(p, t, "a key after \".\" (ip daddr, tcp dport...)");
		rc = nsh_rp_key(p, &k);
		if (rc)
			return rc;
		if (k->kind == NSH_KK_NUMGEN) {
			nsh_err_set(p->err, t->off, t->len,
				    "numgen cannot be part of a concatenation");
			return -1;
		}
		rc = nsh_rp_key_context(p, k, t);
		if (rc)
			return rc;
		total += part_len(k);
		if (set->nkeys == NSH_CONCAT_MAX || total > CONCAT_BYTES) {
			nsh_err_set(p->err, t->off, t->len,
				    "concatenation too long: at most %d keys of %d bytes in all",
				    NSH_CONCAT_MAX, CONCAT_BYTES);
			return -1;
		}
		set->keys[set->nkeys++] = k;
		t = nsh_rp_peek(p);
	}
	return 0;
}

/* "{ V . V [: VERDICT], ... }" of a concatenation. */
static int concat_elems(struct nsh_rp *p, struct nsh_set *set, bool vmap)
{
	const struct nsh_word *open = nsh_rp_peek(p), *t;
	size_t cap = 0, nk = set->nkeys, j;
	int rc;

	p->pos++;	/* "{" */
	for (;;) {
		struct nsh_elem *el;

		t = nsh_rp_peek(p);
		if (t && !t->quoted && strcmp(t->s, "}") == 0 && set->nelems == 0) {
			nsh_err_set(p->err, open->off, t->off + t->len - open->off,
				    "empty set: give at least one element");
			return -1;
		}
		if (set->nelems == cap) {
			cap = cap ? cap * 2 : 8;
			set->elems = nsh_xrealloc(set->elems, cap * nk * sizeof(*set->elems));
			if (vmap) {
				set->chains = nsh_xrealloc(set->chains, cap * sizeof(*set->chains));
				memset(set->chains + set->nelems, 0,
				       (cap - set->nelems) * sizeof(*set->chains));
			}
		}
		el = &set->elems[set->nelems * nk];
		memset(el, 0, nk * sizeof(*el));
		set->nelems++;
		for (j = 0; j < nk; j++) {
			const struct nsh_key_def *k = set->keys[j];
			char what[128];

			if (j) {
				snprintf(what, sizeof(what), "\". %s\" (the element's value of %s)",
					 nsh_rg_type_name(k->type), k->name);
				rc = nsh_rp_expect(p, ".", what);
				if (rc)
					return rc;
			}
			t = nsh_rp_peek(p);
			if (!t) {
				if (p->completing)
					return -2;
				snprintf(what, sizeof(what), "%s (for %s)",
					 nsh_rg_type_expect(k->type, true), k->name);
				return nsh_rp_err_end(p, what);
			}
			rc = nsh_rp_elem(p, t, k->type, true, &el[j]);
			if (rc)
				return rc;
			if (el[j].kind != NSH_ELEM_VALUE) {
				if (nsh_type_is_host_order(k->type)) {
					nsh_err_set(p->err, t->off, t->len, "a range of %s in a "
						    "concatenation is not supported: give single values",
						    k->name);
					return -1;
				}
				set->interval = true;
			}
			p->pos++;
		}
		if (vmap) {
			rc = nsh_rp_expect(p, ":", "\":\" and the verdict (accept, drop, jump CHAIN...)");
			if (!rc)
				rc = nsh_rp_verdict_data(p, set, set->nelems - 1, el);
			if (rc)
				return rc;
		}
		t = nsh_rp_peek(p);
		if (!t) {
			if (p->completing) {
				nsh_rp_offer(p, "}", "end of the set");
				return -2;
			}
			return nsh_rp_err_end(p, "\",\" or \"}\"");
		}
		if (!t->quoted && strcmp(t->s, ",") == 0) {
			p->pos++;
			continue;
		}
		if (!t->quoted && strcmp(t->s, "}") == 0) {
			p->pos++;
			return 0;
		}
		return nsh_rp_err_tok(p, t, "\",\" or \"}\"");
	}
}

/* "@name" at t: the name (caller frees), NULL + error when empty. */
static char *set_name(struct nsh_rp *p, const struct nsh_word *t)
{
	if (!t->s[1]) {
		nsh_rp_err_tok(p, t, "a set name after \"@\"");
		return NULL;
	}
	p->pos++;
	return nsh_xstrdup(t->s + 1);
}

/* After "vmap": { ... } or @name; the statement is added. */
static int parse_vmap(struct nsh_rp *p, struct nsh_match *m, struct nsh_set *keys, size_t tok0)
{
	const struct nsh_word *t;
	struct nsh_stmt *s;
	struct nsh_vmap v;
	int rc;

	memset(&v, 0, sizeof(v));
	if (m->key->kind == NSH_KK_NUMGEN) {
		v.key.kind = NSH_MAPKEY_NUMGEN;
		v.key.numgen_type = m->numgen_type;
		v.key.numgen_mod = m->numgen_mod;
		v.key.numgen_offset = m->numgen_offset;
	} else {
		v.key.kind = NSH_MAPKEY_KEY;
		v.key.key = keys->nkeys > 1 ? &nsh_key_concat : m->key;
	}
	t = nsh_rp_peek(p);
	if (!t) {
		if (p->completing) {
			nsh_rp_offer(p, "{", "the map: { KEY : VERDICT, ... }");
			nsh_rp_offer(p, "@", "a named verdict map of the table: @NAME");
			return -2;
		}
		return nsh_rp_err_end(p, "\"{\" (a verdict map) or @NAME");
	}
	if (!t->quoted && t->s[0] == '@') {
		if (!(v.name = set_name(p, t)))
			return -1;
		if (keys->nkeys > 1) {
			v.map = nsh_xcalloc(1, sizeof(*v.map));
			v.map->keys = nsh_xcalloc(keys->nkeys, sizeof(*v.map->keys));
			memcpy(v.map->keys, keys->keys, keys->nkeys * sizeof(*keys->keys));
			v.map->nkeys = keys->nkeys;
		}
	} else if (!t->quoted && strcmp(t->s, "{") == 0) {
		if (keys->nkeys > 1) {
			v.map = nsh_xcalloc(1, sizeof(*v.map));
			v.map->keys = nsh_xcalloc(keys->nkeys, sizeof(*v.map->keys));
			memcpy(v.map->keys, keys->keys, keys->nkeys * sizeof(*keys->keys));
			v.map->nkeys = keys->nkeys;
			v.map->ndata = 1;
			v.map->data_type[0] = NSH_T_VERDICT;
			rc = concat_elems(p, v.map, true);
		} else {
			enum nsh_type dt[2] = { NSH_T_VERDICT, NSH_T_INVALID };

			rc = nsh_rp_set(p, m->key->type, 1, dt, &v.map, NULL);
		}
		if (rc) {
			nsh_set_free(v.map);
			return rc;
		}
	} else {
		return nsh_rp_err_tok(p, t, "\"{\" (a verdict map) or @NAME");
	}
	s = nsh_rp_stmt_add(p, NSH_ST_VMAP, tok0);
	s->vmap = v;
	nsh_rp_stmt_end(p);
	return 0;
}

int nsh_rp_concat_vmap(struct nsh_rp *p, struct nsh_match *m, size_t tok0)
{
	const struct nsh_word *t;
	const struct nsh_rg_word *op;
	struct nsh_set *set = nsh_xcalloc(1, sizeof(*set));
	struct nsh_stmt *s;
	int rc;

	set->keys = nsh_xcalloc(NSH_CONCAT_MAX, sizeof(*set->keys));
	set->keys[0] = m->key;
	set->nkeys = 1;
	if (nsh_rg_find(nsh_rg_concat_word, nsh_rp_peek(p)->s) && m->key->kind == NSH_KK_NUMGEN) {
		nsh_err_set(p->err, p->toks[tok0].off, p->toks[tok0].len,
			    "numgen cannot be part of a concatenation");
		rc = -1;
		goto out;
	}
	rc = concat_keys(p, set);
	if (rc)
		goto out;
	t = nsh_rp_peek(p);
	if (t && !t->quoted && nsh_rg_find(nsh_rg_vmap_word, t->s)) {
		p->pos++;
		rc = parse_vmap(p, m, set, tok0);
		goto out;
	}
	m->key = &nsh_key_concat;
	m->op = NSH_OP_EQ;
	if (t && !t->quoted && (op = nsh_rg_find(nsh_rg_ops, t->s)) &&
	    (op->id == NSH_OP_EQ || op->id == NSH_OP_NEQ)) {
		m->op = op->id;
		p->pos++;
		t = nsh_rp_peek(p);
	}
	if (!t) {
		if (p->completing) {
			nsh_rp_offer(p, "{", "a set of concatenated values: { V . V, ... }");
			nsh_rp_offer_tab(p, nsh_rg_vmap_word);
			nsh_rp_offer_tab(p, nsh_rg_concat_word);
			rc = -2;
		} else {
			rc = nsh_rp_err_end(p, "a set { V . V, ... }, @NAME or vmap");
		}
		goto out;
	}
	if (!t->quoted && t->s[0] == '@') {
		m->rhs = NSH_RHS_NAMED_SET;
		if (!(m->set_name = set_name(p, t))) {
			rc = -1;
			goto out;
		}
	} else if (!t->quoted && strcmp(t->s, "{") == 0) {
		m->rhs = NSH_RHS_SET;
		rc = concat_elems(p, set, false);
		if (rc)
			goto out;
	} else {
		rc = nsh_rp_err_tok(p, t, "a set { V . V, ... }, @NAME or vmap after the concatenation");
		goto out;
	}
	m->set = set;
	set = NULL;
	s = nsh_rp_stmt_add(p, NSH_ST_MATCH, tok0);
	s->match = *m;
	nsh_rp_stmt_end(p);
out:
	nsh_set_free(set);
	return rc;
}

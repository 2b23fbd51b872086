/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The decoder's concatenations and verdict maps: the keys of a lookup
 * whose set key spans several registers ("ip daddr . tcp dport"), the
 * elements of such sets with each part typed, and lookups whose result is
 * the verdict ("ct state vmap { ... }", "... vmap @name").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "model/nft/from_nftnl_dec.h"
#include "lib/util.h"

/* A part's length in the key: parts start on 32-bit register boundaries. */
static size_t part_len(const struct nsh_key_def *k)
{
	return (k->len + 3) & ~(size_t)3;
}

int nsh_dec_concat_keys(struct dec *d, const struct reg *rg, size_t klen,
			const struct nsh_key_def **keys, unsigned *swapped)
{
	size_t nk = 0, total = 0;
	int slot = (int)(rg - d->regs);

	*swapped = 0;
	while (total < klen && nk < NSH_CONCAT_MAX && slot < NSLOTS) {
		const struct reg *p = &d->regs[slot];

		if (p->src != SRC_KEY || p->masked || p->loadlen != p->key->len ||
		    p->key->kind == NSH_KK_NUMGEN)
			return -1;
		/* nft's hton of a host-order part (interval concatenations); of 1 byte: a no-op */
		if (p->swapped && !(p->swapped == 4 && p->key->len == 4 &&
				    nsh_type_is_host_order(p->key->type)) &&
		    !(p->swapped == 2 && p->key->len == 1))
			return -1;
		if (p->swapped == 4)
			*swapped |= 1u << nk;
		keys[nk++] = p->key;
		total += part_len(p->key);
		slot += (int)(part_len(p->key) / 4);
	}
	if (total != klen || total > sizeof(((struct nsh_rawelem *)0)->key) || nk < 2)
		return -1;
	return (int)nk;
}

/*
 * qsort order of a concatenation's hash set elements: the whole key as one
 * host-order number (last byte first), the order nft lists them in.
 */
static int raw_cmp(const void *a, const void *b)
{
	const struct nsh_rawelem *x = a, *y = b;
	size_t i = sizeof(x->key);

	while (i-- > 0)
		if (x->key[i] != y->key[i])
			return x->key[i] < y->key[i] ? -1 : 1;
	return 0;
}

/* One part [lo, hi] of an interval element -> value, prefix or range as nft prints it. */
static void part_classify(struct nsh_elem *el, const struct nsh_key_def *k)
{
	int plen;

	if (memcmp(el->lo.data, el->hi.data, k->len) == 0) {
		memset(&el->hi, 0, sizeof(el->hi));
		return;
	}
	plen = nsh_range_plen(&el->lo, &el->hi);
	if (k->type == NSH_T_IFNAME && plen >= 0 && plen % 8 == 0) {
		el->kind = NSH_ELEM_PREFIX;
		el->plen = (uint8_t)plen;
		el->lo.len = (uint8_t)(plen / 8);
		memset(el->lo.data + el->lo.len, 0, sizeof(el->lo.data) - el->lo.len);
		memset(&el->hi, 0, sizeof(el->hi));
	} else if ((k->type == NSH_T_IPV4 || k->type == NSH_T_IPV6) && plen >= 0) {
		el->kind = NSH_ELEM_PREFIX;
		el->plen = (uint8_t)plen;
	} else {
		el->kind = NSH_ELEM_RANGE;
	}
}

/* A part nft keeps big-endian (swapped): back to host order. */
static void part_unswap(struct nsh_val *v)
{
	uint8_t t;

	t = v->data[0], v->data[0] = v->data[3], v->data[3] = t;
	t = v->data[1], v->data[1] = v->data[2], v->data[2] = t;
}

struct nsh_set *nsh_dec_concat_set(const struct nsh_rawset *rs, const struct nsh_key_def **keys,
				   size_t nk, bool vmap, unsigned swapped)
{
	struct nsh_set *set = nsh_xcalloc(1, sizeof(*set));
	bool interval = rs->flags & NFT_SET_INTERVAL;
	struct nsh_rawelem *v;
	size_t i, j, off;

	set->key_type = NSH_T_INVALID;
	set->nkeys = (uint8_t)nk;
	set->keys = nsh_xcalloc(nk, sizeof(*set->keys));
	memcpy(set->keys, keys, nk * sizeof(*keys));
	set->interval = interval;
	if (vmap) {
		set->ndata = 1;
		set->data_type[0] = NSH_T_VERDICT;
	}
	if (rs->flags & NFT_SET_ANONYMOUS) {
		for (i = 0; i < rs->n && interval; i++)
			if (!rs->e[i].has_key_end || rs->e[i].end) {
				nsh_set_free(set);
				return NULL;
			}
	} else if (swapped) {
		/* named: the writer would not turn the parts big-endian again */
		nsh_set_free(set);
		return NULL;
	} else {
		return set;	/* named: only the keys */
	}
	v = nsh_xcalloc(rs->n ? rs->n : 1, sizeof(*v));
	memcpy(v, rs->e, rs->n * sizeof(*v));
	if (!interval)
		qsort(v, rs->n, sizeof(*v), raw_cmp);
	set->elems = nsh_xcalloc((rs->n ? rs->n : 1) * nk, sizeof(*set->elems));
	if (vmap)
		set->chains = nsh_xcalloc(rs->n ? rs->n : 1, sizeof(*set->chains));
	for (i = 0; i < rs->n; i++) {
		struct nsh_elem *el = &set->elems[i * nk];
		enum nsh_verdict code = NSH_V_CONTINUE;

		for (j = off = 0; j < nk; j++) {
			const struct nsh_key_def *k = keys[j];

			nsh_dec_set_val(&el[j].lo, v[i].key + off, k->len, 0);
			if (swapped & (1u << j))
				part_unswap(&el[j].lo);
			if (interval) {
				nsh_dec_set_val(&el[j].hi, v[i].key_end + off, k->len, 0);
				if (swapped & (1u << j))
					part_unswap(&el[j].hi);
				part_classify(&el[j], k);
			}
			off += part_len(k);
		}
		if (vmap) {
			el->ndata = 1;
			el->data[0].len = 1;
			if (v[i].is_verdict && nsh_verdict_from_kernel(v[i].verdict, &code) &&
			    v[i].chain && (code == NSH_V_JUMP || code == NSH_V_GOTO))
				set->chains[i] = nsh_xstrdup(v[i].chain);
			el->data[0].data[0] = (uint8_t)code;
		}
		set->nelems++;
	}
	free(v);
	return set;
}

/* Every element of a verdict map holds a verdict natsh models. */
static bool verdicts_known(const struct nsh_rawset *rs)
{
	enum nsh_verdict code;
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (!rs->e[i].end && (!rs->e[i].is_verdict ||
				      !nsh_verdict_from_kernel(rs->e[i].verdict, &code)))
			return false;
	return true;
}

void nsh_dec_vmap(struct dec *d, const struct nsh_xe *e, struct reg *rg,
		  const struct nsh_rawset *rs)
{
	const struct nsh_key_def *keys[NSH_CONCAT_MAX];
	bool anon = rs->flags & NFT_SET_ANONYMOUS;
	struct nsh_mapkey mk;
	struct nsh_set *map = NULL;
	struct nsh_stmt *s;
	int nk = 0;
	size_t i;

	if ((nsh_xe_u32(e, NFTNL_EXPR_LOOKUP_FLAGS) & NFT_LOOKUP_F_INV) ||
	    (anon && !verdicts_known(rs)) ||
	    (rg->src != SRC_KEY && rg->src != SRC_NUMGEN) || rg->masked) {
		nsh_dec_opaque_expr(d, e);
		return;
	}
	memset(&mk, 0, sizeof(mk));
	if (rg->src == SRC_NUMGEN || rg->key->kind == NSH_KK_NUMGEN) {
		mk = rg->mk;
		if (rs->klen > 4) {
			nsh_dec_opaque_expr(d, e);
			return;
		}
	} else if (rs->klen > part_len(rg->key)) {
		unsigned sw;

		nk = nsh_dec_concat_keys(d, rg, rs->klen, keys, &sw);
		if (nk < 0 || !(map = nsh_dec_concat_set(rs, keys, (size_t)nk, true, sw))) {
			nsh_dec_opaque_expr(d, e);
			return;
		}
		mk.kind = NSH_MAPKEY_KEY;
		mk.key = &nsh_key_concat;
	} else {
		if (rg->loadlen != rg->key->len || (rg->swapped && !(rs->flags & NFT_SET_INTERVAL))) {
			nsh_dec_opaque_expr(d, e);
			return;
		}
		mk.kind = NSH_MAPKEY_KEY;
		mk.key = rg->key;
	}
	if (!nk && anon) {
		enum nsh_type dt[2] = { NSH_T_VERDICT, NSH_T_INVALID };

		map = nsh_dec_set_unswapped(rs, rg->swapped,
					    mk.kind == NSH_MAPKEY_KEY ? mk.key->type : NSH_T_INTEGER,
					    1, dt, 0);
	}
	/* before the statement: it ends what dependencies may be hidden */
	for (i = 0; i < (size_t)nk; i++)
		nsh_dec_kill_deps(d, keys[i]);
	if (!nk && mk.kind == NSH_MAPKEY_KEY)
		nsh_dec_kill_deps(d, mk.key);
	s = nsh_dec_emit(d, NSH_ST_VMAP);
	s->vmap.key = mk;
	s->vmap.map = map;
	if (!anon)
		s->vmap.name = nsh_xstrdup(rs->name);
}

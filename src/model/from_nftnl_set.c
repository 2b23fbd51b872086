/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Sets, chains and tables from libnftnl objects; set elements as the kernel
 * holds them -> model sets as nft prints them: sorted by value in the
 * datatype's byte order, interval start/end elements merged into single
 * values, ranges and (for addresses) prefixes.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/set.h>
#include <libnftnl/chain.h>
#include <libnftnl/table.h>

#include "model/from_nftnl.h"
#include "lib/util.h"

/* Types whose values the kernel keeps in host byte order (compared as such). */
static bool type_host_order(enum nsh_type t)
{
	switch (t) {
	case NSH_T_IFNAME:
	case NSH_T_MARK:
	case NSH_T_CT_STATE:
	case NSH_T_CT_STATUS:
	case NSH_T_FIB_ADDRTYPE:
	case NSH_T_INTEGER:
		return true;
	default:
		return false;
	}
}

/* Numeric comparison of two byte strings of length n in the type's order. */
static int val_cmp(enum nsh_type t, const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	if (!type_host_order(t))
		return memcmp(a, b, n);
	for (i = n; i-- > 0;)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* v - 1 in the type's byte order (interval ends are exclusive in the kernel). */
static void val_dec(enum nsh_type t, uint8_t *v, size_t n)
{
	size_t i;

	if (type_host_order(t)) {
		for (i = 0; i < n; i++)
			if (v[i]-- != 0)
				return;
	} else {
		for (i = n; i-- > 0;)
			if (v[i]-- != 0)
				return;
	}
}

/* Prefix length when [lo, hi] is one CIDR block, else -1. */
int nsh_range_plen(const struct nsh_val *lo, const struct nsh_val *hi)
{
	size_t n = lo->len, bit;
	int plen = -1;

	for (bit = 0; bit < n * 8; bit++) {
		int bl = lo->data[bit / 8] >> (7 - bit % 8) & 1;
		int bh = hi->data[bit / 8] >> (7 - bit % 8) & 1;

		if (plen < 0) {
			if (bl == bh)
				continue;
			plen = (int)bit;
		}
		if (bl != 0 || bh != 1)
			return -1;
	}
	return plen;
}

struct sort_ctx {
	enum nsh_type t;
	size_t n;
};

/* Order of raw elements: by value in the datatype's byte order, starts before ends. */
static int elem_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	const struct nsh_rawelem *x = *(const struct nsh_rawelem *const *)a;
	const struct nsh_rawelem *y = *(const struct nsh_rawelem *const *)b;
	int r = val_cmp(c->t, x->key, y->key, c->n);

	if (r)
		return r;
	return (int)x->end - (int)y->end;
}

/* Map data of an element: address, and for concatenations the port at poff. */
static void fill_data(struct nsh_elem *el, const struct nsh_rawelem *re, size_t ndata,
		      const enum nsh_type dtype[2], size_t poff)
{
	size_t alen;

	el->ndata = (uint8_t)ndata;
	if (ndata == 0)
		return;
	alen = nsh_type_len(dtype[0]);
	memcpy(el->data[0].data, re->data, alen);
	el->data[0].len = (uint8_t)alen;
	if (ndata == 2 && poff + 2 <= sizeof(re->data)) {
		memcpy(el->data[1].data, re->data + poff, 2);
		el->data[1].len = 2;
	}
}

/* Raw elements -> sorted model elements (intervals merged). */
struct nsh_set *nsh_set_from_raw(const struct nsh_rawset *rs, enum nsh_type ktype,
				 size_t ndata, const enum nsh_type dtype[2], size_t poff)
{
	struct nsh_set *set = nsh_xcalloc(1, sizeof(*set));
	const struct nsh_rawelem **v;
	struct sort_ctx c = { ktype, rs->klen };
	size_t i;

	if (c.n > 16)
		c.n = 16;
	set->key_type = ktype;
	set->ndata = (uint8_t)ndata;
	set->data_type[0] = dtype[0];
	set->data_type[1] = dtype[1];
	set->interval = rs->flags & NFT_SET_INTERVAL;
	set->elems = nsh_xcalloc(rs->n ? rs->n : 1, sizeof(*set->elems));
	v = nsh_xcalloc(rs->n ? rs->n : 1, sizeof(*v));
	for (i = 0; i < rs->n; i++)
		v[i] = &rs->e[i];
	qsort_r(v, rs->n, sizeof(*v), elem_cmp, &c);
	for (i = 0; i < rs->n; i++) {
		struct nsh_elem *el;

		if (v[i]->end)
			continue;	/* an end without a start: the leading sentinel */
		el = &set->elems[set->nelems++];
		memcpy(el->lo.data, v[i]->key, c.n);
		el->lo.len = (uint8_t)c.n;
		fill_data(el, v[i], ndata, dtype, poff);
		if (!set->interval)
			continue;
		el->hi.len = (uint8_t)c.n;
		if (i + 1 < rs->n && v[i + 1]->end) {
			memcpy(el->hi.data, v[i + 1]->key, c.n);
			val_dec(ktype, el->hi.data, c.n);
			i++;
		} else {
			memset(el->hi.data, 0xff, c.n);
		}
		if (memcmp(el->lo.data, el->hi.data, c.n) == 0) {
			el->kind = NSH_ELEM_VALUE;
		} else if ((ktype == NSH_T_IPV4 || ktype == NSH_T_IPV6) &&
			   nsh_range_plen(&el->lo, &el->hi) >= 0) {
			el->kind = NSH_ELEM_PREFIX;
			el->plen = (uint8_t)nsh_range_plen(&el->lo, &el->hi);
		} else {
			el->kind = NSH_ELEM_RANGE;
		}
	}
	free(v);
	return set;
}

/* Header of a raw set from a parsed set. */
void nsh_rawset_init(struct nsh_rawset *rs, const struct nftnl_set *s)
{
	memset(rs, 0, sizeof(*rs));
	rs->name = nsh_xstrdup(nftnl_set_get_str(s, NFTNL_SET_NAME));
	rs->flags = nftnl_set_get_u32(s, NFTNL_SET_FLAGS);
	rs->klen = nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN);
	if (nftnl_set_is_set(s, NFTNL_SET_DATA_LEN))
		rs->dlen = nftnl_set_get_u32(s, NFTNL_SET_DATA_LEN);
}

/* Copy one parsed element into the raw set. */
static int elem_cb(struct nftnl_set_elem *el, void *arg)
{
	struct nsh_rawset *rs = arg;
	struct nsh_rawelem *re;
	uint32_t len = 0;
	const void *p;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 8;
		rs->e = nsh_xrealloc(rs->e, rs->cap * sizeof(*rs->e));
	}
	re = &rs->e[rs->n++];
	memset(re, 0, sizeof(*re));
	if (nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_FLAGS))
		re->end = nftnl_set_elem_get_u32(el, NFTNL_SET_ELEM_FLAGS) &
			  NFT_SET_ELEM_INTERVAL_END;
	p = nftnl_set_elem_get(el, NFTNL_SET_ELEM_KEY, &len);
	if (p) {
		re->klen = (uint8_t)(len > sizeof(re->key) ? sizeof(re->key) : len);
		memcpy(re->key, p, re->klen);
	}
	p = nftnl_set_elem_get(el, NFTNL_SET_ELEM_DATA, &len);
	if (p) {
		re->dlen = (uint8_t)(len > sizeof(re->data) ? sizeof(re->data) : len);
		memcpy(re->data, p, re->dlen);
	}
	return 0;
}

/* Append every element libnftnl parsed. */
int nsh_rawset_add_elems(struct nsh_rawset *rs, struct nftnl_set *s)
{
	return nftnl_set_elem_foreach(s, elem_cb, rs);
}

/* Free what a raw set owns. */
void nsh_rawset_clear(struct nsh_rawset *rs)
{
	free(rs->name);
	free(rs->e);
	memset(rs, 0, sizeof(*rs));
}

/* A chain's attributes (no rules yet). */
void nsh_chain_from_nftnl(const struct nftnl_chain *c, struct nsh_chain *out)
{
	memset(out, 0, sizeof(*out));
	out->name = nsh_xstrdup(nftnl_chain_get_str(c, NFTNL_CHAIN_NAME));
	out->handle = nftnl_chain_get_u64(c, NFTNL_CHAIN_HANDLE);
	if (nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM)) {
		out->base = true;
		out->hooknum = nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM);
		out->prio = nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO);
		out->policy = nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY);
	}
	if (nftnl_chain_is_set(c, NFTNL_CHAIN_TYPE))
		out->type = nsh_xstrdup(nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE));
}

/* A table's attributes (no chains yet). */
void nsh_table_from_nftnl(const struct nftnl_table *t, struct nsh_table *out)
{
	memset(out, 0, sizeof(*out));
	out->name = nsh_xstrdup(nftnl_table_get_str(t, NFTNL_TABLE_NAME));
	out->family = (uint8_t)nftnl_table_get_u32(t, NFTNL_TABLE_FAMILY);
	out->handle = nftnl_table_get_u64(t, NFTNL_TABLE_HANDLE);
	out->flags = nftnl_table_get_u32(t, NFTNL_TABLE_FLAGS);
}

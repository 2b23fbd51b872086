/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Sets, chains and tables from libnftnl objects; set elements as the kernel
 * holds them -> model sets as nft prints them: sorted by value in the
 * datatype's byte order, interval start/end elements merged into single
 * values, ranges and (for addresses) prefixes.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <libnftnl/set.h>
#include <libnftnl/chain.h>
#include <libnftnl/table.h>

#include "model/nft/from_nftnl.h"
#include "model/values.h"
#include "lib/util.h"

/*
 * Types whose values the kernel keeps in host byte order.  nft orders a
 * hash set's elements by their value in that order (interface names too:
 * as little-endian numbers).  Interval sets are ordered in network byte
 * order: nft swaps host-order keys (hton) before an interval lookup (the
 * caller undoes that), and compares interface names as plain bytes.
 */
static bool type_host_order(enum nsh_type t, bool interval)
{
	switch (t) {
	case NSH_T_IFNAME:
		return !interval;
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

/* Numeric comparison of two byte strings of length n (host or network order). */
static int val_cmp(bool host, const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	if (!host)
		return memcmp(a, b, n);
	for (i = n; i-- > 0;)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* v - 1 (interval ends are exclusive in the kernel). */
static void val_dec(bool host, uint8_t *v, size_t n)
{
	size_t i;

	if (host) {
		for (i = 0; i < n; i++)
			if (v[i]-- != 0)
				return;
	} else {
		for (i = n; i-- > 0;)
			if (v[i]-- != 0)
				return;
	}
}

struct sort_ctx {
	bool host;
	size_t n;
};

/*
 * Order of raw elements: by value, and at equal values an end before a
 * start (it closes the interval before, as nft reads them).
 */
static int elem_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	const struct nsh_rawelem *x = *(const struct nsh_rawelem *const *)a;
	const struct nsh_rawelem *y = *(const struct nsh_rawelem *const *)b;
	int r = val_cmp(c->host, x->key, y->key, c->n);

	if (r)
		return r;
	return (int)y->end - (int)x->end;
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
	if (alen > sizeof(el->data[0].data))
		alen = sizeof(el->data[0].data);
	memcpy(el->data[0].data, re->data, alen);
	el->data[0].len = (uint8_t)alen;
	if (ndata == 2 && poff + nsh_type_len(dtype[1]) <= sizeof(re->data)) {
		/* a port, or the end of an address range (nat maps of ranges) */
		memcpy(el->data[1].data, re->data + poff, nsh_type_len(dtype[1]));
		el->data[1].len = (uint8_t)nsh_type_len(dtype[1]);
	}
}

bool nsh_verdict_from_kernel(int32_t v, enum nsh_verdict *out)
{
	switch (v) {
	case NF_ACCEPT:		*out = NSH_V_ACCEPT; return true;
	case NF_DROP:		*out = NSH_V_DROP; return true;
	case NFT_RETURN:	*out = NSH_V_RETURN; return true;
	case NFT_CONTINUE:	*out = NSH_V_CONTINUE; return true;
	case NFT_JUMP:		*out = NSH_V_JUMP; return true;
	case NFT_GOTO:		*out = NSH_V_GOTO; return true;
	default:		return false;
	}
}

/* A verdict map element's data: the code in data[0], the target in set->chains. */
static void fill_verdict(struct nsh_set *set, struct nsh_elem *el, const struct nsh_rawelem *re)
{
	enum nsh_verdict v = NSH_V_CONTINUE;

	if (set->data_type[0] != NSH_T_VERDICT)
		return;
	el->ndata = 1;
	el->data[0].len = 1;
	if (re->is_verdict && nsh_verdict_from_kernel(re->verdict, &v) && re->chain &&
	    (v == NSH_V_JUMP || v == NSH_V_GOTO))
		set->chains[el - set->elems] = nsh_xstrdup(re->chain);
	el->data[0].data[0] = (uint8_t)v;
}

/*
 * An interface name interval ["wlan", "wlao") is the wildcard "wlan*": the
 * model keeps it as a prefix element of the name's first bytes (model.h).
 * Byte-aligned only; -1 when the interval is no such prefix.
 */
static int ifname_prefix(struct nsh_elem *el)
{
	int plen = nsh_range_plen(&el->lo, &el->hi);

	if (plen < 0 || plen % 8)
		return -1;
	el->kind = NSH_ELEM_PREFIX;
	el->plen = (uint8_t)plen;
	el->lo.len = (uint8_t)(plen / 8);
	memset(el->lo.data + el->lo.len, 0, sizeof(el->lo.data) - el->lo.len);
	memset(&el->hi, 0, sizeof(el->hi));
	return 0;
}

/* [lo, hi] of an interval element -> value, prefix or range, as nft prints it. */
static void classify(struct nsh_elem *el, enum nsh_type ktype, size_t n)
{
	if (memcmp(el->lo.data, el->hi.data, n) == 0) {
		el->kind = NSH_ELEM_VALUE;
		memset(&el->hi, 0, sizeof(el->hi));
	} else if (ktype == NSH_T_IFNAME && ifname_prefix(el) == 0) {
		return;
	} else if ((ktype == NSH_T_IPV4 || ktype == NSH_T_IPV6) &&
		   nsh_range_plen(&el->lo, &el->hi) >= 0) {
		el->kind = NSH_ELEM_PREFIX;
		el->plen = (uint8_t)nsh_range_plen(&el->lo, &el->hi);
	} else {
		el->kind = NSH_ELEM_RANGE;
	}
}

/*
 * Raw elements -> sorted model elements.  In an interval set a start opens
 * an interval that the next element closes: an end element (exclusive), or
 * the next start when intervals touch (maps: "1-100 : a, 101-200 : b" has
 * no end at 101).  A start nothing follows runs to the highest value.
 */
struct nsh_set *nsh_set_from_raw(const struct nsh_rawset *rs, enum nsh_type ktype,
				 size_t ndata, const enum nsh_type dtype[2], size_t poff)
{
	struct nsh_set *set = nsh_xcalloc(1, sizeof(*set));
	const struct nsh_rawelem **v, *low = NULL;
	struct sort_ctx c;
	struct nsh_elem *el;
	size_t i;

	set->key_type = ktype;
	set->ndata = (uint8_t)ndata;
	set->data_type[0] = dtype[0];
	set->data_type[1] = dtype[1];
	set->interval = rs->flags & NFT_SET_INTERVAL;
	c.host = type_host_order(ktype, set->interval);
	c.n = rs->klen > 16 ? 16 : rs->klen;
	set->elems = nsh_xcalloc(rs->n ? rs->n : 1, sizeof(*set->elems));
	if (ndata && dtype[0] == NSH_T_VERDICT)
		set->chains = nsh_xcalloc(rs->n ? rs->n : 1, sizeof(*set->chains));
	v = nsh_xcalloc(rs->n ? rs->n : 1, sizeof(*v));
	for (i = 0; i < rs->n; i++)
		v[i] = &rs->e[i];
	qsort_r(v, rs->n, sizeof(*v), elem_cmp, &c);
	for (i = 0; i < rs->n && !set->interval; i++) {
		el = &set->elems[set->nelems++];
		memcpy(el->lo.data, v[i]->key, c.n);
		el->lo.len = (uint8_t)c.n;
		fill_data(el, v[i], ndata, dtype, poff);
		fill_verdict(set, el, v[i]);
	}
	for (i = 0; i <= rs->n && set->interval; i++) {
		if (!low) {
			if (i < rs->n && !v[i]->end)
				low = v[i];	/* an end here is the leading sentinel */
			continue;
		}
		el = &set->elems[set->nelems++];
		memcpy(el->lo.data, low->key, c.n);
		el->lo.len = el->hi.len = (uint8_t)c.n;
		fill_data(el, low, ndata, dtype, poff);
		fill_verdict(set, el, low);
		if (i < rs->n) {
			memcpy(el->hi.data, v[i]->key, c.n);
			val_dec(c.host, el->hi.data, c.n);
		} else {
			memset(el->hi.data, 0xff, c.n);
		}
		classify(el, ktype, c.n);
		low = i < rs->n && !v[i]->end ? v[i] : NULL;
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
	if (nftnl_set_is_set(s, NFTNL_SET_KEY_TYPE))
		rs->key_type = nftnl_set_get_u32(s, NFTNL_SET_KEY_TYPE);
	if (nftnl_set_is_set(s, NFTNL_SET_DATA_TYPE))
		rs->data_type = nftnl_set_get_u32(s, NFTNL_SET_DATA_TYPE);
}

/*
 * Room for more elements: exactly as many as the first message brings (most
 * anonymous sets are one message), doubling after that.
 */
static void rawset_reserve(struct nsh_rawset *rs, size_t more)
{
	size_t want = rs->n + more;

	if (want <= rs->cap)
		return;
	if (rs->cap && want < rs->cap * 2)
		want = rs->cap * 2;
	rs->cap = want;
	rs->e = nsh_xrealloc(rs->e, rs->cap * sizeof(*rs->e));
}

/* Copy one parsed element into the raw set. */
static int elem_cb(struct nftnl_set_elem *el, void *arg)
{
	struct nsh_rawset *rs = arg;
	struct nsh_rawelem *re;
	uint32_t len = 0;
	const void *p;

	rawset_reserve(rs, rs->n < 8 ? 8 - rs->n : 1);
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
	p = nftnl_set_elem_get(el, NFTNL_SET_ELEM_KEY_END, &len);
	if (p) {
		re->has_key_end = true;
		memcpy(re->key_end, p, len > sizeof(re->key_end) ? sizeof(re->key_end) : len);
	}
	if (nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_VERDICT)) {
		re->is_verdict = true;
		re->verdict = (int32_t)nftnl_set_elem_get_u32(el, NFTNL_SET_ELEM_VERDICT);
		if (nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_CHAIN))
			re->chain = nsh_xstrdup(nftnl_set_elem_get_str(el, NFTNL_SET_ELEM_CHAIN));
	}
	p = nftnl_set_elem_get(el, NFTNL_SET_ELEM_DATA, &len);
	if (p) {
		re->dlen = (uint8_t)(len > sizeof(re->data) ? sizeof(re->data) : len);
		memcpy(re->data, p, re->dlen);
	}
	return 0;
}

/* The NFTA_DATA_VALUE of a data attribute (key, key end, map data); NULL otherwise. */
static const struct nlattr *elem_value(const struct nlattr *nest)
{
	const struct nlattr *a, *val = NULL;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return NULL;
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) != NFTA_DATA_VALUE)
			return NULL;	/* a verdict: libnftnl's reading */
		val = a;
	}
	if (!val || mnl_attr_get_payload_len(val) > NFT_DATA_VALUE_MAXLEN)
		return NULL;
	return val;
}

/* Copy at most max bytes of a value; its length. */
static uint8_t copy_value(uint8_t *dst, const struct nlattr *val, size_t max)
{
	size_t len = mnl_attr_get_payload_len(val);

	len = len > max ? max : len;
	memcpy(dst, mnl_attr_get_payload(val), len);
	return (uint8_t)len;
}

/* One NFTA_LIST_ELEM read in place, as elem_cb reads libnftnl's; false: libnftnl's turn. */
static bool elem_from_attr(struct nsh_rawset *rs, const struct nlattr *elem)
{
	const struct nlattr *a, *val;
	struct nsh_rawelem *re;

	if (mnl_attr_get_type(elem) != NFTA_LIST_ELEM ||
	    mnl_attr_validate(elem, MNL_TYPE_NESTED) < 0)
		return false;
	rawset_reserve(rs, 1);
	re = &rs->e[rs->n++];
	memset(re, 0, sizeof(*re));
	mnl_attr_for_each_nested(a, elem) {
		switch (mnl_attr_get_type(a)) {
		case NFTA_SET_ELEM_FLAGS:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return false;
			re->end = ntohl(mnl_attr_get_u32(a)) & NFT_SET_ELEM_INTERVAL_END;
			break;
		case NFTA_SET_ELEM_KEY:
			val = elem_value(a);
			if (!val)
				return false;
			re->klen = copy_value(re->key, val, sizeof(re->key));
			break;
		case NFTA_SET_ELEM_KEY_END:
			val = elem_value(a);
			if (!val)
				return false;
			re->has_key_end = true;
			copy_value(re->key_end, val, sizeof(re->key_end));
			break;
		case NFTA_SET_ELEM_DATA:
			val = elem_value(a);
			if (!val)
				return false;
			re->dlen = copy_value(re->data, val, sizeof(re->data));
			break;
		default:
			break;	/* timeouts, expressions, object references: not shown */
		}
	}
	return true;
}

/* See from_nftnl.h: a GETSETELEM message read in place. */
int nsh_rawset_add_elems_nlmsg(struct nsh_rawset *rs, const struct nlmsghdr *nlh)
{
	const struct nlattr *a, *el;
	size_t n0 = rs->n, count;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_SET_ELEM_LIST_ELEMENTS)
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
			goto slow;
		count = 0;
		mnl_attr_for_each_nested(el, a)
			count++;
		rawset_reserve(rs, count);
		mnl_attr_for_each_nested(el, a)
			if (!elem_from_attr(rs, el))
				goto slow;
	}
	return 0;
slow:
	rs->n = n0;		/* nothing half-read stays */
	return 1;
}

/* Append every element libnftnl parsed. */
int nsh_rawset_add_elems(struct nsh_rawset *rs, struct nftnl_set *s)
{
	return nftnl_set_elem_foreach(s, elem_cb, rs);
}

/* Free what a raw set owns. */
void nsh_rawset_clear(struct nsh_rawset *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		free(rs->e[i].chain);
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

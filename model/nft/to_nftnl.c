/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Model -> nf_tables netlink messages, exactly as nft 1.0.6 encodes the same
 * rule (checked with `nft --debug=netlink`): implicit dependencies (meta
 * nfproto in inet tables, meta l4proto for tcp/udp ports) once per rule,
 * byte-aligned prefixes as shorter payload loads, anonymous sets and maps
 * with interval elements, nat registers in nft's order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>

#include "model/nft/to_nftnl.h"
#include "model/nft/to_nftnl_stmt2.h"
#include "model/values.h"

/* nft's datatype numbers (kept in the set's key/data type). */
enum {
	DT_NFPROTO = 2, DT_INTEGER = 4, DT_IPADDR = 7, DT_IP6ADDR = 8,
	DT_INET_PROTOCOL = 12, DT_INET_SERVICE = 13, DT_MARK = 19, DT_CT_STATE = 26,
	DT_CT_DIR = 27, DT_CT_STATUS = 28, DT_FIB_ADDR = 38, DT_IFNAME = 41,
	DT_BITS = 6,
};
enum { BO_HOST = 1, BO_BIG = 2 };	/* nft's byteorder numbers (set userdata) */

struct enc {
	struct mnl_nlmsg_batch *batch;
	uint32_t *seq, *set_id;
	int family;
	const char *table;
	struct nftnl_rule *r;
	int nf_ctx;		/* nfproto known from an earlier match or dependency */
	int l4_ctx;		/* l4proto known, -1 when not */
	unsigned nexprs;	/* expressions so far: the kernel takes NSH_RULE_MAX_EXPRS */
	uint32_t dreg;		/* key loads go here (concatenations); 0: NFT_REG_1 */
};

/* The register a key load writes: register 1, or a concatenation's part. */
#define LOAD_REG(e) ((e)->dreg ? (e)->dreg : NFT_REG_1)

static uint32_t type_dt(enum nsh_type t)
{
	switch (t) {
	case NSH_T_IFNAME:	return DT_IFNAME;
	case NSH_T_IPV4:	return DT_IPADDR;
	case NSH_T_IPV6:	return DT_IP6ADDR;
	case NSH_T_PORT:	return DT_INET_SERVICE;
	case NSH_T_L4PROTO:	return DT_INET_PROTOCOL;
	case NSH_T_NFPROTO:	return DT_NFPROTO;
	case NSH_T_MARK:	return DT_MARK;
	case NSH_T_CT_STATE:	return DT_CT_STATE;
	case NSH_T_CT_STATUS:	return DT_CT_STATUS;
	case NSH_T_CT_DIR:	return DT_CT_DIR;
	case NSH_T_FIB_ADDRTYPE: return DT_FIB_ADDR;
	default:		return DT_INTEGER;
	}
}

uint32_t nsh_type_nft_datatype(enum nsh_type t)
{
	return type_dt(t);
}

static int add(struct enc *e, struct nftnl_expr *x)
{
	if (!x)
		return -1;
	if (++e->nexprs > NSH_RULE_MAX_EXPRS) {
		/* stop before a 5,000-statement rule fills the batch with its sets */
		nftnl_expr_free(x);
		errno = E2BIG;
		return -1;
	}
	nftnl_rule_add_expr(e->r, x);
	return 0;
}

static struct nftnl_expr *expr(const char *name)
{
	struct nftnl_expr *x = nftnl_expr_alloc(name);

	if (!x)
		errno = ENOMEM;
	return x;
}

static int add_meta(struct enc *e, uint32_t key)
{
	struct nftnl_expr *x = expr("meta");

	if (!x)
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(x, NFTNL_EXPR_META_DREG, LOAD_REG(e));
	return add(e, x);
}

static int add_cmp(struct enc *e, uint32_t op, const void *data, uint32_t len)
{
	struct nftnl_expr *x = expr("cmp");

	if (!x)
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(x, NFTNL_EXPR_CMP_DATA, data, len);
	return add(e, x);
}

static int add_payload(struct enc *e, uint32_t base, uint32_t off, uint32_t len)
{
	struct nftnl_expr *x = expr("payload");

	if (!x)
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_DREG, LOAD_REG(e));
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_LEN, len);
	return add(e, x);
}

static int add_bitwise(struct enc *e, const void *mask, uint32_t len)
{
	struct nftnl_expr *x = expr("bitwise");
	uint8_t zero[16] = { 0 };

	if (!x)
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(x, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(x, NFTNL_EXPR_BITWISE_XOR, zero, len);
	return add(e, x);
}

static int add_hton_reg(struct enc *e, uint32_t reg, uint32_t len, uint32_t size)
{
	struct nftnl_expr *x = expr("byteorder");

	if (!x)
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_BYTEORDER_SREG, reg);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BYTEORDER_DREG, reg);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_HTON);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BYTEORDER_LEN, len);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BYTEORDER_SIZE, size);
	return add(e, x);
}

static int add_hton(struct enc *e, uint32_t len)
{
	return add_hton_reg(e, NFT_REG_1, len, len);
}

/*
 * A host-order part of an interval concatenation: nft turns it big-endian
 * (byteorder after the load) and keeps its elements so (4-byte types).
 */
static bool concat_part_swapped(const struct nsh_set *set, const struct nsh_key_def *k)
{
	return set->interval && nsh_type_is_host_order(k->type) && k->len == 4;
}

/* nft's no-op hton of a 1-byte meta/ct part (meta l4proto) of an interval concatenation. */
static bool concat_part_hton1(const struct nsh_set *set, const struct nsh_key_def *k)
{
	return set->interval && k->len == 1 && (k->kind == NSH_KK_META || k->kind == NSH_KK_CT);
}

static int add_imm(struct enc *e, uint32_t reg, const void *data, uint32_t len)
{
	struct nftnl_expr *x = expr("immediate");

	if (!x)
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(x, NFTNL_EXPR_IMM_DATA, data, len);
	return add(e, x);
}

/* Load a key's value into register 1 (payload length may be shortened). */
static int add_load(struct enc *e, const struct nsh_key_def *k, uint32_t len)
{
	struct nftnl_expr *x;

	switch (k->kind) {
	case NSH_KK_META:
		return add_meta(e, k->nl_key);
	case NSH_KK_PAYLOAD:
		return add_payload(e, k->nl_key, k->offset, len);
	case NSH_KK_CT:
		if (!(x = expr("ct")))
			return -1;
		nftnl_expr_set_u32(x, NFTNL_EXPR_CT_KEY, k->nl_key);
		nftnl_expr_set_u32(x, NFTNL_EXPR_CT_DREG, LOAD_REG(e));
		return add(e, x);
	case NSH_KK_FIB:
		if (!(x = expr("fib")))
			return -1;
		nftnl_expr_set_u32(x, NFTNL_EXPR_FIB_FLAGS, k->fib_flags);
		nftnl_expr_set_u32(x, NFTNL_EXPR_FIB_RESULT, k->nl_key);
		nftnl_expr_set_u32(x, NFTNL_EXPR_FIB_DREG, LOAD_REG(e));
		return add(e, x);
	case NSH_KK_NUMGEN:
		break;	/* its parameters live in the match: add_match_load */
	case NSH_KK_CONCAT:
		break;	/* add_concat_load */
	}
	errno = EINVAL;
	return -1;
}

/* numgen TYPE mod N offset O into register 1 (a nat map's key or a match). */
static int add_numgen(struct enc *e, uint32_t type, uint32_t mod, uint32_t offset)
{
	struct nftnl_expr *x = expr("numgen");

	if (!x)
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_NG_DREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_NG_MODULUS, mod);
	nftnl_expr_set_u32(x, NFTNL_EXPR_NG_TYPE, type);
	nftnl_expr_set_u32(x, NFTNL_EXPR_NG_OFFSET, offset);
	return add(e, x);
}

/* Load what a match compares: its key, or the number generator it names. */
static int add_match_load(struct enc *e, const struct nsh_match *m, uint32_t len)
{
	if (m->key->kind == NSH_KK_NUMGEN)
		return add_numgen(e, m->numgen_type, m->numgen_mod, m->numgen_offset);
	return add_load(e, m->key, len);
}

/* The implicit matches nft puts before a payload key. */
static int add_deps(struct enc *e, const struct nsh_key_def *k)
{
	uint8_t v;

	if (k->kind != NSH_KK_PAYLOAD)
		return 0;
	if (e->family == NSH_FAM_INET && k->nfproto_dep && e->nf_ctx != k->nfproto_dep) {
		v = k->nfproto_dep;
		if (add_meta(e, NFT_META_NFPROTO) < 0 || add_cmp(e, NFT_CMP_EQ, &v, 1) < 0)
			return -1;
		e->nf_ctx = v;
	}
	if (k->l4proto_dep && k->l4proto_dep != 255 && e->l4_ctx != k->l4proto_dep) {
		v = k->l4proto_dep;
		if (add_meta(e, NFT_META_L4PROTO) < 0 || add_cmp(e, NFT_CMP_EQ, &v, 1) < 0)
			return -1;
		e->l4_ctx = v;
	}
	return 0;
}

/* Store a 4-byte host-order value big-endian (after a byteorder expression). */
static void to_be32(const struct nsh_val *v, uint8_t out[4])
{
	uint32_t x;

	memcpy(&x, v->data, 4);
	x = htonl(x);
	memcpy(out, &x, 4);
}

/* Add one to a big-endian number of len bytes; false when it wraps. */
static bool be_inc(uint8_t *d, size_t len)
{
	while (len--) {
		if (++d[len])
			return true;
	}
	return false;
}

/* nft's verdict codes by enum nsh_verdict. */
static const int kernel_verdict[] = {
	[NSH_V_ACCEPT] = NF_ACCEPT, [NSH_V_DROP] = NF_DROP, [NSH_V_RETURN] = NFT_RETURN,
	[NSH_V_CONTINUE] = NFT_CONTINUE, [NSH_V_JUMP] = NFT_JUMP, [NSH_V_GOTO] = NFT_GOTO,
};

static bool set_is_vmap(const struct nsh_set *set)
{
	return set->ndata && set->data_type[0] == NSH_T_VERDICT;
}

/*
 * The jump/goto target of a vmap element el of set (interval encoding
 * works on a sorted copy: the element's index is kept in data[1] there).
 */
static const char *elem_chain(const struct nsh_set *set, const struct nsh_elem *el)
{
	uint32_t i;

	if (!set->chains)
		return NULL;
	if (el >= set->elems && el < set->elems + set->nelems * nsh_set_stride(set))
		i = (uint32_t)((size_t)(el - set->elems) / nsh_set_stride(set));
	else
		memcpy(&i, el->data[1].data, sizeof(i));
	return i < set->nelems ? set->chains[i] : NULL;
}

static struct nftnl_set_elem *put_elem(struct nftnl_set *s, const void *key, size_t klen,
				       uint32_t flags, const struct nsh_elem *el,
				       const struct nsh_set *set)
{
	struct nftnl_set_elem *se = nftnl_set_elem_alloc();
	uint8_t data[40];
	size_t dlen = 0, i;

	if (!se)
		return NULL;
	nftnl_set_elem_set(se, NFTNL_SET_ELEM_KEY, key, klen);
	if (flags)
		nftnl_set_elem_set_u32(se, NFTNL_SET_ELEM_FLAGS, flags);
	if (el && set_is_vmap(set)) {
		uint8_t v = el->data[0].data[0];
		const char *chain = elem_chain(set, el);

		nftnl_set_elem_set_u32(se, NFTNL_SET_ELEM_VERDICT,
				       (uint32_t)kernel_verdict[v < NSH_V_GOTO + 1 ? v : NSH_V_CONTINUE]);
		if (chain)
			nftnl_set_elem_set_str(se, NFTNL_SET_ELEM_CHAIN, chain);
	} else if (el && set->ndata) {
		memset(data, 0, sizeof(data));
		for (i = 0; i < set->ndata; i++) {
			memcpy(data + dlen, el->data[i].data, el->data[i].len);
			/* one datum is as long as its type: a port map's data is 2 bytes */
			dlen += set->ndata == 1 ? el->data[i].len : (el->data[i].len + 3) & ~3u;
		}
		nftnl_set_elem_set(se, NFTNL_SET_ELEM_DATA, data, dlen);
	}
	nftnl_set_elem_add(s, se);
	return se;
}

static size_t set_data_len(const struct nsh_set *set)
{
	size_t i, n = 0;

	if (set_is_vmap(set))
		return 0;
	if (set->ndata == 1)
		return nsh_type_len(set->data_type[0]);
	for (i = 0; i < set->ndata; i++)
		n += (nsh_type_len(set->data_type[i]) + 3) & ~3u;
	return n;
}

static int elem_by_start(const void *a, const void *b, void *arg)
{
	const struct nsh_elem *x = a, *y = b;

	return memcmp(x->lo.data, y->lo.data, *(const size_t *)arg);
}

/* Fill the elements; interval sets get nft's start/end element pairs. */
static size_t set_elems(struct nftnl_set *s, const struct nsh_set *set)
{
	size_t klen = nsh_type_len(set->key_type), i, n = 0, nelems = set->nelems;
	struct nsh_elem *v;

	if (!set->interval) {
		for (i = 0; i < set->nelems; i++, n++)
			put_elem(s, set->elems[i].lo.data, klen, 0, &set->elems[i], set);
		return n;
	}
	v = malloc(set->nelems * sizeof(*v));
	if (!v)
		return 0;
	memcpy(v, set->elems, set->nelems * sizeof(*v));
	/* fill in the inclusive upper bound of every element, full width */
	for (i = 0; i < set->nelems; i++) {
		if (set_is_vmap(set)) {
			uint32_t idx = (uint32_t)i;

			memcpy(v[i].data[1].data, &idx, sizeof(idx));	/* elem_chain */
		}
		if (v[i].kind == NSH_ELEM_VALUE) {
			v[i].hi = v[i].lo;
		} else if (v[i].kind == NSH_ELEM_PREFIX && set->key_type == NSH_T_IFNAME) {
			v[i].hi = v[i].lo;
			memset(v[i].hi.data + v[i].lo.len, 0xff, 16 - v[i].lo.len);
		}
		v[i].lo.len = v[i].hi.len = klen;
		/* interval keys of host-order types are kept big-endian (after hton) */
		if (nsh_type_is_host_order(set->key_type)) {
			to_be32(&v[i].lo, v[i].lo.data);
			to_be32(&v[i].hi, v[i].hi.data);
		}
	}
	qsort_r(v, set->nelems, sizeof(*v), elem_by_start, &klen);
	/* as nft does, a set's touching intervals become one: { 80-90, 91-100 } */
	if (!set->ndata) {
		size_t m = 0;

		for (i = 1; i < set->nelems; i++) {
			uint8_t next[16];

			memcpy(next, v[m].hi.data, klen);
			if (be_inc(next, klen) && memcmp(next, v[i].lo.data, klen) == 0)
				v[m].hi = v[i].hi;
			else
				v[++m] = v[i];
		}
		nelems = m + 1;
	}
	{
		uint8_t zero[16] = { 0 };

		if (memcmp(v[0].lo.data, zero, klen) != 0) {
			put_elem(s, zero, klen, NFT_SET_ELEM_INTERVAL_END, NULL, set);
			n++;
		}
	}
	for (i = 0; i < nelems; i++) {
		uint8_t end[16];

		put_elem(s, v[i].lo.data, klen, 0, &v[i], set);
		n++;
		memcpy(end, v[i].hi.data, klen);
		/* a map's next interval may start where this one ends: no end element */
		if (be_inc(end, klen) &&
		    !(i + 1 < nelems && memcmp(end, v[i + 1].lo.data, klen) == 0)) {
			put_elem(s, end, klen, NFT_SET_ELEM_INTERVAL_END, NULL, set);
			n++;
		}
	}
	free(v);
	return n;
}

/* A part's length in a concatenated key (parts start on 32-bit boundaries). */
static size_t part_len(const struct nsh_key_def *k)
{
	return (k->len + 3) & ~(size_t)3;
}

/* Key length of a set's elements. */
static size_t set_key_len(const struct nsh_set *set)
{
	size_t i, n = 0;

	if (set->nkeys < 2)
		return nsh_type_len(set->key_type);
	for (i = 0; i < set->nkeys; i++)
		n += part_len(set->keys[i]);
	return n;
}

/* nft's key datatype: a concatenation's is its parts' types, DT_BITS each, first highest. */
static uint32_t set_key_dt(const struct nsh_set *set)
{
	uint32_t dt = 0;
	size_t i;

	if (set->nkeys < 2)
		return type_dt(set->key_type);
	for (i = 0; i < set->nkeys; i++)
		dt = dt << DT_BITS | type_dt(set->keys[i]->type);
	return dt;
}

/*
 * One part's inclusive bounds, full width: a value is its own end, an
 * interface wildcard "eth*" runs to "eth" + 0xff..., a prefix to its last address.
 */
static void part_bounds(const struct nsh_key_def *k, const struct nsh_elem *el, uint8_t *lo,
			uint8_t *hi)
{
	struct nsh_val h;

	memset(lo, 0, part_len(k));
	memset(hi, 0, part_len(k));
	memcpy(lo, el->lo.data, k->len);
	switch (el->kind) {
	case NSH_ELEM_VALUE:
		memcpy(hi, el->lo.data, k->len);
		break;
	case NSH_ELEM_RANGE:
		memcpy(hi, el->hi.data, k->len);
		break;
	case NSH_ELEM_PREFIX:
		if (k->type == NSH_T_IFNAME) {
			memcpy(hi, el->lo.data, k->len);
			memset(hi + el->lo.len, 0xff, k->len - el->lo.len);
		} else {
			h = el->lo;
			h.len = (uint8_t)k->len;
			nsh_val_prefix_last(&h, el->plen);
			memcpy(hi, h.data, k->len);
		}
		break;
	}
}

/*
 * A concatenation's elements: keys of the parts one after the other; an
 * interval set gives each element its inclusive end in key_end, as nft
 * does (no end elements).
 */
static size_t set_elems_concat(struct nftnl_set *s, const struct nsh_set *set)
{
	size_t klen = set_key_len(set), i, j, off;
	uint8_t key[64], end[64];

	for (i = 0; i < set->nelems; i++) {
		const struct nsh_elem *el = &set->elems[i * set->nkeys];
		struct nftnl_set_elem *se;

		memset(key, 0, sizeof(key));
		memset(end, 0, sizeof(end));
		for (j = off = 0; j < set->nkeys; j++) {
			part_bounds(set->keys[j], &el[j], key + off, end + off);
			if (concat_part_swapped(set, set->keys[j])) {
				uint32_t x;

				memcpy(&x, key + off, 4);
				x = htonl(x);
				memcpy(key + off, &x, 4);
				memcpy(&x, end + off, 4);
				x = htonl(x);
				memcpy(end + off, &x, 4);
			}
			off += part_len(set->keys[j]);
		}
		se = put_elem(s, key, klen, 0, el, set);
		if (se && set->interval)
			nftnl_set_elem_set(se, NFTNL_SET_ELEM_KEY_END, end, klen);
	}
	return set->nelems;
}

static int batch_next(struct enc *e)
{
	if (!mnl_nlmsg_batch_next(e->batch)) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

/*
 * Queue NEWSET + NEWSETELEM for an anonymous set or map; *name and *id say how
 * the lookup refers to it.  key_bo: byte order of the key expression.
 */
static int encode_set(struct enc *e, const struct nsh_set *set, int key_bo, uint32_t *id,
		      const char **name)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
	uint32_t flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT;
	struct nftnl_set_elems_iter *iter;
	struct nlmsghdr *nlh;
	size_t n;
	int rc = -1, more;

	if (!s || !ud) {
		errno = ENOMEM;
		goto out;
	}
	*name = set->ndata ? "__map%d" : "__set%d";
	*id = (*e->set_id)++;
	if (set->interval)
		flags |= NFT_SET_INTERVAL;
	if (set->ndata)
		flags |= NFT_SET_MAP;
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, e->family);
	nftnl_set_set_u32(s, NFTNL_SET_ID, *id);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags);
	if (set->nkeys > 1 && set->interval) {
		uint8_t field_len[NFT_REG32_COUNT] = { 0 };

		for (size_t i = 0; i < set->nkeys; i++)
			field_len[i] = (uint8_t)set->keys[i]->len;
		nftnl_set_set_data(s, NFTNL_SET_DESC_CONCAT, field_len, set->nkeys);
		flags |= NFT_SET_CONCAT;
		nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags);
	}
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, set_key_dt(set));
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, set_key_len(set));
	if (set_is_vmap(set)) {
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, NFT_DATA_VERDICT);
	} else if (set->ndata) {
		uint32_t dt = type_dt(set->data_type[0]);

		/* a range per key (nat maps) is one type, flagged as an interval below */
		if (set->ndata == 2 && set->data_type[1] != set->data_type[0])
			dt = dt << DT_BITS | type_dt(set->data_type[1]);
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, dt);
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, set_data_len(set));
	}
	n = set->nkeys > 1 ? set_elems_concat(s, set) : set_elems(s, set);
	nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE, n);
	nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_KEYBYTEORDER, key_bo);
	if (set->ndata && !set_is_vmap(set)) {
		nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_DATABYTEORDER, BO_BIG);
		nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_DATA_INTERVAL,
				    set->ndata == 2 && set->data_type[1] == set->data_type[0]);
	}
	nftnl_set_set_data(s, NFTNL_SET_USERDATA, nftnl_udata_buf_data(ud),
			   nftnl_udata_buf_len(ud));

	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(e->batch), NFT_MSG_NEWSET,
				    e->family, NLM_F_CREATE, (*e->seq)++);
	mnl_attr_put_strz(nlh, NFTA_SET_TABLE, e->table);
	mnl_attr_put_strz(nlh, NFTA_SET_NAME, *name);
	nftnl_set_nlmsg_build_payload(nlh, s);
	if (batch_next(e) < 0)
		goto out;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, e->table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, *name);
	/* a netlink attribute holds at most 64 KiB: big sets take several messages */
	iter = nftnl_set_elems_iter_create(s);
	if (!iter) {
		errno = ENOMEM;
		goto out;
	}
	do {
		nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(e->batch), NFT_MSG_NEWSETELEM,
					    e->family, NLM_F_CREATE, *e->seq);
		more = nftnl_set_elems_nlmsg_build_payload_iter(nlh, iter);
		rc = batch_next(e);
	} while (more > 0 && rc == 0);
	(*e->seq)++;
	nftnl_set_elems_iter_destroy(iter);
out:
	nftnl_udata_buf_free(ud);
	nftnl_set_free(s);
	return rc;
}

static int add_lookup(struct enc *e, const struct nsh_set *set, const char *named, int key_bo,
		      bool inv, bool map)
{
	struct nftnl_expr *x;
	const char *name = named;
	uint32_t id = 0;

	if (set && encode_set(e, set, key_bo, &id, &name) < 0)
		return -1;
	if (!(x = expr("lookup")))
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
	nftnl_expr_set_str(x, NFTNL_EXPR_LOOKUP_SET, name);
	if (set)
		nftnl_expr_set_u32(x, NFTNL_EXPR_LOOKUP_SET_ID, id);
	if (map)
		nftnl_expr_set_u32(x, NFTNL_EXPR_LOOKUP_DREG, NFT_REG_1);
	if (inv)
		nftnl_expr_set_u32(x, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
	return add(e, x);
}

static uint32_t cmp_op(enum nsh_op op)
{
	switch (op) {
	case NSH_OP_NEQ:	return NFT_CMP_NEQ;
	case NSH_OP_LT:		return NFT_CMP_LT;
	case NSH_OP_GT:		return NFT_CMP_GT;
	case NSH_OP_LTE:	return NFT_CMP_LTE;
	case NSH_OP_GTE:	return NFT_CMP_GTE;
	default:		return NFT_CMP_EQ;
	}
}

static int encode_simple_match(struct enc *e, const struct nsh_match *m);

/*
 * The parts of a concatenation into consecutive registers from register 1
 * (then NFT_REG32_xx, as nft numbers them), after every part's dependency.
 */
static int add_concat_load(struct enc *e, const struct nsh_set *set)
{
	size_t i, off = 0;
	int rc = 0;

	if (!set || set->nkeys < 2) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < set->nkeys; i++)
		if (add_deps(e, set->keys[i]) < 0)
			return -1;
	for (i = 0; i < set->nkeys && rc == 0; i++) {
		e->dreg = i ? (uint32_t)(NFT_REG32_00 + off / 4) : NFT_REG_1;
		rc = add_load(e, set->keys[i], set->keys[i]->len);
		if (rc == 0 && concat_part_swapped(set, set->keys[i]))
			rc = add_hton_reg(e, e->dreg, 4, 4);
		else if (rc == 0 && concat_part_hton1(set, set->keys[i]))
			rc = add_hton_reg(e, e->dreg, 1, 2);
		off += part_len(set->keys[i]);
	}
	e->dreg = 0;
	return rc;
}

/* KEY . KEY { ... } or KEY . KEY @name. */
static int encode_concat_match(struct enc *e, const struct nsh_match *m)
{
	if (m->rhs != NSH_RHS_SET && m->rhs != NSH_RHS_NAMED_SET) {
		errno = EINVAL;
		return -1;
	}
	if (add_concat_load(e, m->set) < 0)
		return -1;
	return add_lookup(e, m->rhs == NSH_RHS_SET ? m->set : NULL, m->set_name, BO_BIG,
			  m->op == NSH_OP_NEQ, false);
}

/* KEY vmap { ... } / KEY vmap @name: the lookup's result is the verdict. */
static int encode_vmap(struct enc *e, const struct nsh_vmap *v)
{
	const struct nsh_mapkey *k = &v->key;
	struct nftnl_expr *x;
	const char *name = v->name;
	uint32_t id = 0;
	int bo = BO_HOST;

	if (k->kind == NSH_MAPKEY_NUMGEN) {
		if (add_numgen(e, k->numgen_type, k->numgen_mod, k->numgen_offset) < 0)
			return -1;
	} else if (k->key->kind == NSH_KK_CONCAT) {
		if (add_concat_load(e, v->map) < 0)
			return -1;
		bo = BO_BIG;
	} else {
		if (add_deps(e, k->key) < 0 || add_load(e, k->key, k->key->len) < 0)
			return -1;
		if (!name && v->map && v->map->interval && nsh_type_is_host_order(k->key->type) &&
		    add_hton(e, 4) < 0)
			return -1;
		if (k->key->kind == NSH_KK_PAYLOAD)
			bo = BO_BIG;
	}
	if (!name && (!v->map || encode_set(e, v->map, bo, &id, &name) < 0))
		return -1;
	if (!(x = expr("lookup")))
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
	nftnl_expr_set_str(x, NFTNL_EXPR_LOOKUP_SET, name);
	if (!v->name)
		nftnl_expr_set_u32(x, NFTNL_EXPR_LOOKUP_SET_ID, id);
	nftnl_expr_set_u32(x, NFTNL_EXPR_LOOKUP_DREG, NFT_REG_VERDICT);
	return add(e, x);
}

static int encode_match(struct enc *e, const struct nsh_match *m)
{
	if (m->key->kind == NSH_KK_CONCAT)
		return encode_concat_match(e, m);
	return encode_simple_match(e, m);
}

static int encode_simple_match(struct enc *e, const struct nsh_match *m)
{
	const struct nsh_key_def *k = m->key;
	bool host = nsh_type_is_host_order(k->type);
	uint8_t a[16], b[16];
	uint32_t zero = 0;

	if (add_deps(e, k) < 0)
		return -1;
	switch (m->rhs) {
	case NSH_RHS_VALUE:
		if (add_match_load(e, m, k->len) < 0)
			return -1;
		if (m->bitmask) {
			if (add_bitwise(e, m->val.data, 4) < 0)
				return -1;
			return add_cmp(e, m->op == NSH_OP_EQ ? NFT_CMP_NEQ : NFT_CMP_EQ, &zero, 4);
		}
		if (host && m->op != NSH_OP_EQ && m->op != NSH_OP_NEQ) {
			to_be32(&m->val, a);
			if (add_hton(e, 4) < 0)
				return -1;
			return add_cmp(e, cmp_op(m->op), a, 4);
		}
		return add_cmp(e, cmp_op(m->op), m->val.data,
			       k->type == NSH_T_IFNAME ? m->val.len : k->len);
	case NSH_RHS_PREFIX:
		if (m->plen % 8 == 0) {
			if (add_match_load(e, m, m->plen / 8) < 0)
				return -1;
			return add_cmp(e, cmp_op(m->op), m->val.data, m->plen / 8);
		} else {
			struct nsh_val mask = { .len = k->len };

			memset(mask.data, 0xff, k->len);
			nsh_val_prefix_mask(&mask, m->plen);
			if (add_match_load(e, m, k->len) < 0 || add_bitwise(e, mask.data, k->len) < 0)
				return -1;
			return add_cmp(e, cmp_op(m->op), m->val.data, k->len);
		}
	case NSH_RHS_RANGE:
		if (add_match_load(e, m, k->len) < 0)
			return -1;
		memcpy(a, m->val.data, k->len);
		memcpy(b, m->hi.data, k->len);
		if (host) {
			to_be32(&m->val, a);
			to_be32(&m->hi, b);
			if (add_hton(e, 4) < 0)
				return -1;
		}
		if (m->op == NSH_OP_NEQ) {
			struct nftnl_expr *x = expr("range");

			if (!x)
				return -1;
			nftnl_expr_set_u32(x, NFTNL_EXPR_RANGE_SREG, NFT_REG_1);
			nftnl_expr_set_u32(x, NFTNL_EXPR_RANGE_OP, NFT_RANGE_NEQ);
			nftnl_expr_set(x, NFTNL_EXPR_RANGE_FROM_DATA, a, k->len);
			nftnl_expr_set(x, NFTNL_EXPR_RANGE_TO_DATA, b, k->len);
			return add(e, x);
		}
		if (add_cmp(e, NFT_CMP_GTE, a, k->len) < 0)
			return -1;
		return add_cmp(e, NFT_CMP_LTE, b, k->len);
	case NSH_RHS_SET:
	case NSH_RHS_NAMED_SET:
		if (add_match_load(e, m, k->len) < 0)
			return -1;
		if (m->set && m->set->interval && host && add_hton(e, 4) < 0)
			return -1;
		return add_lookup(e, m->set, m->set_name,
				  k->kind == NSH_KK_PAYLOAD ? BO_BIG : BO_HOST,
				  m->op == NSH_OP_NEQ, false);
	}
	errno = EINVAL;
	return -1;
}

/* What an explicit match tells the dependency logic (no second meta l4proto). */
static void note_match(struct enc *e, const struct nsh_match *m)
{
	int id = m->key->id;	/* __NSH_K_MAX for a concatenation */

	if (m->op != NSH_OP_EQ || m->rhs != NSH_RHS_VALUE)
		return;
	if (id == NSH_K_META_L4PROTO || id == NSH_K_IP_PROTOCOL || id == NSH_K_IP6_NEXTHDR)
		e->l4_ctx = m->val.data[0];
	if (id == NSH_K_META_NFPROTO)
		e->nf_ctx = m->val.data[0];
}

static int encode_nat(struct enc *e, const struct nsh_nat *n)
{
	struct nftnl_expr *x;
	uint32_t reg = NFT_REG_1, flags = n->flags;
	uint32_t r_amin = 0, r_amax = 0, r_pmin = 0, r_pmax = 0;
	uint16_t pmin = htons(n->port_min), pmax = htons(n->port_max);
	int fam = n->family ? n->family : e->family;

	if (n->addr == NSH_NAT_ADDR_MAP) {
		if (n->mapkey.kind == NSH_MAPKEY_NUMGEN) {
			if (add_numgen(e, n->mapkey.numgen_type, n->mapkey.numgen_mod,
				       n->mapkey.numgen_offset) < 0)
				return -1;
		} else if (add_deps(e, n->mapkey.key) < 0 ||
			   add_load(e, n->mapkey.key, n->mapkey.key->len) < 0) {
			return -1;
		}
		if (n->map->interval && nsh_type_is_host_order(n->map->key_type) && add_hton(e, 4) < 0)
			return -1;
		if (add_lookup(e, n->map, NULL,
			       n->mapkey.kind == NSH_MAPKEY_KEY &&
			       n->mapkey.key->kind == NSH_KK_PAYLOAD ? BO_BIG : BO_HOST,
			       false, true) < 0)
			return -1;
		r_amin = NFT_REG_1;
		if (n->map->ndata == 2 && n->map->data_type[1] == n->map->data_type[0])
			r_amax = NFT_REG32_00 + nsh_type_len(n->map->data_type[0]) / 4;
		else if (n->map->ndata == 2)
			r_pmin = NFT_REG32_00 + nsh_type_len(n->map->data_type[0]) / 4;
		fam = n->map->data_type[0] == NSH_T_IPV6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
		if (n->map->data_type[0] == NSH_T_PORT) {	/* redirect to :tcp dport map */
			r_pmin = NFT_REG_1;
			r_amin = 0;
			flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
		}
	} else {
		if (n->addr != NSH_NAT_ADDR_NONE) {
			r_amin = reg++;
			if (add_imm(e, r_amin, n->addr_min.data, n->addr_min.len) < 0)
				return -1;
			if (n->addr != NSH_NAT_ADDR_VALUE) {
				r_amax = reg++;
				if (add_imm(e, r_amax, n->addr_max.data, n->addr_max.len) < 0)
					return -1;
			}
			fam = n->addr_min.len == 16 ? NFPROTO_IPV6 : NFPROTO_IPV4;
		}
		if (n->has_port) {
			r_pmin = reg++;
			if (add_imm(e, r_pmin, &pmin, 2) < 0)
				return -1;
			if (n->port_max != n->port_min) {
				r_pmax = reg++;
				if (add_imm(e, r_pmax, &pmax, 2) < 0)
					return -1;
			}
			flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
		}
	}
	switch (n->type) {
	case NSH_NAT_SNAT:
	case NSH_NAT_DNAT:
		if (!(x = expr("nat")))
			return -1;
		nftnl_expr_set_u32(x, NFTNL_EXPR_NAT_TYPE,
				   n->type == NSH_NAT_SNAT ? NFT_NAT_SNAT : NFT_NAT_DNAT);
		nftnl_expr_set_u32(x, NFTNL_EXPR_NAT_FAMILY, fam);
		if (r_amin)
			nftnl_expr_set_u32(x, NFTNL_EXPR_NAT_REG_ADDR_MIN, r_amin);
		if (r_amax)
			nftnl_expr_set_u32(x, NFTNL_EXPR_NAT_REG_ADDR_MAX, r_amax);
		if (r_pmin)
			nftnl_expr_set_u32(x, NFTNL_EXPR_NAT_REG_PROTO_MIN, r_pmin);
		if (r_pmax)
			nftnl_expr_set_u32(x, NFTNL_EXPR_NAT_REG_PROTO_MAX, r_pmax);
		if (flags)
			nftnl_expr_set_u32(x, NFTNL_EXPR_NAT_FLAGS, flags);
		return add(e, x);
	case NSH_NAT_MASQ:
		if (!(x = expr("masq")))
			return -1;
		if (r_pmin)
			nftnl_expr_set_u32(x, NFTNL_EXPR_MASQ_REG_PROTO_MIN, r_pmin);
		if (r_pmax)
			nftnl_expr_set_u32(x, NFTNL_EXPR_MASQ_REG_PROTO_MAX, r_pmax);
		if (flags)
			nftnl_expr_set_u32(x, NFTNL_EXPR_MASQ_FLAGS, flags);
		return add(e, x);
	case NSH_NAT_REDIR:
		if (!(x = expr("redir")))
			return -1;
		if (r_pmin)
			nftnl_expr_set_u32(x, NFTNL_EXPR_REDIR_REG_PROTO_MIN, r_pmin);
		if (r_pmax)
			nftnl_expr_set_u32(x, NFTNL_EXPR_REDIR_REG_PROTO_MAX, r_pmax);
		if (flags)
			nftnl_expr_set_u32(x, NFTNL_EXPR_REDIR_FLAGS, flags);
		return add(e, x);
	}
	errno = EINVAL;
	return -1;
}

static int encode_verdict(struct enc *e, enum nsh_verdict code, const char *chain)
{
	struct nftnl_expr *x = expr("immediate");
	static const int v[] = {
		[NSH_V_ACCEPT] = NF_ACCEPT, [NSH_V_DROP] = NF_DROP, [NSH_V_RETURN] = NFT_RETURN,
		[NSH_V_CONTINUE] = NFT_CONTINUE, [NSH_V_JUMP] = NFT_JUMP, [NSH_V_GOTO] = NFT_GOTO,
	};

	if (!x)
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_VERDICT, (uint32_t)v[code]);
	if (chain)
		nftnl_expr_set_str(x, NFTNL_EXPR_IMM_CHAIN, chain);
	return add(e, x);
}

/* nsh_enc2's add: one expression into the rule. */
static int add_cb(void *arg, struct nftnl_expr *x)
{
	return add(arg, x);
}

static int encode_stmt(struct enc *e, const struct nsh_stmt *s)
{
	struct nsh_enc2 c = {
		.family = e->family, .nf_ctx = &e->nf_ctx, .l4_ctx = &e->l4_ctx,
		.add = add_cb, .arg = e,
	};
	struct nftnl_expr *x;

	switch (s->kind) {
	case NSH_ST_MATCH:
		if (encode_match(e, &s->match) < 0)
			return -1;
		note_match(e, &s->match);
		return 0;
	case NSH_ST_COUNTER:
		if (!(x = expr("counter")))
			return -1;
		nftnl_expr_set_u64(x, NFTNL_EXPR_CTR_PACKETS, 0);
		nftnl_expr_set_u64(x, NFTNL_EXPR_CTR_BYTES, 0);
		return add(e, x);
	case NSH_ST_NAT:
		return encode_nat(e, &s->nat);
	case NSH_ST_VERDICT:
		return encode_verdict(e, s->verdict.code, s->verdict.chain);
	case NSH_ST_VMAP:
		return encode_vmap(e, &s->vmap);
	default:
		return nsh_enc_stmt2(&c, s);
	}
}

int nsh_rule_encode(struct mnl_nlmsg_batch *batch, uint32_t *seq, int family,
		    const char *table, const char *chain, const struct nsh_rule *r,
		    enum nsh_enc_op op, uint64_t handle, uint32_t *set_id)
{
	struct enc e = {
		.batch = batch, .seq = seq, .set_id = set_id, .family = family,
		.table = table, .l4_ctx = -1,
	};
	struct nlmsghdr *nlh;
	uint16_t flags;
	size_t i;
	int rc = -1;

	if (r->opaque || r->xt) {
		errno = EOPNOTSUPP;
		return -1;
	}
	e.r = nftnl_rule_alloc();
	if (!e.r) {
		errno = ENOMEM;
		return -1;
	}
	nftnl_rule_set_u32(e.r, NFTNL_RULE_FAMILY, family);
	nftnl_rule_set_str(e.r, NFTNL_RULE_TABLE, table);
	nftnl_rule_set_str(e.r, NFTNL_RULE_CHAIN, chain);
	{
		struct nsh_enc2 c = {
			.family = family, .nf_ctx = &e.nf_ctx, .l4_ctx = &e.l4_ctx,
			.add = add_cb, .arg = &e,
		};

		if (nsh_enc_rule_deps(&c, r) < 0)
			goto out;
	}
	for (i = 0; i < r->nstmts; i++)
		if (encode_stmt(&e, &r->stmts[i]) < 0)
			goto out;
	if (r->comment) {
		struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);

		if (!ud || !nftnl_udata_put_strz(ud, NFTNL_UDATA_RULE_COMMENT, r->comment)) {
			nftnl_udata_buf_free(ud);
			errno = ENOMEM;
			goto out;
		}
		nftnl_rule_set_data(e.r, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(ud),
				    nftnl_udata_buf_len(ud));
		nftnl_udata_buf_free(ud);
	}
	switch (op) {
	case NSH_ENC_APPEND:
		flags = NLM_F_CREATE | NLM_F_APPEND;
		if (handle)
			nftnl_rule_set_u64(e.r, NFTNL_RULE_POSITION, handle);
		break;
	case NSH_ENC_INSERT:
		flags = NLM_F_CREATE;
		if (handle)
			nftnl_rule_set_u64(e.r, NFTNL_RULE_POSITION, handle);
		break;
	default:
		flags = NLM_F_REPLACE;
		nftnl_rule_set_u64(e.r, NFTNL_RULE_HANDLE, handle);
		break;
	}
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(batch), NFT_MSG_NEWRULE, family,
				    flags, (*seq)++);
	nftnl_rule_nlmsg_build_payload(nlh, e.r);
	rc = batch_next(&e);
out:
	nftnl_rule_free(e.r);
	return rc;
}

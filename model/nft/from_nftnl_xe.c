/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The decoder's view of one expression (struct nsh_xe): libnftnl's getters
 * answered either by libnftnl's object or straight from the netlink
 * attributes of the rule message.  Reading in place spares the allocation
 * and string lookup libnftnl makes per expression; only the expressions
 * listed below are read so, with the same attribute checks libnftnl makes
 * (a bad length or an unknown expression sends the rule through libnftnl).
 */
#include <endian.h>
#include <stdio.h>		/* libnftnl/expr.h needs FILE */
#include <string.h>
#include <linux/netlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "model/nft/from_nftnl_dec.h"

enum xk { XK_NONE, XK_U8, XK_U32, XK_U64, XK_STR, XK_DATA, XK_VERDICT };

/* One netlink attribute of an expression and the libnftnl attribute it is. */
struct xmap {
	uint16_t nfta;
	uint16_t nftnl;
	uint8_t kind;
};

/* An expression read in place, and its attributes. */
struct xdef {
	const char *name;
	size_t size;			/* of the name, with its NUL */
	const struct xmap *map;
	size_t n;
};

#define X(a, b, k) { a, b, k }
static const struct xmap m_payload[] = {
	X(NFTA_PAYLOAD_DREG, NFTNL_EXPR_PAYLOAD_DREG, XK_U32),
	X(NFTA_PAYLOAD_BASE, NFTNL_EXPR_PAYLOAD_BASE, XK_U32),
	X(NFTA_PAYLOAD_OFFSET, NFTNL_EXPR_PAYLOAD_OFFSET, XK_U32),
	X(NFTA_PAYLOAD_LEN, NFTNL_EXPR_PAYLOAD_LEN, XK_U32),
	X(NFTA_PAYLOAD_SREG, NFTNL_EXPR_PAYLOAD_SREG, XK_U32),
	X(NFTA_PAYLOAD_CSUM_TYPE, NFTNL_EXPR_PAYLOAD_CSUM_TYPE, XK_U32),
	X(NFTA_PAYLOAD_CSUM_OFFSET, NFTNL_EXPR_PAYLOAD_CSUM_OFFSET, XK_U32),
	X(NFTA_PAYLOAD_CSUM_FLAGS, NFTNL_EXPR_PAYLOAD_FLAGS, XK_U32),
};
static const struct xmap m_meta[] = {
	X(NFTA_META_DREG, NFTNL_EXPR_META_DREG, XK_U32),
	X(NFTA_META_KEY, NFTNL_EXPR_META_KEY, XK_U32),
	X(NFTA_META_SREG, NFTNL_EXPR_META_SREG, XK_U32),
};
static const struct xmap m_ct[] = {
	X(NFTA_CT_DREG, NFTNL_EXPR_CT_DREG, XK_U32),
	X(NFTA_CT_KEY, NFTNL_EXPR_CT_KEY, XK_U32),
	X(NFTA_CT_DIRECTION, NFTNL_EXPR_CT_DIR, XK_U8),
	X(NFTA_CT_SREG, NFTNL_EXPR_CT_SREG, XK_U32),
};
static const struct xmap m_cmp[] = {
	X(NFTA_CMP_SREG, NFTNL_EXPR_CMP_SREG, XK_U32),
	X(NFTA_CMP_OP, NFTNL_EXPR_CMP_OP, XK_U32),
	X(NFTA_CMP_DATA, NFTNL_EXPR_CMP_DATA, XK_DATA),
};
static const struct xmap m_imm[] = {
	X(NFTA_IMMEDIATE_DREG, NFTNL_EXPR_IMM_DREG, XK_U32),
	X(NFTA_IMMEDIATE_DATA, NFTNL_EXPR_IMM_DATA, XK_VERDICT),	/* value or verdict */
};
static const struct xmap m_counter[] = {
	X(NFTA_COUNTER_BYTES, NFTNL_EXPR_CTR_BYTES, XK_U64),
	X(NFTA_COUNTER_PACKETS, NFTNL_EXPR_CTR_PACKETS, XK_U64),
};
static const struct xmap m_lookup[] = {
	X(NFTA_LOOKUP_SET, NFTNL_EXPR_LOOKUP_SET, XK_STR),
	X(NFTA_LOOKUP_SREG, NFTNL_EXPR_LOOKUP_SREG, XK_U32),
	X(NFTA_LOOKUP_DREG, NFTNL_EXPR_LOOKUP_DREG, XK_U32),
	X(NFTA_LOOKUP_SET_ID, NFTNL_EXPR_LOOKUP_SET_ID, XK_U32),
	X(NFTA_LOOKUP_FLAGS, NFTNL_EXPR_LOOKUP_FLAGS, XK_U32),
};
static const struct xmap m_nat[] = {
	X(NFTA_NAT_TYPE, NFTNL_EXPR_NAT_TYPE, XK_U32),
	X(NFTA_NAT_FAMILY, NFTNL_EXPR_NAT_FAMILY, XK_U32),
	X(NFTA_NAT_REG_ADDR_MIN, NFTNL_EXPR_NAT_REG_ADDR_MIN, XK_U32),
	X(NFTA_NAT_REG_ADDR_MAX, NFTNL_EXPR_NAT_REG_ADDR_MAX, XK_U32),
	X(NFTA_NAT_REG_PROTO_MIN, NFTNL_EXPR_NAT_REG_PROTO_MIN, XK_U32),
	X(NFTA_NAT_REG_PROTO_MAX, NFTNL_EXPR_NAT_REG_PROTO_MAX, XK_U32),
	X(NFTA_NAT_FLAGS, NFTNL_EXPR_NAT_FLAGS, XK_U32),
};
static const struct xmap m_masq[] = {
	X(NFTA_MASQ_FLAGS, NFTNL_EXPR_MASQ_FLAGS, XK_U32),
	X(NFTA_MASQ_REG_PROTO_MIN, NFTNL_EXPR_MASQ_REG_PROTO_MIN, XK_U32),
	X(NFTA_MASQ_REG_PROTO_MAX, NFTNL_EXPR_MASQ_REG_PROTO_MAX, XK_U32),
};
static const struct xmap m_redir[] = {
	X(NFTA_REDIR_REG_PROTO_MIN, NFTNL_EXPR_REDIR_REG_PROTO_MIN, XK_U32),
	X(NFTA_REDIR_REG_PROTO_MAX, NFTNL_EXPR_REDIR_REG_PROTO_MAX, XK_U32),
	X(NFTA_REDIR_FLAGS, NFTNL_EXPR_REDIR_FLAGS, XK_U32),
};
static const struct xmap m_bitwise[] = {
	X(NFTA_BITWISE_SREG, NFTNL_EXPR_BITWISE_SREG, XK_U32),
	X(NFTA_BITWISE_DREG, NFTNL_EXPR_BITWISE_DREG, XK_U32),
	X(NFTA_BITWISE_LEN, NFTNL_EXPR_BITWISE_LEN, XK_U32),
	X(NFTA_BITWISE_MASK, NFTNL_EXPR_BITWISE_MASK, XK_DATA),
	X(NFTA_BITWISE_XOR, NFTNL_EXPR_BITWISE_XOR, XK_DATA),
	X(NFTA_BITWISE_OP, NFTNL_EXPR_BITWISE_OP, XK_U32),
	X(NFTA_BITWISE_DATA, NFTNL_EXPR_BITWISE_DATA, XK_DATA),
};
static const struct xmap m_range[] = {
	X(NFTA_RANGE_SREG, NFTNL_EXPR_RANGE_SREG, XK_U32),
	X(NFTA_RANGE_OP, NFTNL_EXPR_RANGE_OP, XK_U32),
	X(NFTA_RANGE_FROM_DATA, NFTNL_EXPR_RANGE_FROM_DATA, XK_DATA),
	X(NFTA_RANGE_TO_DATA, NFTNL_EXPR_RANGE_TO_DATA, XK_DATA),
};
static const struct xmap m_byteorder[] = {
	X(NFTA_BYTEORDER_SREG, NFTNL_EXPR_BYTEORDER_SREG, XK_U32),
	X(NFTA_BYTEORDER_DREG, NFTNL_EXPR_BYTEORDER_DREG, XK_U32),
	X(NFTA_BYTEORDER_OP, NFTNL_EXPR_BYTEORDER_OP, XK_U32),
	X(NFTA_BYTEORDER_LEN, NFTNL_EXPR_BYTEORDER_LEN, XK_U32),
	X(NFTA_BYTEORDER_SIZE, NFTNL_EXPR_BYTEORDER_SIZE, XK_U32),
};
static const struct xmap m_numgen[] = {
	X(NFTA_NG_DREG, NFTNL_EXPR_NG_DREG, XK_U32),
	X(NFTA_NG_MODULUS, NFTNL_EXPR_NG_MODULUS, XK_U32),
	X(NFTA_NG_TYPE, NFTNL_EXPR_NG_TYPE, XK_U32),
	X(NFTA_NG_OFFSET, NFTNL_EXPR_NG_OFFSET, XK_U32),
};
static const struct xmap m_fib[] = {
	X(NFTA_FIB_DREG, NFTNL_EXPR_FIB_DREG, XK_U32),
	X(NFTA_FIB_RESULT, NFTNL_EXPR_FIB_RESULT, XK_U32),
	X(NFTA_FIB_FLAGS, NFTNL_EXPR_FIB_FLAGS, XK_U32),
};
#undef X

#define D(n, m) { n, sizeof(n), m, sizeof(m) / sizeof(m[0]) }
static const struct xdef xdefs[] = {
	D("payload", m_payload), D("cmp", m_cmp), D("meta", m_meta),
	D("immediate", m_imm), D("counter", m_counter), D("lookup", m_lookup),
	D("nat", m_nat), D("masq", m_masq), D("redir", m_redir), D("ct", m_ct),
	D("bitwise", m_bitwise), D("range", m_range), D("byteorder", m_byteorder),
	D("numgen", m_numgen), D("fib", m_fib),
};
#undef D

/*
 * Attributes read inline (libmnl's accessors are calls through the PLT, and
 * this runs for every attribute of every expression): same checks as
 * mnl_attr_ok, mnl_attr_get_payload_len and friends.
 */

/* The attribute's type without the nested/byte-order flags. */
static inline uint16_t a_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

/* Its payload length (a_ok checked the header). */
static inline uint16_t a_len(const struct nlattr *a)
{
	return (uint16_t)(a->nla_len - NLA_HDRLEN);
}

/* Its payload. */
static inline const void *a_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

/* Does an attribute of rem bytes left start here, whole? */
static inline bool a_ok(const struct nlattr *a, int rem)
{
	return rem >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) && (int)a->nla_len <= rem;
}

#define for_each_attr(a, nest, rem)						\
	for ((a) = a_data(nest), (rem) = a_len(nest); a_ok((a), (rem));		\
	     (rem) -= NLA_ALIGN((a)->nla_len),					\
	     (a) = (const struct nlattr *)((const char *)(a) + NLA_ALIGN((a)->nla_len)))

/* A nest: empty, or room for at least one attribute header (libmnl's check). */
static bool nest_ok(const struct nlattr *a)
{
	uint16_t n = a_len(a);

	return n == 0 || n >= NLA_HDRLEN;
}

/* A NUL-terminated string attribute (libmnl's MNL_TYPE_NUL_STRING check). */
static bool str_ok(const struct nlattr *a)
{
	uint16_t n = a_len(a);

	return n > 0 && ((const char *)a_data(a))[n - 1] == '\0';
}

/* NFTA_DATA_VALUE inside a data attribute, checked as libnftnl checks it; NULL if bad. */
static const struct nlattr *data_value(const struct nlattr *nest)
{
	const struct nlattr *a, *val = NULL;
	int rem;

	if (!nest_ok(nest))
		return NULL;
	for_each_attr(a, nest, rem) {
		if (a_type(a) != NFTA_DATA_VALUE)
			return NULL;	/* a verdict where a value belongs: libnftnl decides */
		val = a;
	}
	if (val && a_len(val) > NFT_DATA_VALUE_MAXLEN)
		return NULL;
	return val;
}

/* Immediate data: a value (IMM_DATA) or a verdict (IMM_VERDICT, IMM_CHAIN). */
static bool imm_data(struct nsh_xe *e, const struct nlattr *nest)
{
	const struct nlattr *a, *v;
	int rem, rem2;

	if (!nest_ok(nest))
		return false;
	for_each_attr(a, nest, rem) {
		switch (a_type(a)) {
		case NFTA_DATA_VALUE:
			if (a_len(a) > NFT_DATA_VALUE_MAXLEN)
				return false;
			e->a[NFTNL_EXPR_IMM_DATA] = a;
			e->kind[NFTNL_EXPR_IMM_DATA] = XK_DATA;
			break;
		case NFTA_DATA_VERDICT:
			if (!nest_ok(a))
				return false;
			for_each_attr(v, a, rem2) {
				if (a_type(v) == NFTA_VERDICT_CODE) {
					if (a_len(v) != 4)
						return false;
					e->a[NFTNL_EXPR_IMM_VERDICT] = v;
					e->kind[NFTNL_EXPR_IMM_VERDICT] = XK_U32;
				} else if (a_type(v) == NFTA_VERDICT_CHAIN) {
					if (!str_ok(v))
						return false;
					e->a[NFTNL_EXPR_IMM_CHAIN] = v;
					e->kind[NFTNL_EXPR_IMM_CHAIN] = XK_STR;
				} else {
					return false;
				}
			}
			break;
		default:
			return false;
		}
	}
	return true;
}

/* One attribute of a known expression into its libnftnl slot; false if malformed. */
static bool put_attr(struct nsh_xe *e, const struct xmap *m, const struct nlattr *a)
{
	static const uint8_t size[] = { [XK_U8] = 1, [XK_U32] = 4, [XK_U64] = 8 };

	if (m->nftnl >= NSH_XE_NATTR)
		return false;
	switch (m->kind) {
	case XK_VERDICT:
		return imm_data(e, a);
	case XK_DATA:
		a = data_value(a);
		if (!a)
			return false;
		break;
	case XK_STR:
		if (!str_ok(a))
			return false;
		break;
	default:
		if (a_len(a) != size[m->kind])
			return false;
		break;
	}
	e->a[m->nftnl] = a;
	e->kind[m->nftnl] = m->kind;
	return true;
}

/* See from_nftnl_dec.h. */
bool nsh_xe_from_attr(struct nsh_xe *e, const struct nlattr *elem)
{
	const struct nlattr *a, *name = NULL, *data = NULL;
	const struct xdef *def = NULL;
	size_t i, nlen;
	int rem;

	memset(e, 0, sizeof(*e));
	if (!nest_ok(elem))
		return false;
	for_each_attr(a, elem, rem) {
		if (a_type(a) == NFTA_EXPR_NAME)
			name = a;
		else if (a_type(a) == NFTA_EXPR_DATA)
			data = a;
	}
	if (!name || !str_ok(name))
		return false;
	e->name = (const char *)a_data(name);
	nlen = a_len(name);	/* with its NUL */
	for (i = 0; i < sizeof(xdefs) / sizeof(xdefs[0]) && !def; i++)
		if (xdefs[i].size == nlen && memcmp(xdefs[i].name, e->name, nlen) == 0)
			def = &xdefs[i];
	if (!def)
		return false;
	if (!data)
		return true;
	if (!nest_ok(data))
		return false;
	for_each_attr(a, data, rem) {
		uint16_t type = a_type(a);

		for (i = 0; i < def->n; i++)
			if (def->map[i].nfta == type)
				break;
		if (i == def->n)
			continue;	/* an attribute the decoder never asks for */
		if (!put_attr(e, &def->map[i], a))
			return false;
	}
	return true;
}

/* See from_nftnl_dec.h. */
bool nsh_xe_is_set(const struct nsh_xe *e, uint16_t attr)
{
	if (e->nx)
		return nftnl_expr_is_set(e->nx, attr);
	if (attr == NFTNL_EXPR_NAME)
		return e->name != NULL;
	return attr < NSH_XE_NATTR && e->a[attr];
}

/* See from_nftnl_dec.h. */
uint32_t nsh_xe_u32(const struct nsh_xe *e, uint16_t attr)
{
	uint32_t v;

	if (e->nx)
		return nftnl_expr_get_u32(e->nx, attr);
	if (attr >= NSH_XE_NATTR || !e->a[attr])
		return 0;
	switch (e->kind[attr]) {
	case XK_U32:
		memcpy(&v, a_data(e->a[attr]), 4);
		return be32toh(v);
	case XK_U8:
		return *(const uint8_t *)a_data(e->a[attr]);
	default:
		return 0;
	}
}

/* See from_nftnl_dec.h (16-bit attributes are read through libnftnl only). */
uint16_t nsh_xe_u16(const struct nsh_xe *e, uint16_t attr)
{
	return e->nx ? nftnl_expr_get_u16(e->nx, attr) : 0;
}

/* See from_nftnl_dec.h. */
uint64_t nsh_xe_u64(const struct nsh_xe *e, uint16_t attr)
{
	uint64_t v;

	if (e->nx)
		return nftnl_expr_get_u64(e->nx, attr);
	if (attr >= NSH_XE_NATTR || !e->a[attr] || e->kind[attr] != XK_U64)
		return 0;
	memcpy(&v, a_data(e->a[attr]), 8);
	return be64toh(v);
}

/* See from_nftnl_dec.h. */
const char *nsh_xe_str(const struct nsh_xe *e, uint16_t attr)
{
	if (e->nx)
		return nftnl_expr_get_str(e->nx, attr);
	if (attr == NFTNL_EXPR_NAME)
		return e->name;
	if (attr >= NSH_XE_NATTR || !e->a[attr] || e->kind[attr] != XK_STR)
		return NULL;
	return (const char *)a_data(e->a[attr]);
}

/* See from_nftnl_dec.h: a data value's bytes and length. */
const void *nsh_xe_get(const struct nsh_xe *e, uint16_t attr, uint32_t *len)
{
	if (e->nx)
		return nftnl_expr_get(e->nx, attr, len);
	if (attr >= NSH_XE_NATTR || !e->a[attr] || e->kind[attr] != XK_DATA)
		return NULL;
	*len = a_len(e->a[attr]);
	return a_data(e->a[attr]);
}

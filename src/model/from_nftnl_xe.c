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
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "model/from_nftnl_dec.h"

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

#define D(n, m) { n, m, sizeof(m) / sizeof(m[0]) }
static const struct xdef xdefs[] = {
	D("payload", m_payload), D("cmp", m_cmp), D("meta", m_meta),
	D("immediate", m_imm), D("counter", m_counter), D("lookup", m_lookup),
	D("nat", m_nat), D("masq", m_masq), D("redir", m_redir), D("ct", m_ct),
	D("bitwise", m_bitwise), D("range", m_range), D("byteorder", m_byteorder),
	D("numgen", m_numgen), D("fib", m_fib),
};
#undef D

/* NFTA_DATA_VALUE inside a data attribute, checked as libnftnl checks it; NULL if bad. */
static const struct nlattr *data_value(const struct nlattr *nest)
{
	const struct nlattr *a, *val = NULL;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return NULL;
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) != NFTA_DATA_VALUE)
			return NULL;	/* a verdict where a value belongs: libnftnl decides */
		val = a;
	}
	if (val && (mnl_attr_validate(val, MNL_TYPE_BINARY) < 0 ||
		    mnl_attr_get_payload_len(val) > NFT_DATA_VALUE_MAXLEN))
		return NULL;
	return val;
}

/* Immediate data: a value (IMM_DATA) or a verdict (IMM_VERDICT, IMM_CHAIN). */
static bool imm_data(struct nsh_xe *e, const struct nlattr *nest)
{
	const struct nlattr *a, *v;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return false;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case NFTA_DATA_VALUE:
			if (mnl_attr_validate(a, MNL_TYPE_BINARY) < 0 ||
			    mnl_attr_get_payload_len(a) > NFT_DATA_VALUE_MAXLEN)
				return false;
			e->a[NFTNL_EXPR_IMM_DATA] = a;
			e->kind[NFTNL_EXPR_IMM_DATA] = XK_DATA;
			break;
		case NFTA_DATA_VERDICT:
			if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
				return false;
			mnl_attr_for_each_nested(v, a) {
				if (mnl_attr_get_type(v) == NFTA_VERDICT_CODE) {
					if (mnl_attr_validate(v, MNL_TYPE_U32) < 0)
						return false;
					e->a[NFTNL_EXPR_IMM_VERDICT] = v;
					e->kind[NFTNL_EXPR_IMM_VERDICT] = XK_U32;
				} else if (mnl_attr_get_type(v) == NFTA_VERDICT_CHAIN) {
					if (mnl_attr_validate(v, MNL_TYPE_NUL_STRING) < 0)
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
	static const enum mnl_attr_data_type vt[] = {
		[XK_U8] = MNL_TYPE_U8, [XK_U32] = MNL_TYPE_U32, [XK_U64] = MNL_TYPE_U64,
		[XK_STR] = MNL_TYPE_NUL_STRING,
	};

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
	default:
		if (mnl_attr_validate(a, vt[m->kind]) < 0)
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
	size_t i;

	memset(e, 0, sizeof(*e));
	if (mnl_attr_validate(elem, MNL_TYPE_NESTED) < 0)
		return false;
	mnl_attr_for_each_nested(a, elem) {
		if (mnl_attr_get_type(a) == NFTA_EXPR_NAME)
			name = a;
		else if (mnl_attr_get_type(a) == NFTA_EXPR_DATA)
			data = a;
	}
	if (!name || mnl_attr_validate(name, MNL_TYPE_NUL_STRING) < 0)
		return false;
	e->name = mnl_attr_get_str(name);
	for (i = 0; i < sizeof(xdefs) / sizeof(xdefs[0]) && !def; i++)
		if (strcmp(xdefs[i].name, e->name) == 0)
			def = &xdefs[i];
	if (!def)
		return false;
	if (!data)
		return true;
	if (mnl_attr_validate(data, MNL_TYPE_NESTED) < 0)
		return false;
	mnl_attr_for_each_nested(a, data) {
		uint16_t type = mnl_attr_get_type(a);

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
	if (e->nx)
		return nftnl_expr_get_u32(e->nx, attr);
	if (attr >= NSH_XE_NATTR || !e->a[attr])
		return 0;
	switch (e->kind[attr]) {
	case XK_U32:
		return be32toh(mnl_attr_get_u32(e->a[attr]));
	case XK_U8:
		return mnl_attr_get_u8(e->a[attr]);
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
	if (e->nx)
		return nftnl_expr_get_u64(e->nx, attr);
	if (attr >= NSH_XE_NATTR || !e->a[attr] || e->kind[attr] != XK_U64)
		return 0;
	return be64toh(mnl_attr_get_u64(e->a[attr]));
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
	return mnl_attr_get_str(e->a[attr]);
}

/* See from_nftnl_dec.h: a data value's bytes and length. */
const void *nsh_xe_get(const struct nsh_xe *e, uint16_t attr, uint32_t *len)
{
	if (e->nx)
		return nftnl_expr_get(e->nx, attr, len);
	if (attr >= NSH_XE_NATTR || !e->a[attr] || e->kind[attr] != XK_DATA)
		return NULL;
	*len = mnl_attr_get_payload_len(e->a[attr]);
	return mnl_attr_get_payload(e->a[attr]);
}

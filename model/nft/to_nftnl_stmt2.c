/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Model -> nf_tables expressions for the statements of model/stmts.h,
 * as nft 1.0.6 encodes them (checked with `nft --debug=netlink`): the
 * implicit protocol matches nft puts before them, registers, checksums.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "model/nft/to_nftnl_stmt2.h"

static struct nftnl_expr *expr(const char *name)
{
	struct nftnl_expr *x = nftnl_expr_alloc(name);

	if (!x)
		errno = ENOMEM;
	return x;
}

static int put(struct nsh_enc2 *c, struct nftnl_expr *x)
{
	return x ? c->add(c->arg, x) : -1;
}

/* meta KEY => reg; cmp eq v (one byte): an implicit protocol match. */
static int dep(struct nsh_enc2 *c, uint32_t key, uint8_t v)
{
	struct nftnl_expr *x = expr("meta");

	if (!x)
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(x, NFTNL_EXPR_META_DREG, NFT_REG_1);
	if (put(c, x) < 0 || !(x = expr("cmp")))
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(x, NFTNL_EXPR_CMP_DATA, &v, 1);
	return put(c, x);
}

/* The matches nft implies for a layer 3 (inet tables) and layer 4 protocol. */
static int deps(struct nsh_enc2 *c, uint8_t nfproto, uint8_t l4proto)
{
	if (c->family == NSH_FAM_INET && nfproto && *c->nf_ctx != nfproto) {
		if (dep(c, NFT_META_NFPROTO, nfproto) < 0)
			return -1;
		*c->nf_ctx = nfproto;
	}
	if (l4proto && l4proto != 255 && *c->l4_ctx != l4proto) {
		if (dep(c, NFT_META_L4PROTO, l4proto) < 0)
			return -1;
		*c->l4_ctx = l4proto;
	}
	return 0;
}

static int imm(struct nsh_enc2 *c, uint32_t reg, const void *data, uint32_t len)
{
	struct nftnl_expr *x = expr("immediate");

	if (!x)
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(x, NFTNL_EXPR_IMM_DATA, data, len);
	return put(c, x);
}

static int bitwise(struct nsh_enc2 *c, const void *mask, const void *xor, uint32_t len)
{
	struct nftnl_expr *x = expr("bitwise");

	if (!x)
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(x, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(x, NFTNL_EXPR_BITWISE_XOR, xor, len);
	return put(c, x);
}

static int payload_load(struct nsh_enc2 *c, uint32_t reg, uint32_t base, uint32_t off,
			uint32_t len)
{
	struct nftnl_expr *x = expr("payload");

	if (!x)
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_DREG, reg);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_LEN, len);
	return put(c, x);
}

/* meta or ct KEY => reg (load) or reg => KEY (set). */
static int meta_ct(struct nsh_enc2 *c, bool ct, uint32_t key, uint32_t reg, bool set)
{
	struct nftnl_expr *x = expr(ct ? "ct" : "meta");

	if (!x)
		return -1;
	nftnl_expr_set_u32(x, ct ? NFTNL_EXPR_CT_KEY : NFTNL_EXPR_META_KEY, key);
	if (set)
		nftnl_expr_set_u32(x, ct ? NFTNL_EXPR_CT_SREG : NFTNL_EXPR_META_SREG, reg);
	else
		nftnl_expr_set_u32(x, ct ? NFTNL_EXPR_CT_DREG : NFTNL_EXPR_META_DREG, reg);
	return put(c, x);
}

static int enc_reject(struct nsh_enc2 *c, const struct nsh_reject *r)
{
	struct nftnl_expr *x;

	if (r->type == NFT_REJECT_TCP_RST && deps(c, 0, IPPROTO_TCP) < 0)
		return -1;
	if (r->type == NFT_REJECT_ICMP_UNREACH &&
	    deps(c, r->family == NSH_FAM_IP6 ? NFPROTO_IPV6 : NFPROTO_IPV4, 0) < 0)
		return -1;
	if (!(x = expr("reject")))
		return -1;
	if (r->type == NFT_REJECT_ICMPX_UNREACH && r->code == NFT_REJECT_ICMPX_PORT_UNREACH &&
	    c->family == NSH_FAM_INET && c->nf_ctx &&
	    (*c->nf_ctx == NFPROTO_IPV4 || *c->nf_ctx == NFPROTO_IPV6)) {
		/* a plain reject where the rule already said ip or ip6: nft writes that family's own */
		nftnl_expr_set_u32(x, NFTNL_EXPR_REJECT_TYPE, NFT_REJECT_ICMP_UNREACH);
		nftnl_expr_set_u8(x, NFTNL_EXPR_REJECT_CODE, *c->nf_ctx == NFPROTO_IPV4 ? 3 : 4);
		return put(c, x);
	}
	nftnl_expr_set_u32(x, NFTNL_EXPR_REJECT_TYPE, r->type);
	nftnl_expr_set_u8(x, NFTNL_EXPR_REJECT_CODE, r->code);
	return put(c, x);
}

static int enc_log(struct nsh_enc2 *c, const struct nsh_log *l)
{
	struct nftnl_expr *x = expr("log");

	if (!x)
		return -1;
	if (l->has & NSH_LOG_PREFIX)
		nftnl_expr_set_str(x, NFTNL_EXPR_LOG_PREFIX, l->prefix ? l->prefix : "");
	if (l->has & NSH_LOG_GROUP)
		nftnl_expr_set_u16(x, NFTNL_EXPR_LOG_GROUP, l->group);
	if (l->has & NSH_LOG_SNAPLEN)
		nftnl_expr_set_u32(x, NFTNL_EXPR_LOG_SNAPLEN, l->snaplen);
	if (l->has & NSH_LOG_QTHRESH)
		nftnl_expr_set_u16(x, NFTNL_EXPR_LOG_QTHRESHOLD, l->qthreshold);
	if (l->has & NSH_LOG_LEVEL)
		nftnl_expr_set_u32(x, NFTNL_EXPR_LOG_LEVEL, l->level);
	if (l->has & NSH_LOG_FLAGS)
		nftnl_expr_set_u32(x, NFTNL_EXPR_LOG_FLAGS, l->flags);
	return put(c, x);
}

/* A field's bytes, big-endian, of value v. */
static void be_bytes(uint32_t v, uint8_t *out, size_t len)
{
	while (len--) {
		out[len] = (uint8_t)v;
		v >>= 8;
	}
}

static int enc_set(struct nsh_enc2 *c, const struct nsh_setst *st)
{
	const struct nsh_setf *f = st->f;
	uint8_t a[4] = { 0 }, b[4] = { 0 };
	struct nftnl_expr *x;
	uint32_t width, fmask, all;

	if (f->kind != NSH_SF_PAYLOAD) {
		if (st->src) {
			if (meta_ct(c, st->src->kind == NSH_SF_CT, st->src->nl_key, NFT_REG_1,
				    false) < 0)
				return -1;
			if ((st->mask != 0xffffffff || st->xor) &&
			    bitwise(c, &st->mask, &st->xor, 4) < 0)
				return -1;
		} else {
			memcpy(a, &st->val, 4);	/* host order: the first f->len bytes */
			if (f->len == 2) {
				uint16_t v16 = (uint16_t)st->val;

				memcpy(a, &v16, 2);
			} else if (f->len == 1) {
				a[0] = (uint8_t)st->val;
			}
			if (imm(c, NFT_REG_1, a, f->len) < 0)
				return -1;
		}
		return meta_ct(c, f->kind == NSH_SF_CT, f->nl_key, NFT_REG_1, true);
	}
	if (deps(c, f->nfproto, f->l4proto) < 0)
		return -1;
	width = (uint32_t)__builtin_popcount(f->max);
	if (width == f->len * 8u) {
		be_bytes(st->val, a, f->len);
		if (imm(c, NFT_REG_1, a, f->len) < 0)
			return -1;
	} else {
		all = f->len >= 4 ? 0xffffffff : (1u << (f->len * 8)) - 1;
		fmask = f->max << f->shift;
		be_bytes(~fmask & all, a, f->len);
		be_bytes((st->val << f->shift) & fmask, b, f->len);
		if (payload_load(c, NFT_REG_1, f->nl_key, f->off, f->len) < 0 ||
		    bitwise(c, a, b, f->len) < 0)
			return -1;
	}
	if (!(x = expr("payload")))
		return -1;
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_SREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_BASE, f->nl_key);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_OFFSET, f->off);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_LEN, f->len);
	if (f->csum_type) {
		nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_CSUM_TYPE, f->csum_type);
		nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_CSUM_OFFSET, f->csum_off);
	}
	return put(c, x);
}

static int enc_dynset(struct nsh_enc2 *c, const struct nsh_dynset *d)
{
	struct nftnl_expr *x;
	uint32_t slot = 0;
	size_t i;

	for (i = 0; i < d->nkeys; i++)
		if (deps(c, d->key[i]->kind == NSH_KK_PAYLOAD ? d->key[i]->nfproto_dep : 0,
			 d->key[i]->kind == NSH_KK_PAYLOAD ? d->key[i]->l4proto_dep : 0) < 0)
			return -1;
	for (i = 0; i < d->nkeys; i++) {
		const struct nsh_key_def *k = d->key[i];
		uint32_t reg = i == 0 ? NFT_REG_1 : NFT_REG32_00 + slot;

		switch (k->kind) {
		case NSH_KK_META:
		case NSH_KK_CT:
			if (meta_ct(c, k->kind == NSH_KK_CT, k->nl_key, reg, false) < 0)
				return -1;
			break;
		case NSH_KK_PAYLOAD:
			if (payload_load(c, reg, k->nl_key, k->offset, k->len) < 0)
				return -1;
			break;
		default:
			errno = EOPNOTSUPP;
			return -1;
		}
		slot += (k->len + 3) / 4;
	}
	if (!(x = expr("dynset")))
		return -1;
	nftnl_expr_set_str(x, NFTNL_EXPR_DYNSET_SET_NAME, d->set);
	nftnl_expr_set_u32(x, NFTNL_EXPR_DYNSET_SREG_KEY, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_DYNSET_OP, d->op);
	if (d->timeout)
		nftnl_expr_set_u64(x, NFTNL_EXPR_DYNSET_TIMEOUT, d->timeout);
	return put(c, x);
}

/* Does a match before reject establish the protocol it needs (as nft's context does)? */
static bool established(const struct nsh_rule *r, size_t upto, bool l3, uint8_t v)
{
	size_t i;

	for (i = 0; i < upto; i++) {
		const struct nsh_match *m = &r->stmts[i].match;
		int id;

		if (r->stmts[i].kind != NSH_ST_MATCH)
			continue;
		id = m->key->id;
		if (m->key->kind == NSH_KK_PAYLOAD && (l3 ? m->key->nfproto_dep : m->key->l4proto_dep) == v)
			return true;
		if (m->op != NSH_OP_EQ || m->rhs != NSH_RHS_VALUE || m->val.data[0] != v)
			continue;
		if (l3 ? id == NSH_K_META_NFPROTO :
		    (id == NSH_K_META_L4PROTO || id == NSH_K_IP_PROTOCOL || id == NSH_K_IP6_NEXTHDR))
			return true;
	}
	return false;
}

int nsh_enc_rule_deps(struct nsh_enc2 *c, const struct nsh_rule *r)
{
	size_t i;

	for (i = 0; i < r->nstmts; i++) {
		const struct nsh_reject *rj = &r->stmts[i].reject;
		uint8_t nf;

		if (r->stmts[i].kind != NSH_ST_REJECT)
			continue;
		if (rj->type == NFT_REJECT_TCP_RST && !established(r, i, false, IPPROTO_TCP) &&
		    deps(c, 0, IPPROTO_TCP) < 0)
			return -1;
		nf = rj->family == NSH_FAM_IP6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
		if (rj->type == NFT_REJECT_ICMP_UNREACH && c->family == NSH_FAM_INET &&
		    !established(r, i, true, nf) && deps(c, nf, 0) < 0)
			return -1;
	}
	return 0;
}

int nsh_enc_stmt2(struct nsh_enc2 *c, const struct nsh_stmt *s)
{
	struct nftnl_expr *x;

	switch (s->kind) {
	case NSH_ST_REJECT:
		return enc_reject(c, &s->reject);
	case NSH_ST_LIMIT:
		if (!(x = expr("limit")))
			return -1;
		nftnl_expr_set_u64(x, NFTNL_EXPR_LIMIT_RATE, s->limit.rate);
		nftnl_expr_set_u64(x, NFTNL_EXPR_LIMIT_UNIT, s->limit.unit);
		nftnl_expr_set_u32(x, NFTNL_EXPR_LIMIT_BURST, s->limit.burst);
		nftnl_expr_set_u32(x, NFTNL_EXPR_LIMIT_TYPE,
				   s->limit.bytes ? NFT_LIMIT_PKT_BYTES : NFT_LIMIT_PKTS);
		nftnl_expr_set_u32(x, NFTNL_EXPR_LIMIT_FLAGS, s->limit.over ? NFT_LIMIT_F_INV : 0);
		return put(c, x);
	case NSH_ST_QUOTA:
		if (!(x = expr("quota")))
			return -1;
		nftnl_expr_set_u64(x, NFTNL_EXPR_QUOTA_BYTES, s->quota.bytes);
		nftnl_expr_set_u64(x, NFTNL_EXPR_QUOTA_CONSUMED, s->quota.used);
		nftnl_expr_set_u32(x, NFTNL_EXPR_QUOTA_FLAGS, s->quota.over ? NFT_QUOTA_F_INV : 0);
		return put(c, x);
	case NSH_ST_LOG:
		return enc_log(c, &s->log);
	case NSH_ST_NOTRACK:
		return put(c, expr("notrack"));
	case NSH_ST_SET:
		return enc_set(c, &s->set);
	case NSH_ST_DYNSET:
		return enc_dynset(c, &s->dynset);
	default:
		errno = EOPNOTSUPP;
		return -1;
	}
}

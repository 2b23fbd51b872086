/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The decoder's other statements (model/stmts.h): reject, limit, quota,
 * log, notrack, meta/ct/payload FIELD set VALUE and set updates.  What
 * does not fit the model exactly stays a raw expression, never a guess.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_log.h>
#include <libnftnl/expr.h>

#include "model/nft/from_nftnl_dec.h"
#include "model/syntax/rule_text_stmt.h"
#include "lib/buf.h"
#include "lib/util.h"

/* An unsigned attribute of 1, 2, 4 or 8 bytes, whatever its width (libnftnl checks it). */
static uint64_t xe_uint(const struct nsh_xe *e, uint16_t attr)
{
	uint32_t len = 0;
	const void *p;
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;

	if (!nsh_xe_is_set(e, attr))
		return 0;
	if (!e->nx)
		return nsh_xe_u32(e, attr);
	p = nsh_xe_get(e, attr, &len);
	if (!p)
		return 0;
	switch (len) {
	case 1:	return *(const uint8_t *)p;
	case 2:	memcpy(&v16, p, 2); return v16;
	case 4:	memcpy(&v32, p, 4); return v32;
	case 8:	memcpy(&v64, p, 8); return v64;
	default: return 0;
	}
}

void nsh_dec_reject(struct dec *d, const struct nsh_xe *e)
{
	uint32_t type = (uint32_t)xe_uint(e, NFTNL_EXPR_REJECT_TYPE);
	uint8_t code = (uint8_t)xe_uint(e, NFTNL_EXPR_REJECT_CODE);
	int fam = d->env->family;
	struct nsh_stmt *s;
	uint8_t rfam = 0;

	if (!e->nx) {
		d->slow = true;
		return;
	}
	switch (type) {
	case NFT_REJECT_TCP_RST:
		/* nft hides its "meta l4proto tcp" in ip and ip6 tables only */
		if (fam != NSH_FAM_INET)
			nsh_dec_hide_deps(d, 0, IPPROTO_TCP);
		break;
	case NFT_REJECT_ICMPX_UNREACH:
		if (fam != NSH_FAM_INET)
			goto opaque;
		break;
	case NFT_REJECT_ICMP_UNREACH:
		if (fam == NSH_FAM_INET) {
			if (d->l3ctx != NFPROTO_IPV4 && d->l3ctx != NFPROTO_IPV6)
				goto opaque;
			rfam = d->l3ctx == NFPROTO_IPV4 ? NSH_FAM_IP : NSH_FAM_IP6;
			if (d->l3dep >= 0) {
				nsh_dec_hide_deps(d, d->l3ctx, 255);
			}
		} else {
			rfam = (uint8_t)fam;
		}
		break;
	default:
		goto opaque;
	}
	s = nsh_dec_emit(d, NSH_ST_REJECT);
	s->reject.type = (uint8_t)type;
	s->reject.code = code;
	s->reject.family = rfam;
	return;
opaque:
	nsh_dec_opaque_expr(d, e);
}

void nsh_dec_limit(struct dec *d, const struct nsh_xe *e)
{
	uint64_t unit = nsh_xe_u64(e, NFTNL_EXPR_LIMIT_UNIT);
	uint32_t type = nsh_xe_u32(e, NFTNL_EXPR_LIMIT_TYPE);
	uint32_t flags = nsh_xe_u32(e, NFTNL_EXPR_LIMIT_FLAGS);
	struct nsh_stmt *s;

	if (!nsh_time_unit_name(unit) || (type != NFT_LIMIT_PKTS && type != NFT_LIMIT_PKT_BYTES) ||
	    (flags & ~(uint32_t)NFT_LIMIT_F_INV)) {
		nsh_dec_opaque_expr(d, e);
		return;
	}
	s = nsh_dec_emit(d, NSH_ST_LIMIT);
	s->limit.rate = nsh_xe_u64(e, NFTNL_EXPR_LIMIT_RATE);
	s->limit.unit = unit;
	s->limit.burst = nsh_xe_u32(e, NFTNL_EXPR_LIMIT_BURST);
	s->limit.bytes = type == NFT_LIMIT_PKT_BYTES;
	s->limit.over = flags & NFT_LIMIT_F_INV;
}

void nsh_dec_quota(struct dec *d, const struct nsh_xe *e)
{
	uint32_t flags = nsh_xe_u32(e, NFTNL_EXPR_QUOTA_FLAGS);
	struct nsh_stmt *s;

	if (flags & ~(uint32_t)NFT_QUOTA_F_INV) {
		nsh_dec_opaque_expr(d, e);
		return;
	}
	s = nsh_dec_emit(d, NSH_ST_QUOTA);
	s->quota.bytes = nsh_xe_u64(e, NFTNL_EXPR_QUOTA_BYTES);
	s->quota.used = nsh_xe_u64(e, NFTNL_EXPR_QUOTA_CONSUMED);
	s->quota.over = flags & NFT_QUOTA_F_INV;
}

void nsh_dec_log(struct dec *d, const struct nsh_xe *e)
{
	struct nsh_stmt *s;
	struct nsh_log l;

	memset(&l, 0, sizeof(l));
	if (nsh_xe_is_set(e, NFTNL_EXPR_LOG_FLAGS)) {
		l.flags = nsh_xe_u32(e, NFTNL_EXPR_LOG_FLAGS);
		if (l.flags & ~(uint32_t)NF_LOG_MASK) {
			nsh_dec_opaque_expr(d, e);
			return;
		}
		if (l.flags)
			l.has |= NSH_LOG_FLAGS;
	}
	if (nsh_xe_is_set(e, NFTNL_EXPR_LOG_LEVEL)) {
		l.level = nsh_xe_u32(e, NFTNL_EXPR_LOG_LEVEL);
		l.has |= NSH_LOG_LEVEL;
		if (l.level > 8) {
			nsh_dec_opaque_expr(d, e);
			return;
		}
	}
	if (nsh_xe_is_set(e, NFTNL_EXPR_LOG_GROUP)) {
		l.group = nsh_xe_u16(e, NFTNL_EXPR_LOG_GROUP);
		l.has |= NSH_LOG_GROUP;
	}
	if (nsh_xe_is_set(e, NFTNL_EXPR_LOG_SNAPLEN)) {
		l.snaplen = nsh_xe_u32(e, NFTNL_EXPR_LOG_SNAPLEN);
		if (l.snaplen)
			l.has |= NSH_LOG_SNAPLEN;
	}
	if (nsh_xe_is_set(e, NFTNL_EXPR_LOG_QTHRESHOLD)) {
		l.qthreshold = nsh_xe_u16(e, NFTNL_EXPR_LOG_QTHRESHOLD);
		if (l.qthreshold)
			l.has |= NSH_LOG_QTHRESH;
	}
	if (nsh_xe_is_set(e, NFTNL_EXPR_LOG_PREFIX)) {
		const char *p = nsh_xe_str(e, NFTNL_EXPR_LOG_PREFIX);

		l.prefix = nsh_xstrdup(p ? p : "");
		l.has |= NSH_LOG_PREFIX;
	}
	s = nsh_dec_emit(d, NSH_ST_LOG);
	s->log = l;
}

void nsh_dec_notrack(struct dec *d, const struct nsh_xe *e)
{
	(void)e;
	nsh_dec_emit(d, NSH_ST_NOTRACK);
}

/* A 4-byte register value as nft's host-order number of len bytes. */
static uint32_t host_num(const uint8_t *p, size_t len)
{
	uint32_t v = 0;
	uint16_t v16;

	if (len == 1)
		return p[0];
	if (len == 2) {
		memcpy(&v16, p, 2);
		return v16;
	}
	memcpy(&v, p, 4);
	return v;
}

/* Big-endian bytes as a number. */
static uint32_t be_num(const uint8_t *p, size_t len)
{
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < len && i < 4; i++)
		v = v << 8 | p[i];
	return v;
}

/* Drop the raw bitwise a MANGLED register was shown as: the set statement says it. */
static void drop_mangled_opaque(struct dec *d, const struct reg *rg)
{
	struct nsh_rule *r = d->r;
	size_t i;

	if (rg->src != SRC_MANGLED || rg->opq < 0 || (size_t)rg->opq + 1 != r->nstmts ||
	    r->stmts[rg->opq].kind != NSH_ST_OPAQUE)
		return;
	nsh_stmt_clear(&r->stmts[--r->nstmts]);
	r->opaque = false;
	for (i = 0; i < r->nstmts; i++)
		if (r->stmts[i].kind == NSH_ST_OPAQUE)
			r->opaque = true;
}

/* Is the opaque bitwise of a MANGLED register still the last statement? */
static bool mangled_ok(const struct dec *d, const struct reg *rg)
{
	return rg->src != SRC_MANGLED ||
	       (rg->opq >= 0 && (size_t)rg->opq + 1 == d->r->nstmts &&
		d->r->stmts[rg->opq].kind == NSH_ST_OPAQUE);
}

void nsh_dec_field_set(struct dec *d, const struct nsh_xe *e, int kind, uint32_t key,
		       uint16_t sreg)
{
	const struct nsh_setf *f = nsh_setf_find((enum nsh_setf_kind)kind, key, 0, 0, 0);
	struct reg *rg = nsh_dec_reg(d, e, sreg);
	struct nsh_setst st;
	struct nsh_stmt *s;

	memset(&st, 0, sizeof(st));
	if (!f || !rg)
		goto opaque;
	st.f = f;
	if (rg->src == SRC_IMM) {
		if (rg->imm.len != f->len && !(f->len < 4 && rg->imm.len == 4))
			goto opaque;
		st.val = host_num(rg->imm.data, f->len);
	} else if ((rg->src == SRC_KEY || rg->src == SRC_MANGLED) && f->fmt == NSH_SF_MARK &&
		   (rg->ldkind == 2 || rg->ldkind == 3) && !rg->swapped && mangled_ok(d, rg)) {
		st.src = nsh_setf_find(rg->ldkind == 2 ? NSH_SF_META : NSH_SF_CT, rg->ldbase, 0, 0,
				       0);
		if (!st.src || st.src->fmt != NSH_SF_MARK)
			goto opaque;
		st.mask = rg->masked ? host_num(rg->mask, 4) : 0xffffffff;
		st.xor = rg->src == SRC_MANGLED ? host_num(rg->xor, 4) : 0;
		drop_mangled_opaque(d, rg);
	} else {
		goto opaque;
	}
	s = nsh_dec_emit(d, NSH_ST_SET);
	s->set = st;
	return;
opaque:
	nsh_dec_opaque_expr(d, e);
}

/* payload write: a field of nsh_setfs[] with the checksum nft asks for. */
void nsh_dec_payload_write(struct dec *d, const struct nsh_xe *e)
{
	uint32_t base = nsh_xe_u32(e, NFTNL_EXPR_PAYLOAD_BASE);
	uint32_t off = nsh_xe_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET);
	uint32_t len = nsh_xe_u32(e, NFTNL_EXPR_PAYLOAD_LEN);
	struct reg *rg = nsh_dec_reg(d, e, NFTNL_EXPR_PAYLOAD_SREG);
	const struct nsh_setf *f = NULL, *c;
	struct nsh_setst st;
	struct nsh_stmt *s;
	uint32_t width, fmask, m, x;

	memset(&st, 0, sizeof(st));
	if (!rg)
		goto opaque;
	for (c = nsh_setfs; c->name && !f; c++) {
		if (c->kind != NSH_SF_PAYLOAD || c->nl_key != base || c->off != off || c->len != len)
			continue;
		if (d->env->family != NSH_FAM_INET && c->nfproto &&
		    c->nfproto != (d->env->family == NSH_FAM_IP ? NFPROTO_IPV4 : NFPROTO_IPV6))
			continue;
		if (c->l4proto && d->l4ctx != c->l4proto)
			continue;
		if (d->env->family == NSH_FAM_INET && c->nfproto && d->l3ctx != c->nfproto)
			continue;
		width = (uint32_t)__builtin_popcount(c->max);
		fmask = c->max << c->shift;
		if (rg->src == SRC_IMM && width == len * 8 && rg->imm.len == len) {
			st.val = be_num(rg->imm.data, len);
			f = c;
		} else if ((rg->src == SRC_MANGLED || rg->src == SRC_KEY || rg->src == SRC_RAW) &&
			   rg->masked && rg->ldkind == 1 && rg->ldbase == base && rg->ldoff == off &&
			   rg->ldlen == len && mangled_ok(d, rg)) {
			m = be_num(rg->mask, len);
			x = rg->src == SRC_MANGLED ? be_num(rg->xor, len) : 0;
			if (m != (~fmask & ((1u << (len * 8)) - 1)) || (x & ~fmask))
				continue;
			st.val = x >> c->shift;
			f = c;
		}
	}
	if (!f || nsh_xe_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_TYPE) != f->csum_type ||
	    (f->csum_type && nsh_xe_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_OFFSET) != f->csum_off) ||
	    nsh_xe_u32(e, NFTNL_EXPR_PAYLOAD_FLAGS))
		goto opaque;
	st.f = f;
	if (rg->src == SRC_MANGLED)
		drop_mangled_opaque(d, rg);
	nsh_dec_hide_deps(d, f->nfproto, f->l4proto ? f->l4proto : 255);
	s = nsh_dec_emit(d, NSH_ST_SET);
	s->set = st;
	return;
opaque:
	nsh_dec_opaque_expr(d, e);
}

/* add/update/delete @set { KEY [. KEY] [timeout T] }: keys in consecutive registers. */
void nsh_dec_dynset(struct dec *d, const struct nsh_xe *e)
{
	const char *name = nsh_xe_str(e, NFTNL_EXPR_DYNSET_SET_NAME);
	const struct nsh_rawset *rs = name && d->env->find_set ?
				      d->env->find_set(d->env->arg, name) : NULL;
	struct reg *rg = nsh_dec_reg(d, e, NFTNL_EXPR_DYNSET_SREG_KEY);
	uint32_t op = nsh_xe_u32(e, NFTNL_EXPR_DYNSET_OP), klen = 0;
	struct nsh_dynset ds;
	struct nsh_stmt *s;
	int slot;
	size_t i;

	memset(&ds, 0, sizeof(ds));
	if (!e->nx) {
		d->slow = true;
		return;
	}
	if (!rs || !rg || op > NFT_DYNSET_OP_DELETE ||
	    nsh_xe_is_set(e, NFTNL_EXPR_DYNSET_SREG_DATA) ||
	    nsh_xe_is_set(e, NFTNL_EXPR_DYNSET_EXPR) ||
	    (nsh_xe_is_set(e, NFTNL_EXPR_DYNSET_FLAGS) && nsh_xe_u32(e, NFTNL_EXPR_DYNSET_FLAGS)) ||
	    (rs->flags & NFT_SET_MAP))
		goto opaque;
	slot = (int)(rg - d->regs);
	while (klen < rs->klen) {
		struct reg *k = slot < NSLOTS ? &d->regs[slot] : NULL;

		if (ds.nkeys == 2 || !k || k->src != SRC_KEY || k->masked || k->swapped ||
		    k->key->kind == NSH_KK_NUMGEN || k->loadlen != k->key->len)
			goto opaque;
		ds.key[ds.nkeys++] = k->key;
		klen += (k->key->len + 3) & ~3u;
		slot += (int)((k->key->len + 3) / 4);
	}
	if (klen != ((rs->klen + 3) & ~3u) || (ds.nkeys == 1 && rs->klen != ds.key[0]->len))
		goto opaque;
	for (i = 0; i < ds.nkeys; i++)
		nsh_dec_kill_deps(d, ds.key[i]);
	ds.op = (uint8_t)op;
	ds.timeout = nsh_xe_is_set(e, NFTNL_EXPR_DYNSET_TIMEOUT) ?
		     nsh_xe_u64(e, NFTNL_EXPR_DYNSET_TIMEOUT) : 0;
	ds.set = nsh_xstrdup(name);
	s = nsh_dec_emit(d, NSH_ST_DYNSET);
	s->dynset = ds;
	return;
opaque:
	nsh_dec_opaque_expr(d, e);
}

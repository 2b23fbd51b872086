/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The decoder's relational expressions: cmp (values, prefixes, bitmasks,
 * gte+lte ranges), range, and lookup (anonymous and named sets, maps that
 * feed a nat statement, concatenations).  What natsh cannot type stays
 * readable opaque text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "model/nft/from_nftnl_dec.h"
#include "lib/buf.h"
#include "lib/util.h"

/* Bytes as 0x... in memory order. */
static void put_hex(struct nsh_buf *b, const uint8_t *p, size_t n)
{
	size_t i;

	nsh_buf_puts(b, "0x");
	for (i = 0; i < n; i++)
		nsh_buf_printf(b, "%02x", p[i]);
}

/* Leading one bits of a contiguous mask; -1 when not a prefix mask. */
static int mask_plen(const uint8_t *m, size_t n)
{
	size_t i;
	int plen = 0, b;
	bool zero = false;

	for (i = 0; i < n; i++)
		for (b = 7; b >= 0; b--) {
			if (m[i] & (1 << b)) {
				if (zero)
					return -1;
				plen++;
			} else {
				zero = true;
			}
		}
	return plen;
}

/* NFT_CMP_* -> nsh_op. */
static enum nsh_op cmp_op(uint32_t op)
{
	switch (op) {
	case NFT_CMP_NEQ:	return NSH_OP_NEQ;
	case NFT_CMP_LT:	return NSH_OP_LT;
	case NFT_CMP_LTE:	return NSH_OP_LTE;
	case NFT_CMP_GT:	return NSH_OP_GT;
	case NFT_CMP_GTE:	return NSH_OP_GTE;
	default:		return NSH_OP_EQ;
	}
}

static const char *const op_text[] = {
	[NSH_OP_EQ] = "==", [NSH_OP_NEQ] = "!=", [NSH_OP_LT] = "<",
	[NSH_OP_GT] = ">", [NSH_OP_LTE] = "<=", [NSH_OP_GTE] = ">=",
};

/*
 * A value inside an opaque statement's text, for the types nft prints
 * differently from hex (the model keeps no typed value there).
 */
static void opaque_val(enum nsh_type t, const uint8_t *p, size_t n, struct nsh_buf *b)
{
	char addr[INET6_ADDRSTRLEN];
	uint32_t x;

	if (t == NSH_T_IPV4 && n == 4) {
		nsh_buf_puts(b, inet_ntop(AF_INET, p, addr, sizeof(addr)));
	} else if (t == NSH_T_IPV6 && n == 16) {
		nsh_buf_puts(b, inet_ntop(AF_INET6, p, addr, sizeof(addr)));
	} else if (t == NSH_T_PORT && n == 2) {
		nsh_buf_printf(b, "%u", (unsigned)(p[0] << 8 | p[1]));
	} else if ((t == NSH_T_MARK || t == NSH_T_CT_STATE || t == NSH_T_CT_STATUS) && n == 4) {
		memcpy(&x, p, 4);
		nsh_buf_printf(b, "0x%08x", x);
	} else if (t == NSH_T_IFNAME) {
		nsh_buf_printf(b, "\"%.*s\"", (int)strnlen((const char *)p, n), (const char *)p);
	} else {
		put_hex(b, p, n);
	}
}

/* A relation natsh cannot type: keep it readable ("meta mark & 0x.. == 0x.."). */
static void opaque_cmp(struct dec *d, const struct reg *rg, enum nsh_op op,
		       const uint8_t *data, size_t len)
{
	enum nsh_type t = NSH_T_INVALID;
	struct nsh_buf b;

	if (nsh_dec_xkey_cmp(d, rg, op, data, len))
		return;
	nsh_buf_init(&b);
	if (rg && rg->src == SRC_KEY) {
		nsh_buf_puts(&b, rg->key->name);
		if (rg->loadlen == rg->key->len && len == rg->key->len)
			t = rg->key->type;
	} else if (rg && rg->src == SRC_RAW) {
		nsh_buf_puts(&b, rg->raw);
	} else {
		nsh_buf_puts(&b, "@unknown");
	}
	if (rg && rg->masked) {
		nsh_buf_puts(&b, " & ");
		opaque_val(t, rg->mask, rg->loadlen, &b);
	}
	nsh_buf_printf(&b, " %s ", op_text[op]);
	opaque_val(t, data, len, &b);
	nsh_dec_emit_opaque(d, &b);
	if (rg && rg->src == SRC_KEY)
		nsh_dec_kill_deps(d, rg->key);
}

/* The context a new match sets up for the statements after it. */
static void note_ctx(struct dec *d, const struct nsh_match *m)
{
	int idx = (int)d->r->nstmts - 1;

	if (m->op != NSH_OP_EQ || m->rhs != NSH_RHS_VALUE)
		return;
	switch (m->key->id) {
	case NSH_K_META_L4PROTO:
	case NSH_K_IP_PROTOCOL:
	case NSH_K_IP6_NEXTHDR:
		/* all give "th" its protocol; nft hides only the one it would
		 * have generated: ip protocol in ip, ip6 nexthdr in ip6 tables */
		d->l4ctx = m->val.data[0];
		if (m->key->id == NSH_K_META_L4PROTO ||
		    (m->key->id == NSH_K_IP_PROTOCOL && d->env->family == NSH_FAM_IP) ||
		    (m->key->id == NSH_K_IP6_NEXTHDR && d->env->family == NSH_FAM_IP6))
			d->l4dep = idx;
		break;
	case NSH_K_META_NFPROTO:
		d->l3ctx = m->val.data[0];
		d->l3dep = idx;
		break;
	default:
		break;
	}
}

/* A match on the key "numgen" takes the generator its register holds. */
static void take_numgen(struct nsh_match *m, const struct reg *rg)
{
	if (m->key->kind != NSH_KK_NUMGEN)
		return;
	m->numgen_type = rg->mk.numgen_type;
	m->numgen_mod = rg->mk.numgen_mod;
	m->numgen_offset = rg->mk.numgen_offset;
}

/* cmp: a match (value, prefix, bitmask, or the second half of a gte/lte range). */
void nsh_dec_cmp(struct dec *d, const struct nsh_xe *e)
{
	struct reg *rg = nsh_dec_reg(d, e, NFTNL_EXPR_CMP_SREG);
	enum nsh_op op = cmp_op(nsh_xe_u32(e, NFTNL_EXPR_CMP_OP));
	uint32_t len = 0;
	const uint8_t *data = nsh_xe_get(e, NFTNL_EXPR_CMP_DATA, &len);
	int slot = rg ? (int)(rg - d->regs) : -1;
	const struct nsh_key_def *key;
	struct nsh_match *m;
	uint8_t zero[16] = { 0 }, sw[16];

	if (!rg || rg->src != SRC_KEY || !data) {
		opaque_cmp(d, rg, op, data ? data : zero, data ? len : 0);
		return;
	}
	key = rg->key;
	if (rg->swapped) {
		if (len > sizeof(sw) || rg->masked) {
			opaque_cmp(d, rg, op, data, len);
			return;
		}
		for (uint32_t i = 0; i < len; i++)
			sw[i] = data[(i / rg->swapped) * rg->swapped + rg->swapped - 1 -
				     i % rg->swapped];
		data = sw;
	}
	if (op == NSH_OP_LTE && !d->xgte && !rg->masked && d->last_cmp >= 0 &&
	    d->last_cmp == (int)d->r->nstmts - 1 && d->last_slot == slot &&
	    d->r->stmts[d->last_cmp].kind == NSH_ST_MATCH) {
		m = &d->r->stmts[d->last_cmp].match;
		if (m->key == key && m->op == NSH_OP_GTE && m->rhs == NSH_RHS_VALUE && !m->bitmask) {
			m->op = NSH_OP_EQ;
			m->rhs = NSH_RHS_RANGE;
			nsh_dec_set_val(&m->hi, data, len, key->len);
			d->last_cmp = -1;
			return;
		}
	}
	if (rg->masked) {
		bool isbits = key->type == NSH_T_CT_STATE || key->type == NSH_T_CT_STATUS;
		bool isaddr = key->type == NSH_T_IPV4 || key->type == NSH_T_IPV6;
		int plen = mask_plen(rg->mask, rg->loadlen);

		if (isbits && (op == NSH_OP_EQ || op == NSH_OP_NEQ) && len <= 16 &&
		    memcmp(data, zero, len) == 0) {
			m = &nsh_dec_emit(d, NSH_ST_MATCH)->match;
			m->key = key;
			m->bitmask = true;
			m->op = op == NSH_OP_NEQ ? NSH_OP_EQ : NSH_OP_NEQ;
			nsh_dec_set_val(&m->val, rg->mask, key->len, key->len);
			goto done;
		}
		if (!isaddr || plen < 0 || (op != NSH_OP_EQ && op != NSH_OP_NEQ)) {
			opaque_cmp(d, rg, op, data, len);
			return;
		}
		m = &nsh_dec_emit(d, NSH_ST_MATCH)->match;
		m->key = key;
		m->op = op;
		m->rhs = NSH_RHS_PREFIX;
		m->plen = (uint8_t)plen;
		nsh_dec_set_val(&m->val, data, len, key->len);
		goto done;
	}
	m = &nsh_dec_emit(d, NSH_ST_MATCH)->match;
	m->key = key;
	m->op = op;
	if (key->kind == NSH_KK_PAYLOAD && rg->loadlen < key->len) {
		m->rhs = NSH_RHS_PREFIX;
		m->plen = (uint8_t)(rg->loadlen * 8);
		nsh_dec_set_val(&m->val, data, len, key->len);
	} else {
		m->rhs = NSH_RHS_VALUE;
		nsh_dec_set_val(&m->val, data, len, key->type == NSH_T_IFNAME ? 0 : key->len);
	}
done:
	take_numgen(m, rg);
	nsh_dec_kill_deps(d, key);
	note_ctx(d, m);
	d->last_cmp = (int)d->r->nstmts - 1;
	d->last_slot = slot;
	d->xgte = false;
}

/* range: "80-90" or "!= 80-90". */
void nsh_dec_range(struct dec *d, const struct nsh_xe *e)
{
	struct reg *rg = nsh_dec_reg(d, e, NFTNL_EXPR_RANGE_SREG);
	uint32_t flen = 0, tlen = 0;
	const void *from = nsh_xe_get(e, NFTNL_EXPR_RANGE_FROM_DATA, &flen);
	const void *to = nsh_xe_get(e, NFTNL_EXPR_RANGE_TO_DATA, &tlen);
	bool neq = nsh_xe_u32(e, NFTNL_EXPR_RANGE_OP) == NFT_RANGE_NEQ;
	struct nsh_match *m;
	uint8_t f[16], t[16];

	if (rg && rg->src == SRC_RAW && from && to && flen == tlen &&
	    nsh_dec_xkey_range(d, rg, neq, from, to, flen))
		return;
	if (!rg || rg->src != SRC_KEY || rg->masked || !from || !to || flen > 16 || tlen > 16) {
		nsh_dec_opaque_expr(d, e);
		return;
	}
	if (rg->swapped) {
		for (uint32_t i = 0; i < flen && i < tlen; i++) {
			uint32_t j = (i / rg->swapped) * rg->swapped + rg->swapped - 1 -
				     i % rg->swapped;

			f[i] = ((const uint8_t *)from)[j];
			t[i] = ((const uint8_t *)to)[j];
		}
		from = f;
		to = t;
	}
	m = &nsh_dec_emit(d, NSH_ST_MATCH)->match;
	m->key = rg->key;
	m->op = neq ? NSH_OP_NEQ : NSH_OP_EQ;
	m->rhs = NSH_RHS_RANGE;
	nsh_dec_set_val(&m->val, from, flen, rg->key->len);
	nsh_dec_set_val(&m->hi, to, tlen, rg->key->len);
	take_numgen(m, rg);
	nsh_dec_kill_deps(d, rg->key);
}

/*
 * A set or map whose keys nft stored in network order (hton in units of u
 * bytes) for a host-order key: swapped back, then read as usual.
 */
struct nsh_set *nsh_dec_set_unswapped(const struct nsh_rawset *rs, size_t u, enum nsh_type ktype,
				      size_t ndata, const enum nsh_type dtype[2], size_t poff)
{
	struct nsh_rawset tmp = *rs;
	struct nsh_set *set;
	size_t i, j;

	if (!u)
		return nsh_set_from_raw(rs, ktype, ndata, dtype, poff);

	tmp.e = nsh_xcalloc(rs->n ? rs->n : 1, sizeof(*tmp.e));
	for (i = 0; i < rs->n; i++) {
		tmp.e[i] = rs->e[i];
		for (j = 0; j < rs->e[i].klen; j++)
			tmp.e[i].key[j] = rs->e[i].key[(j / u) * u + u - 1 - j % u];
	}
	set = nsh_set_from_raw(&tmp, ktype, ndata, dtype, poff);
	free(tmp.e);
	return set;
}

/*
 * "ip saddr . tcp dport { 192.0.2.4 . 22, 10.0.0.0/8 . 1-1024 }" or
 * "... @name": a match on a concatenation (from_nftnl_vmap.c types the
 * parts); what natsh cannot type stays an opaque expression.
 */
static void concat_lookup(struct dec *d, const struct nsh_xe *e, const struct reg *rg,
			  const struct nsh_rawset *rs)
{
	const struct nsh_key_def *keys[NSH_CONCAT_MAX];
	unsigned sw = 0;
	int nk = rs->dlen ? -1 : nsh_dec_concat_keys(d, rg, rs->klen, keys, &sw);
	struct nsh_set *set = nk < 0 ? NULL : nsh_dec_concat_set(rs, keys, (size_t)nk, false, sw);
	struct nsh_match *m;

	if (!set) {
		nsh_dec_opaque_expr(d, e);
		return;
	}
	m = &nsh_dec_emit(d, NSH_ST_MATCH)->match;
	m->key = &nsh_key_concat;
	m->op = nsh_xe_u32(e, NFTNL_EXPR_LOOKUP_FLAGS) & NFT_LOOKUP_F_INV ? NSH_OP_NEQ : NSH_OP_EQ;
	m->set = set;
	if (rs->flags & NFT_SET_ANONYMOUS) {
		m->rhs = NSH_RHS_SET;
	} else {
		m->rhs = NSH_RHS_NAMED_SET;
		m->set_name = nsh_xstrdup(rs->name);
	}
	for (int i = 0; i < nk; i++)
		nsh_dec_kill_deps(d, keys[i]);
}

/* lookup: a set match (anonymous, named, negated) or a map feeding a nat statement. */
void nsh_dec_lookup(struct dec *d, const struct nsh_xe *e)
{
	struct reg *rg = nsh_dec_reg(d, e, NFTNL_EXPR_LOOKUP_SREG);
	const char *name = nsh_xe_str(e, NFTNL_EXPR_LOOKUP_SET);
	const struct nsh_rawset *rs = name ? d->env->find_set(d->env->arg, name) : NULL;
	struct nsh_match *m;
	struct nsh_mapkey mk;
	struct reg *dr;
	uint8_t swapped;
	int ds;

	if (!rg || !name) {
		nsh_dec_opaque_expr(d, e);
		return;
	}
	if (nsh_xe_is_set(e, NFTNL_EXPR_LOOKUP_DREG) &&
	    nsh_xe_u32(e, NFTNL_EXPR_LOOKUP_DREG) == NFT_REG_VERDICT) {
		if (rs)
			nsh_dec_vmap(d, e, rg, rs);
		else
			nsh_dec_opaque_expr(d, e);
		return;
	}
	if (nsh_xe_is_set(e, NFTNL_EXPR_LOOKUP_DREG)) {
		ds = nsh_dec_slot(nsh_xe_u32(e, NFTNL_EXPR_LOOKUP_DREG));
		if (ds < 0 || !rs || (rg->src != SRC_KEY && rg->src != SRC_NUMGEN) ||
		    rg->masked || (rg->swapped && !(rs->flags & NFT_SET_INTERVAL))) {
			nsh_dec_opaque_expr(d, e);
			return;
		}
		memset(&mk, 0, sizeof(mk));
		if (rg->src == SRC_KEY && rg->key->kind != NSH_KK_NUMGEN &&
		    rs->klen > ((rg->key->len + 3) & ~3u)) {
			/* a map over a concatenation ("ip saddr . tcp dport map"): not modelled */
			nsh_dec_opaque_expr(d, e);
			return;
		}
		if (rg->src == SRC_NUMGEN || rg->key->kind == NSH_KK_NUMGEN) {
			mk = rg->mk;
		} else {
			mk.kind = NSH_MAPKEY_KEY;
			mk.key = rg->key;
		}
		swapped = rg->swapped;	/* hton before an interval map */
		dr = &d->regs[ds];	/* often the source register itself */
		memset(dr, 0, sizeof(*dr));
		dr->swapped = swapped;
		dr->src = SRC_MAP;
		dr->map = rs;
		dr->mk = mk;
		if (mk.kind == NSH_MAPKEY_KEY)
			nsh_dec_kill_deps(d, mk.key);
		for (int s = ds + 1; s < NSLOTS && s < ds + (int)(rs->dlen + 3) / 4; s++) {
			memset(&d->regs[s], 0, sizeof(d->regs[s]));
			d->regs[s].src = SRC_MAPPART;
			d->regs[s].base = (uint8_t)ds;
		}
		return;
	}
	if (rg->src == SRC_RAW &&
	    nsh_dec_xkey_lookup(d, rg, nsh_xe_u32(e, NFTNL_EXPR_LOOKUP_FLAGS) &
				NFT_LOOKUP_F_INV, rs))
		return;
	if (rg->src != SRC_KEY || rg->masked || rg->loadlen != rg->key->len) {
		nsh_dec_opaque_expr(d, e);
		return;
	}
	if (rs && rs->klen > ((rg->key->len + 3) & ~3u)) {
		concat_lookup(d, e, rg, rs);
		return;
	}
	m = &nsh_dec_emit(d, NSH_ST_MATCH)->match;
	m->key = rg->key;
	m->op = nsh_xe_u32(e, NFTNL_EXPR_LOOKUP_FLAGS) & NFT_LOOKUP_F_INV ?
		NSH_OP_NEQ : NSH_OP_EQ;
	if (rs && (rs->flags & NFT_SET_ANONYMOUS)) {
		enum nsh_type none[2] = { NSH_T_INVALID, NSH_T_INVALID };

		m->rhs = NSH_RHS_SET;
		m->set = nsh_dec_set_unswapped(rs, rg->swapped, rg->key->type, 0, none, 0);
	} else {
		m->rhs = NSH_RHS_NAMED_SET;
		m->set_name = nsh_xstrdup(name);
	}
	take_numgen(m, rg);
	nsh_dec_kill_deps(d, rg->key);
}

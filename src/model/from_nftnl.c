/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * nftnl -> model: the only reader of NFTNL_EXPR_* besides the encoder.
 *
 * A rule's expressions are walked once, tracking what each register holds
 * (a key load, an immediate, a numgen, a map result); relational
 * expressions (cmp, range, lookup) become matches, the rest statements.
 * Afterwards the implicit dependencies nft hides are dropped: "meta nfproto"
 * before ip/ip6 payload in inet tables and the layer 4 protocol match before
 * transport ports; "th" ports under a single tcp/udp context read as tcp/udp.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_nat.h>
#include <libnftnl/rule.h>
#include <libnftnl/expr.h>
#include <libnftnl/udata.h>

#include "model/from_nftnl.h"
#include "lib/buf.h"
#include "lib/util.h"

#define NSLOTS 16
#define NAT_USER_FLAGS (NF_NAT_RANGE_PROTO_RANDOM | NF_NAT_RANGE_PERSISTENT | \
			NF_NAT_RANGE_PROTO_RANDOM_FULLY)

enum src { SRC_NONE, SRC_KEY, SRC_IMM, SRC_NUMGEN, SRC_MAP, SRC_MAPPART, SRC_RAW };

/* What a 32-bit register slot holds at this point of the rule. */
struct reg {
	enum src src;
	const struct nsh_key_def *key;	/* KEY */
	uint8_t loadlen;		/* KEY: bytes loaded (payload prefixes) */
	bool masked;			/* KEY: a bitwise mask was applied */
	uint8_t swapped;		/* KEY: hton'ed in units of this size (lt/gt on marks) */
	uint8_t mask[16];
	struct nsh_val imm;		/* IMM */
	struct nsh_mapkey mk;		/* NUMGEN, MAP */
	const struct nsh_rawset *map;	/* MAP */
	uint8_t base;			/* MAPPART: slot of the map result */
	char raw[40];			/* RAW: how nft would name an unknown load */
};

struct dec {
	const struct nsh_decode_env *env;
	struct nsh_rule *r;
	size_t cap;
	uint64_t hidden;		/* statements to drop (first 64) */
	struct reg regs[NSLOTS];
	int l3dep, l4dep;		/* index of a dependency candidate or -1 */
	uint8_t l3ctx, l4ctx;		/* protocol context from single-value matches */
	int last_cmp, last_slot;	/* for cmp gte + cmp lte = range */
};

/* 16-byte NFT_REG_n and 4-byte NFT_REG32_nn name the same storage. */
static int slot_of(uint32_t reg)
{
	if (reg >= NFT_REG32_00 && reg < NFT_REG32_00 + NSLOTS)
		return (int)(reg - NFT_REG32_00);
	if (reg >= NFT_REG_1 && reg <= NFT_REG_4)
		return (int)(reg - NFT_REG_1) * 4;
	return -1;
}

/* The register slot an expression attribute names, or NULL when unset/invalid. */
static struct reg *reg_at(struct dec *d, const struct nftnl_expr *e, uint16_t attr)
{
	int s;

	if (!nftnl_expr_is_set(e, attr))
		return NULL;
	s = slot_of(nftnl_expr_get_u32(e, attr));
	return s < 0 ? NULL : &d->regs[s];
}

/* Append a zeroed statement; a non-match statement ends dependency hiding (as in nft). */
static struct nsh_stmt *emit(struct dec *d, enum nsh_stmt_kind kind)
{
	struct nsh_rule *r = d->r;
	struct nsh_stmt *s;

	if (r->nstmts == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		r->stmts = nsh_xrealloc(r->stmts, d->cap * sizeof(*r->stmts));
	}
	s = &r->stmts[r->nstmts++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	if (kind != NSH_ST_MATCH && kind != NSH_ST_OPAQUE)
		d->l3dep = d->l4dep = -1;	/* nft hides nothing across a statement */
	return s;
}

/* Append an opaque statement taking the buffer's text; the rule can no longer be re-encoded. */
static void emit_opaque(struct dec *d, struct nsh_buf *text)
{
	struct nsh_stmt *s = emit(d, NSH_ST_OPAQUE);

	s->opaque.text = nsh_buf_steal(text);
	d->r->opaque = true;
}

/* Bytes as 0x... in memory order. */
static void put_hex(struct nsh_buf *b, const uint8_t *p, size_t n)
{
	size_t i;

	nsh_buf_puts(b, "0x");
	for (i = 0; i < n; i++)
		nsh_buf_printf(b, "%02x", p[i]);
}

/* Best-effort text of an expression natsh does not model, like nft --debug. */
static void opaque_expr(struct dec *d, const struct nftnl_expr *e)
{
	struct nsh_buf b;
	char tmp[256];

	nsh_buf_init(&b);
	d->l3dep = d->l4dep = -1;
	nftnl_expr_snprintf(tmp, sizeof(tmp), e, NFTNL_OUTPUT_DEFAULT, 0);
	nsh_buf_printf(&b, "[ %s %s ]", nftnl_expr_get_str(e, NFTNL_EXPR_NAME), tmp);
	emit_opaque(d, &b);
}

/* The key of a meta or ct load, or NULL when natsh has none. */
static const struct nsh_key_def *key_find(enum nsh_key_kind kind, uint32_t nl_key)
{
	size_t i;

	for (i = 0; i < __NSH_K_MAX; i++)
		if (nsh_keys[i].kind == kind && nsh_keys[i].nl_key == nl_key)
			return &nsh_keys[i];
	return NULL;
}

/* The payload key at base/offset: family decides network keys, context transport. */
static const struct nsh_key_def *key_payload(struct dec *d, uint32_t base, uint32_t off,
					     uint32_t len)
{
	const struct nsh_key_def *th = NULL;
	size_t i;

	for (i = 0; i < __NSH_K_MAX; i++) {
		const struct nsh_key_def *k = &nsh_keys[i];

		if (k->kind != NSH_KK_PAYLOAD || k->nl_key != base || k->offset != off ||
		    len == 0 || len > k->len)
			continue;
		if (base == NFT_PAYLOAD_NETWORK_HEADER) {
			if (d->env->family != NSH_FAM_INET && k->nfproto_dep != d->env->family)
				continue;
			return k;
		}
		if (len != k->len)
			continue;
		if (k->l4proto_dep == 0)
			th = k;
		else if (k->l4proto_dep == d->l4ctx)
			return k;
	}
	return th;
}

/* Mark a statement as an implicit dependency to drop at the end. */
static void hide(struct dec *d, int idx)
{
	if (idx >= 0 && idx < 64)
		d->hidden |= 1ULL << idx;
}

/* A match on key makes an earlier protocol match implicit, as nft prints it. */
static void kill_deps(struct dec *d, const struct nsh_key_def *key)
{
	if (key->kind != NSH_KK_PAYLOAD)
		return;
	if (key->nfproto_dep && d->env->family == NSH_FAM_INET && d->l3dep >= 0 &&
	    d->l3ctx == key->nfproto_dep) {
		hide(d, d->l3dep);
		d->l3dep = -1;
	}
	if (key->l4proto_dep && d->l4dep >= 0 && d->l4ctx == key->l4proto_dep) {
		hide(d, d->l4dep);
		d->l4dep = -1;
	}
}

/* Copy register data into a value, its length forced to want when non-zero. */
static void set_val(struct nsh_val *v, const void *data, size_t len, size_t want)
{
	memset(v, 0, sizeof(*v));
	if (len > sizeof(v->data))
		len = sizeof(v->data);
	memcpy(v->data, data, len);
	v->len = (uint8_t)(want ? want : len);
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
	emit_opaque(d, &b);
	if (rg && rg->src == SRC_KEY)
		kill_deps(d, rg->key);
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

/* cmp: a match (value, prefix, bitmask, or the second half of a gte/lte range). */
static void do_cmp(struct dec *d, const struct nftnl_expr *e)
{
	struct reg *rg = reg_at(d, e, NFTNL_EXPR_CMP_SREG);
	enum nsh_op op = cmp_op(nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP));
	uint32_t len = 0;
	const uint8_t *data = nftnl_expr_get(e, NFTNL_EXPR_CMP_DATA, &len);
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
	if (op == NSH_OP_LTE && d->last_cmp == (int)d->r->nstmts - 1 && d->last_slot == slot) {
		m = &d->r->stmts[d->last_cmp].match;
		if (m->op == NSH_OP_GTE && m->rhs == NSH_RHS_VALUE && !m->bitmask) {
			m->op = NSH_OP_EQ;
			m->rhs = NSH_RHS_RANGE;
			set_val(&m->hi, data, len, key->len);
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
			m = &emit(d, NSH_ST_MATCH)->match;
			m->key = key;
			m->bitmask = true;
			m->op = op == NSH_OP_NEQ ? NSH_OP_EQ : NSH_OP_NEQ;
			set_val(&m->val, rg->mask, key->len, key->len);
			goto done;
		}
		if (!isaddr || plen < 0 || (op != NSH_OP_EQ && op != NSH_OP_NEQ)) {
			opaque_cmp(d, rg, op, data, len);
			return;
		}
		m = &emit(d, NSH_ST_MATCH)->match;
		m->key = key;
		m->op = op;
		m->rhs = NSH_RHS_PREFIX;
		m->plen = (uint8_t)plen;
		set_val(&m->val, data, len, key->len);
		goto done;
	}
	m = &emit(d, NSH_ST_MATCH)->match;
	m->key = key;
	m->op = op;
	if (key->kind == NSH_KK_PAYLOAD && rg->loadlen < key->len) {
		m->rhs = NSH_RHS_PREFIX;
		m->plen = (uint8_t)(rg->loadlen * 8);
		set_val(&m->val, data, len, key->len);
	} else {
		m->rhs = NSH_RHS_VALUE;
		set_val(&m->val, data, len, key->type == NSH_T_IFNAME ? 0 : key->len);
	}
done:
	kill_deps(d, key);
	note_ctx(d, m);
	d->last_cmp = (int)d->r->nstmts - 1;
	d->last_slot = slot;
}

/* range: "80-90" or "!= 80-90". */
static void do_range(struct dec *d, const struct nftnl_expr *e)
{
	struct reg *rg = reg_at(d, e, NFTNL_EXPR_RANGE_SREG);
	uint32_t flen = 0, tlen = 0;
	const void *from = nftnl_expr_get(e, NFTNL_EXPR_RANGE_FROM_DATA, &flen);
	const void *to = nftnl_expr_get(e, NFTNL_EXPR_RANGE_TO_DATA, &tlen);
	struct nsh_match *m;

	uint8_t f[16], t[16];

	if (!rg || rg->src != SRC_KEY || rg->masked || !from || !to || flen > 16 || tlen > 16) {
		opaque_expr(d, e);
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
	m = &emit(d, NSH_ST_MATCH)->match;
	m->key = rg->key;
	m->op = nftnl_expr_get_u32(e, NFTNL_EXPR_RANGE_OP) == NFT_RANGE_NEQ ?
		NSH_OP_NEQ : NSH_OP_EQ;
	m->rhs = NSH_RHS_RANGE;
	set_val(&m->val, from, flen, rg->key->len);
	set_val(&m->hi, to, tlen, rg->key->len);
	kill_deps(d, rg->key);
}

/* Keys of a set nft stored in network order for a host-order type. */
static struct nsh_set *set_unswapped(const struct nsh_rawset *rs, const struct reg *rg,
				     const enum nsh_type none[2])
{
	struct nsh_rawset tmp = *rs;
	struct nsh_set *set;
	size_t i, j, u = rg->swapped;

	tmp.e = nsh_xcalloc(rs->n ? rs->n : 1, sizeof(*tmp.e));
	for (i = 0; i < rs->n; i++) {
		tmp.e[i] = rs->e[i];
		for (j = 0; j < rs->e[i].klen; j++)
			tmp.e[i].key[j] = rs->e[i].key[(j / u) * u + u - 1 - j % u];
	}
	set = nsh_set_from_raw(&tmp, rg->key->type, 0, none, 0);
	free(tmp.e);
	return set;
}

/* qsort order of raw elements: by key bytes. */
static int raw_cmp(const void *a, const void *b)
{
	return memcmp(((const struct nsh_rawelem *)a)->key, ((const struct nsh_rawelem *)b)->key,
		      sizeof(((const struct nsh_rawelem *)a)->key));
}

/*
 * "ip saddr . tcp dport { 1.2.3.4 . 22 }": outside the model (SPEC 5 has no
 * concatenations), kept as readable opaque text.
 */
static void concat_lookup(struct dec *d, const struct nftnl_expr *e, const struct reg *rg,
			  const struct nsh_rawset *rs)
{
	const struct nsh_key_def *keys[4];
	size_t nk = 0, total = 0, i, j, off;
	int slot = (int)(rg - d->regs);
	struct nsh_rawelem *v;
	struct nsh_buf b;

	while (total < rs->klen && nk < 4 && slot < NSLOTS) {
		const struct reg *p = &d->regs[slot];

		if (p->src != SRC_KEY || p->masked || p->swapped || p->loadlen != p->key->len)
			break;
		keys[nk++] = p->key;
		total += (p->key->len + 3) & ~3u;
		slot += (int)((p->key->len + 3) / 4);
	}
	if (total != rs->klen || (rs->flags & NFT_SET_INTERVAL) || rs->dlen) {
		opaque_expr(d, e);
		return;
	}
	nsh_buf_init(&b);
	for (i = 0; i < nk; i++) {
		nsh_buf_printf(&b, "%s%s", i ? " . " : "", keys[i]->name);
		kill_deps(d, keys[i]);
	}
	if (nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_FLAGS) & NFT_LOOKUP_F_INV)
		nsh_buf_puts(&b, " !=");
	if (!(rs->flags & NFT_SET_ANONYMOUS)) {
		nsh_buf_printf(&b, " @%s", rs->name);
		emit_opaque(d, &b);
		return;
	}
	v = nsh_xcalloc(rs->n ? rs->n : 1, sizeof(*v));
	memcpy(v, rs->e, rs->n * sizeof(*v));
	qsort(v, rs->n, sizeof(*v), raw_cmp);
	nsh_buf_puts(&b, " { ");
	for (i = 0; i < rs->n; i++) {
		nsh_buf_puts(&b, i ? ", " : "");
		for (j = off = 0; j < nk; j++) {
			nsh_buf_puts(&b, j ? " . " : "");
			opaque_val(keys[j]->type, v[i].key + off, keys[j]->len, &b);
			off += (keys[j]->len + 3) & ~3u;
		}
	}
	nsh_buf_puts(&b, " }");
	free(v);
	emit_opaque(d, &b);
}

/* lookup: a set match (anonymous, named, negated) or a map feeding a nat statement. */
static void do_lookup(struct dec *d, const struct nftnl_expr *e)
{
	struct reg *rg = reg_at(d, e, NFTNL_EXPR_LOOKUP_SREG);
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET);
	const struct nsh_rawset *rs = name ? d->env->find_set(d->env->arg, name) : NULL;
	struct nsh_match *m;
	struct nsh_mapkey mk;
	struct reg *dr;
	int ds;

	if (!rg || !name) {
		opaque_expr(d, e);
		return;
	}
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOOKUP_DREG)) {
		ds = slot_of(nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_DREG));
		if (ds < 0 || !rs || (rg->src != SRC_KEY && rg->src != SRC_NUMGEN) ||
		    rg->masked || rg->swapped) {
			opaque_expr(d, e);
			return;
		}
		memset(&mk, 0, sizeof(mk));
		if (rg->src == SRC_NUMGEN) {
			mk = rg->mk;
		} else {
			mk.kind = NSH_MAPKEY_KEY;
			mk.key = rg->key;
		}
		dr = &d->regs[ds];	/* often the source register itself */
		memset(dr, 0, sizeof(*dr));
		dr->src = SRC_MAP;
		dr->map = rs;
		dr->mk = mk;
		if (mk.kind == NSH_MAPKEY_KEY)
			kill_deps(d, mk.key);
		for (int s = ds + 1; s < NSLOTS && s < ds + (int)(rs->dlen + 3) / 4; s++) {
			memset(&d->regs[s], 0, sizeof(d->regs[s]));
			d->regs[s].src = SRC_MAPPART;
			d->regs[s].base = (uint8_t)ds;
		}
		return;
	}
	if (rg->src != SRC_KEY || rg->masked || rg->loadlen != rg->key->len) {
		opaque_expr(d, e);
		return;
	}
	if (rs && rs->klen > ((rg->key->len + 3) & ~3u)) {
		concat_lookup(d, e, rg, rs);
		return;
	}
	m = &emit(d, NSH_ST_MATCH)->match;
	m->key = rg->key;
	m->op = nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_FLAGS) & NFT_LOOKUP_F_INV ?
		NSH_OP_NEQ : NSH_OP_EQ;
	if (rs && (rs->flags & NFT_SET_ANONYMOUS)) {
		enum nsh_type none[2] = { NSH_T_INVALID, NSH_T_INVALID };

		m->rhs = NSH_RHS_SET;
		m->set = rg->swapped ? set_unswapped(rs, rg, none) :
			 nsh_set_from_raw(rs, rg->key->type, 0, none, 0);
	} else {
		m->rhs = NSH_RHS_NAMED_SET;
		m->set_name = nsh_xstrdup(name);
	}
	kill_deps(d, rg->key);
}

/* Address range -> value, prefix (as nft prints exact prefixes) or range. */
static void nat_addr_classify(struct nsh_nat *n)
{
	int plen;

	if (memcmp(n->addr_min.data, n->addr_max.data, n->addr_min.len) == 0) {
		n->addr = NSH_NAT_ADDR_VALUE;
		return;
	}
	plen = nsh_range_plen(&n->addr_min, &n->addr_max);
	if (plen >= 0) {
		n->addr = NSH_NAT_ADDR_PREFIX;
		n->addr_plen = (uint8_t)plen;
	} else {
		n->addr = NSH_NAT_ADDR_RANGE;
	}
}

/* A port held in a register (network order). */
static uint16_t reg_port(const struct reg *rg)
{
	return (uint16_t)(rg->imm.data[0] << 8 | rg->imm.data[1]);
}

/* Ports from proto_min/max registers (immediates); false when not understood. */
static bool nat_ports(struct dec *d, const struct nftnl_expr *e, uint16_t amin, uint16_t amax,
		      struct nsh_nat *n)
{
	struct reg *pmin = reg_at(d, e, amin), *pmax = reg_at(d, e, amax);

	if (!pmin)
		return true;
	if (pmin->src != SRC_IMM || (pmax && pmax->src != SRC_IMM))
		return false;
	n->has_port = true;
	n->port_min = reg_port(pmin);
	n->port_max = pmax ? reg_port(pmax) : n->port_min;
	return true;
}

/*
 * "dnat to tcp dport map @name": a named map is not part of the model
 * (its elements live in the kernel), so the statement is kept as text.
 */
static void named_map_nat(struct dec *d, const struct nsh_nat *n, const struct reg *amin,
			  uint8_t family)
{
	struct nsh_buf b;

	nsh_buf_init(&b);
	nsh_buf_printf(&b, "%s%s to ", n->type == NSH_NAT_SNAT ? "snat" : "dnat",
		       family == NFPROTO_IPV4 ? " ip" : family == NFPROTO_IPV6 ? " ip6" : "");
	if (amin->mk.kind == NSH_MAPKEY_KEY)
		nsh_buf_puts(&b, amin->mk.key->name);
	else
		nsh_buf_printf(&b, "numgen %s mod %u", amin->mk.numgen_type == NFT_NG_RANDOM ?
			       "random" : "inc", amin->mk.numgen_mod);
	if (amin->mk.kind != NSH_MAPKEY_KEY && amin->mk.numgen_offset)
		nsh_buf_printf(&b, " offset %u", amin->mk.numgen_offset);
	nsh_buf_printf(&b, " map @%s", amin->map->name);
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM)
		nsh_buf_puts(&b, " random");
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY)
		nsh_buf_printf(&b, "%sfully-random",
			       n->flags & NF_NAT_RANGE_PROTO_RANDOM ? "," : " ");
	if (n->flags & NF_NAT_RANGE_PERSISTENT)
		nsh_buf_printf(&b, "%spersistent",
			       n->flags & (NF_NAT_RANGE_PROTO_RANDOM |
					   NF_NAT_RANGE_PROTO_RANDOM_FULLY) ? "," : " ");
	emit_opaque(d, &b);
	d->l3dep = d->l4dep = -1;
}

/* nat/masq/redir with their registers: addresses, ports, maps, flags. */
static void do_nat(struct dec *d, const struct nftnl_expr *e)
{
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	struct nsh_nat n;
	struct nsh_stmt *s;
	struct reg *amin, *amax, *pmin;
	uint32_t fam;
	size_t alen;

	memset(&n, 0, sizeof(n));
	if (strcmp(name, "masq") == 0 || strcmp(name, "redir") == 0) {
		bool masq = name[0] == 'm';

		n.type = masq ? NSH_NAT_MASQ : NSH_NAT_REDIR;
		n.flags = nftnl_expr_get_u32(e, masq ? NFTNL_EXPR_MASQ_FLAGS :
					     NFTNL_EXPR_REDIR_FLAGS) & NAT_USER_FLAGS;
		if (!nat_ports(d, e, masq ? NFTNL_EXPR_MASQ_REG_PROTO_MIN :
			       NFTNL_EXPR_REDIR_REG_PROTO_MIN,
			       masq ? NFTNL_EXPR_MASQ_REG_PROTO_MAX :
			       NFTNL_EXPR_REDIR_REG_PROTO_MAX, &n))
			goto opaque;
		goto out;
	}
	n.type = nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_TYPE) == NFT_NAT_SNAT ?
		 NSH_NAT_SNAT : NSH_NAT_DNAT;
	n.flags = nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_FLAGS) & NAT_USER_FLAGS;
	fam = nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_FAMILY);
	alen = fam == NFPROTO_IPV6 ? 16 : 4;
	amin = reg_at(d, e, NFTNL_EXPR_NAT_REG_ADDR_MIN);
	amax = reg_at(d, e, NFTNL_EXPR_NAT_REG_ADDR_MAX);
	pmin = reg_at(d, e, NFTNL_EXPR_NAT_REG_PROTO_MIN);
	if (d->env->family == NSH_FAM_INET)
		n.family = (uint8_t)fam;
	if (amin && amin->src == SRC_MAP && !(amin->map->flags & NFT_SET_ANONYMOUS)) {
		named_map_nat(d, &n, amin, pmin && pmin->src == SRC_MAPPART ? (uint8_t)fam : n.family);
		return;
	}
	if (amin && amin->src == SRC_MAP) {
		enum nsh_type dt[2] = { alen == 16 ? NSH_T_IPV6 : NSH_T_IPV4, NSH_T_INVALID };
		enum nsh_type kt = amin->mk.kind == NSH_MAPKEY_NUMGEN ? NSH_T_INTEGER :
				   amin->mk.key->type;
		size_t poff = 0, nd = 1;

		if (pmin && pmin->src == SRC_MAPPART && pmin->base == amin - d->regs) {
			dt[1] = NSH_T_PORT;
			nd = 2;
			poff = (size_t)((pmin - d->regs) - pmin->base) * 4;
			n.family = (uint8_t)fam;	/* nft names it for concatenations */
		} else if (!nat_ports(d, e, NFTNL_EXPR_NAT_REG_PROTO_MIN,
				      NFTNL_EXPR_NAT_REG_PROTO_MAX, &n)) {
			goto opaque;
		}
		n.addr = NSH_NAT_ADDR_MAP;
		n.mapkey = amin->mk;
		n.map = nsh_set_from_raw(amin->map, kt, nd, dt, poff);
		goto out;
	}
	if (amin) {
		if (amin->src != SRC_IMM || (amax && amax->src != SRC_IMM))
			goto opaque;
		set_val(&n.addr_min, amin->imm.data, alen, alen);
		set_val(&n.addr_max, (amax ? amax : amin)->imm.data, alen, alen);
		nat_addr_classify(&n);
	}
	if (!nat_ports(d, e, NFTNL_EXPR_NAT_REG_PROTO_MIN, NFTNL_EXPR_NAT_REG_PROTO_MAX, &n))
		goto opaque;
out:
	s = emit(d, NSH_ST_NAT);
	s->nat = n;
	return;
opaque:
	opaque_expr(d, e);
}

/* immediate: a verdict, or data loaded into a register for a later statement. */
static void do_immediate(struct dec *d, const struct nftnl_expr *e)
{
	uint32_t dreg = nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_DREG);
	struct nsh_stmt *s;
	uint32_t len = 0;
	const void *data;
	int slot;

	if (dreg == NFT_REG_VERDICT) {
		int32_t v = (int32_t)nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT);
		const char *chain = nftnl_expr_get_str(e, NFTNL_EXPR_IMM_CHAIN);

		s = emit(d, NSH_ST_VERDICT);
		switch (v) {
		case NF_ACCEPT:		s->verdict.code = NSH_V_ACCEPT; break;
		case NF_DROP:		s->verdict.code = NSH_V_DROP; break;
		case NFT_RETURN:	s->verdict.code = NSH_V_RETURN; break;
		case NFT_JUMP:		s->verdict.code = NSH_V_JUMP; break;
		case NFT_GOTO:		s->verdict.code = NSH_V_GOTO; break;
		default:		s->verdict.code = NSH_V_CONTINUE; break;
		}
		if (chain && (v == NFT_JUMP || v == NFT_GOTO))
			s->verdict.chain = nsh_xstrdup(chain);
		return;
	}
	slot = slot_of(dreg);
	data = nftnl_expr_get(e, NFTNL_EXPR_IMM_DATA, &len);
	if (slot < 0 || !data) {
		opaque_expr(d, e);
		return;
	}
	memset(&d->regs[slot], 0, sizeof(d->regs[slot]));
	d->regs[slot].src = SRC_IMM;
	set_val(&d->regs[slot].imm, data, len, 0);
}

/* "meta mark set 0x..." / "ct mark set 0x...": common enough to read well. */
static void do_set_stmt(struct dec *d, const struct nftnl_expr *e, const char *what,
			const struct nsh_key_def *key, uint16_t sreg)
{
	struct reg *rg = reg_at(d, e, sreg);
	struct nsh_buf b;
	uint32_t v;

	if (!key || key->type != NSH_T_MARK || !rg || rg->src != SRC_IMM) {
		opaque_expr(d, e);
		return;
	}
	memcpy(&v, rg->imm.data, 4);
	d->l3dep = d->l4dep = -1;
	nsh_buf_init(&b);
	nsh_buf_printf(&b, "%s set 0x%08x", what, v);
	emit_opaque(d, &b);
}

/* A register now holds a key load (or an unknown load named as nft would). */
static void load_key(struct dec *d, const struct nftnl_expr *e, uint16_t dattr,
		     const struct nsh_key_def *key, uint32_t loadlen, const char *raw)
{
	struct reg *rg = reg_at(d, e, dattr);

	if (!rg)
		return;
	memset(rg, 0, sizeof(*rg));
	if (key) {
		rg->src = SRC_KEY;
		rg->key = key;
		rg->loadlen = (uint8_t)(loadlen ? loadlen : key->len);
	} else {
		rg->src = SRC_RAW;
		rg->loadlen = (uint8_t)(loadlen > 16 ? 16 : loadlen);
		snprintf(rg->raw, sizeof(rg->raw), "%s", raw);
	}
}

/* payload load: the key at that header offset (family and l4 context decide). */
static void do_payload(struct dec *d, const struct nftnl_expr *e)
{
	uint32_t base = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_BASE);
	uint32_t off = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET);
	uint32_t len = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_LEN);
	static const char *const bases[] = { "ll", "nh", "th", "ih" };
	char raw[40];

	if (!nftnl_expr_is_set(e, NFTNL_EXPR_PAYLOAD_DREG)) {
		opaque_expr(d, e);
		return;
	}
	snprintf(raw, sizeof(raw), "@%s,%u,%u", base < 4 ? bases[base] : "?", off * 8, len * 8);
	load_key(d, e, NFTNL_EXPR_PAYLOAD_DREG, key_payload(d, base, off, len), len, raw);
}

/* meta load (a key) or meta set (a statement). */
static void do_meta(struct dec *d, const struct nftnl_expr *e)
{
	uint32_t k = nftnl_expr_get_u32(e, NFTNL_EXPR_META_KEY);
	char raw[40];

	if (nftnl_expr_is_set(e, NFTNL_EXPR_META_SREG)) {
		do_set_stmt(d, e, "meta mark", k == NFT_META_MARK ? key_find(NSH_KK_META, k) : NULL,
			    NFTNL_EXPR_META_SREG);
		return;
	}
	snprintf(raw, sizeof(raw), "meta %u", k);
	load_key(d, e, NFTNL_EXPR_META_DREG, key_find(NSH_KK_META, k), 0, raw);
}

/* ct load (original direction only) or ct set. */
static void do_ct(struct dec *d, const struct nftnl_expr *e)
{
	uint32_t k = nftnl_expr_get_u32(e, NFTNL_EXPR_CT_KEY);
	const struct nsh_key_def *key = key_find(NSH_KK_CT, k);
	char raw[40];

	if (nftnl_expr_is_set(e, NFTNL_EXPR_CT_SREG)) {
		do_set_stmt(d, e, "ct mark", k == NFT_CT_MARK ? key : NULL, NFTNL_EXPR_CT_SREG);
		return;
	}
	if (nftnl_expr_is_set(e, NFTNL_EXPR_CT_DIR))
		key = NULL;
	snprintf(raw, sizeof(raw), "ct %u", k);
	load_key(d, e, NFTNL_EXPR_CT_DREG, key, 0, raw);
}

/* fib ... type: the key matching the fib flags exactly. */
static void do_fib(struct dec *d, const struct nftnl_expr *e)
{
	uint32_t res = nftnl_expr_get_u32(e, NFTNL_EXPR_FIB_RESULT);
	uint32_t flags = nftnl_expr_get_u32(e, NFTNL_EXPR_FIB_FLAGS);
	const struct nsh_key_def *key = NULL;
	size_t i;

	for (i = 0; i < __NSH_K_MAX; i++)
		if (nsh_keys[i].kind == NSH_KK_FIB && nsh_keys[i].nl_key == res &&
		    nsh_keys[i].fib_flags == flags)
			key = &nsh_keys[i];
	load_key(d, e, NFTNL_EXPR_FIB_DREG, key, 0, "fib");
}

/* bitwise AND mask: a prefix or bitmask to be read by the following cmp. */
static void do_bitwise(struct dec *d, const struct nftnl_expr *e)
{
	struct reg *src = reg_at(d, e, NFTNL_EXPR_BITWISE_SREG);
	struct reg *dst = reg_at(d, e, NFTNL_EXPR_BITWISE_DREG);
	uint32_t mlen = 0, xlen = 0, i;
	const uint8_t *mask = nftnl_expr_get(e, NFTNL_EXPR_BITWISE_MASK, &mlen);
	const uint8_t *xor = nftnl_expr_get(e, NFTNL_EXPR_BITWISE_XOR, &xlen);
	struct reg tmp;

	if (!src || !dst || (src->src != SRC_KEY && src->src != SRC_RAW) || src->masked ||
	    !mask || !xor || mlen > 16 ||
	    (nftnl_expr_is_set(e, NFTNL_EXPR_BITWISE_OP) &&
	     nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_OP) != NFT_BITWISE_BOOL)) {
		opaque_expr(d, e);
		if (dst)
			memset(dst, 0, sizeof(*dst));
		return;
	}
	for (i = 0; i < xlen; i++)
		if (xor[i])
			break;
	tmp = *src;
	tmp.masked = true;
	tmp.loadlen = (uint8_t)mlen;
	memcpy(tmp.mask, mask, mlen);
	*dst = tmp;
	if (i < xlen) {
		opaque_expr(d, e);
		memset(dst, 0, sizeof(*dst));
	}
}

/* nft swaps host-order values to compare them as numbers: undo it at the cmp. */
static void do_byteorder(struct dec *d, const struct nftnl_expr *e)
{
	struct reg *src = reg_at(d, e, NFTNL_EXPR_BYTEORDER_SREG);
	struct reg *dst = reg_at(d, e, NFTNL_EXPR_BYTEORDER_DREG);
	uint32_t size = nftnl_expr_get_u32(e, NFTNL_EXPR_BYTEORDER_SIZE);
	struct reg tmp;

	if (!src || !dst || src->src != SRC_KEY || src->swapped || src->masked ||
	    nftnl_expr_get_u32(e, NFTNL_EXPR_BYTEORDER_OP) != NFT_BYTEORDER_HTON ||
	    (size != 2 && size != 4 && size != 8)) {
		opaque_expr(d, e);
		if (dst)
			memset(dst, 0, sizeof(*dst));
		return;
	}
	tmp = *src;
	tmp.swapped = (uint8_t)size;
	*dst = tmp;
}

/* numgen: the key of a following map lookup. */
static void do_numgen(struct dec *d, const struct nftnl_expr *e)
{
	struct reg *rg = reg_at(d, e, NFTNL_EXPR_NG_DREG);

	if (!rg) {
		opaque_expr(d, e);
		return;
	}
	memset(rg, 0, sizeof(*rg));
	rg->src = SRC_NUMGEN;
	rg->mk.kind = NSH_MAPKEY_NUMGEN;
	rg->mk.numgen_type = nftnl_expr_get_u32(e, NFTNL_EXPR_NG_TYPE);
	rg->mk.numgen_mod = nftnl_expr_get_u32(e, NFTNL_EXPR_NG_MODULUS);
	rg->mk.numgen_offset = nftnl_expr_get_u32(e, NFTNL_EXPR_NG_OFFSET);
}

/* iptables-nft: translated as nft translates it when natsh knows how. */
static void do_xt(struct dec *d, const struct nftnl_expr *e, bool target)
{
	const char *name = nftnl_expr_get_str(e, target ? NFTNL_EXPR_TG_NAME : NFTNL_EXPR_MT_NAME);
	uint32_t rev = nftnl_expr_get_u32(e, target ? NFTNL_EXPR_TG_REV : NFTNL_EXPR_MT_REV);
	uint32_t len = 0;
	const void *info = nftnl_expr_get(e, target ? NFTNL_EXPR_TG_INFO : NFTNL_EXPR_MT_INFO,
					  &len);
	struct nsh_stmt st;
	struct nsh_buf b;

	d->r->xt = true;
	d->l3dep = d->l4dep = -1;
	if (name && info && target &&
	    nsh_xt_target_decode(name, rev, info, len, d->env->family, &st) == 0) {
		*emit(d, NSH_ST_NAT) = st;
		return;
	}
	nsh_buf_init(&b);
	if (!name || !info || target ||
	    nsh_xt_match_xlate(name, rev, info, len, d->l4ctx, &b) < 0) {
		nsh_buf_reset(&b);
		nsh_buf_printf(&b, "xt %s \"%s\"", target ? "target" : "match", name ? name : "?");
	}
	emit_opaque(d, &b);
}

/* "log prefix ... level ..." and "limit rate ...": common beside NAT rules. */
static void do_log(struct dec *d, const struct nftnl_expr *e)
{
	static const char *const levels[] = {
		"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit",
	};
	struct nsh_buf b;
	uint32_t lvl;

	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_FLAGS) &&
	    nftnl_expr_get_u32(e, NFTNL_EXPR_LOG_FLAGS)) {
		opaque_expr(d, e);
		return;
	}
	d->l3dep = d->l4dep = -1;
	nsh_buf_init(&b);
	nsh_buf_puts(&b, "log");
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_PREFIX))
		nsh_buf_printf(&b, " prefix \"%s\"", nftnl_expr_get_str(e, NFTNL_EXPR_LOG_PREFIX));
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_GROUP))
		nsh_buf_printf(&b, " group %u", nftnl_expr_get_u16(e, NFTNL_EXPR_LOG_GROUP));
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_LEVEL)) {
		lvl = nftnl_expr_get_u32(e, NFTNL_EXPR_LOG_LEVEL);
		if (lvl != 4)
			nsh_buf_printf(&b, " level %s", lvl < 9 ? levels[lvl] : "?");
	}
	emit_opaque(d, &b);
}

/* limit rate N/unit (packets), as nft prints it. */
static void do_limit(struct dec *d, const struct nftnl_expr *e)
{
	static const struct { uint64_t secs; const char *name; } units[] = {
		{ 1, "second" }, { 60, "minute" }, { 3600, "hour" }, { 86400, "day" },
		{ 604800, "week" },
	};
	uint64_t unit = nftnl_expr_get_u64(e, NFTNL_EXPR_LIMIT_UNIT);
	uint32_t burst = nftnl_expr_get_u32(e, NFTNL_EXPR_LIMIT_BURST);
	struct nsh_buf b;
	size_t i;

	for (i = 0; i < NSH_ARRAY_SIZE(units) && units[i].secs != unit; i++)
		;
	if (i == NSH_ARRAY_SIZE(units) ||
	    nftnl_expr_get_u32(e, NFTNL_EXPR_LIMIT_TYPE) != NFT_LIMIT_PKTS) {
		opaque_expr(d, e);
		return;
	}
	d->l3dep = d->l4dep = -1;
	nsh_buf_init(&b);
	nsh_buf_printf(&b, "limit rate %s%llu/%s",
		       nftnl_expr_get_u32(e, NFTNL_EXPR_LIMIT_FLAGS) & NFT_LIMIT_F_INV ? "over " : "",
		       (unsigned long long)nftnl_expr_get_u64(e, NFTNL_EXPR_LIMIT_RATE),
		       units[i].name);
	if (burst != 5 && burst != 0)
		nsh_buf_printf(&b, " burst %u packets", burst);
	emit_opaque(d, &b);
}

/* Dispatch one expression to its decoder. */
static int expr_cb(struct nftnl_expr *e, void *arg)
{
	struct dec *d = arg;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	struct nsh_stmt *s;

	if (!name)
		return 0;
	if (strcmp(name, "cmp") != 0)
		d->last_cmp = -1;	/* gte + lte pair up only when adjacent */
	if (strcmp(name, "payload") == 0) {
		do_payload(d, e);
	} else if (strcmp(name, "meta") == 0) {
		do_meta(d, e);
	} else if (strcmp(name, "cmp") == 0) {
		do_cmp(d, e);
	} else if (strcmp(name, "immediate") == 0) {
		do_immediate(d, e);
	} else if (strcmp(name, "counter") == 0) {
		s = emit(d, NSH_ST_COUNTER);
		s->counter.packets = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
		s->counter.bytes = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES);
		if (!d->r->has_counter) {
			d->r->has_counter = true;
			d->r->packets = s->counter.packets;
			d->r->bytes = s->counter.bytes;
		}
	} else if (strcmp(name, "lookup") == 0) {
		do_lookup(d, e);
	} else if (strcmp(name, "nat") == 0 || strcmp(name, "masq") == 0 ||
		   strcmp(name, "redir") == 0) {
		do_nat(d, e);
	} else if (strcmp(name, "ct") == 0) {
		do_ct(d, e);
	} else if (strcmp(name, "bitwise") == 0) {
		do_bitwise(d, e);
	} else if (strcmp(name, "range") == 0) {
		do_range(d, e);
	} else if (strcmp(name, "fib") == 0) {
		do_fib(d, e);
	} else if (strcmp(name, "log") == 0) {
		do_log(d, e);
	} else if (strcmp(name, "limit") == 0) {
		do_limit(d, e);
	} else if (strcmp(name, "byteorder") == 0) {
		do_byteorder(d, e);
	} else if (strcmp(name, "numgen") == 0) {
		do_numgen(d, e);
	} else if (strcmp(name, "match") == 0 || strcmp(name, "target") == 0) {
		do_xt(d, e, name[0] == 't');
	} else {
		opaque_expr(d, e);
	}
	return 0;
}

/* Pick the comment out of a rule's user data. */
static int udata_cb(const struct nftnl_udata *attr, void *data)
{
	const struct nftnl_udata **tb = data;
	uint8_t type = nftnl_udata_type(attr);

	if (type == NFTNL_UDATA_RULE_COMMENT)
		tb[type] = attr;
	return 0;
}

/* The rule comment nft stores in the rule's user data. */
static void rule_comment(const struct nftnl_rule *nr, struct nsh_rule *r)
{
	const struct nftnl_udata *tb[NFTNL_UDATA_RULE_MAX + 1] = { NULL };
	uint32_t len = 0;
	const void *ud;

	if (!nftnl_rule_is_set(nr, NFTNL_RULE_USERDATA))
		return;
	ud = nftnl_rule_get_data(nr, NFTNL_RULE_USERDATA, &len);
	if (!ud || nftnl_udata_parse(ud, len, udata_cb, tb) < 0 ||
	    !tb[NFTNL_UDATA_RULE_COMMENT])
		return;
	r->comment = nsh_xstrndup(nftnl_udata_get(tb[NFTNL_UDATA_RULE_COMMENT]),
				  nftnl_udata_len(tb[NFTNL_UDATA_RULE_COMMENT]));
}

/* Decode a rule: walk its expressions, then drop the hidden dependencies. */
int nsh_rule_from_nftnl(const struct nftnl_rule *nr, const struct nsh_decode_env *env,
			struct nsh_rule *out)
{
	struct dec d;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	d.env = env;
	d.r = out;
	d.l3dep = d.l4dep = d.last_cmp = -1;
	out->handle = nftnl_rule_get_u64(nr, NFTNL_RULE_HANDLE);
	if (nftnl_expr_foreach((struct nftnl_rule *)nr, expr_cb, &d) < 0) {
		nsh_rule_clear(out);
		errno = EINVAL;
		return -1;
	}
	if (d.hidden) {
		for (i = j = 0; i < out->nstmts; i++) {
			if (i < 64 && (d.hidden & (1ULL << i)))
				nsh_stmt_clear(&out->stmts[i]);
			else
				out->stmts[j++] = out->stmts[i];
		}
		out->nstmts = j;
	}
	if (out->nstmts && out->nstmts < d.cap)	/* 50,000 rules live in caches */
		out->stmts = nsh_xrealloc(out->stmts, out->nstmts * sizeof(*out->stmts));
	rule_comment(nr, out);
	return 0;
}

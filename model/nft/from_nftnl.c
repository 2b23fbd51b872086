/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * nftnl -> model: the only reader of NFTNL_EXPR_* besides the encoder.
 *
 * A rule's expressions are walked once, tracking what each register holds
 * (a key load, an immediate, a numgen, a map result); relational
 * expressions (cmp, range, lookup: from_nftnl_match.c) become matches, the
 * rest statements (from_nftnl_stmt.c).  Afterwards the implicit
 * dependencies nft hides are dropped: "meta nfproto" before ip/ip6 payload
 * in inet tables and the layer 4 protocol match before transport ports;
 * "th" ports under a single tcp/udp context read as tcp/udp.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/rule.h>
#include <libnftnl/expr.h>
#include <libnftnl/udata.h>

#include "model/nft/from_nftnl_dec.h"
#include "lib/buf.h"
#include "lib/util.h"

/* 16-byte NFT_REG_n and 4-byte NFT_REG32_nn name the same storage. */
int nsh_dec_slot(uint32_t reg)
{
	if (reg >= NFT_REG32_00 && reg < NFT_REG32_00 + NSLOTS)
		return (int)(reg - NFT_REG32_00);
	if (reg >= NFT_REG_1 && reg <= NFT_REG_4)
		return (int)(reg - NFT_REG_1) * 4;
	return -1;
}

/* The register slot an expression attribute names, or NULL when unset/invalid. */
struct reg *nsh_dec_reg(struct dec *d, const struct nsh_xe *e, uint16_t attr)
{
	int s;

	if (!nsh_xe_is_set(e, attr))
		return NULL;
	s = nsh_dec_slot(nsh_xe_u32(e, attr));
	return s < 0 ? NULL : &d->regs[s];
}

/* Append a zeroed statement; a non-match statement ends dependency hiding (as in nft). */
struct nsh_stmt *nsh_dec_emit(struct dec *d, enum nsh_stmt_kind kind)
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
void nsh_dec_emit_opaque(struct dec *d, struct nsh_buf *text)
{
	struct nsh_stmt *s = nsh_dec_emit(d, NSH_ST_OPAQUE);

	s->opaque.text = nsh_buf_steal(text);
	d->r->opaque = true;
}

/* Best-effort text of an expression natsh does not model, like nft --debug. */
void nsh_dec_opaque_expr(struct dec *d, const struct nsh_xe *e)
{
	struct nsh_buf b;
	char tmp[256];

	if (!e->nx) {		/* its text is libnftnl's: decode the rule through libnftnl */
		d->slow = true;
		return;
	}
	nsh_buf_init(&b);
	d->l3dep = d->l4dep = -1;
	nftnl_expr_snprintf(tmp, sizeof(tmp), e->nx, NFTNL_OUTPUT_DEFAULT, 0);
	nsh_buf_printf(&b, "[ %s %s ]", nsh_xe_str(e, NFTNL_EXPR_NAME), tmp);
	nsh_dec_emit_opaque(d, &b);
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
			/* inet: "meta nfproto ipv4 ip ttl 12" is no ip6 saddr prefix */
			if (d->env->family == NSH_FAM_INET && d->l3ctx && k->nfproto_dep &&
			    k->nfproto_dep != d->l3ctx)
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
	/* nft reads the first bytes of icmp headers as type and code, never as th ports */
	return d->l4ctx == IPPROTO_ICMP || d->l4ctx == IPPROTO_ICMPV6 ? NULL : th;
}

/* Mark a statement as an implicit dependency to drop at the end. */
static void hide(struct dec *d, int idx)
{
	if (idx >= 0 && idx < 64)
		d->hidden |= 1ULL << idx;
}

/* A match on key makes an earlier protocol match implicit, as nft prints it. */
void nsh_dec_kill_deps(struct dec *d, const struct nsh_key_def *key)
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
	} else if (!key->l4proto_dep && key->nl_key == NFT_PAYLOAD_TRANSPORT_HEADER &&
		   d->l4dep >= 0) {
		/*
		 * "meta l4proto ah th sport 1": nft lists "th sport 1", the
		 * protocol dropped.  natsh's own text would differ and its model
		 * could not write the rule back: not understood (nft's text).
		 */
		hide(d, d->l4dep);
		d->l4dep = -1;
		d->r->opaque = true;
	}
}

/*
 * A match on a key of this layer 4 protocol (and, in inet tables, of this
 * layer 3 protocol when not 0) makes the protocol matches before it implicit.
 */
void nsh_dec_hide_deps(struct dec *d, uint8_t nfproto, uint8_t l4proto)
{
	if (nfproto && d->env->family == NSH_FAM_INET && d->l3dep >= 0 && d->l3ctx == nfproto) {
		hide(d, d->l3dep);
		d->l3dep = -1;
	}
	if (d->l4dep >= 0 && d->l4ctx == l4proto) {
		hide(d, d->l4dep);
		d->l4dep = -1;
	}
}

/* Copy register data into a value, its length forced to want when non-zero. */
void nsh_dec_set_val(struct nsh_val *v, const void *data, size_t len, size_t want)
{
	memset(v, 0, sizeof(*v));
	if (len > sizeof(v->data))
		len = sizeof(v->data);
	memcpy(v->data, data, len);
	v->len = (uint8_t)(want ? want : len);
}

/* immediate: a verdict, or data loaded into a register for a later statement. */
static void do_immediate(struct dec *d, const struct nsh_xe *e)
{
	uint32_t dreg = nsh_xe_u32(e, NFTNL_EXPR_IMM_DREG);
	struct nsh_stmt *s;
	uint32_t len = 0;
	const void *data;
	int slot;

	if (dreg == NFT_REG_VERDICT) {
		int32_t v = (int32_t)nsh_xe_u32(e, NFTNL_EXPR_IMM_VERDICT);
		const char *chain = nsh_xe_str(e, NFTNL_EXPR_IMM_CHAIN);

		s = nsh_dec_emit(d, NSH_ST_VERDICT);
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
	slot = nsh_dec_slot(dreg);
	data = nsh_xe_get(e, NFTNL_EXPR_IMM_DATA, &len);
	if (slot < 0 || !data) {
		nsh_dec_opaque_expr(d, e);
		return;
	}
	memset(&d->regs[slot], 0, sizeof(d->regs[slot]));
	d->regs[slot].src = SRC_IMM;
	nsh_dec_set_val(&d->regs[slot].imm, data, len, 0);
}

/* A register now holds a key load (or an unknown load named as nft would). */
static void load_key(struct dec *d, const struct nsh_xe *e, uint16_t dattr,
		     const struct nsh_key_def *key, uint32_t loadlen, const char *raw)
{
	struct reg *rg = nsh_dec_reg(d, e, dattr);

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
		size_t n = strnlen(raw, sizeof(rg->raw) - 1);

		memcpy(rg->raw, raw, n);
		rg->raw[n] = '\0';
	}
}

/* payload load: the key at that header offset (family and l4 context decide). */
static void do_payload(struct dec *d, const struct nsh_xe *e)
{
	uint32_t base = nsh_xe_u32(e, NFTNL_EXPR_PAYLOAD_BASE);
	uint32_t off = nsh_xe_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET);
	uint32_t len = nsh_xe_u32(e, NFTNL_EXPR_PAYLOAD_LEN);
	static const char *const bases[] = { "ll", "nh", "th", "ih" };
	const struct nsh_key_def *key;
	struct reg *rg;
	char raw[40];

	if (!nsh_xe_is_set(e, NFTNL_EXPR_PAYLOAD_DREG)) {
		nsh_dec_payload_write(d, e);
		return;
	}
	key = key_payload(d, base, off, len);
	if (!key)	/* the raw name is only needed when no key matches */
		snprintf(raw, sizeof(raw), "@%s,%u,%u", base < 4 ? bases[base] : "?",
			 off * 8, len * 8);
	load_key(d, e, NFTNL_EXPR_PAYLOAD_DREG, key, len, raw);
	rg = nsh_dec_reg(d, e, NFTNL_EXPR_PAYLOAD_DREG);
	if (rg) {
		rg->ldkind = 1;
		rg->ldbase = base;
		rg->ldoff = off;
		rg->ldlen = (uint8_t)len;
	}
	if (rg && rg->src == SRC_RAW && base == NFT_PAYLOAD_TRANSPORT_HEADER && off < 256) {
		rg->th = true;
		rg->thoff = (uint8_t)off;
	}
}

/* meta load (a key) or meta set (a statement). */
static void do_meta(struct dec *d, const struct nsh_xe *e)
{
	uint32_t k = nsh_xe_u32(e, NFTNL_EXPR_META_KEY);
	const struct nsh_key_def *key;
	char raw[40];

	struct reg *rg;

	if (nsh_xe_is_set(e, NFTNL_EXPR_META_SREG)) {
		nsh_dec_field_set(d, e, NSH_SF_META, k, NFTNL_EXPR_META_SREG);
		return;
	}
	key = key_find(NSH_KK_META, k);
	if (!key)
		snprintf(raw, sizeof(raw), "meta %u", k);
	load_key(d, e, NFTNL_EXPR_META_DREG, key, 0, raw);
	if ((rg = nsh_dec_reg(d, e, NFTNL_EXPR_META_DREG))) {
		rg->ldkind = 2;
		rg->ldbase = k;
	}
}

/* ct load (original direction only) or ct set. */
static void do_ct(struct dec *d, const struct nsh_xe *e)
{
	uint32_t k = nsh_xe_u32(e, NFTNL_EXPR_CT_KEY);
	const struct nsh_key_def *key = key_find(NSH_KK_CT, k);
	char raw[40];

	struct reg *rg;

	if (nsh_xe_is_set(e, NFTNL_EXPR_CT_SREG)) {
		nsh_dec_field_set(d, e, NSH_SF_CT, k, NFTNL_EXPR_CT_SREG);
		return;
	}
	if (nsh_xe_is_set(e, NFTNL_EXPR_CT_DIR))
		key = NULL;
	if (!key)
		snprintf(raw, sizeof(raw), "ct %u", k);
	load_key(d, e, NFTNL_EXPR_CT_DREG, key, 0, raw);
	if ((rg = nsh_dec_reg(d, e, NFTNL_EXPR_CT_DREG)) && !nsh_xe_is_set(e, NFTNL_EXPR_CT_DIR)) {
		rg->ldkind = 3;
		rg->ldbase = k;
	}
}

/* fib ... type: the key matching the fib flags exactly. */
static void do_fib(struct dec *d, const struct nsh_xe *e)
{
	uint32_t res = nsh_xe_u32(e, NFTNL_EXPR_FIB_RESULT);
	uint32_t flags = nsh_xe_u32(e, NFTNL_EXPR_FIB_FLAGS);
	const struct nsh_key_def *key = NULL;
	size_t i;

	for (i = 0; i < __NSH_K_MAX; i++)
		if (nsh_keys[i].kind == NSH_KK_FIB && nsh_keys[i].nl_key == res &&
		    nsh_keys[i].fib_flags == flags)
			key = &nsh_keys[i];
	load_key(d, e, NFTNL_EXPR_FIB_DREG, key, 0, "fib");
}

/* bitwise AND mask: a prefix or bitmask to be read by the following cmp. */
static void do_bitwise(struct dec *d, const struct nsh_xe *e)
{
	struct reg *src = nsh_dec_reg(d, e, NFTNL_EXPR_BITWISE_SREG);
	struct reg *dst = nsh_dec_reg(d, e, NFTNL_EXPR_BITWISE_DREG);
	uint32_t mlen = 0, xlen = 0, i;
	const uint8_t *mask = nsh_xe_get(e, NFTNL_EXPR_BITWISE_MASK, &mlen);
	const uint8_t *xor = nsh_xe_get(e, NFTNL_EXPR_BITWISE_XOR, &xlen);
	struct reg tmp;

	if (!src || !dst || (src->src != SRC_KEY && src->src != SRC_RAW) || src->masked ||
	    !mask || !xor || mlen > 16 ||
	    (nsh_xe_is_set(e, NFTNL_EXPR_BITWISE_OP) &&
	     nsh_xe_u32(e, NFTNL_EXPR_BITWISE_OP) != NFT_BITWISE_BOOL)) {
		nsh_dec_opaque_expr(d, e);
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
		/* shown as it is, unless a set statement takes it (then it drops this) */
		size_t n = d->r->nstmts;
		int l3 = d->l3dep, l4 = d->l4dep;

		nsh_dec_opaque_expr(d, e);
		memset(dst, 0, sizeof(*dst));
		if (d->r->nstmts == n + 1 && xlen == mlen) {
			d->l3dep = l3;	/* nothing is hidden across it if it stays */
			d->l4dep = l4;
			tmp.src = SRC_MANGLED;
			memcpy(tmp.xor, xor, xlen);
			tmp.opq = (int)n;
			*dst = tmp;
		}
	}
}

/* nft swaps host-order values to compare them as numbers: undone at the cmp or lookup. */
static void do_byteorder(struct dec *d, const struct nsh_xe *e)
{
	struct reg *src = nsh_dec_reg(d, e, NFTNL_EXPR_BYTEORDER_SREG);
	struct reg *dst = nsh_dec_reg(d, e, NFTNL_EXPR_BYTEORDER_DREG);
	uint32_t size = nsh_xe_u32(e, NFTNL_EXPR_BYTEORDER_SIZE);
	struct reg tmp;

	if (!src || !dst || (src->src != SRC_KEY && src->src != SRC_NUMGEN) || src->swapped ||
	    src->masked ||
	    nsh_xe_u32(e, NFTNL_EXPR_BYTEORDER_OP) != NFT_BYTEORDER_HTON ||
	    (size != 2 && size != 4 && size != 8)) {
		nsh_dec_opaque_expr(d, e);
		if (dst)
			memset(dst, 0, sizeof(*dst));
		return;
	}
	tmp = *src;
	tmp.swapped = (uint8_t)size;
	*dst = tmp;
}

/*
 * numgen: the key "numgen" (its generator in mk) of a following match
 * (cmp, range, set) or map lookup.
 */
static void do_numgen(struct dec *d, const struct nsh_xe *e)
{
	struct reg *rg = nsh_dec_reg(d, e, NFTNL_EXPR_NG_DREG);

	if (!rg) {
		nsh_dec_opaque_expr(d, e);
		return;
	}
	memset(rg, 0, sizeof(*rg));
	rg->src = SRC_KEY;
	rg->key = &nsh_keys[NSH_K_NUMGEN];
	rg->loadlen = 4;
	rg->mk.kind = NSH_MAPKEY_NUMGEN;
	rg->mk.numgen_type = nsh_xe_u32(e, NFTNL_EXPR_NG_TYPE);
	rg->mk.numgen_mod = nsh_xe_u32(e, NFTNL_EXPR_NG_MODULUS);
	rg->mk.numgen_offset = nsh_xe_u32(e, NFTNL_EXPR_NG_OFFSET);
}

/* Dispatch one expression to its decoder. */
static void expr_dispatch(struct dec *d, const struct nsh_xe *e)
{
	const char *name = nsh_xe_str(e, NFTNL_EXPR_NAME);
	struct nsh_stmt *s;

	if (!name)
		return;
	/*
	 * A >= match and a <= match of the same key make one range when nothing
	 * but a (re)load of a key (with its byte order) comes between them, as
	 * nft lists them ("ip saddr >= A ip saddr <= B" is "ip saddr A-B").
	 */
	if (strcmp(name, "cmp") && strcmp(name, "payload") && strcmp(name, "meta") &&
	    strcmp(name, "ct") && strcmp(name, "byteorder"))
		d->last_cmp = -1;
	if (strcmp(name, "payload") == 0) {
		do_payload(d, e);
	} else if (strcmp(name, "meta") == 0) {
		do_meta(d, e);
	} else if (strcmp(name, "cmp") == 0) {
		nsh_dec_cmp(d, e);
	} else if (strcmp(name, "immediate") == 0) {
		do_immediate(d, e);
	} else if (strcmp(name, "counter") == 0) {
		s = nsh_dec_emit(d, NSH_ST_COUNTER);
		s->counter.packets = nsh_xe_u64(e, NFTNL_EXPR_CTR_PACKETS);
		s->counter.bytes = nsh_xe_u64(e, NFTNL_EXPR_CTR_BYTES);
		if (!d->r->has_counter) {
			d->r->has_counter = true;
			d->r->packets = s->counter.packets;
			d->r->bytes = s->counter.bytes;
		}
	} else if (strcmp(name, "lookup") == 0) {
		nsh_dec_lookup(d, e);
	} else if (strcmp(name, "nat") == 0 || strcmp(name, "masq") == 0 ||
		   strcmp(name, "redir") == 0) {
		nsh_dec_nat(d, e);
	} else if (strcmp(name, "ct") == 0) {
		do_ct(d, e);
	} else if (strcmp(name, "bitwise") == 0) {
		do_bitwise(d, e);
	} else if (strcmp(name, "range") == 0) {
		nsh_dec_range(d, e);
	} else if (strcmp(name, "fib") == 0) {
		do_fib(d, e);
	} else if (strcmp(name, "log") == 0) {
		nsh_dec_log(d, e);
	} else if (strcmp(name, "limit") == 0) {
		nsh_dec_limit(d, e);
	} else if (strcmp(name, "byteorder") == 0) {
		do_byteorder(d, e);
	} else if (strcmp(name, "numgen") == 0) {
		do_numgen(d, e);
	} else if (strcmp(name, "reject") == 0) {
		nsh_dec_reject(d, e);
	} else if (strcmp(name, "quota") == 0) {
		nsh_dec_quota(d, e);
	} else if (strcmp(name, "notrack") == 0) {
		nsh_dec_notrack(d, e);
	} else if (strcmp(name, "dynset") == 0) {
		nsh_dec_dynset(d, e);
	} else if (strcmp(name, "match") == 0 || strcmp(name, "target") == 0) {
		nsh_dec_xt(d, e, name[0] == 't');
	} else {
		nsh_dec_opaque_expr(d, e);
	}
}

/* libnftnl's walk: one expression object. */
static int expr_cb(struct nftnl_expr *ne, void *arg)
{
	struct nsh_xe e = { .nx = ne };

	expr_dispatch(arg, &e);
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
static void rule_comment(const void *ud, uint32_t len, struct nsh_rule *r)
{
	const struct nftnl_udata *tb[NFTNL_UDATA_RULE_MAX + 1] = { NULL };

	if (!ud || nftnl_udata_parse(ud, len, udata_cb, tb) < 0 ||
	    !tb[NFTNL_UDATA_RULE_COMMENT])
		return;
	r->comment = nsh_xstrndup(nftnl_udata_get(tb[NFTNL_UDATA_RULE_COMMENT]),
				  nftnl_udata_len(tb[NFTNL_UDATA_RULE_COMMENT]));
}

/* A fresh decoder for *out (zeroed). */
static void dec_start(struct dec *d, const struct nsh_decode_env *env, struct nsh_rule *out)
{
	memset(out, 0, sizeof(*out));
	memset(d, 0, sizeof(*d));
	d->env = env;
	d->r = out;
	d->l3dep = d->l4dep = d->last_cmp = -1;
}

/* After the walk: drop the hidden dependencies, trim, take the comment. */
static void dec_finish(struct dec *d, struct nsh_rule *out, const void *ud, uint32_t udlen)
{
	size_t i, j;

	if (d->hidden) {
		for (i = j = 0; i < out->nstmts; i++) {
			if (i < 64 && (d->hidden & (1ULL << i)))
				nsh_stmt_clear(&out->stmts[i]);
			else
				out->stmts[j++] = out->stmts[i];
		}
		out->nstmts = j;
	}
	if (out->nstmts && out->nstmts < d->cap)	/* 50,000 rules live in caches */
		out->stmts = nsh_xrealloc(out->stmts, out->nstmts * sizeof(*out->stmts));
	rule_comment(ud, udlen, out);
}

/* Decode a rule: walk its expressions, then drop the hidden dependencies. */
int nsh_rule_from_nftnl(const struct nftnl_rule *nr, const struct nsh_decode_env *env,
			struct nsh_rule *out)
{
	const void *ud = NULL;
	uint32_t len = 0;
	struct dec d;

	dec_start(&d, env, out);
	out->handle = nftnl_rule_get_u64(nr, NFTNL_RULE_HANDLE);
	if (nftnl_expr_foreach((struct nftnl_rule *)nr, expr_cb, &d) < 0) {
		nsh_rule_clear(out);
		errno = EINVAL;
		return -1;
	}
	if (nftnl_rule_is_set(nr, NFTNL_RULE_USERDATA))
		ud = nftnl_rule_get_data(nr, NFTNL_RULE_USERDATA, &len);
	dec_finish(&d, out, ud, len);
	return 0;
}

/* See from_nftnl.h: the same walk over the message's own attributes. */
int nsh_rule_from_attrs(const struct nlattr *const *tb, const struct nsh_decode_env *env,
			struct nsh_rule *out)
{
	const struct nlattr *a, *ud = tb[NFTA_RULE_USERDATA];
	struct nsh_xe e;
	struct dec d;

	if (!tb[NFTA_RULE_HANDLE] || mnl_attr_validate(tb[NFTA_RULE_HANDLE], MNL_TYPE_U64) < 0 ||
	    (ud && mnl_attr_validate(ud, MNL_TYPE_BINARY) < 0) ||
	    (tb[NFTA_RULE_EXPRESSIONS] &&
	     mnl_attr_validate(tb[NFTA_RULE_EXPRESSIONS], MNL_TYPE_NESTED) < 0))
		return 1;
	dec_start(&d, env, out);
	out->handle = be64toh(mnl_attr_get_u64(tb[NFTA_RULE_HANDLE]));
	if (tb[NFTA_RULE_EXPRESSIONS]) {
		mnl_attr_for_each_nested(a, tb[NFTA_RULE_EXPRESSIONS]) {
			if (mnl_attr_get_type(a) != NFTA_LIST_ELEM || !nsh_xe_from_attr(&e, a)) {
				d.slow = true;
				break;
			}
			expr_dispatch(&d, &e);
			if (d.slow)
				break;
		}
	}
	if (d.slow) {
		nsh_rule_clear(out);
		memset(out, 0, sizeof(*out));
		return 1;
	}
	dec_finish(&d, out, ud ? mnl_attr_get_payload(ud) : NULL,
		   ud ? mnl_attr_get_payload_len(ud) : 0);
	return 0;
}

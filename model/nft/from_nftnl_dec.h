/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The rule decoder's internals, shared by its three files only:
 * from_nftnl.c (the walk, register loads, dependencies), from_nftnl_match.c
 * (cmp, range, lookup -> matches), from_nftnl_xkey.c (keys nft names that
 * natsh does not model) and from_nftnl_stmt.c (nat and the other
 * statements).  Nothing outside the decoder includes this.
 */
#ifndef NSH_FROM_NFTNL_DEC_H
#define NSH_FROM_NFTNL_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/nft/from_nftnl.h"
#include "model/values.h"

struct nftnl_expr;
struct nlattr;
struct nsh_buf;

/*
 * One expression as the decoder reads it: libnftnl's object (nx), or the
 * netlink attributes of a rule message read in place (from_nftnl_xe.c),
 * which spares libnftnl's per-expression allocations on large dumps.  The
 * accessors take libnftnl's NFTNL_EXPR_* attribute numbers either way.
 */
#define NSH_XE_NATTR 12
struct nsh_xe {
	const struct nftnl_expr *nx;	/* NULL: read a[] */
	const char *name;
	const struct nlattr *a[NSH_XE_NATTR];	/* by NFTNL_EXPR_* number; data: the value */
	uint8_t kind[NSH_XE_NATTR];
};

/* from_nftnl_xe.c: libnftnl's getters over either form. */
bool nsh_xe_is_set(const struct nsh_xe *e, uint16_t attr);
uint32_t nsh_xe_u32(const struct nsh_xe *e, uint16_t attr);
uint16_t nsh_xe_u16(const struct nsh_xe *e, uint16_t attr);
uint64_t nsh_xe_u64(const struct nsh_xe *e, uint16_t attr);
const char *nsh_xe_str(const struct nsh_xe *e, uint16_t attr);
const void *nsh_xe_get(const struct nsh_xe *e, uint16_t attr, uint32_t *len);
/* Fill e from one NFTA_LIST_ELEM; false when natsh reads that expression through libnftnl. */
bool nsh_xe_from_attr(struct nsh_xe *e, const struct nlattr *elem);

#define NSLOTS 16
/* MANGLED: a load through (x & mask) ^ xor, xor not 0 (from_nftnl_stmt2.c reads it) */
enum src { SRC_NONE, SRC_KEY, SRC_IMM, SRC_NUMGEN, SRC_MAP, SRC_MAPPART, SRC_RAW, SRC_MANGLED };

/* What a 32-bit register slot holds at this point of the rule. */
struct reg {
	enum src src;
	const struct nsh_key_def *key;	/* KEY */
	uint8_t loadlen;		/* KEY: bytes loaded (payload prefixes) */
	bool masked;			/* KEY: a bitwise mask was applied */
	uint8_t swapped;		/* KEY, NUMGEN, MAP: hton'ed in units of this size
					 * (lt/gt on marks, interval sets and maps) */
	uint8_t mask[16];
	struct nsh_val imm;		/* IMM */
	struct nsh_mapkey mk;		/* NUMGEN, MAP */
	const struct nsh_rawset *map;	/* MAP */
	uint8_t base;			/* MAPPART: slot of the map result */
	char raw[40];			/* RAW: how nft would name an unknown load */
	bool th;			/* RAW: a transport header load at byte thoff */
	uint8_t thoff;
	/* any load: what was loaded (payload: base, offset, length; meta/ct: key) */
	uint8_t ldkind;			/* 0 none, 1 payload, 2 meta, 3 ct */
	uint8_t ldlen;
	uint32_t ldbase, ldoff;		/* payload base/offset, or meta/ct key */
	uint8_t xor[16];		/* MANGLED */
	int opq;			/* MANGLED: index of the bitwise shown opaque */
};

/* The decoder's state while it walks one rule's expressions. */
struct dec {
	const struct nsh_decode_env *env;
	struct nsh_rule *r;
	size_t cap;
	uint64_t hidden;		/* statements to drop (first 64) */
	struct reg regs[NSLOTS];
	int l3dep, l4dep;		/* index of a dependency candidate or -1 */
	uint8_t l3ctx, l4ctx;		/* protocol context from single-value matches */
	int last_cmp, last_slot;	/* for cmp gte + cmp lte = range */
	bool xgte;			/* last_cmp is an extra key's ">= xgte_val" */
	uint8_t xgte_val;
	const void *xgte_key;		/* which extra key (struct xkey) */
	bool slow;			/* read in place but needs libnftnl: start again */
};

/* from_nftnl.c: registers, statements, dependencies. */
int nsh_dec_slot(uint32_t reg);		/* register number -> 32-bit slot, -1 if invalid */
struct reg *nsh_dec_reg(struct dec *d, const struct nsh_xe *e, uint16_t attr);
struct nsh_stmt *nsh_dec_emit(struct dec *d, enum nsh_stmt_kind kind);
void nsh_dec_emit_opaque(struct dec *d, struct nsh_buf *text);
void nsh_dec_opaque_expr(struct dec *d, const struct nsh_xe *e);
void nsh_dec_kill_deps(struct dec *d, const struct nsh_key_def *key);
void nsh_dec_set_val(struct nsh_val *v, const void *data, size_t len, size_t want);
void nsh_dec_hide_deps(struct dec *d, uint8_t nfproto, uint8_t l4proto);

/* from_nftnl_match.c: relational expressions. */
void nsh_dec_cmp(struct dec *d, const struct nsh_xe *e);
void nsh_dec_range(struct dec *d, const struct nsh_xe *e);
void nsh_dec_lookup(struct dec *d, const struct nsh_xe *e);
struct nsh_set *nsh_dec_set_unswapped(const struct nsh_rawset *rs, size_t u, enum nsh_type ktype,
				      size_t ndata, const enum nsh_type dtype[2], size_t poff);

/*
 * from_nftnl_xkey.c: keys outside SPEC 5 that nft names (icmp/icmpv6 type
 * and code, tcp flags), shown as nft lists them; false when the relation is
 * not one of those (the caller keeps it as a raw expression).
 */
bool nsh_dec_xkey_cmp(struct dec *d, const struct reg *rg, enum nsh_op op, const uint8_t *data,
		      size_t len);
bool nsh_dec_xkey_range(struct dec *d, const struct reg *rg, bool neq, const uint8_t *from,
			const uint8_t *to, size_t len);
bool nsh_dec_xkey_lookup(struct dec *d, const struct reg *rg, bool neq,
			 const struct nsh_rawset *rs);

/*
 * from_nftnl_vmap.c: concatenations and verdict maps.  The keys of a
 * lookup of klen key bytes from rg on: their number (2 or more), -1 when
 * the registers hold no concatenation natsh types; *swapped: bit i when
 * part i was turned big-endian (nft does so in interval sets).
 */
int nsh_dec_concat_keys(struct dec *d, const struct reg *rg, size_t klen,
			const struct nsh_key_def **keys, unsigned *swapped);
/* A set or map of a concatenation as the model keeps it; NULL when not understood. */
struct nsh_set *nsh_dec_concat_set(const struct nsh_rawset *rs, const struct nsh_key_def **keys,
				   size_t nk, bool vmap, unsigned swapped);
/* A lookup whose result is the verdict: a vmap statement. */
void nsh_dec_vmap(struct dec *d, const struct nsh_xe *e, struct reg *rg,
		  const struct nsh_rawset *rs);

/* from_nftnl_stmt.c: statements. */
void nsh_dec_nat(struct dec *d, const struct nsh_xe *e);
void nsh_dec_xt(struct dec *d, const struct nsh_xe *e, bool target);

/* from_nftnl_stmt2.c: reject, limit, quota, log, notrack, FIELD set, dynset. */
void nsh_dec_log(struct dec *d, const struct nsh_xe *e);
void nsh_dec_limit(struct dec *d, const struct nsh_xe *e);
void nsh_dec_reject(struct dec *d, const struct nsh_xe *e);
void nsh_dec_quota(struct dec *d, const struct nsh_xe *e);
void nsh_dec_notrack(struct dec *d, const struct nsh_xe *e);
void nsh_dec_dynset(struct dec *d, const struct nsh_xe *e);
/* meta/ct set (kind NSH_SF_META/CT, key) and payload write. */
void nsh_dec_field_set(struct dec *d, const struct nsh_xe *e, int kind, uint32_t key,
		       uint16_t sreg);
void nsh_dec_payload_write(struct dec *d, const struct nsh_xe *e);

#endif

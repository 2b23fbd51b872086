/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The writer's type check of named sets and maps, as nft makes it before
 * it sends a rule: "ip saddr @ports" where ports holds ports is a datatype
 * mismatch (the kernel itself would take it: it checks only lengths).
 */
#include <stdio.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>

#include "model/nft/from_nftnl.h"
#include "model/nft/to_nftnl.h"
#include "lib/buf.h"
#include "lib/err.h"
#include "lib/util.h"

#define DT_BITS 6
#define DT_INTEGER 4

/* nft's description of its datatypes (what its type errors say). */
static const char *dt_desc(uint32_t dt)
{
	switch (dt) {
	case 1:		return "netfilter verdict";
	case 2:		return "netfilter protocol";
	case 4:		return "integer";
	case 7:		return "IPv4 address";
	case 8:		return "IPv6 address";
	case 12:	return "Internet protocol";
	case 13:	return "internet network service";
	case 19:	return "packet mark";
	case 26:	return "conntrack state";
	case 27:	return "conntrack direction";
	case 28:	return "conntrack status";
	case 38:	return "fib address type";
	case 41:	return "network interface name";
	default:	return NULL;
	}
}

/* A datatype as nft names it: "IPv4 address", "concatenation of (A, B)". */
static void dt_name(uint32_t dt, struct nsh_buf *b)
{
	uint32_t parts[8];
	size_t n = 0, i;
	const char *d;

	if ((d = dt_desc(dt))) {
		nsh_buf_puts(b, d);
		return;
	}
	while (dt && n < NSH_ARRAY_SIZE(parts)) {
		parts[n++] = dt & ((1u << DT_BITS) - 1);
		dt >>= DT_BITS;
	}
	nsh_buf_puts(b, "concatenation of (");
	for (i = n; i-- > 0;) {
		d = dt_desc(parts[i]);
		if (d)
			nsh_buf_printf(b, "%s%s", i + 1 < n ? ", " : "", d);
		else
			nsh_buf_printf(b, "%stype %u", i + 1 < n ? ", " : "", parts[i]);
	}
	nsh_buf_puts(b, ")");
}

/* Do the types agree, part by part (integer matches any type of its part)? */
static bool dt_compatible(uint32_t want, uint32_t have)
{
	while (want || have) {
		uint32_t w = want & ((1u << DT_BITS) - 1), h = have & ((1u << DT_BITS) - 1);

		if (w != h && w != DT_INTEGER && h != DT_INTEGER)
			return false;
		want >>= DT_BITS;
		have >>= DT_BITS;
	}
	return true;
}

/* The datatype a lookup's key has: one key, numgen, or a concatenation's parts. */
static uint32_t key_dt(const struct nsh_key_def *key, const struct nsh_set *parts)
{
	uint32_t dt = 0;
	size_t i;

	if (key->kind != NSH_KK_CONCAT)
		return nsh_type_nft_datatype(key->type);
	for (i = 0; parts && i < parts->nkeys; i++)
		dt = dt << DT_BITS | nsh_type_nft_datatype(parts->keys[i]->type);
	return dt;
}

/* One reference: -1 + err when set name does not fit. */
static int check_one(const struct nsh_stmt *s, uint32_t want, const char *name, bool vmap,
		     const struct nsh_rawset *rs, size_t off, struct nsh_err *err)
{
	struct nsh_buf a, b;

	if (vmap && !((rs->flags & NFT_SET_MAP) && rs->data_type == NFT_DATA_VERDICT)) {
		nsh_err_set(err, off + s->src_off, s->src_len,
			    "@%s is not a verdict map: vmap needs a map of type ... : verdict", name);
		return -1;
	}
	if (!rs->key_type || dt_compatible(want, rs->key_type))
		return 0;
	nsh_buf_init(&a);
	nsh_buf_init(&b);
	dt_name(want, &a);
	dt_name(rs->key_type, &b);
	nsh_err_set(err, off + s->src_off, s->src_len,
		    "datatype mismatch, expected %s, set @%s has type %s", a.s, name, b.s);
	nsh_buf_free(&a);
	nsh_buf_free(&b);
	return -1;
}

int nsh_rule_check_sets(const struct nsh_rule *r,
			const struct nsh_rawset *(*find)(void *arg, const char *name), void *arg,
			size_t off, struct nsh_err *err)
{
	const struct nsh_rawset *rs;
	size_t i;

	for (i = 0; i < r->nstmts; i++) {
		const struct nsh_stmt *s = &r->stmts[i];

		if (s->kind == NSH_ST_MATCH && s->match.rhs == NSH_RHS_NAMED_SET &&
		    s->match.key->kind != NSH_KK_NUMGEN && (rs = find(arg, s->match.set_name))) {
			if (check_one(s, key_dt(s->match.key, s->match.set), s->match.set_name, false,
				      rs, off, err) < 0)
				return -1;
		} else if (s->kind == NSH_ST_VMAP && s->vmap.name &&
			   (rs = find(arg, s->vmap.name))) {
			uint32_t want = s->vmap.key.kind == NSH_MAPKEY_NUMGEN ? DT_INTEGER :
					key_dt(s->vmap.key.key, s->vmap.map);

			if (check_one(s, want, s->vmap.name, true, rs, off, err) < 0)
				return -1;
		}
	}
	return 0;
}

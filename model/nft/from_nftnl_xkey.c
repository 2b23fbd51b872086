/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Keys SPEC 5 leaves out but filter chains beside NAT rules use: icmp and
 * icmpv6 type and code, tcp flags.  natsh does not model them (the rules
 * stay opaque, never re-encoded) but shows them as `nft list ruleset` does:
 * value names, ranges in numbers, sets sorted by value, tcp flags in nft's
 * mask forms ("syn / syn,ack", "! syn", "& fin == fin").  Any other load
 * nft has no name for is shown as the raw payload expression ("@th,0,8").
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "model/nft/from_nftnl_dec.h"
#include "lib/buf.h"
#include "lib/util.h"

struct xname {
	uint8_t val;
	const char *name;
};

static const struct xname icmp_types[] = {
	{ 0, "echo-reply" }, { 3, "destination-unreachable" }, { 4, "source-quench" },
	{ 5, "redirect" }, { 8, "echo-request" }, { 9, "router-advertisement" },
	{ 10, "router-solicitation" }, { 11, "time-exceeded" }, { 12, "parameter-problem" },
	{ 13, "timestamp-request" }, { 14, "timestamp-reply" }, { 15, "info-request" },
	{ 16, "info-reply" }, { 17, "address-mask-request" }, { 18, "address-mask-reply" },
	{ 0, NULL },
};

static const struct xname icmp_codes[] = {
	{ 0, "net-unreachable" }, { 1, "host-unreachable" }, { 2, "prot-unreachable" },
	{ 3, "port-unreachable" }, { 4, "frag-needed" }, { 9, "net-prohibited" },
	{ 10, "host-prohibited" }, { 13, "admin-prohibited" }, { 0, NULL },
};

static const struct xname icmp6_types[] = {
	{ 1, "destination-unreachable" }, { 2, "packet-too-big" }, { 3, "time-exceeded" },
	{ 4, "parameter-problem" }, { 128, "echo-request" }, { 129, "echo-reply" },
	{ 130, "mld-listener-query" }, { 131, "mld-listener-report" },
	{ 132, "mld-listener-done" }, { 133, "nd-router-solicit" }, { 134, "nd-router-advert" },
	{ 135, "nd-neighbor-solicit" }, { 136, "nd-neighbor-advert" }, { 137, "nd-redirect" },
	{ 138, "router-renumbering" }, { 141, "ind-neighbor-solicit" },
	{ 142, "ind-neighbor-advert" }, { 143, "mld2-listener-report" }, { 0, NULL },
};

static const struct xname icmp6_codes[] = {
	{ 0, "no-route" }, { 1, "admin-prohibited" }, { 3, "addr-unreachable" },
	{ 4, "port-unreachable" }, { 5, "policy-fail" }, { 6, "reject-route" }, { 0, NULL },
};

static const char *const tcp_flag_names[8] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr",
};

/* One named one-byte field at a transport header offset, under its protocol. */
struct xkey {
	uint8_t nfproto;	/* implied "meta nfproto" in inet tables (0: none) */
	uint8_t l4proto;
	uint8_t off;
	const char *name;
	const struct xname *names;	/* NULL: tcp flags (a bitmask) */
};

static const struct xkey xkeys[] = {
	{ NFPROTO_IPV4, IPPROTO_ICMP, 0, "icmp type", icmp_types },
	{ NFPROTO_IPV4, IPPROTO_ICMP, 1, "icmp code", icmp_codes },
	{ NFPROTO_IPV6, IPPROTO_ICMPV6, 0, "icmpv6 type", icmp6_types },
	{ NFPROTO_IPV6, IPPROTO_ICMPV6, 1, "icmpv6 code", icmp6_codes },
	{ 0, IPPROTO_TCP, 13, "tcp flags", NULL },
};

/* The extra key a raw one-byte transport load is under the current protocol, or NULL. */
static const struct xkey *xkey_of(const struct dec *d, const struct reg *rg)
{
	size_t i;

	if (!rg || rg->src != SRC_RAW || !rg->th || rg->swapped)
		return NULL;
	for (i = 0; i < NSH_ARRAY_SIZE(xkeys); i++)
		if (xkeys[i].l4proto == d->l4ctx && xkeys[i].off == rg->thoff)
			return &xkeys[i];
	return NULL;
}

/* A value by its nft name, else in decimal. */
static void put_named(const struct xname *names, uint8_t v, struct nsh_buf *b)
{
	for (; names->name; names++)
		if (names->val == v) {
			nsh_buf_puts(b, names->name);
			return;
		}
	nsh_buf_printf(b, "%u", v);
}

/* tcp flags as nft lists a bitmask: "syn,ack". */
static void put_flags(uint8_t v, struct nsh_buf *b)
{
	const char *sep = "";
	int i;

	for (i = 0; i < 8; i++)
		if (v & (1u << i)) {
			nsh_buf_printf(b, "%s%s", sep, tcp_flag_names[i]);
			sep = ",";
		}
}

/* A single tcp flag by name, anything else as nft prints it in hex. */
static void put_flag_value(uint8_t v, struct nsh_buf *b)
{
	if (v && !(v & (v - 1)))
		put_flags(v, b);
	else
		nsh_buf_printf(b, "0x%x", v);
}

static const char *const op_prefix[] = {
	[NSH_OP_EQ] = "", [NSH_OP_NEQ] = "!= ", [NSH_OP_LT] = "< ",
	[NSH_OP_GT] = "> ", [NSH_OP_LTE] = "<= ", [NSH_OP_GTE] = ">= ",
};

/* The forms nft 1.0.6 lists for tcp flags; false for one it was not seen to print. */
static bool tcp_flags_text(const struct reg *rg, enum nsh_op op, uint8_t v, struct nsh_buf *b)
{
	uint8_t m = rg->mask[0];

	if (!rg->masked) {
		nsh_buf_puts(b, op == NSH_OP_EQ ? "== " : op_prefix[op]);
		put_flag_value(v, b);
		return true;
	}
	if (op != NSH_OP_EQ && op != NSH_OP_NEQ)
		return false;
	if (v == 0) {
		nsh_buf_puts(b, op == NSH_OP_EQ ? "! " : "");	/* "syn": any of the mask */
		put_flags(m, b);
	} else if (op == NSH_OP_EQ && v == m && !(m & (m - 1))) {
		nsh_buf_puts(b, "& ");
		put_flags(m, b);
		nsh_buf_puts(b, " == ");
		put_flags(v, b);
	} else {
		nsh_buf_puts(b, op_prefix[op]);
		put_flags(v, b);
		nsh_buf_puts(b, " / ");
		put_flags(m, b);
	}
	return true;
}

/* cmp on an extra key; a >= followed by <= on the same register becomes "A-B". */
bool nsh_dec_xkey_cmp(struct dec *d, const struct reg *rg, enum nsh_op op, const uint8_t *data,
		      size_t len)
{
	const struct xkey *xk = xkey_of(d, rg);
	int slot = rg ? (int)(rg - d->regs) : -1;
	struct nsh_stmt *prev;
	struct nsh_buf b;

	if (xk && xk->off == 0 && xk->names && rg->loadlen == 2 && len == 2 && !rg->masked &&
	    op == NSH_OP_EQ) {
		/* one load of type and code (next in xkeys[]): nft lists two matches */
		nsh_buf_init(&b);
		nsh_buf_printf(&b, "%s ", xk->name);
		put_named(xk->names, data[0], &b);
		nsh_buf_printf(&b, " %s ", xk[1].name);
		put_named(xk[1].names, data[1], &b);
		nsh_dec_emit_opaque(d, &b);
		nsh_dec_hide_deps(d, xk->nfproto, xk->l4proto);
		return true;
	}
	if (!xk || len != 1 || rg->loadlen != 1 || (rg->masked && xk->names))
		return false;
	nsh_buf_init(&b);
	nsh_buf_printf(&b, "%s ", xk->name);
	if (!xk->names) {
		if (!tcp_flags_text(rg, op, data[0], &b)) {
			nsh_buf_free(&b);
			return false;
		}
	} else if (op == NSH_OP_LTE && d->xgte && d->xgte_key == xk && d->last_cmp >= 0 &&
		   d->last_cmp == (int)d->r->nstmts - 1 && d->last_slot == slot) {
		prev = &d->r->stmts[d->last_cmp];
		free(prev->opaque.text);
		nsh_buf_printf(&b, "%u-%u", d->xgte_val, data[0]);
		prev->opaque.text = nsh_buf_steal(&b);
		d->xgte = false;
		d->last_cmp = -1;
		return true;
	} else {
		nsh_buf_puts(&b, op_prefix[op]);
		put_named(xk->names, data[0], &b);
	}
	nsh_dec_emit_opaque(d, &b);
	nsh_dec_hide_deps(d, xk->nfproto, xk->l4proto);
	d->xgte = xk->names && op == NSH_OP_GTE;
	d->xgte_key = xk;
	d->xgte_val = data[0];
	d->last_cmp = (int)d->r->nstmts - 1;
	d->last_slot = slot;
	return true;
}

/* range expression on an extra key: numbers, as nft lists ranges ("icmp type != 3-5"). */
bool nsh_dec_xkey_range(struct dec *d, const struct reg *rg, bool neq, const uint8_t *from,
			const uint8_t *to, size_t len)
{
	const struct xkey *xk = xkey_of(d, rg);
	struct nsh_buf b;

	if (!xk || !xk->names || rg->masked || len != 1)
		return false;
	nsh_buf_init(&b);
	nsh_buf_printf(&b, "%s %s%u-%u", xk->name, neq ? "!= " : "", from[0], to[0]);
	nsh_dec_emit_opaque(d, &b);
	nsh_dec_hide_deps(d, xk->nfproto, xk->l4proto);
	return true;
}

/* Bytes as 0x... in memory order (how nft shows a raw payload's value). */
static void put_raw(const struct nsh_val *v, struct nsh_buf *b)
{
	size_t i;

	nsh_buf_puts(b, "0x");
	for (i = 0; i < v->len; i++)
		nsh_buf_printf(b, "%02x", v->data[i]);
}

/*
 * lookup on a load natsh has no key for: an extra key's set with value
 * names ("icmp type { echo-reply, echo-request }"), else the raw payload
 * and raw values ("@th,104,8 { 0x02, 0x12 }").  false when the set is a
 * map or a concatenation.
 */
bool nsh_dec_xkey_lookup(struct dec *d, const struct reg *rg, bool neq,
			 const struct nsh_rawset *rs)
{
	static const enum nsh_type none[2] = { NSH_T_INVALID, NSH_T_INVALID };
	const struct xkey *xk = xkey_of(d, rg);
	struct nsh_set *set;
	struct nsh_buf b;
	size_t i;

	if (!rg || rg->src != SRC_RAW || rg->masked || rg->swapped || !rs || rs->dlen ||
	    rs->klen != rg->loadlen || rg->loadlen > 16)
		return false;
	if (xk && (!xk->names || rg->loadlen != 1))
		xk = NULL;	/* tcp flags sets: nft's order is its own; shown raw */
	nsh_buf_init(&b);
	nsh_buf_printf(&b, "%s %s", xk ? xk->name : rg->raw, neq ? "!= " : "");
	if (!(rs->flags & NFT_SET_ANONYMOUS)) {
		nsh_buf_printf(&b, "@%s", rs->name);
		goto out;
	}
	set = nsh_set_from_raw(rs, NSH_T_INVALID, 0, none, 0);
	nsh_buf_puts(&b, "{ ");
	for (i = 0; i < set->nelems; i++) {
		struct nsh_elem *el = &set->elems[i];

		el->lo.len = el->hi.len = rg->loadlen;
		nsh_buf_puts(&b, i ? ", " : "");
		if (xk && el->kind == NSH_ELEM_VALUE)
			put_named(xk->names, el->lo.data[0], &b);
		else if (xk)
			nsh_buf_printf(&b, "%u-%u", el->lo.data[0], el->hi.data[0]);
		else
			put_raw(&el->lo, &b);
		if (!xk && el->kind != NSH_ELEM_VALUE) {
			nsh_buf_putc(&b, '-');
			put_raw(&el->hi, &b);
		}
	}
	nsh_buf_puts(&b, " }");
	nsh_set_free(set);
out:
	nsh_dec_emit_opaque(d, &b);
	if (xk)
		nsh_dec_hide_deps(d, xk->nfproto, xk->l4proto);
	return true;
}

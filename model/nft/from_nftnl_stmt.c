/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The decoder's statements: nat/masq/redir with their registers (addresses,
 * ports, anonymous and named maps, flags), mark setting, iptables-nft
 * targets and matches, log and limit.
 */
#include <stdio.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_nat.h>
#include <libnftnl/expr.h>

#include "model/nft/from_nftnl_dec.h"
#include "lib/buf.h"
#include "lib/util.h"

#define NAT_USER_FLAGS (NF_NAT_RANGE_PROTO_RANDOM | NF_NAT_RANGE_PERSISTENT | \
			NF_NAT_RANGE_PROTO_RANDOM_FULLY)

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
static bool nat_ports(struct dec *d, const struct nsh_xe *e, uint16_t amin, uint16_t amax,
		      struct nsh_nat *n)
{
	struct reg *pmin = nsh_dec_reg(d, e, amin), *pmax = nsh_dec_reg(d, e, amax);

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
	nsh_dec_emit_opaque(d, &b);
	d->l3dep = d->l4dep = -1;
}

/*
 * A port map's key hides no protocol match in nft's listing (nft demands
 * one and adds none): show again the one its lookup hid, unless a later
 * match of that protocol's keys hid it.
 */
static void unhide_l4(struct dec *d, uint8_t proto)
{
	struct nsh_rule *r = d->r;
	size_t i, j;

	for (i = r->nstmts < 64 ? r->nstmts : 64; i-- > 0;) {
		const struct nsh_match *m = &r->stmts[i].match;
		int id;

		if (!(d->hidden & (1ULL << i)) || r->stmts[i].kind != NSH_ST_MATCH)
			continue;
		id = m->key->id;
		if ((id != NSH_K_META_L4PROTO && id != NSH_K_IP_PROTOCOL && id != NSH_K_IP6_NEXTHDR) ||
		    m->op != NSH_OP_EQ || m->rhs != NSH_RHS_VALUE || m->val.data[0] != proto)
			return;
		for (j = i + 1; j < r->nstmts; j++)
			if (r->stmts[j].kind == NSH_ST_MATCH &&
			    r->stmts[j].match.key->l4proto_dep == proto)
				return;
		d->hidden &= ~(1ULL << i);
		return;
	}
}

/*
 * "redirect to :tcp dport map { 22 : 8000 }": the ports from an anonymous
 * map (proto_min, and proto_max the same register or none).  True when so.
 */
static bool port_map(struct dec *d, const struct nsh_xe *e, uint16_t amin, uint16_t amax,
		     struct nsh_nat *n)
{
	struct reg *pmin = nsh_dec_reg(d, e, amin), *pmax = nsh_dec_reg(d, e, amax);
	enum nsh_type dt[2] = { NSH_T_PORT, NSH_T_INVALID };

	if (!pmin || pmin->src != SRC_MAP || (pmax && pmax != pmin) ||
	    (pmin->map->flags & NFT_SET_ANONYMOUS) == 0 || pmin->map->dlen != 2)
		return false;
	if (pmin->mk.kind == NSH_MAPKEY_KEY)
		unhide_l4(d, pmin->mk.key->l4proto_dep);
	n->addr = NSH_NAT_ADDR_MAP;
	n->mapkey = pmin->mk;
	n->map = nsh_dec_set_unswapped(pmin->map, pmin->swapped,
				       pmin->mk.kind == NSH_MAPKEY_NUMGEN ? NSH_T_INTEGER :
				       pmin->mk.key->type, 1, dt, 0);
	return n->map != NULL;
}

/* nat/masq/redir with their registers: addresses, ports, maps, flags. */
void nsh_dec_nat(struct dec *d, const struct nsh_xe *e)
{
	const char *name = nsh_xe_str(e, NFTNL_EXPR_NAME);
	struct nsh_nat n;
	struct nsh_stmt *s;
	struct reg *amin, *amax, *pmin;
	uint32_t fam;
	size_t alen;

	memset(&n, 0, sizeof(n));
	if (strcmp(name, "masq") == 0 || strcmp(name, "redir") == 0) {
		bool masq = name[0] == 'm';

		n.type = masq ? NSH_NAT_MASQ : NSH_NAT_REDIR;
		n.flags = nsh_xe_u32(e, masq ? NFTNL_EXPR_MASQ_FLAGS :
					     NFTNL_EXPR_REDIR_FLAGS) & NAT_USER_FLAGS;
		if (port_map(d, e, masq ? NFTNL_EXPR_MASQ_REG_PROTO_MIN :
			     NFTNL_EXPR_REDIR_REG_PROTO_MIN, masq ? NFTNL_EXPR_MASQ_REG_PROTO_MAX :
			     NFTNL_EXPR_REDIR_REG_PROTO_MAX, &n))
			goto out;
		if (!nat_ports(d, e, masq ? NFTNL_EXPR_MASQ_REG_PROTO_MIN :
			       NFTNL_EXPR_REDIR_REG_PROTO_MIN,
			       masq ? NFTNL_EXPR_MASQ_REG_PROTO_MAX :
			       NFTNL_EXPR_REDIR_REG_PROTO_MAX, &n))
			goto opaque;
		goto out;
	}
	n.type = nsh_xe_u32(e, NFTNL_EXPR_NAT_TYPE) == NFT_NAT_SNAT ?
		 NSH_NAT_SNAT : NSH_NAT_DNAT;
	n.flags = nsh_xe_u32(e, NFTNL_EXPR_NAT_FLAGS) & NAT_USER_FLAGS;
	fam = nsh_xe_u32(e, NFTNL_EXPR_NAT_FAMILY);
	alen = fam == NFPROTO_IPV6 ? 16 : 4;
	amin = nsh_dec_reg(d, e, NFTNL_EXPR_NAT_REG_ADDR_MIN);
	amax = nsh_dec_reg(d, e, NFTNL_EXPR_NAT_REG_ADDR_MAX);
	pmin = nsh_dec_reg(d, e, NFTNL_EXPR_NAT_REG_PROTO_MIN);
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

		if (amax && amax->src == SRC_MAPPART && amax->base == amin - d->regs &&
		    !pmin && amin->map->dlen == 2 * alen) {
			/* "snat ip [prefix] to ip saddr map { K : A-B }": a range per key */
			dt[1] = dt[0];
			nd = 2;
			poff = alen;
			n.family = (uint8_t)fam;
			n.flags |= nsh_xe_u32(e, NFTNL_EXPR_NAT_FLAGS) & NF_NAT_RANGE_NETMAP;
		} else if (amax && amax != amin) {
			goto opaque;
		} else if (pmin && pmin->src == SRC_MAPPART && pmin->base == amin - d->regs) {
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
		n.map = nsh_dec_set_unswapped(amin->map, amin->swapped, kt, nd, dt, poff);
		goto out;
	}
	if (amin) {
		if (amin->src != SRC_IMM || (amax && amax->src != SRC_IMM))
			goto opaque;
		nsh_dec_set_val(&n.addr_min, amin->imm.data, alen, alen);
		nsh_dec_set_val(&n.addr_max, (amax ? amax : amin)->imm.data, alen, alen);
		nat_addr_classify(&n);
	}
	if (!nat_ports(d, e, NFTNL_EXPR_NAT_REG_PROTO_MIN, NFTNL_EXPR_NAT_REG_PROTO_MAX, &n))
		goto opaque;
out:
	s = nsh_dec_emit(d, NSH_ST_NAT);
	s->nat = n;
	return;
opaque:
	nsh_dec_opaque_expr(d, e);
}

/* iptables-nft: translated as nft translates it when natsh knows how. */
void nsh_dec_xt(struct dec *d, const struct nsh_xe *e, bool target)
{
	const char *name = nsh_xe_str(e, target ? NFTNL_EXPR_TG_NAME : NFTNL_EXPR_MT_NAME);
	uint32_t rev = nsh_xe_u32(e, target ? NFTNL_EXPR_TG_REV : NFTNL_EXPR_MT_REV);
	uint32_t len = 0;
	const void *info = nsh_xe_get(e, target ? NFTNL_EXPR_TG_INFO : NFTNL_EXPR_MT_INFO,
					  &len);
	struct nsh_stmt st;
	struct nsh_buf b;

	d->r->xt = true;
	d->l3dep = d->l4dep = -1;
	if (name && info && target &&
	    nsh_xt_target_decode(name, rev, info, len, d->env->family, &st) == 0) {
		*nsh_dec_emit(d, NSH_ST_NAT) = st;
		return;
	}
	nsh_buf_init(&b);
	if (!name || !info || target ||
	    nsh_xt_match_xlate(name, rev, info, len, d->l4ctx, &b) < 0) {
		nsh_buf_reset(&b);
		/* as nft 1.0.6 lists an xt expression it cannot translate: no quotes */
		nsh_buf_printf(&b, "xt %s %s", target ? "target" : "match", name ? name : "?");
	}
	nsh_dec_emit_opaque(d, &b);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The base chains in the order packets meet them (model/hooks.h). */
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>

#include "lib/util.h"
#include "model/hooks.h"

/* See hooks.h: by name and shape, or by its rules. */
bool nsh_table_is_iptables(const struct nsh_table *t)
{
	static const char *const tables[] = { "filter", "nat", "mangle", "raw", "security" };
	static const char *const chains[] = {
		[NF_INET_PRE_ROUTING] = "PREROUTING", [NF_INET_LOCAL_IN] = "INPUT",
		[NF_INET_FORWARD] = "FORWARD", [NF_INET_LOCAL_OUT] = "OUTPUT",
		[NF_INET_POST_ROUTING] = "POSTROUTING",
	};
	size_t i, nbase = 0;

	if (t->has_xt)
		return true;
	if (t->family != NSH_FAM_IP && t->family != NSH_FAM_IP6)
		return false;
	for (i = 0; i < NSH_ARRAY_SIZE(tables) && strcmp(tables[i], t->name); i++)
		;
	if (i == NSH_ARRAY_SIZE(tables))
		return false;
	for (i = 0; i < t->nchains; i++) {
		const struct nsh_chain *c = &t->chains[i];

		if (!c->base)
			continue;
		if (c->hooknum >= NSH_ARRAY_SIZE(chains) || strcmp(chains[c->hooknum], c->name))
			return false;
		nbase++;
	}
	return nbase > 0;
}

/* See hooks.h. */
const char *nsh_hook_owner_name(enum nsh_hook_owner o)
{
	switch (o) {
	case NSH_HO_IPTABLES:	return "iptables-nft";
	case NSH_HO_NATSH:	return "natsh";
	default:		return "nft";
	}
}

/* Rank of a hook on the packet's path: ingress first. */
static int hook_rank(uint32_t h)
{
	return h == NF_INET_INGRESS ? -1 : (int)h;
}

/* Sort key order; ties keep the listing order (seq). */
struct slot {
	struct nsh_hook_ent e;
	size_t seq;
};

static int slot_cmp(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	if (x->e.ipver != y->e.ipver)
		return x->e.ipver == NSH_FAM_IP ? -1 : 1;
	if (x->e.hooknum != y->e.hooknum)
		return hook_rank(x->e.hooknum) < hook_rank(y->e.hooknum) ? -1 : 1;
	if (x->e.prio != y->e.prio)
		return x->e.prio < y->e.prio ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* See hooks.h. */
size_t nsh_hooks_order(const struct nsh_ruleset *rs, struct nsh_hook_ent **out)
{
	static const uint8_t vers[] = { NSH_FAM_IP, NSH_FAM_IP6 };
	struct slot *v = NULL;
	size_t i, j, k, n = 0, cap = 0;

	for (i = 0; i < rs->ntables; i++) {
		const struct nsh_table *t = &rs->tables[i];
		enum nsh_hook_owner own = NSH_HO_NFT;

		if (t->family == NSH_OWN_FAMILY && !strcmp(t->name, NSH_OWN_TABLE))
			own = NSH_HO_NATSH;
		else if (nsh_table_is_iptables(t))
			own = NSH_HO_IPTABLES;
		for (j = 0; j < t->nchains; j++) {
			const struct nsh_chain *c = &t->chains[j];

			if (!c->base)
				continue;
			for (k = 0; k < NSH_ARRAY_SIZE(vers); k++) {
				if (t->family != NSH_FAM_INET && t->family != vers[k])
					continue;
				if (n == cap) {
					cap = cap ? cap * 2 : 16;
					v = nsh_xrealloc(v, cap * sizeof(*v));
				}
				v[n].e = (struct nsh_hook_ent){
					.ipver = vers[k], .hooknum = c->hooknum, .prio = c->prio,
					.owner = own, .table = t, .chain = c,
				};
				v[n].seq = n;
				n++;
			}
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), slot_cmp);
	*out = nsh_xcalloc(n ? n : 1, sizeof(**out));
	for (i = 0; i < n; i++)
		(*out)[i] = v[i].e;
	free(v);
	return n;
}

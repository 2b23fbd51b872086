/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The netfilter hooks as a packet meets them: every base chain of the ip,
 * ip6 and inet tables, per IP version and hook, in priority order, with
 * who wrote its table (nft, iptables-nft, natsh).  `show hooks` renders
 * it; nothing here speaks netlink or prints.
 */
#ifndef NSH_HOOKS_H
#define NSH_HOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

enum nsh_hook_owner {
	NSH_HO_NFT,		/* a table written with nft or another nf_tables tool */
	NSH_HO_IPTABLES,	/* a table of iptables-nft / ip6tables-nft */
	NSH_HO_NATSH,		/* natsh's own table, inet natsh */
};

/* One base chain on one hook of one IP version (an inet chain appears for both). */
struct nsh_hook_ent {
	uint8_t ipver;			/* NSH_FAM_IP or NSH_FAM_IP6: the packets it sees */
	uint32_t hooknum;		/* NF_INET_* */
	int32_t prio;
	enum nsh_hook_owner owner;
	const struct nsh_table *table;
	const struct nsh_chain *chain;
};

/*
 * The base chains of rs in the order packets meet them: IPv4 then IPv6;
 * within a version the hooks in path order (ingress, prerouting, input,
 * forward, output, postrouting); within a hook by priority, then in the
 * order the tables were listed (the kernel runs equal priorities in the
 * order they were registered).  *out is the caller's to free.
 */
size_t nsh_hooks_order(const struct nsh_ruleset *rs, struct nsh_hook_ent **out);

/*
 * Whether a table is iptables-nft's: it holds xt expressions (t->has_xt,
 * known when its rules were read), or it is an ip/ip6 table named filter,
 * nat, mangle, raw or security whose base chains all carry iptables'
 * built-in names (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING).
 */
bool nsh_table_is_iptables(const struct nsh_table *t);

const char *nsh_hook_owner_name(enum nsh_hook_owner o);	/* "nft", "iptables-nft", "natsh" */

#endif

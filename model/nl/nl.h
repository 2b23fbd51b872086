/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * model/nl/: the only place that talks to the kernel: the netlink socket
 * and its receive loop (sock.c), the ruleset dump, targeted queries, batches,
 * conntrack, links, netns, sysctls, legacy-table detection, top's scanner.
 * May use model/nft (to decode), model/syntax, model, lib.
 *
 * The netlink side of the model.
 * Functions return -1 or NULL and set errno on failure; they never print.
 */
#ifndef NSH_NL_H
#define NSH_NL_H

#include <stdint.h>
#include "model/model.h"

struct nsh_nl;	/* an open NETLINK_NETFILTER socket plus its buffers */

/* Open a netfilter netlink socket in the current network namespace. */
struct nsh_nl *nsh_nl_open(void);
void nsh_nl_close(struct nsh_nl *nl);

/* The current nf_tables generation id; -1 on error. */
int nsh_nl_genid(struct nsh_nl *nl, uint32_t *genid);

/*
 * Dump every table of the ip, ip6 and inet families that has a chain of
 * type nat, with chains, rules (decoded), anonymous sets, counters.
 * Cost is linear in the number of rules.  Caller frees with
 * nsh_ruleset_free().  NULL + errno on failure (EPERM without
 * CAP_NET_ADMIN, EAFNOSUPPORT/ENOENT without nf_tables).
 */
struct nsh_ruleset *nsh_ruleset_dump(struct nsh_nl *nl);

/*
 * The same tables and chains without sets or rules (rs->no_rules; every
 * chain's nrules is 0): what completing names needs, at the cost of the
 * tables and chains alone however many rules there are.
 */
struct nsh_ruleset *nsh_ruleset_dump_chains(struct nsh_nl *nl);

/*
 * Every table of ip, ip6 and inet (not only NAT tables) with its chains,
 * no sets, no rules (rs->no_rules): what `show hooks` lists.
 */
struct nsh_ruleset *nsh_ruleset_dump_hooks(struct nsh_nl *nl);

/* Enter network namespace NAME (/run/netns/NAME); -1 + errno on failure. */
int nsh_netns_enter(const char *name);

#endif

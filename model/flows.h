/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Flows per rule: which NAT rule made a conntrack entry.  An entry is
 * counted for a rule when its original tuple satisfies the rule's matches
 * and its reply tuple shows the rule's translation (dnat/redirect: the new
 * destination is the rule's target address and port; snat: the new source;
 * masquerade: the new source is an address of the rule's out interface).
 * Among rules that fit, the first the packet meets wins (hook, priority,
 * table, chain, position), as in the kernel; an entry translated both ways
 * counts for one destination and one source rule.
 *
 * Interface matches are taken as met (conntrack records no interfaces),
 * and so is ct state; fib daddr type local is evaluated from the router's
 * addresses.  A rule with a match natsh cannot evaluate from a tuple (a
 * mark, a named set, numgen as a match, an xt match, anything opaque) is
 * not attributed: its count is NSH_FLOWS_UNKNOWN.
 *
 * The targets are indexed (sorted by translated address): attributing an
 * entry costs a binary search plus the rules whose target is no single
 * address (masquerade, redirect, ranges), not a walk of every rule.
 */
#ifndef NSH_FLOWS_H
#define NSH_FLOWS_H

#include <stddef.h>
#include <stdint.h>

#include "model/ct.h"
#include "model/model.h"

#define NSH_FLOWS_NOT_NAT	(-2)	/* the rule translates nothing */
#define NSH_FLOWS_UNKNOWN	(-1)	/* natsh cannot evaluate one of its matches */

/* A local address, with the interface that holds it (masquerade, fib, redirect). */
struct nsh_flow_local {
	char ifname[16];
	uint8_t family;			/* AF_INET / AF_INET6 */
	uint8_t addr[16];
};

struct nsh_flows;

/* Index the NAT rules of rs (which must outlive it); locals are copied. */
struct nsh_flows *nsh_flows_new(const struct nsh_ruleset *rs, const struct nsh_flow_local *loc,
				size_t nloc);
void nsh_flows_free(struct nsh_flows *f);

/* A rule by its place in rs: table index, chain index, rule index. */
struct nsh_flow_ref {
	size_t table, chain, rule;
};

/*
 * Attribute one entry: counts it for the rules it belongs to and fills
 * out with them (at most 2); returns how many.
 */
size_t nsh_flows_add(struct nsh_flows *f, const struct nsh_ct *ct, struct nsh_flow_ref out[2]);

/*
 * The counts of chain ci of table ti, parallel to its rules: >= 0 entries,
 * NSH_FLOWS_UNKNOWN or NSH_FLOWS_NOT_NAT.  NULL when out of range.
 */
const int64_t *nsh_flows_chain(const struct nsh_flows *f, size_t ti, size_t ci);

/* The key of the first match that made a rule unknown ("meta mark"), or NULL. */
const char *nsh_flows_why(const struct nsh_flows *f, size_t ti, size_t ci, size_t ri);

#endif

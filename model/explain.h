/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What-if: the path of a connection's first packet through the NAT chains
 * of a ruleset, without traffic.  The packet meets the nat base chains of
 * its hooks in the order the kernel runs them (model/hooks.h): an incoming
 * packet prerouting, then input (for the router) or postrouting (after
 * the routing decision); a locally generated one output, then postrouting.
 * At each hook the chains run until one translates (the kernel then skips
 * the rest of that hook); inside a chain the rules run in order, with
 * jump, goto, return, accept and drop as nft has them.
 *
 * What is known offline is evaluated: addresses, ports, protocols,
 * interfaces (the in interface given or taken from the route back to the
 * source; the out interface from the router's routes), ct status (the
 * translations of this walk), ct direction (original), ct state (new: NAT
 * chains see only a connection's first packet, noted in the result), fib
 * type local (the router's addresses), named sets of one field.  What is
 * not (marks, meta random, numgen, limits, concatenated sets, anything
 * opaque) makes a rule "maybe": the walk forks, one path assuming the rule
 * matches and one that it does not, and each path names its assumptions.
 * A translation with several targets (a numgen map) forks one path per
 * target.  Nothing here speaks netlink or prints.
 */
#ifndef NSH_EXPLAIN_H
#define NSH_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

#define NSH_XP_MAX_PATHS 32	/* beyond: nsh_xp.truncated */

/* A packet as a rule sees it.  Addresses network order, ports host order. */
struct nsh_xp_pkt {
	uint8_t family;			/* AF_INET / AF_INET6 */
	uint8_t proto;			/* IPPROTO_TCP, _UDP, _ICMP, _ICMPV6 */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	bool has_sport, has_dport;	/* false: not given (port matches are "maybe") */
	char iif[16], oif[16];		/* "" where the hook has none */
	uint32_t status;		/* IPS_SRC_NAT / IPS_DST_NAT bits made so far */
};

/* The router, as the command layer read it. */
struct nsh_xp_addr {
	char ifname[16];
	uint8_t family;
	uint8_t addr[16];
	uint8_t plen;
	bool loopback;			/* on a loopback interface: its whole prefix is local */
};

struct nsh_xp_route {
	char ifname[16];
	uint8_t family;
	uint8_t dst[16];
	uint8_t plen;			/* 0: default route */
	bool has_gw;
	uint8_t gw[16];
};

struct nsh_xp_env {
	const struct nsh_xp_addr *addrs;
	size_t naddrs;
	const struct nsh_xp_route *routes;
	size_t nroutes;
	int forwarding[2];		/* ipv4, ipv6: 1 on, 0 off, -1 not known */
};

enum nsh_xp_res { NSH_XP_NO, NSH_XP_YES, NSH_XP_MAYBE };

enum nsh_xp_kind {
	NSH_XP_HOOK,		/* reaches a hook: pkt as it arrives */
	NSH_XP_CHAIN,		/* enters a chain (a base chain, or by jump/goto) */
	NSH_XP_SKIP,		/* a nat chain of the hook not run: translated earlier at this hook */
	NSH_XP_RULE,		/* a rule evaluated: res, why */
	NSH_XP_NAT,		/* a translation: pkt after it */
	NSH_XP_LEAVE,		/* leaves a chain: by its end (policy), return, accept */
	NSH_XP_ROUTE,		/* the routing decision: local or oif */
	NSH_XP_END,		/* the path ends: end */
};

enum nsh_xp_end {
	NSH_XP_END_LOCAL,	/* delivered to the router */
	NSH_XP_END_OUT,		/* leaves through pkt.oif */
	NSH_XP_END_DROP,	/* dropped by a rule or a policy */
	NSH_XP_END_NOROUTE,	/* no route to the destination */
	NSH_XP_END_NOFORWARD,	/* forwarding is off for its IP version */
	NSH_XP_END_NOADDR,	/* masquerade or redirect: the interface has no address */
	NSH_XP_END_UNKNOWN,	/* a rule natsh does not understand acts on it */
};

struct nsh_xp_step {
	enum nsh_xp_kind kind;
	uint32_t hook;			/* NF_INET_* */
	const struct nsh_table *table;
	const struct nsh_chain *chain;
	const struct nsh_rule *rule;	/* RULE, NAT, END by a rule */
	enum nsh_xp_res res;		/* RULE */
	bool assumed;			/* RULE maybe: this path takes it as matching */
	const char *why;		/* RULE no/maybe: the key ("oifname"); LEAVE: "policy"... */
	const char *why_set;		/* the named set of the match, or NULL */
	bool why_unset;			/* the key's value was not given (a port) */
	const char *verdict;		/* RULE yes: "accept", "jump", ...; NULL for a nat */
	struct nsh_xp_pkt pkt;		/* HOOK, RULE: as seen; NAT: after */
	/* NAT */
	const struct nsh_nat *nat;
	size_t alt, nalts;		/* the target this path took, of how many */
	bool addr_range;		/* the address is one of [pkt addr, addr_hi] */
	struct nsh_val addr_hi;
	bool port_range;		/* the port is one of [pkt port, port_hi] */
	uint16_t port_hi;
	bool port_may_change;		/* snat, masquerade: the kernel may pick another */
	/* ROUTE */
	bool local;
	bool rfound, rgw;
	struct nsh_xp_route route;	/* the route taken, when rfound */
	bool reroute;			/* after a translation of the destination */
	/* END */
	enum nsh_xp_end end;
};

struct nsh_xp_path {
	struct nsh_xp_step *steps;	/* owned */
	size_t nsteps;
	enum nsh_xp_end end;
	struct nsh_xp_pkt final;	/* as it is delivered or leaves */
	size_t dnat, snat;		/* step of the translation; SIZE_MAX: none */
	size_t nassumed;		/* rules taken as matching or not without knowing */
};

struct nsh_xp {
	struct nsh_xp_pkt in;		/* the packet as explained (iif, source chosen) */
	bool local;			/* generated by the router */
	bool iif_derived;		/* in interface taken from the route back to the source */
	bool src_derived;		/* local: source address chosen as routing would */
	bool ct_state_new;		/* a ct state match was taken as "new" */
	size_t npaths;
	struct nsh_xp_path *paths;	/* owned */
	bool truncated;			/* more than NSH_XP_MAX_PATHS paths: the rest left out */
};

/*
 * Explain packet p (iif "" for "in" not given; local: generated by the
 * router, src all zero to let routing choose it).  NULL + errno EINVAL
 * when the packet cannot be placed (no address of the router for a local
 * packet, no route back to the source).  Caller frees.
 */
struct nsh_xp *nsh_explain(const struct nsh_ruleset *rs, const struct nsh_xp_env *env,
			   const struct nsh_xp_pkt *p, bool local);
void nsh_xp_free(struct nsh_xp *x);

/* Whether a path is known for certain (it assumed nothing). */
static inline bool nsh_xp_path_certain(const struct nsh_xp_path *p)
{
	return p->nassumed == 0;
}

const char *nsh_xp_end_name(enum nsh_xp_end e);	/* "local", "out", "drop", ... */

#endif

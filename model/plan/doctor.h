/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * doctor: the classic NAT mistakes, found in a ruleset plus a few facts
 * about the machine (sysctls, interfaces, routes, iptables-legacy).  Pure:
 * model and facts in, findings out; no kernel, no printing, so every check
 * is unit-testable.  Each finding is data: its kind, the rule and values
 * involved, and the natsh command(s) that fix it (to run with natsh -c);
 * render/doctor.c says what is wrong and why it matters.
 */
#ifndef NSH_DOCTOR_H
#define NSH_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "model/model.h"
#include "model/nl/link.h"

struct nsh_doctor_facts {
	bool ip_forward;
	const struct nsh_links *links;	/* may be NULL: interface checks skipped */
	/* interfaces whose route_localnet is on, NULL-terminated (may be NULL) */
	const char *const *route_localnet;
	bool legacy_nat;		/* /proc/net/ip_tables_names lists nat */
};

/* What a finding is about, in the order the checks run. */
enum nsh_finding_kind {
	NSH_FIND_IPTABLES_LEGACY,	/* x_tables nat rules beside nf_tables */
	NSH_FIND_IP_FORWARD_OFF,
	NSH_FIND_UNEVEN_PROBABILITY,	/* chained random matches that split unevenly */
	NSH_FIND_DNAT_UNREACHABLE,	/* backend in no connected subnet */
	NSH_FIND_ROUTER_ACCESS_MISSING,	/* no output DNAT for the forward */
	NSH_FIND_ROUTER_ACCESS_NO_MASQ,	/* output DNAT without local-source masquerade */
	NSH_FIND_ROUTER_ACCESS_NO_LOCALNET,
	NSH_FIND_DNAT_WAN_ONLY,		/* forward limited to one input interface */
	NSH_FIND_NO_HAIRPIN,
	NSH_FIND_SNAT_BAD_IFACE,	/* out of an interface without address or route */
	NSH_FIND_SHADOWED_RULE,
	NSH_FIND_NO_COUNTER,
};

/* Why snat_bad_iface's interface carries nothing. */
enum nsh_iface_state {
	NSH_IFACE_MISSING,
	NSH_IFACE_NO_IPV4,
	NSH_IFACE_NO_ROUTE,
};

/* uneven_probability keeps the shares of this many rules (more never fit a line). */
#define NSH_DOCTOR_SHARES 64

/*
 * One finding as data: its kind, the objects involved and the fix.  The
 * pointers point into the ruleset and the facts given to nsh_doctor_run;
 * render/doctor.c words it.  Only the members of the finding's kind are set.
 */
struct nsh_finding {
	enum nsh_finding_kind kind;
	const char *id;		/* the kind's stable name: "ip_forward_off", "no_hairpin", ... */
	/* the rule at fault; table NULL for a machine-wide finding */
	const struct nsh_table *table;
	const struct nsh_chain *chain;
	size_t pos;		/* the rule's index in the chain */
	const struct nsh_rule *rule;
	/* a port forward (dnat_*, router_access_*, no_hairpin) */
	const char *proto;	/* "tcp", "udp" */
	uint16_t port;		/* the public port */
	uint8_t addr[4];	/* the (first) backend */
	uint16_t bport;		/* its port, 0: unchanged */
	const char *lan;	/* the backend's interface (in facts->links), or NULL */
	/* dnat_wan_only: the input interface; snat_bad_iface: the output one */
	char iface[IFNAMSIZ];
	enum nsh_iface_state iface_state;	/* snat_bad_iface */
	bool masquerade;	/* snat_bad_iface: masquerade rather than snat */
	size_t other;		/* shadowed_rule: index of the earlier rule that shadows it */
	/* uneven_probability: rules [pos, pos + nrules); rest: the last has no random match */
	size_t nrules;
	bool rest;
	double share[NSH_DOCTOR_SHARES];	/* the traffic each gets, 0..1 */
	char fix[700];		/* the natsh command(s) that fix it, ';'-separated; "" when none */
};

/* Run every check; *out (caller frees) gets the findings; returns their number. */
size_t nsh_doctor_run(const struct nsh_ruleset *rs, const struct nsh_doctor_facts *f,
		      struct nsh_finding **out);

#endif

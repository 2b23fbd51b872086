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
	bool ip6_forward;		/* net.ipv6.conf.all.forwarding */
	const struct nsh_links *links;	/* may be NULL: interface checks skipped */
	/* interfaces whose route_localnet is on, NULL-terminated (may be NULL) */
	const char *const *route_localnet;
	bool legacy_nat;		/* /proc/net/ip_tables_names lists nat */
};

/* What a finding is about, in the order the checks run. */
enum nsh_finding_kind {
	NSH_FIND_IPTABLES_LEGACY,	/* x_tables nat rules beside nf_tables */
	NSH_FIND_IP_FORWARD_OFF,
	NSH_FIND_IP6_FORWARD_OFF,	/* IPv6 NAT rules, IPv6 forwarding off */
	NSH_FIND_UNEVEN_PROBABILITY,	/* chained random matches that split unevenly */
	NSH_FIND_DNAT_UNREACHABLE,	/* backend in no connected subnet */
	NSH_FIND_ROUTER_ACCESS_MISSING,	/* no output DNAT for the forward */
	NSH_FIND_ROUTER_ACCESS_NO_MASQ,	/* output DNAT without local-source masquerade */
	NSH_FIND_ROUTER_ACCESS_NO_LOCALNET,
	NSH_FIND_ROUTER_ACCESS_LOOPBACK6,	/* output DNAT of ::1: cannot leave the host */
	NSH_FIND_DNAT_WAN_ONLY,		/* hairpin: forward limited to one input interface */
	NSH_FIND_NO_HAIRPIN,		/* hairpin: no masquerade of LAN clients */
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

/*
 * One command of a fix and the reason it is there (worded by render/doctor.c):
 * a fix of several parts says why each part is needed.
 */
enum nsh_fix_why {
	NSH_WHY_OUTPUT_DNAT,	/* the router's own connections pass output */
	NSH_WHY_OUTPUT_DNAT6,	/* the same for IPv6 (not ::1) */
	NSH_WHY_LOCAL_MASQ,	/* the reroute check keeps the router's source */
	NSH_WHY_LOCALNET,	/* the reroute check drops 127.0.0.1 sources */
	NSH_WHY_ANY_IIF,	/* the DNAT also for LAN clients */
	NSH_WHY_HAIRPIN_MASQ,	/* the backend answers through the router */
	NSH_WHY_NO_LOOPBACK6,	/* ::1 replaced by the router's own addresses */
};

#define NSH_DOCTOR_STEPS 4

struct nsh_fix_step {
	enum nsh_fix_why why;
	size_t off, len;	/* the command: fix[off, off + len) */
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
	uint16_t port;		/* the (first) public port */
	char ports[48];		/* the public port(s) as written: "8080", "{ 80, 443 }" */
	int family;		/* AF_INET, AF_INET6: of addr */
	uint8_t addr[16];	/* the (first) backend */
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
	/* a fix of several commands: each command and why (nsteps 0: fix is one command) */
	size_t nsteps;
	struct nsh_fix_step step[NSH_DOCTOR_STEPS];
};

/* Run every check; *out (caller frees) gets the findings; returns their number. */
size_t nsh_doctor_run(const struct nsh_ruleset *rs, const struct nsh_doctor_facts *f,
		      struct nsh_finding **out);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * doctor: the classic NAT mistakes, found in a ruleset plus a few facts
 * about the machine (sysctls, interfaces, routes, iptables-legacy).  Pure:
 * model and facts in, findings out; no kernel, no printing, so every check
 * is unit-testable.  Each finding says what is wrong, why it matters and
 * the natsh command(s) that fix it (to run with natsh -c).
 */
#ifndef NSH_DOCTOR_H
#define NSH_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"
#include "model/nl/link.h"

struct nsh_doctor_facts {
	bool ip_forward;
	const struct nsh_links *links;	/* may be NULL: interface checks skipped */
	/* interfaces whose route_localnet is on, NULL-terminated (may be NULL) */
	const char *const *route_localnet;
	bool legacy_nat;		/* /proc/net/ip_tables_names lists nat */
};

struct nsh_finding {
	const char *id;		/* "ip_forward_off", "no_hairpin", ... */
	char where[160];	/* "table inet natsh chain prerouting rule 2" or "" */
	char what[400];
	char why[400];
	char fix[700];		/* natsh command(s), ';'-separated; "" when none */
};

/* Run every check; *out (caller frees) gets the findings; returns their number. */
size_t nsh_doctor_run(const struct nsh_ruleset *rs, const struct nsh_doctor_facts *f,
		      struct nsh_finding **out);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * model/plan/: decisions over the model, no I/O: wizard.c (wizards as
 * plans) and doctor.c (findings about a ruleset).  May use the rest of
 * model/ and lib; never prints, never talks to the kernel.
 *
 * Wizards as plans: from a wizard's arguments (and what was detected about
 * the router: LAN subnets, current sysctl values) produce the list of rules,
 * each with its chain and a one-line reason, and the sysctl changes.  Pure:
 * no netlink, no files, no printing -- the unit tests drive it directly.
 *
 * Every rule a wizard writes carries the comment "wizard NAME: ROLE"; that
 * tag is how groups are found again (nsh_wiz_tag_parse).
 */
#ifndef NSH_WIZARD_H
#define NSH_WIZARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

#include "lib/err.h"
#include "model/model.h"

#define NSH_WIZ_NAME_MAX	32
#define NSH_WIZ_BACKENDS_MAX	16
#define NSH_WIZ_NETS_MAX	8

enum nsh_wiz_kind { NSH_WIZ_MASQUERADE, NSH_WIZ_FORWARD };

/* PROTO of a forward: a bitmask. */
enum { NSH_WIZ_TCP = 1, NSH_WIZ_UDP = 2 };

struct nsh_wiz_prefix {
	struct in_addr addr;
	uint8_t plen;
};

struct nsh_wiz_backend {
	struct in_addr addr;
	uint16_t port;		/* host order; 0: keep the port the client used */
};

struct nsh_wiz_args {
	enum nsh_wiz_kind kind;
	char name[NSH_WIZ_NAME_MAX + 1];

	/* masquerade */
	struct nsh_wiz_prefix from;
	char out[IFNAMSIZ];
	bool has_to;
	struct in_addr to;

	/* forward */
	unsigned proto;			/* NSH_WIZ_TCP | NSH_WIZ_UDP */
	uint16_t port_lo, port_hi;	/* host order, equal for one port */
	size_t nbackends;
	struct nsh_wiz_backend backends[NSH_WIZ_BACKENDS_MAX];
	char wan[IFNAMSIZ];		/* "" when unknown (informational) */
	char lan[IFNAMSIZ];		/* interface towards the backends */
	size_t nlan_nets;		/* the LAN's subnets (hairpin sources) */
	struct nsh_wiz_prefix lan_nets[NSH_WIZ_NETS_MAX];
	bool router_access, hairpin;

	/* detected state: -1 unknown, else the current value */
	int ip_forward;
	int route_localnet;		/* of the LAN interface */
};

/* One rule of a plan: nft text exactly as `nft list ruleset` shows it. */
struct nsh_wiz_step {
	const char *chain;	/* "prerouting", "output", "postrouting" (static) */
	char *rule;		/* with "counter" and the comment (owned) */
	char *role;		/* the ROLE part of the comment tag (owned) */
	char *reason;		/* one line: what the rule is for (owned) */
};

struct nsh_wiz_sysctl {
	char *key;		/* net.ipv4.ip_forward (owned) */
	char *value;		/* "1" (owned) */
	char *reason;		/* (owned) */
};

struct nsh_wiz_plan {
	size_t nsteps;
	struct nsh_wiz_step *steps;
	size_t nsysctls;
	struct nsh_wiz_sysctl *sysctls;
	size_t nnotes;
	char **notes;		/* things worth saying that change nothing */
};

/* Defaults: forward with router access and hairpin on, state unknown. */
void nsh_wiz_args_init(struct nsh_wiz_args *a, enum nsh_wiz_kind kind);

/*
 * Argument parsers.  s is one word of the command line that starts at byte
 * off of the line; on error they return -1 and fill err (offsets into the
 * line, message naming the argument).
 */
int nsh_wiz_parse_name(const char *s, size_t off, char *name, struct nsh_err *err);
int nsh_wiz_parse_prefix(const char *s, size_t off, const char *what,
			 struct nsh_wiz_prefix *p, struct nsh_err *err);
int nsh_wiz_parse_addr(const char *s, size_t off, const char *what, struct in_addr *a,
		       struct nsh_err *err);
int nsh_wiz_parse_proto(const char *s, size_t off, unsigned *proto, struct nsh_err *err);
int nsh_wiz_parse_ports(const char *s, size_t off, uint16_t *lo, uint16_t *hi,
			struct nsh_err *err);
int nsh_wiz_parse_backend(const char *s, size_t off, struct nsh_wiz_backend *b,
			  struct nsh_err *err);
int nsh_wiz_parse_onoff(const char *s, size_t off, const char *what, bool *v,
			struct nsh_err *err);
int nsh_wiz_parse_iface(const char *s, size_t off, const char *what, char *ifname,
			struct nsh_err *err);

/*
 * Build the plan for a.  -1 + err (offsets 0) when the arguments cannot
 * make a working set-up (duplicate backends, no LAN subnet for hairpin...).
 * The plan is cleared first; free it with nsh_wiz_plan_clear().
 */
int nsh_wiz_plan_build(const struct nsh_wiz_args *a, struct nsh_wiz_plan *p,
		       struct nsh_err *err);
void nsh_wiz_plan_clear(struct nsh_wiz_plan *p);

/* The comment that tags a wizard's rule: "wizard NAME: ROLE" (caller frees). */
char *nsh_wiz_tag(const char *name, const char *role);
/*
 * If comment is a wizard tag, copy its NAME into name (NSH_WIZ_NAME_MAX+1
 * bytes) and return a pointer to its ROLE inside comment; else NULL.
 */
const char *nsh_wiz_tag_parse(const char *comment, char *name);

/* The kind of wizard a role belongs to ("masquerade", "forward"). */
const char *nsh_wiz_role_kind(const char *role);

/*
 * The backends a rule's nat statement translates to (dnat to ADDR[:PORT]
 * or a numgen map of them), up to max.  Returns how many were found.
 */
size_t nsh_wiz_rule_backends(const struct nsh_rule *r, struct nsh_wiz_backend *out,
			     size_t max);

/* Call fn once per wizard name tagged in natsh's table of rs (completion of NAME). */
void nsh_wiz_names(const struct nsh_ruleset *rs, void (*fn)(void *arg, const char *name), void *arg);

/* "192.0.2.10:80" or "192.0.2.10" into buf (at least 24 bytes). */
const char *nsh_wiz_backend_str(const struct nsh_wiz_backend *b, char *buf, size_t len);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The iptables options natsh's translator (model/ipt.c) accepts, as data,
 * read-only: what `iptables ...` completion and help offer.  A unit test
 * (tests/unit/test_ipt_opts.c) runs every entry through nsh_ipt_parse, so
 * the table cannot name an option the translator refuses.
 */
#ifndef NSH_IPT_OPTS_H
#define NSH_IPT_OPTS_H

/* What follows an option. */
enum nsh_ipt_arg {
	NSH_IPT_A_NONE,
	NSH_IPT_A_TABLE,	/* nat */
	NSH_IPT_A_CHAIN,	/* PREROUTING ... or a chain of the table */
	NSH_IPT_A_CHAIN_OPT,	/* -F [CHAIN] */
	NSH_IPT_A_ADDR,		/* ADDR[/LEN] */
	NSH_IPT_A_IFACE,
	NSH_IPT_A_PROTO,
	NSH_IPT_A_MATCH,	/* a module for -m */
	NSH_IPT_A_PORT,		/* PORT or FIRST:LAST */
	NSH_IPT_A_PORTS,	/* PORT,PORT,... */
	NSH_IPT_A_ADDRTYPE,
	NSH_IPT_A_CTSTATE,	/* STATE,STATE,... */
	NSH_IPT_A_MODE,		/* random */
	NSH_IPT_A_NUMBER,	/* a probability, a number */
	NSH_IPT_A_STRING,	/* a comment */
	NSH_IPT_A_TARGET,
	NSH_IPT_A_TO,		/* ADDR[:PORT] or PORT for --to-* */
};

struct nsh_ipt_opt {
	const char *name;	/* "-A", "--dport" */
	const char *module;	/* valid after "-m MODULE" (or -p tcp|udp for tcp/udp); NULL: always */
	const char *target;	/* valid after "-j TARGET" (a "|"-separated list); NULL: not a target option */
	enum nsh_ipt_arg arg;
	const char *help;
	const char *sample;	/* a valid argument, for the test that checks the table */
};

/* A value an argument of kind arg may take (arg NSH_IPT_A_*), with its help. */
struct nsh_ipt_val {
	enum nsh_ipt_arg arg;
	const char *word;
	const char *help;
};

extern const struct nsh_ipt_opt nsh_ipt_opts[];		/* ends with name NULL */
extern const struct nsh_ipt_val nsh_ipt_vals[];		/* ends with word NULL */

#endif

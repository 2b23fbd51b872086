/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The iptables options natsh's translator (model/ipt.c) accepts, as data:
 * the translator recognises options by it, and `iptables ...` completion
 * and help offer its entries (hidden ones excepted).  A unit test
 * (tests/unit/test_ipt_opts.c) runs every entry through nsh_ipt_parse, so
 * the table cannot name an option the translator refuses; the translator
 * recognises options (names, aliases, "!") by this table alone.  Likewise
 * the value table: -m modules, -j targets, address types, conntrack states
 * and statistic modes are what it lists, for completion, help, the
 * translator and the translator's error messages alike.
 */
#ifndef NSH_IPT_OPTS_H
#define NSH_IPT_OPTS_H

#include <stdbool.h>
#include <stddef.h>

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
	NSH_IPT_A_CTSTATUS,	/* STATUS,STATUS,... (--ctstatus) */
	NSH_IPT_A_CTDIR,	/* ORIGINAL or REPLY */
	NSH_IPT_A_MODE,		/* random */
	NSH_IPT_A_NUMBER,	/* a probability, a number */
	NSH_IPT_A_STRING,	/* a comment */
	NSH_IPT_A_TARGET,
	NSH_IPT_A_TO,		/* ADDR[:PORT] or PORT for --to-* */
};

/* What the translator (model/ipt.c) does with an option. */
enum nsh_ipt_optid {
	NSH_IPT_O_NONE,
	NSH_IPT_O_TABLE, NSH_IPT_O_APPEND, NSH_IPT_O_INSERT, NSH_IPT_O_DELETE, NSH_IPT_O_REPLACE,
	NSH_IPT_O_FLUSH, NSH_IPT_O_WAIT,
	NSH_IPT_O_SADDR, NSH_IPT_O_DADDR, NSH_IPT_O_IIF, NSH_IPT_O_OIF, NSH_IPT_O_PROTO,
	NSH_IPT_O_MATCH, NSH_IPT_O_SPORT, NSH_IPT_O_DPORT, NSH_IPT_O_SPORTS, NSH_IPT_O_DPORTS,
	NSH_IPT_O_PORTS, NSH_IPT_O_SRC_TYPE, NSH_IPT_O_DST_TYPE, NSH_IPT_O_CTSTATE,
	NSH_IPT_O_MODE, NSH_IPT_O_PROBABILITY, NSH_IPT_O_EVERY, NSH_IPT_O_PACKET,
	NSH_IPT_O_COMMENT, NSH_IPT_O_JUMP, NSH_IPT_O_GOTO, NSH_IPT_O_TO,
	NSH_IPT_O_RANDOM, NSH_IPT_O_RANDOM_FULLY, NSH_IPT_O_PERSISTENT,
	NSH_IPT_O_MARK, NSH_IPT_O_SRC_RANGE, NSH_IPT_O_DST_RANGE, NSH_IPT_O_CTSTATUS,
	NSH_IPT_O_CTDIR,
	NSH_IPT_O_PENDING,	/* iptables' option, no nft form natsh writes yet: help says why */
};

struct nsh_ipt_opt {
	const char *name;	/* "-A", "--dport" */
	const char *module;	/* valid after "-m MODULE" (or -p tcp|udp for tcp/udp); NULL: always */
	const char *target;	/* valid after "-j TARGET" (a "|"-separated list); NULL: not a target option */
	enum nsh_ipt_arg arg;
	const char *help;
	const char *sample;	/* a valid argument, for the test that checks the table */
	/* the translator recognises options by this table only: */
	const char *aliases;	/* other spellings, "|"-separated ("--source|--src"), or NULL */
	enum nsh_ipt_optid id;
	bool no_neg;		/* "!" before it is refused */
	bool hidden;		/* known but not offered: refused with a reason, or a no-op (-w) */
};

/* What a value word means to the translator, where words of one kind differ. */
enum nsh_ipt_valid {
	NSH_IPT_V_PLAIN,
	/* -m MODULE */
	NSH_IPT_V_TCP, NSH_IPT_V_UDP, NSH_IPT_V_MULTIPORT, NSH_IPT_V_ADDRTYPE,
	NSH_IPT_V_STATISTIC, NSH_IPT_V_COMMENT, NSH_IPT_V_CONNTRACK,
	NSH_IPT_V_MARK, NSH_IPT_V_CONNMARK, NSH_IPT_V_IPRANGE,
	/* -j TARGET */
	NSH_IPT_V_NAT,		/* SNAT, DNAT, MASQUERADE, REDIRECT */
	NSH_IPT_V_VERDICT,	/* ACCEPT, RETURN: nft's verdict of the same name */
	/* --ctstate */
	NSH_IPT_V_CTSTATUS,	/* SNAT, DNAT: ct status, not ct state */
	/* --mode */
	NSH_IPT_V_RANDOM, NSH_IPT_V_NTH,
};

/*
 * A value an argument of kind arg may take (arg NSH_IPT_A_*), with its help.
 * For -m, -j, --src-type/--dst-type, --ctstate and --mode the translator
 * takes these words and no others (chains, protocols: any, these offered).
 */
struct nsh_ipt_val {
	enum nsh_ipt_arg arg;
	const char *word;
	const char *help;
	enum nsh_ipt_valid id;
};

extern const struct nsh_ipt_opt nsh_ipt_opts[];		/* ends with name NULL */
extern const struct nsh_ipt_val nsh_ipt_vals[];		/* ends with word NULL */

/* The entry for an option word (its name or one of its aliases; the first of several); NULL if none. */
const struct nsh_ipt_opt *nsh_ipt_opt_find(const char *word);

/* The value entry of kind arg spelled word (any case when nocase); NULL if none. */
const struct nsh_ipt_val *nsh_ipt_val_find(enum nsh_ipt_arg arg, const char *word, bool nocase);

struct nsh_buf;
/* Append the words of kind arg ("a, b, c"), only those of id unless id < 0; their number. */
size_t nsh_ipt_val_names(enum nsh_ipt_arg arg, int id, struct nsh_buf *b);

#endif

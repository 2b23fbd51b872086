/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iptables NAT command lines -> natsh's typed rule model.
 *
 * An `iptables -t nat -A CHAIN ...` line (or ip6tables) is read word by
 * word into a command (append, insert, delete, replace, flush) and the rule
 * it carries, written in nft syntax as iptables-translate writes it; that
 * text is then parsed by natsh's own rule parser (rule_parse.c) into a
 * struct nsh_rule, which goes through the same staging and encoding as
 * `add`.  Every piece of the nft text remembers the iptables word it came
 * from, so an error is always reported under the user's word.
 * Nothing here prints.
 */
#ifndef NSH_IPT_H
#define NSH_IPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/err.h"
#include "model/model.h"

/* A word of the iptables line and its place in the source line. */
struct nsh_ipt_word {
	const char *s;
	size_t off, len;
};

enum nsh_ipt_op {
	NSH_IPT_APPEND,		/* -A */
	NSH_IPT_INSERT,		/* -I CHAIN [N] */
	NSH_IPT_DELETE,		/* -D CHAIN RULE or -D CHAIN N */
	NSH_IPT_REPLACE,	/* -R CHAIN N RULE */
	NSH_IPT_FLUSH,		/* -F [CHAIN] */
};

/* Where a piece of the nft text came from. */
struct nsh_ipt_piece {
	size_t off, len;	/* in nft.s */
	size_t word;		/* index of the iptables word */
};

struct nsh_ipt {
	enum nsh_ipt_op op;
	int family;		/* NSH_FAM_IP (iptables) or NSH_FAM_IP6 (ip6tables) */
	const char *chain;	/* as written ("PREROUTING"); NULL: -F of every chain */
	size_t chain_word;	/* its index */
	size_t op_word;		/* index of -A/-I/-D/-R/-F */
	uint32_t pos;		/* -I/-R/-D position, 0 when none */
	size_t pos_word;
	bool has_rule;		/* matches or a target were given */
	struct nsh_buf nft;	/* the rule in nft syntax (no counter: the parser adds it) */
	size_t npieces;
	struct nsh_ipt_piece *pieces;
	const struct nsh_ipt_word *words;	/* borrowed from the caller */
	size_t nwords;
};

/*
 * Read words[0..n) (words[0] is "iptables" or "ip6tables") into *c for a
 * table of table_family (NSH_FAM_INET: address-family-free rules get
 * "meta nfproto ipv4|ipv6" so that they keep iptables' meaning, and nat
 * statements name their family).  -1 + err (under the offending word) on
 * anything not understood.  The words must outlive c.  Free with
 * nsh_ipt_clear.
 */
int nsh_ipt_parse(const struct nsh_ipt_word *words, size_t n, int table_family,
		  struct nsh_ipt *c, struct nsh_err *err);
void nsh_ipt_clear(struct nsh_ipt *c);

/*
 * The rule of c as natsh's model (through nsh_rule_parse), *r cleared
 * first.  -1 + err under the iptables word whose translation failed.
 */
int nsh_ipt_rule(const struct nsh_ipt *c, int table_family, struct nsh_rule *r,
		 struct nsh_err *err);

/* The iptables word that wrote the nft text at offset off (the command word if none). */
size_t nsh_ipt_word_at(const struct nsh_ipt *c, size_t off);

/* natsh's chain for an iptables one: PREROUTING -> prerouting (others as written). */
const char *nsh_ipt_chain_name(const char *ipt_chain);

/* Do two rules say the same (statements and comment; counters ignored)? For -D RULE. */
bool nsh_ipt_rule_same(const struct nsh_rule *a, const struct nsh_rule *b);

#endif

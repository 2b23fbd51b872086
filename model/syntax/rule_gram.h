/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The grammar of natsh's rule language as data: the words that may start a
 * match or a statement, what may follow them, the value kinds and one help
 * line for each.  The parser (rule_parse.c), the completion walk and
 * `help rule` read these tables; nothing else spells a rule keyword.
 * The match keys themselves come from nsh_keys[] (keys.c).
 */
#ifndef NSH_RULE_GRAM_H
#define NSH_RULE_GRAM_H

#include <stddef.h>
#include <stdint.h>
#include "model/model.h"

struct nsh_rg_word {
	const char *word;
	const char *help;
	uint32_t id;		/* what the word means to the parser (per table) */
};

/* Statements that are not matches. */
enum nsh_rg_stmt {
	NSH_RG_COUNTER, NSH_RG_NOCOUNTER, NSH_RG_DNAT, NSH_RG_SNAT, NSH_RG_MASQ,
	NSH_RG_REDIR, NSH_RG_ACCEPT, NSH_RG_DROP, NSH_RG_RETURN, NSH_RG_JUMP,
	NSH_RG_GOTO, NSH_RG_COMMENT, NSH_RG_REJECT, NSH_RG_LIMIT, NSH_RG_QUOTA, NSH_RG_LOG,
	NSH_RG_NOTRACK, NSH_RG_DYN_ADD, NSH_RG_DYN_UPDATE, NSH_RG_DYN_DELETE,
};

/* Each table ends with a NULL word. */
extern const struct nsh_rg_word nsh_rg_key_words[];	/* first words of match keys */
extern const struct nsh_rg_word nsh_rg_stmts[];		/* id: enum nsh_rg_stmt */
extern const struct nsh_rg_word nsh_rg_ops[];		/* id: enum nsh_op */
extern const struct nsh_rg_word nsh_rg_flags_not[];	/* "!": none of (ct state/status) */
extern const struct nsh_rg_word nsh_rg_nat_families[];	/* id: NSH_FAM_IP/IP6 */
extern const struct nsh_rg_word nsh_rg_nat_flags[];	/* id: NF_NAT_RANGE_* */
extern const struct nsh_rg_word nsh_rg_numgen_modes[];	/* id: NFT_NG_* */
extern const struct nsh_rg_word nsh_rg_nat_to[];	/* "to" */
extern const struct nsh_rg_word nsh_rg_map_word[];	/* "map" */
extern const struct nsh_rg_word nsh_rg_mod_word[];	/* "mod" */
extern const struct nsh_rg_word nsh_rg_vmap_word[];	/* "vmap" */
extern const struct nsh_rg_word nsh_rg_concat_word[];	/* "." after a key */
extern const struct nsh_rg_word nsh_rg_vmap_verdicts[];	/* id: enum nsh_verdict */
extern const struct nsh_rg_word nsh_rg_offset_word[];	/* "offset" */
extern const struct nsh_rg_word nsh_rg_numgen_word[];	/* "numgen" */
extern const struct nsh_rg_word nsh_rg_nat_map_keys[];	/* keys offered before "map" */
/* The other statements (rule_parse_stmt2.c). */
extern const struct nsh_rg_word nsh_rg_with_word[];	/* "with" */
extern const struct nsh_rg_word nsh_rg_reject_kinds[];	/* id: NSH_FAM_IP/IP6, 0 icmpx, 1 tcp */
extern const struct nsh_rg_word nsh_rg_reset_word[];	/* "reset" */
extern const struct nsh_rg_word nsh_rg_rate_word[];	/* "rate" */
extern const struct nsh_rg_word nsh_rg_time_units[];	/* id: seconds */
extern const struct nsh_rg_word nsh_rg_byte_units[];	/* id: shift (0, 10, 20) */
extern const struct nsh_rg_word nsh_rg_log_opts[];	/* id: NSH_LOG_* */
extern const struct nsh_rg_word nsh_rg_log_levels[];	/* id: syslog level */
extern const struct nsh_rg_word nsh_rg_set_word[];	/* "set" */
/* For `help rule` only: the value forms and nat rules that have no word of their own. */
extern const struct nsh_rg_word nsh_rg_value_forms[];
extern const struct nsh_rg_word nsh_rg_nat_rules[];

/* What a value of type looks like, for "expected ..., got" messages. */
const char *nsh_rg_type_expect(enum nsh_type type, int allow_range);
/* Placeholder name of a value of type: "PORT", "ADDR"... */
const char *nsh_rg_type_name(enum nsh_type type);
/*
 * What may follow a nat statement's "to": for dnat/snat of an address
 * family (NSH_T_IPV4, NSH_T_IPV6; NSH_T_INVALID: either), or the ports of
 * masquerade and redirect (NSH_T_PORT).
 */
const char *nsh_rg_nat_expect(enum nsh_type type);

/* Find word in a table; NULL when absent. */
const struct nsh_rg_word *nsh_rg_find(const struct nsh_rg_word *tab, const char *word);

/*
 * The match keys whose name starts with the words already typed (prefix,
 * e.g. "tcp"): calls fn for each next word ("sport", "dport") with its
 * help; returns how many.  A key is complete when prefix equals its name.
 */
size_t nsh_rg_key_next(const char *prefix, void (*fn)(void *arg, const char *word,
			const char *help), void *arg);


#endif

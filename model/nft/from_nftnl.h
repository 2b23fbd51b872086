/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * model/nft/: the only code that knows libnftnl's expressions: the
 * decoder (from_nftnl*.c, from_xt.c) and the encoder (to_nftnl.c).  Reads
 * netlink attributes but owns no socket.  May use model/syntax, model, lib.
 *
 * nftnl -> model, for the model layer only (nl/dump.c and the unit tests).
 * The decoder reads rule expressions and set elements as libnftnl parsed
 * them and produces struct nsh_rule statements, hiding the implicit
 * dependencies nft hides.  Functions return -1 + errno on failure.
 */
#ifndef NSH_FROM_NFTNL_H
#define NSH_FROM_NFTNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/model.h"

struct nftnl_rule;
struct nftnl_set;
struct nftnl_chain;
struct nftnl_table;

/* One set element exactly as the kernel holds it. */
struct nsh_rawelem {
	uint8_t klen, dlen;
	bool end;			/* NFT_SET_ELEM_INTERVAL_END */
	bool has_key_end;		/* concatenated ranges: inclusive end in key_end */
	uint8_t key[40];		/* concatenations: up to 40 bytes */
	uint8_t key_end[40];
	uint8_t data[32];
	bool is_verdict;		/* verdict map data: verdict (NF_ACCEPT, NFT_JUMP...) */
	int32_t verdict;
	char *chain;			/* jump/goto target (owned by the raw set) */
};

/* A set (anonymous or named) with the elements a rule may need. */
struct nsh_rawset {
	char *name;
	uint32_t flags;			/* NFT_SET_* */
	uint32_t klen, dlen;
	uint32_t key_type, data_type;	/* nft's datatype numbers (0: not given) */
	size_t n, cap;
	struct nsh_rawelem *e;
};

/* How the decoder finds the sets a rule's lookups name. */
struct nsh_decode_env {
	int family;			/* NSH_FAM_* of the table */
	const struct nsh_rawset *(*find_set)(void *arg, const char *name);
	void *arg;
};

/* Decode one rule into *out (zeroed first); -1 + errno only on ENOMEM/EINVAL. */
int nsh_rule_from_nftnl(const struct nftnl_rule *nr, const struct nsh_decode_env *env,
			struct nsh_rule *out);

struct nlattr;
/*
 * The same, straight from a rule message's attributes (tb indexed by
 * NFTA_RULE_*, as mnl_attr_parse fills it): no libnftnl objects.  1 when the
 * rule holds something natsh reads through libnftnl only (then parse it and
 * call nsh_rule_from_nftnl), 0 when decoded, -1 + errno on error.
 */
int nsh_rule_from_attrs(const struct nlattr *const *tb, const struct nsh_decode_env *env,
			struct nsh_rule *out);

/* Fill a rawset's header from a parsed set; the set keeps no reference. */
void nsh_rawset_init(struct nsh_rawset *rs, const struct nftnl_set *s);
/* Append the elements libnftnl parsed into s (from a GETSETELEM message). */
int nsh_rawset_add_elems(struct nsh_rawset *rs, struct nftnl_set *s);
struct nlmsghdr;
/*
 * The same straight from the message, no libnftnl objects: 0 done, 1 when
 * the message holds what only libnftnl reads (verdict data; nothing added).
 */
int nsh_rawset_add_elems_nlmsg(struct nsh_rawset *rs, const struct nlmsghdr *nlh);
void nsh_rawset_clear(struct nsh_rawset *rs);

/*
 * Elements of a raw set as a model set of key type ktype (sorted, intervals
 * merged into values, ranges and prefixes as nft prints them).  Maps carry
 * ndata data values of types dtype[] (the second, a port, at byte poff of
 * the element data).  Caller frees with nsh_set_free().
 */
struct nsh_set *nsh_set_from_raw(const struct nsh_rawset *rs, enum nsh_type ktype,
				 size_t ndata, const enum nsh_type dtype[2], size_t poff);

/*
 * A raw element's verdict (NF_ACCEPT, NFT_JUMP...) as the model's; false
 * for a verdict natsh does not model (NF_QUEUE...).
 */
bool nsh_verdict_from_kernel(int32_t v, enum nsh_verdict *out);

/*
 * iptables-nft expressions (from_xt.c).  A NAT target (MASQUERADE, REDIRECT,
 * SNAT, DNAT) becomes a nat statement in *out; a match NAT rules use
 * (multiport, addrtype, comment) becomes the text nft prints for it, which
 * may be empty.  -1 when not understood.
 */
struct nsh_buf;
int nsh_xt_target_decode(const char *name, uint32_t rev, const void *info, size_t len,
			 int family, struct nsh_stmt *out);
int nsh_xt_match_xlate(const char *name, uint32_t rev, const void *info, size_t len,
		       uint8_t l4proto, struct nsh_buf *b);

/* A named set's declaration (model.h struct nsh_nset; elements follow). */
void nsh_nset_from_nftnl(const struct nftnl_set *ns, struct nsh_nset *s);
/* Append the elements libnftnl parsed into ns (a GETSETELEM answer). */
int nsh_nset_add_elems(struct nsh_nset *s, struct nftnl_set *ns);
/* Once every element is in: nft's order, interval ends merged. */
void nsh_nset_finish(struct nsh_nset *s);

/* Chain and table attributes; strings are copied (caller frees via the model). */
void nsh_chain_from_nftnl(const struct nftnl_chain *c, struct nsh_chain *out);
void nsh_table_from_nftnl(const struct nftnl_table *t, struct nsh_table *out);

#endif

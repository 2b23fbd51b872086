/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Model -> nftnl/netlink messages (the reverse of from_nftnl.c). */
#ifndef NSH_TO_NFTNL_H
#define NSH_TO_NFTNL_H

#include <stdbool.h>
#include <stdint.h>
#include "model/model.h"

struct mnl_nlmsg_batch;

/* The kernel's bound on the expressions of one rule (NFT_RULE_MAXEXPRS). */
#define NSH_RULE_MAX_EXPRS 128

enum nsh_enc_op {
	NSH_ENC_APPEND,		/* add: at the end, or after handle when handle != 0 */
	NSH_ENC_INSERT,		/* insert: at the start, or before handle when != 0 */
	NSH_ENC_REPLACE,	/* replace the rule with this handle */
};

/*
 * Append to batch the messages that create rule r (and its anonymous sets
 * and maps, with set ids from *set_id) in family/table/chain.  Every
 * message takes the sequence number *seq and *seq is incremented, so the
 * caller can map kernel errors back to the command.  -1 + errno when the
 * rule holds something that cannot be encoded (opaque statements:
 * EOPNOTSUPP), or ENOSPC when the batch is full (mnl_nlmsg_batch_next()
 * said so: the messages that fit stay in it; size the batch for the rule).
 * E2BIG when the rule needs more than NSH_RULE_MAX_EXPRS expressions.
 * The messages are exactly those nft 1.0.6 sends for the same rule.
 */
int nsh_rule_encode(struct mnl_nlmsg_batch *batch, uint32_t *seq, int family,
		    const char *table, const char *chain, const struct nsh_rule *r,
		    enum nsh_enc_op op, uint64_t handle, uint32_t *set_id);

/*
 * Append NEWSET for the named set or map s (created, or kept when it
 * exists with the same declaration), with flush a DELSETELEM that empties
 * it, then NEWSETELEM with its elements.  The messages of the set take
 * sequence numbers from *seq on.  -1 + errno (ENOSPC: the batch is full).
 */
struct nsh_nset;
int nsh_nset_encode(struct mnl_nlmsg_batch *batch, uint32_t *seq, int family,
		    const char *table, const struct nsh_nset *s, uint32_t set_id, bool flush);

/* nft's datatype number of a natsh type (as sets keep it): 7 for IPv4 addresses... */
uint32_t nsh_type_nft_datatype(enum nsh_type t);

struct nsh_rawset;
struct nsh_err;
/*
 * nft's type check of the named sets and maps rule r refers to (@name,
 * vmap @name): the set's key datatype must be the key's (each part of a
 * concatenation), and vmap needs a verdict map.  find gives a set's header
 * (NULL when unknown: nothing is checked, the kernel answers).  -1 + err
 * (offset off + the statement's) on a mismatch.
 */
int nsh_rule_check_sets(const struct nsh_rule *r,
			const struct nsh_rawset *(*find)(void *arg, const char *name), void *arg,
			size_t off, struct nsh_err *err);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writing to nf_tables: one batch = one kernel transaction.
 *
 * A batch is NFNL_MSG_BATCH_BEGIN (carrying NFNL_BATCH_GENID, so the kernel
 * refuses it with ERESTART when the ruleset changed since natsh read it),
 * the messages, each with its own sequence number, and NFNL_MSG_BATCH_END.
 * Without the END message the kernel validates every message and then
 * aborts: that is --check.  The kernel answers only errors (and, for
 * messages flagged NLM_F_ECHO, the objects it created); they are collected
 * per sequence number so the caller maps each back to the command that
 * staged it.
 *
 * struct nsh_wire is natsh's writing socket: its own NETLINK_NETFILTER
 * socket with extended ACKs, plus the few targeted reads an edit needs
 * (the generation id, one table, one chain, one chain's rule handles), so a
 * single `add` never dumps the ruleset.  Functions return -1 + errno.
 */
#ifndef NSH_NL_BATCH_H
#define NSH_NL_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

struct mnl_nlmsg_batch;
struct nlmsghdr;
struct nsh_wire;
struct nsh_batch;

/* One refusal from the kernel. */
struct nsh_batch_err {
	uint32_t seq;		/* sequence number of the refused message */
	int err;		/* positive errno */
	uint32_t attr_off;	/* extack: offset of the bad attribute in that message, 0: none */
	char msg[200];		/* extack text, "" when the kernel gave none */
};

/* An object the kernel created and echoed (NLM_F_ECHO): a new rule's handle. */
struct nsh_batch_echo {
	uint32_t seq;
	uint16_t type;		/* NFT_MSG_NEWRULE ... */
	uint64_t handle;
};

struct nsh_wire *nsh_wire_open(void);
void nsh_wire_close(struct nsh_wire *w);

/* For the model's netlink files: a request header with the next sequence number. */
struct nlmsghdr *nsh_wire_req(struct nsh_wire *w, char *buf, uint16_t type, int family,
			      uint16_t flags);
/* Send one request and run cb (an mnl_cb_t) on every answer until done; -1 + errno. */
int nsh_wire_talk(struct nsh_wire *w, struct nlmsghdr *nlh,
		  int (*cb)(const struct nlmsghdr *nlh, void *data), void *arg);

/* The current nf_tables generation id. */
int nsh_wire_genid(struct nsh_wire *w, uint32_t *genid);

/* 1 when the table exists, 0 when not (the family/name pair is looked up). */
int nsh_wire_table_exists(struct nsh_wire *w, int family, const char *table);
/* How many objects (chains, sets, ...) a table holds; -1 + errno (ENOENT: no table). */
int nsh_wire_table_use(struct nsh_wire *w, int family, const char *table, uint32_t *use);

/* 1 when a rule of the table holds iptables-nft (xt) expressions, 0 when none. */
int nsh_wire_table_has_xt(struct nsh_wire *w, int family, const char *table);

/*
 * Raise *end past every set of the table that natsh named itself
 * (nsh_batch_name_sets); a missing table leaves it as it is.
 */
int nsh_wire_set_names_end(struct nsh_wire *w, int family, const char *table, uint32_t *end);

/* What the editor needs to know of one chain. */
struct nsh_wire_chain {
	bool base;
	uint32_t hooknum;
	int32_t prio;
	char type[16];
};
/* 1 and *out filled when the chain exists, 0 when it does not. */
int nsh_wire_chain_get(struct nsh_wire *w, int family, const char *table, const char *chain,
		       struct nsh_wire_chain *out);

/* The handles of one chain's rules in order (caller frees *handles). */
int nsh_wire_chain_handles(struct nsh_wire *w, int family, const char *table,
			   const char *chain, uint64_t **handles, size_t *n);

/*
 * One chain's rules decoded, with the anonymous sets they use (chain.c).
 * Caller frees with nsh_rule_clear + free.
 */
int nsh_wire_chain_rules(struct nsh_wire *w, int family, const char *table,
			 const char *chain, struct nsh_rule **rules, size_t *n);

struct nsh_rawset;
/*
 * The header (name, flags, key and data types and lengths) of the named set
 * family/table/name into *out (nsh_rawset_clear frees it): 0, or -1 +
 * errno (ENOENT: no such set).
 */
int nsh_wire_set_header(struct nsh_wire *w, int family, const char *table, const char *name,
			struct nsh_rawset *out);

/*
 * One rule of a chain by handle, decoded with the sets it uses: 0, or -1 +
 * errno (ENOENT when the chain has no such rule).  Clear with nsh_rule_clear.
 */
int nsh_wire_chain_rule(struct nsh_wire *w, int family, const char *table, const char *chain,
			uint64_t handle, struct nsh_rule *out);

/*
 * Zero counters with NFT_MSG_GETRULE_RESET (kernel >= 6.3): of the rule
 * with this handle, or (handle 0) of every rule in chain, or (chain NULL)
 * of every rule in table.  *nrules counts the rules reset.
 */
int nsh_wire_counters_reset(struct nsh_wire *w, int family, const char *table,
			    const char *chain, uint64_t handle, size_t *nrules);

/* Start a batch that the kernel applies only at generation genid. */
struct nsh_batch *nsh_batch_new(uint32_t genid);
void nsh_batch_free(struct nsh_batch *b);

/* The messages so far, from BATCH_BEGIN on (END is added by send). */
const void *nsh_batch_data(const struct nsh_batch *b, size_t *len);

/* Sequence number the next message will take. */
uint32_t nsh_batch_seq(const struct nsh_batch *b);
/* Number of messages between BEGIN and END so far. */
size_t nsh_batch_count(const struct nsh_batch *b);

/*
 * Hand the encoder (nsh_rule_encode) an mnl batch to append to and the
 * sequence counter to use; nsh_batch_enc_end() takes what it appended into
 * the batch, adding echo (NLM_F_ECHO on new rules) when asked.
 */
struct mnl_nlmsg_batch *nsh_batch_enc_begin(struct nsh_batch *b, uint32_t **seq);
int nsh_batch_enc_end(struct nsh_batch *b, bool echo);

/*
 * Name the anonymous sets the encoder appends from now on "__s" + 4 base-36
 * digits of base + their set id, instead of letting the kernel number them
 * (which costs it a scan of every set of the table per new set).
 */
void nsh_batch_name_sets(struct nsh_batch *b, uint32_t base);

/* Messages natsh builds itself; each returns the sequence number it used. */
uint32_t nsh_batch_add_table(struct nsh_batch *b, int family, const char *table);
/*
 * NEWTABLE that fails when the table exists (EEXIST), with NFTA_TABLE_FLAGS
 * (NFT_TABLE_F_OWNER: the kernel removes the table when the sending socket
 * closes) and a comment (NULL: none).
 */
uint32_t nsh_batch_add_table_flags(struct nsh_batch *b, int family, const char *table,
				   uint32_t flags, const char *comment);
uint32_t nsh_batch_del_table(struct nsh_batch *b, int family, const char *table);
uint32_t nsh_batch_add_chain(struct nsh_batch *b, int family, const char *table,
			     const char *chain, const char *type, uint32_t hooknum,
			     int32_t prio);
/* A chain as declared: regular, or base with its type, hook, priority and policy. */
uint32_t nsh_batch_add_chain_def(struct nsh_batch *b, int family, const char *table,
				 const struct nsh_chain *c);
/* Delete the rule with handle, or (handle 0) every rule of the chain. */
uint32_t nsh_batch_del_rule(struct nsh_batch *b, int family, const char *table,
			    const char *chain, uint64_t handle);

/* The results of sending a batch. */
struct nsh_batch_result {
	size_t nerrs;
	struct nsh_batch_err *errs;	/* in the order the kernel sent them */
	size_t nechos;
	struct nsh_batch_echo *echos;
	bool restart;			/* ERESTART: the generation id did not match */
	bool lost;			/* ENOBUFS: some answers were dropped */
};
void nsh_batch_result_clear(struct nsh_batch_result *res);

/*
 * Send the batch and collect every answer.  commit false: no BATCH_END, so
 * the kernel checks every message and applies nothing.  Returns 0 when the
 * kernel accepted all of it (res->nerrs == 0), 1 when it refused (res
 * holds why), -1 + errno when it could not be sent or read.
 */
int nsh_batch_send(struct nsh_wire *w, struct nsh_batch *b, bool commit,
		   struct nsh_batch_result *res);

/*
 * Which top-level attribute of the message with sequence number seq lies at
 * attr_off (an extack offset), and for a rule, which expression (0-based)
 * and its name; -1 when seq or offset is not found.
 */
int nsh_batch_locate(const struct nsh_batch *b, uint32_t seq, uint32_t attr_off,
		     uint16_t *msg_type, uint16_t *attr, int *expr_idx,
		     char *expr_name, size_t name_len);

#endif

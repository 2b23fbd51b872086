/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inside of struct nsh_txn, shared by txn.c (staging), txn_commit.c and txn_undo.c. */
#ifndef NSH_TXN_INT_H
#define NSH_TXN_INT_H

#include "model/nl/batch.h"
#include "model/txn/txn.h"

/* One rule of a chain's view: a live one (handle) or a staged one (op). */
struct txn_ent {
	uint64_t handle;	/* live rule; 0 for a staged one */
	size_t op;		/* staged: index + 1 of the op that put it; 0 live */
	size_t lr;		/* live: index + 1 in chain->live (decoded), 0 unknown */
	size_t del_op;		/* live: index + 1 of the op that deleted it, 0 kept */
	uint32_t seq0, seq1;	/* staged: the messages that created it, at build */
};

struct txn_chain {
	int family;
	char *table, *name;
	bool base;
	uint32_t hooknum;
	bool create;		/* natsh base chain this transaction creates */
	size_t decl;		/* created from t->dchains[decl - 1] (a load's chain), 0: none */
	bool loaded;		/* live rules known (at least their handles) */
	bool decoded;		/* live rules read as models */
	bool flushed;		/* flushed before being read: every live rule goes */
	size_t flush_op;
	size_t live_at;		/* while !loaded: where the unread live rules sit */
	size_t first_op;	/* the op that first touched the chain */
	struct txn_ent *ents;
	size_t n, cap;
	struct nsh_rule *live;	/* decoded live rules (owned) */
	size_t nlive;
};

enum txn_op_kind { OP_PUT, OP_DEL, OP_FLUSH };

struct txn_op {
	enum txn_op_kind kind;
	enum nsh_txn_where where;
	size_t chain;		/* index in t->chains */
	uint64_t a_handle;	/* anchor: live rule it goes before / replaces / deletes */
	size_t a_op;		/* anchor: staged rule (op index + 1) */
	struct nsh_rule rule;	/* OP_PUT */
	struct nsh_txn_loc loc;
	bool own_line;
};

struct undo_rule {
	uint64_t old_handle;	/* the rule's handle before it was deleted */
	uint64_t anchor;	/* put it back before this handle; 0: at the end */
	struct nsh_rule rule;
};

struct undo_chain {
	int family;
	char *table, *name;
	uint64_t *newh;		/* rules the commit added: delete them */
	char **newtext;		/* their text as natsh wrote them (no counters) */
	size_t nnew;
	struct undo_rule *re;	/* rules the commit deleted: put them back */
	size_t nre;
};

struct undo_rec {
	uint32_t genid;		/* the generation right after the commit */
	bool drop_table;	/* the commit created the table: delete it */
	bool partial;		/* drop_table, but the chains' record is incomplete */
	int family;
	char *table;
	struct undo_chain *ch;
	size_t nch;
	char *broken;		/* why it cannot be undone, or NULL */
	struct nsh_txn_sysctl *sys;	/* the sysctls the commit wrote (with old values) */
	size_t nsys;
};

/* A chain a load declares (created when missing, before every rule). */
struct txn_dchain {
	int family;
	char *table;
	struct nsh_chain def;	/* name, base, type, hooknum, prio, policy; no rules */
	struct nsh_txn_loc loc;
	bool own_line;
};

/* A named set or map a load declares (created or emptied, then filled, before the rules). */
struct txn_dset {
	int family;
	char *table;
	struct nsh_nset set;
	struct nsh_txn_loc loc;
	bool own_line;
};

/* seqmap values from here on name a declaration, not an op. */
#define TXN_DECL_OP ((size_t)1 << 40)

struct nsh_txn {
	bool own_lines, undo;
	struct txn_dchain *dchains;
	size_t ndchains;
	struct txn_dset *dsets;
	size_t ndsets;
	struct nsh_wire *w;
	bool have_genid;
	uint32_t genid;
	int own_state;		/* natsh table: 0 unknown, 1 exists, 2 created here */
	size_t create_op;
	struct txn_chain *chains;
	size_t nchains;
	struct txn_op *ops;
	size_t nops, cap;
	struct undo_rec *hist;
	size_t nhist;
	/* source lines of the last commit's ops: its errors point into them */
	char **old_lines;
	size_t nold;
	/* sysctls to write once the staged changes are applied */
	struct nsh_txn_sysctl *after;
	size_t nafter;
	struct nsh_txn_sysctl *written;	/* what the last commit wrote */
	size_t nwritten;
};

/* Which op each message came from: seq ranges in increasing order. */
struct seqmap {
	struct {
		uint32_t seq;
		size_t op;	/* index + 1; 0: none */
	} *v;
	size_t n, cap;
};

/* txn.c */
const char *txn_plural(size_t n);	/* "s" unless n == 1 */
/* Forget the views (not the ops): before a replay or after a commit. */
void txn_views_clear(struct nsh_txn *t);
/* Read the generation id once per transaction. */
int txn_genid(struct nsh_txn *t, struct nsh_txn_err *e);
/* Find or set up the view of a chain, checking that table and chain exist. */
struct txn_chain *txn_chain_get(struct nsh_txn *t, int family, const char *table,
				const char *chain, struct nsh_txn_err *e);
/* Apply op number opi to its chain's view; -1 + e when it no longer fits. */
int txn_op_apply(struct nsh_txn *t, size_t opi, struct nsh_txn_err *e);

/*
 * A chain view with known live rules and generation, without a kernel: for
 * the unit tests of positions and of what a commit sends.
 */
struct txn_chain *txn_preload(struct nsh_txn *t, int family, const char *table,
			      const char *chain, uint32_t hooknum, const uint64_t *handles,
			      size_t n, uint32_t genid);
struct txn_chain *txn_find_chain(struct nsh_txn *t, int family, const char *table,
				 const char *chain);
/* The lines of the last commit's errors: kept until the next commit or free. */
void txn_keep_lines(struct nsh_txn *t);
void txn_old_lines_free(struct nsh_txn *t);
int txn_load(struct nsh_txn *t, struct txn_chain *c, bool decode, struct nsh_txn_err *e);
struct nsh_rule *txn_ent_rule(struct nsh_txn *t, struct txn_chain *c,
			      const struct txn_ent *x);
void txn_err(struct nsh_txn_err *e, const struct nsh_txn_loc *loc, int err,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* declare.c */
/* The chain declared for family/table/name: its index + 1, 0 when none. */
size_t txn_dchain_find(const struct nsh_txn *t, int family, const char *table, const char *name);
void txn_decl_clear(struct nsh_txn *t);
/* Append the declared chains the views create, then the declared sets (before any rule). */
int txn_build_decl(struct nsh_txn *t, struct nsh_batch *b, struct seqmap *m, struct nsh_txn_err *e);
/* The place of the declaration a seqmap value > TXN_DECL_OP names (NULL: none). */
const struct nsh_txn_loc *txn_decl_loc(const struct nsh_txn *t, size_t v);
void txn_decl_name(const struct nsh_txn *t, size_t v, char *buf, size_t len);
/* commit.c: record that message seq came from op (index + 1). */
void txn_seqmap_put(struct seqmap *m, uint32_t seq, size_t op);

/* txn_commit.c */
/* Drop the after-commit actions (abort), or what the last commit wrote (free). */
void txn_after_clear(struct nsh_txn *t);
void txn_written_clear(struct nsh_txn *t);
/* The op (index + 1) whose message had sequence number seq; 0: none. */
size_t txn_seqmap_get(const struct seqmap *m, uint32_t seq);
/* Append the staged changes to b (echo: ask for new rules' handles). */
int txn_build(struct nsh_txn *t, struct nsh_batch *b, struct seqmap *m, bool echo,
	      bool name_sets, struct nsh_txn_err *e);

/* For every entry of c, the next live rule after it that stays (0: none); caller frees. */
uint64_t *txn_next_kept(const struct txn_chain *c);

/* txn_undo.c */
void txn_record_sysctls(struct nsh_txn *t);
void txn_record(struct nsh_txn *t, uint32_t genid, const struct nsh_batch_result *res);
void txn_hist_clear(struct nsh_txn *t);

/*
 * Decoded read of one chain (model/nl_chain.c): every rule with its handle,
 * anonymous sets resolved.  Caller frees with nsh_rule_clear + free.
 */
int nsh_wire_chain_rules(struct nsh_wire *w, int family, const char *table,
			 const char *chain, struct nsh_rule **rules, size_t *n);

#endif

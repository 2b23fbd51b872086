/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the editing and transaction commands share (cmds/edit.c): the
 * session's write state in ctx->edit, staging with the command's place,
 * and committing — at once for a single interactive command, at the end
 * of a -c string or -f file (ctx->txn_end, called by shell/batch.c), or
 * at `commit` after `begin`.
 *
 * ctx->txn is non-NULL exactly while changes are being staged for later
 * (inside `begin`, or during a batch); the prompt shows it.
 */
#ifndef NSH_CMDS_EDIT_H
#define NSH_CMDS_EDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "cmds/cmd.h"
#include "model/model.h"
#include "model/txn/txn.h"

struct nsh_sysctl_snap;

struct nsh_edit {
	struct nsh_txn *txn;	/* staged changes, socket, undo history */
	bool begun;		/* inside `begin` */
	/* iptables-nft check of the current table, remembered by `use` */
	int xt_family;
	char xt_table[256];
	bool xt;
	/* sysctls as they were at `begin`, for commit confirmed */
	struct nsh_sysctl_snap *sys_base;
	/* what waits for the staged changes to apply (a wizard's conntrack purge) */
	struct nsh_edit_after {
		void (*fn)(struct nsh_ctx *ctx, void *arg, bool applied);
		void *arg;
	} *after;
	size_t nafter;
};

/*
 * Run fn(ctx, arg, applied) once the staged changes are committed
 * (applied = true) or dropped, checked or refused (false: fn frees arg).
 */
void nsh_edit_after_commit(struct nsh_edit *ed, void (*fn)(struct nsh_ctx *ctx, void *arg,
							      bool applied), void *arg);
/* Run and forget what waited for the commit (see nsh_edit_after_commit). */
void nsh_edit_after_run(struct nsh_ctx *ctx, struct nsh_edit *ed, bool applied);

/* The session's write state, created on first use. */
struct nsh_edit *nsh_edit_get(struct nsh_ctx *ctx);

/*
 * ctx->txn follows the state: set during a batch (so that its end commits
 * and frees) and inside `begin`, NULL otherwise.
 */
void nsh_edit_sync(struct nsh_ctx *ctx, struct nsh_edit *ed);

/* Free what the session holds (for nsh_ctx_fini); NULL-safe. */
void nsh_edit_fini(struct nsh_ctx *ctx);

/*
 * The end of a batch (ctx->txn_end): commit what it staged as one
 * transaction, or with --check let the kernel validate it, or drop it.
 */
int nsh_edit_txn_end(struct nsh_ctx *ctx, bool commit);

/* Where a table is named: the long form's [FAMILY] TABLE, or the current one. */
struct nsh_target {
	int family;
	const char *table;
	const char *chain;
	const struct nsh_tok *chain_tok;
	const struct nsh_tok *table_tok;
};

/* Fill t from args (FAMILY, TABLE, CHAIN); -1 after reporting a bad family. */
int nsh_target_get(struct nsh_ctx *ctx, const struct nsh_args *args, struct nsh_target *t);

/* A place in the current command: [off, off+len) of the command's text. */
struct nsh_txn_loc nsh_edit_loc(const struct nsh_ctx *ctx, size_t off, size_t len);
/* The span of the whole command. */
struct nsh_txn_loc nsh_edit_cmd_loc(const struct nsh_ctx *ctx, const struct nsh_args *args);

/* Report a txn error at its place (or the current command's). */
void nsh_edit_report(struct nsh_ctx *ctx, const struct nsh_txn_err *e,
		     const struct nsh_tok *fallback);

/* Report a staging error under the word it is about (table, chain, N/H). */
void nsh_edit_report_target(struct nsh_ctx *ctx, const struct nsh_txn_err *e,
			    const struct nsh_target *t, const struct nsh_tok *num);

/* After staging: commit now unless inside begin or a batch. */
int nsh_edit_done(struct nsh_ctx *ctx, struct nsh_edit *ed);

/*
 * Send what is staged (check: validate only; retry: once on a generation
 * mismatch; record: keep it for undo); reports errors; NSH_OK/NSH_FAIL.
 */
int nsh_edit_commit(struct nsh_ctx *ctx, struct nsh_edit *ed, bool check, bool retry,
		    bool record);
/* The same; errors that belong to no staged command are put under tok. */
int nsh_edit_commit_at(struct nsh_ctx *ctx, struct nsh_edit *ed, bool check, bool retry,
		       bool record, const struct nsh_tok *tok);

/*
 * Parse the RULE of args for the chain of t (checked for its hook) into *r;
 * refuses tables holding iptables-nft rules.  NSH_FAIL after reporting.
 */
int nsh_edit_rule(struct nsh_ctx *ctx, struct nsh_edit *ed, const struct nsh_args *args,
		  const struct nsh_target *t, struct nsh_rule *r, struct nsh_txn_loc *loc);

/*
 * commit confirmed (cmds/confirm.c): commit what is staged keeping an undo
 * record, then start the timer that reverts it (and the sysctls changed
 * since sys_base, or since ctx->confirm_sys) unless `confirm` comes within
 * secs.  NSH_FAIL after reporting.
 */
int nsh_edit_commit_confirmed(struct nsh_ctx *ctx, struct nsh_edit *ed, unsigned secs,
			      const struct nsh_tok *tok);

/*
 * The checks of nsh_edit_rule for a rule already in the model (iptables
 * lines): refuses iptables-nft tables (under tok), unknown tables/chains;
 * *hooknum for nsh_rule_check_hook.  NSH_FAIL after reporting.
 */
int nsh_edit_target_check(struct nsh_ctx *ctx, struct nsh_edit *ed, const struct nsh_target *t,
			  const struct nsh_tok *tok, uint32_t *hooknum);

/* A NUMBER token as a position (1..) or handle; NSH_FAIL after reporting. */
int nsh_edit_number(struct nsh_ctx *ctx, const struct nsh_tok *tok, const char *what,
		    uint64_t *v);

/*
 * Grammar pieces the rule-editing commands share, defined once in edit.c
 * and used by address in their grammars: `rule [FAMILY] TABLE CHAIN`, the
 * short forms' CHAIN, RULE, and a handle H.
 */
extern const struct nsh_gram nsh_edit_g_long;
extern const struct nsh_gram nsh_edit_g_chain;
extern const struct nsh_gram nsh_edit_g_rule;
extern const struct nsh_gram nsh_edit_g_handle;

/*
 * What add, insert, delete and replace do first: the target (nsh_target_get),
 * then N as a position into *pos and H as a handle into *handle when the
 * line has them (0 otherwise).  NSH_FAIL after reporting.
 */
int nsh_edit_args(struct nsh_ctx *ctx, const struct nsh_args *args, struct nsh_target *t,
		  uint64_t *pos, uint64_t *handle);

/*
 * What they do last, with rc from staging: below 0, free r (may be NULL)
 * and report e under the word it is about (nsh_edit_report_target);
 * otherwise nsh_edit_done.
 */
int nsh_edit_staged(struct nsh_ctx *ctx, struct nsh_edit *ed, int rc, struct nsh_rule *r,
		    const struct nsh_txn_err *e, const struct nsh_target *t,
		    const struct nsh_tok *num);

/*
 * add (NSH_TXN_APPEND), insert (NSH_TXN_INSERT) and replace
 * (NSH_TXN_REPLACE): target, N or H, RULE from args; stage the rule there
 * (with H: after it for add, before it for insert) and commit as due.
 */
int nsh_edit_put(struct nsh_ctx *ctx, const struct nsh_args *args, enum nsh_txn_where where);

/*
 * May the shell leave (exit, quit, Ctrl-D)?  With changes staged inside
 * begin it asks (yes with -y); false when the user stays.
 */
bool nsh_edit_may_leave(struct nsh_ctx *ctx);
/* How many changes are staged inside begin (0 outside it). */
size_t nsh_edit_nstaged(struct nsh_ctx *ctx);

#endif

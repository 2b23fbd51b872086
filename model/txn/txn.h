/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * model/txn/: staged changes, their commit, undo and commit-confirmed
 * rollback.  May use model/nl (to send), model/nft (to encode),
 * model/syntax, model, lib.
 *
 * Staged transactions: what natsh is about to change, kept as a view of
 * each chain it touches (live rules by handle, staged rules by id), turned
 * into one nf_tables batch at commit, and undone from the record a commit
 * leaves.  Positions are resolved against the view when a command is
 * staged, so "insert prerouting 2" after "add prerouting ..." in the same
 * batch means what it says.
 *
 * A single `add` (append) reads nothing but the generation id, the table
 * and the chain; only position and handle commands read their one chain.
 *
 * Nothing here prints: errors come back as struct nsh_txn_err with the
 * place (struct nsh_txn_loc) of the command that staged the change.
 */
#ifndef NSH_TXN_H
#define NSH_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "model/model.h"

struct nsh_wire;
struct nsh_txn;

/* Where a staged command came from (a copy of the shell's struct nsh_src). */
struct nsh_txn_loc {
	const char *name;	/* "-c", a file name, NULL interactively */
	unsigned lineno;
	const char *line;	/* the whole source line */
	size_t base;		/* the command's offset in line */
	size_t off, len;	/* the span to underline, relative to base */
};

/* What an error is about, so the caller can underline the right word. */
enum nsh_txn_what { NSH_TE_OTHER, NSH_TE_TABLE, NSH_TE_CHAIN, NSH_TE_RULE };

/* An error with the place of the command it belongs to (loc.line NULL: none). */
struct nsh_txn_err {
	struct nsh_txn_loc loc;
	enum nsh_txn_what what;
	int err;		/* errno, 0 for refusals natsh made itself */
	char msg[512];
};

/*
 * A session's write state.  own_lines: copy the source lines of staged
 * commands (interactive use); without it the caller keeps them valid until
 * commit or abort.  undo: read the rules a change deletes as models, so
 * that a commit can leave an undo record.
 */
struct nsh_txn *nsh_txn_new(bool own_lines, bool undo);
void nsh_txn_free(struct nsh_txn *t);
void nsh_txn_set_lines(struct nsh_txn *t, bool own_lines);

/* The writing socket, opened on first use; NULL + errno. */
struct nsh_wire *nsh_txn_wire(struct nsh_txn *t);

/* Anything staged (rule changes, or sysctls waiting for the commit)? */
bool nsh_txn_pending(const struct nsh_txn *t);
size_t nsh_txn_nops(const struct nsh_txn *t);

/*
 * Make sure family/table/chain can be written: reads the generation id on
 * the first change, creates natsh's own table and base chains in the same
 * transaction when the chain is one of them, and reports an unknown table
 * or chain.  *hooknum is the chain's hook (UINT32_MAX for a regular chain)
 * so the caller can check the rule for it.  -1 + e on refusal.
 */
int nsh_txn_chain(struct nsh_txn *t, int family, const char *table, const char *chain,
		  uint32_t *hooknum, struct nsh_txn_err *e);

enum nsh_txn_where {
	NSH_TXN_APPEND,		/* add: at the end */
	NSH_TXN_INSERT,		/* insert: before position pos (0: at the start) */
	NSH_TXN_REPLACE,	/* replace the rule at position pos */
};

/*
 * Stage a new rule (ownership of *r moves to the transaction; *r is left
 * empty).  Positions are 1-based as `show` prints them; a position that
 * does not exist is refused naming the chain's size.
 */
int nsh_txn_put(struct nsh_txn *t, int family, const char *table, const char *chain,
		enum nsh_txn_where where, uint32_t pos, struct nsh_rule *r,
		const struct nsh_txn_loc *loc, struct nsh_txn_err *e);

/*
 * Stage a new rule before (NSH_TXN_INSERT), after (NSH_TXN_APPEND) or in
 * place of (NSH_TXN_REPLACE) the rule with this handle: nft's `insert|add
 * rule ... position HANDLE`, `replace rule ... handle HANDLE`.  Refused
 * naming the handle when the chain has no such rule.
 */
int nsh_txn_put_handle(struct nsh_txn *t, int family, const char *table, const char *chain,
		       enum nsh_txn_where where, uint64_t handle, struct nsh_rule *r,
		       const struct nsh_txn_loc *loc, struct nsh_txn_err *e);

/* Stage the deletion of the rule at position pos, or (pos 0) with handle. */
int nsh_txn_del(struct nsh_txn *t, int family, const char *table, const char *chain,
		uint32_t pos, uint64_t handle, const struct nsh_txn_loc *loc,
		struct nsh_txn_err *e);

/*
 * The position (1-based, as `show` prints it) of the first rule the chain
 * will have once the staged changes apply (live rules kept, staged ones
 * included) for which same(rule, arg) holds; *pos 0 when none.  Reads the
 * chain's live rules.  -1 + e for an unknown table/chain or a read error.
 */
int nsh_txn_find(struct nsh_txn *t, int family, const char *table, const char *chain,
		 bool (*same)(const struct nsh_rule *r, const void *arg), const void *arg,
		 uint32_t *pos, struct nsh_txn_err *e);

/*
 * A chain a load declares in family/table (def: name, base, type, hook,
 * priority, policy; its rules are staged with nsh_txn_put): created in the
 * transaction when it does not exist, before any rule; an existing one is
 * kept as it is.  Stage it before its first flush or put.
 */
int nsh_txn_declare_chain(struct nsh_txn *t, int family, const char *table,
			  const struct nsh_chain *def, const struct nsh_txn_loc *loc,
			  struct nsh_txn_err *e);

/*
 * A named set or map a load declares (ownership of *s moves; *s is left
 * empty): created when missing, emptied when it exists, then filled with
 * its elements, after the declared chains and before every rule.  Undo and
 * commit confirmed cannot revert a transaction that holds one.
 */
int nsh_txn_declare_set(struct nsh_txn *t, int family, const char *table, struct nsh_nset *s,
			const struct nsh_txn_loc *loc, struct nsh_txn_err *e);

/* Stage the removal of every rule of a chain. */
int nsh_txn_flush(struct nsh_txn *t, int family, const char *table, const char *chain,
		  const struct nsh_txn_loc *loc, struct nsh_txn_err *e);

/*
 * After-commit action: write sysctl key = val once the staged changes are
 * applied (a wizard's sysctls inside begin or a batch).  Not written on a
 * check, nor when the commit is refused; dropped by abort.  A write that
 * fails after the rules went in is an error of the commit.
 */
void nsh_txn_after_sysctl(struct nsh_txn *t, const char *key, const char *val);

/* A sysctl the last commit wrote: key = val, old value before (NULL: unknown). */
struct nsh_txn_sysctl {
	char *key, *val, *old;
};
/* What the last commit wrote after applying; valid until the next commit or free. */
size_t nsh_txn_written(const struct nsh_txn *t, const struct nsh_txn_sysctl **v);

/* Drop everything staged. */
void nsh_txn_abort(struct nsh_txn *t);

/*
 * Send what is staged as one transaction.  check: let the kernel validate
 * it and apply nothing.  retry: on a generation id mismatch re-read what
 * the changes depend on and send once more when they still apply (single
 * commands); without it the commit is refused, saying what changed.
 * record: keep an undo record (asks the kernel to echo new rules' handles).
 * Errors are appended to *errs (caller frees); their loc.line stays valid
 * until the next commit or nsh_txn_free (interactive lines are copies the
 * transaction owns).  Returns 0 when applied (or validated), -1 otherwise.
 * The staged changes are dropped either way.
 */
int nsh_txn_commit(struct nsh_txn *t, bool check, bool retry, bool record,
		   struct nsh_txn_err **errs, size_t *nerrs);

/* One staged change against the live ruleset, as diff lists it. */
enum nsh_change_op {
	NSH_CHANGE_ADD_TABLE,	/* natsh's own table, with its base chains */
	NSH_CHANGE_DEL_TABLE,	/* a table natsh created, with everything in it */
	NSH_CHANGE_ADD,		/* a rule the commit adds */
	NSH_CHANGE_DEL,		/* a live rule the commit deletes */
};

struct nsh_change {
	enum nsh_change_op op;
	int family;
	const char *table;
	const char *chain;	/* NULL for NSH_CHANGE_ADD_TABLE */
	/* ADD: 1-based position after the commit, DEL: before it; 0: unknown (chain not read) */
	size_t pos;
	const struct nsh_rule *rule;	/* NULL: a live rule natsh could not read */
	const char *text;	/* rule NULL: its text when natsh knows it, else NULL */
	uint64_t handle;	/* DEL: the live rule's handle */
};

/*
 * A chain as it will be after the commit, for `show` inside `begin`: its
 * rules in order, each a live one (rule NULL: the live rule with that
 * handle) or a staged one (rule: what it adds).  1 and *v (the caller
 * frees the array; the rules stay valid until the transaction next changes)
 * when the transaction touched the chain; 0 when it did not (the live
 * chain is what will be); -1 + e when its live rules cannot be read.
 */
struct nsh_view_ent {
	uint64_t handle;
	const struct nsh_rule *rule;
};
int nsh_txn_view(struct nsh_txn *t, int family, const char *table, const char *chain,
		 struct nsh_view_ent **v, size_t *n, struct nsh_txn_err *e);

/*
 * The staged changes against the live rules: the own table first, then
 * chain by chain in chain order.  Reads the decoded rules of the chains
 * whose live rules go.  *out (caller frees the array, not what it points
 * to) stays valid until the transaction next changes, commits or is freed.
 */
int nsh_txn_diff(struct nsh_txn *t, struct nsh_change **out, size_t *n, struct nsh_txn_err *e);

/*
 * What undo would revert, as changes against the ruleset (the rules the
 * last commit added go, the rules it deleted come back, the table it
 * created goes) and the sysctls it set (key, val = what it set, old).
 * The arrays are the caller's to free, not what they point to, which stays
 * valid until the next undo or commit.  0 when there is nothing to undo.
 */
size_t nsh_txn_undo_preview(const struct nsh_txn *t, struct nsh_change **v,
			    const struct nsh_txn_sysctl **sys, size_t *nsys);

/* How many commits undo can revert. */
size_t nsh_txn_undo_depth(const struct nsh_txn *t);
/* Revert the last committed change; refused when the ruleset changed since. */
int nsh_txn_undo(struct nsh_txn *t, struct nsh_txn_err *e);

/* What a rollback left as it was because someone else changed it first. */
struct nsh_undo_left {
	bool merged;		/* others changed nf_tables: only natsh's part was reverted */
	size_t n;
	char **v;		/* one sentence each */
};
void nsh_undo_left_clear(struct nsh_undo_left *l);

/*
 * Undo the last commit also when others changed nf_tables since (fail2ban,
 * Docker, another admin): first exactly, at the generation right after the
 * commit; when that moved, as the inverse of natsh's own change against
 * the ruleset as it is then -- its rules that are still as it wrote them
 * go, the rules it deleted come back in place, a table it created goes if
 * nothing else was put in it -- and what someone else changed in those
 * very objects stays, said in *left.  0: all reverted; 1: partly (left);
 * -1: nothing changed (e).
 */
int nsh_txn_undo_merge(struct nsh_txn *t, struct nsh_undo_left *left, struct nsh_txn_err *e);

/*
 * Why the last commit cannot be undone (NULL: it can), and the generation
 * right after it: what commit confirmed hands its timer process.
 */
const char *nsh_txn_undo_broken(const struct nsh_txn *t);
uint32_t nsh_txn_undo_genid(const struct nsh_txn *t);

/* Forget the writing socket without using it (a forked child opens its own). */
void nsh_txn_wire_drop(struct nsh_txn *t);

#endif

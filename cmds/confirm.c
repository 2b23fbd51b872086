/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `confirm`: keep a change made with commit confirmed; and commit confirmed itself. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds/edit.h"
#include "model/txn/confirm.h"
#include "render/out.h"

/* The upper bound keeps a typo (3600000) from arming a timer nobody remembers. */
#define NSH_CONFIRM_MAX 86400

/* See edit.h: refuse a second pending confirmation, commit with a record, start the timer. */
int nsh_edit_commit_confirmed(struct nsh_ctx *ctx, struct nsh_edit *ed, unsigned secs,
			      const struct nsh_tok *tok)
{
	struct nsh_sysctl_snap now = { 0 }, changed = { 0 };
	const struct nsh_sysctl_snap *base = ed->sys_base ? ed->sys_base : ctx->confirm_sys;
	struct nsh_confirm c;
	char err[300];
	int rc;

	if (secs == 0 || secs > NSH_CONFIRM_MAX) {
		nsh_error_at(ctx, tok, "invalid timeout %u: expected 1 to %d seconds", secs,
			     NSH_CONFIRM_MAX);
		return NSH_FAIL;
	}
	if (ctx->check)
		return nsh_edit_commit_at(ctx, ed, true, false, false, tok);
	if (nsh_confirm_pending(&c) == 1) {
		/* the staged changes stay staged: the user decides what becomes of them */
		nsh_error_at(ctx, tok, "a commit confirmed is already pending here (timer pid %d, "
			     "%lld s left): `confirm` it first; nothing was applied%s", (int)c.pid,
			     (long long)(c.deadline - time(NULL)), ed->begun ?
			     ", and what you staged is kept (diff shows it, commit applies it)" : "");
		return NSH_FAIL;
	}
	if (nsh_confirm_ready() < 0) {
		nsh_error_at(ctx, tok, "cannot arm a rollback: %s: %s; nothing was applied%s",
			     NSH_RUN_DIR, strerror(errno), ed->begun ?
			     ", and what you staged is kept (diff shows it)" : "");
		return NSH_FAIL;
	}
	if (!base) {
		nsh_sysctl_snap_take(&now);
		base = &now;
	}
	rc = nsh_edit_commit_at(ctx, ed, false, false, true, tok);
	if (rc != NSH_OK)
		goto out;
	nsh_sysctl_snap_changed(base, &changed);
	if (nsh_confirm_start(ed->txn, secs, &changed, &c, err, sizeof(err)) < 0) {
		nsh_error_at(ctx, tok, "the change was applied but NO rollback is armed: %s; "
			     "use `undo` to revert it", err);
		rc = NSH_FAIL;
		goto out;
	}
	ctx->confirm_secs = 0;	/* armed: main() need not warn */
	nsh_out_obj_open(ctx->out, NULL);
	nsh_out_uint(ctx->out, NSH_C_WARN, "seconds", "committed; rolls back in %llu s unless "
		     "you type `confirm`", secs);
	nsh_out_int(ctx->out, NSH_C_NONE, "pid", " (timer pid %lld", c.pid);
	nsh_out_string(ctx->out, NSH_C_NONE, "log", ", log %s)\n", c.log);
	nsh_out_int(ctx->out, NSH_C_NONE, "deadline", NULL, (int64_t)c.deadline);
	nsh_out_obj_close(ctx->out);
out:
	nsh_sysctl_snap_clear(&now);
	nsh_sysctl_snap_clear(&changed);
	return rc;
}

/* Only a live natsh timer of this namespace is signalled (its name and netns are checked). */
static int confirm_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_confirm c;
	int r = nsh_confirm_pending(&c);
	char *outcome = nsh_confirm_outcome();

	/* a rollback that left something: shown in full, then the notice is cleared */
	if (outcome) {
		nsh_out_obj_open(ctx->out, NULL);
		nsh_out_string(ctx->out, NSH_C_WARN, "rollback_incomplete", "%s", outcome);
		nsh_out_obj_close(ctx->out);
		free(outcome);
		if (!ctx->check)
			nsh_confirm_outcome_clear();
		if (r == 0)
			return NSH_OK;
	}
	if (r < 0) {
		nsh_error_at(ctx, &args->toks[0], "cannot read %s: %s", c.state, strerror(errno));
		return NSH_FAIL;
	}
	if (r == 0) {
		nsh_error_at(ctx, &args->toks[0], "no commit is waiting for confirmation in this "
			     "network namespace (it may have rolled back already: see %s)", c.log);
		return NSH_FAIL;
	}
	if (ctx->check)
		return NSH_OK;
	if (nsh_confirm_keep(&c) < 0) {
		nsh_error_at(ctx, &args->toks[0], "cannot tell the timer (pid %d): %s", (int)c.pid,
			     strerror(errno));
		return NSH_FAIL;
	}
	nsh_out_obj_open(ctx->out, NULL);
	nsh_out_bool(ctx->out, "confirmed", "confirmed: the change stays", true);
	nsh_out_int(ctx->out, NSH_C_NONE, "pid", " (timer pid %lld ended)\n", c.pid);
	nsh_out_obj_close(ctx->out);
	return NSH_OK;
}

static const char *const confirm_examples[] = {
	"begin; add prerouting tcp dport 8080 dnat to 192.0.2.10; commit confirmed 60",
	"confirm",
	"natsh --confirm 30 -f rules.nat   # then, from a new session: natsh confirm",
	NULL
};

const struct nsh_cmd nsh_cmd_confirm = {
	.name = "confirm",
	.group = NSH_GRP_TRANSACTIONS,
	.summary = "keep a change made with commit confirmed (stops its rollback)",
	.description =
		"After `commit confirmed SECONDS` (or natsh --confirm SECONDS), a detached\n"
		"timer process reverts the change unless `confirm` is given in time.  Any\n"
		"natsh in the same network namespace can confirm: the pending confirmation\n"
		"is kept in /run/natsh/confirm-<netns inode>.json and shown in the prompt.\n"
		"The timer logs to syslog and to /run/natsh/confirm-<netns inode>.log.",
	.examples = confirm_examples,
	.exec = confirm_exec,
};

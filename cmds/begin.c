/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `begin`: stage the following changes until `commit` or `abort`. */
#include <stdlib.h>

#include "cmds/edit.h"
#include "lib/util.h"
#include "model/txn/confirm.h"

/* From here on changes are staged; the prompt shows it (ctx->txn). */
static int begin_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);

	if (ed->begun) {
		nsh_error_at(ctx, &args->toks[0], "a transaction is already open: `commit` or "
			     "`abort` it first");
		return NSH_FAIL;
	}
	ed->begun = true;
	/* what commit confirmed puts back: the sysctls as they are now */
	if (ed->sys_base)
		nsh_sysctl_snap_clear(ed->sys_base);
	else
		ed->sys_base = nsh_xcalloc(1, sizeof(*ed->sys_base));
	nsh_sysctl_snap_take(ed->sys_base);
	nsh_edit_sync(ctx, ed);
	return NSH_OK;
}

static const char *const begin_examples[] = { "begin", NULL };

const struct nsh_cmd nsh_cmd_begin = {
	.name = "begin",
	.group = NSH_GRP_TRANSACTIONS,
	.summary = "stage the following changes as one transaction",
	.description =
		"Changes after `begin` are staged, not applied: `diff` shows them,\n"
		"`commit` applies them all at once (or none), `abort` drops them.  The\n"
		"commit is refused, and nothing applied, when someone else changed the\n"
		"ruleset since natsh read it.",
	.examples = begin_examples,
	.exec = begin_exec,
};

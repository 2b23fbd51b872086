/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `flush CHAIN` and `flush chain [FAMILY] TABLE CHAIN`: delete every rule of a chain. */
#include "cmds/edit.h"

/* One kernel message empties the chain; the chain itself stays. */
static int flush_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	struct nsh_txn_loc loc = nsh_edit_cmd_loc(ctx, args);
	struct nsh_target t;
	struct nsh_txn_err e;

	if (nsh_target_get(ctx, args, &t) < 0)
		return NSH_FAIL;
	if (nsh_txn_flush(ed->txn, t.family, t.table, t.chain, &loc, &e) < 0) {
		nsh_edit_report_target(ctx, &e, &t, NULL);
		return NSH_FAIL;
	}
	return nsh_edit_done(ctx, ed);
}

static const char *const flush_examples[] = {
	"flush prerouting",
	"flush chain ip nat POSTROUTING",
	NULL
};

const struct nsh_cmd nsh_cmd_flush = {
	.name = "flush",
	.group = NSH_GRP_EDITING,
	.summary = "delete every rule of a chain",
	.args = NSH_ALT(
		NSH_SEQ(NSH_WORD("chain", "nft's long form: name the table"),
			NSH_OPT(NSH_VAL("FAMILY", NSH_VK_FAMILY, "ip, ip6 or inet (default ip)")),
			NSH_VAL("TABLE", NSH_VK_TABLE, "the table"),
			NSH_VAL("CHAIN", NSH_VK_CHAIN, "the chain")),
		NSH_VAL("CHAIN", NSH_VK_CHAIN, "a chain of the current table")),
	.description = "Deletes every rule of CHAIN; the chain, its hook and policy stay.",
	.examples = flush_examples,
	.exec = flush_exec,
};

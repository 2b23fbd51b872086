/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `replace CHAIN N RULE`: put a new rule in place of the one at position N. */
#include "cmds/edit.h"

/* The rule at N goes and the new one takes its place, in one transaction. */
static int replace_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	const struct nsh_tok *nt = nsh_args_get(args, "N");
	struct nsh_rule r = { 0 };
	struct nsh_target t;
	struct nsh_txn_loc loc;
	struct nsh_txn_err e;
	uint64_t pos = 0;

	if (nsh_target_get(ctx, args, &t) < 0)
		return NSH_FAIL;
	if (nsh_edit_number(ctx, nt, "position", &pos) != NSH_OK)
		return NSH_FAIL;
	if (nsh_edit_rule(ctx, ed, args, &t, &r, &loc) != NSH_OK)
		return NSH_FAIL;
	if (nsh_txn_put(ed->txn, t.family, t.table, t.chain, NSH_TXN_REPLACE, (uint32_t)pos, &r,
			&loc, &e) < 0) {
		nsh_rule_clear(&r);
		nsh_edit_report_target(ctx, &e, &t, nt);
		return NSH_FAIL;
	}
	return nsh_edit_done(ctx, ed);
}

static const char *const replace_examples[] = {
	"replace prerouting 1 tcp dport 8080 dnat to 192.0.2.11:80",
	NULL
};

const struct nsh_cmd nsh_cmd_replace = {
	.name = "replace",
	.group = NSH_GRP_EDITING,
	.summary = "replace the rule at position N",
	.args = NSH_SEQ(NSH_VAL("CHAIN", NSH_VK_CHAIN, "a chain of the current table"),
			NSH_VAL("N", NSH_VK_POSITION, "the position of the rule to replace"),
			NSH_VAL("RULE", NSH_VK_RULE, "the new rule, in nft syntax")),
	.description =
		"Replaces the rule at position N of CHAIN (the numbers `show` prints)\n"
		"with RULE; the new rule starts with zero counters.",
	.examples = replace_examples,
	.exec = replace_exec,
};

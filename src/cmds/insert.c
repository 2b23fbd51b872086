/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `insert CHAIN [N] RULE`: put a rule at the start, or at position N. */
#include "cmds/edit.h"

/* Only a position reads the chain (its handles), never the whole ruleset. */
static int insert_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	const struct nsh_tok *nt = nsh_args_get(args, "N"), *ht = nsh_args_get(args, "H");
	struct nsh_rule r = { 0 };
	struct nsh_target t;
	struct nsh_txn_loc loc;
	struct nsh_txn_err e;
	uint64_t pos = 0, handle = 0;
	int rc;

	if (nsh_target_get(ctx, args, &t) < 0)
		return NSH_FAIL;
	if (nt && nsh_edit_number(ctx, nt, "position", &pos) != NSH_OK)
		return NSH_FAIL;
	if (ht && nsh_edit_number(ctx, ht, "handle", &handle) != NSH_OK)
		return NSH_FAIL;
	if (nsh_edit_rule(ctx, ed, args, &t, &r, &loc) != NSH_OK)
		return NSH_FAIL;
	if (ht)
		rc = nsh_txn_put_handle(ed->txn, t.family, t.table, t.chain, false, handle, &r,
					&loc, &e);
	else
		rc = nsh_txn_put(ed->txn, t.family, t.table, t.chain, NSH_TXN_INSERT,
				 (uint32_t)pos, &r, &loc, &e);
	if (rc < 0) {
		nsh_rule_clear(&r);
		nsh_edit_report_target(ctx, &e, &t, nt ? nt : ht);
		return NSH_FAIL;
	}
	return nsh_edit_done(ctx, ed);
}

static const char *const insert_examples[] = {
	"insert prerouting tcp dport 22 accept",
	"insert prerouting 2 iifname \"eth0\" udp dport 53 dnat to 192.0.2.53",
	"insert rule inet natsh prerouting tcp dport 2222 redirect to :22",
	NULL
};

const struct nsh_cmd nsh_cmd_insert = {
	.name = "insert",
	.group = NSH_GRP_EDITING,
	.summary = "insert a rule at the start of a chain or at position N",
	.args = NSH_ALT(
		NSH_SEQ(NSH_WORD("rule", "nft's long form: name the table"),
			NSH_OPT(NSH_VAL("FAMILY", NSH_VK_FAMILY, "ip, ip6 or inet (default ip)")),
			NSH_VAL("TABLE", NSH_VK_TABLE, "the table"),
			NSH_VAL("CHAIN", NSH_VK_CHAIN, "the chain"),
			NSH_OPT(NSH_ALT(NSH_SEQ(NSH_WORD("position",
							 "before the rule with this handle"),
						NSH_VAL("H", NSH_VK_HANDLE, "the handle")),
					NSH_VAL("N", NSH_VK_POSITION,
						"the position it takes (1 = first)"))),
			NSH_VAL("RULE", NSH_VK_RULE, "the rule, in nft syntax")),
		NSH_SEQ(NSH_VAL("CHAIN", NSH_VK_CHAIN, "a chain of the current table"),
			NSH_OPT(NSH_VAL("N", NSH_VK_POSITION, "the position it takes (1 = first)")),
			NSH_VAL("RULE", NSH_VK_RULE, "the rule, in nft syntax"))),
	.description =
		"Inserts RULE as the first rule of CHAIN, or before the rule now at\n"
		"position N (the numbers `show` prints), so that it takes position N.\n"
		"A position that does not exist is an error naming the chain's size.\n"
		"In the long form `position H` means, as in nft, before the rule with\n"
		"handle H.",
	.examples = insert_examples,
	.exec = insert_exec,
};

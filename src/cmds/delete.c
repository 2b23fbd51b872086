/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `delete CHAIN N`, `delete CHAIN handle H`, `delete rule [FAMILY] TABLE CHAIN handle H`. */
#include <errno.h>

#include "cmds/edit.h"

/* Deleting is allowed in every table, iptables-nft ones included. */
static int delete_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	const struct nsh_tok *nt = nsh_args_get(args, "N"), *ht = nsh_args_get(args, "H");
	struct nsh_txn_loc loc = nsh_edit_cmd_loc(ctx, args);
	struct nsh_target t;
	struct nsh_txn_err e;
	uint64_t pos = 0, handle = 0;

	if (nsh_target_get(ctx, args, &t) < 0)
		return NSH_FAIL;
	if (nt && nsh_edit_number(ctx, nt, "position", &pos) != NSH_OK)
		return NSH_FAIL;
	if (ht && nsh_edit_number(ctx, ht, "handle", &handle) != NSH_OK)
		return NSH_FAIL;
	if (nsh_txn_del(ed->txn, t.family, t.table, t.chain, (uint32_t)pos, handle, &loc,
			&e) < 0) {
		nsh_edit_report_target(ctx, &e, &t, nt ? nt : ht);
		return NSH_FAIL;
	}
	return nsh_edit_done(ctx, ed);
}

static const char *const delete_examples[] = {
	"delete prerouting 2",
	"delete prerouting handle 7",
	"delete rule ip nat PREROUTING handle 12",
	NULL
};

const struct nsh_cmd nsh_cmd_delete = {
	.name = "delete",
	.group = NSH_GRP_EDITING,
	.summary = "delete the rule at position N or with handle H",
	.args = NSH_ALT(
		NSH_SEQ(NSH_WORD("rule", "nft's long form: name the table"),
			NSH_OPT(NSH_VAL("FAMILY", NSH_VK_FAMILY, "ip, ip6 or inet (default ip)")),
			NSH_VAL("TABLE", NSH_VK_TABLE, "the table"),
			NSH_VAL("CHAIN", NSH_VK_CHAIN, "the chain"),
			NSH_WORD("handle", "the rule's handle (show prints it)"),
			NSH_VAL("H", NSH_VK_HANDLE, "the handle")),
		NSH_SEQ(NSH_VAL("CHAIN", NSH_VK_CHAIN, "a chain of the current table"),
			NSH_ALT(NSH_SEQ(NSH_WORD("handle", "by handle (show prints it)"),
					NSH_VAL("H", NSH_VK_HANDLE, "the handle")),
				NSH_VAL("N", NSH_VK_POSITION, "the rule's position (1 = first)")))),
	.description =
		"Deletes one rule: by its position in CHAIN (the numbers `show` prints)\n"
		"or by its handle.  Rules written by iptables-nft can be deleted too.",
	.examples = delete_examples,
	.exec = delete_exec,
};

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
	uint64_t pos, handle;
	int rc;

	if (nsh_edit_args(ctx, args, &t, &pos, &handle) != NSH_OK)
		return NSH_FAIL;
	rc = nsh_txn_del(ed->txn, t.family, t.table, t.chain, (uint32_t)pos, handle, &loc, &e);
	return nsh_edit_staged(ctx, ed, rc, NULL, &e, &t, nt ? nt : ht);
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
		NSH_SEQ(&nsh_edit_g_long,
			NSH_WORD("handle", "the rule's handle (show prints it)"),
			&nsh_edit_g_handle),
		NSH_SEQ(&nsh_edit_g_chain,
			NSH_ALT(NSH_SEQ(NSH_WORD("handle", "by handle (show prints it)"),
					&nsh_edit_g_handle),
				NSH_VAL("N", NSH_VK_POSITION, "the rule's position (1 = first)")))),
	.description =
		"Deletes one rule: by its position in CHAIN (the numbers `show` prints)\n"
		"or by its handle.  Rules written by iptables-nft can be deleted too.",
	.examples = delete_examples,
	.exec = delete_exec,
};

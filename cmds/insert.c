/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `insert CHAIN [N] RULE`: put a rule at the start, or at position N. */
#include "cmds/edit.h"

/* Only a position reads the chain (its handles), never the whole ruleset. */
static int insert_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	return nsh_edit_put(ctx, args, NSH_TXN_INSERT);
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
		NSH_SEQ(&nsh_edit_g_long,
			NSH_OPT(NSH_ALT(NSH_SEQ(NSH_WORD("position",
							 "before the rule with this handle"),
						&nsh_edit_g_handle),
					NSH_VAL("N", NSH_VK_POSITION,
						"the position it takes (1 = first)"))),
			&nsh_edit_g_rule),
		NSH_SEQ(&nsh_edit_g_chain,
			NSH_OPT(NSH_VAL("N", NSH_VK_POSITION, "the position it takes (1 = first)")),
			&nsh_edit_g_rule)),
	.description =
		"Inserts RULE as the first rule of CHAIN, or before the rule now at\n"
		"position N (the numbers `show` prints), so that it takes position N.\n"
		"A position that does not exist is an error naming the chain's size.\n"
		"In the long form `position H` means, as in nft, before the rule with\n"
		"handle H.",
	.examples = insert_examples,
	.exec = insert_exec,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `replace CHAIN N RULE`, `replace CHAIN handle H RULE`, `replace rule
 * [FAMILY] TABLE CHAIN handle H RULE`: a new rule in place of the old one.
 */
#include "cmds/edit.h"

/* The rule at N goes and the new one takes its place, in one transaction. */
static int replace_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	return nsh_edit_put(ctx, args, NSH_TXN_REPLACE);
}

static const char *const replace_examples[] = {
	"replace prerouting 1 tcp dport 8080 dnat to 192.0.2.11:80",
	"replace prerouting handle 7 tcp dport 8080 dnat to 192.0.2.11:80",
	"replace rule ip nat PREROUTING handle 12 tcp dport 25 dnat to 192.0.2.25",
	NULL
};

const struct nsh_cmd nsh_cmd_replace = {
	.name = "replace",
	.group = NSH_GRP_EDITING,
	.summary = "replace the rule at position N or with handle H",
	.args = NSH_ALT(
		NSH_SEQ(&nsh_edit_g_long,
			NSH_WORD("handle", "the rule's handle (show prints it)"),
			&nsh_edit_g_handle,
			NSH_VAL("RULE", NSH_VK_RULE, "the new rule, in nft syntax")),
		NSH_SEQ(&nsh_edit_g_chain,
			NSH_ALT(NSH_SEQ(NSH_WORD("handle", "by handle (show prints it)"),
					&nsh_edit_g_handle),
				NSH_VAL("N", NSH_VK_POSITION, "the position of the rule to replace")),
			NSH_VAL("RULE", NSH_VK_RULE, "the new rule, in nft syntax"))),
	.description =
		"Replaces the rule at position N of CHAIN (the numbers `show` prints),\n"
		"or the rule with handle H, with RULE; the new rule starts with zero\n"
		"counters.  Rules natsh does not understand can be replaced too.",
	.examples = replace_examples,
	.exec = replace_exec,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `add CHAIN RULE` and `add rule [FAMILY] TABLE CHAIN RULE`: append a rule. */
#include "cmds/edit.h"

/* Append: reads nothing but the generation, the table and the chain (position H reads it). */
static int add_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	return nsh_edit_put(ctx, args, NSH_TXN_APPEND);
}

static const char *const add_examples[] = {
	"add prerouting iifname \"eth0\" tcp dport 8080 dnat to 192.0.2.10:80",
	"add postrouting oifname \"eth0\" masquerade",
	"add rule inet natsh postrouting ip saddr 192.0.2.0/24 snat to 198.51.100.1",
	"add rule ip nat PREROUTING position 12 tcp dport 25 dnat to 192.0.2.25",
	NULL
};

const struct nsh_cmd nsh_cmd_add = {
	.name = "add",
	.group = NSH_GRP_EDITING,
	.summary = "append a rule to a chain",
	.args = NSH_ALT(
		NSH_SEQ(&nsh_edit_g_long,
			NSH_OPT(NSH_SEQ(NSH_WORD("position", "after the rule with this handle"),
					&nsh_edit_g_handle)),
			&nsh_edit_g_rule),
		NSH_SEQ(&nsh_edit_g_chain, &nsh_edit_g_rule)),
	.description =
		"Appends RULE at the end of CHAIN in the current table (see `use`), or in\n"
		"TABLE with the long form (with `position H`: after the rule with handle H,\n"
		"as nft does).  natsh adds `counter` unless the rule says\n"
		"`nocounter`.  natsh's own table inet natsh and its base chains\n"
		"prerouting, output, postrouting and input are created with the first\n"
		"rule, in the same transaction.  Outside `begin` the change is applied at\n"
		"once; in a -c string or a file, with everything else, at the end.",
	.examples = add_examples,
	.exec = add_exec,
};

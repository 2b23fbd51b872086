/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `add CHAIN RULE` and `add rule [FAMILY] TABLE CHAIN RULE`: append a rule. */
#include "cmds/edit.h"

/* Append: reads nothing but the generation, the table and the chain (position H reads it). */
static int add_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	struct nsh_rule r = { 0 };
	struct nsh_target t;
	struct nsh_txn_loc loc;
	const struct nsh_tok *ht = nsh_args_get(args, "H");
	struct nsh_txn_err e;
	uint64_t handle = 0;
	int rc;

	if (nsh_target_get(ctx, args, &t) < 0)
		return NSH_FAIL;
	if (ht && nsh_edit_number(ctx, ht, "handle", &handle) != NSH_OK)
		return NSH_FAIL;
	if (nsh_edit_rule(ctx, ed, args, &t, &r, &loc) != NSH_OK)
		return NSH_FAIL;
	if (ht)
		rc = nsh_txn_put_handle(ed->txn, t.family, t.table, t.chain, true, handle, &r,
					&loc, &e);
	else
		rc = nsh_txn_put(ed->txn, t.family, t.table, t.chain, NSH_TXN_APPEND, 0, &r,
				 &loc, &e);
	if (rc < 0) {
		nsh_rule_clear(&r);
		nsh_edit_report_target(ctx, &e, &t, ht);
		return NSH_FAIL;
	}
	return nsh_edit_done(ctx, ed);
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
		NSH_SEQ(NSH_WORD("rule", "nft's long form: name the table"),
			NSH_OPT(NSH_VAL("FAMILY", NSH_VK_FAMILY, "ip, ip6 or inet (default ip)")),
			NSH_VAL("TABLE", NSH_VK_TABLE, "the table"),
			NSH_VAL("CHAIN", NSH_VK_CHAIN, "the chain"),
			NSH_OPT(NSH_SEQ(NSH_WORD("position", "after the rule with this handle"),
					NSH_VAL("H", NSH_VK_HANDLE, "the handle"))),
			NSH_VAL("RULE", NSH_VK_RULE, "the rule, in nft syntax")),
		NSH_SEQ(NSH_VAL("CHAIN", NSH_VK_CHAIN, "a chain of the current table"),
			NSH_VAL("RULE", NSH_VK_RULE, "the rule, in nft syntax"))),
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `use [FAMILY] TABLE`: the table short commands write to. */
#include <string.h>

#include "cmds/edit.h"
#include "model/nl_batch.h"

/* Switch only to a NAT table that exists (or natsh's own, made on first write). */
static int use_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *ft = nsh_args_get(args, "FAMILY"), *tt = nsh_args_get(args, "TABLE");
	struct nsh_edit *ed;
	struct nsh_table *tab;
	int family = NSH_FAM_IP, r;

	if (ft && (family = nsh_family_parse(ft->s)) < 0) {
		nsh_error_at(ctx, ft, "unknown family \"%s\": ip, ip6 or inet", ft->s);
		return NSH_FAIL;
	}
	if (!ft && !strcmp(tt->s, NSH_OWN_TABLE))
		family = NSH_OWN_FAMILY;
	if (family == NSH_OWN_FAMILY && !strcmp(tt->s, NSH_OWN_TABLE))
		goto ok;
	if (nsh_ctx_refresh(ctx) != NSH_OK)
		return NSH_FAIL;
	tab = nsh_ruleset_find_table(ctx->cache, family, tt->s);
	if (!tab) {
		ed = nsh_edit_get(ctx);
		r = nsh_txn_wire(ed->txn) ?
			nsh_wire_table_exists(nsh_txn_wire(ed->txn), family, tt->s) : -1;
		if (r > 0)
			nsh_error_at(ctx, tt, "table %s %s has no chain of type nat: natsh edits NAT "
				     "tables only", nsh_family_name(family), tt->s);
		else
			nsh_error_at(ctx, tt, "no table %s %s", nsh_family_name(family), tt->s);
		return NSH_FAIL;
	}
	ed = nsh_edit_get(ctx);
	ed->xt_family = family;
	strncpy(ed->xt_table, tt->s, sizeof(ed->xt_table) - 1);
	ed->xt = tab->has_xt;
	if (tab->has_xt)
		nsh_warn(ctx, "table %s %s holds rules written by iptables-nft: natsh shows them and "
			 "can delete them, but will not add native rules to it (use inet natsh)",
			 nsh_family_name(family), tt->s);
ok:
	ctx->family = family;
	strncpy(ctx->table, tt->s, sizeof(ctx->table) - 1);
	ctx->table[sizeof(ctx->table) - 1] = '\0';
	return NSH_OK;
}

static const char *const use_examples[] = { "use inet natsh", "use ip nat", NULL };

const struct nsh_cmd nsh_cmd_use = {
	.name = "use",
	.group = NSH_GRP_EDITING,
	.summary = "choose the table that short commands write to",
	.args = NSH_SEQ(NSH_OPT(NSH_VAL("FAMILY", NSH_VK_FAMILY, "ip, ip6 or inet (default ip)")),
			NSH_VAL("TABLE", NSH_VK_TABLE, "a table with a nat chain")),
	.description =
		"Makes TABLE the one `add`, `insert`, `replace`, `delete`, `flush` and\n"
		"`counters reset` work on.  The default is natsh's own table inet natsh.\n"
		"A table holding rules written by iptables-nft can be chosen (to delete\n"
		"its rules), but natsh refuses to add native rules to it, since\n"
		"`iptables-nft -L` could no longer read it.",
	.examples = use_examples,
	.exec = use_exec,
};

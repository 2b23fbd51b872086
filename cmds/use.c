/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `use [FAMILY] TABLE`: the table short commands write to. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmds/edit.h"
#include "model/nl/batch.h"

/* Switch only to a table that exists (or natsh's own, made on first write). */
static int use_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *ft = nsh_args_get(args, "FAMILY"), *tt = nsh_args_get(args, "TABLE");
	struct nsh_edit *ed;
	struct nsh_wire *w;
	int family = NSH_FAM_IP, r;

	if (ft && (family = nsh_family_parse(ft->s)) < 0) {
		nsh_error_at(ctx, ft, "unknown family \"%s\": ip, ip6 or inet", ft->s);
		return NSH_FAIL;
	}
	if (!ft && !strcmp(tt->s, NSH_OWN_TABLE))
		family = NSH_OWN_FAMILY;
	if (family == NSH_OWN_FAMILY && !strcmp(tt->s, NSH_OWN_TABLE))
		goto ok;
	ed = nsh_edit_get(ctx);
	w = nsh_txn_wire(ed->txn);
	r = w ? nsh_wire_table_exists(w, family, tt->s) : -1;
	if (r <= 0) {
		if (r < 0)
			nsh_error_at(ctx, tt, "cannot read table %s %s: %s", nsh_family_name(family),
				     tt->s, strerror(errno));
		else
			nsh_error_at(ctx, tt, "no table %s %s", nsh_family_name(family), tt->s);
		return NSH_FAIL;
	}
	r = nsh_wire_table_has_xt(w, family, tt->s);
	if (r < 0) {
		nsh_error_at(ctx, tt, "cannot read table %s %s: %s", nsh_family_name(family), tt->s,
			     strerror(errno));
		return NSH_FAIL;
	}
	ed->xt_family = family;
	snprintf(ed->xt_table, sizeof(ed->xt_table), "%s", tt->s);
	ed->xt = r;
	if (r)
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

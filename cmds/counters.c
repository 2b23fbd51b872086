/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `counters reset [CHAIN [N]]`: zero packet and byte counters. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/edit.h"
#include "model/nl/batch.h"
#include "render/out.h"

/* The kernel resets as it reads (NFT_MSG_GETRULE_RESET): not part of a transaction. */
static int counters_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *ct = nsh_args_get(args, "CHAIN"), *nt = nsh_args_get(args, "N");
	struct nsh_edit *ed = nsh_edit_get(ctx);
	struct nsh_wire *w = nsh_txn_wire(ed->txn);
	struct nsh_wire_chain wc;
	uint64_t pos = 0, *h = NULL, handle = 0;
	size_t n = 0, nreset = 0;
	int r;

	if (!w) {
		nsh_error(ctx, "cannot open netlink: %s", strerror(errno));
		return NSH_FAIL;
	}
	if (nt && nsh_edit_number(ctx, nt, "position", &pos) != NSH_OK)
		return NSH_FAIL;
	if (ct) {
		r = nsh_wire_chain_get(w, ctx->family, ctx->table, ct->s, &wc);
		if (r <= 0) {
			if (r < 0)
				nsh_error_at(ctx, ct, "cannot read chain %s: %s", ct->s, strerror(errno));
			else
				nsh_error_at(ctx, ct, "table %s %s has no chain \"%s\"",
					     nsh_family_name(ctx->family), ctx->table, ct->s);
			return NSH_FAIL;
		}
	} else if (nsh_wire_table_exists(w, ctx->family, ctx->table) <= 0) {
		nsh_error(ctx, "no table %s %s", nsh_family_name(ctx->family), ctx->table);
		return NSH_FAIL;
	}
	if (pos) {
		if (nsh_wire_chain_handles(w, ctx->family, ctx->table, ct->s, &h, &n) < 0) {
			nsh_error_at(ctx, ct, "cannot read chain %s: %s", ct->s, strerror(errno));
			return NSH_FAIL;
		}
		if (pos > n) {
			nsh_error_at(ctx, nt, "no rule at position %llu: chain %s has %zu rule%s",
				     (unsigned long long)pos, ct->s, n, n == 1 ? "" : "s");
			free(h);
			return NSH_FAIL;
		}
		handle = h[pos - 1];
		free(h);
	}
	if (ctx->check)
		return NSH_OK;
	if (nsh_wire_counters_reset(w, ctx->family, ctx->table, ct ? ct->s : NULL, handle,
				    &nreset) < 0) {
		if (errno == EOPNOTSUPP || errno == EINVAL)
			nsh_error(ctx, "this kernel cannot reset rule counters (needs Linux 6.3 or "
				  "later)");
		else
			nsh_error(ctx, "cannot reset counters: %s", strerror(errno));
		return NSH_FAIL;
	}
	if (ctx->interactive)
		nsh_out_text(ctx->out, "counters of %zu rule%s reset\n", nreset,
			     nreset == 1 ? "" : "s");
	return NSH_OK;
}

static const char *const counters_examples[] = {
	"counters reset", "counters reset prerouting", "counters reset prerouting 2", NULL
};

const struct nsh_cmd nsh_cmd_counters = {
	.name = "counters",
	.group = NSH_GRP_EDITING,
	.summary = "reset rule counters",
	.args = NSH_SEQ(NSH_WORD("reset", "set packets and bytes back to zero"),
			NSH_OPT(NSH_SEQ(NSH_VAL("CHAIN", NSH_VK_CHAIN, "only this chain"),
					NSH_OPT(NSH_VAL("N", NSH_VK_POSITION,
							"only the rule at this position"))))),
	.description =
		"Sets the packet and byte counters of the current table's rules back to\n"
		"zero: all of them, those of CHAIN, or the rule at position N.  This\n"
		"takes effect at once (it is not part of a transaction).",
	.examples = counters_examples,
	.exec = counters_exec,
};

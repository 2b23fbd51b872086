/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The session: created and released here; what commands ask of it
 * (netlink, the ruleset) is cmds/session.c.
 */
#include <string.h>

#include "cmds/edit.h"
#include "completions/complete.h"
#include "model/nl/nl.h"
#include "render/out.h"
#include "shell/shell.h"

/* A fresh session: no netlink yet, current table inet natsh. */
void nsh_ctx_init(struct nsh_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->family = NSH_FAM_INET;
	strcpy(ctx->table, "natsh");
	ctx->complete_rule = nsh_complete_rule_nft;
}

/* Release what the session holds, its write state (staged changes, undo) included. */
void nsh_ctx_fini(struct nsh_ctx *ctx)
{
	nsh_edit_fini(ctx);
	nsh_complete_fini(ctx);
	nsh_ruleset_free(ctx->cache);
	ctx->cache = NULL;
	if (ctx->nl)
		nsh_nl_close(ctx->nl);
	ctx->nl = NULL;
	nsh_out_free(ctx->out);
	ctx->out = NULL;
}

/*
 * For completion: cheap when nothing changed (one generation query), and
 * else tables and chains only (completions/complete.c); never reports.
 */
int nsh_ctx_refresh_cached(struct nsh_ctx *ctx)
{
	bool quiet = ctx->quiet;
	unsigned nerr = ctx->nerrors;
	int ret = NSH_OK;

	ctx->quiet = true;
	if (nsh_ctx_open_nl(ctx) != NSH_OK) {
		ret = NSH_FAIL;
		goto out;
	}
	if (nsh_complete_refresh(ctx) < 0)
		ret = NSH_FAIL;
out:
	ctx->quiet = quiet;
	ctx->nerrors = nerr;
	return ret;
}

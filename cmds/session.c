/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a command asks of the session: netlink opened lazily, the ruleset
 * (re)read into ctx->cache, and the one place that turns a netlink errno
 * into what the user reads.
 */
#include <errno.h>
#include <string.h>

#include "cmds/cmd.h"
#include "model/nl/nl.h"

/* The words the user reads for a netlink errno. */
const char *nsh_ctx_strerror(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return "permission denied: managing NAT needs CAP_NET_ADMIN (run as root)";
	case EPROTONOSUPPORT:
	case EAFNOSUPPORT:
		return "this kernel has no nf_tables (load the nf_tables module, or use a kernel "
		       "built with CONFIG_NF_TABLES)";
	default:
		return strerror(err);
	}
}

/* Netlink is opened on first use, so help and typos never need privileges. */
int nsh_ctx_open_nl(struct nsh_ctx *ctx)
{
	if (ctx->nl)
		return NSH_OK;
	ctx->nl = nsh_nl_open();
	if (!ctx->nl) {
		int e = errno;

		if (e == EPERM || e == EACCES || e == EPROTONOSUPPORT || e == EAFNOSUPPORT)
			nsh_error(ctx, "%s", nsh_ctx_strerror(e));
		else
			nsh_error(ctx, "cannot open netfilter netlink socket: %s", strerror(e));
		return NSH_FAIL;
	}
	return NSH_OK;
}

/* Dump into ctx->cache; report unless quiet. */
static int ctx_dump(struct nsh_ctx *ctx)
{
	struct nsh_ruleset *rs;
	int e;

	if (nsh_ctx_open_nl(ctx) != NSH_OK)
		return NSH_FAIL;
	rs = nsh_ruleset_dump(ctx->nl);
	if (!rs) {
		e = errno;
		if (e == EPERM || e == EACCES)
			nsh_error(ctx, "%s", nsh_ctx_strerror(e));
		else if (e == EPROTONOSUPPORT || e == EAFNOSUPPORT || e == ENOENT)
			nsh_error(ctx, "%s", nsh_ctx_strerror(EPROTONOSUPPORT));
		else
			nsh_error(ctx, "cannot read the NAT ruleset: %s", strerror(e));
		return NSH_FAIL;
	}
	nsh_ruleset_free(ctx->cache);
	ctx->cache = rs;
	return NSH_OK;
}

/* Always re-reads: counters change without the generation changing. */
int nsh_ctx_refresh(struct nsh_ctx *ctx)
{
	return ctx_dump(ctx);
}

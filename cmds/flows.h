/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Flows per rule for the commands (show, conntrack rule, wizard show): one
 * conntrack dump attributed to the NAT rules of a ruleset (model/flows.h),
 * with the router's addresses read for masquerade, redirect and fib.
 */
#ifndef NSH_CMD_FLOWS_H
#define NSH_CMD_FLOWS_H

#include "cmds/cmd.h"
#include "model/flows.h"

/* Called per entry with the rules it was attributed to (n may be 0). */
typedef void (*nsh_flow_visit)(const struct nsh_ct *ct, const struct nsh_flow_ref *refs,
			       size_t n, void *arg);

/*
 * Attribute every live conntrack entry to the NAT rules of rs (fn may be
 * NULL).  NULL when conntrack cannot be read (errno set; nothing reported:
 * a listing goes on without the column).
 */
struct nsh_flows *nsh_ctx_flows(struct nsh_ctx *ctx, const struct nsh_ruleset *rs,
				nsh_flow_visit fn, void *arg);

/* The router's addresses with their interfaces (caller frees); NULL, *n 0 when unreadable. */
struct nsh_flow_local *nsh_flow_locals(size_t *n);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What `iptables`, `ip6tables` and `translate` share (cmds/iptables.c). */
#ifndef NSH_CMDS_IPT_CMD_H
#define NSH_CMDS_IPT_CMD_H

#include "cmds/cmd.h"
#include "model/syntax/ipt.h"

/*
 * Read toks[first..ntoks) (toks[first] is the iptables or ip6tables word)
 * as an iptables line for the current table into *c; the words array is
 * allocated (caller frees *words after nsh_ipt_clear).  NSH_FAIL after
 * reporting under the offending word.
 */
int nsh_ipt_cmd_parse(struct nsh_ctx *ctx, const struct nsh_args *args, size_t first,
		      bool ip6, struct nsh_ipt *c, struct nsh_ipt_word **words);

/* natsh's chain for the parsed line in the current table. */
const char *nsh_ipt_cmd_chain(const struct nsh_ctx *ctx, const struct nsh_ipt *c);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `show hooks`: the base chains per IP version and hook in the order
 * packets meet them (model/hooks.h), as aligned columns or one JSON
 * document.
 */
#ifndef NSH_RENDER_HOOKS_H
#define NSH_RENDER_HOOKS_H

#include <stddef.h>

#include "model/hooks.h"
#include "render/out.h"

/* What iptables-legacy has in this namespace, per IP version. */
struct nsh_hooks_legacy {
	bool loaded;		/* a legacy nat table exists: it is on the NAT hooks too */
	long rules;		/* entries beyond its built-in chains; -1: unreadable */
};

/* legacy[0] IPv4 (iptables-legacy), legacy[1] IPv6 (ip6tables-legacy). */
void nsh_hooks_render(struct nsh_out *o, const struct nsh_hook_ent *v, size_t n,
		      const struct nsh_hooks_legacy legacy[2]);

#endif

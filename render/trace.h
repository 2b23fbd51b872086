/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `trace`: one traced packet's path (what the kernel's trace events said,
 * put together by cmds/trace.c) in plain words, or one JSON object per
 * packet.
 */
#ifndef NSH_RENDER_TRACE_H
#define NSH_RENDER_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/ct.h"
#include "model/nl/trace.h"
#include "render/out.h"

/* One event on the packet's path, with what natsh knows of its chain and rule. */
struct nsh_trace_step {
	uint32_t hook;			/* NF_INET_*, the hook of the base chain it runs under */
	bool hook_known;
	const struct nsh_trace_ev *ev;
	bool base;			/* the chain is a base chain */
	const char *chain_type;		/* "nat", "filter", "route"; NULL: not known */
	int32_t prio;
	unsigned position;		/* of the rule in its chain, 1-based; 0: not known */
	const char *rule;		/* natsh's text of the rule; NULL: not read */
	bool opaque;			/* a rule natsh does not understand (nft's text, marked) */
	bool nat;			/* the rule's verdict is a translation of a nat chain */
};

struct nsh_trace_packet {
	unsigned n;			/* 1, 2, ... in the order they ended */
	struct nsh_trace_pkt first;	/* as it met the trace rule */
	char iif[16], oif[16];		/* names; "" none */
	size_t nsteps;
	const struct nsh_trace_step *steps;
	bool has_ct;			/* its connection, read from conntrack afterwards */
	struct nsh_ct ct;
};

/* The packet's path: its header, one line per step, its connection. */
void nsh_trace_render(struct nsh_out *o, const struct nsh_trace_packet *p);

#endif

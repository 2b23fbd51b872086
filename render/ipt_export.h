/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A NAT table as iptables-restore input (`save --iptables`): the rules of
 * one address family written as iptables NAT options, and the list of the
 * rules that iptables cannot express, each with why.  Reads the model only;
 * writes to buffers.
 *
 * For an inet table (natsh's own) the rules that apply to the family are
 * written: those matching ipv4 (or ipv6) and those with no family at all.
 */
#ifndef NSH_IPT_EXPORT_H
#define NSH_IPT_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "model/model.h"

/* A rule that was left out. */
struct nsh_ipt_skip {
	const char *chain;	/* the model's chain name (borrowed from the table) */
	uint32_t position;
	uint64_t handle;
	char why[200];
};

/*
 * Append "*nat ... COMMIT" for family (NSH_FAM_IP: iptables-restore,
 * NSH_FAM_IP6: ip6tables-restore) to out.  Rules that cannot be written
 * are appended to *skips (caller frees the array; *nskips counts them).
 * Returns how many rules were written.
 */
size_t nsh_ipt_export(const struct nsh_table *t, int family, struct nsh_buf *out,
		      struct nsh_ipt_skip **skips, size_t *nskips);

#endif

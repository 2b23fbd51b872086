/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `show hooks` laid out (render/hooks.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>

#include "lib/buf.h"
#include "lib/util.h"
#include "model/syntax/rule_text.h"
#include "render/hooks.h"

static const char *ipver_name(uint8_t v)
{
	return v == NSH_FAM_IP6 ? "ipv6" : "ipv4";
}

static const char *policy_name(uint32_t p)
{
	return p == NF_DROP ? "drop" : "accept";
}

/* nft's symbolic priority ("dstnat", "srcnat + 5"), or the number when none fits. */
static void prio_name(const struct nsh_hook_ent *e, struct nsh_buf *b)
{
	nsh_buf_reset(b);
	nsh_prio_render(e->table->family, e->hooknum, e->prio, b);
}

static void render_json(struct nsh_out *o, const struct nsh_hook_ent *v, size_t n,
			const struct nsh_hooks_legacy legacy[2])
{
	struct nsh_buf b;
	size_t i;

	nsh_buf_init(&b);
	nsh_out_obj_open(o, NULL);
	nsh_out_arr_open(o, "hooks");
	for (i = 0; i < n; i++) {
		const struct nsh_hook_ent *e = &v[i];

		prio_name(e, &b);
		nsh_out_obj_open(o, NULL);
		nsh_out_string(o, NSH_C_NONE, "ipver", NULL, ipver_name(e->ipver));
		nsh_out_string(o, NSH_C_NONE, "hook", NULL, nsh_hook_name(e->hooknum));
		nsh_out_int(o, NSH_C_NONE, "prio", NULL, e->prio);
		nsh_out_string(o, NSH_C_NONE, "priority", NULL, b.s);
		nsh_out_string(o, NSH_C_NONE, "type", NULL, e->chain->type ? e->chain->type : "");
		nsh_out_string(o, NSH_C_NONE, "family", NULL, nsh_family_name(e->table->family));
		nsh_out_string(o, NSH_C_NONE, "table", NULL, e->table->name);
		nsh_out_string(o, NSH_C_NONE, "chain", NULL, e->chain->name);
		nsh_out_string(o, NSH_C_NONE, "policy", NULL, policy_name(e->chain->policy));
		nsh_out_string(o, NSH_C_NONE, "owner", NULL, nsh_hook_owner_name(e->owner));
		nsh_out_obj_close(o);
	}
	nsh_out_arr_close(o);
	nsh_out_arr_open(o, "legacy");
	for (i = 0; i < 2; i++) {
		nsh_out_obj_open(o, NULL);
		nsh_out_string(o, NSH_C_NONE, "ipver", NULL, i ? "ipv6" : "ipv4");
		nsh_out_bool(o, "nat_loaded", NULL, legacy[i].loaded);
		if (legacy[i].loaded && legacy[i].rules >= 0)
			nsh_out_int(o, NSH_C_NONE, "nat_rules", NULL, legacy[i].rules);
		else
			nsh_out_null(o, "nat_rules", NULL);
		nsh_out_obj_close(o);
	}
	nsh_out_arr_close(o);
	nsh_out_obj_close(o);
	nsh_buf_free(&b);
}

/* One IP version's chains [from, to) as columns, the hook named once per group. */
static void render_ver(struct nsh_out *o, const struct nsh_hook_ent *v, size_t from, size_t to,
		       const struct nsh_hooks_legacy *legacy)
{
	static const char *const hdr[] = {
		"hook", "prio", "priority", "type", "table", "chain", "policy", "written by"
	};
	static const bool right[] = { false, true, false, false, false, false, false, false };
	struct nsh_cols *cols = nsh_cols_new(8, hdr, right);
	struct nsh_buf b, tb;
	char num[16];
	size_t i;

	nsh_buf_init(&b);
	nsh_buf_init(&tb);
	nsh_out_ctext(o, NSH_C_HEADER, "%s\n", v[from].ipver == NSH_FAM_IP6 ? "IPv6" : "IPv4");
	for (i = from; i < to; i++) {
		const struct nsh_hook_ent *e = &v[i];
		static const enum nsh_color colors[] = {
			NSH_C_HEADER, NSH_C_NONE, NSH_C_DIM, NSH_C_NONE,
			NSH_C_TABLE, NSH_C_CHAIN, NSH_C_NONE, NSH_C_DIM,
		};
		const char *cells[8];

		prio_name(e, &b);
		nsh_buf_reset(&tb);
		nsh_buf_printf(&tb, "%s %s", nsh_family_name(e->table->family), e->table->name);
		snprintf(num, sizeof(num), "%d", (int)e->prio);
		cells[0] = i > from && v[i - 1].hooknum == e->hooknum ? "" :
			   nsh_hook_name(e->hooknum);
		cells[1] = num;
		cells[2] = b.s;
		cells[3] = e->chain->type ? e->chain->type : "?";
		cells[4] = tb.s;
		cells[5] = e->chain->name;
		cells[6] = policy_name(e->chain->policy);
		cells[7] = nsh_hook_owner_name(e->owner);
		nsh_cols_add(cols, cells, colors);
	}
	nsh_cols_print(cols, o);
	nsh_cols_free(cols);
	if (legacy->loaded)
		nsh_out_ctext(o, NSH_C_WARN, "  + %s's nat table on prerouting and output at -100, "
			      "input and postrouting at 100 (nft cannot see it)\n",
			      v[from].ipver == NSH_FAM_IP6 ? "ip6tables-legacy" : "iptables-legacy");
	nsh_out_text(o, "\n");
	nsh_buf_free(&b);
	nsh_buf_free(&tb);
}

/* See render/hooks.h. */
void nsh_hooks_render(struct nsh_out *o, const struct nsh_hook_ent *v, size_t n,
		      const struct nsh_hooks_legacy legacy[2])
{
	size_t i, from;

	if (nsh_out_json(o)) {
		render_json(o, v, n, legacy);
		return;
	}
	if (!n)
		nsh_out_ctext(o, NSH_C_DIM, "no base chains (no nf_tables table is on a hook)\n");
	for (from = 0; from < n; from = i) {
		for (i = from; i < n && v[i].ipver == v[from].ipver; i++)
			;
		render_ver(o, v, from, i, &legacy[v[from].ipver == NSH_FAM_IP6]);
	}
}

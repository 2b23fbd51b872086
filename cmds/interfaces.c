/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `interfaces [IFACE]`: links, their addresses, and which one has the default route. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmds/cmd.h"
#include "lib/buf.h"
#include "model/nl/link.h"
#include "render/out.h"

/* JSON family names as iproute2 writes them. */
static const char *family_str(int family)
{
	return family == AF_INET ? "inet" : "inet6";
}

/* One link as a JSON object. */
static void link_json(struct nsh_out *o, const struct nsh_links *l, const struct nsh_link *k)
{
	const struct nsh_route *r4 = NULL, *r6 = NULL;
	const struct nsh_link *d4 = nsh_links_default(l, AF_INET, &r4);
	const struct nsh_link *d6 = nsh_links_default(l, AF_INET6, &r6);
	char a[INET6_ADDRSTRLEN], mac[18];
	size_t i;

	nsh_out_obj_open(o, NULL);
	nsh_out_string(o, NSH_C_NONE, "name", NULL, k->name);
	nsh_out_uint(o, NSH_C_NONE, "index", NULL, k->index);
	nsh_out_string(o, NSH_C_NONE, "state", NULL, !k->up ? "down" : k->lower_up ? "up" : "no-carrier");
	if (k->kind[0])
		nsh_out_string(o, NSH_C_NONE, "kind", NULL, k->kind);
	nsh_out_uint(o, NSH_C_NONE, "mtu", NULL, k->mtu);
	if (k->has_mac) {
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", k->mac[0], k->mac[1],
			 k->mac[2], k->mac[3], k->mac[4], k->mac[5]);
		nsh_out_string(o, NSH_C_NONE, "mac", NULL, mac);
	}
	nsh_out_arr_open(o, "addresses");
	for (i = 0; i < k->naddrs; i++) {
		nsh_out_obj_open(o, NULL);
		nsh_out_string(o, NSH_C_NONE, "family", NULL, family_str(k->addrs[i].family));
		nsh_out_string(o, NSH_C_NONE, "address", NULL,
			       inet_ntop(k->addrs[i].family, k->addrs[i].addr, a, sizeof(a)));
		nsh_out_uint(o, NSH_C_NONE, "prefixlen", NULL, k->addrs[i].plen);
		nsh_out_obj_close(o);
	}
	nsh_out_arr_close(o);
	nsh_out_arr_open(o, "default_routes");
	if (d4 == k) {
		nsh_out_obj_open(o, NULL);
		nsh_out_string(o, NSH_C_NONE, "family", NULL, "inet");
		if (r4->has_gw)
			nsh_out_string(o, NSH_C_NONE, "gateway", NULL, inet_ntop(AF_INET, r4->gw, a, sizeof(a)));
		nsh_out_obj_close(o);
	}
	if (d6 == k) {
		nsh_out_obj_open(o, NULL);
		nsh_out_string(o, NSH_C_NONE, "family", NULL, "inet6");
		if (r6->has_gw)
			nsh_out_string(o, NSH_C_NONE, "gateway", NULL, inet_ntop(AF_INET6, r6->gw, a, sizeof(a)));
		nsh_out_obj_close(o);
	}
	nsh_out_arr_close(o);
	nsh_out_obj_close(o);
}

/* One link as a row of text columns. */
static void link_row(struct nsh_cols *t, const struct nsh_links *l, const struct nsh_link *k)
{
	static const enum nsh_color colors[] = { NSH_C_NONE, NSH_C_NONE, NSH_C_DIM, NSH_C_ADDR, NSH_C_NONE };
	const struct nsh_route *r = NULL;
	struct nsh_buf addrs, note;
	char a[INET6_ADDRSTRLEN];
	const char *cells[5];
	size_t i;

	nsh_buf_init(&addrs);
	nsh_buf_init(&note);
	for (i = 0; i < k->naddrs; i++)
		nsh_buf_printf(&addrs, "%s%s/%u", i ? " " : "",
			       inet_ntop(k->addrs[i].family, k->addrs[i].addr, a, sizeof(a)),
			       k->addrs[i].plen);
	if (nsh_links_default(l, AF_INET, &r) == k)
		nsh_buf_printf(&note, "default route%s%s", r->has_gw ? " via " : "",
			       r->has_gw ? inet_ntop(AF_INET, r->gw, a, sizeof(a)) : "");
	if (nsh_links_default(l, AF_INET6, &r) == k)
		nsh_buf_printf(&note, "%sIPv6 default route%s%s", note.len ? ", " : "",
			       r->has_gw ? " via " : "",
			       r->has_gw ? inet_ntop(AF_INET6, r->gw, a, sizeof(a)) : "");
	cells[0] = k->name;
	cells[1] = !k->up ? "down" : k->lower_up ? "up" : "no-carrier";
	cells[2] = k->kind[0] ? k->kind : "-";
	cells[3] = addrs.len ? addrs.s : "-";
	cells[4] = note.s;
	nsh_cols_add(t, cells, colors);
	nsh_buf_free(&addrs);
	nsh_buf_free(&note);
}

/* List links (or one) as text columns or a JSON array. */
static int interfaces_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	static const char *const headers[] = { "IFACE", "STATE", "KIND", "ADDRESSES", "" };
	const struct nsh_tok *want = nsh_args_get(args, "IFACE");
	struct nsh_links *l = nsh_links_dump();
	struct nsh_cols *t;
	size_t i;

	if (!l) {
		nsh_error(ctx, "cannot read interfaces: %s", strerror(errno));
		return NSH_FAIL;
	}
	if (want && !nsh_links_by_name(l, want->s)) {
		nsh_error_at(ctx, want, "unknown interface \"%s\"", want->s);
		nsh_links_free(l);
		return NSH_FAIL;
	}
	if (nsh_out_json(ctx->out)) {
		nsh_out_arr_open(ctx->out, NULL);
		for (i = 0; i < l->n; i++)
			if (!want || !strcmp(want->s, l->links[i].name))
				link_json(ctx->out, l, &l->links[i]);
		nsh_out_arr_close(ctx->out);
	} else {
		t = nsh_cols_new(5, headers, NULL);
		for (i = 0; i < l->n; i++)
			if (!want || !strcmp(want->s, l->links[i].name))
				link_row(t, l, &l->links[i]);
		nsh_cols_print(t, ctx->out);
		nsh_cols_free(t);
	}
	nsh_links_free(l);
	return NSH_OK;
}

static const char *const interfaces_examples[] = { "interfaces", "interfaces eth1", "natsh -j interfaces", NULL };

const struct nsh_cmd nsh_cmd_interfaces = {
	.name = "interfaces",
	.group = NSH_GRP_READING,
	.summary = "network interfaces with their addresses and the default route",
	.args = NSH_OPT(NSH_VAL("IFACE", NSH_VK_IFACE, "show only this interface")),
	.description = "Lists the links of the current network namespace with their state, kind, "
		       "IPv4 and IPv6 addresses, and marks the interface that holds the default "
		       "route (the WAN interface the wizards propose).",
	.examples = interfaces_examples,
	.needs_nl = false,
	.exec = interfaces_exec,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One conntrack dump attributed to the NAT rules (cmds/flows.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmds/flows.h"
#include "lib/util.h"
#include "model/nl/ct.h"
#include "model/nl/link.h"

struct walk {
	struct nsh_flows *f;
	nsh_flow_visit fn;
	void *arg;
};

static int walk_cb(const struct nsh_ct *ct, void *data)
{
	struct walk *w = data;
	struct nsh_flow_ref refs[2];
	size_t n = 0;

	if (ct->status & (1u << 4 | 1u << 5))	/* IPS_SRC_NAT | IPS_DST_NAT: only those count */
		n = nsh_flows_add(w->f, ct, refs);
	if (w->fn)
		w->fn(ct, refs, n, w->arg);
	return 0;
}

/* See cmds/flows.h. */
struct nsh_flow_local *nsh_flow_locals(size_t *n)
{
	struct nsh_links *l = nsh_links_dump();
	struct nsh_flow_local *v = NULL;
	size_t i, j, k = 0;

	*n = 0;
	if (!l)
		return NULL;
	for (i = 0; i < l->n; i++)
		for (j = 0; j < l->links[i].naddrs; j++) {
			const struct nsh_link_addr *a = &l->links[i].addrs[j];

			v = nsh_xrealloc(v, (k + 1) * sizeof(*v));
			memset(&v[k], 0, sizeof(v[k]));
			snprintf(v[k].ifname, sizeof(v[k].ifname), "%s", l->links[i].name);
			v[k].family = (uint8_t)a->family;
			memcpy(v[k].addr, a->addr, a->family == AF_INET6 ? 16 : 4);
			k++;
		}
	nsh_links_free(l);
	*n = k;
	return v;
}

/* See cmds/flows.h. */
struct nsh_flows *nsh_ctx_flows(struct nsh_ctx *ctx, const struct nsh_ruleset *rs,
				nsh_flow_visit fn, void *arg)
{
	struct walk w = { .fn = fn, .arg = arg };
	struct nsh_flow_local *loc;
	struct nsh_ctnl *c;
	size_t nloc;
	int r, err;

	(void)ctx;
	if (!(c = nsh_ctnl_open()))
		return NULL;
	loc = nsh_flow_locals(&nloc);
	w.f = nsh_flows_new(rs, loc, nloc);
	free(loc);
	r = nsh_ct_dump(c, NULL, walk_cb, &w);
	err = errno;
	nsh_ctnl_close(c);
	if (r < 0) {
		nsh_flows_free(w.f);
		errno = err;
		return NULL;
	}
	return w.f;
}

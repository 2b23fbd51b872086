/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `explain`: what the NAT rules would do with a connection's first packet, no traffic. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "cmds/cmd.h"
#include "lib/util.h"
#include "model/explain.h"
#include "model/nl/link.h"
#include "model/nl/sysctl.h"
#include "render/explain.h"
#include "render/out.h"

/* "ADDR", "ADDR:PORT", "[ADDR6]:PORT", "ADDR6"; -1 with *what naming the bad part. */
static int ep_parse(const char *s, uint8_t *fam, uint8_t *addr, bool *has_port, uint16_t *port,
		    const char **what)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *ps = NULL, *colon;
	size_t n = strlen(s);

	*has_port = false;
	*what = "address";
	if (n >= sizeof(buf))
		return -1;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || (close[1] && close[1] != ':'))
			return -1;
		memcpy(buf, s + 1, (size_t)(close - s - 1));
		buf[close - s - 1] = 0;
		ps = close[1] ? close + 2 : NULL;
	} else if ((colon = strchr(s, ':')) && !strchr(colon + 1, ':')) {
		memcpy(buf, s, (size_t)(colon - s));
		buf[colon - s] = 0;
		ps = colon + 1;
	} else {
		memcpy(buf, s, n + 1);
	}
	if (inet_pton(AF_INET, buf, addr) == 1)
		*fam = AF_INET;
	else if (inet_pton(AF_INET6, buf, addr) == 1)
		*fam = AF_INET6;
	else
		return -1;
	if (ps) {
		char *end;
		long v = strtol(ps, &end, 10);

		*what = "port";
		if (!*ps || *end || v < 1 || v > 65535)
			return -1;
		*has_port = true;
		*port = (uint16_t)v;
	}
	return 0;
}

/* The router's addresses and routes, for the evaluator; false when they cannot be read. */
static bool env_read(struct nsh_links *l, struct nsh_xp_env *env, struct nsh_xp_addr **av,
		     struct nsh_xp_route **rv)
{
	size_t i, j, n = 0;
	char v[16];

	*av = NULL;
	*rv = nsh_xcalloc(l->nroutes ? l->nroutes : 1, sizeof(**rv));
	for (i = 0; i < l->n; i++)
		for (j = 0; j < l->links[i].naddrs; j++) {
			const struct nsh_link_addr *a = &l->links[i].addrs[j];

			*av = nsh_xrealloc(*av, (n + 1) * sizeof(**av));
			memset(&(*av)[n], 0, sizeof(**av));
			snprintf((*av)[n].ifname, sizeof((*av)[n].ifname), "%s", l->links[i].name);
			(*av)[n].family = (uint8_t)a->family;
			memcpy((*av)[n].addr, a->addr, 16);
			(*av)[n].plen = a->plen;
			(*av)[n].loopback = (l->links[i].flags & IFF_LOOPBACK) != 0;
			n++;
		}
	env->addrs = *av;
	env->naddrs = n;
	for (i = j = 0; i < l->nroutes; i++) {
		const struct nsh_route *r = &l->routes[i];
		const struct nsh_link *k = nsh_links_by_index(l, r->oif);
		struct nsh_xp_route *o = &(*rv)[j];

		if (!k)
			continue;
		snprintf(o->ifname, sizeof(o->ifname), "%s", k->name);
		o->family = (uint8_t)r->family;
		memcpy(o->dst, r->dst, 16);
		o->plen = r->plen;
		o->has_gw = r->has_gw;
		memcpy(o->gw, r->gw, 16);
		j++;
	}
	env->routes = *rv;
	env->nroutes = j;
	env->forwarding[0] = nsh_sysctl_read("net.ipv4.ip_forward", v, sizeof(v)) < 0 ? -1 :
			     atoi(v) != 0;
	env->forwarding[1] = nsh_sysctl_read("net.ipv6.conf.all.forwarding", v, sizeof(v)) < 0 ?
			     -1 : atoi(v) != 0;
	return true;
}

/* Fill the packet from the words; NSH_OK, or NSH_FAIL after naming the bad word. */
static int pkt_from_args(struct nsh_ctx *ctx, const struct nsh_args *a,
			 const struct nsh_links *l, struct nsh_xp_pkt *p, bool *local)
{
	const struct nsh_tok *src = nsh_args_get(a, "SOURCE"), *dst = nsh_args_get(a, "DEST");
	const struct nsh_tok *in = nsh_args_get(a, "IFACE");
	uint8_t sfam = 0, dfam = 0;
	const char *what;
	bool icmp = nsh_args_has(a, "icmp");

	memset(p, 0, sizeof(*p));
	*local = nsh_args_has(a, "router");
	p->proto = nsh_args_has(a, "tcp") ? IPPROTO_TCP : nsh_args_has(a, "udp") ? IPPROTO_UDP :
		   IPPROTO_ICMP;
	if (src && !strncmp(src->s, "router:", 7) && !*local) {
		/* router:PORT, a local source with a given port */
		char *end;
		long v = strtol(src->s + 7, &end, 10);

		if (!src->s[7] || *end || v < 1 || v > 65535) {
			nsh_error_at(ctx, src, "invalid port in \"%s\" (expected router:1-65535)", src->s);
			return NSH_FAIL;
		}
		*local = true;
		p->has_sport = true;
		p->sport = (uint16_t)v;
		src = NULL;
	}
	if (src && ep_parse(src->s, &sfam, p->src, &p->has_sport, &p->sport, &what) < 0) {
		nsh_error_at(ctx, src, "invalid source %s in \"%s\" (expected ADDR[:PORT] or router)",
			     what, src->s);
		return NSH_FAIL;
	}
	if (ep_parse(dst->s, &dfam, p->dst, &p->has_dport, &p->dport, &what) < 0) {
		nsh_error_at(ctx, dst, "invalid destination %s in \"%s\" (expected ADDR[:PORT])",
			     what, dst->s);
		return NSH_FAIL;
	}
	if (src && sfam != dfam) {
		nsh_error_at(ctx, dst, "\"%s\" is not of the source's IP version (%s)", dst->s,
			     sfam == AF_INET ? "IPv4" : "IPv6");
		return NSH_FAIL;
	}
	if (icmp && (p->has_sport || p->has_dport)) {
		nsh_error_at(ctx, p->has_dport ? dst : src, "icmp has no ports: \"%s\"",
			     p->has_dport ? dst->s : src->s);
		return NSH_FAIL;
	}
	p->family = dfam;
	if (icmp && dfam == AF_INET6)
		p->proto = IPPROTO_ICMPV6;
	if (in) {
		if (*local) {
			nsh_error_at(ctx, in, "a packet from the router comes in no interface: drop "
				     "\"in %s\"", in->s);
			return NSH_FAIL;
		}
		if (!nsh_links_by_name(l, in->s)) {
			nsh_error_at(ctx, in, "unknown interface \"%s\"", in->s);
			return NSH_FAIL;
		}
		snprintf(p->iif, sizeof(p->iif), "%s", in->s);
	}
	return NSH_OK;
}

static int explain_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_links *l;
	struct nsh_xp_env env = { 0 };
	struct nsh_xp_addr *av = NULL;
	struct nsh_xp_route *rv = NULL;
	struct nsh_xp_pkt p;
	struct nsh_xp *x = NULL;
	bool local;
	int ret = NSH_FAIL;

	if (!(l = nsh_links_dump())) {
		nsh_error(ctx, "explain: cannot read the interfaces and routes: %s", strerror(errno));
		return NSH_FAIL;
	}
	if (pkt_from_args(ctx, args, l, &p, &local) != NSH_OK)
		goto out;
	if (nsh_ctx_refresh(ctx) != NSH_OK)
		goto out;
	env_read(l, &env, &av, &rv);
	if (!(x = nsh_explain(ctx->cache, &env, &p, local))) {
		const struct nsh_tok *t = nsh_args_get(args, local ? "DEST" : "SOURCE");

		if (local)
			nsh_error_at(ctx, t, "the router has no route and no address to send to \"%s\" "
				     "from", t->s);
		else
			nsh_error_at(ctx, t, "no route back to \"%s\": give the interface it comes in "
				     "(in IFACE)", t->s);
		goto out;
	}
	nsh_explain_render(ctx->out, x);
	ret = NSH_OK;
out:
	nsh_xp_free(x);
	free(av);
	free(rv);
	nsh_links_free(l);
	return ret;
}

static const char *const explain_examples[] = {
	"explain tcp from 198.51.100.100:40000 to 198.51.100.1:8080 in eth0",
	"explain tcp from 192.0.2.11 to 198.51.100.1:8080",
	"explain tcp from router to 127.0.0.1:8080",
	"explain udp from 192.0.2.10:5000 to 198.51.100.100:53",
	"natsh -j explain tcp from router:40000 to 198.51.100.1:8080",
	NULL
};

const struct nsh_cmd nsh_cmd_explain = {
	.name = "explain",
	.group = NSH_GRP_READING,
	.summary = "what the NAT rules would do with a connection's first packet (no traffic)",
	.args = NSH_SEQ(
		NSH_ALT(NSH_WORD("tcp", "a TCP connection"), NSH_WORD("udp", "a UDP flow"),
			NSH_WORD("icmp", "an ICMP (ICMPv6) echo")),
		NSH_WORD("from", "where the packet comes from"),
		NSH_ALT(NSH_WORD("router", "sent by the router itself (output, postrouting)"),
			NSH_VAL("SOURCE", NSH_VK_ADDR_PORT,
				"source ADDR[:PORT] ([ADDR6]:PORT), or router:PORT")),
		NSH_WORD("to", "where it goes"),
		NSH_VAL("DEST", NSH_VK_ADDR_PORT, "destination ADDR[:PORT] ([ADDR6]:PORT)"),
		NSH_OPT(NSH_SEQ(NSH_WORD("in", "the interface it comes in (else: the route back "
					 "to the source)"),
				NSH_VAL("IFACE", NSH_VK_IFACE, "an interface of the router")))),
	.description =
		"Walks the NAT chains of every table natsh reads in the order the kernel runs\n"
		"them and says which rule would translate the packet and to what, which rules it\n"
		"meets after that, and where it leaves.  An incoming packet meets prerouting, then\n"
		"input (to the router) or postrouting (forwarded: the out interface is taken from\n"
		"the router's routes); a packet from the router meets output and postrouting.  At\n"
		"each hook the nat chains run in priority order until one translates.\n"
		"Evaluated offline: addresses, ports, protocols, interfaces, ct status (the\n"
		"translations made so far), ct state (new: NAT chains see only the first packet),\n"
		"fib type local (the router's addresses) and named sets of one field.  A match it\n"
		"cannot evaluate (meta mark, ct mark, meta random, numgen, limit, a concatenated\n"
		"set, a rule natsh does not understand) is named, and the walk follows both ways:\n"
		"each path says what it assumed.  A translation to several targets (a numgen map)\n"
		"gives one path per target.  Nothing is sent.",
	.examples = explain_examples,
	.needs_nl = true,
	.exec = explain_exec,
};

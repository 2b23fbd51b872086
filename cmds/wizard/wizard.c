/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `wizard masquerade|forward|list|show|remove ...`: complete NAT set-ups in
 * one command.  Arguments come from the line or, interactively, from
 * questions with defaults detected from the kernel; the plan (model/wizard.c)
 * is printed with a reason per rule, confirmed, and applied in ONE
 * transaction that also removes the rules of an earlier wizard of the same
 * name.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/wizard/wizard_int.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "model/nl/link.h"
#include "model/nl/sysctl.h"
#include "render/out.h"

/* What collecting arguments works with. */
struct coll {
	struct nsh_ctx *ctx;
	struct nsh_wiz_args *a;
	struct nsh_links *links;
	bool ask;		/* questions allowed and needed */
	size_t end;		/* end of the command's text: where missing words go */
};

typedef int (*arg_fn)(struct coll *c, const char *s, size_t off, struct nsh_err *err);

/* An interface argument must name an existing link (wildcards aside). */
static int check_iface(struct coll *c, const char *s, size_t off, const char *what,
		       struct nsh_err *err)
{
	struct nsh_buf names;
	size_t i;

	if (strchr(s, '*') || nsh_links_by_name(c->links, s))
		return 0;
	nsh_buf_init(&names);
	for (i = 0; i < c->links->n; i++)
		nsh_buf_printf(&names, "%s%s", i ? ", " : "", c->links->links[i].name);
	nsh_err_set(err, off, strlen(s), "unknown %s interface \"%s\" (interfaces here: %s)", what, s,
		    names.s);
	nsh_buf_free(&names);
	return -1;
}

/* Argument adapters: parse one answer or word into the wizard's arguments. */
static int a_name(struct coll *c, const char *s, size_t off, struct nsh_err *err)
{
	return nsh_wiz_parse_name(s, off, c->a->name, err);
}

static int a_subnet(struct coll *c, const char *s, size_t off, struct nsh_err *err)
{
	return nsh_wiz_parse_prefix(s, off, "SUBNET", &c->a->from, err);
}

static int a_out(struct coll *c, const char *s, size_t off, struct nsh_err *err)
{
	if (nsh_wiz_parse_iface(s, off, "out", c->a->out, err) < 0)
		return -1;
	return check_iface(c, s, off, "out", err);
}

static int a_to(struct coll *c, const char *s, size_t off, struct nsh_err *err)
{
	if (!*s) {	/* an empty answer: masquerade */
		c->a->has_to = false;
		return 0;
	}
	c->a->has_to = true;
	return nsh_wiz_parse_addr(s, off, "ADDRESS", &c->a->to, err);
}

static int a_proto(struct coll *c, const char *s, size_t off, struct nsh_err *err)
{
	return nsh_wiz_parse_proto(s, off, &c->a->proto, err);
}

static int a_port(struct coll *c, const char *s, size_t off, struct nsh_err *err)
{
	return nsh_wiz_parse_ports(s, off, &c->a->port_lo, &c->a->port_hi, err);
}

static int a_backend(struct coll *c, const char *s, size_t off, struct nsh_err *err)
{
	static const char *const kw[] = { "wan", "lan", "router-access", "hairpin", "to" };
	size_t i;

	for (i = 0; i < NSH_ARRAY_SIZE(kw); i++)
		if (!strcmp(s, kw[i])) {
			nsh_err_set(err, off, strlen(s), "%s needs %s after it", s,
				    i == 2 || i == 3 ? "on or off" : i == 4 ? "a backend ADDR[:PORT]" : "a value (IFACE)");
			return -1;
		}
	if (c->a->nbackends >= NSH_WIZ_BACKENDS_MAX) {
		nsh_err_set(err, off, strlen(s), "too many backends: at most %d", NSH_WIZ_BACKENDS_MAX);
		return -1;
	}
	if (nsh_wiz_parse_backend(s, off, &c->a->backends[c->a->nbackends], err) < 0)
		return -1;
	if (!nsh_links_subnet_of(c->links, AF_INET, &c->a->backends[c->a->nbackends].addr))
		nsh_warn(c->ctx, "backend %s is outside every connected subnet (reached through a gateway?)", s);
	c->a->nbackends++;
	return 0;
}

/* An answer with several backends separated by spaces or commas. */
static int a_backends(struct coll *c, const char *s, size_t off, struct nsh_err *err)
{
	char *copy = nsh_xstrdup(s), *w, *save = NULL;
	int rc = 0;

	c->a->nbackends = 0;
	for (w = strtok_r(copy, " ,\t", &save); w && !rc; w = strtok_r(NULL, " ,\t", &save))
		rc = a_backend(c, w, off + (w - copy), err);
	if (!rc && !c->a->nbackends) {
		nsh_err_set(err, off, 0, "at least one backend ADDR[:PORT] is needed");
		rc = -1;
	}
	free(copy);
	return rc;
}

static int a_wan(struct coll *c, const char *s, size_t off, struct nsh_err *err)
{
	if (!*s) {	/* no default route and no answer: the WAN is only named in reasons */
		c->a->wan[0] = 0;
		return 0;
	}
	if (nsh_wiz_parse_iface(s, off, "wan", c->a->wan, err) < 0)
		return -1;
	return check_iface(c, s, off, "wan", err);
}

static int a_lan(struct coll *c, const char *s, size_t off, struct nsh_err *err)
{
	if (nsh_wiz_parse_iface(s, off, "lan", c->a->lan, err) < 0)
		return -1;
	return check_iface(c, s, off, "lan", err);
}

static int a_access(struct coll *c, const char *s, size_t off, struct nsh_err *err)
{
	return nsh_wiz_parse_onoff(s, off, "router-access", &c->a->router_access, err);
}

static int a_hairpin(struct coll *c, const char *s, size_t off, struct nsh_err *err)
{
	return nsh_wiz_parse_onoff(s, off, "hairpin", &c->a->hairpin, err);
}

/*
 * One argument: from its token, else from a question (re-asked until it
 * validates; def is proposed), else -- for optional arguments only -- from
 * def, else an error naming it.  0, or -1 after reporting.
 */
static int arg_get(struct coll *c, const struct nsh_tok *tok, const char *what, const char *question,
		   const char *def, bool required, enum nsh_vk vk, arg_fn fn)
{
	struct nsh_err err = { 0 };
	char *ans;

	if (tok) {
		if (fn(c, tok->s, tok->off, &err) == 0)
			return 0;
		nsh_error_span(c->ctx, err.off, err.len, "%s", err.msg);
		return -1;
	}
	if (!c->ask) {
		if (!required && def && fn(c, def, 0, &err) == 0)
			return 0;
		nsh_error_span(c->ctx, c->end, 0, "missing %s", what);
		return -1;
	}
	for (;;) {
		ans = wiz_ask(c->ctx, question, def, vk);
		if (!ans) {
			nsh_error(c->ctx, "wizard cancelled: nothing was changed");
			return -1;
		}
		nsh_err_clear(&err);
		if (fn(c, ans, 0, &err) == 0) {
			free(ans);
			return 0;
		}
		fprintf(stderr, "  %s\n", err.msg);
		free(ans);
	}
}

/* A required argument: its default is only proposed in questions. */
static int arg(struct coll *c, const struct nsh_tok *tok, const char *what, const char *question,
	       const char *def, enum nsh_vk vk, arg_fn fn)
{
	return arg_get(c, tok, what, question, def, true, vk, fn);
}

/* An optional argument: its default also applies on the command line. */
static int opt(struct coll *c, const struct nsh_tok *tok, const char *what, const char *question,
	       const char *def, enum nsh_vk vk, arg_fn fn)
{
	return arg_get(c, tok, what, question, def, false, vk, fn);
}

/* The token recorded after keyword kw (its on/off word), or NULL. */
static const struct nsh_tok *after(const struct nsh_args *args, const char *kw)
{
	size_t i;

	for (i = 0; i + 1 < args->n; i++)
		if (!strcmp(args->v[i].name, kw))
			return args->v[i + 1].tok;
	return NULL;
}

/* A default LAN subnet: the first IPv4 subnet of an interface without the default route. */
static void lan_default(const struct nsh_links *l, char *buf, size_t len)
{
	const struct nsh_link *wan = nsh_links_default(l, AF_INET, NULL);
	size_t i;

	buf[0] = 0;
	for (i = 0; i < l->n; i++) {
		const struct nsh_link *k = &l->links[i];
		const struct nsh_link_addr *x = nsh_link_ipv4(k);
		struct in_addr net;
		char a[INET_ADDRSTRLEN];

		if (k == wan || !x || x->addr[0] == 127 || x->plen == 0 || x->plen > 30)
			continue;
		memcpy(&net, x->addr, 4);
		net.s_addr &= htonl(~0u << (32 - x->plen));
		snprintf(buf, len, "%s/%u", inet_ntop(AF_INET, &net, a, sizeof(a)), x->plen);
		return;
	}
}

/* The sysctls the plan depends on, as they are now (-1: unreadable). */
static void read_state(struct nsh_wiz_args *a)
{
	char v[16], key[64], ifn[IFNAMSIZ];
	size_t i;

	a->ip_forward = nsh_sysctl_read("net.ipv4.ip_forward", v, sizeof(v)) == 0 ? atoi(v) : -1;
	if (!a->lan[0])
		return;
	for (i = 0; a->lan[i]; i++)
		ifn[i] = a->lan[i] == '.' ? '/' : a->lan[i];
	ifn[i] = 0;
	snprintf(key, sizeof(key), "net.ipv4.conf.%s.route_localnet", ifn);
	a->route_localnet = nsh_sysctl_read(key, v, sizeof(v)) == 0 ? atoi(v) : -1;
}

/* masquerade: NAME, from SUBNET, out IFACE [to ADDRESS], from the line or questions. */
static int masq_collect(struct coll *c, const struct nsh_args *args)
{
	const struct nsh_link *wan = nsh_links_default(c->links, AF_INET, NULL);
	char sub[48];

	c->ask = nsh_can_ask(c->ctx) && (!nsh_args_has(args, "NAME") || !nsh_args_has(args, "SUBNET") ||
					 !nsh_args_has(args, "IFACE"));
	lan_default(c->links, sub, sizeof(sub));
	if (arg(c, nsh_args_get(args, "NAME"), "NAME", "Name of this set-up", "lan",
		NSH_VK_STRING, a_name) < 0 ||
	    arg(c, nsh_args_get(args, "SUBNET"), "from SUBNET", "LAN subnet to masquerade",
		sub[0] ? sub : NULL, NSH_VK_PREFIX, a_subnet) < 0 ||
	    arg(c, nsh_args_get(args, "IFACE"), "out IFACE", "Interface towards the Internet",
		wan ? wan->name : NULL, NSH_VK_IFACE, a_out) < 0)
		return -1;
	if (nsh_args_has(args, "ADDRESS") || c->ask)
		if (opt(c, nsh_args_get(args, "ADDRESS"), "to ADDRESS",
			"Static public address for SNAT (empty: masquerade)", "", NSH_VK_ADDR, a_to) < 0)
			return -1;
	read_state(c->a);
	return 0;
}

/* Warn about backends that sit off the LAN interface (outside every subnet: a_backend warned). */
static void check_backends(struct coll *c)
{
	size_t i;

	for (i = 0; i < c->a->nbackends; i++) {
		const struct nsh_link *k = nsh_links_subnet_of(c->links, AF_INET, &c->a->backends[i].addr);
		char s[32];

		nsh_wiz_backend_str(&c->a->backends[i], s, sizeof(s));
		if (k && c->a->lan[0] && strcmp(k->name, c->a->lan))
			nsh_warn(c->ctx, "backend %s is on %s, not on the LAN interface %s", s, k->name,
				 c->a->lan);
	}
}

/* A forward takes its port away from the router's own services, and from backends it is one of. */
static void check_ports(struct coll *c)
{
	const struct nsh_wiz_args *a = c->a;
	uint16_t port;
	size_t i, j;

	for (i = 0; i < 2; i++)
		if ((a->proto & (i ? NSH_WIZ_UDP : NSH_WIZ_TCP)) &&
		    nsh_local_port_used(i, a->port_lo, a->port_hi, &port))
			nsh_warn(c->ctx, "the router itself uses %s port %u: connections to it on that port will go to the backend instead",
				 i ? "udp" : "tcp", port);
	for (i = 0; i < a->nbackends; i++)
		for (j = 0; j < c->links->n; j++) {
			const struct nsh_link *k = &c->links->links[j];
			size_t x;

			for (x = 0; x < k->naddrs; x++)
				if (k->addrs[x].family == AF_INET &&
				    !memcmp(k->addrs[x].addr, &a->backends[i].addr, 4))
					nsh_warn(c->ctx, "backend %s is an address of this router (%s)",
						 inet_ntoa(a->backends[i].addr), k->name);
		}
}

/* Another wizard forwarding an overlapping port and protocol wins: its rule comes first. */
static void check_overlap(struct nsh_ctx *ctx, const struct nsh_wiz_args *a,
			  const struct wiz_group *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct wiz_rule *m = wiz_group_main(&g[i]);
		uint16_t lo, hi;
		unsigned proto;

		if (!m || !strcmp(g[i].name, a->name) || strcmp(g[i].kind, "forward"))
			continue;
		proto = wiz_rule_ports(m->rule, &lo, &hi);
		if ((proto & a->proto) && lo <= a->port_hi && a->port_lo <= hi) {
			char ports[16];

			snprintf(ports, sizeof(ports), lo == hi ? "%u" : "%u-%u", lo, hi);
			nsh_warn(ctx, "wizard %s already forwards port %s: its rules come first and win",
				 g[i].name, ports);
		}
	}
}

/* The LAN interface's IPv4 subnets: where hairpin clients come from. */
static void lan_nets(struct coll *c)
{
	const struct nsh_link *k = nsh_links_by_name(c->links, c->a->lan);
	size_t i;

	c->a->nlan_nets = 0;
	for (i = 0; k && i < k->naddrs && c->a->nlan_nets < NSH_WIZ_NETS_MAX; i++) {
		const struct nsh_link_addr *x = &k->addrs[i];
		struct nsh_wiz_prefix *p = &c->a->lan_nets[c->a->nlan_nets];

		if (x->family != AF_INET || x->plen == 0 || x->plen == 32)
			continue;
		memcpy(&p->addr, x->addr, 4);
		p->addr.s_addr &= htonl(~0u << (32 - x->plen));
		p->plen = x->plen;
		c->a->nlan_nets++;
	}
}

/* forward: every argument from the line, questions or detected defaults. */
static int fwd_collect(struct coll *c, const struct nsh_args *args)
{
	const struct nsh_link *wan = nsh_links_default(c->links, AF_INET, NULL), *lan;
	const struct nsh_tok *t;
	size_t i;

	c->ask = nsh_can_ask(c->ctx) && (!nsh_args_has(args, "NAME") || !nsh_args_has(args, "PROTO") ||
					 !nsh_args_has(args, "PORT") || !nsh_args_has(args, "BACKEND"));
	if (arg(c, nsh_args_get(args, "NAME"), "NAME", "Name of this port forward", NULL,
		NSH_VK_STRING, a_name) < 0 ||
	    arg(c, nsh_args_get(args, "PROTO"), "PROTO", "Protocol (tcp, udp, tcp+udp)", "tcp",
		NSH_VK_PROTO, a_proto) < 0 ||
	    arg(c, nsh_args_get(args, "PORT"), "PORT", "Public port or range (e.g. 8080 or 8000-8010)",
		NULL, NSH_VK_PORT, a_port) < 0)
		return -1;
	for (i = 0; (t = nsh_args_nth(args, "BACKEND", i)); i++)
		if (arg(c, t, "backend", NULL, NULL, NSH_VK_ADDR_PORT, a_backend) < 0)
			return -1;
	if (i == 0 && arg(c, NULL, "to ADDR[:PORT]", "Backends, ADDR[:PORT] separated by spaces", NULL,
			  NSH_VK_ADDR_PORT, a_backends) < 0)
		return -1;
	for (i = 0; i < 4; i++) {	/* each option at most once */
		static const char *const kw[] = { "WAN", "LAN", "router-access", "hairpin" };
		const struct nsh_tok *dup = nsh_args_nth(args, kw[i], 1);

		if (dup) {
			nsh_error_at(c->ctx, dup, "%s is given twice", dup->s);
			return -1;
		}
	}
	lan = nsh_links_subnet_of(c->links, AF_INET, &c->a->backends[0].addr);
	if (opt(c, nsh_args_get(args, "WAN"), "wan IFACE", "WAN interface (Internet side)",
		wan ? wan->name : "", NSH_VK_IFACE, a_wan) < 0 ||
	    opt(c, after(args, "router-access"), "router-access on|off",
		"Router access (the router reaches the service too)", "on", NSH_VK_STRING, a_access) < 0 ||
	    opt(c, after(args, "hairpin"), "hairpin on|off",
		"Hairpin (LAN hosts reach it via the public address)", "on", NSH_VK_STRING, a_hairpin) < 0)
		return -1;
	/* the LAN interface matters for router access and hairpin only */
	if ((c->a->router_access || c->a->hairpin || nsh_args_has(args, "LAN")) &&
	    opt(c, nsh_args_get(args, "LAN"), "lan IFACE (no connected subnet holds the first backend)",
		"LAN interface (towards the backends)", lan ? lan->name : NULL, NSH_VK_IFACE, a_lan) < 0)
		return -1;
	if (c->a->wan[0] && !strcmp(c->a->wan, c->a->lan))
		nsh_warn(c->ctx, "the WAN and LAN interfaces are both %s", c->a->lan);
	check_backends(c);
	check_ports(c);
	lan_nets(c);
	read_state(c->a);
	return 0;
}

/* Print the plan: each rule with its reason, the sysctl changes, the notes. */
static void present(struct nsh_ctx *ctx, const struct nsh_wiz_args *a, const struct nsh_wiz_plan *p,
		    const struct wiz_group *old)
{
	struct nsh_out *o = ctx->out;
	size_t i;

	nsh_out_string(o, NSH_C_HEADER, "wizard", "wizard %s", a->kind == NSH_WIZ_FORWARD ? "forward" : "masquerade");
	nsh_out_string(o, NSH_C_HEADER, "name", " %s", a->name);
	nsh_out_text(o, ": %zu rule%s in table inet %s", p->nsteps, p->nsteps == 1 ? "" : "s", WIZ_TABLE);
	if (old)
		nsh_out_text(o, ", replacing its %zu earlier rule%s", old->nrules, old->nrules == 1 ? "" : "s");
	nsh_out_text(o, "\n");
	nsh_out_arr_open(o, "rules");
	for (i = 0; i < p->nsteps; i++) {
		nsh_out_obj_open(o, NULL);
		nsh_out_string(o, NSH_C_CHAIN, "chain", "  %-12s", p->steps[i].chain);
		nsh_out_string(o, NSH_C_NONE, "rule", "%s\n", p->steps[i].rule);
		nsh_out_string(o, NSH_C_NONE, "role", NULL, p->steps[i].role);
		nsh_out_string(o, NSH_C_COMMENT, "reason", "                why: %s\n", p->steps[i].reason);
		nsh_out_obj_close(o);
	}
	nsh_out_arr_close(o);
	nsh_out_arr_open(o, "sysctls");
	for (i = 0; i < p->nsysctls; i++) {
		nsh_out_obj_open(o, NULL);
		nsh_out_string(o, NSH_C_WARN, "key", "  sysctl      %s", p->sysctls[i].key);
		nsh_out_string(o, NSH_C_WARN, "value", " = %s\n", p->sysctls[i].value);
		nsh_out_string(o, NSH_C_COMMENT, "reason", "                why: %s\n", p->sysctls[i].reason);
		nsh_out_obj_close(o);
	}
	nsh_out_arr_close(o);
	nsh_out_arr_open(o, "notes");
	for (i = 0; i < p->nnotes; i++)
		nsh_out_string(o, NSH_C_DIM, NULL, "  note: %s\n", p->notes[i]);
	nsh_out_arr_close(o);
}

/* Collect, plan, show, confirm, apply; list/show/remove go to wizard_groups/apply. */
static int wizard_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_wiz_args a;
	struct coll c = { .ctx = ctx, .a = &a };
	struct nsh_wiz_plan plan = { 0 };
	struct nsh_err err = { 0 };
	const struct wiz_group *old = NULL;
	struct wiz_group *groups = NULL;
	size_t ngroups = 0;
	bool fwd = nsh_args_has(args, "forward");
	int rc = NSH_FAIL, yes;
	char *kind = NULL;

	if (nsh_args_has(args, "list"))
		return wiz_list(ctx);
	if (nsh_args_has(args, "show"))
		return wiz_show(ctx, nsh_args_get(args, "NAME"));
	if (nsh_args_has(args, "remove"))
		return wiz_remove(ctx, nsh_args_get(args, "NAME"));
	if (!fwd && !nsh_args_has(args, "masquerade")) {
		if (!nsh_can_ask(ctx)) {
			nsh_error(ctx, "which wizard? masquerade, forward, list, show NAME or remove NAME");
			return NSH_USAGE;
		}
		for (;;) {
			kind = wiz_ask(ctx, "Which wizard (masquerade: LAN to Internet; forward: a port to a LAN host)",
				       "forward", NSH_VK_WIZARD);
			if (!kind)
				return NSH_FAIL;
			if (!strcmp(kind, "forward") || !strcmp(kind, "masquerade"))
				break;
			fprintf(stderr, "  answer masquerade or forward\n");
			free(kind);
		}
		fwd = !strcmp(kind, "forward");
		free(kind);
	}
	nsh_wiz_args_init(&a, fwd ? NSH_WIZ_FORWARD : NSH_WIZ_MASQUERADE);
	c.end = args->ntoks ? args->toks[args->ntoks - 1].off + args->toks[args->ntoks - 1].len : 0;
	c.links = nsh_links_dump();
	if (!c.links) {
		nsh_error(ctx, "cannot read the interfaces: %s", strerror(errno));
		return NSH_FAIL;
	}
	if ((fwd ? fwd_collect(&c, args) : masq_collect(&c, args)) < 0)
		goto out;
	if (nsh_wiz_plan_build(&a, &plan, &err) < 0) {
		nsh_error_span(ctx, args->toks[0].off, c.end - args->toks[0].off, "%s", err.msg);
		goto out;
	}
	if (nsh_ctx_refresh(ctx) != NSH_OK)
		goto out;
	ngroups = wiz_groups_find(ctx->cache, &groups);
	old = wiz_group_by_name(groups, ngroups, a.name);
	if (fwd)
		check_overlap(ctx, &a, groups, ngroups);
	nsh_out_obj_open(ctx->out, NULL);
	present(ctx, &a, &plan, old);
	if (!ctx->yes && nsh_can_ask(ctx)) {
		yes = nsh_ask_yes(ctx, "Apply?", false);
		if (yes != 1) {
			nsh_out_bool(ctx->out, "applied", "nothing was changed\n", false);
			nsh_out_obj_close(ctx->out);
			rc = yes == 0 ? NSH_OK : NSH_FAIL;
			goto out;
		}
	}
	rc = wiz_apply(ctx, &plan, old);
	if (rc == NSH_OK && old && fwd)
		wiz_stale_ct(ctx, old, &a, !ctx->txn && !ctx->batch);
	nsh_out_obj_close(ctx->out);
out:
	nsh_wiz_plan_clear(&plan);
	wiz_groups_free(groups, ngroups);
	nsh_links_free(c.links);
	return rc;
}

#define ONOFF(kw, h) NSH_SEQ(NSH_WORD(kw, h), NSH_ALT(NSH_WORD("on", "turn it on (default)"), \
						       NSH_WORD("off", "leave it out")))

static const struct nsh_gram *const wizard_args = NSH_OPT(NSH_ALT(
	NSH_SEQ(NSH_WORD("masquerade", "LAN to Internet: SNAT to a static address, or masquerade"),
		NSH_OPT(NSH_SEQ(NSH_VAL("NAME", NSH_VK_WIZARD_NEW, "a name for this set-up (letters, digits, - _ .); an existing one is replaced"),
				NSH_ANY(NSH_SEQ(NSH_WORD("from", "the LAN side"),
						NSH_VAL("SUBNET", NSH_VK_PREFIX, "LAN subnet, such as 192.0.2.0/24")),
					NSH_SEQ(NSH_WORD("out", "the Internet side"),
						NSH_VAL("IFACE", NSH_VK_IFACE, "interface towards the Internet")),
					NSH_SEQ(NSH_WORD("to", "SNAT to a static address instead of masquerade"),
						NSH_VAL("ADDRESS", NSH_VK_ADDR, "the router's public address")))))),
	NSH_SEQ(NSH_WORD("forward", "port forwarding with router access, hairpin and load balancing"),
		NSH_OPT(NSH_SEQ(NSH_VAL("NAME", NSH_VK_WIZARD_NEW, "a name for this forward (letters, digits, - _ .); an existing one is replaced"),
		NSH_OPT(NSH_SEQ(NSH_VAL("PROTO", NSH_VK_PROTO, "tcp, udp or tcp+udp"),
		NSH_OPT(NSH_SEQ(NSH_VAL("PORT", NSH_VK_PORT, "public port or range, such as 8080 or 8000-8010"),
		NSH_OPT(NSH_REPEAT(NSH_ALT(
			NSH_SEQ(NSH_WORD("to", "the backends"),
				NSH_VAL("BACKEND", NSH_VK_ADDR_PORT, "backend ADDR[:PORT] (several: even load balancing)")),
			NSH_SEQ(NSH_WORD("wan", "the Internet side (default: the default route's interface)"),
				NSH_VAL("WAN", NSH_VK_IFACE, "WAN interface")),
			NSH_SEQ(NSH_WORD("lan", "the backends' side (default: the interface whose subnet holds them)"),
				NSH_VAL("LAN", NSH_VK_IFACE, "LAN interface")),
			ONOFF("router-access", "the router itself reaches the service (default on)"),
			ONOFF("hairpin", "LAN hosts reach the service via the public address (default on)"),
			NSH_VAL("BACKEND", NSH_VK_ADDR_PORT, "another backend ADDR[:PORT]"))))))))))),
	NSH_WORD("list", "the wizards' rule groups with their hits"),
	NSH_SEQ(NSH_WORD("show", "one wizard's rules with their counters and flows"),
		NSH_VAL("NAME", NSH_VK_WIZARD, "a wizard's name")),
	NSH_SEQ(NSH_WORD("remove", "remove all rules of a wizard, in one transaction"),
		NSH_VAL("NAME", NSH_VK_WIZARD, "a wizard's name"))));

static const char *const wizard_examples[] = {
	"wizard masquerade lan from 192.0.2.0/24 out eth0",
	"wizard masquerade lan from 192.0.2.0/24 out eth0 to 198.51.100.1",
	"wizard forward web tcp 8080 to 192.0.2.10:80",
	"wizard forward web tcp 8080 to 192.0.2.10:80 192.0.2.11:80 192.0.2.12:80",
	"wizard forward dns tcp+udp 53 to 192.0.2.10 hairpin off",
	"wizard list",
	"wizard show web",
	"wizard remove web",
	NULL
};

const struct nsh_cmd nsh_cmd_wizard = {
	.name = "wizard",
	.group = NSH_GRP_WIZARDS,
	.summary = "complete NAT set-ups: masquerade, port forward (router access, hairpin, balancing)",
	.args = wizard_args,
	.description =
		"masquerade NAME from SUBNET out IFACE [to ADDRESS]: LAN to Internet, SNAT to a static "
		"address or masquerade.  forward NAME PROTO PORT[-PORT] to ADDR[:PORT]... [wan IFACE] "
		"[lan IFACE] [router-access on|off] [hairpin on|off]: DNAT of connections to any address "
		"of the router (WAN and LAN side), router access (output DNAT, masquerade towards the "
		"LAN, route_localnet), hairpin masquerade, and even random balancing over several "
		"backends with one numgen rule.  Missing arguments are asked for interactively, with "
		"defaults from the routing table.  The rules are shown with a reason each, confirmed "
		"(unless -y or batch) and applied in one transaction; each carries the comment "
		"\"wizard NAME: ROLE\".  net.ipv4.ip_forward is turned on when off.  The same NAME "
		"again replaces the earlier rules atomically.",
	.examples = wizard_examples,
	.needs_nl = true,
	.exec = wizard_exec,
};

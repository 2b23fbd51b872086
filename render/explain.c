/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `explain` laid out (render/explain.h). */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "lib/buf.h"
#include "model/syntax/rule_text.h"
#include "render/explain.h"

static const char *proto_name(uint8_t p)
{
	switch (p) {
	case IPPROTO_TCP:	return "tcp";
	case IPPROTO_UDP:	return "udp";
	case IPPROTO_ICMPV6:	return "icmpv6";
	default:		return "icmp";
	}
}

static const char *nat_name(const struct nsh_nat *n)
{
	switch (n->type) {
	case NSH_NAT_SNAT:	return "snat";
	case NSH_NAT_DNAT:	return "dnat";
	case NSH_NAT_MASQ:	return "masquerade";
	default:		return "redirect";
	}
}

static bool nat_is_dst(const struct nsh_nat *n)
{
	return n->type == NSH_NAT_DNAT || n->type == NSH_NAT_REDIR;
}

static void addr_str(uint8_t fam, const uint8_t *a, char *buf, size_t len)
{
	if (!inet_ntop(fam, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

/* "198.51.100.1:8080", "[2001:db8::1]:80", "192.0.2.1" (no port known). */
static void ep_put(struct nsh_buf *b, uint8_t fam, const uint8_t *a, bool has_port,
		   uint16_t port)
{
	char s[INET6_ADDRSTRLEN];

	addr_str(fam, a, s, sizeof(s));
	if (!has_port)
		nsh_buf_puts(b, s);
	else if (fam == AF_INET6)
		nsh_buf_printf(b, "[%s]:%u", s, port);
	else
		nsh_buf_printf(b, "%s:%u", s, port);
}

static void pkt_put(struct nsh_buf *b, const struct nsh_xp_pkt *p)
{
	bool ports = p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP;

	nsh_buf_printf(b, "%s ", proto_name(p->proto));
	ep_put(b, p->family, p->src, ports && p->has_sport, p->sport);
	nsh_buf_puts(b, " -> ");
	ep_put(b, p->family, p->dst, ports && p->has_dport, p->dport);
}

/* "inet natsh prerouting rule 1 (handle 4)" */
static void where_put(struct nsh_buf *b, const struct nsh_xp_step *e)
{
	nsh_buf_printf(b, "%s %s %s", nsh_family_name(e->table->family), e->table->name,
		       e->chain->name);
	if (e->rule)
		nsh_buf_printf(b, " rule %u (handle %llu)", e->rule->position,
			       (unsigned long long)e->rule->handle);
}

/* What a translation made: "192.0.2.10:80 (backend 1 of 2)". */
static void nat_to_put(struct nsh_buf *b, const struct nsh_xp_step *e)
{
	bool dst = nat_is_dst(e->nat);
	const struct nsh_xp_pkt *p = &e->pkt;
	bool ports = p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP;
	char s[INET6_ADDRSTRLEN];

	ep_put(b, p->family, dst ? p->dst : p->src, ports && (dst ? p->has_dport : p->has_sport),
	       dst ? p->dport : p->sport);
	if (e->addr_range) {
		addr_str(p->family, e->addr_hi.data, s, sizeof(s));
		nsh_buf_printf(b, " (an address up to %s)", s);
	}
	if (e->port_range)
		nsh_buf_printf(b, " (a port up to %u)", e->port_hi);
	if (e->port_may_change)
		nsh_buf_puts(b, " (source port kept unless taken)");
	if (e->nalts > 1)
		nsh_buf_printf(b, " (target %zu of %zu)", e->alt + 1, e->nalts);
}

static const char *end_text(const struct nsh_xp_path *p)
{
	switch (p->end) {
	case NSH_XP_END_LOCAL:		return "delivered to the router";
	case NSH_XP_END_OUT:		return "leaves through";
	case NSH_XP_END_DROP:		return "dropped";
	case NSH_XP_END_NOROUTE:	return "dropped: no route to the destination";
	case NSH_XP_END_NOFORWARD:	return "dropped: the router does not forward (ip_forward is off)";
	case NSH_XP_END_NOADDR:		return "dropped: the interface has no address to translate to";
	default:			return "not known: a rule natsh does not understand acts on it";
	}
}

/* The packet's value of a key that did not match: " (it is \"eth1\")", " (not local)". */
static void value_put(struct nsh_buf *b, const char *key, const struct nsh_xp_pkt *p)
{
	const struct nsh_key_def *k = key ? nsh_key_lookup(key) : NULL;

	if (!k)
		return;
	switch (k->id) {
	case NSH_K_IIFNAME: case NSH_K_OIFNAME: {
		const char *n = k->id == NSH_K_IIFNAME ? p->iif : p->oif;

		if (n[0])
			nsh_buf_printf(b, " (it is \"%.16s\")", n);
		else
			nsh_buf_puts(b, " (none at this hook)");
		break;
	}
	case NSH_K_IP_SADDR: case NSH_K_IP6_SADDR: case NSH_K_IP_DADDR: case NSH_K_IP6_DADDR: {
		char s[INET6_ADDRSTRLEN];
		bool src = k->id == NSH_K_IP_SADDR || k->id == NSH_K_IP6_SADDR;

		if ((k->id == NSH_K_IP_SADDR || k->id == NSH_K_IP_DADDR) != (p->family == AF_INET))
			break;
		addr_str(p->family, src ? p->src : p->dst, s, sizeof(s));
		nsh_buf_printf(b, " (it is %s)", s);
		break;
	}
	case NSH_K_FIB_SADDR_TYPE: case NSH_K_FIB_DADDR_TYPE: {
		char s[INET6_ADDRSTRLEN];

		addr_str(p->family, k->id == NSH_K_FIB_SADDR_TYPE ? p->src : p->dst, s, sizeof(s));
		nsh_buf_printf(b, " (%s)", s);
		break;
	}
	case NSH_K_CT_STATUS:
		nsh_buf_printf(b, " (%s)", (p->status & (1u << 5)) ? "dnat" :
			       (p->status & (1u << 4)) ? "snat" : "not translated yet");
		break;
	default:
		if (k->kind == NSH_KK_PAYLOAD && k->len == 2) {
			bool sp = strstr(k->name, "sport") != NULL;

			if (p->proto != IPPROTO_TCP && p->proto != IPPROTO_UDP)
				nsh_buf_printf(b, " (it is %s)", proto_name(p->proto));
			else if (k->l4proto_dep && k->l4proto_dep != 255 && k->l4proto_dep != p->proto)
				nsh_buf_printf(b, " (it is %s)", proto_name(p->proto));
			else if (sp ? p->has_sport : p->has_dport)
				nsh_buf_printf(b, " (it is %u)", sp ? p->sport : p->dport);
		} else if (k->id == NSH_K_META_L4PROTO || k->id == NSH_K_IP_PROTOCOL ||
			   k->id == NSH_K_IP6_NEXTHDR) {
			nsh_buf_printf(b, " (it is %s)", proto_name(p->proto));
		}
	}
}

/* One rule's verdict in words: "matches", "no: oifname", "maybe (meta mark): taken as matching". */
static void why_put(struct nsh_buf *b, const struct nsh_xp_step *e)
{
	if (e->res == NSH_XP_YES) {
		nsh_buf_puts(b, "matches");
		return;
	}
	nsh_buf_puts(b, e->res == NSH_XP_NO ? "no: " : "maybe, cannot evaluate ");
	nsh_buf_puts(b, e->why ? e->why : "?");
	if (e->why_set)
		nsh_buf_printf(b, " @%s", e->why_set);
	if (e->why_unset)
		nsh_buf_puts(b, " (not given)");
	else if (e->res == NSH_XP_NO && !e->why_set)
		value_put(b, e->why, &e->pkt);
	if (e->res == NSH_XP_MAYBE)
		nsh_buf_puts(b, e->assumed ? ": this path takes it as matching" :
			     ": this path takes it as not matching");
}

static void render_text_path(struct nsh_out *o, const struct nsh_xp *x,
			     const struct nsh_xp_path *p, size_t pi, struct nsh_buf *b)
{
	size_t i;

	if (x->npaths > 1)
		nsh_out_ctext(o, NSH_C_HEADER, "path %zu of %zu%s\n", pi + 1, x->npaths,
			      nsh_xp_path_certain(p) ? "" : " (depends on what natsh cannot evaluate)");
	for (i = 0; i < p->nsteps; i++) {
		const struct nsh_xp_step *e = &p->steps[i];
		char s[INET6_ADDRSTRLEN];

		nsh_buf_reset(b);
		switch (e->kind) {
		case NSH_XP_HOOK:
			nsh_out_ctext(o, NSH_C_HEADER, "  %s\n", nsh_hook_name(e->hook));
			break;
		case NSH_XP_CHAIN:
			nsh_buf_printf(b, "%s %s %s", nsh_family_name(e->table->family),
				       e->table->name, e->chain->name);
			nsh_out_ctext(o, NSH_C_CHAIN, "    %s%s\n", b->s,
				      e->chain->base ? "" : " (jumped to)");
			break;
		case NSH_XP_SKIP:
			nsh_out_ctext(o, NSH_C_DIM, "    %s %s %s: not run (translated earlier at this hook)\n",
				      nsh_family_name(e->table->family), e->table->name, e->chain->name);
			break;
		case NSH_XP_RULE: {
			struct nsh_buf rt;

			nsh_buf_init(&rt);
			nsh_rule_render(e->table, e->rule, NSH_RF_COMMENT, &rt);
			why_put(b, e);
			nsh_out_ctext(o, e->res == NSH_XP_NO ? NSH_C_DIM : NSH_C_NONE,
				      "      %u  %s\n         %s\n", e->rule->position, rt.s, b->s);
			nsh_buf_free(&rt);
			break;
		}
		case NSH_XP_NAT:
			nsh_buf_printf(b, "%s: %s ", nat_name(e->nat),
				       nat_is_dst(e->nat) ? "destination" : "source");
			if (i > 0) {
				const struct nsh_xp_pkt *q = &p->steps[i - 1].pkt;
				bool d = nat_is_dst(e->nat), pt = q->proto == IPPROTO_TCP ||
								 q->proto == IPPROTO_UDP;

				ep_put(b, q->family, d ? q->dst : q->src,
				       pt && (d ? q->has_dport : q->has_sport), d ? q->dport : q->sport);
			}
			nsh_buf_puts(b, " ⇒ ");
			nat_to_put(b, e);
			nsh_out_ctext(o, NSH_C_OK, "         %s\n", b->s);
			nsh_buf_reset(b);
			pkt_put(b, &e->pkt);
			nsh_out_text(o, "         now %s\n", b->s);
			break;
		case NSH_XP_LEAVE:
			if (!strcmp(e->why, "policy"))
				nsh_out_ctext(o, NSH_C_DIM, "      end of chain: policy accept\n");
			else if (!strcmp(e->why, "accept"))
				nsh_out_ctext(o, NSH_C_DIM, "      accept: the next nat chain of the hook runs\n");
			else
				nsh_out_ctext(o, NSH_C_DIM, "      %s: back to the calling chain\n", e->why);
			break;
		case NSH_XP_ROUTE:
			addr_str(e->pkt.family, e->pkt.dst, s, sizeof(s));
			if (e->local)
				nsh_buf_printf(b, "%s is the router's own address", s);
			else if (e->rfound) {
				char r[INET6_ADDRSTRLEN];

				nsh_buf_printf(b, "%s: out %s", s, e->route.ifname);
				addr_str(e->route.family, e->route.dst, r, sizeof(r));
				if (e->route.plen == 0)
					nsh_buf_puts(b, " (default route");
				else
					nsh_buf_printf(b, " (route %s/%u", r, e->route.plen);
				if (e->rgw) {
					addr_str(e->route.family, e->route.gw, r, sizeof(r));
					nsh_buf_printf(b, " via %s", r);
				}
				nsh_buf_puts(b, ")");
			} else
				nsh_buf_printf(b, "%s: no route", s);
			nsh_out_text(o, "  routing%s: %s\n", e->reroute ? " again after dnat" : "", b->s);
			break;
		case NSH_XP_END:
			break;
		}
	}
	nsh_buf_reset(b);
	nsh_buf_puts(b, end_text(p));
	if (p->end == NSH_XP_END_OUT)
		nsh_buf_printf(b, " %s", p->final.oif);
	if (p->end == NSH_XP_END_DROP || p->end == NSH_XP_END_UNKNOWN ||
	    p->end == NSH_XP_END_NOADDR) {
		const struct nsh_xp_step *e = &p->steps[p->nsteps - 1];

		if (e->rule && e->table) {
			nsh_buf_puts(b, " by ");
			where_put(b, e);
		} else if (p->end == NSH_XP_END_DROP) {
			nsh_buf_puts(b, " by a chain's policy");
		}
	}
	nsh_out_text(o, "  result: %s\n", b->s);
	for (i = 0; i < 2; i++) {
		size_t si = i ? p->snat : p->dnat;
		const struct nsh_xp_step *e;

		if (si == SIZE_MAX)
			continue;
		e = &p->steps[si];
		nsh_buf_reset(b);
		nsh_buf_printf(b, "%s by ", nat_name(e->nat));
		where_put(b, e);
		nsh_buf_puts(b, " ⇒ ");
		nat_to_put(b, e);
		nsh_out_ctext(o, NSH_C_OK, "    %s\n", b->s);
	}
	if (p->dnat == SIZE_MAX && p->snat == SIZE_MAX)
		nsh_out_text(o, "    no NAT rule translates it\n");
	nsh_buf_reset(b);
	pkt_put(b, &p->final);
	nsh_out_text(o, "    %s%s\n", p->dnat == SIZE_MAX && p->snat == SIZE_MAX ? "stays " : "becomes ",
		     b->s);
}

static void ep_json(struct nsh_out *o, const char *akey, const char *pkey, uint8_t fam,
		    const uint8_t *a, bool has_port, uint16_t port)
{
	char s[INET6_ADDRSTRLEN];

	addr_str(fam, a, s, sizeof(s));
	nsh_out_string(o, NSH_C_NONE, akey, NULL, s);
	if (has_port)
		nsh_out_uint(o, NSH_C_NONE, pkey, NULL, port);
	else
		nsh_out_null(o, pkey, NULL);
}

static void pkt_json(struct nsh_out *o, const char *key, const struct nsh_xp_pkt *p)
{
	bool ports = p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP;

	nsh_out_obj_open(o, key);
	nsh_out_string(o, NSH_C_NONE, "proto", NULL, proto_name(p->proto));
	ep_json(o, "src", "sport", p->family, p->src, ports && p->has_sport, p->sport);
	ep_json(o, "dst", "dport", p->family, p->dst, ports && p->has_dport, p->dport);
	nsh_out_string(o, NSH_C_NONE, "iif", NULL, p->iif);
	nsh_out_string(o, NSH_C_NONE, "oif", NULL, p->oif);
	nsh_out_obj_close(o);
}

/* The members naming a rule: family, table, chain, position, handle, rule. */
static void rule_json(struct nsh_out *o, const struct nsh_xp_step *e, struct nsh_buf *b)
{
	nsh_out_string(o, NSH_C_NONE, "family", NULL, nsh_family_name(e->table->family));
	nsh_out_string(o, NSH_C_NONE, "table", NULL, e->table->name);
	nsh_out_string(o, NSH_C_NONE, "chain", NULL, e->chain->name);
	if (!e->rule)
		return;
	nsh_buf_reset(b);
	nsh_rule_render(e->table, e->rule, NSH_RF_COMMENT, b);
	nsh_out_uint(o, NSH_C_NONE, "position", NULL, e->rule->position);
	nsh_out_uint(o, NSH_C_NONE, "handle", NULL, e->rule->handle);
	nsh_out_string(o, NSH_C_NONE, "rule", NULL, b->s);
}

static const char *kind_name(enum nsh_xp_kind k)
{
	static const char *const n[] = {
		[NSH_XP_HOOK] = "hook", [NSH_XP_CHAIN] = "chain", [NSH_XP_SKIP] = "skip",
		[NSH_XP_RULE] = "rule", [NSH_XP_NAT] = "nat", [NSH_XP_LEAVE] = "leave",
		[NSH_XP_ROUTE] = "route", [NSH_XP_END] = "end",
	};
	return n[k];
}

static void nat_json(struct nsh_out *o, const char *key, const struct nsh_xp_path *p, size_t si,
		     struct nsh_buf *b)
{
	const struct nsh_xp_step *e;
	bool dst, ports;

	if (si == SIZE_MAX) {
		nsh_out_null(o, key, NULL);
		return;
	}
	e = &p->steps[si];
	dst = nat_is_dst(e->nat);
	ports = e->pkt.proto == IPPROTO_TCP || e->pkt.proto == IPPROTO_UDP;
	nsh_out_obj_open(o, key);
	nsh_out_string(o, NSH_C_NONE, "type", NULL, nat_name(e->nat));
	nsh_out_string(o, NSH_C_NONE, "hook", NULL, nsh_hook_name(e->hook));
	rule_json(o, e, b);
	ep_json(o, "addr", "port", e->pkt.family, dst ? e->pkt.dst : e->pkt.src,
		ports && (dst ? e->pkt.has_dport : e->pkt.has_sport), dst ? e->pkt.dport : e->pkt.sport);
	if (e->addr_range) {
		char s[INET6_ADDRSTRLEN];

		addr_str(e->pkt.family, e->addr_hi.data, s, sizeof(s));
		nsh_out_string(o, NSH_C_NONE, "addr_max", NULL, s);
	}
	if (e->port_range)
		nsh_out_uint(o, NSH_C_NONE, "port_max", NULL, e->port_hi);
	nsh_out_bool(o, "port_may_change", NULL, e->port_may_change);
	nsh_out_uint(o, NSH_C_NONE, "target", NULL, e->alt);
	nsh_out_uint(o, NSH_C_NONE, "targets", NULL, e->nalts);
	nsh_out_obj_close(o);
}

static void render_json_path(struct nsh_out *o, const struct nsh_xp_path *p, struct nsh_buf *b)
{
	size_t i;

	nsh_out_obj_open(o, NULL);
	nsh_out_bool(o, "certain", NULL, nsh_xp_path_certain(p));
	nsh_out_string(o, NSH_C_NONE, "end", NULL, nsh_xp_end_name(p->end));
	nat_json(o, "dnat", p, p->dnat, b);
	nat_json(o, "snat", p, p->snat, b);
	pkt_json(o, "final", &p->final);
	nsh_out_arr_open(o, "assumed");
	for (i = 0; i < p->nsteps; i++) {
		const struct nsh_xp_step *e = &p->steps[i];

		if (e->kind != NSH_XP_RULE || e->res != NSH_XP_MAYBE)
			continue;
		nsh_out_obj_open(o, NULL);
		rule_json(o, e, b);
		nsh_out_string(o, NSH_C_NONE, "why", NULL, e->why);
		nsh_out_bool(o, "matches", NULL, e->assumed);
		nsh_out_obj_close(o);
	}
	nsh_out_arr_close(o);
	nsh_out_arr_open(o, "steps");
	for (i = 0; i < p->nsteps; i++) {
		const struct nsh_xp_step *e = &p->steps[i];

		nsh_out_obj_open(o, NULL);
		nsh_out_string(o, NSH_C_NONE, "kind", NULL, kind_name(e->kind));
		nsh_out_string(o, NSH_C_NONE, "hook", NULL, nsh_hook_name(e->hook));
		if (e->table && e->kind != NSH_XP_ROUTE && e->kind != NSH_XP_HOOK)
			rule_json(o, e, b);
		switch (e->kind) {
		case NSH_XP_RULE:
			nsh_out_string(o, NSH_C_NONE, "result", NULL, e->res == NSH_XP_YES ? "match" :
				       e->res == NSH_XP_NO ? "no" : "maybe");
			nsh_out_string(o, NSH_C_NONE, "why", NULL, e->why);
			if (e->why_set)
				nsh_out_string(o, NSH_C_NONE, "set", NULL, e->why_set);
			if (e->res == NSH_XP_MAYBE)
				nsh_out_bool(o, "assumed", NULL, e->assumed);
			break;
		case NSH_XP_NAT:
			nsh_out_string(o, NSH_C_NONE, "type", NULL, nat_name(e->nat));
			pkt_json(o, "packet", &e->pkt);
			break;
		case NSH_XP_LEAVE:
			nsh_out_string(o, NSH_C_NONE, "why", NULL, e->why);
			break;
		case NSH_XP_ROUTE:
			nsh_out_bool(o, "local", NULL, e->local);
			nsh_out_bool(o, "reroute", NULL, e->reroute);
			nsh_out_string(o, NSH_C_NONE, "oif", NULL, e->pkt.oif);
			break;
		case NSH_XP_END:
			nsh_out_string(o, NSH_C_NONE, "end", NULL, nsh_xp_end_name(e->end));
			break;
		default:
			break;
		}
		nsh_out_obj_close(o);
	}
	nsh_out_arr_close(o);
	nsh_out_obj_close(o);
}

/* See render/explain.h. */
void nsh_explain_render(struct nsh_out *o, const struct nsh_xp *x)
{
	struct nsh_buf b;
	size_t i;
	bool certain = !x->truncated;

	for (i = 0; i < x->npaths; i++)
		certain = certain && nsh_xp_path_certain(&x->paths[i]);

	nsh_buf_init(&b);
	if (nsh_out_json(o)) {
		nsh_out_obj_open(o, NULL);
		pkt_json(o, "packet", &x->in);
		nsh_out_bool(o, "local", NULL, x->local);
		nsh_out_bool(o, "iif_from_route", NULL, x->iif_derived);
		nsh_out_bool(o, "src_from_route", NULL, x->src_derived);
		nsh_out_bool(o, "ct_state_new", NULL, x->ct_state_new);
		nsh_out_bool(o, "certain", NULL, certain);
		nsh_out_bool(o, "truncated", NULL, x->truncated);
		nsh_out_arr_open(o, "paths");
		for (i = 0; i < x->npaths; i++)
			render_json_path(o, &x->paths[i], &b);
		nsh_out_arr_close(o);
		nsh_out_obj_close(o);
		nsh_buf_free(&b);
		return;
	}
	pkt_put(&b, &x->in);
	if (x->local)
		nsh_out_ctext(o, NSH_C_HEADER, "%s, sent by the router%s\n", b.s,
			      x->src_derived ? " (source address as routing picks it)" : "");
	else
		nsh_out_ctext(o, NSH_C_HEADER, "%s, in %s%s\n", b.s, x->in.iif,
			      x->iif_derived ? " (the interface of the route back to the source)" : "");
	for (i = 0; i < x->npaths; i++)
		render_text_path(o, x, &x->paths[i], i, &b);
	if (x->truncated)
		nsh_out_ctext(o, NSH_C_WARN, "more paths left out: only the first %d are followed\n",
			      NSH_XP_MAX_PATHS);
	if (x->ct_state_new)
		nsh_out_ctext(o, NSH_C_DIM, "note: ct state is taken as new (NAT chains see only a "
			      "connection's first packet)\n");
	if (!certain)
		nsh_out_ctext(o, NSH_C_WARN, "not certain: %zu possible paths, each names the rules "
			      "natsh cannot evaluate that it depends on\n", x->npaths);
	else if (x->npaths > 1)
		nsh_out_text(o, "%zu possible paths: the rule picks one target per connection\n",
			     x->npaths);
	nsh_buf_free(&b);
}

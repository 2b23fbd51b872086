/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The wording of doctor's findings: what is wrong and why it matters, per kind. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/buf.h"
#include "lib/util.h"
#include "render/doctor.h"

/*
 * The lines are cut where the fixed fields of findings used to cut them
 * (where 160, what and why 400 bytes), so that the output stays the same.
 */
#define WHERE_MAX 160
#define TEXT_MAX 400
#define LIST_MAX 200

/* printf into a line of at most len - 1 bytes. */
static void say(char *line, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *line, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, len, fmt, ap);
	va_end(ap);
}

/* uneven_probability: each rule's share, and the probabilities that split evenly. */
static void shares_of(const struct nsh_finding *x, char *shares, char *want)
{
	struct nsh_buf s, w;
	size_t i, n = x->nrules;

	nsh_buf_init(&s);
	nsh_buf_init(&w);
	for (i = 0; i < n; i++) {
		double even = 1.0 / (double)(n - i);
		bool last_rest = x->rest && i == n - 1;

		if (i < NSH_DOCTOR_SHARES)	/* later ones are past the cut anyway */
			nsh_buf_printf(&s, "%s%.0f%%", i ? ", " : "", x->share[i] * 100);
		nsh_buf_printf(&w, "%s%s", i ? ", " : "", last_rest ? "rest" :
			       even > 0.9999 ? "1" : "");
		if (!last_rest && even <= 0.9999)
			nsh_buf_printf(&w, "%.4g", even);
		if (w.len >= LIST_MAX && s.len >= LIST_MAX)
			break;
	}
	snprintf(shares, LIST_MAX, "%s", s.s);
	snprintf(want, LIST_MAX, "%s", w.s);
	nsh_buf_free(&s);
	nsh_buf_free(&w);
}

/* What is wrong. */
static void what_of(const struct nsh_finding *x, const char *addr, const char *bport, char *l)
{
	const size_t n = TEXT_MAX;
	char shares[LIST_MAX], want[LIST_MAX];

	switch (x->kind) {
	case NSH_FIND_IPTABLES_LEGACY:
		say(l, n, "iptables-legacy NAT rules are loaded (the x_tables nat table) beside "
		    "nf_tables");
		break;
	case NSH_FIND_IP_FORWARD_OFF:
		say(l, n, "net.ipv4.ip_forward is 0 while NAT rules translate forwarded traffic");
		break;
	case NSH_FIND_IP6_FORWARD_OFF:
		say(l, n, "net.ipv6.conf.all.forwarding is 0 while IPv6 NAT rules translate "
		    "forwarded traffic");
		break;
	case NSH_FIND_UNEVEN_PROBABILITY:
		shares_of(x, shares, want);
		say(l, n, "rules %zu-%zu of chain %s split traffic at random, but unevenly: %s "
		    "(corrected probabilities: %s)", x->pos + 1, x->pos + x->nrules, x->chain->name,
		    shares, want);
		break;
	case NSH_FIND_DNAT_UNREACHABLE:
		say(l, n, "%s dport %s is forwarded to %s, which is in no connected subnet",
		    x->proto, x->ports, addr);
		break;
	case NSH_FIND_ROUTER_ACCESS_MISSING:
		say(l, n, "router access: %s dport %s is forwarded to %s%s, but not for the "
		    "router's own connections (no DNAT in an output chain)", x->proto, x->ports,
		    addr, bport);
		break;
	case NSH_FIND_ROUTER_ACCESS_NO_MASQ:
		say(l, n, "router access: the router's own connections to %s%s are not "
		    "masqueraded towards %s", addr, bport, x->lan);
		break;
	case NSH_FIND_ROUTER_ACCESS_NO_LOCALNET:
		say(l, n, "router access: net.ipv4.conf.%s.route_localnet is 0 while an output DNAT "
		    "sends the router's connections to 127.0.0.1 on to %s", x->lan, addr);
		break;
	case NSH_FIND_ROUTER_ACCESS_LOOPBACK6:
		say(l, n, "router access: an output DNAT sends the router's connections to ::1 on "
		    "to %s%s", addr, bport);
		break;
	case NSH_FIND_DNAT_WAN_ONLY:
		say(l, n, "hairpin NAT: the forward of %s dport %s to %s%s only applies to packets "
		    "arriving on %s", x->proto, x->ports, addr, bport, x->iface);
		break;
	case NSH_FIND_NO_HAIRPIN:
		say(l, n, "hairpin NAT: the forward of %s dport %s to %s%s has no hairpin "
		    "masquerade", x->proto, x->ports, addr, bport);
		break;
	case NSH_FIND_SNAT_BAD_IFACE:
		say(l, n, "%s out of %s, which %s", x->masquerade ? "masquerade" : "snat", x->iface,
		    x->iface_state == NSH_IFACE_MISSING ? "does not exist" :
		    x->iface_state == NSH_IFACE_NO_IPV4 ? "has no IPv4 address" : "no route uses");
		break;
	case NSH_FIND_SHADOWED_RULE:
		say(l, n, "rule %zu can never match: rule %zu before it (handle %llu) matches every "
		    "packet it would and ends the chain for them", x->pos + 1, x->other + 1,
		    (unsigned long long)x->chain->rules[x->other].handle);
		break;
	case NSH_FIND_NO_COUNTER:
		say(l, n, "rule %zu of chain %s has no counter", x->pos + 1, x->chain->name);
		break;
	}
}

/* Why it matters. */
static void why_of(const struct nsh_finding *x, char *l)
{
	const size_t n = TEXT_MAX;

	switch (x->kind) {
	case NSH_FIND_IPTABLES_LEGACY:
		say(l, n, "both run on every packet: legacy rules are invisible to nft and natsh and "
		    "may translate first");
		break;
	case NSH_FIND_IP_FORWARD_OFF:
		say(l, n, "the router drops every packet it would forward: port forwards and LAN "
		    "masquerading cannot work");
		break;
	case NSH_FIND_IP6_FORWARD_OFF:
		say(l, n, "the router drops every IPv6 packet it would forward: the IPv6 port "
		    "forwards and the IPv6 LAN's masquerading cannot work");
		break;
	case NSH_FIND_UNEVEN_PROBABILITY:
		say(l, n, "each probability applies to what the rules before it left over: %zu "
		    "backends need 1/%zu, then 1/%zu, and so on down to 1/2, then the rest",
		    x->nrules, x->nrules, x->nrules - 1);
		break;
	case NSH_FIND_DNAT_UNREACHABLE:
		say(l, n, "the router has no interface on that network: the forwarded connections "
		    "go out by the default route (to the Internet) or nowhere");
		break;
	case NSH_FIND_ROUTER_ACCESS_MISSING:
		say(l, n, "connections made on the router itself pass output, not prerouting: "
		    "from the router the public address:%u does not reach the service%s", x->port,
		    x->family == AF_INET6 ? "" : "; the whole set is needed: output DNAT, a "
		    "masquerade of the router's own sources, route_localnet for 127.0.0.1");
		break;
	case NSH_FIND_ROUTER_ACCESS_NO_MASQ:
		say(l, n, "the reroute check after the output DNAT picks a new interface but keeps "
		    "the source (127.0.0.1, or the WAN address): the backend cannot answer, or the "
		    "packet is dropped");
		break;
	case NSH_FIND_ROUTER_ACCESS_NO_LOCALNET:
		say(l, n, "connections from the router to 127.0.0.1:%u are translated towards %s "
		    "but the reroute check drops them (source 127.0.0.1) unless route_localnet "
		    "is on for %s", x->port, x->lan, x->lan);
		break;
	case NSH_FIND_ROUTER_ACCESS_LOOPBACK6:
		say(l, n, "IPv6 has no route_localnet: a packet from ::1 never leaves the host, so "
		    "this rule cannot work; the router reaches the service by its own addresses "
		    "(fib daddr type local)");
		break;
	case NSH_FIND_DNAT_WAN_ONLY:
		say(l, n, "LAN clients that use the public address arrive on %s: they reach the "
		    "router itself, not the service; forwarded, they also need the hairpin "
		    "masquerade, or the backend answers them directly and the connection fails",
		    x->lan);
		break;
	case NSH_FIND_NO_HAIRPIN:
		say(l, n, "LAN hosts that use the public address get answers straight from the "
		    "backend, not through the router: the connection never completes");
		break;
	case NSH_FIND_SNAT_BAD_IFACE:
		say(l, n, "no packet leaves by %s, or masquerade has no address to use: the rule "
		    "translates nothing and the LAN has no Internet access", x->iface);
		break;
	case NSH_FIND_SHADOWED_RULE:
		say(l, n, "the rule does nothing; whatever it was meant to do does not happen");
		break;
	case NSH_FIND_NO_COUNTER:
		say(l, n, "show, top and doctor cannot tell whether it ever matches");
		break;
	}
}

/* Why one part of a fix is there. */
static const char *step_why(const struct nsh_finding *x, enum nsh_fix_why w)
{
	switch (w) {
	case NSH_WHY_OUTPUT_DNAT:
		return "the router's own connections pass the output chain, not prerouting: "
		       "this DNAT forwards them";
	case NSH_WHY_OUTPUT_DNAT6:
		return "the router's own connections pass the output chain, not prerouting: this "
		       "DNAT forwards those to its IPv6 addresses (not ::1: IPv6 has no "
		       "route_localnet, ::1 never leaves the host)";
	case NSH_WHY_LOCAL_MASQ:
		return "the reroute check after the output DNAT keeps the router's source "
		       "(127.0.0.1, the WAN address): masquerading gives the LAN address the "
		       "backend can answer; ct status dnat limits it to translated connections";
	case NSH_WHY_LOCALNET:
		return "without it the reroute check drops packets whose source is 127.0.0.1 "
		       "going out to the LAN";
	case NSH_WHY_ANY_IIF:
		return "the DNAT without the input interface: LAN clients using the public "
		       "address are forwarded too (fib daddr type local: any address of the "
		       "router)";
	case NSH_WHY_HAIRPIN_MASQ:
		return x->family == AF_INET6 ?
		       "the hairpin masquerade: the backend sees the router's LAN address and "
		       "answers through the router, which translates the answers back" :
		       "the hairpin masquerade: the backend sees the router's LAN address and "
		       "answers through the router, which translates the answers back "
		       "(ct status dnat: only forwarded connections)";
	case NSH_WHY_NO_LOOPBACK6:
		return "the same DNAT for the router's own addresses instead of ::1: those "
		       "connections can leave the host";
	}
	return "";
}

/* The parts of a fix of several commands, each with its reason. */
static void steps_render(struct nsh_out *o, const struct nsh_finding *x)
{
	char cmd[sizeof(x->fix)];
	size_t i;

	if (x->nsteps < 2)
		return;
	nsh_out_arr_open(o, "steps");
	for (i = 0; i < x->nsteps; i++) {
		snprintf(cmd, sizeof(cmd), "%.*s", (int)x->step[i].len, x->fix + x->step[i].off);
		nsh_out_obj_open(o, NULL);
		nsh_out_ctext(o, NSH_C_NONE, "    %zu. ", i + 1);
		nsh_out_string(o, NSH_C_OK, "fix", "%s\n", cmd);
		nsh_out_string(o, NSH_C_NONE, "why", "       %s\n", step_why(x, x->step[i].why));
		nsh_out_obj_close(o);
	}
	nsh_out_arr_close(o);
}

/* One finding's block: "problem N: id", where, what, why, fix (and its parts). */
static void finding_render(struct nsh_out *o, const struct nsh_finding *x, size_t i)
{
	char where[WHERE_MAX], what[TEXT_MAX], why[TEXT_MAX];
	char addr[INET6_ADDRSTRLEN + 2] = "", bport[16] = "";

	if (x->family) {
		inet_ntop(x->family, x->addr, addr, sizeof(addr));
		if (x->bport && x->family == AF_INET6) {
			memmove(addr + 1, addr, strlen(addr) + 1);
			addr[0] = '[';
			strcat(addr, "]");
		}
		if (x->bport)
			snprintf(bport, sizeof(bport), ":%u", x->bport);
	}
	what_of(x, addr, bport, what);
	why_of(x, why);
	nsh_out_obj_open(o, NULL);
	nsh_out_ctext(o, NSH_C_WARN, "problem %zu: ", i + 1);
	nsh_out_string(o, NSH_C_WARN, "id", "%s\n", x->id);
	if (x->table) {
		say(where, sizeof(where), "table %s %s chain %s rule %zu (handle %llu)",
		    nsh_family_name(x->table->family), x->table->name, x->chain->name, x->pos + 1,
		    (unsigned long long)x->rule->handle);
		nsh_out_string(o, NSH_C_NONE, "where", "  where: %s\n", where);
	}
	nsh_out_string(o, NSH_C_NONE, "what", "  what:  %s\n", what);
	nsh_out_string(o, NSH_C_NONE, "why", "  why:   %s\n", why);
	if (x->fix[0])
		nsh_out_string(o, NSH_C_OK, "fix", "  fix:   %s\n", x->fix);
	steps_render(o, x);
	nsh_out_obj_close(o);
}

/* See render/doctor.h. */
void nsh_doctor_render(struct nsh_out *o, const struct nsh_finding *v, size_t n)
{
	size_t i;

	nsh_out_obj_open(o, NULL);
	nsh_out_uint(o, NSH_C_NONE, "problems", NULL, n);
	nsh_out_arr_open(o, "findings");
	for (i = 0; i < n; i++)
		finding_render(o, &v[i], i);
	nsh_out_arr_close(o);
	if (n)
		nsh_out_text(o, "%zu problem%s found\n", n, n == 1 ? "" : "s");
	else
		nsh_out_ctext(o, NSH_C_OK, "no problems found\n");
	nsh_out_obj_close(o);
}

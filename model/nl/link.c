/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rtnetlink dumps of links, addresses and routes (see nl_link.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP (1 << 16)
#endif
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "lib/util.h"
#include "model/nl/link.h"
#include "model/nl/sock.h"

/* The state of one dump: the result being filled. */
struct dump {
	struct nsh_links *l;
};

static struct nsh_link *link_get(struct nsh_links *l, int index)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->links[i].index == index)
			return &l->links[i];
	return NULL;
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, IFLA_MAX) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int linkinfo_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(attr, IFLA_INFO_MAX) < 0)
		return MNL_CB_OK;
	tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	struct nsh_link *k;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, tb);
	d->l->links = nsh_xrealloc(d->l->links, (d->l->n + 1) * sizeof(*k));
	k = &d->l->links[d->l->n++];
	memset(k, 0, sizeof(*k));
	k->index = ifm->ifi_index;
	k->flags = ifm->ifi_flags;
	k->up = ifm->ifi_flags & IFF_UP;
	k->lower_up = ifm->ifi_flags & IFF_LOWER_UP;
	if (tb[IFLA_IFNAME])
		snprintf(k->name, sizeof(k->name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (tb[IFLA_MTU])
		k->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6) {
		memcpy(k->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
		k->has_mac = true;
	}
	if (tb[IFLA_LINKINFO]) {
		const struct nlattr *li[IFLA_INFO_MAX + 1] = { 0 };

		mnl_attr_parse_nested(tb[IFLA_LINKINFO], linkinfo_attr_cb, li);
		if (li[IFLA_INFO_KIND])
			snprintf(k->kind, sizeof(k->kind), "%s", mnl_attr_get_str(li[IFLA_INFO_KIND]));
	}
	return MNL_CB_OK;
}

static int addr_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
		return MNL_CB_OK;
	tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	const struct nlattr *a;
	struct nsh_link_addr *x;
	struct nsh_link *k;
	size_t len = ifa->ifa_family == AF_INET ? 4 : 16;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return MNL_CB_OK;
	k = link_get(d->l, ifa->ifa_index);
	if (!k)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, tb);
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || mnl_attr_get_payload_len(a) < len)
		return MNL_CB_OK;
	k->addrs = nsh_xrealloc(k->addrs, (k->naddrs + 1) * sizeof(*x));
	x = &k->addrs[k->naddrs++];
	memset(x, 0, sizeof(*x));
	x->family = ifa->ifa_family;
	memcpy(x->addr, mnl_attr_get_payload(a), len);
	x->plen = ifa->ifa_prefixlen;
	x->scope = ifa->ifa_scope;
	return MNL_CB_OK;
}

static int route_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(attr, RTA_MAX) < 0)
		return MNL_CB_OK;
	tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	struct nsh_route *r;
	size_t len = rtm->rtm_family == AF_INET ? 4 : 16;
	uint32_t table = rtm->rtm_table;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*rtm), route_attr_cb, tb);
	if (tb[RTA_TABLE])
		table = mnl_attr_get_u32(tb[RTA_TABLE]);
	if (table != RT_TABLE_MAIN || !tb[RTA_OIF])
		return MNL_CB_OK;
	d->l->routes = nsh_xrealloc(d->l->routes, (d->l->nroutes + 1) * sizeof(*r));
	r = &d->l->routes[d->l->nroutes++];
	memset(r, 0, sizeof(*r));
	r->family = rtm->rtm_family;
	r->plen = rtm->rtm_dst_len;
	r->oif = mnl_attr_get_u32(tb[RTA_OIF]);
	if (tb[RTA_DST] && mnl_attr_get_payload_len(tb[RTA_DST]) >= len)
		memcpy(r->dst, mnl_attr_get_payload(tb[RTA_DST]), len);
	if (tb[RTA_GATEWAY] && mnl_attr_get_payload_len(tb[RTA_GATEWAY]) >= len) {
		memcpy(r->gw, mnl_attr_get_payload(tb[RTA_GATEWAY]), len);
		r->has_gw = true;
	}
	return MNL_CB_OK;
}

/* One dump request of type for family, answered through cb. */
static int dump(struct nsh_sock *sock, uint16_t type, int family, mnl_cb_t cb, struct dump *d)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = nsh_sock_seq(sock);
	/* rtmsg/ifinfomsg/ifaddrmsg all start with the family byte */
	g = mnl_nlmsg_put_extra_header(nlh, type == RTM_GETROUTE ? sizeof(struct rtmsg)
				       : type == RTM_GETLINK ? sizeof(struct ifinfomsg)
				       : sizeof(struct ifaddrmsg));
	g->rtgen_family = family;
	return nsh_sock_talk(sock, nlh, cb, d);
}

/* Links first: addresses are filed under the link they belong to. */
struct nsh_links *nsh_links_dump(void)
{
	static const struct nsh_sock_opts o = { .bus = NETLINK_ROUTE, .buflen = 32768 };
	struct nsh_sock *sock = nsh_sock_open(&o);
	struct dump d;

	if (!sock)
		return NULL;
	d.l = nsh_xcalloc(1, sizeof(*d.l));
	if (dump(sock, RTM_GETLINK, AF_UNSPEC, link_cb, &d) < 0 ||
	    dump(sock, RTM_GETADDR, AF_UNSPEC, addr_cb, &d) < 0 ||
	    dump(sock, RTM_GETROUTE, AF_UNSPEC, route_cb, &d) < 0) {
		int saved = errno;

		nsh_links_free(d.l);
		nsh_sock_close(sock);
		errno = saved;
		return NULL;
	}
	nsh_sock_close(sock);
	return d.l;
}

void nsh_links_free(struct nsh_links *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		free(l->links[i].addrs);
	free(l->links);
	free(l->routes);
	free(l);
}

const struct nsh_link *nsh_links_by_name(const struct nsh_links *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->links[i].name, name))
			return &l->links[i];
	return NULL;
}

const struct nsh_link *nsh_links_by_index(const struct nsh_links *l, int index)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->links[i].index == index)
			return &l->links[i];
	return NULL;
}

const struct nsh_link *nsh_links_default(const struct nsh_links *l, int family,
					 const struct nsh_route **route)
{
	size_t i;

	for (i = 0; i < l->nroutes; i++) {
		const struct nsh_route *r = &l->routes[i];

		if (r->family == family && r->plen == 0) {
			if (route)
				*route = r;
			return nsh_links_by_index(l, r->oif);
		}
	}
	return NULL;
}

/* Do the first plen bits of a and b agree? */
static bool prefix_match(const uint8_t *a, const uint8_t *b, unsigned plen)
{
	unsigned full = plen / 8, rest = plen % 8;

	if (memcmp(a, b, full))
		return false;
	if (!rest)
		return true;
	return ((a[full] ^ b[full]) & (0xff << (8 - rest))) == 0;
}

const struct nsh_link *nsh_links_subnet_of(const struct nsh_links *l, int family,
					   const void *addr)
{
	const struct nsh_link *best = NULL;
	int best_plen = -1;
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		const struct nsh_link *k = &l->links[i];

		if (k->flags & IFF_LOOPBACK)
			continue;
		for (j = 0; j < k->naddrs; j++) {
			const struct nsh_link_addr *x = &k->addrs[j];

			if (x->family == family && (int)x->plen > best_plen &&
			    (x->plen < (family == AF_INET ? 32 : 128)) &&
			    prefix_match(x->addr, addr, x->plen)) {
				best = k;
				best_plen = x->plen;
			}
		}
	}
	return best;
}

const struct nsh_link_addr *nsh_link_ipv4(const struct nsh_link *k)
{
	size_t i;

	for (i = 0; i < k->naddrs; i++)
		if (k->addrs[i].family == AF_INET && k->addrs[i].scope == RT_SCOPE_UNIVERSE)
			return &k->addrs[i];
	for (i = 0; i < k->naddrs; i++)
		if (k->addrs[i].family == AF_INET)
			return &k->addrs[i];
	return NULL;
}

/* One /proc/net table (tcp, tcp6, udp, udp6): a local port in [lo, hi] in state st (0: any). */
static int port_in_table(const char *path, unsigned st, uint16_t lo, uint16_t hi, uint16_t *found)
{
	FILE *f = fopen(path, "r");
	char line[512];
	unsigned port, state;

	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f)) {	/* the header */
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		/* "  sl  local_address rem_address   st ..." with ADDR:PORT in hex */
		colon = colon ? strchr(colon + 1, ':') : NULL;
		if (!colon || sscanf(colon + 1, "%x %*s %x", &port, &state) != 2)
			continue;
		if (port >= lo && port <= hi && (!st || state == st)) {
			*found = port;
			fclose(f);
			return 1;
		}
	}
	fclose(f);
	return 0;
}

int nsh_local_port_used(int udp, uint16_t lo, uint16_t hi, uint16_t *found)
{
	if (udp)
		return port_in_table("/proc/net/udp", 0, lo, hi, found) ||
		       port_in_table("/proc/net/udp6", 0, lo, hi, found);
	return port_in_table("/proc/net/tcp", 0x0a, lo, hi, found) ||
	       port_in_table("/proc/net/tcp6", 0x0a, lo, hi, found);
}

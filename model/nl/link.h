/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Interfaces, their addresses and the main routing table, read through
 * rtnetlink in the current network namespace.  Wizards take their defaults
 * from here (the WAN is the interface of the default route, the LAN the one
 * whose subnet holds the backend); `interfaces` and completion show it.
 */
#ifndef NSH_NL_LINK_H
#define NSH_NL_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

struct nsh_link_addr {
	int family;		/* AF_INET, AF_INET6 */
	uint8_t addr[16];	/* network order */
	uint8_t plen;
	uint8_t scope;		/* RT_SCOPE_* */
};

struct nsh_link {
	int index;
	char name[IFNAMSIZ];
	unsigned flags;		/* IFF_* */
	bool up;		/* IFF_UP set */
	bool lower_up;		/* carrier (IFF_LOWER_UP) */
	char kind[16];		/* "veth", "bridge"... or "" */
	uint8_t mac[6];
	bool has_mac;
	unsigned mtu;
	size_t naddrs;
	struct nsh_link_addr *addrs;	/* owned */
};

/* A route of the main table that matters here: default or connected. */
struct nsh_route {
	int family;
	uint8_t dst[16];
	uint8_t plen;		/* 0: default route */
	uint8_t gw[16];
	bool has_gw;
	int oif;
};

struct nsh_links {
	size_t n;
	struct nsh_link *links;		/* owned, by index */
	size_t nroutes;
	struct nsh_route *routes;	/* owned */
};

/*
 * Read links, addresses and main-table IPv4/IPv6 unicast routes.  Caller
 * frees with nsh_links_free().  NULL + errno on failure.
 */
struct nsh_links *nsh_links_dump(void);
void nsh_links_free(struct nsh_links *l);

const struct nsh_link *nsh_links_by_name(const struct nsh_links *l, const char *name);
const struct nsh_link *nsh_links_by_index(const struct nsh_links *l, int index);

/* The interface of the default route of family, or NULL; *route gets the route (may be NULL). */
const struct nsh_link *nsh_links_default(const struct nsh_links *l, int family,
					 const struct nsh_route **route);

/*
 * The interface whose connected subnet (an address prefix of the interface,
 * longest match) holds addr (network order, family-sized); NULL if none.
 */
const struct nsh_link *nsh_links_subnet_of(const struct nsh_links *l, int family,
					   const void *addr);

/* The first global IPv4 address of a link, or NULL. */
const struct nsh_link_addr *nsh_link_ipv4(const struct nsh_link *k);

/*
 * Does a socket of this namespace listen on a local TCP port (udp: is a UDP
 * socket bound to a port) in [lo, hi]?  1 and *found set, else 0.  Read
 * from /proc/net: a forward of such a port takes it away from the router.
 */
int nsh_local_port_used(int udp, uint16_t lo, uint16_t hi, uint16_t *found);

#endif

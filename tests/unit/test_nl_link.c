/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Lookups over a links snapshot (no kernel): default route's interface,
 * longest-prefix subnet of an address, first IPv4 address; sysctl key
 * checks and paths.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "model/nl/link.h"
#include "model/nl/sysctl.h"

static void addr4(struct nsh_link_addr *x, const char *a, uint8_t plen)
{
	memset(x, 0, sizeof(*x));
	x->family = AF_INET;
	inet_pton(AF_INET, a, x->addr);
	x->plen = plen;
}

/* lo 127.0.0.1/8; eth0 198.51.100.1/24 (default via .100); eth1 192.0.2.1/24 + 192.0.2.129/25; eth2 203.0.113.1/24 */
static struct nsh_links *lab(void)
{
	struct nsh_links *l = calloc(1, sizeof(*l));
	static const char *const names[] = { "lo", "eth0", "eth1", "eth2" };
	size_t i;

	l->n = 4;
	l->links = calloc(4, sizeof(*l->links));
	for (i = 0; i < 4; i++) {
		l->links[i].index = i + 1;
		strcpy(l->links[i].name, names[i]);
		l->links[i].up = true;
		l->links[i].addrs = calloc(2, sizeof(struct nsh_link_addr));
	}
	l->links[0].flags = 8;	/* IFF_LOOPBACK */
	addr4(&l->links[0].addrs[0], "127.0.0.1", 8);
	l->links[0].addrs[0].scope = 254;
	addr4(&l->links[1].addrs[0], "198.51.100.1", 24);
	addr4(&l->links[2].addrs[0], "192.0.2.1", 24);
	addr4(&l->links[2].addrs[1], "192.0.2.129", 25);
	addr4(&l->links[3].addrs[0], "203.0.113.1", 24);
	l->links[0].naddrs = l->links[1].naddrs = l->links[3].naddrs = 1;
	l->links[2].naddrs = 2;
	l->nroutes = 1;
	l->routes = calloc(1, sizeof(*l->routes));
	l->routes[0].family = AF_INET;
	l->routes[0].oif = 2;
	l->routes[0].has_gw = true;
	inet_pton(AF_INET, "198.51.100.100", l->routes[0].gw);
	return l;
}

static const char *holder(const struct nsh_links *l, const char *a)
{
	struct in_addr x;
	const struct nsh_link *k;

	inet_pton(AF_INET, a, &x);
	k = nsh_links_subnet_of(l, AF_INET, &x);
	return k ? k->name : "-";
}

static void test_lookups(void **state)
{
	struct nsh_links *l = lab();
	const struct nsh_route *r = NULL;

	assert_string_equal(nsh_links_default(l, AF_INET, &r)->name, "eth0");
	assert_true(r->has_gw);
	assert_null(nsh_links_default(l, AF_INET6, NULL));
	assert_string_equal(holder(l, "192.0.2.10"), "eth1");
	assert_string_equal(holder(l, "192.0.2.200"), "eth1");
	assert_string_equal(holder(l, "203.0.113.77"), "eth2");
	assert_string_equal(holder(l, "198.51.100.100"), "eth0");
	assert_string_equal(holder(l, "127.0.0.5"), "-");	/* loopback is no LAN */
	assert_string_equal(holder(l, "10.1.2.3"), "-");
	assert_string_equal(nsh_links_by_index(l, 3)->name, "eth1");
	assert_null(nsh_links_by_name(l, "eth9"));
	assert_int_equal(nsh_link_ipv4(nsh_links_by_name(l, "eth1"))->plen, 24);
	nsh_links_free(l);
	nsh_links_free(NULL);
}

static void test_sysctl_keys(void **state)
{
	static const char *const bad[] = {
		"kernel.hostname", "net.", "net", "net..ipv4", "net.ipv4.", "net.ipv4/../x",
		"net.ipv4.ip_forward ", "net.ipv4.ip forward", "net.ipv4.a\"b", "/net.ipv4",
	};
	struct nsh_err err = { 0 };
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nsh_err_clear(&err);
		if (nsh_sysctl_check(bad[i], 0, &err) != -1 || !err.set)
			fail_msg("key \"%s\" accepted", bad[i]);
	}
	assert_int_equal(nsh_sysctl_path("net.ipv4.conf.eth0/100.route_localnet", path, sizeof(path)), 0);
	assert_string_equal(path, "/proc/sys/net/ipv4/conf/eth0.100/route_localnet");
	assert_int_equal(nsh_sysctl_path("net.ipv4.ip_forward", path, sizeof(path)), 0);
	assert_string_equal(path, "/proc/sys/net/ipv4/ip_forward");
	assert_int_equal(nsh_sysctl_path("kernel.x", path, sizeof(path)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_sysctl_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

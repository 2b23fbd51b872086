/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `trace` without a kernel: the headers a trace event carries -> the
 * packet (IPv4, IPv6, ports, tcp flags, icmp, short headers), and a
 * packet's path -> text and JSON.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "model/nl/trace.h"
#include "render/out.h"
#include "render/trace.h"

/* IPv4 header with proto, src, dst; the rest zero. */
static void ip4(uint8_t *h, uint8_t proto, const char *src, const char *dst)
{
	memset(h, 0, 20);
	h[0] = 0x45;
	h[9] = proto;
	assert_int_equal(inet_pton(AF_INET, src, h + 12), 1);
	assert_int_equal(inet_pton(AF_INET, dst, h + 16), 1);
}

static void test_ipv4_tcp_syn(void **state)
{
	uint8_t nh[20], th[20] = { 0x9c, 0x40, 0x1f, 0x90 };
	struct nsh_trace_pkt p;
	char s[16];

	(void)state;
	th[13] = 0x02;
	ip4(nh, IPPROTO_TCP, "198.51.100.100", "198.51.100.1");
	assert_true(nsh_trace_pkt_parse(nh, sizeof(nh), th, sizeof(th), &p));
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.proto, IPPROTO_TCP);
	assert_true(p.has_ports);
	assert_int_equal(p.sport, 40000);
	assert_int_equal(p.dport, 8080);
	assert_true(p.has_tcp_flags);
	assert_int_equal(p.tcp_flags, 0x02);
	inet_ntop(AF_INET, p.dst, s, sizeof(s));
	assert_string_equal(s, "198.51.100.1");
}

static void test_ipv6_udp_and_icmp(void **state)
{
	uint8_t nh[40] = { 0x60 }, th[8] = { 0x13, 0x88, 0x00, 0x35 };
	uint8_t ic[8] = { 8, 0, 0, 0, 0x12, 0x34 };
	struct nsh_trace_pkt p;

	(void)state;
	nh[6] = IPPROTO_UDP;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:1::10", nh + 8), 1);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:ffff::100", nh + 24), 1);
	assert_true(nsh_trace_pkt_parse(nh, sizeof(nh), th, sizeof(th), &p));
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.sport, 5000);
	assert_int_equal(p.dport, 53);
	assert_false(p.has_tcp_flags);

	ip4(nh, IPPROTO_ICMP, "192.0.2.10", "198.51.100.100");
	assert_true(nsh_trace_pkt_parse(nh, 20, ic, sizeof(ic), &p));
	assert_true(p.has_icmp);
	assert_false(p.has_ports);
	assert_int_equal(p.icmp_type, 8);
	assert_int_equal(p.icmp_id, 0x1234);
}

static void test_short_headers(void **state)
{
	uint8_t nh[40] = { 0x45 }, th[2] = { 1, 2 };
	struct nsh_trace_pkt p;

	(void)state;
	/* no network header, a truncated one, an unknown version: no packet */
	assert_false(nsh_trace_pkt_parse(NULL, 0, NULL, 0, &p));
	assert_false(nsh_trace_pkt_parse(nh, 19, NULL, 0, &p));
	nh[0] = 0x60;
	assert_false(nsh_trace_pkt_parse(nh, 39, NULL, 0, &p));
	nh[0] = 0x25;
	assert_false(nsh_trace_pkt_parse(nh, 40, NULL, 0, &p));
	/* a transport header too short for ports: addresses only */
	ip4(nh, IPPROTO_TCP, "192.0.2.11", "198.51.100.1");
	assert_true(nsh_trace_pkt_parse(nh, 20, th, sizeof(th), &p));
	assert_false(p.has_ports);
	assert_false(p.has_tcp_flags);
}

/* A forwarded SYN: dnat in prerouting, a filter chain's policy, masquerade. */
static void path(struct nsh_trace_ev *ev, struct nsh_trace_step *st, struct nsh_trace_packet *tp)
{
	uint8_t nh[20], th[20] = { 0x9c, 0x40, 0x1f, 0x90 };
	static const char *const rules[] = {
		"iifname \"eth0\" tcp dport 8080 dnat ip to 192.0.2.10:80", NULL,
		"oifname \"eth0\" masquerade",
	};
	static const char *const tables[] = { "natsh", "filter", "natsh" };
	static const char *const chains[] = { "prerouting", "forward", "postrouting" };
	static const uint32_t hooks[] = { NF_INET_PRE_ROUTING, NF_INET_FORWARD,
					  NF_INET_POST_ROUTING };
	int i;

	th[13] = 0x02;
	memset(tp, 0, sizeof(*tp));
	ip4(nh, IPPROTO_TCP, "198.51.100.100", "198.51.100.1");
	nsh_trace_pkt_parse(nh, sizeof(nh), th, sizeof(th), &tp->first);
	tp->n = 1;
	strcpy(tp->iif, "eth0");
	for (i = 0; i < 3; i++) {
		memset(&ev[i], 0, sizeof(ev[i]));
		memset(&st[i], 0, sizeof(st[i]));
		ev[i].family = i == 1 ? 2 : 1;
		strcpy(ev[i].table, tables[i]);
		strcpy(ev[i].chain, chains[i]);
		ev[i].type = rules[i] ? NSH_TRACE_RULE : NSH_TRACE_POLICY;
		ev[i].handle = rules[i] ? (uint64_t)(4 + i) : 0;
		ev[i].has_verdict = rules[i] != NULL;
		ev[i].verdict = NF_ACCEPT;
		ev[i].has_policy = !rules[i];
		ev[i].policy = NF_ACCEPT;
		st[i].ev = &ev[i];
		st[i].hook = hooks[i];
		st[i].hook_known = true;
		st[i].base = true;
		st[i].chain_type = i == 1 ? "filter" : "nat";
		st[i].position = rules[i] ? 1 : 0;
		st[i].rule = rules[i];
		st[i].nat = rules[i] != NULL;
	}
	tp->steps = st;
	tp->nsteps = 3;
}

static void test_render_text(void **state)
{
	struct nsh_trace_ev ev[3];
	struct nsh_trace_step st[3];
	struct nsh_trace_packet tp;
	struct nsh_out *o = nsh_out_mem(false);
	const char *s;

	(void)state;
	path(ev, st, &tp);
	nsh_trace_render(o, &tp);
	s = nsh_out_str(o);
	assert_non_null(strstr(s, "packet 1  tcp 198.51.100.100:40000 → 198.51.100.1:8080 [syn]  in eth0\n"));
	assert_non_null(strstr(s, "  prerouting   inet natsh prerouting rule 1 (handle 4): iifname \"eth0\" "
				  "tcp dport 8080 dnat ip to 192.0.2.10:80  ⇒ accept (translated)\n"));
	assert_non_null(strstr(s, "  forward      ip filter forward: policy accept\n"));
	assert_non_null(strstr(s, "  postrouting  inet natsh postrouting rule 1 (handle 6): "));
	assert_non_null(strstr(s, "conntrack    no entry"));
	nsh_out_free(o);
}

static void test_render_json(void **state)
{
	struct nsh_trace_ev ev[3];
	struct nsh_trace_step st[3];
	struct nsh_trace_packet tp;
	struct nsh_out *o = nsh_out_mem(true);
	const char *s;

	(void)state;
	path(ev, st, &tp);
	nsh_trace_render(o, &tp);
	s = nsh_out_str(o);
	assert_non_null(strstr(s, "\"packet\":1"));
	assert_non_null(strstr(s, "\"src\":\"198.51.100.100\""));
	assert_non_null(strstr(s, "\"tcp_flags\":\"syn\""));
	assert_non_null(strstr(s, "\"hook\":\"prerouting\",\"family\":\"inet\",\"table\":\"natsh\""));
	assert_non_null(strstr(s, "\"handle\":4,\"position\":1,"));
	assert_non_null(strstr(s, "\"nat\":true,\"verdict\":\"accept\""));
	assert_non_null(strstr(s, "\"type\":\"policy\",\"verdict\":\"accept\""));
	assert_non_null(strstr(s, "\"conntrack\":null"));
	nsh_out_free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_tcp_syn),
		cmocka_unit_test(test_ipv6_udp_and_icmp),
		cmocka_unit_test(test_short_headers),
		cmocka_unit_test(test_render_text),
		cmocka_unit_test(test_render_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

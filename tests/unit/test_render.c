/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Rendering a model built by hand: values per datatype, matches, nat forms,
 * verdicts, counters and comments with and without flags, chain priorities.
 * Expected texts are what nft 1.0.6 prints for the same rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_nat.h>

#include "model/syntax/rule_text.h"
#include "lib/util.h"

static struct nsh_val v_u32(uint32_t x)
{
	struct nsh_val v = { .len = 4 };

	memcpy(v.data, &x, 4);
	return v;
}

static struct nsh_val v_u8(uint8_t x)
{
	struct nsh_val v = { .len = 1 };

	v.data[0] = x;
	return v;
}

static struct nsh_val v_port(uint16_t p)
{
	struct nsh_val v = { .len = 2 };

	v.data[0] = (uint8_t)(p >> 8);
	v.data[1] = (uint8_t)p;
	return v;
}

static struct nsh_val v_ip(const char *s)
{
	struct nsh_val v = { .len = 4 };

	assert_int_equal(inet_pton(AF_INET, s, v.data), 1);
	return v;
}

static struct nsh_val v_ip6(const char *s)
{
	struct nsh_val v = { .len = 16 };

	assert_int_equal(inet_pton(AF_INET6, s, v.data), 1);
	return v;
}

static struct nsh_val v_str(const char *s, size_t len)
{
	struct nsh_val v = { .len = (uint8_t)len };

	memcpy(v.data, s, strlen(s));
	return v;
}

static void check_val(enum nsh_type t, struct nsh_val v, const char *want)
{
	struct nsh_buf b;

	nsh_buf_init(&b);
	nsh_val_render(t, &v, &b);
	assert_string_equal(b.s, want);
	nsh_buf_free(&b);
}

static void test_values(void **state)
{
	(void)state;
	check_val(NSH_T_IFNAME, v_str("eth0", 16), "\"eth0\"");
	check_val(NSH_T_IFNAME, v_str("eth", 3), "\"eth*\"");
	check_val(NSH_T_IPV4, v_ip("192.0.2.1"), "192.0.2.1");
	check_val(NSH_T_IPV6, v_ip6("2001:db8::1"), "2001:db8::1");
	check_val(NSH_T_IPV6, v_ip6("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
	check_val(NSH_T_PORT, v_port(8080), "8080");
	check_val(NSH_T_L4PROTO, v_u8(6), "tcp");
	check_val(NSH_T_L4PROTO, v_u8(17), "udp");
	check_val(NSH_T_L4PROTO, v_u8(250), "250");
	check_val(NSH_T_NFPROTO, v_u8(2), "ipv4");
	check_val(NSH_T_NFPROTO, v_u8(10), "ipv6");
	check_val(NSH_T_MARK, v_u32(0x10), "0x00000010");
	check_val(NSH_T_CT_STATE, v_u32(6), "established,related");
	check_val(NSH_T_CT_STATE, v_u32(1 | 2 | 4 | 8 | 64), "invalid,established,related,new,untracked");
	check_val(NSH_T_CT_STATUS, v_u32(16 | 32), "snat,dnat");
	check_val(NSH_T_CT_STATUS, v_u32(512 | 4), "assured,dying");
	check_val(NSH_T_CT_DIR, v_u8(0), "original");
	check_val(NSH_T_CT_DIR, v_u8(1), "reply");
	check_val(NSH_T_FIB_ADDRTYPE, v_u32(2), "local");
	check_val(NSH_T_FIB_ADDRTYPE, v_u32(1), "unicast");
	check_val(NSH_T_INTEGER, v_u32(7), "7");
}

/* A rule of up to 4 statements, rendered with flags. */
static void check_rule(const struct nsh_stmt *st, size_t n, const char *comment, unsigned flags,
		       const char *want)
{
	struct nsh_table t = { .family = NSH_FAM_IP, .name = (char *)"t" };
	struct nsh_rule r = { .nstmts = n, .stmts = (struct nsh_stmt *)st,
			      .comment = (char *)comment };
	struct nsh_buf b;

	nsh_buf_init(&b);
	nsh_rule_render(&t, &r, flags, &b);
	assert_string_equal(b.s, want);
	nsh_buf_free(&b);
}

static struct nsh_stmt m_val(enum nsh_key_id k, enum nsh_op op, struct nsh_val v)
{
	struct nsh_stmt s = { .kind = NSH_ST_MATCH };

	s.match.key = &nsh_keys[k];
	s.match.op = op;
	s.match.rhs = NSH_RHS_VALUE;
	s.match.val = v;
	return s;
}

static void test_matches(void **state)
{
	struct nsh_stmt st[4];
	struct nsh_elem el[3];
	struct nsh_set set = { .key_type = NSH_T_PORT, .nelems = 3, .elems = el };

	(void)state;
	st[0] = m_val(NSH_K_IIFNAME, NSH_OP_NEQ, v_str("wlan", 4));
	st[1] = m_val(NSH_K_TCP_DPORT, NSH_OP_EQ, v_port(1000));
	st[1].match.rhs = NSH_RHS_RANGE;
	st[1].match.hi = v_port(2000);
	st[2] = m_val(NSH_K_IP_SADDR, NSH_OP_EQ, v_ip("198.51.100.0"));
	st[2].match.rhs = NSH_RHS_PREFIX;
	st[2].match.plen = 24;
	st[3] = m_val(NSH_K_META_MARK, NSH_OP_LT, v_u32(5));
	check_rule(st, 4, NULL, 0,
		   "iifname != \"wlan*\" tcp dport 1000-2000 ip saddr 198.51.100.0/24 "
		   "meta mark < 0x00000005");

	memset(el, 0, sizeof(el));
	el[0].lo = v_port(22);
	el[1].kind = NSH_ELEM_RANGE;
	el[1].lo = v_port(80);
	el[1].hi = v_port(90);
	el[2].lo = v_port(443);
	st[0] = m_val(NSH_K_UDP_DPORT, NSH_OP_NEQ, v_port(0));
	st[0].match.rhs = NSH_RHS_SET;
	st[0].match.set = &set;
	st[1] = m_val(NSH_K_IP_DADDR, NSH_OP_EQ, v_port(0));
	st[1].match.rhs = NSH_RHS_NAMED_SET;
	st[1].match.set_name = (char *)"blocked";
	st[2] = m_val(NSH_K_CT_STATE, NSH_OP_NEQ, v_u32(2));
	st[2].match.bitmask = true;
	check_rule(st, 3, NULL, 0,
		   "udp dport != { 22, 80-90, 443 } ip daddr @blocked ct state ! established");

	/* ct state/status as nft 1.0.6 lists its four encodings */
	st[0] = m_val(NSH_K_CT_STATE, NSH_OP_EQ, v_u32(6));
	st[0].match.bitmask = true;		/* & 6 != 0 */
	st[1] = m_val(NSH_K_CT_STATE, NSH_OP_NEQ, v_u32(6));
	st[1].match.bitmask = true;		/* & 6 == 0 */
	st[2] = m_val(NSH_K_CT_STATE, NSH_OP_NEQ, v_u32(2));	/* cmp neq 2 */
	st[3] = m_val(NSH_K_CT_STATE, NSH_OP_EQ, v_u32(2));	/* cmp eq 2 */
	check_rule(st, 4, NULL, 0, "ct state established,related ct state ! established,related "
		   "ct state != established ct state == established");
	st[0] = m_val(NSH_K_CT_STATE, NSH_OP_EQ, v_u32(6));	/* cmp eq 6 */
	st[1] = m_val(NSH_K_CT_STATUS, NSH_OP_NEQ, v_u32(48));	/* cmp neq 0x30 */
	check_rule(st, 2, NULL, 0, "ct state established | related ct status != snat | dnat");
}

static struct nsh_stmt nat(enum nsh_nat_type type)
{
	struct nsh_stmt s = { .kind = NSH_ST_NAT };

	s.nat.type = type;
	return s;
}

static void test_nat(void **state)
{
	struct nsh_stmt st[1];
	struct nsh_elem el[2];
	struct nsh_set map = { .key_type = NSH_T_PORT, .ndata = 2,
			       .data_type = { NSH_T_IPV4, NSH_T_PORT }, .nelems = 1, .elems = el };

	(void)state;
	st[0] = nat(NSH_NAT_DNAT);
	st[0].nat.addr = NSH_NAT_ADDR_VALUE;
	st[0].nat.addr_min = st[0].nat.addr_max = v_ip("192.0.2.10");
	check_rule(st, 1, NULL, 0, "dnat to 192.0.2.10");
	st[0].nat.has_port = true;
	st[0].nat.port_min = 8000;
	st[0].nat.port_max = 8010;
	st[0].nat.flags = NF_NAT_RANGE_PERSISTENT;
	check_rule(st, 1, NULL, 0, "dnat to 192.0.2.10:8000-8010 persistent");
	st[0].nat.family = NSH_FAM_IP;
	check_rule(st, 1, NULL, 0, "dnat ip to 192.0.2.10:8000-8010 persistent");

	st[0] = nat(NSH_NAT_DNAT);
	st[0].nat.addr = NSH_NAT_ADDR_RANGE;
	st[0].nat.addr_min = v_ip6("2001:db8::1");
	st[0].nat.addr_max = v_ip6("2001:db8::3");
	check_rule(st, 1, NULL, 0, "dnat to 2001:db8::1-2001:db8::3");
	st[0].nat.has_port = true;
	st[0].nat.port_min = st[0].nat.port_max = 80;
	check_rule(st, 1, NULL, 0, "dnat to [2001:db8::1]-[2001:db8::3]:80");
	st[0].nat.addr = NSH_NAT_ADDR_PREFIX;
	st[0].nat.addr_plen = 124;
	check_rule(st, 1, NULL, 0, "dnat to 2001:db8::1/124:80");

	st[0] = nat(NSH_NAT_SNAT);
	st[0].nat.addr = NSH_NAT_ADDR_RANGE;
	st[0].nat.addr_min = v_ip("198.51.100.1");
	st[0].nat.addr_max = v_ip("198.51.100.5");
	st[0].nat.flags = NF_NAT_RANGE_PROTO_RANDOM | NF_NAT_RANGE_PERSISTENT;
	check_rule(st, 1, NULL, 0, "snat to 198.51.100.1-198.51.100.5 random,persistent");

	st[0] = nat(NSH_NAT_MASQ);
	check_rule(st, 1, NULL, 0, "masquerade");
	st[0].nat.has_port = true;
	st[0].nat.port_min = 1024;
	st[0].nat.port_max = 65535;
	st[0].nat.flags = NF_NAT_RANGE_PROTO_RANDOM_FULLY | NF_NAT_RANGE_PERSISTENT;
	check_rule(st, 1, NULL, 0, "masquerade to :1024-65535 fully-random,persistent");
	st[0] = nat(NSH_NAT_REDIR);
	st[0].nat.has_port = true;
	st[0].nat.port_min = st[0].nat.port_max = 3128;
	check_rule(st, 1, NULL, 0, "redirect to :3128");

	memset(el, 0, sizeof(el));
	el[0].lo = v_port(80);
	el[0].ndata = 2;
	el[0].data[0] = v_ip("192.0.2.1");
	el[0].data[1] = v_port(8080);
	st[0] = nat(NSH_NAT_DNAT);
	st[0].nat.family = NSH_FAM_IP;
	st[0].nat.addr = NSH_NAT_ADDR_MAP;
	st[0].nat.mapkey.kind = NSH_MAPKEY_KEY;
	st[0].nat.mapkey.key = &nsh_keys[NSH_K_TCP_DPORT];
	st[0].nat.map = &map;
	check_rule(st, 1, NULL, 0, "dnat ip to tcp dport map { 80 : 192.0.2.1 . 8080 }");

	map.key_type = NSH_T_INTEGER;
	map.ndata = 1;
	map.nelems = 2;
	el[0].lo = v_u32(0);
	el[0].ndata = 1;
	el[1].lo = v_u32(1);
	el[1].ndata = 1;
	el[1].data[0] = v_ip("192.0.2.2");
	st[0].nat.family = 0;
	st[0].nat.mapkey.kind = NSH_MAPKEY_NUMGEN;
	st[0].nat.mapkey.numgen_type = NFT_NG_RANDOM;
	st[0].nat.mapkey.numgen_mod = 2;
	check_rule(st, 1, NULL, 0,
		   "dnat to numgen random mod 2 map { 0 : 192.0.2.1, 1 : 192.0.2.2 }");
}

static void test_counter_comment_verdict(void **state)
{
	struct nsh_stmt st[3] = {
		{ .kind = NSH_ST_COUNTER, .counter = { 12, 3400 } },
		{ .kind = NSH_ST_VERDICT, .verdict = { NSH_V_JUMP, (char *)"custom" } },
	};

	(void)state;
	check_rule(st, 2, "web", NSH_RF_COUNTERS | NSH_RF_COMMENT,
		   "counter packets 12 bytes 3400 jump custom comment \"web\"");
	check_rule(st, 2, "web", 0, "counter jump custom");
	st[1].verdict.code = NSH_V_ACCEPT;
	st[1].verdict.chain = NULL;
	check_rule(st, 2, NULL, NSH_RF_COMMENT, "counter accept");
	st[0].kind = NSH_ST_OPAQUE;
	st[0].opaque.text = (char *)"meta mark set 0x00000001";
	st[1].verdict.code = NSH_V_RETURN;
	check_rule(st, 2, NULL, 0, "meta mark set 0x00000001 return");
}

static void check_prio(uint32_t hook, int32_t prio, const char *want)
{
	struct nsh_buf b;

	nsh_buf_init(&b);
	nsh_prio_render(NSH_FAM_IP, hook, prio, &b);
	assert_string_equal(b.s, want);
	nsh_buf_free(&b);
}

static void test_prio_hooks(void **state)
{
	(void)state;
	check_prio(NF_INET_PRE_ROUTING, -100, "dstnat");
	check_prio(NF_INET_PRE_ROUTING, -90, "dstnat + 10");
	check_prio(NF_INET_PRE_ROUTING, -110, "dstnat - 10");
	check_prio(NF_INET_PRE_ROUTING, -111, "-111");
	check_prio(NF_INET_PRE_ROUTING, 0, "filter");
	check_prio(NF_INET_PRE_ROUTING, 100, "100");
	check_prio(NF_INET_POST_ROUTING, 100, "srcnat");
	check_prio(NF_INET_POST_ROUTING, 95, "srcnat - 5");
	check_prio(NF_INET_POST_ROUTING, -100, "-100");
	check_prio(NF_INET_LOCAL_OUT, -100, "-100");
	check_prio(NF_INET_LOCAL_IN, 100, "100");
	check_prio(NF_INET_LOCAL_IN, 50, "security");
	check_prio(NF_INET_LOCAL_OUT, -150, "mangle");
	assert_string_equal(nsh_hook_name(NF_INET_PRE_ROUTING), "prerouting");
	assert_string_equal(nsh_hook_name(NF_INET_POST_ROUTING), "postrouting");
	assert_string_equal(nsh_hook_name(NF_INET_LOCAL_OUT), "output");
	assert_string_equal(nsh_hook_name(NF_INET_LOCAL_IN), "input");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_nat),
		cmocka_unit_test(test_counter_comment_verdict),
		cmocka_unit_test(test_prio_hooks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Conntrack without a kernel: ctnetlink messages (built here with libmnl, as
 * the kernel lays them out) -> entries -> text and JSON; filter logic;
 * address parsing; rate computation and ordering of the top scanner.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <endian.h>
#include <netinet/in.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "lib/buf.h"
#include "model/nl/ct.h"
#include "model/nl/top_scan.h"
#include "render/ct.h"
#include "render/out.h"

#define IPS_SEEN_REPLY (1u << 1)
#define IPS_ASSURED_ (1u << 2)
#define IPS_CONFIRMED_ (1u << 3)
#define IPS_SRC_NAT_ (1u << 4)
#define IPS_DST_NAT_ (1u << 5)

static void a4(uint8_t *dst, const char *s)
{
	assert_int_equal(inet_pton(AF_INET, s, dst), 1);
}

static void a6(uint8_t *dst, const char *s)
{
	assert_int_equal(inet_pton(AF_INET6, s, dst), 1);
}

static void put_tuple4(struct nlmsghdr *nlh, uint16_t type, const char *src, const char *dst,
		       uint8_t proto, uint16_t sport, uint16_t dport)
{
	struct nlattr *t = mnl_attr_nest_start(nlh, type), *n;
	uint8_t a[4];

	n = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	a4(a, src);
	mnl_attr_put(nlh, CTA_IP_V4_SRC, 4, a);
	a4(a, dst);
	mnl_attr_put(nlh, CTA_IP_V4_DST, 4, a);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, proto);
	mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(sport));
	mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(dport));
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, t);
}

/* A DNAT'd TCP entry as the kernel sends it, with attributes natsh ignores. */
static struct nlmsghdr *kernel_msg(char *buf, bool counters)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;
	struct nlattr *n, *m;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_INET;
	put_tuple4(nlh, CTA_TUPLE_ORIG, "198.51.100.100", "198.51.100.1", IPPROTO_TCP, 40000, 8080);
	put_tuple4(nlh, CTA_TUPLE_REPLY, "192.0.2.10", "198.51.100.100", IPPROTO_TCP, 80, 40000);
	mnl_attr_put_u32(nlh, CTA_STATUS, htonl(IPS_SEEN_REPLY | IPS_ASSURED_ | IPS_CONFIRMED_ |
						IPS_DST_NAT_));
	mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(431999));
	mnl_attr_put_u32(nlh, CTA_MARK, htonl(0));
	mnl_attr_put_u32(nlh, CTA_USE, htonl(1));	/* ignored */
	mnl_attr_put_u32(nlh, CTA_ID, htonl(0xdeadbeef));
	n = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
	m = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);
	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, 3);	/* ESTABLISHED */
	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, 7);	/* ignored */
	mnl_attr_nest_end(nlh, m);
	mnl_attr_nest_end(nlh, n);
	if (counters) {
		n = mnl_attr_nest_start(nlh, CTA_COUNTERS_ORIG);
		mnl_attr_put_u64(nlh, CTA_COUNTERS_PACKETS, htobe64(7));
		mnl_attr_put_u64(nlh, CTA_COUNTERS_BYTES, htobe64(700));
		mnl_attr_nest_end(nlh, n);
		n = mnl_attr_nest_start(nlh, CTA_COUNTERS_REPLY);
		mnl_attr_put_u64(nlh, CTA_COUNTERS_PACKETS, htobe64(5));
		mnl_attr_put_u64(nlh, CTA_COUNTERS_BYTES, htobe64(529));
		mnl_attr_nest_end(nlh, n);
	}
	return nlh;
}

static void parse_kernel_message(void **state)
{
	char buf[2048];
	struct nsh_ct ct;
	uint8_t a[4];

	assert_int_equal(nsh_ct_parse(kernel_msg(buf, true), &ct), 0);
	assert_int_equal(ct.family, AF_INET);
	assert_int_equal(ct.proto, IPPROTO_TCP);
	assert_true(ct.has_tcp_state);
	assert_int_equal(ct.tcp_state, 3);
	a4(a, "198.51.100.100");
	assert_memory_equal(ct.orig.src, a, 4);
	a4(a, "192.0.2.10");
	assert_memory_equal(ct.reply.src, a, 4);
	assert_int_equal(ct.orig.sport, 40000);
	assert_int_equal(ct.orig.dport, 8080);
	assert_int_equal(ct.reply.sport, 80);
	assert_int_equal(ct.timeout, 431999);
	assert_int_equal(ct.id, 0xdeadbeef);
	assert_true(ct.has_counters);
	assert_int_equal(ct.packets[0] + ct.packets[1], 12);
	assert_int_equal(ct.bytes[0] + ct.bytes[1], 1229);
	assert_true(nsh_ct_is_dnat(&ct));
	assert_false(nsh_ct_is_snat(&ct));
}

static void render_text(void **state)
{
	char buf[2048];
	struct nsh_buf b;
	struct nsh_ct ct;

	nsh_buf_init(&b);
	assert_int_equal(nsh_ct_parse(kernel_msg(buf, true), &ct), 0);
	nsh_ct_render_line(&ct, &b);
	assert_string_equal(b.s, "tcp  ESTABLISHED 198.51.100.100:40000  → 198.51.100.1:8080     "
				 "⇒ 192.0.2.10:80  timeout 431999  12 pkts 1.2K");
	nsh_buf_reset(&b);
	assert_int_equal(nsh_ct_parse(kernel_msg(buf, false), &ct), 0);
	nsh_ct_render_line(&ct, &b);
	assert_string_equal(b.s, "tcp  ESTABLISHED 198.51.100.100:40000  → 198.51.100.1:8080     "
				 "⇒ 192.0.2.10:80  timeout 431999");
	nsh_buf_free(&b);
}

/* SNAT, IPv6 and ICMP through natsh's own builder: build -> parse -> text. */
static void render_kinds(void **state)
{
	static const struct {
		const char *want;
	} want[] = {
		{ "udp  UNREPLIED   192.0.2.12:5000       → 198.51.100.100:53     ⇒ 198.51.100.1:61000 → "
		  "198.51.100.100:53  timeout 30" },
		{ "tcp  SYN_SENT    [2001:db8:ffff::100]:40000 → [2001:db8:ffff::1]:8080 ⇒ "
		  "[2001:db8:1::12]:80  timeout 120  mark 0x0000002a" },
		{ "icmp ASSURED     192.0.2.10            → 198.51.100.100 type 8 id 77  timeout 29" },
	};
	struct nsh_ct in[3], out;
	char buf[2048];
	struct nsh_buf b;
	size_t i, len;

	memset(in, 0, sizeof(in));
	in[0].family = AF_INET;
	in[0].proto = IPPROTO_UDP;
	a4(in[0].orig.src, "192.0.2.12");
	a4(in[0].orig.dst, "198.51.100.100");
	in[0].orig.sport = 5000;
	in[0].orig.dport = 53;
	a4(in[0].reply.src, "198.51.100.100");
	a4(in[0].reply.dst, "198.51.100.1");
	in[0].reply.sport = 53;
	in[0].reply.dport = 61000;
	in[0].status = IPS_SRC_NAT_;
	in[0].timeout = 30;

	in[1].family = AF_INET6;
	in[1].proto = IPPROTO_TCP;
	in[1].has_tcp_state = true;
	in[1].tcp_state = 1;
	a6(in[1].orig.src, "2001:db8:ffff::100");
	a6(in[1].orig.dst, "2001:db8:ffff::1");
	in[1].orig.sport = 40000;
	in[1].orig.dport = 8080;
	a6(in[1].reply.src, "2001:db8:1::12");
	a6(in[1].reply.dst, "2001:db8:ffff::100");
	in[1].reply.sport = 80;
	in[1].reply.dport = 40000;
	in[1].status = IPS_DST_NAT_;
	in[1].timeout = 120;
	in[1].mark = 42;

	in[2].family = AF_INET;
	in[2].proto = IPPROTO_ICMP;
	a4(in[2].orig.src, "192.0.2.10");
	a4(in[2].orig.dst, "198.51.100.100");
	in[2].orig.icmp_type = 8;
	in[2].orig.icmp_id = 77;
	a4(in[2].reply.src, "198.51.100.100");
	a4(in[2].reply.dst, "192.0.2.10");
	in[2].reply.icmp_id = 77;
	in[2].status = IPS_ASSURED_ | IPS_SEEN_REPLY;
	in[2].timeout = 29;

	nsh_buf_init(&b);
	for (i = 0; i < 3; i++) {
		len = nsh_ct_build(buf, sizeof(buf), IPCTNL_MSG_CT_NEW, 0, &in[i]);
		assert_true(len > 0);
		assert_int_equal(nsh_ct_parse((struct nlmsghdr *)buf, &out), 0);
		assert_memory_equal(&out.orig, &in[i].orig, sizeof(out.orig));
		assert_memory_equal(&out.reply, &in[i].reply, sizeof(out.reply));
		nsh_buf_reset(&b);
		nsh_ct_render_line(&out, &b);
		assert_string_equal(b.s, want[i].want);
	}
	nsh_buf_free(&b);
}

static void parse_malformed(void **state)
{
	char buf[2048];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;
	struct nlattr *t, *n;
	struct nsh_ct ct;

	/* no original tuple */
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_INET;
	mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(5));
	assert_int_equal(nsh_ct_parse(nlh, &ct), -1);

	/* an IPv4 address attribute two bytes short */
	t = mnl_attr_nest_start(nlh, CTA_TUPLE_ORIG);
	n = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	mnl_attr_put_u16(nlh, CTA_IP_V4_SRC, 1);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, t);
	assert_int_equal(nsh_ct_parse(nlh, &ct), -1);

	/* a header shorter than nfgenmsg */
	nlh = mnl_nlmsg_put_header(buf);
	assert_int_equal(nsh_ct_parse(nlh, &ct), -1);
}

static void render_json(void **state)
{
	char buf[2048];
	struct nsh_out *o = nsh_out_mem(true);
	struct nsh_buf b;
	struct nsh_ct ct;

	nsh_buf_init(&b);
	assert_int_equal(nsh_ct_parse(kernel_msg(buf, true), &ct), 0);
	nsh_out_arr_open(o, NULL);
	nsh_ct_render(o, &ct, &b);
	nsh_out_arr_close(o);
	assert_string_equal(nsh_out_str(o),
		"[{\"family\":\"ip\",\"protocol\":\"tcp\",\"state\":\"ESTABLISHED\","
		"\"original\":{\"src\":\"198.51.100.100\",\"dst\":\"198.51.100.1\",\"sport\":40000,\"dport\":8080},"
		"\"reply\":{\"src\":\"192.0.2.10\",\"dst\":\"198.51.100.100\",\"sport\":80,\"dport\":40000},"
		"\"nat\":\"dnat\","
		"\"translated\":{\"src\":\"198.51.100.100\",\"dst\":\"192.0.2.10\",\"sport\":40000,\"dport\":80},"
		"\"timeout\":431999,\"mark\":0,\"zone\":0,\"id\":3735928559,"
		"\"status\":[\"SEEN_REPLY\",\"ASSURED\",\"CONFIRMED\",\"DST_NAT\"],"
		"\"packets\":12,\"bytes\":1229,"
		"\"counters\":{\"original\":{\"packets\":7,\"bytes\":700},\"reply\":{\"packets\":5,\"bytes\":529}}}]\n");
	nsh_out_free(o);
	nsh_buf_free(&b);
}

static void filter_logic(void **state)
{
	char buf[2048];
	struct nsh_ct ct;
	struct nsh_ct_filter f;
	static const struct {
		const char *what;
		int nat, proto, port, family;
		const char *src, *dst;
		bool want;
	} cases[] = {
		{ "empty", 0, -1, -1, 0, NULL, NULL, true },
		{ "dnat", NSH_CT_NAT_DNAT, -1, -1, 0, NULL, NULL, true },
		{ "snat", NSH_CT_NAT_SNAT, -1, -1, 0, NULL, NULL, false },
		{ "nat", NSH_CT_NAT_NAT, -1, -1, 0, NULL, NULL, true },
		{ "tcp", 0, IPPROTO_TCP, -1, 0, NULL, NULL, true },
		{ "udp", 0, IPPROTO_UDP, -1, 0, NULL, NULL, false },
		{ "original port", 0, -1, 8080, 0, NULL, NULL, true },
		{ "translated port", 0, -1, 80, 0, NULL, NULL, true },
		{ "other port", 0, -1, 443, 0, NULL, NULL, false },
		{ "src", 0, -1, -1, 0, "198.51.100.100", NULL, true },
		{ "src prefix", 0, -1, -1, 0, "198.51.100.0/24", NULL, true },
		{ "src other", 0, -1, -1, 0, "203.0.113.1", NULL, false },
		{ "dst original", 0, -1, -1, 0, NULL, "198.51.100.1", true },
		{ "dst translated", 0, -1, -1, 0, NULL, "192.0.2.10", true },
		{ "dst /25 miss", 0, -1, -1, 0, NULL, "192.0.2.128/25", false },
		{ "dst v6", 0, -1, -1, 0, NULL, "2001:db8::1", false },
		{ "ip6 only", 0, -1, -1, AF_INET6, NULL, NULL, false },
		{ "all together", NSH_CT_NAT_DNAT, IPPROTO_TCP, 80, AF_INET, "198.51.100.100",
		  "192.0.2.0/24", true },
	};
	size_t i;

	assert_int_equal(nsh_ct_parse(kernel_msg(buf, false), &ct), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		nsh_ct_filter_init(&f);
		f.nat = cases[i].nat;
		f.proto = cases[i].proto;
		f.port = cases[i].port;
		f.family = (uint8_t)cases[i].family;
		if (cases[i].src)
			assert_int_equal(nsh_ct_addr_parse(cases[i].src, &f.src), 0);
		if (cases[i].dst)
			assert_int_equal(nsh_ct_addr_parse(cases[i].dst, &f.dst), 0);
		if (nsh_ct_filter_match(&f, &ct) != cases[i].want)
			fail_msg("filter case \"%s\": want %d", cases[i].what, cases[i].want);
	}
	nsh_ct_filter_init(&f);
	assert_true(nsh_ct_filter_is_empty(&f));
	f.port = 1;
	assert_false(nsh_ct_filter_is_empty(&f));
}

static void addr_parse(void **state)
{
	struct nsh_ct_addr a;

	assert_int_equal(nsh_ct_addr_parse("192.0.2.1", &a), 0);
	assert_int_equal(a.plen, 32);
	assert_int_equal(nsh_ct_addr_parse("2001:db8::/32", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.plen, 32);
	assert_int_equal(nsh_ct_addr_parse("[2001:db8::1]", &a), 0);
	assert_int_equal(a.plen, 128);
	assert_int_equal(nsh_ct_addr_parse("300.1.1.1", &a), -1);
	assert_int_equal(nsh_ct_addr_parse("192.0.2.0/33", &a), -1);
	assert_int_equal(nsh_ct_addr_parse("192.0.2.0/", &a), -1);
	assert_int_equal(nsh_ct_addr_parse("192.0.2.0/2x", &a), -1);
	assert_int_equal(nsh_ct_addr_parse("", &a), -1);
	assert_int_equal(nsh_ct_addr_parse("eth0", &a), -1);
}

static void rates(void **state)
{
	struct nsh_top_row r = { .has_counter = true };
	unsigned i;

	nsh_top_row_update(&r, 100, 10000, 0);	/* first read: no rate yet */
	assert_int_equal(r.nhist, 0);
	assert_true(r.pps == 0);
	nsh_top_row_update(&r, 300, 30000, 2);
	assert_true(r.pps == 100);
	assert_true(r.bps == 10000);
	assert_int_equal(r.nhist, 1);
	nsh_top_row_update(&r, 50, 5000, 1);	/* counter reset: counts from zero */
	assert_true(r.pps == 50);
	for (i = 0; i < NSH_TOP_HIST + 5; i++)
		nsh_top_row_update(&r, 50 + (i + 1) * 10, 5000, 1);
	assert_int_equal(r.nhist, NSH_TOP_HIST);
	assert_true(r.hist[NSH_TOP_HIST - 1] == 10);
}

static void order_carry_hottest(void **state)
{
	struct nsh_table t1 = { .name = (char *)"nat" }, t2 = { .name = (char *)"other" };
	struct nsh_top_row old[3] = {
		{ .family = 2, .t = &t1, .handle = 4, .pps = 5, .packets = 10, .nhist = 1 },
		{ .family = 2, .t = &t1, .handle = 5, .pps = 50, .packets = 20, .nhist = 1 },
		{ .family = 2, .t = &t2, .handle = 4, .pps = 1, .packets = 30, .nhist = 1 },
	};
	/* the new read: rule 5 was deleted, a rule 9 added, order changed */
	struct nsh_top_row rows[3] = {
		{ .family = 2, .t = &t2, .handle = 4 },
		{ .family = 2, .t = &t1, .handle = 9 },
		{ .family = 2, .t = &t1, .handle = 4 },
	};
	size_t idx[3];

	nsh_top_rows_carry(rows, 3, old, 3);
	assert_true(rows[0].carried && rows[0].packets == 30 && rows[0].pps == 1);
	assert_false(rows[1].carried);
	assert_true(rows[2].carried && rows[2].packets == 10 && rows[2].pps == 5);
	nsh_top_rows_order(rows, 3, NSH_TOP_SORT_PPS, idx);
	assert_int_equal(idx[0], 2);
	assert_int_equal(idx[1], 0);
	assert_int_equal(idx[2], 1);
	nsh_top_rows_order(rows, 3, NSH_TOP_SORT_ORDER, idx);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[2], 2);
	assert_ptr_equal(nsh_top_hottest(rows, 3), &rows[2]);
	rows[0].pps = rows[2].pps = 0;
	assert_null(nsh_top_hottest(rows, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_kernel_message),
		cmocka_unit_test(render_text),
		cmocka_unit_test(render_kinds),
		cmocka_unit_test(parse_malformed),
		cmocka_unit_test(render_json),
		cmocka_unit_test(filter_logic),
		cmocka_unit_test(addr_parse),
		cmocka_unit_test(rates),
		cmocka_unit_test(order_carry_hottest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

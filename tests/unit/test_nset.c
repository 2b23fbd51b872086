/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Named set and map blocks without a kernel: the text nft 1.0.6 lists
 * (natsh save writes it) -> load's parser -> the renderer gives the same
 * text back; bad lines fail at their line and column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/syntax/load.h"
#include "model/syntax/nset_parse.h"
#include "render/nset.h"
#include "model/syntax/rule_text_stmt.h"

/* Blocks exactly as nft lists them (the oracle's text, expires left out). */
static const char *const blocks[] = {
	"\tset nets4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
	"\t\telements = { 10.0.0.0/8, 192.0.2.0/24,\n\t\t\t     198.51.100.1-198.51.100.9, 203.0.113.5 }\n\t}\n",
	"\tset svc {\n\t\ttype ipv4_addr . inet_service\n"
	"\t\telements = { 192.0.2.3 . 22,\n\t\t\t     192.0.2.1 . 80 }\n\t}\n",
	"\tset ports {\n\t\ttype inet_service\n\t\tcomment \"some ports\"\n"
	"\t\telements = { 22, 80, 443, 8080, 8443,\n\t\t\t     9000, 9001 }\n\t}\n",
	"\tmap portfwd {\n\t\ttype inet_service : ipv4_addr\n"
	"\t\telements = { 80 : 192.0.2.10, 443 : 192.0.2.11 }\n\t}\n",
	"\tmap svcs {\n\t\ttype ipv4_addr . inet_proto . inet_service : verdict\n"
	"\t\telements = { 192.0.2.3 . tcp . 22 : drop,\n\t\t\t     192.0.2.1 . tcp . 80 : jump web }\n\t}\n",
	"\tmap n {\n\t\ttype ipv4_addr : ipv4_addr . inet_service\n"
	"\t\telements = { 192.0.2.1 : 198.51.100.1 . 80 }\n\t}\n",
	"\tset m {\n\t\ttype ipv4_addr\n\t\tpolicy memory\n\t\tsize 100\n\t\tflags interval,timeout\n"
	"\t\tcounter\n\t\tauto-merge\n\t\ttimeout 2h\n\t\tgc-interval 30s\n\t\tcomment \"max\"\n"
	"\t\telements = { 192.0.2.1 timeout 1d comment \"x\" }\n\t}\n",
	"\tset seen {\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 1h\n"
	"\t\tgc-interval 1m\n\t\telements = { 192.0.2.7 timeout 5m comment \"seven\", 192.0.2.8 }\n\t}\n",
	"\tset cst {\n\t\ttype mark\n\t\tflags constant\n\t\telements = { 0x00000001, 0x00000002 }\n\t}\n",
	"\tset cc {\n\t\ttype ipv4_addr . inet_service\n\t\tflags interval\n"
	"\t\telements = { 192.0.2.0/24 . 80-90,\n\t\t\t     192.0.2.5 . 22 }\n\t}\n",
	"\tset ifs {\n\t\ttype ifname\n\t\tflags interval\n\t\telements = { \"eth*\",\n\t\t\t     \"lo\" }\n\t}\n",
	"\tset six {\n\t\ttype ipv6_addr\n\t\tflags interval\n"
	"\t\telements = { 2001:db8::/32,\n\t\t\t     2001:db9::1 }\n\t}\n",
	"\tset pr {\n\t\ttype inet_proto\n\t\telements = { icmp, tcp, udp, gre, 255 }\n\t}\n",
	"\tset d {\n\t\ttype ipv4_addr\n\t\tflags dynamic\n\t}\n",
};

static void test_blocks_roundtrip(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		struct nsh_load l;
		struct nsh_err err = { 0 };
		struct nsh_buf b, text;
		unsigned lineno = 0;
		size_t line_off = 0;

		nsh_buf_init(&text);
		nsh_buf_printf(&text, "table inet natsh {\n%s}\n", blocks[i]);
		if (nsh_load_parse(text.s, &l, &lineno, &line_off, &err) < 0)
			fail_msg("block %zu: line %u col %zu: %s", i, lineno, err.off, err.msg);
		assert_int_equal(l.nsets, 1);
		nsh_buf_init(&b);
		nsh_nset_render(&l.sets[0].set, &b);
		assert_string_equal(b.s, blocks[i]);
		nsh_buf_free(&b);
		nsh_buf_free(&text);
		nsh_load_clear(&l);
	}
}

static const struct {
	const char *text;
	unsigned lineno;
	size_t col;
	const char *msg;
} bad[] = {
	{ "table inet natsh {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 192.0.2.1,\n"
	  "\t\t\t     192.0.2.300 }\n\t}\n}\n", 5, 8, "not a ipv4_addr" },
	{ "table inet natsh {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 192.0.2.0/24 }\n\t}\n}\n",
	  4, 15, "not a ipv4_addr" },
	{ "table inet natsh {\n\tset s {\n\t\ttype ether_addr\n\t}\n}\n", 3, 7, "not know" },
	{ "table inet natsh {\n\tmap s {\n\t\ttype ipv4_addr\n\t}\n}\n", 3, 2, "KEY : DATA" },
	{ "table inet natsh {\n\tset s {\n\t\telements = { 1 }\n\t}\n}\n", 3, 10,
	  "must come before" },
	{ "table inet natsh {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 192.0.2.1 timeout 1h }\n"
	  "\t}\n}\n", 4, 14, "flags timeout" },
	{ "table inet natsh {\n\tset s {\n\t\ttype ipv4_addr\n\t\tsize lots\n\t}\n}\n", 4, 2,
	  "not a set declaration" },
	{ "table inet natsh {\n\tset s {\n\t\ttype ipv4_addr\n}\n", 0, 0, "inside a table" },
};

static void test_bad_lines(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nsh_load l;
		struct nsh_err err = { 0 };
		unsigned lineno = 0;
		size_t line_off = 0;

		assert_int_equal(nsh_load_parse(bad[i].text, &l, &lineno, &line_off, &err), -1);
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.msg, bad[i].msg);
		if (bad[i].lineno && (lineno != bad[i].lineno || err.off != bad[i].col))
			fail_msg("case %zu: at %u:%zu, want %u:%zu (%s)", i, lineno, err.off,
				 bad[i].lineno, bad[i].col, err.msg);
		nsh_load_clear(&l);
	}
}

static void test_times(void **state)
{
	static const struct {
		const char *s;
		uint64_t ms;
	} t[] = { { "1d", 86400000 }, { "2h", 7200000 }, { "1m", 60000 }, { "30s", 30000 },
		  { "500ms", 500 }, { "1d2h3m4s5ms", 93784005 } };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct nsh_buf b;
		uint64_t ms = 0;

		assert_int_equal(nsh_time_parse(t[i].s, &ms), 0);
		assert_int_equal(ms, t[i].ms);
		nsh_buf_init(&b);
		nsh_time_render(ms, &b);
		assert_string_equal(b.s, t[i].s);
		nsh_buf_free(&b);
	}
	assert_int_equal(nsh_time_parse("1x", &(uint64_t){ 0 }), -1);
	assert_int_equal(nsh_time_parse("", &(uint64_t){ 0 }), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_roundtrip),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

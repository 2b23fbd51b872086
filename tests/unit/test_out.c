/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The output object into memory: text columns, JSON validity and escaping, human units. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "render/out.h"

static void test_text_values(void **state)
{
	struct nsh_out *o = nsh_out_mem(false);

	nsh_out_obj_open(o, NULL);
	nsh_out_string(o, NSH_C_CHAIN, "chain", "chain %s", "prerouting");
	nsh_out_uint(o, NSH_C_COUNT, "packets", " %llu", 42);
	nsh_out_int(o, NSH_C_NONE, "prio", " %lld", -100);
	nsh_out_double(o, NSH_C_NONE, "rate", " %.1f/s", 2.25);
	nsh_out_bool(o, "on", " on=%s", true);
	nsh_out_string(o, NSH_C_NONE, "json_only", NULL, "hidden");
	nsh_out_null(o, "nothing", " -");
	nsh_out_text(o, "\n");
	nsh_out_obj_close(o);
	assert_string_equal(nsh_out_str(o), "chain prerouting 42 -100 2.2/s on=yes -\n");
	assert_false(nsh_out_json(o));
	assert_false(nsh_out_color(o));
	nsh_out_free(o);
}

static void test_json_document(void **state)
{
	struct nsh_out *o = nsh_out_mem(true);
	json_error_t jerr;
	json_t *doc, *rules;

	nsh_out_obj_open(o, NULL);
	nsh_out_text(o, "text is ignored in JSON\n");
	nsh_out_string(o, NSH_C_NONE, "table", "%s", "natsh");
	nsh_out_arr_open(o, "rules");
	nsh_out_obj_open(o, NULL);
	nsh_out_uint(o, NSH_C_NONE, "handle", "%llu", 4);
	nsh_out_uint(o, NSH_C_NONE, "bytes", "%llu", UINT64_C(9007199254740993));
	nsh_out_int(o, NSH_C_NONE, "prio", "%lld", -100);
	nsh_out_string(o, NSH_C_NONE, "comment", "%s", NULL);
	nsh_out_obj_close(o);
	nsh_out_obj_open(o, NULL);
	nsh_out_double(o, NSH_C_NONE, "rate", "%f", 0.1);
	nsh_out_double(o, NSH_C_NONE, "inf", "%f", 1.0 / 0.0);
	nsh_out_bool(o, "counter", NULL, false);
	nsh_out_obj_close(o);
	nsh_out_arr_close(o);
	nsh_out_arr_open(o, "empty");
	nsh_out_arr_close(o);
	nsh_out_obj_close(o);

	doc = json_loads(nsh_out_str(o), 0, &jerr);
	if (!doc)
		fail_msg("invalid JSON (%s): %s", jerr.text, nsh_out_str(o));
	assert_string_equal(json_string_value(json_object_get(doc, "table")), "natsh");
	rules = json_object_get(doc, "rules");
	assert_int_equal(json_array_size(rules), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rules, 0), "handle")), 4);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rules, 0), "prio")), -100);
	assert_true(json_integer_value(json_object_get(json_array_get(rules, 0), "bytes")) ==
		    9007199254740993LL);
	assert_true(json_is_null(json_object_get(json_array_get(rules, 0), "comment")));
	assert_true(json_real_value(json_object_get(json_array_get(rules, 1), "rate")) == 0.1);
	assert_true(json_is_null(json_object_get(json_array_get(rules, 1), "inf")));
	assert_true(json_is_false(json_object_get(json_array_get(rules, 1), "counter")));
	assert_int_equal(json_array_size(json_object_get(doc, "empty")), 0);
	/* one document, ended by a newline */
	assert_int_equal(nsh_out_str(o)[strlen(nsh_out_str(o)) - 1], '\n');
	assert_null(strchr(nsh_out_str(o), '\n') + 1 == nsh_out_str(o) + strlen(nsh_out_str(o)) ?
		    NULL : "more than one line");
	json_decref(doc);
	nsh_out_free(o);
}

/* Every awkward string survives a JSON round trip (jansson parses it back). */
static void test_json_escaping(void **state)
{
	static const char *const s[] = {
		"plain", "quote \" and backslash \\", "new\nline\ttab\rcr", "\x01\x1f\x7f",
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "", "/slash", "{\"k\": [1]}",
	};
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		struct nsh_out *o = nsh_out_mem(true);
		json_error_t jerr;
		json_t *doc;

		nsh_out_obj_open(o, NULL);
		nsh_out_string(o, NSH_C_NONE, s[i], "%s", s[i]);
		nsh_out_obj_close(o);
		doc = json_loads(nsh_out_str(o), 0, &jerr);
		if (!doc)
			fail_msg("invalid JSON for case %zu (%s): %s", i, jerr.text, nsh_out_str(o));
		assert_string_equal(json_string_value(json_object_get(doc, s[i])), s[i]);
		json_decref(doc);
		nsh_out_free(o);
	}
}

/* Invalid UTF-8 must still give valid JSON (U+FFFD in its place). */
static void test_json_bad_utf8(void **state)
{
	struct nsh_out *o = nsh_out_mem(true);
	json_error_t jerr;
	json_t *doc;

	nsh_out_arr_open(o, NULL);
	nsh_out_string(o, NSH_C_NONE, NULL, "%s", "bad \xff\xfe end \xc3");
	nsh_out_string(o, NSH_C_NONE, NULL, "%s", "overlong \xc0\xaf");
	nsh_out_arr_close(o);
	doc = json_loads(nsh_out_str(o), 0, &jerr);
	if (!doc)
		fail_msg("invalid JSON (%s): %s", jerr.text, nsh_out_str(o));
	assert_string_equal(json_string_value(json_array_get(doc, 0)),
			    "bad \xef\xbf\xbd\xef\xbf\xbd end \xef\xbf\xbd");
	json_decref(doc);
	nsh_out_free(o);
}

static void test_columns(void **state)
{
	static const char *const hdr[] = { "pos", "handle", "packets", "rule" };
	static const bool right[] = { true, true, true, false };
	struct nsh_out *o = nsh_out_mem(false);
	struct nsh_cols *t = nsh_cols_new(4, hdr, right);
	const char *r1[] = { "1", "4", "0", "tcp dport 80 dnat to 192.0.2.10" };
	const char *r2[] = { "12", "1234", "1.2M", "masquerade" };
	const char *r3[] = { "3", "7", "-", "" };

	nsh_cols_add(t, r1, NULL);
	nsh_cols_add(t, r2, NULL);
	nsh_cols_add(t, r3, NULL);
	nsh_cols_print(t, o);
	assert_string_equal(nsh_out_str(o),
		"pos  handle  packets  rule\n"
		"  1       4        0  tcp dport 80 dnat to 192.0.2.10\n"
		" 12    1234     1.2M  masquerade\n"
		"  3       7        -\n");
	nsh_cols_free(t);
	nsh_out_free(o);
}

static void test_columns_left_utf8(void **state)
{
	struct nsh_out *o = nsh_out_mem(false);
	struct nsh_cols *t = nsh_cols_new(3, NULL, NULL);
	const char *r1[] = { "caf\xc3\xa9", "x", "last" };
	const char *r2[] = { "ab", "longer", "l" };

	nsh_cols_add(t, r1, NULL);
	nsh_cols_add(t, r2, NULL);
	nsh_cols_print(t, o);
	/* "café" is 4 columns wide although 5 bytes; the last column is never padded */
	assert_string_equal(nsh_out_str(o),
		"caf\xc3\xa9  x       last\n"
		"ab    longer  l\n");
	nsh_cols_free(t);
	nsh_out_free(o);
	nsh_cols_free(NULL);
	nsh_out_free(NULL);
}

static void test_columns_json_silent(void **state)
{
	struct nsh_out *o = nsh_out_mem(true);
	struct nsh_cols *t = nsh_cols_new(1, NULL, NULL);
	const char *r[] = { "x" };

	nsh_cols_add(t, r, NULL);
	nsh_cols_print(t, o);
	assert_string_equal(nsh_out_str(o), "");
	nsh_cols_free(t);
	nsh_out_free(o);
}

static void test_color(void **state)
{
	FILE *f = tmpfile();
	struct nsh_out *o = nsh_out_file(f, false, true);
	char buf[128] = "";

	assert_true(nsh_out_color(o));
	nsh_out_ctext(o, NSH_C_ERR, "bad");
	nsh_out_string(o, NSH_C_NONE, NULL, " %s", "plain");
	nsh_out_free(o);
	rewind(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	assert_string_equal(buf, "\033[1;31mbad\033[0m plain");
	fclose(f);

	/* JSON never carries colour */
	o = nsh_out_file(stdout, true, true);
	assert_false(nsh_out_color(o));
	nsh_out_free(o);
}

static void test_human(void **state)
{
	static const struct { uint64_t n; const char *s; } cases[] = {
		{ 0, "0" }, { 999, "999" }, { 1000, "1.0K" }, { 1234, "1.2K" },
		{ 12345, "12.3K" }, { 99949, "99.9K" }, { 99950, "100K" }, { 123456, "123K" },
		{ 999499, "999K" }, { 999950, "1.0M" }, { 3400000, "3.4M" },
		{ 5600000000ULL, "5.6G" }, { 1000000000000ULL, "1.0T" },
		{ UINT64_C(18446744073709551615), "18.4E" },
	};
	char buf[16];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = nsh_human(cases[i].n, buf);

		if (strcmp(got, cases[i].s))
			fail_msg("nsh_human(%llu) = %s, want %s",
				 (unsigned long long)cases[i].n, got, cases[i].s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_values),
		cmocka_unit_test(test_json_document),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_bad_utf8),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_columns_left_utf8),
		cmocka_unit_test(test_columns_json_silent),
		cmocka_unit_test(test_color),
		cmocka_unit_test(test_human),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

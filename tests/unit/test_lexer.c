/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lexer: words, quotes, escapes, byte offsets, and its errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "shell/shell.h"

struct lex_case {
	const char *in;
	/* expected: words joined by '|', and "off:len" of each joined by ' ' */
	const char *words;
	const char *spans;
};

static const struct lex_case ok_cases[] = {
	{ "", "", "" },
	{ "   \t ", "", "" },
	{ "show", "show", "0:4" },
	{ "  show  tables ", "show|tables", "2:4 8:6" },
	{ "add pre tcp dport 80", "add|pre|tcp|dport|80", "0:3 4:3 8:3 12:5 18:2" },
	{ "comment \"two words\"", "comment|two words", "0:7 8:11" },
	{ "comment 'it''s'", "comment|its", "0:7 8:7" },
	{ "a\"b c\"d", "ab cd", "0:7" },
	{ "say \"q\\\"uote\"", "say|q\"uote", "0:3 4:9" },
	{ "say \"a\\\\b\"", "say|a\\b", "0:3 4:6" },
	{ "say \"tab\\there\"", "say|tab\there", "0:3 4:11" },
	{ "say 'no\\escape'", "say|no\\escape", "0:3 4:11" },
	{ "back\\ slash", "back slash", "0:11" },
	{ "x \"\"", "x|", "0:1 2:2" },
	{ "{ 80, 443 }", "{|80,|443|}", "0:1 2:3 6:3 10:1" },
	{ "dnat to 192.0.2.1:8080", "dnat|to|192.0.2.1:8080", "0:4 5:2 8:14" },
	{ "caf\xc3\xa9 x", "caf\xc3\xa9|x", "0:5 6:1" },
};

static void check_case(const struct lex_case *c)
{
	struct nsh_toks t;
	struct nsh_err err = { 0 };
	char words[512] = "", spans[512] = "", one[32];
	size_t i;

	assert_int_equal(nsh_lex(c->in, false, &t, &err), 0);
	for (i = 0; i < t.n; i++) {
		if (i) {
			strcat(words, "|");
			strcat(spans, " ");
		}
		strcat(words, t.v[i].s);
		snprintf(one, sizeof(one), "%zu:%zu", t.v[i].off, t.v[i].len);
		strcat(spans, one);
	}
	if (strcmp(words, c->words) || strcmp(spans, c->spans))
		fail_msg("lex \"%s\": got [%s] {%s}, want [%s] {%s}", c->in, words, spans,
			 c->words, c->spans);
	nsh_toks_free(&t);
}

static void test_ok(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++)
		check_case(&ok_cases[i]);
}

static void test_quoted_flag(void **state)
{
	struct nsh_toks t;
	struct nsh_err err = { 0 };

	assert_int_equal(nsh_lex("a \"b\" c'd'", false, &t, &err), 0);
	assert_int_equal(t.n, 3);
	assert_false(t.v[0].quoted);
	assert_true(t.v[1].quoted);
	assert_true(t.v[2].quoted);
	nsh_toks_free(&t);
}

struct err_case {
	const char *in;
	size_t off, len;
	const char *msg;
};

static const struct err_case err_cases[] = {
	{ "comment \"open", 8, 5, "unterminated double quote" },
	{ "x 'open and more", 2, 14, "unterminated single quote" },
	{ "ends with\\", 9, 1, "backslash at end of line" },
	{ "a \"b\\\"", 2, 4, "unterminated double quote" },
};

static void test_errors(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		const struct err_case *c = &err_cases[i];
		struct nsh_toks t;
		struct nsh_err err = { 0 };

		assert_int_equal(nsh_lex(c->in, false, &t, &err), -1);
		assert_true(err.set);
		assert_string_equal(err.msg, c->msg);
		assert_int_equal(err.off, c->off);
		assert_int_equal(err.len, c->len);
		nsh_toks_free(&t);
	}
}

static void test_partial(void **state)
{
	struct nsh_toks t;
	struct nsh_err err = { 0 };

	assert_int_equal(nsh_lex("add pre comment \"hel", true, &t, &err), 0);
	assert_int_equal(t.n, 4);
	assert_int_equal(t.open_quote, '"');
	assert_string_equal(t.v[3].s, "hel");
	assert_false(t.trailing_space);
	nsh_toks_free(&t);

	assert_int_equal(nsh_lex("show ", true, &t, &err), 0);
	assert_int_equal(t.n, 1);
	assert_true(t.trailing_space);
	nsh_toks_free(&t);

	assert_int_equal(nsh_lex("show", true, &t, &err), 0);
	assert_false(t.trailing_space);
	nsh_toks_free(&t);
	assert_false(err.set);
}

static void test_quote_roundtrip(void **state)
{
	static const char *const words[] = {
		"plain", "two words", "", "q\"uote", "back\\slash", "semi;colon", "#hash",
		"it's", "tab\there", "new\nline",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		char *q = nsh_quote(words[i]);
		struct nsh_toks t;
		struct nsh_err err = { 0 };

		assert_int_equal(nsh_lex(q, false, &t, &err), 0);
		assert_int_equal(t.n, 1);
		assert_string_equal(t.v[0].s, words[i]);
		nsh_toks_free(&t);
		free(q);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_quoted_flag),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_quote_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

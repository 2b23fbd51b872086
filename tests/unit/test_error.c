/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Error reports: SOURCE:LINE:COL, the line, a caret under the place (tabs, UTF-8). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "shell/shell.h"

static char got[2048];

/* What the error functions wrote, after running fn on a fresh context. */
static void capture(struct nsh_ctx *ctx)
{
	size_t n;

	rewind(ctx->errf);
	n = fread(got, 1, sizeof(got) - 1, ctx->errf);
	got[n] = '\0';
	fclose(ctx->errf);
	ctx->errf = NULL;
}

static void ctx_src(struct nsh_ctx *ctx, const char *name, unsigned lineno, const char *line,
		    size_t base)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->errf = tmpfile();
	ctx->src.name = name;
	ctx->src.lineno = lineno;
	ctx->src.line = line;
	ctx->src.base = base;
}

static void test_file_caret(void **state)
{
	struct nsh_ctx ctx;
	struct nsh_tok t = { .s = "80a", .off = 25, .len = 3 };

	ctx_src(&ctx, "rules.nat", 3, "add prerouting tcp dport 80a dnat to 192.0.2.10", 0);
	nsh_error_at(&ctx, &t, "invalid port \"%s\"", t.s);
	capture(&ctx);
	assert_string_equal(got,
		"natsh: rules.nat:3:26: error: invalid port \"80a\"\n"
		"  add prerouting tcp dport 80a dnat to 192.0.2.10\n"
		"                           ^~~\n");
	assert_int_equal(ctx.nerrors, 1);
}

/* A command after ';': offsets are relative to it, the report to the whole line. */
static void test_base_offset(void **state)
{
	struct nsh_ctx ctx;

	ctx_src(&ctx, "-c", 1, "show; bogus x", 6);
	nsh_error_span(&ctx, 0, 5, "unknown command \"bogus\"");
	capture(&ctx);
	assert_string_equal(got,
		"natsh: -c:1:7: error: unknown command \"bogus\"\n"
		"  show; bogus x\n"
		"        ^~~~~\n");
}

static void test_tab_and_utf8(void **state)
{
	struct nsh_ctx ctx;

	/* "\tcomment \"café\" x": the x is byte 17, character 16 */
	ctx_src(&ctx, "f", 2, "\tcomment \"caf\xc3\xa9\" x\n", 0);
	nsh_error_span(&ctx, 17, 1, "unexpected \"x\"");
	capture(&ctx);
	assert_string_equal(got,
		"natsh: f:2:17: error: unexpected \"x\"\n"
		"  \tcomment \"caf\xc3\xa9\" x\n"
		"  \t               ^\n");
}

static void test_end_of_line(void **state)
{
	struct nsh_ctx ctx;

	ctx_src(&ctx, "<stdin>", 9, "add", 0);
	nsh_error_span(&ctx, 4, 0, "expected CHAIN, got end of line");
	capture(&ctx);
	assert_string_equal(got,
		"natsh: <stdin>:9:4: error: expected CHAIN, got end of line\n"
		"  add\n"
		"     ^\n");
}

static void test_interactive(void **state)
{
	struct nsh_ctx ctx;

	ctx_src(&ctx, NULL, 0, "shwo tables", 0);
	nsh_error_span(&ctx, 0, 4, "unknown command \"shwo\"");
	capture(&ctx);
	assert_string_equal(got,
		"natsh: error: unknown command \"shwo\"\n"
		"  shwo tables\n"
		"  ^~~~\n");
}

static void test_no_place(void **state)
{
	struct nsh_ctx ctx;

	ctx_src(&ctx, "rules.nat", 4, "show", 0);
	nsh_error(&ctx, "permission denied: managing NAT needs CAP_NET_ADMIN (run as root)");
	capture(&ctx);
	assert_string_equal(got,
		"natsh: permission denied: managing NAT needs CAP_NET_ADMIN (run as root)\n");

	ctx_src(&ctx, "rules.nat", 4, "flush pre", 0);
	nsh_error_at(&ctx, NULL, "the kernel refused");
	capture(&ctx);
	assert_string_equal(got, "natsh: rules.nat:4: error: the kernel refused\n  flush pre\n");

	ctx_src(&ctx, NULL, 0, NULL, 0);
	nsh_warn(&ctx, "ip_forward is off");
	capture(&ctx);
	assert_string_equal(got, "natsh: warning: ip_forward is off\n");
	assert_int_equal(ctx.nerrors, 0);
}

static void test_quiet(void **state)
{
	struct nsh_ctx ctx;

	ctx_src(&ctx, "x", 1, "y", 0);
	ctx.quiet = true;
	nsh_error(&ctx, "hidden");
	nsh_error_span(&ctx, 0, 1, "hidden");
	capture(&ctx);
	assert_string_equal(got, "");
	assert_int_equal(ctx.nerrors, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_caret),
		cmocka_unit_test(test_base_offset),
		cmocka_unit_test(test_tab_and_utf8),
		cmocka_unit_test(test_end_of_line),
		cmocka_unit_test(test_interactive),
		cmocka_unit_test(test_no_place),
		cmocka_unit_test(test_quiet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

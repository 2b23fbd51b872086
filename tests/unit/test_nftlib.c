/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * nft's text of rules natsh does not understand: the listing parser
 * (model/nl/nftlib.c, strict: a doubtful listing is not used at all) and
 * the forms show prints of it (model/syntax/rule_nft.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/buf.h"
#include "model/nl/nftlib.h"
#include "model/syntax/rule_text.h"

/* What nft 1.0.6 prints for `nft -a list table inet t` (sets, two chains). */
static const char listing[] =
	"table inet t { # handle 1\n"
	"\tset s4 { # handle 5\n"
	"\t\ttype ipv4_addr\n"
	"\t\telements = { 192.0.2.1, 192.0.2.2 }\n"
	"\t}\n"
	"\n"
	"\tmap m1 { # handle 6\n"
	"\t\ttype inet_service : ipv4_addr\n"
	"\t\telements = { 80 : 192.0.2.10 }\n"
	"\t}\n"
	"\n"
	"\tchain a { # handle 1\n"
	"\t\tcounter packets 0 bytes 0 accept # handle 7\n"
	"\t}\n"
	"\n"
	"\tchain pre { # handle 3\n"
	"\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
	"\t\tct state vmap { established : accept, related : accept } # handle 11\n"
	"\t\tmeta mark set meta mark | 0x00004000 counter packets 3 bytes 180 # handle 12\n"
	"\t\ttcp dport 8080 counter packets 0 bytes 0 comment \"hello # handle 5\" # handle 16\n"
	"\t\tosf name \"Linux\" counter packets 1 bytes 60 accept # handle 19\n"
	"\t}\n"
	"}\n";

/* The line of handle h, as a string (static buffer). */
static const char *text_of(const struct nsh_nft_listing *l, uint64_t h, const char **chain)
{
	static char buf[256], cb[64];
	const struct nsh_nft_line *x = nsh_nft_listing_find(l, h);

	if (!x)
		return NULL;
	snprintf(buf, sizeof(buf), "%.*s", (int)x->text_len, x->text);
	snprintf(cb, sizeof(cb), "%.*s", (int)x->chain_len, x->chain);
	if (chain)
		*chain = cb;
	return buf;
}

static void test_parse_listing(void **state)
{
	struct nsh_nft_listing l;
	const char *chain;

	assert_int_equal(nsh_nft_listing_parse(listing, "inet", "t", &l), 0);
	assert_int_equal(l.n, 5);
	assert_string_equal(text_of(&l, 7, &chain), "counter packets 0 bytes 0 accept");
	assert_string_equal(chain, "a");
	assert_string_equal(text_of(&l, 11, &chain),
			    "ct state vmap { established : accept, related : accept }");
	assert_string_equal(chain, "pre");
	/* a "# handle" inside a string is not the line's handle */
	assert_string_equal(text_of(&l, 16, NULL),
			    "tcp dport 8080 counter packets 0 bytes 0 comment \"hello # handle 5\"");
	assert_null(text_of(&l, 5, NULL));	/* the set's handle is no rule's */
	assert_null(text_of(&l, 3, NULL));	/* nor the chain's */
	nsh_nft_listing_clear(&l);
	/* another table's listing is not this one's */
	assert_int_equal(nsh_nft_listing_parse(listing, "ip", "t", &l), -1);
	assert_int_equal(nsh_nft_listing_parse(listing, "inet", "tt", &l), -1);
	assert_int_equal(nsh_nft_listing_parse("", "inet", "t", &l), -1);
	assert_int_equal(nsh_nft_listing_parse("table inet t { # handle 1\n}\n", "inet", "t", &l),
			 0);
	assert_int_equal(l.n, 0);
	nsh_nft_listing_clear(&l);
}

/* Anything nft would not write makes the whole listing untrusted. */
static void test_parse_refuses(void **state)
{
	static const char *const bad[] = {
		/* a comment holding a newline forges a line: the first half has no handle */
		"table inet t { # handle 1\n\tchain a { # handle 1\n"
		"\t\taccept comment \"x\n\t\tdrop # handle 2\n\t\ty\" # handle 2\n\t}\n}\n",
		/* the same handle twice */
		"table inet t { # handle 1\n\tchain a { # handle 1\n"
		"\t\taccept # handle 2\n\t\tdrop # handle 2\n\t}\n}\n",
		/* an odd number of quotes: a string holding a '"' */
		"table inet t { # handle 1\n\tchain a { # handle 1\n"
		"\t\tiifname \"a\"b\" accept # handle 2\n\t}\n}\n",
		/* deeper than a rule line */
		"table inet t { # handle 1\n\tchain a { # handle 1\n"
		"\t\t\taccept # handle 2\n\t}\n}\n",
		/* the listing stops inside a chain */
		"table inet t { # handle 1\n\tchain a { # handle 1\n\t\taccept # handle 2\n",
		/* something after the table */
		"table inet t { # handle 1\n}\ntable inet u { # handle 2\n}\n",
		/* a rule line outside a chain */
		"table inet t { # handle 1\n\t\taccept # handle 2\n}\n",
		/* no handle: nft was not asked for them */
		"table inet t { # handle 1\n\tchain a { # handle 1\n\t\taccept\n\t}\n}\n",
	};
	struct nsh_nft_listing l;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("listing %zu\n", i);
		assert_int_equal(nsh_nft_listing_parse(bad[i], "inet", "t", &l), -1);
		assert_int_equal(l.n, 0);
		assert_null(l.v);
	}
}

/* A line is taken for a rule only in its chain and, with a comment, ending in it. */
static void test_line_fits(void **state)
{
	struct nsh_nft_listing l;
	struct nsh_rule r = { .handle = 16, .opaque = true };

	assert_int_equal(nsh_nft_listing_parse(listing, "inet", "t", &l), 0);
	assert_false(nsh_nft_line_fits(nsh_nft_listing_find(&l, 16), "a", &r));
	r.comment = "hello # handle 5";
	assert_true(nsh_nft_line_fits(nsh_nft_listing_find(&l, 16), "pre", &r));
	r.comment = "hello";
	assert_false(nsh_nft_line_fits(nsh_nft_listing_find(&l, 16), "pre", &r));
	r.comment = "x";
	assert_false(nsh_nft_line_fits(nsh_nft_listing_find(&l, 11), "pre", &r));
	r.comment = NULL;
	assert_true(nsh_nft_line_fits(nsh_nft_listing_find(&l, 11), "pre", &r));
	nsh_nft_listing_clear(&l);
}

/* The rule as show prints it: r->nft_text with or without counters, comment, mark. */
static const char *render(const struct nsh_rule *r, unsigned flags)
{
	static char out[512];
	struct nsh_buf b;

	nsh_buf_init(&b);
	nsh_rule_render(NULL, r, flags, &b);
	snprintf(out, sizeof(out), "%s", b.s);
	nsh_buf_free(&b);
	return out;
}

static void test_render_forms(void **state)
{
	struct nsh_stmt raw = { .kind = NSH_ST_OPAQUE, .opaque.text = "[ osf dreg 1 ]" };
	struct nsh_rule r = {
		.opaque = true, .nstmts = 1, .stmts = &raw, .comment = "c counter packets 1 bytes 2",
		.nft_text = "osf name \"counter packets 1 bytes 2\" counter packets 1 bytes 60 "
			    "accept comment \"c counter packets 1 bytes 2\"",
	};

	assert_string_equal(render(&r, NSH_RF_COUNTERS | NSH_RF_COMMENT), r.nft_text);
	/* counter values go outside strings only; the comment goes as a whole */
	assert_string_equal(render(&r, 0),
			    "osf name \"counter packets 1 bytes 2\" counter accept");
	assert_string_equal(render(&r, NSH_RF_COMMENT),
			    "osf name \"counter packets 1 bytes 2\" counter accept "
			    "comment \"c counter packets 1 bytes 2\"");
	assert_string_equal(render(&r, NSH_RF_MARK),
			    "osf name \"counter packets 1 bytes 2\" counter accept  "
			    "# not understood by natsh");
	assert_string_equal(render(&r, NSH_RF_RAW), "[ osf dreg 1 ]");
	/* without nft's text: the raw text, and the mark says so */
	r.nft_text = NULL;
	r.comment = NULL;
	assert_string_equal(render(&r, NSH_RF_MARK),
			    "[ osf dreg 1 ]  # not understood by natsh (nft's text could not be "
			    "read: raw expressions)");
	/* a comment-only rule, a rule ending in its counter */
	r.nft_text = "comment \"x\"";
	r.comment = "x";
	assert_string_equal(render(&r, 0), "");
	r.nft_text = "meta mark set meta mark | 0x00004000 counter packets 12 bytes 3400";
	r.comment = NULL;
	assert_string_equal(render(&r, 0), "meta mark set meta mark | 0x00004000 counter");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_listing),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_line_fits),
		cmocka_unit_test(test_render_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

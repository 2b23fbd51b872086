/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Round trip without a kernel: text -> nsh_rule_parse -> nsh_rule_encode
 * (netlink messages in a batch buffer) -> libnftnl parses the messages ->
 * nsh_rule_from_nftnl -> nsh_rule_render -> the text nft lists for the
 * rule.  The cases are the write oracle's (tests/kernel/data/write_oracle.txt),
 * so the encoder, the decoder and the renderer agree with the kernel test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "model/nft/from_nftnl.h"
#include "model/syntax/rule_parse.h"
#include "model/nft/to_nftnl.h"
#include "model/syntax/rule_text.h"
#include "lib/util.h"

#define BUFSZ (1 << 18)
#define MAXSETS 8

struct sets {
	struct nsh_rawset s[MAXSETS];
	size_t n;
};

static const struct nsh_rawset named[] = {
	{ .name = (char *)"allowed", .klen = 8 },
	{ .name = (char *)"nets", .flags = NFT_SET_INTERVAL | NFT_SET_CONCAT, .klen = 8 },
	{ .name = (char *)"svc", .flags = NFT_SET_MAP, .klen = 12 },
	{ .name = (char *)"ports", .flags = NFT_SET_MAP, .klen = 4 },
	/* set updates name these */
	{ .name = (char *)"aff", .klen = 4 },
	{ .name = (char *)"s2", .klen = 8 },
};

static const struct nsh_rawset *find(void *arg, const char *name)
{
	struct sets *ss = arg;
	size_t i;

	for (i = 0; i < ss->n; i++)
		if (!strcmp(ss->s[i].name, name))
			return &ss->s[i];
	/* the named sets and maps of 0100's setup (headers only: the rule names them) */
	for (i = 0; i < NSH_ARRAY_SIZE(named); i++)
		if (!strcmp(named[i].name, name))
			return &named[i];
	return NULL;
}

/*
 * The batch names every anonymous set "__set%d" (the kernel picks the
 * number).  Number them here, in place and in order, in the set messages
 * and in the rule's lookups: the k-th set is the k-th lookup's.
 */
static void number_sets(struct nlmsghdr *nlh, size_t *k)
{
	char *p = (char *)nlh, *end = p + nlh->nlmsg_len;

	for (; p + 8 <= end; p++)
		if ((!memcmp(p, "__set%d", 8) || !memcmp(p, "__map%d", 8))) {
			p[5] = (char)('0' + *k / 10 % 10);
			p[6] = (char)('0' + *k % 10);
			(*k)++;
		}
}

/* libnftnl numbers the elements it builds 1..n; its parser wants NFTA_LIST_ELEM. */
static void elems_as_list(struct nlmsghdr *nlh)
{
	struct nlattr *a, *el;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(a) == NFTA_SET_ELEM_LIST_ELEMENTS)
			mnl_attr_for_each_nested(el, a)
				el->nla_type = NFTA_LIST_ELEM;
}

/* Decode the messages of one encoded rule back into a model rule. */
static int decode_batch(char *buf, size_t len, int family, struct sets *ss, struct nsh_rule *out)
{
	struct nsh_decode_env env = { family, find, ss };
	struct nlmsghdr *nlh;
	int rc = -1, n = (int)len;
	size_t kset = 0, krule = 0;

	for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		int type = NFNL_MSG_TYPE(nlh->nlmsg_type);

		if (type == NFT_MSG_NEWSET) {
			struct nftnl_set *s = nftnl_set_alloc();

			number_sets(nlh, &kset);
			assert_int_equal(nftnl_set_nlmsg_parse(nlh, s), 0);
			assert_true(ss->n < MAXSETS);
			nsh_rawset_init(&ss->s[ss->n], s);
			ss->n++;
			nftnl_set_free(s);
		} else if (type == NFT_MSG_NEWSETELEM) {
			struct nftnl_set *s = nftnl_set_alloc();

			elems_as_list(nlh);
			assert_int_equal(nftnl_set_elems_nlmsg_parse(nlh, s), 0);
			assert_true(ss->n > 0);
			assert_int_equal(nsh_rawset_add_elems(&ss->s[ss->n - 1], s), 0);
			nftnl_set_free(s);
		} else if (type == NFT_MSG_NEWRULE) {
			struct nftnl_rule *r = nftnl_rule_alloc();

			number_sets(nlh, &krule);
			assert_int_equal(nftnl_rule_nlmsg_parse(nlh, r), 0);
			rc = nsh_rule_from_nftnl(r, &env, out);
			nftnl_rule_free(r);
		}
	}
	return rc;
}

/* One oracle line through the whole round trip; 0 when the text comes back. */
static int roundtrip(const char *fam, const char *input, const char *want, char *buf)
{
	int family = nsh_family_parse(fam);
	struct nsh_table t = { .family = (uint8_t)family, .name = (char *)"t" };
	struct nsh_rule r, back;
	struct nsh_err err = { 0 };
	struct mnl_nlmsg_batch *b;
	struct sets ss = { .n = 0 };
	uint32_t seq = 1, set_id = 1;
	struct nsh_buf text;
	size_t i;
	int rc = -1;

	if (nsh_rule_parse(input, 0, strlen(input), family, &r, &err) < 0) {
		print_error("parse \"%s\": %s\n", input, err.msg);
		return -1;
	}
	b = mnl_nlmsg_batch_start(buf, BUFSZ);
	if (nsh_rule_encode(b, &seq, family, "t", "c", &r, NSH_ENC_APPEND, 0, &set_id) < 0) {
		print_error("encode \"%s\" failed\n", input);
		goto out;
	}
	if (decode_batch(mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b), family, &ss, &back) < 0) {
		print_error("decode \"%s\" failed\n", input);
		goto out;
	}
	nsh_buf_init(&text);
	nsh_rule_render(&t, &back, NSH_RF_COMMENT, &text);
	rc = strcmp(text.s, want) == 0 ? 0 : -1;
	if (rc)
		print_error("%s \"%s\"\n   got  \"%s\"\n   want \"%s\"\n", fam, input, text.s, want);
	nsh_buf_free(&text);
	nsh_rule_clear(&back);
out:
	mnl_nlmsg_batch_stop(b);
	for (i = 0; i < ss.n; i++)
		nsh_rawset_clear(&ss.s[i]);
	nsh_rule_clear(&r);
	return rc;
}

static void test_oracle_roundtrip(void **state)
{
	const char *path = getenv("NSH_ORACLE_DATA");
	char line[2048], *buf = malloc(2 * BUFSZ);
	size_t n = 0, fails = 0;
	FILE *f;

	(void)state;
	if (!path)
		path = "tests/kernel/data/write_oracle.txt";
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the top of the tree)", path);
	while (fgets(line, sizeof(line), f)) {
		char fam[8], chain[16], *rest, *arrow, *want;
		int off = 0;

		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%7s %15s %n", fam, chain, &off), 2);
		rest = line + off;
		arrow = strstr(rest, " \xe2\x9f\xb6 ");	/* " ⟶ " */
		want = rest;
		if (arrow) {
			*arrow = 0;
			want = arrow + 5;
		}
		n++;
		if (roundtrip(fam, rest, want, buf) < 0)
			fails++;
	}
	fclose(f);
	free(buf);
	print_message("%zu rules, %zu round trips differ\n", n, fails);
	assert_true(n >= 150);
	assert_int_equal(fails, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oracle_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for the rule decoder: what the dump does with a rule
 * message from the kernel.  The input is a family byte, a byte of flags and
 * the message's attributes (tests/fuzz/corpus/decode holds real ones, made
 * by decode_seeds.c).  The message is read in place (nsh_rule_from_attrs),
 * as nl_dump.c does, and what decodes is rendered.  Not where that
 * declines: libnftnl, which then parses, ends the process on an attribute
 * of unexpected size ("ABI breakage"), so it gets no arbitrary bytes here
 * (test_decode covers nsh_rule_from_nftnl).  The same bytes are also read
 * as a set element message.  Lookups find one of three sets: an interval
 * set of IPv4 prefixes, a set of ports, an address-and-port map.  Crashes,
 * sanitizer reports and leaks are failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "lib/buf.h"
#include "model/nft/from_nftnl.h"
#include "model/syntax/rule_text.h"

static struct nsh_rawset sets[3];

/* Three sets a rule's lookups may name, built once. */
static void sets_init(void)
{
	static struct nsh_rawelem e[3][4];
	static const uint8_t net[4] = { 192, 0, 2, 0 }, end[4] = { 192, 0, 3, 0 };
	static const uint8_t dst[4] = { 198, 51, 100, 7 };
	uint16_t port;

	if (sets[0].name)
		return;
	/* { 192.0.2.0/24 }: an interval set, as the kernel holds it */
	sets[0] = (struct nsh_rawset){ .name = (char *)"s0", .flags = NFT_SET_ANONYMOUS |
		   NFT_SET_CONSTANT | NFT_SET_INTERVAL, .klen = 4, .n = 3, .cap = 3, .e = e[0] };
	e[0][0] = (struct nsh_rawelem){ .klen = 4, .end = true };
	e[0][1] = (struct nsh_rawelem){ .klen = 4 };
	memcpy(e[0][1].key, net, 4);
	e[0][2] = (struct nsh_rawelem){ .klen = 4, .end = true };
	memcpy(e[0][2].key, end, 4);
	/* { 80, 443 } */
	sets[1] = (struct nsh_rawset){ .name = (char *)"s1", .flags = NFT_SET_ANONYMOUS |
		   NFT_SET_CONSTANT, .klen = 2, .n = 2, .cap = 2, .e = e[1] };
	port = htons(80);
	e[1][0] = (struct nsh_rawelem){ .klen = 2 };
	memcpy(e[1][0].key, &port, 2);
	port = htons(443);
	e[1][1] = (struct nsh_rawelem){ .klen = 2 };
	memcpy(e[1][1].key, &port, 2);
	/* { 0 : 198.51.100.7 . 8080 } */
	sets[2] = (struct nsh_rawset){ .name = (char *)"s2", .flags = NFT_SET_ANONYMOUS |
		   NFT_SET_CONSTANT | NFT_SET_MAP, .klen = 4, .dlen = 8, .n = 1, .cap = 1,
		   .e = e[2] };
	port = htons(8080);
	e[2][0] = (struct nsh_rawelem){ .klen = 4, .dlen = 8 };
	memcpy(e[2][0].data, dst, 4);
	memcpy(e[2][0].data + 4, &port, 2);
}

/* Every name finds a set (which one: by its length), but "none" finds none. */
static const struct nsh_rawset *find(void *arg, const char *name)
{
	(void)arg;
	if (!strcmp(name, "none"))
		return NULL;
	return &sets[strlen(name) % 3];
}

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) <= NFTA_RULE_MAX)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static void render(const struct nsh_table *t, const struct nsh_rule *r)
{
	struct nsh_buf b;

	nsh_buf_init(&b);
	nsh_rule_render(t, r, NSH_RF_COUNTERS | NSH_RF_COMMENT, &b);
	nsh_buf_reset(&b);
	nsh_rule_render(t, r, 0, &b);
	nsh_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int fams[] = { NSH_FAM_IP, NSH_FAM_IP6, NSH_FAM_INET };
	static uint32_t msg[(1 << 16) / 4];
	const struct nlattr *tb[NFTA_RULE_MAX + 1] = { NULL };
	struct nsh_decode_env env;
	struct nsh_table t = { .name = (char *)"t" };
	struct nlmsghdr *nlh;
	struct nfgenmsg *g;
	struct nsh_rawset rs = { .klen = 4, .dlen = 8 };
	struct nsh_rule r;
	int family, ret;

	if (size < 2 || size > sizeof(msg) - 64)
		return 0;
	sets_init();
	family = fams[data[0] % 3];
	env = (struct nsh_decode_env){ family, find, NULL };
	t.family = (uint8_t)family;
	nlh = mnl_nlmsg_put_header(msg);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = (uint8_t)family;
	g->version = NFNETLINK_V0;
	memcpy((char *)nlh + nlh->nlmsg_len, data + 2, size - 2);
	nlh->nlmsg_len += (uint32_t)(size - 2);

	/* as nl_dump.c's rule_cb: in place, else through libnftnl */
	if (mnl_attr_parse(nlh, sizeof(*g), attr_cb, tb) >= 0) {
		ret = nsh_rule_from_attrs(tb, &env, &r);
		if (ret == 0) {
			render(&t, &r);
			nsh_rule_clear(&r);
		}
	}
	/* the same bytes as the elements of a set (flags byte: interval or not) */
	if (data[1] & 1)
		rs.flags = NFT_SET_INTERVAL;
	if (nsh_rawset_add_elems_nlmsg(&rs, nlh) == 0 && rs.n) {
		static const enum nsh_type dt[2] = { NSH_T_IPV4, NSH_T_PORT };
		struct nsh_set *s = nsh_set_from_raw(&rs, NSH_T_IPV4, (data[1] >> 1) % 3, dt, 4);

		nsh_set_free(s);
	}
	free(rs.e);
	return 0;
}

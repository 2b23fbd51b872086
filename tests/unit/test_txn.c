/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Staged transactions without a kernel: positions resolved against a chain
 * view that counts the batch's own earlier changes, the messages a commit
 * sends (what is deleted, where new rules go, one flush message), the
 * sequence numbers that map kernel errors back to commands, the generation
 * id in BATCH_BEGIN, extack offsets located in a message, and natsh's own
 * names for anonymous sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "model/nl/batch.h"
#include "model/syntax/rule_parse.h"
#include "model/nft/to_nftnl.h"
#include "model/txn/txn_int.h"

/* One message of a batch, as the test reads it back. */
struct msg {
	uint16_t type;		/* NFT_MSG_* (or NFNL_MSG_BATCH_BEGIN) */
	uint16_t flags;
	uint32_t seq;
	uint64_t handle, position;
	char chain[32];
	uint32_t genid;
	char setname[32];
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct msg *m = data;
	uint16_t t = mnl_attr_get_type(a);

	if (m->type == NFNL_MSG_BATCH_BEGIN) {
		if (t == NFNL_BATCH_GENID)
			m->genid = ntohl(mnl_attr_get_u32(a));
		return MNL_CB_OK;
	}
	if (m->type == NFT_MSG_NEWRULE || m->type == NFT_MSG_DELRULE) {
		if (t == NFTA_RULE_HANDLE)
			m->handle = be64toh(mnl_attr_get_u64(a));
		else if (t == NFTA_RULE_POSITION)
			m->position = be64toh(mnl_attr_get_u64(a));
		else if (t == NFTA_RULE_CHAIN)
			snprintf(m->chain, sizeof(m->chain), "%s", mnl_attr_get_str(a));
	} else if (m->type == NFT_MSG_NEWSET && t == NFTA_SET_NAME) {
		snprintf(m->setname, sizeof(m->setname), "%s", mnl_attr_get_str(a));
	} else if (m->type == NFT_MSG_NEWSETELEM && t == NFTA_SET_ELEM_LIST_SET) {
		snprintf(m->setname, sizeof(m->setname), "%s", mnl_attr_get_str(a));
	}
	return MNL_CB_OK;
}

/* Read back every message of b into out (at most max); returns the count. */
static size_t read_msgs(const struct nsh_batch *b, struct msg *out, size_t max)
{
	size_t len, n = 0;
	const struct nlmsghdr *nlh = nsh_batch_data(b, &len);
	int left = (int)len;

	for (; mnl_nlmsg_ok(nlh, left) && n < max; nlh = mnl_nlmsg_next(nlh, &left)) {
		struct msg *m = &out[n++];

		memset(m, 0, sizeof(*m));
		m->type = nlh->nlmsg_type == NFNL_MSG_BATCH_BEGIN ? NFNL_MSG_BATCH_BEGIN :
			  (nlh->nlmsg_type & 0xff);
		m->flags = nlh->nlmsg_flags;
		m->seq = nlh->nlmsg_seq;
		mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, m);
	}
	return n;
}

static void rule(const char *text, struct nsh_rule *r)
{
	struct nsh_err err = { 0 };

	assert_int_equal(nsh_rule_parse(text, 0, strlen(text), NSH_FAM_INET, r, &err), 0);
}

static const uint64_t live[] = { 10, 20, 30 };

static struct nsh_txn *setup(void)
{
	struct nsh_txn *t = nsh_txn_new(false, false);

	txn_preload(t, NSH_FAM_INET, "natsh", "prerouting", NF_INET_PRE_ROUTING, live, 3, 77);
	return t;
}

static void put(struct nsh_txn *t, enum nsh_txn_where w, uint32_t pos, const char *text,
		int want)
{
	struct nsh_rule r = { 0 };
	struct nsh_txn_err e;
	int got;

	rule(text, &r);
	got = nsh_txn_put(t, NSH_FAM_INET, "natsh", "prerouting", w, pos, &r, NULL, &e);
	if (got != want)
		fail_msg("put %s at %u: got %d (%s)", text, pos, got, e.msg);
	if (got < 0)
		nsh_rule_clear(&r);
}

/* add, insert N, delete N, replace N in one batch: positions see each other. */
static void test_positions_and_messages(void **state)
{
	struct nsh_txn *t = setup();
	struct nsh_batch *b = nsh_batch_new(77);
	struct seqmap m = { 0 };
	struct nsh_txn_err e;
	struct msg v[16];
	size_t n;

	(void)state;
	put(t, NSH_TXN_APPEND, 0, "tcp dport 1 accept", 0);		/* op 1: A */
	put(t, NSH_TXN_INSERT, 2, "tcp dport 2 accept", 0);		/* op 2: B before 20 */
	assert_int_equal(nsh_txn_del(t, NSH_FAM_INET, "natsh", "prerouting", 1, 0, NULL, &e), 0);
	put(t, NSH_TXN_REPLACE, 3, "tcp dport 3 accept", 0);		/* op 4: C for 30 */
	/* the view is now B 20 C A */
	put(t, NSH_TXN_INSERT, 5, "tcp dport 4 accept", -1);
	assert_int_equal(nsh_txn_del(t, NSH_FAM_INET, "natsh", "prerouting", 5, 0, NULL, &e), -1);
	assert_string_equal(e.msg, "no rule at position 5: chain prerouting has 4 rules");
	assert_int_equal(e.what, NSH_TE_RULE);
	assert_int_equal(nsh_txn_nops(t), 4);

	assert_int_equal(txn_build(t, b, &m, false, false, &e), 0);
	n = read_msgs(b, v, 16);
	assert_int_equal(n, 6);
	assert_int_equal(v[0].type, NFNL_MSG_BATCH_BEGIN);
	assert_int_equal(v[0].genid, 77);
	/* the deletions first: 10 (delete 1) and 30 (replaced) */
	assert_int_equal(v[1].type, NFT_MSG_DELRULE);
	assert_int_equal(v[1].handle, 10);
	assert_int_equal(v[2].type, NFT_MSG_DELRULE);
	assert_int_equal(v[2].handle, 30);
	/* then the new rules in chain order: B before 20, C and A at the end */
	assert_int_equal(v[3].type, NFT_MSG_NEWRULE);
	assert_int_equal(v[3].position, 20);
	assert_false(v[3].flags & NLM_F_APPEND);
	assert_int_equal(v[4].type, NFT_MSG_NEWRULE);
	assert_int_equal(v[4].position, 0);
	assert_true(v[4].flags & NLM_F_APPEND);
	assert_int_equal(v[5].type, NFT_MSG_NEWRULE);
	assert_true(v[5].flags & NLM_F_APPEND);
	/* each message maps back to the command that staged it */
	assert_int_equal(txn_seqmap_get(&m, v[1].seq), 3);
	assert_int_equal(txn_seqmap_get(&m, v[2].seq), 4);
	assert_int_equal(txn_seqmap_get(&m, v[3].seq), 2);
	assert_int_equal(txn_seqmap_get(&m, v[4].seq), 4);
	assert_int_equal(txn_seqmap_get(&m, v[5].seq), 1);
	free(m.v);
	nsh_batch_free(b);
	nsh_txn_free(t);
}

/* Deleting a rule staged in the same batch just drops it; replacing one too. */
static void test_staged_rules_edited_in_place(void **state)
{
	struct nsh_txn *t = setup();
	struct nsh_batch *b = nsh_batch_new(1);
	struct seqmap m = { 0 };
	struct nsh_txn_err e;
	struct msg v[16];

	(void)state;
	put(t, NSH_TXN_APPEND, 0, "tcp dport 1 accept", 0);		/* position 4 */
	put(t, NSH_TXN_APPEND, 0, "tcp dport 2 accept", 0);		/* position 5 */
	assert_int_equal(nsh_txn_del(t, NSH_FAM_INET, "natsh", "prerouting", 4, 0, NULL, &e), 0);
	put(t, NSH_TXN_REPLACE, 4, "tcp dport 3 accept", 0);
	assert_int_equal(txn_build(t, b, &m, false, false, &e), 0);
	assert_int_equal(read_msgs(b, v, 16), 2);	/* BEGIN + one rule */
	assert_int_equal(v[1].type, NFT_MSG_NEWRULE);
	assert_int_equal(txn_seqmap_get(&m, v[1].seq), 4);
	free(m.v);
	nsh_batch_free(b);
	nsh_txn_free(t);
}

/* flush: one message for the chain; rules staged before it are dropped. */
static void test_flush(void **state)
{
	struct nsh_txn *t = setup();
	struct nsh_batch *b = nsh_batch_new(1);
	struct seqmap m = { 0 };
	struct nsh_txn_err e;
	struct msg v[16];

	(void)state;
	put(t, NSH_TXN_APPEND, 0, "tcp dport 1 accept", 0);
	assert_int_equal(nsh_txn_flush(t, NSH_FAM_INET, "natsh", "prerouting", NULL, &e), 0);
	put(t, NSH_TXN_INSERT, 0, "tcp dport 2 accept", 0);
	put(t, NSH_TXN_INSERT, 2, "tcp dport 3 accept", -1);	/* only one rule now */
	assert_int_equal(txn_build(t, b, &m, false, false, &e), 0);
	assert_int_equal(read_msgs(b, v, 16), 3);
	assert_int_equal(v[1].type, NFT_MSG_DELRULE);
	assert_int_equal(v[1].handle, 0);
	assert_string_equal(v[1].chain, "prerouting");
	assert_int_equal(v[2].type, NFT_MSG_NEWRULE);
	assert_true(v[2].flags & NLM_F_APPEND);
	free(m.v);
	nsh_batch_free(b);
	nsh_txn_free(t);
}

/* delete handle H: a handle the chain does not have is named. */
static void test_delete_handle(void **state)
{
	struct nsh_txn *t = setup();
	struct nsh_txn_err e;

	(void)state;
	assert_int_equal(nsh_txn_del(t, NSH_FAM_INET, "natsh", "prerouting", 0, 20, NULL, &e), 0);
	assert_int_equal(nsh_txn_del(t, NSH_FAM_INET, "natsh", "prerouting", 0, 20, NULL, &e), -1);
	assert_string_equal(e.msg, "chain prerouting has no rule with handle 20");
	assert_int_equal(nsh_txn_del(t, NSH_FAM_INET, "natsh", "prerouting", 0, 99, NULL, &e), -1);
	nsh_txn_abort(t);
	assert_false(nsh_txn_pending(t));
	nsh_txn_free(t);
}

/* An extack offset inside the second expression of a rule is found there. */
static void test_locate(void **state)
{
	struct nsh_batch *b = nsh_batch_new(5);
	struct nsh_rule r = { 0 };
	struct mnl_nlmsg_batch *mb;
	const struct nlattr *a, *x;
	const struct nlmsghdr *nlh;
	uint32_t *seq, set_id = 1, rseq = 0, off = 0;
	uint16_t type, attr;
	char name[32];
	int idx, i = 0, left;
	size_t len;

	(void)state;
	rule("tcp dport 80 jump somewhere", &r);
	mb = nsh_batch_enc_begin(b, &seq);
	assert_int_equal(nsh_rule_encode(mb, seq, NSH_FAM_INET, "natsh", "prerouting", &r,
					 NSH_ENC_APPEND, 0, &set_id), 0);
	nsh_batch_enc_end(b, true);
	nlh = nsh_batch_data(b, &len);
	left = (int)len;
	nlh = mnl_nlmsg_next(nlh, &left);	/* past BEGIN */
	assert_int_equal(nlh->nlmsg_type & 0xff, NFT_MSG_NEWRULE);
	assert_true(nlh->nlmsg_flags & NLM_F_ECHO);
	rseq = nlh->nlmsg_seq;
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_RULE_EXPRESSIONS)
			continue;
		mnl_attr_for_each_nested(x, a) {
			if (i++ == 1)
				off = (uint32_t)((const char *)x - (const char *)nlh) + 4;
		}
	}
	assert_true(off > 0);
	assert_int_equal(nsh_batch_locate(b, rseq, off, &type, &attr, &idx, name, sizeof(name)), 0);
	assert_int_equal(type, NFT_MSG_NEWRULE);
	assert_int_equal(attr, NFTA_RULE_EXPRESSIONS);
	assert_int_equal(idx, 1);
	assert_true(name[0] != '\0');
	assert_int_equal(nsh_batch_locate(b, 999, 0, &type, &attr, &idx, name, sizeof(name)), -1);
	nsh_rule_clear(&r);
	nsh_batch_free(b);
}

/* natsh's own names for anonymous sets: same in the set, its elements and the lookup. */
static void test_set_names(void **state)
{
	struct nsh_batch *b = nsh_batch_new(5);
	struct nsh_rule r = { 0 };
	struct mnl_nlmsg_batch *mb;
	uint32_t *seq, set_id = 1;
	struct msg v[8];
	size_t n, i, sets = 0;

	(void)state;
	rule("tcp dport { 80, 443 } accept", &r);
	nsh_batch_name_sets(b, 36 * 36 - 1);
	mb = nsh_batch_enc_begin(b, &seq);
	assert_int_equal(nsh_rule_encode(mb, seq, NSH_FAM_INET, "natsh", "prerouting", &r,
					 NSH_ENC_APPEND, 0, &set_id), 0);
	nsh_batch_enc_end(b, false);
	n = read_msgs(b, v, 8);
	for (i = 0; i < n; i++) {
		if (v[i].type == NFT_MSG_NEWSET || v[i].type == NFT_MSG_NEWSETELEM) {
			assert_string_equal(v[i].setname, "__s0100");	/* 36*36 - 1 + id 1 */
			sets++;
		}
	}
	assert_int_equal(sets, 2);
	nsh_rule_clear(&r);
	nsh_batch_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions_and_messages),
		cmocka_unit_test(test_staged_rules_edited_in_place),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_delete_handle),
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_set_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

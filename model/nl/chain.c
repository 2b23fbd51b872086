/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading ONE chain's rules as models (with the anonymous sets they use),
 * for diff and undo: an edit never needs the whole ruleset; or one rule of
 * it, by handle (what undo keeps of a deleted or replaced rule).
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <linux/netfilter/nf_tables.h>

#include "lib/util.h"
#include "model/nft/from_nftnl.h"
#include "model/nl/batch.h"

struct chain_read {
	struct nsh_wire *w;
	int family;
	const char *table;
	struct nftnl_rule **nr;
	size_t n, cap;
	struct nsh_rawset **sets;	/* pointers: the decoder may hold one */
	size_t nsets;
	int err;
};

/* Keep every rule of the dump parsed; decoding waits for the dump to end. */
static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct chain_read *cr = data;
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (!r || nftnl_rule_nlmsg_parse(nlh, r) < 0) {
		nftnl_rule_free(r);
		return MNL_CB_ERROR;
	}
	if (cr->n == cr->cap) {
		cr->cap = cr->cap ? cr->cap * 2 : 32;
		cr->nr = nsh_xrealloc(cr->nr, cr->cap * sizeof(*cr->nr));
	}
	cr->nr[cr->n++] = r;
	return MNL_CB_OK;
}

/* The header of one set. */
static int set_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nsh_rawset *rs = data;
	struct nftnl_set *s = nftnl_set_alloc();

	if (!s || nftnl_set_nlmsg_parse(nlh, s) < 0) {
		nftnl_set_free(s);
		return MNL_CB_ERROR;
	}
	nsh_rawset_init(rs, s);
	nftnl_set_free(s);
	return MNL_CB_OK;
}

/* A batch of elements of one set. */
static int elem_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nsh_rawset *rs = data;
	struct nftnl_set *s = nftnl_set_alloc();
	int ret = MNL_CB_OK;

	if (!s || nftnl_set_elems_nlmsg_parse(nlh, s) < 0 || nsh_rawset_add_elems(rs, s) < 0)
		ret = MNL_CB_ERROR;
	nftnl_set_free(s);
	return ret;
}

/* The decoder's set lookup: fetch the set and its elements on first use. */
static const struct nsh_rawset *find_set(void *arg, const char *name)
{
	struct chain_read *cr = arg;
	struct nsh_rawset *rs;
	struct nlmsghdr *nlh;
	char buf[1024];
	size_t i;

	for (i = 0; i < cr->nsets; i++)
		if (cr->sets[i]->name && !strcmp(cr->sets[i]->name, name))
			return cr->sets[i];
	cr->sets = nsh_xrealloc(cr->sets, (cr->nsets + 1) * sizeof(*cr->sets));
	rs = nsh_xcalloc(1, sizeof(*rs));
	cr->sets[cr->nsets] = rs;
	nlh = nsh_wire_req(cr->w, buf, NFT_MSG_GETSET, cr->family, NLM_F_ACK);
	mnl_attr_put_strz(nlh, NFTA_SET_TABLE, cr->table);
	mnl_attr_put_strz(nlh, NFTA_SET_NAME, name);
	cr->nsets++;
	if (nsh_wire_talk(cr->w, nlh, set_cb, rs) < 0 || !rs->name)
		goto err;
	nlh = nsh_wire_req(cr->w, buf, NFT_MSG_GETSETELEM, cr->family, NLM_F_DUMP | NLM_F_ACK);
	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, cr->table);
	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, name);
	if (nsh_wire_talk(cr->w, nlh, elem_cb, rs) < 0)
		goto err;
	return rs;
err:
	cr->err = errno ? errno : EIO;
	return NULL;
}

/* Release what a chain_read holds (rules as parsed, the sets fetched). */
static void chain_read_clear(struct chain_read *cr)
{
	size_t i;

	for (i = 0; i < cr->n; i++)
		nftnl_rule_free(cr->nr[i]);
	free(cr->nr);
	for (i = 0; i < cr->nsets; i++) {
		nsh_rawset_clear(cr->sets[i]);
		free(cr->sets[i]);
	}
	free(cr->sets);
}

int nsh_wire_chain_rule(struct nsh_wire *w, int family, const char *table, const char *chain,
			uint64_t handle, struct nsh_rule *out)
{
	struct chain_read cr = { .w = w, .family = family, .table = table };
	struct nsh_decode_env env = { family, find_set, &cr };
	struct nlmsghdr *nlh;
	char buf[1024];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	nlh = nsh_wire_req(w, buf, NFT_MSG_GETRULE, family, NLM_F_ACK);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(handle));
	if (nsh_wire_talk(w, nlh, rule_cb, &cr) < 0)
		goto out;
	if (cr.n != 1) {
		errno = ENOENT;
		goto out;
	}
	if (nsh_rule_from_nftnl(cr.nr[0], &env, out) < 0)
		goto out;
	if (cr.err) {
		nsh_rule_clear(out);
		errno = cr.err;
		goto out;
	}
	out->handle = handle;
	rc = 0;
out:
	chain_read_clear(&cr);
	return rc;
}

int nsh_wire_set_header(struct nsh_wire *w, int family, const char *table, const char *name,
			struct nsh_rawset *out)
{
	struct nlmsghdr *nlh;
	char buf[1024];

	memset(out, 0, sizeof(*out));
	nlh = nsh_wire_req(w, buf, NFT_MSG_GETSET, family, NLM_F_ACK);
	mnl_attr_put_strz(nlh, NFTA_SET_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_SET_NAME, name);
	if (nsh_wire_talk(w, nlh, set_cb, out) < 0 || !out->name) {
		nsh_rawset_clear(out);
		if (!errno)
			errno = ENOENT;
		return -1;
	}
	return 0;
}

/* Dump one chain, then decode each rule with the sets it names. */
int nsh_wire_chain_rules(struct nsh_wire *w, int family, const char *table,
			 const char *chain, struct nsh_rule **rules, size_t *n)
{
	struct chain_read cr = { .w = w, .family = family, .table = table };
	struct nsh_decode_env env = { family, find_set, &cr };
	struct nsh_rule *out = NULL;
	struct nlmsghdr *nlh;
	char buf[1024];
	size_t i, k = 0;
	int rc = -1;

	nlh = nsh_wire_req(w, buf, NFT_MSG_GETRULE, family, NLM_F_DUMP | NLM_F_ACK);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	if (nsh_wire_talk(w, nlh, rule_cb, &cr) < 0)
		goto out;
	/* decode after the dump: the set lookups need the socket */
	out = nsh_xcalloc(cr.n ? cr.n : 1, sizeof(*out));
	for (k = 0; k < cr.n; k++) {
		if (nsh_rule_from_nftnl(cr.nr[k], &env, &out[k]) < 0)
			goto out;
		out[k].handle = nftnl_rule_get_u64(cr.nr[k], NFTNL_RULE_HANDLE);
		out[k].position = (uint32_t)(k + 1);
	}
	if (cr.err) {
		errno = cr.err;
		goto out;
	}
	*rules = out;
	*n = cr.n;
	out = NULL;
	rc = 0;
out:
	if (out) {
		for (i = 0; i < k; i++)
			nsh_rule_clear(&out[i]);
		free(out);
	}
	chain_read_clear(&cr);
	return rc;
}

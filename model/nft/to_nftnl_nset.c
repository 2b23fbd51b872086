/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Named sets and maps -> NEWSET / DELSETELEM / NEWSETELEM messages, as nft
 * 1.0.6 sends them for the same declaration (load creates them so).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>

#include "model/nft/to_nftnl.h"

enum { BO_HOST = 1, BO_BIG = 2 };	/* nft's byteorder numbers (set userdata) */

/* nft keeps marks and ct state in host order, the rest in network order. */
static uint32_t type_bo(const struct nsh_nset_type *t)
{
	const struct nsh_dtype *d = t->n == 1 ? nsh_dtype_find(t->id[0]) : NULL;

	if (d && (d->type == NSH_T_MARK || d->type == NSH_T_CT_STATE))
		return BO_HOST;
	return BO_BIG;
}

/* v + 1 in network order; false when it wraps (the interval runs to the end). */
static bool be_inc(uint8_t *v, size_t n)
{
	while (n-- > 0)
		if (++v[n])
			return true;
	return false;
}

/* One element message entry: key [key_end], flags, data or verdict, timeout, comment. */
static void put_elem(struct nftnl_set *ns, const struct nsh_nset *s, const struct nsh_nset_elem *e,
		     const uint8_t *key, uint32_t flags, bool with_end, bool payload)
{
	struct nftnl_set_elem *se = nftnl_set_elem_alloc();
	size_t klen = nsh_nset_type_len(&s->key);

	if (!se)
		return;
	nftnl_set_elem_set(se, NFTNL_SET_ELEM_KEY, key, (uint32_t)klen);
	if (with_end)
		nftnl_set_elem_set(se, NFTNL_SET_ELEM_KEY_END, e->key_end, (uint32_t)klen);
	if (flags)
		nftnl_set_elem_set_u32(se, NFTNL_SET_ELEM_FLAGS, flags);
	if (payload && (s->flags & NFT_SET_MAP)) {
		if (s->data.id[0] == NSH_DT_VERDICT) {
			nftnl_set_elem_set_u32(se, NFTNL_SET_ELEM_VERDICT, (uint32_t)e->verdict);
			if (e->chain)
				nftnl_set_elem_set_str(se, NFTNL_SET_ELEM_CHAIN, e->chain);
		} else {
			nftnl_set_elem_set(se, NFTNL_SET_ELEM_DATA, e->data,
					   (uint32_t)nsh_nset_type_len(&s->data));
		}
	}
	if (payload && e->timeout)
		nftnl_set_elem_set_u64(se, NFTNL_SET_ELEM_TIMEOUT, e->timeout);
	if (payload && e->comment) {
		struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);

		if (ud && nftnl_udata_put_strz(ud, NFTNL_UDATA_SET_ELEM_COMMENT, e->comment))
			nftnl_set_elem_set(se, NFTNL_SET_ELEM_USERDATA, nftnl_udata_buf_data(ud),
					   nftnl_udata_buf_len(ud));
		nftnl_udata_buf_free(ud);
	}
	nftnl_set_elem_add(ns, se);
}

/*
 * The elements as the kernel keeps them: a concatenation with intervals
 * as [key, key_end]; a single-field interval as a start and, unless it
 * runs to the end of the type, an end element at key_end + 1.
 */
static void put_elems(struct nftnl_set *ns, const struct nsh_nset *s)
{
	size_t klen = nsh_nset_type_len(&s->key), i;
	bool interval = s->flags & NFT_SET_INTERVAL;
	uint8_t end[NSH_NSET_KEYMAX];

	for (i = 0; i < s->nelems; i++) {
		const struct nsh_nset_elem *e = &s->elems[i];

		if (!interval) {
			put_elem(ns, s, e, e->key, 0, false, true);
		} else if (s->key.n > 1) {
			put_elem(ns, s, e, e->key, 0, true, true);
		} else {
			put_elem(ns, s, e, e->key, 0, false, true);
			memcpy(end, e->key_end, klen);
			if (be_inc(end, klen))
				put_elem(ns, s, e, end, NFT_SET_ELEM_INTERVAL_END, false, false);
		}
	}
}

/* The declaration: types, lengths, flags, timeouts, userdata as nft writes it. */
static int set_declare(struct nftnl_set *ns, const struct nsh_nset *s, int family, uint32_t id)
{
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
	uint8_t field_len[NSH_NSET_FIELDS] = { 0 };
	size_t i;

	if (!ud) {
		errno = ENOMEM;
		return -1;
	}
	nftnl_set_set_u32(ns, NFTNL_SET_FAMILY, (uint32_t)family);
	nftnl_set_set_u32(ns, NFTNL_SET_ID, id);
	nftnl_set_set_u32(ns, NFTNL_SET_FLAGS, s->flags);
	nftnl_set_set_u32(ns, NFTNL_SET_KEY_TYPE, nsh_nset_type_wire(&s->key));
	nftnl_set_set_u32(ns, NFTNL_SET_KEY_LEN, (uint32_t)nsh_nset_type_len(&s->key));
	if (s->flags & NFT_SET_MAP) {
		bool verdict = s->data.id[0] == NSH_DT_VERDICT;

		nftnl_set_set_u32(ns, NFTNL_SET_DATA_TYPE, nsh_nset_type_wire(&s->data));
		nftnl_set_set_u32(ns, NFTNL_SET_DATA_LEN,
				  verdict ? 0 : (uint32_t)nsh_nset_type_len(&s->data));
	}
	if (s->key.n > 1 && (s->flags & NFT_SET_INTERVAL)) {
		for (i = 0; i < s->key.n; i++)
			field_len[i] = s->key.len[i];
		nftnl_set_set_data(ns, NFTNL_SET_DESC_CONCAT, field_len, s->key.n);
	}
	if (s->policy)
		nftnl_set_set_u32(ns, NFTNL_SET_POLICY, s->policy);
	if (s->size)
		nftnl_set_set_u32(ns, NFTNL_SET_DESC_SIZE, s->size);
	if (s->timeout)
		nftnl_set_set_u64(ns, NFTNL_SET_TIMEOUT, s->timeout);
	if (s->gc_interval)
		nftnl_set_set_u32(ns, NFTNL_SET_GC_INTERVAL, s->gc_interval);
	if (s->counter) {
		struct nftnl_expr *x = nftnl_expr_alloc("counter");

		if (x)
			nftnl_set_add_expr(ns, x);
	}
	nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_KEYBYTEORDER, type_bo(&s->key));
	if ((s->flags & NFT_SET_MAP) && s->data.id[0] != NSH_DT_VERDICT)
		nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_DATABYTEORDER, type_bo(&s->data));
	if (s->automerge)
		nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_MERGE_ELEMENTS, 1);
	if (s->comment)
		nftnl_udata_put_strz(ud, NFTNL_UDATA_SET_COMMENT, s->comment);
	nftnl_set_set_data(ns, NFTNL_SET_USERDATA, nftnl_udata_buf_data(ud),
			   nftnl_udata_buf_len(ud));
	nftnl_udata_buf_free(ud);
	return 0;
}

static int next(struct mnl_nlmsg_batch *batch)
{
	if (!mnl_nlmsg_batch_next(batch)) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

/* See to_nftnl.h. */
int nsh_nset_encode(struct mnl_nlmsg_batch *batch, uint32_t *seq, int family,
		    const char *table, const struct nsh_nset *s, uint32_t set_id, bool flush)
{
	struct nftnl_set *ns = nftnl_set_alloc();
	struct nftnl_set_elems_iter *iter;
	struct nlmsghdr *nlh;
	int rc = -1, more;

	if (!ns) {
		errno = ENOMEM;
		return -1;
	}
	if (set_declare(ns, s, family, set_id) < 0)
		goto out;
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(batch), NFT_MSG_NEWSET,
				    (uint16_t)family, NLM_F_CREATE, (*seq)++);
	mnl_attr_put_strz(nlh, NFTA_SET_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_SET_NAME, s->name);
	nftnl_set_nlmsg_build_payload(nlh, ns);
	if (next(batch) < 0)
		goto out;
	if (flush) {
		nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(batch), NFT_MSG_DELSETELEM,
					    (uint16_t)family, 0, (*seq)++);
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, table);
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, s->name);
		if (next(batch) < 0)
			goto out;
	}
	rc = 0;
	if (!s->nelems)
		goto out;
	nftnl_set_set_str(ns, NFTNL_SET_TABLE, table);
	nftnl_set_set_str(ns, NFTNL_SET_NAME, s->name);
	put_elems(ns, s);
	/* a netlink attribute holds at most 64 KiB: big sets take several messages */
	iter = nftnl_set_elems_iter_create(ns);
	if (!iter) {
		errno = ENOMEM;
		rc = -1;
		goto out;
	}
	do {
		nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(batch), NFT_MSG_NEWSETELEM,
					    (uint16_t)family, NLM_F_CREATE, *seq);
		more = nftnl_set_elems_nlmsg_build_payload_iter(nlh, iter);
		rc = next(batch);
	} while (more > 0 && rc == 0);
	(*seq)++;
	nftnl_set_elems_iter_destroy(iter);
out:
	nftnl_set_free(ns);
	return rc;
}

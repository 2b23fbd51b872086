/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Named sets and maps from libnftnl objects, for save and load: the
 * declaration (types, flags, timeouts, comment) and the elements in the
 * order nft lists them, interval start/end pairs merged into [key, key_end].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>

#include "model/nft/from_nftnl.h"
#include "lib/util.h"

/* Set userdata: comment, auto-merge. */
static int set_udata_cb(const struct nftnl_udata *attr, void *data)
{
	struct nsh_nset *s = data;
	const char *v = nftnl_udata_get(attr);
	uint8_t len = nftnl_udata_len(attr);

	switch (nftnl_udata_type(attr)) {
	case NFTNL_UDATA_SET_COMMENT:
		if (len && v[len - 1] == 0 && !s->comment)
			s->comment = nsh_xstrdup(v);
		break;
	case NFTNL_UDATA_SET_MERGE_ELEMENTS:
		s->automerge = len == 4 && nftnl_udata_get_u32(attr);
		break;
	default:
		break;
	}
	return 0;
}

/* Element userdata: the comment. */
static int elem_udata_cb(const struct nftnl_udata *attr, void *data)
{
	struct nsh_nset_elem *e = data;
	const char *v = nftnl_udata_get(attr);
	uint8_t len = nftnl_udata_len(attr);

	if (nftnl_udata_type(attr) == NFTNL_UDATA_SET_ELEM_COMMENT && len && v[len - 1] == 0 &&
	    !e->comment)
		e->comment = nsh_xstrdup(v);
	return 0;
}

/* A counter among the set's expressions makes it "counter"; anything else makes it unknown. */
static int set_expr_cb(struct nftnl_expr *e, void *data)
{
	struct nsh_nset *s = data;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

	if (name && !strcmp(name, "counter"))
		s->counter = true;
	else
		s->known = false;
	return 0;
}

/* See from_nftnl.h. */
void nsh_nset_from_nftnl(const struct nftnl_set *ns, struct nsh_nset *s)
{
	const char *name = nftnl_set_get_str(ns, NFTNL_SET_NAME);
	uint32_t len = 0;
	const void *ud;

	memset(s, 0, sizeof(*s));
	s->name = nsh_xstrdup(name ? name : "");
	s->handle = nftnl_set_get_u64(ns, NFTNL_SET_HANDLE);
	s->flags = nftnl_set_get_u32(ns, NFTNL_SET_FLAGS);
	s->key_wire = nftnl_set_get_u32(ns, NFTNL_SET_KEY_TYPE);
	s->known = nsh_nset_type_from_wire(s->key_wire, &s->key) == 0 &&
		   nsh_nset_type_len(&s->key) == nftnl_set_get_u32(ns, NFTNL_SET_KEY_LEN);
	if (s->flags & NFT_SET_MAP) {
		s->data_wire = nftnl_set_get_u32(ns, NFTNL_SET_DATA_TYPE);
		if (nsh_nset_type_from_wire(s->data_wire, &s->data) < 0 ||
		    (s->data.id[0] != NSH_DT_VERDICT &&
		     nsh_nset_type_len(&s->data) != nftnl_set_get_u32(ns, NFTNL_SET_DATA_LEN)))
			s->known = false;
	}
	if (s->flags & (NFT_SET_OBJECT | NFT_SET_ANONYMOUS))
		s->known = false;
	if (nftnl_set_is_set(ns, NFTNL_SET_POLICY))
		s->policy = nftnl_set_get_u32(ns, NFTNL_SET_POLICY);
	if (nftnl_set_is_set(ns, NFTNL_SET_DESC_SIZE))
		s->size = nftnl_set_get_u32(ns, NFTNL_SET_DESC_SIZE);
	if (nftnl_set_is_set(ns, NFTNL_SET_TIMEOUT))
		s->timeout = nftnl_set_get_u64(ns, NFTNL_SET_TIMEOUT);
	if (nftnl_set_is_set(ns, NFTNL_SET_GC_INTERVAL))
		s->gc_interval = nftnl_set_get_u32(ns, NFTNL_SET_GC_INTERVAL);
	ud = nftnl_set_get_data(ns, NFTNL_SET_USERDATA, &len);
	if (ud && len)
		nftnl_udata_parse(ud, len, set_udata_cb, s);
	nftnl_set_expr_foreach(ns, set_expr_cb, s);
}

/* Append one element of a GETSETELEM answer. */
static int elem_add(struct nsh_nset *s, struct nftnl_set_elem *ne)
{
	size_t klen = nsh_nset_type_len(&s->key);
	struct nsh_nset_elem *e;
	const void *v;
	uint32_t len = 0;

	s->elems = nsh_xrealloc(s->elems, (s->nelems + 1) * sizeof(*s->elems));
	e = &s->elems[s->nelems++];
	memset(e, 0, sizeof(*e));
	v = nftnl_set_elem_get(ne, NFTNL_SET_ELEM_KEY, &len);
	if (v)
		memcpy(e->key, v, len < sizeof(e->key) ? len : sizeof(e->key));
	v = nftnl_set_elem_get(ne, NFTNL_SET_ELEM_KEY_END, &len);
	if (v)
		memcpy(e->key_end, v, len < sizeof(e->key_end) ? len : sizeof(e->key_end));
	else
		memcpy(e->key_end, e->key, klen);
	if (nftnl_set_elem_is_set(ne, NFTNL_SET_ELEM_FLAGS))
		e->end = nftnl_set_elem_get_u32(ne, NFTNL_SET_ELEM_FLAGS) & NFT_SET_ELEM_INTERVAL_END;
	if (nftnl_set_elem_is_set(ne, NFTNL_SET_ELEM_VERDICT)) {
		e->verdict = (int32_t)nftnl_set_elem_get_u32(ne, NFTNL_SET_ELEM_VERDICT);
		if (nftnl_set_elem_is_set(ne, NFTNL_SET_ELEM_CHAIN))
			e->chain = nsh_xstrdup(nftnl_set_elem_get_str(ne, NFTNL_SET_ELEM_CHAIN));
	} else {
		v = nftnl_set_elem_get(ne, NFTNL_SET_ELEM_DATA, &len);
		if (v)
			memcpy(e->data, v, len < sizeof(e->data) ? len : sizeof(e->data));
	}
	if (nftnl_set_elem_is_set(ne, NFTNL_SET_ELEM_TIMEOUT))
		e->timeout = nftnl_set_elem_get_u64(ne, NFTNL_SET_ELEM_TIMEOUT);
	v = nftnl_set_elem_get(ne, NFTNL_SET_ELEM_USERDATA, &len);
	if (v && len)
		nftnl_udata_parse(v, len, elem_udata_cb, e);
	return 0;
}

/* See from_nftnl.h. */
int nsh_nset_add_elems(struct nsh_nset *s, struct nftnl_set *ns)
{
	struct nftnl_set_elems_iter *it = nftnl_set_elems_iter_create(ns);
	struct nftnl_set_elem *ne;

	if (!it)
		return -1;
	while ((ne = nftnl_set_elems_iter_next(it)))
		elem_add(s, ne);
	nftnl_set_elems_iter_destroy(it);
	return 0;
}

/* Is the datatype of this field kept in host byte order? */
static bool field_host(uint8_t id)
{
	const struct nsh_dtype *d = nsh_dtype_find(id);

	return d && (d->type == NSH_T_MARK || d->type == NSH_T_CT_STATE ||
		     (d->type == NSH_T_IFNAME));
}

struct order {
	const struct nsh_nset *s;
	bool interval;
};

/*
 * nft's order: a single-field key by value in its byte order (interval
 * sets always in network order, interface names of hash sets as
 * little-endian numbers); a concatenation of a hash set as one
 * little-endian number.  Ends sort before starts at equal values.
 */
static int elem_cmp(const void *a, const void *b, void *arg)
{
	const struct order *o = arg;
	const struct nsh_nset_elem *x = a, *y = b;
	size_t n = nsh_nset_type_len(&o->s->key), i;
	bool host = o->s->key.n > 1 || (!o->interval && field_host(o->s->key.id[0]));

	if (host) {
		for (i = n; i-- > 0;)
			if (x->key[i] != y->key[i])
				return x->key[i] < y->key[i] ? -1 : 1;
	} else {
		int r = memcmp(x->key, y->key, n);

		if (r)
			return r;
	}
	return (int)y->end - (int)x->end;
}

/* v - 1 in network order over n bytes. */
static void be_dec(uint8_t *v, size_t n)
{
	while (n-- > 0)
		if (v[n]-- != 0)
			return;
}

/* Merge start/end pairs of a single-field interval set into [key, key_end]. */
static void merge_intervals(struct nsh_nset *s)
{
	size_t n = nsh_nset_type_len(&s->key), i, j = 0;

	for (i = 0; i < s->nelems; i++) {
		struct nsh_nset_elem *e = &s->elems[i];

		if (e->end) {
			free(e->chain);
			free(e->comment);
			continue;
		}
		if (i + 1 < s->nelems && s->elems[i + 1].end) {
			memcpy(e->key_end, s->elems[i + 1].key, n);
			be_dec(e->key_end, n);
		} else {
			memset(e->key_end, 0xff, n);
		}
		s->elems[j++] = *e;
	}
	s->nelems = j;
}

/* See from_nftnl.h. */
void nsh_nset_finish(struct nsh_nset *s)
{
	struct order o = { s, (s->flags & NFT_SET_INTERVAL) != 0 };
	bool concat_interval = o.interval && s->key.n > 1;

	/* a concatenation with intervals is listed in the kernel's order */
	if (s->nelems > 1 && !concat_interval)
		qsort_r(s->elems, s->nelems, sizeof(*s->elems), elem_cmp, &o);
	if (o.interval && !concat_interval)
		merge_intervals(s);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Rule parser, matches: KEY [OP] VALUE with values, prefixes, ranges, sets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>

#include "model/syntax/rule_parse_int.h"
#include "model/values.h"
#include "lib/util.h"

static const char *l4_name(int proto)
{
	const struct nsh_sym *s = nsh_type_symbols(NSH_T_L4PROTO);

	for (; s->name; s++)
		if ((int)s->value == proto)
			return s->name;
	return "?";
}

int nsh_rp_key_context(struct nsh_rp *p, const struct nsh_key_def *key,
		       const struct nsh_word *t)
{
	int dep = key->nfproto_dep;

	if (key->id == NSH_K_META_NFPROTO && p->family != NSH_FAM_INET) {
		nsh_err_set(p->err, t->off, t->len,
			    "meta nfproto is only useful in inet tables (this is an %s table)",
			    nsh_family_name(p->family));
		return -1;
	}
	if (dep) {
		const char *want = dep == NFPROTO_IPV4 ? "ip" : "ip6";

		if ((p->family == NSH_FAM_IP && dep != NFPROTO_IPV4) ||
		    (p->family == NSH_FAM_IP6 && dep != NFPROTO_IPV6)) {
			nsh_err_set(p->err, t->off, t->len,
				    "\"%s\" cannot match in an %s table (use an %s or inet table)",
				    key->name, nsh_family_name(p->family), want);
			return -1;
		}
		if (p->nfproto && p->nfproto != dep) {
			nsh_err_set(p->err, t->off, t->len,
				    "conflicting protocols specified: %s vs. %s",
				    p->nfproto == NFPROTO_IPV4 ? "ip" : "ip6", want);
			return -1;
		}
		p->nfproto = dep;
	}
	if (key->l4proto_dep && key->l4proto_dep != 255) {
		if (p->l4proto >= 0 && (p->l4proto != key->l4proto_dep || p->l4proto_alt >= 0)) {
			/* after a set of protocols nft names another one of them */
			int other = p->l4proto != key->l4proto_dep ? p->l4proto : p->l4proto_alt;

			nsh_err_set(p->err, t->off, t->len,
				    "conflicting protocols specified: %s vs. %s",
				    l4_name(other), l4_name(key->l4proto_dep));
			return -1;
		}
		p->l4proto = key->l4proto_dep;
		p->l4_any = true;
	}
	return 0;
}

static void offer_symbols(struct nsh_rp *p, enum nsh_type type)
{
	const struct nsh_sym *s = nsh_type_symbols(type);

	for (; s && s->name; s++)
		nsh_rp_offer(p, s->name, s->help);
}

static int parse_plen(const char *s, unsigned max, unsigned *plen)
{
	uint32_t n;

	if (nsh_u32_parse(s, &n) < 0 || n > max || (s[0] == '0' && s[1]))
		return -1;
	*plen = n;
	return 0;
}

/*
 * One element or value: single, lo-hi range or addr/len prefix.  kind and
 * the values go to *e.  Interface names: "eth*" is a prefix of the name.
 */
static int parse_elem(struct nsh_rp *p, const struct nsh_word *t, enum nsh_type type,
		      bool allow_range, struct nsh_elem *e)
{
	const char *expect = nsh_rg_type_expect(type, allow_range);
	char buf[128];
	char *sep;
	unsigned plen;

	memset(e, 0, sizeof(*e));
	if (type == NSH_T_IFNAME) {
		bool wc;

		if (nsh_ifname_parse(t->s, &e->lo, &wc) < 0)
			return nsh_rp_err_tok(p, t, expect);
		if (wc) {
			e->kind = NSH_ELEM_PREFIX;
			e->plen = e->lo.len * 8;
		}
		return 0;
	}
	if (t->quoted && type != NSH_T_PORT)
		return nsh_rp_err_tok(p, t, expect);
	if (nsh_val_parse(type, t->s, &e->lo) == 0) {
		/* nft takes port 0 alone, which no TCP or UDP packet carries: a typo */
		if (type == NSH_T_PORT && !e->lo.data[0] && !e->lo.data[1]) {
			nsh_err_set(p->err, t->off, t->len, "port 0 is reserved: no TCP or UDP "
				    "connection uses it (a range from 0, such as 0-1023, is fine)");
			return -1;
		}
		return 0;
	}
	if (strlen(t->s) >= sizeof(buf))
		return nsh_rp_err_tok(p, t, expect);
	strcpy(buf, t->s);
	if (allow_range && nsh_type_has_prefix(type) && (sep = strchr(buf, '/'))) {
		*sep = 0;
		if (nsh_val_parse(type, buf, &e->lo) < 0)
			return nsh_rp_err_tok(p, t, expect);
		if (parse_plen(sep + 1, e->lo.len * 8, &plen) < 0) {
			nsh_err_set(p->err, t->off, t->len,
				    "expected a prefix length 1-%u after \"/\", got \"%s\"",
				    e->lo.len * 8, sep + 1);
			return -1;
		}
		if (plen == 0) {
			nsh_err_set(p->err, t->off, t->len,
				    "prefix \"%s\" matches every address: leave the match out", t->s);
			return -1;
		}
		nsh_val_prefix_mask(&e->lo, plen);
		if (plen < e->lo.len * 8u) {
			e->kind = NSH_ELEM_PREFIX;
			e->plen = plen;
			e->hi = e->lo;
			nsh_val_prefix_last(&e->hi, plen);
		}
		return 0;
	}
	if (allow_range && nsh_type_has_range(type) && (sep = strchr(buf + 1, '-'))) {
		*sep = 0;
		if (nsh_val_parse(type, buf, &e->lo) < 0 || nsh_val_parse(type, sep + 1, &e->hi) < 0)
			return nsh_rp_err_tok(p, t, expect);
		if (nsh_val_cmp(type, &e->lo, &e->hi) > 0) {
			nsh_err_set(p->err, t->off, t->len,
				    "range \"%s\" is empty: its start is above its end", t->s);
			return -1;
		}
		e->kind = NSH_ELEM_RANGE;
		return 0;
	}
	return nsh_rp_err_tok(p, t, expect);
}

/* The inclusive [lo, hi] an element covers, for overlap checks and encoding. */
static void elem_bounds(enum nsh_type type, const struct nsh_elem *e, struct nsh_val *lo,
			struct nsh_val *hi)
{
	*lo = e->lo;
	*hi = e->kind == NSH_ELEM_VALUE ? e->lo : e->hi;
	if (type == NSH_T_IFNAME) {
		lo->len = hi->len = 16;
		if (e->kind == NSH_ELEM_PREFIX) {
			memset(hi->data + e->lo.len, 0xff, 16 - e->lo.len);
			hi->data[e->lo.len - 1] = lo->data[e->lo.len - 1];
		}
	}
}

static int elem_order(const void *a, const void *b, void *arg)
{
	enum nsh_type type = *(const enum nsh_type *)arg;
	struct nsh_val al, ah, bl, bh;

	elem_bounds(type, a, &al, &ah);
	elem_bounds(type, b, &bl, &bh);
	return nsh_val_cmp(type, &al, &bl);
}

/* Order elements by their start. */
static void elems_sort(enum nsh_type type, struct nsh_elem *v, size_t n)
{
	qsort_r(v, n, sizeof(*v), elem_order, &type);
}

struct dup_ctx {
	enum nsh_type type;
	const struct nsh_elem *elems;
};

static int index_order(const void *a, const void *b, void *arg)
{
	const struct dup_ctx *c = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int d = elem_order(&c->elems[x], &c->elems[y], (void *)&c->type);

	if (d == 0 && c->elems[x].kind == NSH_ELEM_VALUE && c->elems[y].kind == NSH_ELEM_VALUE)
		return x < y ? -1 : x > y;
	return d ? d : (x < y ? -1 : x > y);
}

/* nft keeps one of { 80, 80 }: drop later copies of a single value, keep the order. */
static void drop_duplicates(struct nsh_set *set)
{
	struct dup_ctx c = { set->key_type, set->elems };
	size_t *idx, i, n = set->nelems, m = 0;
	bool *drop;

	if (n < 2)
		return;
	idx = nsh_xmalloc(n * sizeof(*idx));
	drop = nsh_xcalloc(n, sizeof(*drop));
	for (i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), index_order, &c);
	for (i = 1; i < n; i++) {
		const struct nsh_elem *a = &set->elems[idx[i - 1]], *b = &set->elems[idx[i]];

		if (a->kind == NSH_ELEM_VALUE && b->kind == NSH_ELEM_VALUE &&
		    a->lo.len == b->lo.len && memcmp(a->lo.data, b->lo.data, a->lo.len) == 0)
			drop[idx[i]] = true;
	}
	for (i = 0; i < n; i++)
		if (!drop[i])
			set->elems[m++] = set->elems[i];
	set->nelems = m;
	free(idx);
	free(drop);
}

/* Intervals in a set must not overlap (the kernel refuses them). */
static int check_overlap(struct nsh_rp *p, const struct nsh_set *set, const struct nsh_word *t)
{
	struct nsh_elem *v;
	size_t i;
	int rc = 0;

	if (set->nelems < 2)
		return 0;
	v = nsh_xmalloc(set->nelems * sizeof(*v));
	memcpy(v, set->elems, set->nelems * sizeof(*v));
	elems_sort(set->key_type, v, set->nelems);
	for (i = 1; i < set->nelems && !rc; i++) {
		struct nsh_val al, ah, bl, bh;

		elem_bounds(set->key_type, &v[i - 1], &al, &ah);
		elem_bounds(set->key_type, &v[i], &bl, &bh);
		if (nsh_val_cmp(set->key_type, &bl, &ah) <= 0) {
			nsh_err_set(p->err, t->off, t->len,
				    "conflicting intervals in the set: elements %zu and %zu overlap",
				    i, i + 1);
			rc = -1;
		}
	}
	free(v);
	return rc;
}

/* A single value already in the set (elements before the last one). */
static bool elem_is_dup(const struct nsh_set *set, const struct nsh_elem *e)
{
	size_t i;

	for (i = 0; i < set->nelems; i++)
		if (set->elems[i].kind == NSH_ELEM_VALUE && set->elems[i].lo.len == e->lo.len &&
		    memcmp(set->elems[i].lo.data, e->lo.data, e->lo.len) == 0)
			return true;
	return false;
}

static int expect_sep(struct nsh_rp *p, const char *sep, const char *what)
{
	const struct nsh_word *t = nsh_rp_peek(p);

	if (!t) {
		if (p->completing) {
			nsh_rp_offer(p, sep, what);
			return -2;
		}
		return nsh_rp_err_end(p, what);
	}
	if (t->quoted || strcmp(t->s, sep) != 0)
		return nsh_rp_err_tok(p, t, what);
	p->pos++;
	return 0;
}

int nsh_rp_elem(struct nsh_rp *p, const struct nsh_word *t, enum nsh_type type,
		bool allow_range, struct nsh_elem *e)
{
	return parse_elem(p, t, type, allow_range, e);
}

int nsh_rp_expect(struct nsh_rp *p, const char *sep, const char *what)
{
	return expect_sep(p, sep, what);
}

/* A map's data: ADDR or ADDR . PORT; the address family is fixed by the first. */
static int parse_map_data(struct nsh_rp *p, struct nsh_set *set, struct nsh_elem *e)
{
	const struct nsh_word *t = nsh_rp_peek(p);
	struct nsh_elem d;
	bool addr;
	int rc;

	if (set->data_type[0] == NSH_T_VERDICT)
		return nsh_rp_verdict_data(p, set, (size_t)(e - set->elems), e);
	if (!t) {
		if (p->completing)
			return -2;
		return nsh_rp_err_end(p, "an address");
	}
	if (set->data_type[0] == NSH_T_INVALID)
		set->data_type[0] = strchr(t->s, ':') ? NSH_T_IPV6 : NSH_T_IPV4;
	addr = set->data_type[0] == NSH_T_IPV4 || set->data_type[0] == NSH_T_IPV6;
	rc = parse_elem(p, t, set->data_type[0], addr, &d);
	if (rc)
		return rc;
	e->data[0] = d.lo;
	e->ndata = 1;
	/* nat maps of address ranges: { K : A-B, K : A/N } (data: first and last address) */
	if (addr && (d.kind != NSH_ELEM_VALUE || set->data_type[1] == set->data_type[0])) {
		if (e == set->elems && set->ndata == 1) {
			set->ndata = 2;
			set->data_type[1] = set->data_type[0];
		}
		if (set->ndata != 2 || set->data_type[1] != set->data_type[0])
			return nsh_rp_err_tok(p, t, "\",\" or \"}\" (every element maps to the same kind of data)");
		e->data[1] = d.kind == NSH_ELEM_RANGE ? d.hi : d.lo;
		if (d.kind == NSH_ELEM_PREFIX)
			nsh_val_prefix_last(&e->data[1], d.plen);
		e->ndata = 2;
		p->pos++;
		return 0;
	}
	p->pos++;
	t = nsh_rp_peek(p);
	if (set->ndata == 2 || (t && !t->quoted && strcmp(t->s, ".") == 0)) {
		if (set->ndata == 1 && e == set->elems) {
			set->ndata = 2;
			set->data_type[1] = NSH_T_PORT;
		}
		if (set->ndata != 2)
			return nsh_rp_err_tok(p, t, "\",\" or \"}\" (every element maps to the same kind of data)");
		rc = expect_sep(p, ".", "\". PORT\" (every element maps to an address and a port)");
		if (rc)
			return rc;
		t = nsh_rp_peek(p);
		if (!t)
			return p->completing ? -2 : nsh_rp_err_end(p, "a port number");
		rc = parse_elem(p, t, NSH_T_PORT, false, &d);
		if (rc)
			return rc;
		p->pos++;
		e->data[1] = d.lo;
		e->ndata = 2;
	}
	return 0;
}

int nsh_rp_set(struct nsh_rp *p, enum nsh_type key_type, int ndata,
	       const enum nsh_type *data_type, struct nsh_set **out, size_t *nwritten)
{
	const struct nsh_word *open = nsh_rp_peek(p), *t;
	struct nsh_set *set = nsh_xcalloc(1, sizeof(*set));
	size_t cap = 0, written = 0;
	int rc;

	set->key_type = key_type;
	set->ndata = ndata;
	if (ndata) {
		set->data_type[0] = data_type[0];
		set->data_type[1] = ndata > 1 ? data_type[1] : NSH_T_INVALID;
	}
	p->pos++;	/* "{" */
	for (;;) {
		struct nsh_elem *e;

		t = nsh_rp_peek(p);
		if (!t) {
			if (p->completing) {
				offer_symbols(p, key_type);
				rc = -2;
			} else {
				rc = nsh_rp_err_end(p, set->nelems ? "\",\" or \"}\"" :
						    nsh_rg_type_expect(key_type, true));
			}
			goto err;
		}
		if (!t->quoted && strcmp(t->s, "}") == 0 && set->nelems == 0) {
			nsh_err_set(p->err, open->off, t->off + t->len - open->off,
				    "empty set: give at least one element");
			rc = -1;
			goto err;
		}
		if (set->nelems == cap) {
			cap = cap ? cap * 2 : 8;
			set->elems = nsh_xrealloc(set->elems, cap * sizeof(*set->elems));
			if (ndata && set->data_type[0] == NSH_T_VERDICT) {
				set->chains = nsh_xrealloc(set->chains, cap * sizeof(*set->chains));
				memset(set->chains + set->nelems, 0,
				       (cap - set->nelems) * sizeof(*set->chains));
			}
		}
		e = &set->elems[set->nelems];
		rc = parse_elem(p, t, key_type, true, e);
		if (rc)
			goto err;
		if (e->kind != NSH_ELEM_VALUE)
			set->interval = true;
		written++;
		if (ndata && e->kind == NSH_ELEM_VALUE && elem_is_dup(set, e)) {
			nsh_err_set(p->err, t->off, t->len, "duplicate key \"%s\" in the map", t->s);
			rc = -1;
			goto err;
		}
		set->nelems++;
		p->pos++;
		if (ndata) {
			rc = expect_sep(p, ":", "\":\" and the data the key maps to");
			if (!rc)
				rc = parse_map_data(p, set, e);
			if (rc)
				goto err;
		}
		t = nsh_rp_peek(p);
		if (!t) {
			if (p->completing) {
				nsh_rp_offer(p, "}", "end of the set");
				rc = -2;
			} else {
				rc = nsh_rp_err_end(p, "\",\" or \"}\"");
			}
			goto err;
		}
		if (!t->quoted && strcmp(t->s, ",") == 0) {
			p->pos++;
			continue;
		}
		if (!t->quoted && strcmp(t->s, "}") == 0) {
			p->pos++;
			break;
		}
		rc = nsh_rp_err_tok(p, t, "\",\" or \"}\"");
		goto err;
	}
	if (!ndata)
		drop_duplicates(set);
	if (set->interval && check_overlap(p, set, open) < 0) {
		rc = -1;
		goto err;
	}
	*out = set;
	if (nwritten)
		*nwritten = written;
	return 0;
err:
	nsh_set_free(set);
	return rc;
}

/* As nft does, "{ x }" written with one element is the bare x. */
static void set_to_value(struct nsh_match *m)
{
	struct nsh_set *set = m->set;
	const struct nsh_elem *e = &set->elems[0];

	m->val = e->lo;
	switch (e->kind) {
	case NSH_ELEM_RANGE:
		m->rhs = NSH_RHS_RANGE;
		m->hi = e->hi;
		break;
	case NSH_ELEM_PREFIX:
		m->rhs = m->key->type == NSH_T_IFNAME ? NSH_RHS_VALUE : NSH_RHS_PREFIX;
		m->plen = e->plen;
		break;
	default:
		m->rhs = NSH_RHS_VALUE;
		m->bitmask = nsh_type_is_bitmask(m->key->type) && m->op == NSH_OP_EQ;
		break;
	}
	m->set = NULL;
	nsh_set_free(set);
}

/*
 * ct state/status, as nft reads them: NAME[,NAME...] (or a | b) is a
 * bitmask, "any of" (& mask != 0); "! NAME,..." none of them (& mask == 0);
 * "== a" and "!= a | b" compare the whole value.  skip: leading bytes of
 * the first word to skip ("!established").
 */
static int parse_bitmask(struct nsh_rp *p, struct nsh_match *m, bool bang, bool op_written,
			 size_t skip)
{
	const struct nsh_key_def *key = m->key;
	const struct nsh_word *t = nsh_rp_peek(p);
	uint32_t acc = 0, x;
	size_t n = 0;

	for (;;) {
		struct nsh_val v;

		if (t->quoted || nsh_val_parse(key->type, t->s + skip, &v) < 0)
			return nsh_rp_err_tok(p, t, nsh_rg_type_expect(key->type, false));
		skip = 0;
		memcpy(&x, v.data, 4);
		acc |= x;
		n++;
		p->pos++;
		t = nsh_rp_peek(p);
		if (!t || t->quoted || (strcmp(t->s, ",") != 0 && strcmp(t->s, "|") != 0))
			break;
		p->pos++;
		t = nsh_rp_peek(p);
		if (!t) {
			if (p->completing) {
				offer_symbols(p, key->type);
				return -2;
			}
			return nsh_rp_err_end(p, nsh_rg_type_expect(key->type, false));
		}
	}
	m->rhs = NSH_RHS_VALUE;
	m->val.len = 4;
	memcpy(m->val.data, &acc, 4);
	m->bitmask = bang || !op_written;
	(void)n;
	return 0;
}

/* What a protocol match tells later words (ports need a transport protocol). */
static int note_protocol(struct nsh_rp *p, const struct nsh_match *m, const struct nsh_word *t)
{
	int id = m->key->id;

	if (id == NSH_K_META_L4PROTO || id == NSH_K_IP_PROTOCOL || id == NSH_K_IP6_NEXTHDR) {
		if (m->op == NSH_OP_EQ && m->rhs == NSH_RHS_VALUE) {
			if (p->l4proto >= 0 && p->l4proto != m->val.data[0]) {
				nsh_err_set(p->err, t->off, t->len,
					    "conflicting protocols specified: %s vs. %s",
					    l4_name(p->l4proto), l4_name(m->val.data[0]));
				return -1;
			}
			p->l4proto = m->val.data[0];
		} else if (m->op == NSH_OP_EQ && m->rhs == NSH_RHS_SET && m->set &&
			   m->set->nelems && p->l4proto < 0) {
			/* nft takes the set's highest protocol as the context:
			 * "meta l4proto { tcp, udp } tcp dport 1" conflicts (udp vs. tcp) */
			int hi = -1, alt = -1;
			size_t i;

			for (i = 0; i < m->set->nelems; i++) {
				const struct nsh_elem *el = &m->set->elems[i];
				int v = el->kind == NSH_ELEM_RANGE ? el->hi.data[0] : el->lo.data[0];

				if (v > hi) {
					alt = hi;
					hi = v;
				} else if (v < hi && v > alt) {
					alt = v;
				}
			}
			p->l4proto = hi;
			p->l4proto_alt = alt;
		}
		if (m->op == NSH_OP_EQ)
			p->l4_any = true;
	}
	if (id == NSH_K_META_NFPROTO && m->op == NSH_OP_EQ && m->rhs == NSH_RHS_VALUE) {
		if (p->nfproto && p->nfproto != m->val.data[0]) {
			nsh_err_set(p->err, t->off, t->len, "conflicting protocols specified: %s vs. %s",
				    p->nfproto == NFPROTO_IPV4 ? "ipv4" : "ipv6",
				    m->val.data[0] == NFPROTO_IPV4 ? "ipv4" : "ipv6");
			return -1;
		}
		p->nfproto = m->val.data[0];
	}
	return 0;
}

int nsh_rp_numgen(struct nsh_rp *p, uint32_t *type, uint32_t *mod, uint32_t *offset)
{
	const struct nsh_rg_word *w;
	const struct nsh_word *t;
	int rc;

	*offset = 0;
	rc = nsh_rp_word(p, nsh_rg_numgen_modes, "random or inc", &w);
	if (rc)
		return rc;
	*type = w->id;
	rc = nsh_rp_word(p, nsh_rg_mod_word, "\"mod\"", &w);
	if (rc)
		return rc;
	t = nsh_rp_peek(p);
	if (!t)
		return p->completing ? -2 : nsh_rp_err_end(p, "a modulus (a number from 1)");
	if (t->quoted || nsh_u32_parse(t->s, mod) < 0 || *mod == 0)
		return nsh_rp_err_tok(p, t, "a modulus (a number from 1)");
	p->pos++;
	t = nsh_rp_peek(p);
	if (!t) {
		nsh_rp_offer_tab(p, nsh_rg_offset_word);
		return 0;
	}
	if (t->quoted || !nsh_rg_find(nsh_rg_offset_word, t->s))
		return 0;
	p->pos++;
	t = nsh_rp_peek(p);
	if (!t)
		return p->completing ? -2 : nsh_rp_err_end(p, "an offset (a number)");
	if (t->quoted || nsh_u32_parse(t->s, offset) < 0 || *offset > UINT32_MAX - (*mod - 1))
		return nsh_rp_err_tok(p, t, "an offset (a number; offset + modulus - 1 must fit 32 bits)");
	p->pos++;
	return 0;
}

static int value_missing(struct nsh_rp *p, const struct nsh_key_def *key, bool op_seen)
{
	if (p->completing) {
		if (!op_seen && nsh_type_is_bitmask(key->type))
			nsh_rp_offer_tab(p, nsh_rg_flags_not);
		if (!op_seen) {
			nsh_rp_offer_tab(p, nsh_rg_ops);
			nsh_rp_offer_tab(p, nsh_rg_vmap_word);
			if (key->kind != NSH_KK_NUMGEN)
				nsh_rp_offer_tab(p, nsh_rg_concat_word);
		}
		nsh_rp_offer(p, "{", "an anonymous set of values");
		offer_symbols(p, key->type);
		return -2;
	}
	return nsh_rp_err_end(p, nsh_rg_type_expect(key->type, true));
}

int nsh_rp_match(struct nsh_rp *p)
{
	size_t tok0 = p->pos;
	const struct nsh_key_def *key;
	const struct nsh_word *t, *optok = NULL;
	const struct nsh_rg_word *op;
	struct nsh_match m;
	struct nsh_stmt *s;
	bool bang = false;
	size_t bang_skip = 0;
	int rc;

	memset(&m, 0, sizeof(m));
	rc = nsh_rp_key(p, &key);
	if (rc)
		return rc;
	rc = nsh_rp_key_context(p, key, &p->toks[tok0]);
	if (rc)
		return rc;
	m.key = key;
	m.op = NSH_OP_EQ;
	if (key->kind == NSH_KK_NUMGEN) {
		rc = nsh_rp_numgen(p, &m.numgen_type, &m.numgen_mod, &m.numgen_offset);
		if (rc)
			return rc;
	}
	t = nsh_rp_peek(p);
	if (!t)
		return value_missing(p, key, false);
	if (!t->quoted && (nsh_rg_find(nsh_rg_concat_word, t->s) || nsh_rg_find(nsh_rg_vmap_word, t->s)))
		return nsh_rp_concat_vmap(p, &m, tok0);
	/* ct state ! established: none of the flags (nft's "!", not "!=") */
	if (nsh_type_is_bitmask(key->type) && !t->quoted && t->s[0] == '!' && t->s[1] != '=') {
		bang = true;
		m.op = NSH_OP_NEQ;
		if (!t->s[1]) {
			p->pos++;
			t = nsh_rp_peek(p);
			if (!t)
				return value_missing(p, key, true);
		} else {
			bang_skip = 1;
		}
		if (!t->quoted && (strcmp(t->s, "{") == 0 || t->s[0] == '@'))
			return nsh_rp_err_tok(p, t, "flags after \"!\" (such as established,related), not a set");
	} else if (!t->quoted && (op = nsh_rg_find(nsh_rg_ops, t->s))) {
		m.op = op->id;
		optok = t;
		p->pos++;
		t = nsh_rp_peek(p);
		if (!t)
			return value_missing(p, key, true);
	}
	if (!t->quoted && strcmp(t->s, "{") == 0) {
		size_t written;

		rc = nsh_rp_set(p, key->type, 0, NULL, &m.set, &written);
		if (rc)
			return rc;
		m.rhs = NSH_RHS_SET;
		if (written == 1)
			set_to_value(&m);
	} else if (!t->quoted && t->s[0] == '@') {
		if (!t->s[1])
			return nsh_rp_err_tok(p, t, "a set name after \"@\"");
		m.rhs = NSH_RHS_NAMED_SET;
		m.set_name = nsh_xstrdup(t->s + 1);
		p->pos++;
	} else if (nsh_type_is_bitmask(key->type)) {
		rc = parse_bitmask(p, &m, bang, optok != NULL, bang_skip);
		if (rc)
			return rc;
	} else {
		struct nsh_elem e;

		rc = parse_elem(p, t, key->type, m.op == NSH_OP_EQ || m.op == NSH_OP_NEQ, &e);
		if (rc)
			return rc;
		p->pos++;
		m.val = e.lo;
		if (e.kind == NSH_ELEM_RANGE) {
			m.rhs = NSH_RHS_RANGE;
			m.hi = e.hi;
		} else if (e.kind == NSH_ELEM_PREFIX && key->type != NSH_T_IFNAME) {
			m.rhs = NSH_RHS_PREFIX;
			m.plen = e.plen;
		} else {
			m.rhs = NSH_RHS_VALUE;
		}
	}
	if (optok && m.op != NSH_OP_EQ && m.op != NSH_OP_NEQ &&
	    (m.rhs != NSH_RHS_VALUE || key->type == NSH_T_IFNAME || nsh_type_is_bitmask(key->type) ||
	     key->type == NSH_T_CT_DIR || key->type == NSH_T_FIB_ADDRTYPE)) {
		nsh_err_set(p->err, optok->off, optok->len,
			    "\"%s\" compares single numbers; %s takes only == or !=",
			    optok->s, m.rhs == NSH_RHS_VALUE ? key->name : "a set, range or prefix");
		nsh_set_free(m.set);
		free(m.set_name);
		return -1;
	}
	rc = note_protocol(p, &m, &p->toks[tok0]);
	if (rc) {
		nsh_set_free(m.set);
		free(m.set_name);
		return rc;
	}
	s = nsh_rp_stmt_add(p, NSH_ST_MATCH, tok0);
	s->match = m;
	nsh_rp_stmt_end(p);
	return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Set and map blocks of a saved table: declaration lines and elements. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "lib/util.h"
#include "model/syntax/nset_parse.h"
#include "model/values.h"

/* A token: [s, e) of the text. */
struct tok {
	size_t s, e;
};

/* Next whitespace-separated token at or after *p before end (quotes kept whole). */
static bool next_tok(const char *t, size_t *p, size_t end, struct tok *k)
{
	size_t i = *p;

	while (i < end && isspace((unsigned char)t[i]))
		i++;
	if (i >= end)
		return false;
	k->s = i;
	if (t[i] == '"') {
		for (i++; i < end && t[i] != '"'; i++)
			;
		if (i < end)
			i++;
	} else {
		while (i < end && !isspace((unsigned char)t[i]))
			i++;
	}
	k->e = i;
	*p = i;
	return true;
}

static bool tok_is(const char *t, const struct tok *k, const char *w)
{
	return k->e - k->s == strlen(w) && !strncmp(t + k->s, w, k->e - k->s);
}

/* The token as a NUL-terminated string (caller's buffer). */
static const char *tok_str(const char *t, const struct tok *k, char *buf, size_t len)
{
	size_t n = k->e - k->s < len - 1 ? k->e - k->s : len - 1;

	memcpy(buf, t + k->s, n);
	buf[n] = 0;
	return buf;
}

int nsh_time_parse(const char *s, uint64_t *ms)
{
	static const struct {
		const char *u;
		uint64_t ms;
	} units[] = { { "ms", 1 }, { "d", 86400000 }, { "h", 3600000 }, { "m", 60000 },
		      { "s", 1000 } };
	uint64_t total = 0;

	if (!*s)
		return -1;
	while (*s) {
		char *e;
		unsigned long long n;
		size_t i;

		if (!isdigit((unsigned char)*s))
			return -1;
		errno = 0;
		n = strtoull(s, &e, 10);
		if (errno || e == s)
			return -1;
		if (!*e && !total) {	/* a plain number: seconds, as nft reads it */
			*ms = n * 1000;
			return 0;
		}
		for (i = 0; i < NSH_ARRAY_SIZE(units); i++)
			if (!strncmp(e, units[i].u, strlen(units[i].u)))
				break;
		if (i == NSH_ARRAY_SIZE(units))
			return -1;
		total += n * units[i].ms;
		s = e + strlen(units[i].u);
	}
	*ms = total;
	return 0;
}

/* "ipv4_addr . inet_service" over tokens until ':' or the end; -1 + err. */
static int parse_type(const char *t, size_t *p, size_t end, bool data, struct nsh_nset_type *ty,
		      bool *colon, struct nsh_err *err)
{
	struct tok k;
	char buf[64];

	memset(ty, 0, sizeof(*ty));
	*colon = false;
	while (next_tok(t, p, end, &k)) {
		const struct nsh_dtype *d;

		if (tok_is(t, &k, ":") && ty->n && !data) {
			*colon = true;
			return 0;
		}
		if (tok_is(t, &k, ".") && ty->n)
			continue;
		d = nsh_dtype_lookup(tok_str(t, &k, buf, sizeof(buf)));
		if (!d || ty->n == NSH_NSET_FIELDS || (d->id == NSH_DT_VERDICT && (!data || ty->n))) {
			nsh_err_set(err, k.s, k.e - k.s, "%s: %s", buf, !d ? "a datatype natsh does "
				    "not know (it knows ipv4_addr, ipv6_addr, inet_service, "
				    "inet_proto, mark, ifname, ct_state, nf_proto and verdict for "
				    "map data)" : "not allowed here");
			return -1;
		}
		ty->id[ty->n] = d->id;
		ty->len[ty->n++] = d->len;
	}
	if (!ty->n) {
		nsh_err_set(err, *p, 0, "a datatype is missing");
		return -1;
	}
	return 0;
}

/* "typeof ip saddr . tcp dport": each key's datatype, by natsh's key table. */
static int parse_typeof(const char *t, size_t off, size_t end, struct nsh_nset *s, bool map,
			struct nsh_err *err)
{
	struct nsh_nset_type *ty = &s->key;
	size_t i = off;
	char buf[64];

	memset(&s->key, 0, sizeof(s->key));
	memset(&s->data, 0, sizeof(s->data));
	while (i < end) {
		size_t j = i, ke;
		const struct nsh_key_def *kd;
		const struct nsh_dtype *d = NULL;
		size_t n;

		while (j < end && t[j] != '.' && t[j] != ':')
			j++;
		ke = j;
		while (ke > i && isspace((unsigned char)t[ke - 1]))
			ke--;
		while (i < ke && isspace((unsigned char)t[i]))
			i++;
		n = ke - i < sizeof(buf) - 1 ? ke - i : sizeof(buf) - 1;
		memcpy(buf, t + i, n);
		buf[n] = 0;
		kd = nsh_key_lookup(buf);
		for (n = 0; kd && n < 256 && !d; n++) {
			const struct nsh_dtype *c = nsh_dtype_find((uint8_t)n);

			if (c && c->type == kd->type && c->id != NSH_DT_VERDICT)
				d = c;
		}
		if (!d || ty->n == NSH_NSET_FIELDS) {
			nsh_err_set(err, i, ke - i, "typeof %s: a key natsh cannot declare a set of",
				    buf);
			return -1;
		}
		ty->id[ty->n] = d->id;
		ty->len[ty->n++] = d->len;
		if (j < end && t[j] == ':') {
			if (!map || ty == &s->data) {
				nsh_err_set(err, j, 1, "\":\" is for maps only");
				return -1;
			}
			ty = &s->data;
		}
		i = j + 1;
	}
	return 0;
}

/* "constant,interval,timeout,dynamic" */
static int parse_flags(const char *t, const struct tok *k, uint32_t *flags, struct nsh_err *err)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} names[] = { { "constant", NFT_SET_CONSTANT }, { "interval", NFT_SET_INTERVAL },
		      { "timeout", NFT_SET_TIMEOUT }, { "dynamic", NFT_SET_EVAL } };
	size_t i = k->s;

	while (i < k->e) {
		size_t j = i, n;

		while (j < k->e && t[j] != ',')
			j++;
		for (n = 0; n < NSH_ARRAY_SIZE(names); n++)
			if (j - i == strlen(names[n].name) && !strncmp(t + i, names[n].name, j - i))
				break;
		if (n == NSH_ARRAY_SIZE(names)) {
			nsh_err_set(err, i, j - i, "unknown set flag (constant, interval, timeout, "
				    "dynamic)");
			return -1;
		}
		*flags |= names[n].bit;
		i = j + 1;
	}
	return 0;
}

/* v + 1.. : every bit after a byte prefix of n bytes set (an "eth*" interval's end). */
static void fill_ff(uint8_t *v, size_t from, size_t n)
{
	if (from < n)
		memset(v + from, 0xff, n - from);
}

/* One field of a key: value, prefix, range, "eth*"; lo/hi get the kernel's bytes. */
static int parse_field(const struct nsh_dtype *d, const char *t, size_t s, size_t e, bool interval,
		       uint8_t *lo, uint8_t *hi, struct nsh_err *err)
{
	char buf[128], *sep;
	struct nsh_val a, z;
	size_t n = e - s < sizeof(buf) - 1 ? e - s : sizeof(buf) - 1;

	memcpy(buf, t + s, n);
	buf[n] = 0;
	if (d->type == NSH_T_IFNAME) {
		bool wc;

		if (n < 2 || buf[0] != '"' || buf[n - 1] != '"')
			goto bad;
		buf[n - 1] = 0;
		if (nsh_ifname_parse(buf + 1, &a, &wc) < 0 || (wc && !interval))
			goto bad;
		memcpy(lo, a.data, 16);
		memcpy(hi, a.data, 16);
		if (wc)
			fill_ff(hi, a.len, 16);
		return 0;
	}
	if (nsh_val_parse(d->type, buf, &a) == 0) {
		memcpy(lo, a.data, d->len);
		memcpy(hi, a.data, d->len);
		return 0;
	}
	if (!interval)
		goto bad;
	if ((d->type == NSH_T_IPV4 || d->type == NSH_T_IPV6) && (sep = strchr(buf, '/'))) {
		uint32_t plen;

		*sep = 0;
		if (nsh_val_parse(d->type, buf, &a) < 0 || nsh_u32_parse(sep + 1, &plen) < 0 ||
		    plen > d->len * 8u || nsh_val_prefix_mask(&a, plen) < 0)
			goto bad;
		z = a;
		nsh_val_prefix_last(&z, plen);
		memcpy(lo, a.data, d->len);
		memcpy(hi, z.data, d->len);
		return 0;
	}
	sep = strchr(buf, '-');
	if (!sep)
		goto bad;
	*sep = 0;
	if (nsh_val_parse(d->type, buf, &a) < 0 || nsh_val_parse(d->type, sep + 1, &z) < 0 ||
	    memcmp(a.data, z.data, d->len) > 0)
		goto bad;
	memcpy(lo, a.data, d->len);
	memcpy(hi, z.data, d->len);
	return 0;
bad:
	nsh_err_set(err, s, e - s, "not a %s%s", d->name,
		    interval ? " (nor a prefix or range of one)" : "");
	return -1;
}

/* KEY . KEY or DATA fields from token k on; *p after the last field. */
static int parse_value(const struct nsh_nset_type *ty, bool interval, const char *t, size_t *p,
		       size_t end, uint8_t *lo, uint8_t *hi, struct nsh_err *err)
{
	size_t i, off = 0;
	struct tok k;

	for (i = 0; i < ty->n; i++) {
		const struct nsh_dtype *d = nsh_dtype_find(ty->id[i]);

		if (i && (!next_tok(t, p, end, &k) || !tok_is(t, &k, "."))) {
			nsh_err_set(err, *p, 0, "\" . \" and a %s expected", d->name);
			return -1;
		}
		if (!next_tok(t, p, end, &k)) {
			nsh_err_set(err, *p, 0, "a %s expected", d->name);
			return -1;
		}
		if (parse_field(d, t, k.s, k.e, interval, lo + off, hi + off, err) < 0)
			return -1;
		off += (ty->len[i] + 3u) & ~3u;
	}
	return 0;
}

static int parse_verdict(struct nsh_nset_elem *e, const char *t, size_t *p, size_t end,
			 struct nsh_err *err)
{
	static const struct {
		const char *name;
		int32_t code;
	} v[] = { { "accept", NF_ACCEPT }, { "drop", NF_DROP }, { "return", NFT_RETURN },
		  { "continue", NFT_CONTINUE }, { "jump", NFT_JUMP }, { "goto", NFT_GOTO } };
	struct tok k, c;
	char buf[256];
	size_t i;

	if (!next_tok(t, p, end, &k))
		goto bad;
	for (i = 0; i < NSH_ARRAY_SIZE(v); i++)
		if (tok_is(t, &k, v[i].name))
			break;
	if (i == NSH_ARRAY_SIZE(v))
		goto bad;
	e->verdict = v[i].code;
	if (v[i].code == NFT_JUMP || v[i].code == NFT_GOTO) {
		if (!next_tok(t, p, end, &c)) {
			nsh_err_set(err, k.s, k.e - k.s, "%s needs a chain", v[i].name);
			return -1;
		}
		e->chain = nsh_xstrdup(tok_str(t, &c, buf, sizeof(buf)));
	}
	return 0;
bad:
	nsh_err_set(err, *p, 0, "a verdict expected (accept, drop, return, continue, jump C, "
		    "goto C)");
	return -1;
}

/* One element in text[s, e): KEY [: DATA] [timeout T] [expires T] [counter ...] [comment "c"]. */
static int parse_elem(struct nsh_nset *set, bool map, const char *t, size_t s, size_t e,
		      struct nsh_err *err)
{
	bool interval = set->flags & NFT_SET_INTERVAL;
	struct nsh_nset_elem *el;
	size_t p = s;
	struct tok k;
	char buf[512];

	set->elems = nsh_xrealloc(set->elems, (set->nelems + 1) * sizeof(*set->elems));
	el = &set->elems[set->nelems++];
	memset(el, 0, sizeof(*el));
	if (parse_value(&set->key, interval, t, &p, e, el->key, el->key_end, err) < 0)
		return -1;
	if (map) {
		uint8_t dummy[NSH_NSET_KEYMAX];

		if (!next_tok(t, &p, e, &k) || !tok_is(t, &k, ":")) {
			nsh_err_set(err, p, 0, "\" : \" and the data expected (this is a map)");
			return -1;
		}
		if (set->data.id[0] == NSH_DT_VERDICT) {
			if (parse_verdict(el, t, &p, e, err) < 0)
				return -1;
		} else if (parse_value(&set->data, false, t, &p, e, el->data, dummy, err) < 0) {
			return -1;
		}
	}
	while (next_tok(t, &p, e, &k)) {
		struct tok v;

		if (tok_is(t, &k, "counter")) {
			size_t q = p;

			/* "counter packets N bytes M": values are not kept */
			if (next_tok(t, &q, e, &v) && tok_is(t, &v, "packets") &&
			    next_tok(t, &q, e, &v) && next_tok(t, &q, e, &v) &&
			    tok_is(t, &v, "bytes") && next_tok(t, &q, e, &v))
				p = q;
			continue;
		}
		if (!next_tok(t, &p, e, &v))
			goto bad;
		if (tok_is(t, &k, "timeout") || tok_is(t, &k, "expires")) {
			uint64_t ms;

			if (nsh_time_parse(tok_str(t, &v, buf, sizeof(buf)), &ms) < 0) {
				nsh_err_set(err, v.s, v.e - v.s, "not a time (e.g. 1h30m, 10s)");
				return -1;
			}
			if (tok_is(t, &k, "timeout"))
				el->timeout = ms;
			continue;
		}
		if (tok_is(t, &k, "comment") && v.e - v.s >= 2 && t[v.s] == '"' &&
		    t[v.e - 1] == '"') {
			free(el->comment);
			el->comment = nsh_xstrndup(t + v.s + 1, v.e - v.s - 2);
			continue;
		}
bad:
		nsh_err_set(err, k.s, k.e - k.s, "unexpected \"%s\" in an element (timeout, "
			    "comment, counter may follow its value)", tok_str(t, &k, buf, sizeof(buf)));
		return -1;
	}
	if (el->timeout && !(set->flags & NFT_SET_TIMEOUT)) {
		nsh_err_set(err, s, e - s, "an element timeout needs \"flags timeout\"");
		return -1;
	}
	return 0;
}

/* "elements = { a, b, ... }" from off (after "elements"). */
static int parse_elements(struct nsh_nset *s, bool map, const char *t, size_t off, size_t end,
			  struct nsh_err *err)
{
	size_t i = off, st;
	bool quoted = false;

	while (i < end && isspace((unsigned char)t[i]))
		i++;
	if (i >= end || t[i] != '=')
		goto bad;
	i++;
	while (i < end && isspace((unsigned char)t[i]))
		i++;
	if (i >= end || t[i] != '{')
		goto bad;
	if (!s->key.n) {
		nsh_err_set(err, off, 0, "\"type\" must come before the elements");
		return -1;
	}
	st = ++i;
	for (; i < end; i++) {
		if (t[i] == '"')
			quoted = !quoted;
		if (quoted || (t[i] != ',' && t[i] != '}'))
			continue;
		if (parse_elem(s, map, t, st, i, err) < 0)
			return -1;
		if (t[i] == '}') {
			for (i++; i < end && isspace((unsigned char)t[i]); i++)
				;
			if (i < end) {
				nsh_err_set(err, i, end - i, "unexpected text after the elements");
				return -1;
			}
			return 0;
		}
		st = i + 1;
	}
	nsh_err_set(err, off, end - off, "the elements' \"}\" is missing");
	return -1;
bad:
	nsh_err_set(err, off, end - off, "expected \"elements = { ... }\"");
	return -1;
}

/* See nset_parse.h. */
int nsh_nset_parse_line(struct nsh_nset *s, bool map, const char *t, size_t off, size_t end,
			struct nsh_err *err)
{
	size_t p = off;
	struct tok k, v, x;
	char buf[256];
	bool colon;

	if (!next_tok(t, &p, end, &k))
		return 0;
	if (tok_is(t, &k, "elements"))
		return parse_elements(s, map, t, p, end, err);
	if (tok_is(t, &k, "type")) {
		if (parse_type(t, &p, end, false, &s->key, &colon, err) < 0)
			return -1;
		if (colon != map) {
			nsh_err_set(err, off, end - off, map ? "a map's type is \"KEY : DATA\"" :
				    "a set's type has no \" : DATA\" (that is a map)");
			return -1;
		}
		return map ? parse_type(t, &p, end, true, &s->data, &colon, err) : 0;
	}
	if (tok_is(t, &k, "typeof"))
		return parse_typeof(t, p, end, s, map, err);
	if (tok_is(t, &k, "counter") && !next_tok(t, &p, end, &v)) {
		s->counter = true;
		return 0;
	}
	if (tok_is(t, &k, "auto-merge") && !next_tok(t, &p, end, &v)) {
		s->automerge = true;
		return 0;
	}
	if (!next_tok(t, &p, end, &v) || next_tok(t, &p, end, &x)) {
		nsh_err_set(err, off, end - off, "expected one of: type, typeof, policy, size, "
			    "flags, counter, auto-merge, timeout, gc-interval, comment, elements");
		return -1;
	}
	tok_str(t, &v, buf, sizeof(buf));
	if (tok_is(t, &k, "policy") && (!strcmp(buf, "memory") || !strcmp(buf, "performance"))) {
		s->policy = !strcmp(buf, "memory") ? NFT_SET_POL_MEMORY : NFT_SET_POL_PERFORMANCE;
		return 0;
	}
	if (tok_is(t, &k, "size") && nsh_u32_parse(buf, &s->size) == 0 && s->size)
		return 0;
	if (tok_is(t, &k, "flags"))
		return parse_flags(t, &v, &s->flags, err);
	if (tok_is(t, &k, "timeout") || tok_is(t, &k, "gc-interval")) {
		uint64_t ms;

		if (nsh_time_parse(buf, &ms) < 0 || (tok_is(t, &k, "gc-interval") && ms > UINT32_MAX)) {
			nsh_err_set(err, v.s, v.e - v.s, "not a time (e.g. 1h30m, 10s)");
			return -1;
		}
		if (tok_is(t, &k, "timeout"))
			s->timeout = ms;
		else
			s->gc_interval = (uint32_t)ms;
		return 0;
	}
	if (tok_is(t, &k, "comment") && v.e - v.s >= 2 && t[v.s] == '"' && t[v.e - 1] == '"') {
		free(s->comment);
		s->comment = nsh_xstrndup(t + v.s + 1, v.e - v.s - 2);
		return 0;
	}
	nsh_err_set(err, off, end - off, "not a set declaration line nft writes");
	return -1;
}

/* See nset_parse.h. */
int nsh_nset_parse_done(struct nsh_nset *s, bool map, size_t off, struct nsh_err *err)
{
	if (!s->key.n) {
		nsh_err_set(err, off, 1, "%s %s has no \"type\"", map ? "map" : "set", s->name);
		return -1;
	}
	if (map)
		s->flags |= NFT_SET_MAP;
	/* as nft: a concatenation with intervals is flagged so (the kernel wants key ends) */
	if (s->key.n > 1 && (s->flags & NFT_SET_INTERVAL))
		s->flags |= NFT_SET_CONCAT;
	s->known = true;
	s->key_wire = nsh_nset_type_wire(&s->key);
	s->data_wire = map ? nsh_nset_type_wire(&s->data) : 0;
	return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * nft's text of the rules natsh does not understand (see nftlib.h).  natsh
 * never guesses at such a rule: it asks libnftables, in this process and
 * namespace, for `list table FAMILY NAME` with handles, reads the listing
 * strictly, and takes a rule's line only when the generation did not move
 * since natsh's own dump (checked on natsh's socket before and after).
 *
 * libnftables is opened with dlopen() the first time a table holds such a
 * rule: linked at build time, it and the five libraries it pulls in
 * (libnftnl, libxtables, libgmp, libjansson, libmnl) cost every run of
 * natsh about 2 ms of loading (a `natsh show` of one rule: 4.8 ms -> 13 ms
 * on the 2-core test machine), for rules most rulesets do not hold.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <nftables/libnftables.h>

#include "lib/buf.h"
#include "lib/util.h"
#include "model/nl/nftlib.h"

/* libnftables' entry points natsh uses, typed by its own header. */
struct nftlib {
	__typeof__(nft_ctx_new) *ctx_new;
	__typeof__(nft_ctx_free) *ctx_free;
	__typeof__(nft_ctx_output_set_flags) *set_flags;
	__typeof__(nft_ctx_buffer_output) *buffer_output;
	__typeof__(nft_ctx_buffer_error) *buffer_error;
	__typeof__(nft_ctx_get_output_buffer) *output;
	__typeof__(nft_run_cmd_from_buffer) *run;
};

/*
 * Open libnftables once per process (never closed: it keeps its own
 * state); NULL when it is not installed.
 */
static const struct nftlib *nftlib_get(void)
{
	static struct nftlib lib;
	static int state;	/* 0 not tried, 1 loaded, -1 missing */
	void *h;

	if (state)
		return state > 0 ? &lib : NULL;
	state = -1;
	h = dlopen("libnftables.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return NULL;
	*(void **)&lib.ctx_new = dlsym(h, "nft_ctx_new");
	*(void **)&lib.ctx_free = dlsym(h, "nft_ctx_free");
	*(void **)&lib.set_flags = dlsym(h, "nft_ctx_output_set_flags");
	*(void **)&lib.buffer_output = dlsym(h, "nft_ctx_buffer_output");
	*(void **)&lib.buffer_error = dlsym(h, "nft_ctx_buffer_error");
	*(void **)&lib.output = dlsym(h, "nft_ctx_get_output_buffer");
	*(void **)&lib.run = dlsym(h, "nft_run_cmd_from_buffer");
	if (!lib.ctx_new || !lib.ctx_free || !lib.set_flags || !lib.buffer_output ||
	    !lib.buffer_error || !lib.output || !lib.run)
		return NULL;	/* not the library natsh knows: stay without it */
	state = 1;
	return &lib;
}

/* One line of the listing: [s, e), without its newline. */
struct line {
	const char *s, *e;
};

/* Does [s, e) start with p? */
static bool starts(const struct line *l, const char *p)
{
	size_t n = strlen(p);

	return (size_t)(l->e - l->s) >= n && !memcmp(l->s, p, n);
}

/*
 * Strip a trailing " # handle N" from [s, *e): the handle, 0 when there is
 * none (nft's handles start at 1).
 */
static uint64_t cut_handle(const char *s, const char **e)
{
	static const char suf[] = " # handle ";
	const char *p = *e;
	uint64_t h = 0, mul = 1;

	while (p > s && p[-1] >= '0' && p[-1] <= '9' && *e - p < 19)
		p--;
	if (p == *e || (size_t)(p - s) < sizeof(suf) - 1 ||
	    memcmp(p - (sizeof(suf) - 1), suf, sizeof(suf) - 1))
		return 0;
	for (const char *q = *e; q > p; q--, mul *= 10)
		h += (uint64_t)(q[-1] - '0') * mul;
	*e = p - (sizeof(suf) - 1);
	return h;
}

/* An even number of '"': nft writes strings without escapes, a '"' inside one shows as odd. */
static bool quotes_balanced(const char *s, const char *e)
{
	size_t n = 0;

	for (; s < e; s++)
		n += *s == '"';
	return n % 2 == 0;
}

/* The first line of the listing: "table FAMILY TABLE { # handle N". */
static bool table_line(const struct line *l, const char *family, const char *table)
{
	const char *e = l->e;
	size_t fl = strlen(family), tl = strlen(table);
	const char *s = l->s;

	cut_handle(s, &e);
	return (size_t)(e - s) == 6 + fl + 1 + tl + 2 && !memcmp(s, "table ", 6) &&
	       !memcmp(s + 6, family, fl) && s[6 + fl] == ' ' && !memcmp(s + 7 + fl, table, tl) &&
	       !memcmp(s + 7 + fl + tl, " {", 2);
}

static int line_cmp(const void *a, const void *b)
{
	const struct nsh_nft_line *x = a, *y = b;

	return x->handle < y->handle ? -1 : x->handle > y->handle;
}

/* Append a rule line. */
static void push(struct nsh_nft_listing *out, const struct nsh_nft_line *l)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 64;
		out->v = nsh_xrealloc(out->v, out->cap * sizeof(*out->v));
	}
	out->v[out->n++] = *l;
}

enum { TOP, TABLE, CHAIN, OBJ, END };

/* One line at depth 2 of a chain block: a rule, a header line, or a reason to stop. */
static int chain_line(const struct line *l, const char *chain, size_t chain_len,
		      struct nsh_nft_listing *out)
{
	struct nsh_nft_line r = { .chain = chain, .chain_len = chain_len };
	const char *s = l->s + 2, *e = l->e;

	if (s == e || *s == '\t' || *s == ' ')
		return -1;
	r.handle = cut_handle(s, &e);
	if (r.handle) {
		if (e == s || !quotes_balanced(s, e))
			return -1;
		r.text = s;
		r.text_len = (size_t)(e - s);
		push(out, &r);
		return 0;
	}
	/* the chain's own lines: its hook, its comment, its devices */
	if (starts(l, "\t\ttype ") || starts(l, "\t\tcomment \"") || starts(l, "\t\tdevices "))
		return 0;
	return -1;
}

/* See nftlib.h. */
int nsh_nft_listing_parse(const char *text, const char *family, const char *table,
			  struct nsh_nft_listing *out)
{
	const char *p = text, *chain = NULL;
	size_t chain_len = 0, i;
	int state = TOP;

	memset(out, 0, sizeof(*out));
	while (*p) {
		const char *nl = strchr(p, '\n');
		struct line l = { p, nl ? nl : p + strlen(p) };
		const char *e = l.e;

		p = nl ? nl + 1 : l.e;
		switch (state) {
		case TOP:
			if (!table_line(&l, family, table))
				goto bad;
			state = TABLE;
			break;
		case TABLE:
			if (l.s == l.e)
				break;
			if (l.e - l.s == 1 && *l.s == '}') {
				state = END;
				break;
			}
			if (l.s[0] != '\t' || l.e - l.s < 2 || l.s[1] == '\t' || l.s[1] == ' ')
				goto bad;
			cut_handle(l.s, &e);
			if (e - l.s < 2 || memcmp(e - 2, " {", 2)) {
				if (memchr(l.s, '{', (size_t)(l.e - l.s)))
					goto bad;
				break;		/* the table's flags or comment */
			}
			if (starts(&l, "\tchain ") && e - 2 > l.s + 7) {
				chain = l.s + 7;
				chain_len = (size_t)(e - 2 - chain);
				state = CHAIN;
			} else {
				state = OBJ;	/* a set, map, flowtable, stateful object */
			}
			break;
		case CHAIN:
			if (l.e - l.s == 2 && !memcmp(l.s, "\t}", 2)) {
				state = TABLE;
				break;
			}
			if (!starts(&l, "\t\t") || chain_line(&l, chain, chain_len, out) < 0)
				goto bad;
			break;
		case OBJ:
			if (l.e - l.s == 2 && !memcmp(l.s, "\t}", 2))
				state = TABLE;
			else if (!starts(&l, "\t\t"))
				goto bad;
			break;
		case END:
			if (l.s != l.e)
				goto bad;
			break;
		}
	}
	if (state != END)
		goto bad;
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), line_cmp);
	for (i = 1; i < out->n; i++)
		if (out->v[i].handle == out->v[i - 1].handle)
			goto bad;
	return 0;
bad:
	nsh_nft_listing_clear(out);
	errno = EINVAL;
	return -1;
}

/* See nftlib.h. */
void nsh_nft_listing_clear(struct nsh_nft_listing *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* See nftlib.h: a binary search. */
const struct nsh_nft_line *nsh_nft_listing_find(const struct nsh_nft_listing *l,
						uint64_t handle)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].handle == handle)
			return &l->v[mid];
		if (l->v[mid].handle < handle)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* See nftlib.h. */
bool nsh_nft_line_fits(const struct nsh_nft_line *l, const char *chain,
		       const struct nsh_rule *r)
{
	size_t cl, n;
	const char *at;

	if (strlen(chain) != l->chain_len || memcmp(chain, l->chain, l->chain_len))
		return false;
	if (!r->comment)
		return true;
	cl = strlen(r->comment);
	n = cl + sizeof("comment \"\"") - 1;
	if (l->text_len < n)
		return false;
	at = l->text + l->text_len - n;
	return (at == l->text || at[-1] == ' ') && !memcmp(at, "comment \"", 9) &&
	       !memcmp(at + 9, r->comment, cl) && at[9 + cl] == '"';
}

/* Does the table hold a rule natsh does not understand? */
static bool table_has_opaque(const struct nsh_table *t)
{
	size_t i, j;

	for (i = 0; i < t->nchains; i++)
		for (j = 0; j < t->chains[i].nrules; j++)
			if (t->chains[i].rules[j].opaque)
				return true;
	return false;
}

/* Each opaque rule of t takes its line from the listing, when it fits. */
static void attach_table(struct nsh_table *t, const struct nsh_nft_listing *l)
{
	size_t i, j;

	for (i = 0; i < t->nchains; i++) {
		struct nsh_chain *c = &t->chains[i];

		for (j = 0; j < c->nrules; j++) {
			struct nsh_rule *r = &c->rules[j];
			const struct nsh_nft_line *x;

			if (!r->opaque || r->nft_text)
				continue;
			x = nsh_nft_listing_find(l, r->handle);
			if (x && nsh_nft_line_fits(x, c->name, r))
				r->nft_text = nsh_xstrndup(x->text, x->text_len);
		}
	}
}

/*
 * A table name nft 1.0.6's parser reads as a bare word (it takes no quoted
 * table name); any other stays without nft's text.
 */
static bool name_bare(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.' || *s == '/'))
			return false;
	return true;
}

/*
 * One table's listing between two generation checks: 1 when the
 * generation is no longer rs's, 0 otherwise (texts attached where they fit).
 */
static int list_table(const struct nftlib *lib, struct nft_ctx *nft, struct nsh_sock *sock,
		      uint32_t genid, struct nsh_table *t)
{
	const char *fam = nsh_family_name(t->family);
	struct nsh_nft_listing l;
	struct nsh_buf cmd;
	uint32_t g;
	int rc;

	if (!name_bare(t->name))
		return 0;
	if (nsh_sock_genid(sock, &g) < 0 || g != genid)
		return 1;
	nsh_buf_init(&cmd);
	nsh_buf_printf(&cmd, "list table %s %s", fam, t->name);
	rc = lib->run(nft, cmd.s);
	nsh_buf_free(&cmd);
	if (nsh_sock_genid(sock, &g) < 0 || g != genid)
		return 1;
	if (rc != 0)
		return 0;
	if (nsh_nft_listing_parse(lib->output(nft), fam, t->name, &l) < 0)
		return 0;
	attach_table(t, &l);
	nsh_nft_listing_clear(&l);
	return 0;
}

/* See nftlib.h. */
int nsh_nftlib_attach(struct nsh_sock *sock, struct nsh_ruleset *rs)
{
	const struct nftlib *lib = NULL;
	struct nft_ctx *nft = NULL;
	size_t i;
	int ret = 0;

	for (i = 0; i < rs->ntables && ret == 0; i++) {
		if (!table_has_opaque(&rs->tables[i]))
			continue;
		if (!nft) {
			lib = nftlib_get();
			nft = lib ? lib->ctx_new(NFT_CTX_DEFAULT) : NULL;
			if (!nft)
				return 0;
			/* nft's defaults (counters, names, no numeric forms), with handles */
			lib->set_flags(nft, NFT_CTX_OUTPUT_HANDLE);
			if (lib->buffer_output(nft) < 0 || lib->buffer_error(nft) < 0)
				break;
		}
		ret = list_table(lib, nft, sock, rs->genid, &rs->tables[i]);
	}
	if (nft)
		lib->ctx_free(nft);
	return ret;
}

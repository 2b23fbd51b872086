/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Text -> model for natsh's rule language.  One recursive-descent walk over
 * the grammar tables of rule_gram.c serves both parsing and completion:
 * when completing, the walk stops where the typed words end and offers what
 * the grammar would accept there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>

#include "model/syntax/rule_parse.h"
#include "model/syntax/rule_parse_int.h"
#include "model/syntax/rule_gram.h"
#include "model/values.h"
#include "lib/distance.h"
#include "lib/distance.h"
#include "lib/util.h"

#define MAX_TOKS (1 << 20)	/* a sanity bound: 500,000-element sets */

/* nft's rules for the words of a rule: '{', '}' and ',' are words of their own. */
static const struct nsh_lex_rules rule_words = {
	.shell = false, .punct = "{},", .max = MAX_TOKS, .what = "rule",
};

/* Split line[start, end) into p's words. */
int nsh_rp_tokenize(struct nsh_rp *p, const char *line, size_t start, size_t end,
		    bool partial_ok)
{
	struct nsh_words w;
	int rc = nsh_lex_words(line, start, end, &rule_words, partial_ok, &w, p->err);

	p->toks = w.v;
	p->ntoks = w.n;
	return rc;
}

void nsh_rp_free(struct nsh_rp *p)
{
	size_t i;

	for (i = 0; i < p->ntoks; i++)
		free(p->toks[i].s);
	free(p->toks);
	p->toks = NULL;
	p->ntoks = 0;
}

/* The next word, or NULL at the end of the rule. */
const struct nsh_word *nsh_rp_peek(struct nsh_rp *p)
{
	return p->pos < p->ntoks ? &p->toks[p->pos] : NULL;
}

/* Offer a completion candidate when it extends the word being typed. */
void nsh_rp_offer(struct nsh_rp *p, const char *word, const char *help)
{
	if (!p->completing || !p->fn)
		return;
	if (strncmp(word, p->partial, strlen(p->partial)) != 0)
		return;
	p->fn(p->arg, word, help);
}

void nsh_rp_offer_tab(struct nsh_rp *p, const struct nsh_rg_word *tab)
{
	for (; tab->word; tab++)
		nsh_rp_offer(p, tab->word, tab->help);
}

static void offer_key_cb(void *arg, const char *word, const char *help)
{
	nsh_rp_offer(arg, word, help);
}

/* Error at the end of the rule: something was expected after the last word. */
int nsh_rp_err_end(struct nsh_rp *p, const char *what)
{
	size_t off = p->end;

	if (p->ntoks)
		off = p->toks[p->ntoks - 1].off + p->toks[p->ntoks - 1].len;
	if (p->ntoks)
		nsh_err_set(p->err, off, 0, "expected %s after \"%s\"", what,
			    p->toks[p->ntoks - 1].s);
	else
		nsh_err_set(p->err, off, 0, "expected %s", what);
	return -1;
}

int nsh_rp_err_tok(struct nsh_rp *p, const struct nsh_word *t, const char *what)
{
	nsh_err_set(p->err, t->off, t->len, "expected %s, got \"%s\"", what, t->s);
	return -1;
}

/* "unknown keyword" with the nearest word of the tables as a suggestion. */
int nsh_rp_err_unknown(struct nsh_rp *p, const struct nsh_word *t, const char *what,
		       const char *const *cands, size_t n)
{
	const char *near = nsh_nearest_word(t->s, cands, n);

	if (near)
		nsh_err_set(p->err, t->off, t->len,
			    "unknown keyword \"%s\"; did you mean \"%s\"?", t->s, near);
	else
		nsh_err_set(p->err, t->off, t->len, "expected %s, got \"%s\"", what, t->s);
	return -1;
}

static size_t tab_words(const struct nsh_rg_word *tab, const char **out, size_t n, size_t max)
{
	for (; tab->word && n < max; tab++)
		out[n++] = tab->word;
	return n;
}

/*
 * Take one keyword of tab.  At the end: offer tab when completing (-2),
 * else an error naming what was expected.
 */
int nsh_rp_word(struct nsh_rp *p, const struct nsh_rg_word *tab, const char *what,
		const struct nsh_rg_word **out)
{
	const struct nsh_word *t = nsh_rp_peek(p);
	const char *cands[32];
	size_t n;

	if (!t) {
		if (p->completing) {
			nsh_rp_offer_tab(p, tab);
			return -2;
		}
		return nsh_rp_err_end(p, what);
	}
	*out = t->quoted ? NULL : nsh_rg_find(tab, t->s);
	if (*out) {
		p->pos++;
		return 0;
	}
	n = tab_words(tab, cands, 0, NSH_ARRAY_SIZE(cands));
	return nsh_rp_err_unknown(p, t, what, cands, n);
}

/* Append a statement to the rule; returns it zeroed, with its source span. */
struct nsh_stmt *nsh_rp_stmt_add(struct nsh_rp *p, enum nsh_stmt_kind kind, size_t tok0)
{
	struct nsh_rule *r = p->r;
	struct nsh_stmt *s;
	const struct nsh_word *a = &p->toks[tok0];

	r->stmts = nsh_xrealloc(r->stmts, (r->nstmts + 1) * sizeof(*r->stmts));
	s = &r->stmts[r->nstmts++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->src_off = a->off - p->start;
	s->src_len = a->len;
	return s;
}

/* Extend the source span of the last statement to the last word taken. */
void nsh_rp_stmt_end(struct nsh_rp *p)
{
	struct nsh_stmt *s = &p->r->stmts[p->r->nstmts - 1];
	const struct nsh_word *b = &p->toks[p->pos ? p->pos - 1 : 0];

	if (b->off + b->len > p->start + s->src_off)
		s->src_len = b->off + b->len - p->start - s->src_off;
}

/* dst = a + " " + b; the caller checked that it fits. */
static void join_words(char *dst, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	memcpy(dst, a, la);
	dst[la] = ' ';
	memcpy(dst + la + 1, b, lb + 1);
}

/*
 * Read a match key by its words ("tcp dport", "fib daddr type"); *key is
 * the nsh_keys row.  tok0 is the first word (already known to be a key word).
 */
int nsh_rp_key(struct nsh_rp *p, const struct nsh_key_def **key)
{
	char prefix[64];
	const struct nsh_word *t = nsh_rp_peek(p);

	snprintf(prefix, sizeof(prefix), "%s", t->s);
	p->pos++;
	for (;;) {
		const struct nsh_key_def *k = nsh_key_lookup(prefix);
		char next[64];
		struct nsh_rg_cands c = { .n = 0 };

		if (k) {
			*key = k;
			return 0;
		}
		t = nsh_rp_peek(p);
		if (!t) {
			if (p->completing) {
				nsh_rg_key_next(prefix, offer_key_cb, p);
				return -2;
			}
			nsh_rg_key_next(prefix, nsh_rg_cands_add, &c);
			return nsh_rp_err_end(p, nsh_rg_cands_join(&c, prefix, next, sizeof(next)));
		}
		nsh_rg_key_next(prefix, nsh_rg_cands_add, &c);
		if (strlen(prefix) + strlen(t->s) + 2 > sizeof(next))
			next[0] = 0;
		else
			join_words(next, prefix, t->s);
		if (t->quoted || (!nsh_key_lookup(next) && nsh_rg_key_next(next, NULL, NULL) == 0)) {
			char what[96];

			nsh_rg_cands_join(&c, prefix, what, sizeof(what));
			return nsh_rp_err_unknown(p, t, what, c.words, c.n);
		}
		p->pos++;
		memcpy(prefix, next, sizeof(prefix));
	}
}

/* One match or statement, chosen by its first word (grammar tables). */
static int parse_one(struct nsh_rp *p)
{
	const struct nsh_word *t = nsh_rp_peek(p);
	const char *cands[40];
	const struct nsh_setf *f;
	size_t n;

	if ((f = nsh_rp_setf_ahead(p)))
		return nsh_rp_set_stmt(p, f);
	if (!t->quoted && nsh_rg_find(nsh_rg_key_words, t->s))
		return nsh_rp_match(p);
	if (!t->quoted && nsh_rg_find(nsh_rg_stmts, t->s))
		return nsh_rp_stmt(p);
	n = tab_words(nsh_rg_key_words, cands, 0, NSH_ARRAY_SIZE(cands));
	n = tab_words(nsh_rg_stmts, cands, n, NSH_ARRAY_SIZE(cands));
	return nsh_rp_err_unknown(p, t, "a match (tcp dport, ip saddr...) or a statement (dnat, counter...)",
				  cands, n);
}

/* Add the default counter before the first statement that ends the rule. */
static void add_default_counter(struct nsh_rule *r)
{
	size_t i, at = r->nstmts;

	for (i = 0; i < r->nstmts; i++)
		if (r->stmts[i].kind == NSH_ST_COUNTER)
			return;
	for (i = 0; i < r->nstmts; i++)
		if (nsh_stmt_ends_rule(&r->stmts[i])) {
			at = i;
			break;
		}
	r->stmts = nsh_xrealloc(r->stmts, (r->nstmts + 1) * sizeof(*r->stmts));
	memmove(&r->stmts[at + 1], &r->stmts[at], (r->nstmts - at) * sizeof(*r->stmts));
	memset(&r->stmts[at], 0, sizeof(r->stmts[at]));
	r->stmts[at].kind = NSH_ST_COUNTER;
	r->nstmts++;
}

static int walk(struct nsh_rp *p)
{
	int rc;

	for (;;) {
		if (p->pos == p->ntoks) {
			if (!p->completing)
				return 0;
			nsh_rp_offer_tab(p, nsh_rg_key_words);
			nsh_rp_offer_tab(p, nsh_rg_stmts);
			return -2;
		}
		if (p->comment_at) {
			const struct nsh_word *t = nsh_rp_peek(p);

			nsh_err_set(p->err, t->off, t->len,
				    "comment must come last in a rule, got \"%s\" after it", t->s);
			return -1;
		}
		rc = parse_one(p);
		if (rc)
			return rc;
	}
}

int nsh_rule_parse(const char *line, size_t start, size_t end, int family,
		   struct nsh_rule *r, struct nsh_err *err)
{
	struct nsh_rp p = {
		.line = line, .start = start, .end = end, .family = family,
		.r = r, .err = err, .l4proto = -1, .l4proto_alt = -1,
	};
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	if (family != NSH_FAM_IP && family != NSH_FAM_IP6 && family != NSH_FAM_INET) {
		nsh_err_set(err, start, 0, "rules live in ip, ip6 or inet tables");
		return -1;
	}
	if (nsh_rp_tokenize(&p, line, start, end, false) < 0)
		goto err;
	if (p.ntoks == 0) {
		nsh_err_set(err, start, end - start, "empty rule: expected a match or a statement");
		goto err;
	}
	rc = walk(&p);
	if (rc)
		goto err;
	if (!p.nocounter)
		add_default_counter(r);
	else if (r->nstmts == 0) {
		nsh_err_set(err, start, end - start, "empty rule: nocounter alone does nothing");
		goto err;
	}
	for (i = 0; i < r->nstmts; i++)
		if (r->stmts[i].kind == NSH_ST_COUNTER)
			r->has_counter = true;
	nsh_rp_free(&p);
	return 0;
err:
	if (err && !err->set)
		nsh_err_set(err, start, end - start, "invalid rule");
	nsh_rp_free(&p);
	nsh_rule_clear(r);
	return -1;
}

void nsh_rule_complete(const char *line, size_t start, size_t cursor, int family,
		       nsh_complete_fn fn, void *arg)
{
	struct nsh_err err = { 0 };
	struct nsh_rule r = { 0 };
	struct nsh_rp p = {
		.line = line, .start = start, .end = cursor, .family = family,
		.r = &r, .err = &err, .l4proto = -1, .l4proto_alt = -1, .completing = true,
		.fn = fn, .arg = arg, .partial = "",
	};
	char *partial = NULL;

	if (family != NSH_FAM_IP && family != NSH_FAM_IP6)
		p.family = NSH_FAM_INET;
	if (nsh_rp_tokenize(&p, line, start, cursor, true) < 0)
		goto out;
	/* the word under the cursor is being typed: complete it, do not parse it */
	if (p.ntoks && cursor > start && !strchr(" \t{},", line[cursor - 1]) &&
	    p.toks[p.ntoks - 1].off + p.toks[p.ntoks - 1].len == cursor) {
		partial = p.toks[p.ntoks - 1].s;
		p.toks[--p.ntoks].s = NULL;
		p.partial = partial;
	} else if (p.ntoks && p.toks[p.ntoks - 1].open) {
		goto out;
	}
	walk(&p);
out:
	free(partial);
	nsh_rp_free(&p);
	nsh_rule_clear(&r);
}

/* Is a statement one that ends the evaluation of the rule? */
static bool stmt_is_terminal(const struct nsh_stmt *s)
{
	return nsh_stmt_ends_rule(s);
}

static const char *nat_word(enum nsh_nat_type t)
{
	switch (t) {
	case NSH_NAT_SNAT:	return "snat";
	case NSH_NAT_DNAT:	return "dnat";
	case NSH_NAT_MASQ:	return "masquerade";
	default:		return "redirect";
	}
}

int nsh_rule_check_hook(const struct nsh_rule *r, int family, uint32_t hooknum,
			size_t off, struct nsh_err *err)
{
	const struct nsh_stmt *term = NULL;
	bool any_hook = hooknum == NSH_HOOK_ANY;
	size_t i;

	for (i = 0; i < r->nstmts; i++) {
		const struct nsh_stmt *s = &r->stmts[i];
		size_t o = off + s->src_off, l = s->src_len;

		if (term && s->kind != NSH_ST_COUNTER) {
			nsh_err_set(err, o, l, "nothing can follow \"%s\": it ends the rule",
				    term->kind == NSH_ST_NAT ? nat_word(term->nat.type) :
				    term->kind == NSH_ST_REJECT ? "reject" : "the verdict");
			return -1;
		}
		if (term && s->kind == NSH_ST_COUNTER && s->src_len) {
			nsh_err_set(err, o, l, "a counter after \"%s\" never counts: put it before",
				    term->kind == NSH_ST_NAT ? nat_word(term->nat.type) :
				    term->kind == NSH_ST_REJECT ? "reject" : "the verdict");
			return -1;
		}
		if (s->kind == NSH_ST_NAT && !any_hook) {
			enum nsh_nat_type t = s->nat.type;
			bool src = t == NSH_NAT_SNAT || t == NSH_NAT_MASQ;

			if (t == NSH_NAT_MASQ && hooknum != NF_INET_POST_ROUTING) {
				nsh_err_set(err, o, l, "masquerade only works in postrouting chains, not %s",
					    nsh_rp_hook_name(hooknum));
				return -1;
			}
			if (src && hooknum != NF_INET_POST_ROUTING && hooknum != NF_INET_LOCAL_IN) {
				nsh_err_set(err, o, l, "%s only works in postrouting or input chains, not %s",
					    nat_word(t), nsh_rp_hook_name(hooknum));
				return -1;
			}
			if (!src && hooknum != NF_INET_PRE_ROUTING && hooknum != NF_INET_LOCAL_OUT) {
				nsh_err_set(err, o, l, "%s only works in prerouting or output chains, not %s",
					    nat_word(t), nsh_rp_hook_name(hooknum));
				return -1;
			}
		}
		if (stmt_is_terminal(s) && !term)
			term = s;
	}
	(void)family;
	return 0;
}

/* A NAT chain's hook by name; the others are not NAT chains at all. */
const char *nsh_rp_hook_name(uint32_t hooknum)
{
	return hooknum <= NF_INET_POST_ROUTING ? nsh_hook_name(hooknum) : "a chain without a NAT hook";
}

void nsh_rg_cands_add(void *arg, const char *word, const char *help)
{
	struct nsh_rg_cands *c = arg;

	(void)help;
	if (c->n < NSH_ARRAY_SIZE(c->buf)) {
		snprintf(c->buf[c->n], sizeof(c->buf[c->n]), "%s", word);
		c->words[c->n] = c->buf[c->n];
		c->n++;
	}
}

/* "sport or dport after \"tcp\"" style text from collected candidates. */
const char *nsh_rg_cands_join(const struct nsh_rg_cands *c, const char *after, char *buf,
			      size_t len)
{
	size_t i, o = 0;

	buf[0] = 0;
	for (i = 0; i < c->n && o < len; i++)
		o += snprintf(buf + o, len - o, "%s%s", i == 0 ? "" :
			      i + 1 == c->n ? " or " : ", ", c->words[i]);
	(void)after;
	return buf;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* doctor: chained random probabilities (iptables statistic) that do not split evenly. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "model/plan/doctor_int.h"

/* The probability of a rule's random match (index in *at), or -1 when it has none. */
static double random_p(const struct nsh_rule *r, size_t *at)
{
	unsigned long long v;
	size_t i;

	for (i = 0; i < r->nstmts; i++) {
		const struct nsh_stmt *s = &r->stmts[i];

		*at = i;
		if (s->kind == NSH_ST_MATCH && s->match.key->id == NSH_K_META_RANDOM &&
		    s->match.rhs == NSH_RHS_VALUE && s->match.val.len == 4) {
			v = doc_v4(s->match.val.data);
			if (s->match.op == NSH_OP_LT)
				return (double)v / 4294967296.0;
			if (s->match.op == NSH_OP_LTE)
				return ((double)v + 1) / 4294967296.0;
		}
		/* iptables-nft's statistic match, as nft prints it */
		if (s->kind == NSH_ST_OPAQUE && s->opaque.text &&
		    sscanf(s->opaque.text, "meta random & 2147483647 < %llu", &v) == 1)
			return (double)v / 2147483648.0;
	}
	return -1;
}

/* What a rule matches besides its random match: the text of its other matches. */
static char *group_key(const struct nsh_table *t, const struct nsh_rule *r)
{
	struct nsh_rule k = *r;
	struct nsh_stmt *st = nsh_xcalloc(r->nstmts + 1, sizeof(*st));
	size_t i, n = 0, skip = SIZE_MAX;
	char *text;

	if (random_p(r, &skip) < 0)
		skip = SIZE_MAX;
	for (i = 0; i < r->nstmts; i++)
		if (i != skip && (r->stmts[i].kind == NSH_ST_MATCH || r->stmts[i].kind == NSH_ST_OPAQUE))
			st[n++] = r->stmts[i];
	k.stmts = st;
	k.nstmts = n;
	k.comment = NULL;
	k.nft_text = NULL;	/* the statements kept, not nft's text of the whole rule */
	text = doc_text_of(t, &k);
	free(st);
	return text;
}

/* The rule with its random match set to probability p (native rules only; caller frees). */
static char *with_p(const struct nsh_table *t, const struct nsh_rule *r, double p)
{
	struct nsh_rule k = *r;
	struct nsh_stmt *st = nsh_xcalloc(r->nstmts, sizeof(*st));
	unsigned long long x = (unsigned long long)(p * 4294967296.0 + 0.5);
	size_t at = 0;
	char *text;

	memcpy(st, r->stmts, r->nstmts * sizeof(*st));
	random_p(r, &at);
	st[at].match.op = NSH_OP_LT;
	st[at].match.val.data[0] = (uint8_t)(x >> 24);
	st[at].match.val.data[1] = (uint8_t)(x >> 16);
	st[at].match.val.data[2] = (uint8_t)(x >> 8);
	st[at].match.val.data[3] = (uint8_t)x;
	k.stmts = st;
	k.nft_text = NULL;
	text = doc_text_of(t, &k);
	free(st);
	return text;
}

/* Rules [first, first + n) load-balance; say so when their shares are not even. */
static void check_split(struct doc *d, const struct nsh_table *t, const struct nsh_chain *c,
			size_t first, size_t n, bool rest)
{
	struct at a = { t, c, first, &c->rules[first] };
	struct nsh_finding *x;
	double left = 1.0, p, share[NSH_DOCTOR_SHARES];
	bool uneven = false, xt = false;
	size_t i, at, flen = 0;

	for (i = 0; i < n; i++) {
		const struct nsh_rule *r = &c->rules[first + i];
		double s;

		p = (rest && i == n - 1) ? 1.0 : random_p(r, &at);
		s = left * p;
		left -= s;
		uneven |= s < 1.0 / n - 0.01 || s > 1.0 / n + 0.01;
		xt |= r->xt;
		if (i < NSH_DOCTOR_SHARES)
			share[i] = s;
	}
	if (!uneven)
		return;
	x = doc_add(d, NSH_FIND_UNEVEN_PROBABILITY, &a);
	x->nrules = n;
	x->rest = rest;
	memcpy(x->share, share, (n < NSH_DOCTOR_SHARES ? n : NSH_DOCTOR_SHARES) * sizeof(*share));
	if (xt)
		return;	/* iptables-nft rules: natsh does not rewrite them (the what says the values) */
	for (i = 0; i + (rest ? 1 : 0) < n; i++) {
		char *text = with_p(t, &c->rules[first + i], 1.0 / (double)(n - i)), cmd[400];
		struct at ai = { t, c, first + i, &c->rules[first + i] };

		doc_replace_cmd(&ai, text, cmd, sizeof(cmd));
		flen += (size_t)snprintf(x->fix + flen, flen < sizeof(x->fix) ? sizeof(x->fix) - flen : 0,
					 "%s%s", i ? "; " : "", cmd);
		free(text);
	}
}

/* Groups of consecutive rules with the same other matches and a random match each. */
void doc_check_random(struct doc *d)
{
	size_t ti, ci, i, j, at;

	for (ti = 0; ti < d->rs->ntables; ti++)
		for (ci = 0; ci < d->rs->tables[ti].nchains; ci++) {
			const struct nsh_table *t = &d->rs->tables[ti];
			const struct nsh_chain *c = &t->chains[ci];

			for (i = 0; i < c->nrules; i = j) {
				char *key;
				bool rest = false;

				j = i + 1;
				if (random_p(&c->rules[i], &at) < 0)
					continue;
				key = group_key(t, &c->rules[i]);
				for (; j < c->nrules; j++) {
					char *k2 = group_key(t, &c->rules[j]);
					bool same = !strcmp(key, k2);

					free(k2);
					if (!same)
						break;
					if (random_p(&c->rules[j], &at) < 0) {
						rest = true;
						j++;
						break;
					}
				}
				free(key);
				if (j - i >= 2)
					check_split(d, t, c, i, j - i, rest);
			}
		}
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* natsh load: a saved script, line by line, into rules of natsh's own table. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>

#include "lib/util.h"
#include "model/syntax/load.h"
#include "model/syntax/nset_parse.h"
#include "model/syntax/rule_parse.h"

/* Does [s, e) consist of exactly these words (whitespace-separated)? */
static bool words_are(const char *s, const char *e, const char *words)
{
	for (;;) {
		size_t wl = strcspn(words, " ");

		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		if (!wl)
			return s == e;
		if ((size_t)(e - s) < wl || strncmp(s, words, wl) ||
		    (s + wl < e && s[wl] != ' ' && s[wl] != '\t'))
			return false;
		s += wl;
		words += wl;
		while (*words == ' ')
			words++;
	}
}

/* The parser adds a counter when none is written; a saved rule without one stays without. */
static void drop_default_counter(struct nsh_rule *r)
{
	size_t i;

	for (i = 0; i < r->nstmts; i++) {
		if (r->stmts[i].kind != NSH_ST_COUNTER || r->stmts[i].src_len)
			continue;
		memmove(&r->stmts[i], &r->stmts[i + 1], (r->nstmts - i - 1) * sizeof(*r->stmts));
		r->nstmts--;
		r->has_counter = false;
		return;
	}
}

/* The base chain "chain NAME {" opens, NULL when it is none of natsh's. */
static const struct nsh_own_chain *chain_open(const char *s, const char *e)
{
	size_t i;

	for (i = 0; i < NSH_OWN_NCHAINS; i++) {
		char want[64];

		snprintf(want, sizeof(want), "chain %s {", nsh_own_chains[i].name);
		if (words_are(s, e, want))
			return &nsh_own_chains[i];
	}
	return NULL;
}

/* "prerouting, output, ...": natsh's chains for an error message. */
static void own_names(char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = 0;
	for (i = 0; i < NSH_OWN_NCHAINS && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", nsh_own_chains[i].name);
}

enum { TOP, TABLE, CHAIN, SET };

/* "chain NAME {", "set NAME {", "map NAME {": NAME into buf, false when the line is none. */
static bool block_open(const char *s, const char *e, const char *kw, char *buf, size_t len)
{
	size_t kl = strlen(kw), n;
	const char *ns, *ne;

	if ((size_t)(e - s) < kl + 3 || strncmp(s, kw, kl) || (s[kl] != ' ' && s[kl] != '\t') ||
	    e[-1] != '{')
		return false;
	ns = s + kl;
	ne = e - 1;
	while (ns < ne && (*ns == ' ' || *ns == '\t'))
		ns++;
	while (ne > ns && (ne[-1] == ' ' || ne[-1] == '\t'))
		ne--;
	n = (size_t)(ne - ns);
	if (!n || n >= len || memchr(ns, ' ', n) || memchr(ns, '\t', n) || memchr(ns, '"', n))
		return false;
	memcpy(buf, ns, n);
	buf[n] = 0;
	return true;
}

/* "filter", "dstnat + 10", "-150": a chain priority; -1 when it is none. */
static int prio_parse(const char *s, int32_t *prio)
{
	static const struct {
		const char *name;
		int32_t val;
	} std[] = { { "raw", -300 }, { "mangle", -150 }, { "dstnat", -100 }, { "filter", 0 },
		    { "security", 50 }, { "srcnat", 100 } };
	char *e;
	long v;
	size_t i;

	for (i = 0; i < NSH_ARRAY_SIZE(std); i++) {
		size_t n = strlen(std[i].name);

		if (strncmp(s, std[i].name, n))
			continue;
		s += n;
		*prio = std[i].val;
		if (!*s)
			return 0;
		if (s[0] != ' ' || (s[1] != '+' && s[1] != '-') || s[2] != ' ')
			return -1;
		v = strtol(s + 3, &e, 10);
		if (*e || e == s + 3 || v > 1000)
			return -1;
		*prio += s[1] == '+' ? (int32_t)v : -(int32_t)v;
		return 0;
	}
	v = strtol(s, &e, 10);
	if (*e || e == s || v < INT32_MIN || v > INT32_MAX)
		return -1;
	*prio = (int32_t)v;
	return 0;
}

/* "type filter hook forward priority filter; policy drop;" of a chain beyond natsh's own. */
static int chain_type_parse(const char *s, const char *e, struct nsh_chain *c)
{
	char buf[256], type[16], hook[16], prio[64], policy[16];
	size_t n = (size_t)(e - s);
	uint32_t h;

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	if (sscanf(buf, "type %15s hook %15s priority %63[^;]; policy %15[^;];", type, hook, prio,
		   policy) != 4 || strcmp(buf + n - 1, ";"))
		return -1;
	if (strcmp(type, "filter") && strcmp(type, "nat") && strcmp(type, "route"))
		return -1;
	for (h = 0; h <= NF_INET_POST_ROUTING; h++)
		if (!strcmp(nsh_hook_name(h), hook))
			break;
	if (h > NF_INET_POST_ROUTING || prio_parse(prio, &c->prio) < 0)
		return -1;
	if (!strcmp(policy, "accept"))
		c->policy = NF_ACCEPT;
	else if (!strcmp(policy, "drop"))
		c->policy = NF_DROP;
	else
		return -1;
	c->base = true;
	c->hooknum = h;
	free(c->type);
	c->type = nsh_xstrdup(type);
	return 0;
}

/* Where "elements = { ..." ends: after its "}" (quotes skipped), or at the text's end. */
static const char *elements_end(const char *s)
{
	bool quoted = false;
	int depth = 0;

	for (; *s; s++) {
		if (*s == '"')
			quoted = !quoted;
		if (quoted)
			continue;
		if (*s == '{')
			depth++;
		else if (*s == '}' && --depth == 0)
			return s + 1;
	}
	return s;
}

/* An error offset past its line: move lineno/line_off to the line it is in. */
static void err_reline(const char *text, unsigned *lineno, size_t *line_off, struct nsh_err *err)
{
	const char *l = text + *line_off;

	for (;;) {
		const char *nl = strchr(l, '\n');

		if (!nl || err->off <= (size_t)(nl - l))
			break;
		err->off -= (size_t)(nl - l) + 1;
		l = nl + 1;
		(*lineno)++;
	}
	*line_off = (size_t)(l - text);
}

/* See load.h: one state per nesting level; every line is accounted for. */
int nsh_load_parse(const char *text, struct nsh_load *out, unsigned *lineno, size_t *line_off,
		   struct nsh_err *err)
{
	const char *line = text;
	const struct nsh_own_chain *oc = NULL;
	struct nsh_load_chain *xc = NULL;
	struct nsh_load_set *xs = NULL;
	bool xmap = false;
	char name[256];
	int state = TOP;
	bool typed = false;
	unsigned ln = 0;

	memset(out, 0, sizeof(*out));
	while (*line) {
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);
		const char *s = line, *e = end;
		size_t off, len;

		ln++;
		*lineno = ln;
		*line_off = (size_t)(line - text);
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		off = (size_t)(s - line);
		len = (size_t)(e - s);
		if (s == e || *s == '#')
			goto next;
		if (state == TOP) {
			if (words_are(s, e, "table inet natsh") ||
			    words_are(s, e, "delete table inet natsh") ||
			    words_are(s, e, "flush table inet natsh"))
				goto next;
			if (words_are(s, e, "table inet natsh {")) {
				state = TABLE;
				goto next;
			}
			nsh_err_set(err, off, len, "expected \"table inet natsh {\": natsh load "
				    "replaces natsh's own table (inet natsh) only");
			goto err;
		}
		if (state == TABLE) {
			if (words_are(s, e, "}")) {
				state = TOP;
				goto next;
			}
			xc = NULL;
			oc = chain_open(s, e);
			if (!oc && block_open(s, e, "chain", name, sizeof(name))) {
				size_t i;

				for (i = 0; i < out->nchains; i++)
					if (!strcmp(out->chains[i].def.name, name)) {
						nsh_err_set(err, off, len, "chain %s is declared twice",
							    name);
						goto err;
					}
				out->chains = nsh_xrealloc(out->chains, (out->nchains + 1) *
							   sizeof(*out->chains));
				xc = &out->chains[out->nchains++];
				memset(xc, 0, sizeof(*xc));
				xc->def.name = nsh_xstrdup(name);
				xc->lineno = ln;
			} else if (!oc && (block_open(s, e, "set", name, sizeof(name)) ||
					   block_open(s, e, "map", name, sizeof(name)))) {
				out->sets = nsh_xrealloc(out->sets, (out->nsets + 1) *
							 sizeof(*out->sets));
				xs = &out->sets[out->nsets++];
				memset(xs, 0, sizeof(*xs));
				xs->set.name = nsh_xstrdup(name);
				xs->lineno = ln;
				xmap = s[0] == 'm';
				state = SET;
				goto next;
			} else if (!oc) {
				char names[64];

				own_names(names, sizeof(names));
				nsh_err_set(err, off, len, "expected \"chain NAME {\", \"set NAME {\" or "
					    "\"map NAME {\" (natsh's chains are %s)", names);
				goto err;
			}
			state = CHAIN;
			typed = false;
			goto next;
		}
		if (state == SET) {
			if (words_are(s, e, "}")) {
				if (nsh_nset_parse_done(&xs->set, xmap, off, err) < 0)
					goto err;
				state = TABLE;
				goto next;
			}
			if (len > 8 && !strncmp(s, "elements", 8)) {
				const char *ee = elements_end(s);

				if (nsh_nset_parse_line(&xs->set, xmap, line, off,
							(size_t)(ee - line), err) < 0) {
					err_reline(text, lineno, line_off, err);
					goto err;
				}
				/* the block went on over the lines up to ee */
				while ((nl = strchr(line, '\n')) && nl < ee) {
					line = nl + 1;
					ln++;
				}
				end = nl ? nl : line + strlen(line);
				if (strspn(ee, " \t\r") != (size_t)(end - ee)) {
					*lineno = ln;
					*line_off = (size_t)(line - text);
					nsh_err_set(err, (size_t)(ee - line), (size_t)(end - ee),
						    "unexpected text after the elements");
					goto err;
				}
				goto next;
			}
			if (nsh_nset_parse_line(&xs->set, xmap, line, off, off + len, err) < 0)
				goto err;
			goto next;
		}
		/* CHAIN */
		if (words_are(s, e, "}")) {
			state = TABLE;
			goto next;
		}
		if (xc && !typed && len > 5 && !strncmp(s, "type ", 5)) {
			if (chain_type_parse(s, e, &xc->def) < 0) {
				nsh_err_set(err, off, len, "expected \"type filter|nat|route hook HOOK "
					    "priority PRIO; policy accept|drop;\"");
				goto err;
			}
			typed = true;
			goto next;
		}
		if (!typed && !xc && len > 5 && !strncmp(s, "type ", 5)) {
			char want[128];

			snprintf(want, sizeof(want), "type nat hook %s priority",
				 nsh_hook_name(oc->hooknum));
			if (strncmp(s, want, strlen(want)) || !strstr(s, "policy accept;")) {
				nsh_err_set(err, off, len, "chain %s of natsh's table is \"%s ...; "
					    "policy accept;\"", oc->name, want);
				goto err;
			}
			typed = true;
			goto next;
		}
		{
			struct nsh_load_rule *r;

			out->v = nsh_xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
			r = &out->v[out->n];
			memset(r, 0, sizeof(*r));
			if (nsh_rule_parse(line, off, off + len, NSH_FAM_INET, &r->rule, err) < 0)
				goto err;
			r->hooknum = oc ? oc->hooknum : xc->def.base ? xc->def.hooknum : NSH_HOOK_ANY;
			if (nsh_rule_check_hook(&r->rule, NSH_FAM_INET, r->hooknum, off, err) < 0) {
				nsh_rule_clear(&r->rule);
				goto err;
			}
			drop_default_counter(&r->rule);
			r->chain = oc ? oc->name : xc->def.name;
			r->lineno = ln;
			r->line_off = (size_t)(line - text);
			r->off = off;
			r->len = len;
			out->n++;
		}
next:
		if (!nl)
			break;
		line = nl + 1;
	}
	if (state != TOP) {
		nsh_err_set(err, 0, 0, "the file ends inside a %s: a \"}\" is missing",
			    state == CHAIN ? "chain" : state == SET ? "set" : "table");
		goto err;
	}
	return 0;
err:
	nsh_load_clear(out);
	return -1;
}

/* NULL-safe. */
void nsh_load_clear(struct nsh_load *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		nsh_rule_clear(&l->v[i].rule);
	free(l->v);
	for (i = 0; i < l->nchains; i++) {
		free(l->chains[i].def.name);
		free(l->chains[i].def.type);
	}
	free(l->chains);
	for (i = 0; i < l->nsets; i++)
		nsh_nset_clear(&l->sets[i].set);
	free(l->sets);
	memset(l, 0, sizeof(*l));
}

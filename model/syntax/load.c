/* SPDX-License-Identifier: GPL-3.0-or-later */
/* natsh load: a saved script, line by line, into rules of natsh's own table. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "model/syntax/load.h"
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

enum { TOP, TABLE, CHAIN };

/* See load.h: one state per nesting level; every line is accounted for. */
int nsh_load_parse(const char *text, struct nsh_load *out, unsigned *lineno, size_t *line_off,
		   struct nsh_err *err)
{
	const char *line = text;
	const struct nsh_own_chain *oc = NULL;
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
			oc = chain_open(s, e);
			if (!oc) {
				char names[64];

				own_names(names, sizeof(names));
				nsh_err_set(err, off, len, "expected \"chain NAME {\" with NAME one of "
					    "natsh's chains: %s", names);
				goto err;
			}
			state = CHAIN;
			typed = false;
			goto next;
		}
		/* CHAIN */
		if (words_are(s, e, "}")) {
			state = TABLE;
			goto next;
		}
		if (!typed && len > 5 && !strncmp(s, "type ", 5)) {
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
			if (nsh_rule_check_hook(&r->rule, NSH_FAM_INET, oc->hooknum, off, err) < 0) {
				nsh_rule_clear(&r->rule);
				goto err;
			}
			drop_default_counter(&r->rule);
			r->chain = oc->name;
			r->hooknum = oc->hooknum;
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
			    state == CHAIN ? "chain" : "table");
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
	memset(l, 0, sizeof(*l));
}

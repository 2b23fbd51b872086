/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tokens -> command + arguments.  The command is found by exact name or
 * unique prefix; its grammar tree (cmd.h) is matched with backtracking so
 * that ALT/OPT/ANY/REPEAT mean what they say.  The same walker, in its
 * completion mode, reports what may come next (completions/complete.c).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/distance.h"
#include "lib/util.h"
#include "cmds/cmd.h"

#define EXP_MAX 32
#define STEPS_MAX 200000	/* bound on backtracking for pathological grammars */

struct matcher {
	const struct nsh_tok *toks;
	size_t n;
	struct nsh_args *args;
	unsigned long steps;
	/* the furthest failure and what would have been accepted there */
	size_t far;
	const struct nsh_gram *exp[EXP_MAX];
	size_t nexp;
	bool exp_end;
	/* a placeholder that left a keyword of what follows it alone, and where */
	const struct nsh_gram *kw_value;
	size_t kw_pos;
	/* completion mode: report nodes that could take toks[target] */
	bool complete;
	size_t target;
	nsh_gram_next_fn fn;
	void *fn_arg;
};

enum cont_kind { K_SEQ, K_REPEAT, K_ANY };

/* What remains to be matched after the current node (a stack on the C stack). */
struct cont {
	enum cont_kind kind;
	const struct nsh_gram *g;
	size_t i;		/* SEQ: next kid */
	unsigned long used;	/* ANY: kids already matched */
	size_t start;		/* REPEAT: where the last repetition began */
	const struct cont *next;
};

static bool m_node(struct matcher *m, const struct nsh_gram *g, size_t pos,
		   const struct cont *k);
static bool m_cont(struct matcher *m, size_t pos, const struct cont *k);

/* The i-th value recorded under name, in the order of the line. */
const struct nsh_tok *nsh_args_nth(const struct nsh_args *a, const char *name, size_t i)
{
	size_t j;

	for (j = 0; j < a->n; j++)
		if (strcmp(a->v[j].name, name) == 0 && i-- == 0)
			return a->v[j].tok;
	return NULL;
}

/* The first value recorded under name. */
const struct nsh_tok *nsh_args_get(const struct nsh_args *a, const char *name)
{
	return nsh_args_nth(a, name, 0);
}

/* Was a keyword or value given? */
bool nsh_args_has(const struct nsh_args *a, const char *name)
{
	return nsh_args_get(a, name) != NULL;
}

/* A non-empty run of decimal digits. */
static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Only syntax is checked here; commands check that objects exist. */
bool nsh_vk_valid(enum nsh_vk vk, const char *word)
{
	switch (vk) {
	case NSH_VK_FAMILY:
		return !strcmp(word, "ip") || !strcmp(word, "ip6") || !strcmp(word, "inet");
	case NSH_VK_NUMBER:
	case NSH_VK_POSITION:
	case NSH_VK_HANDLE:
		return all_digits(word);
	default:
		return *word != '\0';
	}
}

/* A hint shown after a VALUE's name in "expected ..." messages. */
static const char *vk_hint(enum nsh_vk vk)
{
	switch (vk) {
	case NSH_VK_FAMILY:	return "ip, ip6 or inet";
	case NSH_VK_NUMBER:
	case NSH_VK_POSITION:
	case NSH_VK_HANDLE:	return "a number";
	default:		return NULL;
	}
}

/* Note that at pos, g (or the end of the line when g is NULL) was wanted. */
static void expect(struct matcher *m, size_t pos, const struct nsh_gram *g)
{
	size_t i;

	if (m->complete)
		return;
	if (pos > m->far || (m->nexp == 0 && !m->exp_end)) {
		m->far = pos;
		m->nexp = 0;
		m->exp_end = false;
	} else if (pos < m->far) {
		return;
	}
	if (!g) {
		m->exp_end = true;
		return;
	}
	for (i = 0; i < m->nexp; i++)
		if (strcmp(m->exp[i]->text, g->text) == 0)
			return;
	if (m->nexp < EXP_MAX)
		m->exp[m->nexp++] = g;
}

/* Remember what matched; false when the argument table is full. */
static bool record(struct matcher *m, const char *name, size_t pos)
{
	if (m->args->n >= NSH_ARGS_MAX)
		return false;
	m->args->v[m->args->n].name = name;
	m->args->v[m->args->n].tok = &m->toks[pos];
	m->args->n++;
	return true;
}

/* In completion mode, tell the caller g could take the word at target. */
static bool report(struct matcher *m, const struct nsh_gram *g, size_t pos)
{
	if (m->complete && pos == m->target)
		m->fn(m->fn_arg, g, pos, m->args);
	return false;
}

/* A keyword matches itself exactly. */
static bool m_word(struct matcher *m, const struct nsh_gram *g, size_t pos,
		   const struct cont *k)
{
	size_t saved = m->args->n;

	if (pos >= m->n || (m->complete && pos == m->target)) {
		expect(m, pos, g);
		return report(m, g, pos);
	}
	if (strcmp(m->toks[pos].s, g->text) != 0) {
		expect(m, pos, g);
		return false;
	}
	if (record(m, g->text, pos) && m_cont(m, pos + 1, k))
		return true;
	m->args->n = saved;
	return false;
}

/* Whether g can match no words at all. */
static bool nullable(const struct nsh_gram *g)
{
	size_t i;

	switch (g->kind) {
	case NSH_G_OPT:
	case NSH_G_ANY:
		return true;
	case NSH_G_SEQ:
		for (i = 0; g->kids[i]; i++)
			if (!nullable(g->kids[i]))
				return false;
		return true;
	case NSH_G_ALT:
		for (i = 0; g->kids[i]; i++)
			if (nullable(g->kids[i]))
				return true;
		return false;
	case NSH_G_REPEAT:
		return nullable(g->kids[0]);
	default:
		return false;
	}
}

/* Whether a match of g can begin with the keyword word. */
static bool starts_with_word(const struct nsh_gram *g, const char *word)
{
	size_t i;

	switch (g->kind) {
	case NSH_G_WORD:
		return strcmp(g->text, word) == 0;
	case NSH_G_VALUE:
		return false;
	case NSH_G_SEQ:
		for (i = 0; g->kids[i]; i++) {
			if (starts_with_word(g->kids[i], word))
				return true;
			if (!nullable(g->kids[i]))
				return false;
		}
		return false;
	case NSH_G_ALT:
	case NSH_G_ANY:
		for (i = 0; g->kids[i]; i++)
			if (starts_with_word(g->kids[i], word))
				return true;
		return false;
	case NSH_G_OPT:
	case NSH_G_REPEAT:
		return starts_with_word(g->kids[0], word);
	}
	return false;
}

/* Whether what remains to match (k) can begin with the keyword word. */
static bool cont_starts_with_word(const struct cont *k, const char *word)
{
	size_t i;

	for (; k; k = k->next) {
		switch (k->kind) {
		case K_SEQ:
			for (i = k->i; k->g->kids[i]; i++) {
				if (starts_with_word(k->g->kids[i], word))
					return true;
				if (!nullable(k->g->kids[i]))
					return false;
			}
			break;
		case K_REPEAT:
			if (starts_with_word(k->g->kids[0], word))
				return true;
			break;
		case K_ANY:
			for (i = 0; k->g->kids[i] && i < 8 * sizeof(k->used); i++)
				if (!(k->used & (1UL << i)) && starts_with_word(k->g->kids[i], word))
					return true;
			break;
		}
	}
	return false;
}

/* A placeholder takes one valid word, or (RULE, REST) the rest of the line. */
static bool m_value(struct matcher *m, const struct nsh_gram *g, size_t pos,
		    const struct cont *k)
{
	size_t saved = m->args->n, i;

	if (g->vk == NSH_VK_RULE || g->vk == NSH_VK_REST) {
		if (m->complete) {
			if (pos <= m->target)
				m->fn(m->fn_arg, g, pos, m->args);
			return false;
		}
		if (pos >= m->n) {
			expect(m, pos, g);
			return false;
		}
		/* every token while there is room; the text itself is line + first->off */
		for (i = pos; i < m->n && record(m, g->text, i); i++)
			;
		if (m_cont(m, m->n, k))
			return true;
		goto fail;
	}
	if (pos >= m->n || (m->complete && pos == m->target)) {
		expect(m, pos, g);
		return report(m, g, pos);
	}
	if (!nsh_vk_valid(g->vk, m->toks[pos].s)) {
		expect(m, pos, g);
		return false;
	}
	/* "wizard masquerade from ..." lacks its NAME: "from" is not one (quoted, it is) */
	if (!m->toks[pos].quoted && cont_starts_with_word(k, m->toks[pos].s)) {
		expect(m, pos, g);
		if (!m->complete && (!m->kw_value || pos > m->kw_pos)) {
			m->kw_value = g;
			m->kw_pos = pos;
		}
		return false;
	}
	if (record(m, g->text, pos) && m_cont(m, pos + 1, k))
		return true;
fail:
	m->args->n = saved;
	return false;
}

/* Whether g starts with a placeholder (VALUE, or a SEQ whose first element does). */
static bool leads_with_value(const struct nsh_gram *g)
{
	while (g->kind == NSH_G_SEQ && g->kids[0])
		g = g->kids[0];
	return g->kind == NSH_G_VALUE;
}

/* Whether g starts with the keyword word (WORD, or a SEQ whose first element does). */
static bool leads_with_word(const struct nsh_gram *g, const char *word)
{
	while (g->kind == NSH_G_SEQ && g->kids[0])
		g = g->kids[0];
	return g->kind == NSH_G_WORD && strcmp(g->text, word) == 0;
}

/*
 * Whether the (unquoted) word at pos is the keyword of one of alt's kids: then
 * the kids that start with a placeholder must not take it (`to` after a
 * bare BACKEND is the keyword, not an address).
 */
static bool alt_keyword_at(const struct matcher *m, const struct nsh_gram *alt, size_t pos)
{
	size_t i;

	if (pos >= m->n || (m->complete && pos >= m->target) || m->toks[pos].quoted)
		return false;
	for (i = 0; alt->kids[i]; i++)
		if (leads_with_word(alt->kids[i], m->toks[pos].s))
			return true;
	return false;
}

/* Match g at pos, then the continuation k; backtracks on failure. */
static bool m_node(struct matcher *m, const struct nsh_gram *g, size_t pos,
		   const struct cont *k)
{
	struct cont c = { .g = g, .next = k };
	size_t i;
	bool kw;

	if (++m->steps > STEPS_MAX)
		return false;
	switch (g->kind) {
	case NSH_G_WORD:
		return m_word(m, g, pos, k);
	case NSH_G_VALUE:
		return m_value(m, g, pos, k);
	case NSH_G_SEQ:
		c.kind = K_SEQ;
		return m_cont(m, pos, &c);
	case NSH_G_ALT:
		kw = alt_keyword_at(m, g, pos);
		for (i = 0; g->kids[i]; i++)
			if (!(kw && leads_with_value(g->kids[i])) && m_node(m, g->kids[i], pos, k))
				return true;
		return false;
	case NSH_G_OPT:
		return m_node(m, g->kids[0], pos, k) || m_cont(m, pos, k);
	case NSH_G_REPEAT:
		c.kind = K_REPEAT;
		c.start = pos;
		return m_node(m, g->kids[0], pos, &c);
	case NSH_G_ANY:
		c.kind = K_ANY;
		return m_cont(m, pos, &c);
	}
	return false;
}

/* Match what remains after a node: the rest of a SEQ, more repetitions, other ANY kids. */
static bool m_cont(struct matcher *m, size_t pos, const struct cont *k)
{
	struct cont c;
	size_t i;

	if (!k) {
		if (m->complete) {
			if (pos == m->target)
				m->fn(m->fn_arg, NULL, pos, m->args);	/* the line may end here */
			return false;
		}
		if (pos == m->n)
			return true;
		expect(m, pos, NULL);
		return false;
	}
	c = *k;
	switch (k->kind) {
	case K_SEQ:
		if (!k->g->kids[k->i])
			return m_cont(m, pos, k->next);
		c.i = k->i + 1;
		return m_node(m, k->g->kids[k->i], pos, &c);
	case K_REPEAT:
		/* lazy: what follows gets the first chance, so keywords end a repetition */
		if (m_cont(m, pos, k->next))
			return true;
		if (pos == k->start)
			return false;
		c.start = pos;
		return m_node(m, k->g->kids[0], pos, &c);
	case K_ANY:
		for (i = 0; k->g->kids[i] && i < 8 * sizeof(c.used); i++) {
			if (k->used & (1UL << i))
				continue;
			c.used = k->used | (1UL << i);
			if (m_node(m, k->g->kids[i], pos, &c))
				return true;
		}
		return m_cont(m, pos, k->next);
	}
	return false;
}

/* Unknown or ambiguous command: list the candidates or the nearest name. */
static void unknown_command(const struct nsh_cmd *const *tab, const struct nsh_tok *t,
			    bool ambiguous, struct nsh_err *err)
{
	const char *names[256];
	struct nsh_buf b;
	size_t i, n = 0, len = strlen(t->s);
	const char *near;

	nsh_buf_init(&b);
	if (ambiguous) {
		for (i = 0; tab[i] && n < NSH_ARRAY_SIZE(names); i++)
			if (strncmp(tab[i]->name, t->s, len) == 0)
				names[n++] = tab[i]->name;
		nsh_buf_printf(&b, "ambiguous command \"%s\", could be: ", t->s);
		for (i = 0; i < n; i++)
			nsh_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
	} else {
		for (i = 0; tab[i] && n < NSH_ARRAY_SIZE(names); i++)
			names[n++] = tab[i]->name;
		nsh_buf_printf(&b, "unknown command \"%s\"", t->s);
		near = nsh_nearest_word(t->s, names, n);
		if (near)
			nsh_buf_printf(&b, "; did you mean \"%s\"?", near);
		else
			nsh_buf_puts(&b, " (try \"help\")");
	}
	nsh_err_set(err, t->off, t->len, "%s", b.s);
	nsh_buf_free(&b);
}

/* Turn the furthest failure of a match into one message at the right token. */
static void grammar_error(const struct matcher *m, struct nsh_err *err)
{
	const struct nsh_tok *t = m->far < m->n ? &m->toks[m->far] : NULL;
	const struct nsh_tok *last = &m->toks[m->n - 1];
	const char *words[EXP_MAX], *near = NULL, *hint;
	size_t i, nwords = 0, off, len, nnames = m->nexp + (m->exp_end && t);
	struct nsh_buf b;

	nsh_buf_init(&b);
	for (i = 0; i < m->nexp; i++)
		if (m->exp[i]->kind == NSH_G_WORD)
			words[nwords++] = m->exp[i]->text;
	if (t && m->nexp == 0) {
		nsh_buf_printf(&b, "unexpected \"%s\"", t->s);
	} else if (t && m->kw_value && m->kw_pos == m->far) {
		nsh_buf_printf(&b, "expected %s before \"%s\"", m->kw_value->text, t->s);
	} else {
		nsh_buf_puts(&b, "expected ");
		for (i = 0; i < nnames; i++) {
			if (i)
				nsh_buf_puts(&b, i + 1 == nnames ? " or " : ", ");
			if (i == m->nexp) {
				nsh_buf_puts(&b, "end of line");
				break;
			}
			nsh_buf_puts(&b, m->exp[i]->text);
			hint = m->exp[i]->kind == NSH_G_VALUE ? vk_hint(m->exp[i]->vk) : NULL;
			if (hint)
				nsh_buf_printf(&b, " (%s)", hint);
		}
		if (t)
			nsh_buf_printf(&b, ", got \"%s\"", t->s);
		else
			nsh_buf_puts(&b, ", got end of line");
		if (t && nwords)
			near = nsh_nearest_word(t->s, words, nwords);
		if (near)
			nsh_buf_printf(&b, "; did you mean \"%s\"?", near);
	}
	if (t) {
		off = t->off;
		len = t->len;
	} else {
		off = last->off + last->len + 1;
		len = 0;
	}
	nsh_err_set(err, off, len, "%s", b.s);
	nsh_buf_free(&b);
}

/* The whole line must match the grammar; the furthest failure explains why not. */
int nsh_parse(const struct nsh_cmd *const *tab, const struct nsh_toks *toks,
	      const struct nsh_cmd **cmdp, struct nsh_args *args, struct nsh_err *err)
{
	const struct nsh_cmd *cmd;
	struct matcher m = { 0 };
	bool ambiguous;

	memset(args, 0, sizeof(*args));
	*cmdp = NULL;
	if (toks->n == 0)
		return 0;
	args->toks = toks->v;
	args->ntoks = toks->n;
	cmd = nsh_cmd_lookup_in(tab, toks->v[0].s, &ambiguous);
	if (!cmd) {
		unknown_command(tab, &toks->v[0], ambiguous, err);
		return -1;
	}
	*cmdp = cmd;
	if (!cmd->args) {
		if (toks->n > 1) {
			nsh_err_set(err, toks->v[1].off, toks->v[1].len,
				    "unexpected \"%s\": %s takes no arguments",
				    toks->v[1].s, cmd->name);
			return -1;
		}
		return 0;
	}
	m.toks = toks->v;
	m.n = toks->n;
	m.args = args;
	if (m_node(&m, cmd->args, 1, NULL))
		return 0;
	args->n = 0;
	if (m.steps > STEPS_MAX) {
		nsh_err_set(err, toks->v[0].off, toks->v[0].len,
			    "command too complex to parse");
		return -1;
	}
	grammar_error(&m, err);
	return -1;
}

/* The completion mode of the matcher: report instead of match at the last word. */
void nsh_gram_next(const struct nsh_gram *g, const struct nsh_tok *toks, size_t from, size_t n,
		   nsh_gram_next_fn fn, void *arg)
{
	struct nsh_args args = { .toks = toks, .ntoks = n };
	struct matcher m = {
		.toks = toks, .n = n, .args = &args, .complete = true,
		.target = n, .fn = fn, .fn_arg = arg,
	};

	if (g)
		m_node(&m, g, from, NULL);
}

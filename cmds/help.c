/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `help` and `help CMD`: everything here is generated from the command
 * table and each command's grammar, so it cannot drift from the parser.
 */
#include <stdlib.h>
#include <string.h>

#include "cmds/cmd.h"
#include "lib/distance.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "model/syntax/rule_gram.h"
#include "render/out.h"

static const char *const group_names[] = {
	[NSH_GRP_READING] = "reading",
	[NSH_GRP_EDITING] = "editing",
	[NSH_GRP_TRANSACTIONS] = "transactions",
	[NSH_GRP_WIZARDS] = "wizards",
	[NSH_GRP_MONITORING] = "monitoring",
	[NSH_GRP_SAFETY] = "safety",
	[NSH_GRP_SHELL] = "shell",
};

/* The group a command is listed under. */
const char *nsh_group_name(enum nsh_group g)
{
	return (size_t)g < NSH_ARRAY_SIZE(group_names) ? group_names[g] : "other";
}

enum place { P_TOP, P_SEQ, P_BRACKET };

/* Usage text of a grammar node: [opt], (a|b), x..., as man pages write it. */
static void gram_usage(const struct nsh_gram *g, enum place where, struct nsh_buf *b)
{
	size_t i;
	bool paren;

	switch (g->kind) {
	case NSH_G_WORD:
	case NSH_G_VALUE:
		nsh_buf_puts(b, g->text);
		if (g->kind == NSH_G_VALUE && (g->vk == NSH_VK_RULE || g->vk == NSH_VK_REST) &&
		    where != P_BRACKET)
			nsh_buf_puts(b, "...");
		break;
	case NSH_G_SEQ:
	case NSH_G_ANY:
		for (i = 0; g->kids[i]; i++) {
			if (i)
				nsh_buf_putc(b, ' ');
			gram_usage(g->kids[i], P_SEQ, b);
		}
		break;
	case NSH_G_ALT:
		paren = where == P_SEQ;
		if (paren)
			nsh_buf_putc(b, '(');
		for (i = 0; g->kids[i]; i++) {
			if (i)
				nsh_buf_putc(b, '|');
			gram_usage(g->kids[i], P_BRACKET, b);
		}
		if (paren)
			nsh_buf_putc(b, ')');
		break;
	case NSH_G_OPT:
		nsh_buf_putc(b, '[');
		gram_usage(g->kids[0], P_BRACKET, b);
		nsh_buf_putc(b, ']');
		break;
	case NSH_G_REPEAT:
		paren = g->kids[0]->kind == NSH_G_SEQ;
		if (paren)
			nsh_buf_putc(b, '(');
		gram_usage(g->kids[0], P_BRACKET, b);
		if (paren)
			nsh_buf_putc(b, ')');
		nsh_buf_puts(b, "...");
		break;
	}
}

/* One usage line per top-level alternative: "show tables", "show chains", ... */
size_t nsh_cmd_usage(const struct nsh_cmd *cmd, char ***lines)
{
	const struct nsh_gram *g = cmd->args;
	struct nsh_buf b;
	size_t n = 0, i, nalt = 1;

	/* [a|b|c] at the top: the bare command is one more usage line */
	if (g && g->kind == NSH_G_OPT && g->kids[0]->kind == NSH_G_ALT) {
		g = g->kids[0];
		n = 1;
	}
	if (g && g->kind == NSH_G_ALT)
		for (nalt = 0; g->kids[nalt]; nalt++)
			;
	*lines = nsh_xcalloc(n + nalt + 1, sizeof(**lines));
	nsh_buf_init(&b);
	if (n)
		(*lines)[0] = nsh_xstrdup(cmd->name);
	for (i = 0; i < nalt; i++) {
		nsh_buf_puts(&b, cmd->name);
		if (g) {
			nsh_buf_putc(&b, ' ');
			gram_usage(g->kind == NSH_G_ALT ? g->kids[i] : g, P_TOP, &b);
		}
		(*lines)[n++] = nsh_buf_steal(&b);
	}
	return n;
}

/* The top-level alternatives of a grammar ([a|b] unwrapped), or NULL. */
static const struct nsh_gram *top_alt(const struct nsh_gram *g)
{
	if (g && g->kind == NSH_G_OPT && g->kids[0]->kind == NSH_G_ALT)
		g = g->kids[0];
	return g && g->kind == NSH_G_ALT ? g : NULL;
}

/* The keyword a form starts with, or NULL when it starts with a value. */
static const struct nsh_gram *lead_word(const struct nsh_gram *g)
{
	while (g && g->kind == NSH_G_SEQ)
		g = g->kids[0];
	return g && g->kind == NSH_G_WORD ? g : NULL;
}

size_t nsh_cmd_subcommands(const struct nsh_cmd *cmd, const char **words, const char **helps,
			   size_t max)
{
	const struct nsh_gram *alt = top_alt(cmd->args), *w;
	size_t i, n = 0;

	for (i = 0; alt && alt->kids[i] && n < max; i++) {
		if (!(w = lead_word(alt->kids[i])))
			continue;
		words[n] = w->text;
		if (helps)
			helps[n] = w->help;
		n++;
	}
	return n;
}

/* Release the lines of nsh_cmd_usage. */
void nsh_cmd_usage_free(char **lines)
{
	size_t i;

	for (i = 0; lines && lines[i]; i++)
		free(lines[i]);
	free(lines);
}

/* Keywords and values of a grammar, once each, with their help lines. */
static void gram_terms(const struct nsh_gram *g, const struct nsh_gram **v, size_t *n,
		       size_t max)
{
	size_t i;

	if (!g)
		return;
	if (g->kind == NSH_G_WORD || g->kind == NSH_G_VALUE) {
		if (!g->help)
			return;
		for (i = 0; i < *n; i++)
			if (strcmp(v[i]->text, g->text) == 0)
				return;
		if (*n < max)
			v[(*n)++] = g;
		return;
	}
	for (i = 0; g->kids[i]; i++)
		gram_terms(g->kids[i], v, n, max);
}

/* `help`: the commands by group, then the topics. */
static void help_list(struct nsh_ctx *ctx)
{
	struct nsh_out *o = ctx->out;
	struct nsh_cols *cols;
	size_t grp, i;
	bool any, first = true;

	nsh_out_arr_open(o, NULL);
	for (grp = 0; grp < NSH_ARRAY_SIZE(group_names); grp++) {
		cols = nsh_cols_new(3, NULL, NULL);	/* an empty first column indents */
		any = false;
		for (i = 0; nsh_cmds[i]; i++) {
			const struct nsh_cmd *c = nsh_cmds[i];
			const char *cells[3] = { "", c->name, c->summary ? c->summary : "" };

			if ((size_t)c->group != grp)
				continue;
			nsh_out_obj_open(o, NULL);
			nsh_out_string(o, NSH_C_NONE, "name", NULL, c->name);
			nsh_out_string(o, NSH_C_NONE, "group", NULL, group_names[grp]);
			nsh_out_string(o, NSH_C_NONE, "summary", NULL, c->summary);
			nsh_out_obj_close(o);
			nsh_cols_add(cols, cells, NULL);
			any = true;
		}
		if (any) {
			nsh_out_ctext(o, NSH_C_HEADER, "%s%c%s:\n", first ? "" : "\n",
				      group_names[grp][0] - 32, group_names[grp] + 1);
			first = false;
			nsh_cols_print(cols, o);
		}
		nsh_cols_free(cols);
	}
	if (nsh_help_topics[0]) {
		nsh_out_ctext(o, NSH_C_HEADER, "\nTopics:\n");
		for (i = 0; nsh_help_topics[i]; i++)
			nsh_out_text(o, "  %-10s %s\n", nsh_help_topics[i]->name,
				     nsh_help_topics[i]->summary);
	}
	nsh_out_text(o, "\nType \"help COMMAND\" for its syntax and examples; Tab completes, "
		     "'?' shows what may come next.\n");
	nsh_out_arr_close(o);
}

/* The "Arguments:" block: each term (but skip) with its help, aligned. */
static void args_print(struct nsh_out *o, const struct nsh_gram *const *terms, size_t nterms,
		       const struct nsh_gram *skip)
{
	size_t i, width = 0, shown = 0;

	for (i = 0; i < nterms; i++)
		if (terms[i] != skip) {
			shown++;
			if (strlen(terms[i]->text) > width)
				width = strlen(terms[i]->text);
		}
	nsh_out_arr_open(o, "arguments");
	if (shown)
		nsh_out_ctext(o, NSH_C_HEADER, "\nArguments:\n");
	for (i = 0; i < nterms; i++) {
		if (terms[i] == skip)
			continue;
		nsh_out_obj_open(o, NULL);
		nsh_out_text(o, "  ");
		nsh_out_string(o, NSH_C_NONE, "name", "%s", terms[i]->text);
		nsh_out_text(o, "%*s  ", (int)(width - strlen(terms[i]->text)), "");
		nsh_out_string(o, NSH_C_NONE, "help", "%s\n", terms[i]->help);
		nsh_out_obj_close(o);
	}
	nsh_out_arr_close(o);
}

/* `help CMD`: usage, summary, description, arguments, examples. */
static void help_cmd(struct nsh_ctx *ctx, const struct nsh_cmd *c)
{
	struct nsh_out *o = ctx->out;
	const struct nsh_gram *terms[64];
	size_t nterms = 0, i;
	char **usage;
	size_t nusage = nsh_cmd_usage(c, &usage);

	nsh_out_obj_open(o, NULL);
	nsh_out_string(o, NSH_C_NONE, "name", NULL, c->name);
	nsh_out_string(o, NSH_C_NONE, "group", NULL, nsh_group_name(c->group));
	nsh_out_string(o, NSH_C_NONE, "summary", NULL, c->summary);
	nsh_out_arr_open(o, "usage");
	for (i = 0; i < nusage; i++) {
		nsh_out_ctext(o, NSH_C_HEADER, "%s", i ? "       " : "usage: ");
		nsh_out_string(o, NSH_C_NONE, NULL, "%s\n", usage[i]);
	}
	nsh_out_arr_close(o);
	nsh_cmd_usage_free(usage);
	nsh_out_text(o, "\n%s\n", c->summary ? c->summary : "");
	if (c->description) {
		nsh_out_string(o, NSH_C_NONE, "description", "\n%s\n", c->description);
	}
	gram_terms(c->args, terms, &nterms, NSH_ARRAY_SIZE(terms));
	args_print(o, terms, nterms, NULL);
	nsh_out_arr_open(o, "examples");
	if (c->examples && c->examples[0])
		nsh_out_ctext(o, NSH_C_HEADER, "\nExamples:\n");
	for (i = 0; c->examples && c->examples[i]; i++)
		nsh_out_string(o, NSH_C_NONE, NULL, "  %s\n", c->examples[i]);
	nsh_out_arr_close(o);
	nsh_out_obj_close(o);
}

/* The form of c whose keyword is word (or a unique prefix of it); NULL, *ambiguous. */
static const struct nsh_gram *sub_lookup(const struct nsh_cmd *c, const char *word,
					 bool *ambiguous)
{
	const struct nsh_gram *alt = top_alt(c->args), *w, *found = NULL;
	size_t i, n = 0;

	*ambiguous = false;
	for (i = 0; alt && alt->kids[i]; i++) {
		if (!(w = lead_word(alt->kids[i])))
			continue;
		if (!strcmp(w->text, word))
			return alt->kids[i];
		if (!strncmp(w->text, word, strlen(word))) {
			found = alt->kids[i];
			n++;
		}
	}
	*ambiguous = n > 1;
	return n == 1 ? found : NULL;
}

/* `help CMD SUB`: one form of a command, its arguments and its examples. */
static void help_sub(struct nsh_ctx *ctx, const struct nsh_cmd *c, const struct nsh_gram *form)
{
	struct nsh_out *o = ctx->out;
	const struct nsh_gram *lead = lead_word(form), *terms[64];
	size_t nterms = 0, i, len;
	struct nsh_buf b;

	nsh_buf_init(&b);
	nsh_buf_printf(&b, "%s %s", c->name, lead->text);
	len = b.len;
	nsh_out_obj_open(o, NULL);
	nsh_out_string(o, NSH_C_NONE, "name", NULL, b.s);
	nsh_out_string(o, NSH_C_NONE, "group", NULL, nsh_group_name(c->group));
	nsh_out_string(o, NSH_C_NONE, "summary", NULL, lead->help);
	nsh_out_arr_open(o, "usage");
	nsh_buf_reset(&b);
	nsh_buf_printf(&b, "%s ", c->name);
	gram_usage(form, P_TOP, &b);
	nsh_out_ctext(o, NSH_C_HEADER, "usage: ");
	nsh_out_string(o, NSH_C_NONE, NULL, "%s\n", b.s);
	nsh_out_arr_close(o);
	nsh_out_text(o, "\n%s\n", lead->help ? lead->help : "");
	gram_terms(form, terms, &nterms, NSH_ARRAY_SIZE(terms));
	args_print(o, terms, nterms, lead);
	/* the command's examples of this form: "wizard forward ..." */
	nsh_buf_reset(&b);
	nsh_buf_printf(&b, "%s %s", c->name, lead->text);
	nsh_out_arr_open(o, "examples");
	for (i = 0, nterms = 0; c->examples && c->examples[i]; i++) {
		if (strncmp(c->examples[i], b.s, len) ||
		    (c->examples[i][len] && c->examples[i][len] != ' '))
			continue;
		if (!nterms++)
			nsh_out_ctext(o, NSH_C_HEADER, "\nExamples:\n");
		nsh_out_string(o, NSH_C_NONE, NULL, "  %s\n", c->examples[i]);
	}
	nsh_out_arr_close(o);
	nsh_out_obj_close(o);
	nsh_buf_free(&b);
}

/* `help CMD WORD` where WORD is no form of CMD: say which there are. */
static int sub_unknown(struct nsh_ctx *ctx, const struct nsh_cmd *c, const struct nsh_tok *st,
		       bool ambiguous)
{
	const char *words[32], *near;
	size_t n = nsh_cmd_subcommands(c, words, NULL, NSH_ARRAY_SIZE(words)), i;
	struct nsh_buf b;

	if (!n) {
		nsh_error_at(ctx, st, "\"%s\" has no subcommands; type \"help %s\"", c->name,
			     c->name);
		return NSH_FAIL;
	}
	nsh_buf_init(&b);
	for (i = 0; i < n; i++)
		if (!ambiguous || !strncmp(words[i], st->s, strlen(st->s)))
			nsh_buf_printf(&b, "%s%s", b.len ? ", " : "", words[i]);
	near = ambiguous ? NULL : nsh_nearest_word(st->s, words, n);
	if (ambiguous)
		nsh_error_at(ctx, st, "ambiguous: \"%s %s\" could be: %s", c->name, st->s, b.s);
	else if (near)
		nsh_error_at(ctx, st, "%s has no subcommand \"%s\"; did you mean \"%s\"? (it has: %s)",
			     c->name, st->s, near, b.s);
	else
		nsh_error_at(ctx, st, "%s has no subcommand \"%s\" (it has: %s)", c->name, st->s,
			     b.s);
	nsh_buf_free(&b);
	return NSH_FAIL;
}

static const struct nsh_help_topic *topic_lookup(const char *word)
{
	size_t i;

	for (i = 0; nsh_help_topics[i]; i++)
		if (strcmp(nsh_help_topics[i]->name, word) == 0)
			return nsh_help_topics[i];
	return NULL;
}

/* A topic, a command (or unique prefix), or an error naming the word. */
static int help_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *t = nsh_args_get(args, "COMMAND");
	const struct nsh_tok *st = nsh_args_get(args, "SUBCOMMAND");
	const struct nsh_help_topic *topic;
	const struct nsh_gram *form;
	const struct nsh_cmd *c;
	struct nsh_buf b;
	bool ambiguous;
	size_t i;

	if (!t) {
		help_list(ctx);
		return NSH_OK;
	}
	if ((topic = topic_lookup(t->s))) {
		if (st) {
			nsh_error_at(ctx, st, "the help topic \"%s\" has no parts; type \"help %s\"",
				     topic->name, topic->name);
			return NSH_FAIL;
		}
		topic->print(ctx->out);
		return NSH_OK;
	}
	c = nsh_cmd_lookup(t->s, &ambiguous);
	if (c && st) {
		if (!(form = sub_lookup(c, st->s, &ambiguous)))
			return sub_unknown(ctx, c, st, ambiguous);
		help_sub(ctx, c, form);
		return NSH_OK;
	}
	if (c) {
		help_cmd(ctx, c);
		return NSH_OK;
	}
	nsh_buf_init(&b);
	if (ambiguous) {
		for (i = 0; nsh_cmds[i]; i++)
			if (strncmp(nsh_cmds[i]->name, t->s, strlen(t->s)) == 0)
				nsh_buf_printf(&b, "%s%s", b.len ? ", " : "", nsh_cmds[i]->name);
		nsh_error_at(ctx, t, "ambiguous command \"%s\", could be: %s", t->s, b.s);
	} else {
		const char *names[256], *near;
		size_t n = 0;

		for (i = 0; nsh_cmds[i] && n < NSH_ARRAY_SIZE(names); i++)
			names[n++] = nsh_cmds[i]->name;
		for (i = 0; nsh_help_topics[i] && n < NSH_ARRAY_SIZE(names); i++)
			names[n++] = nsh_help_topics[i]->name;
		near = nsh_nearest_word(t->s, names, n);
		if (near)
			nsh_error_at(ctx, t, "no command or help topic \"%s\"; did you mean \"%s\"?",
				     t->s, near);
		else
			nsh_error_at(ctx, t, "no command or help topic \"%s\" (type \"help\" for the list)",
				     t->s);
	}
	nsh_buf_free(&b);
	return NSH_FAIL;
}

/* One line of `help rule` (a JSON string each). */
static void rule_line(struct nsh_out *o, const char *text)
{
	nsh_out_string(o, NSH_C_NONE, NULL, "%s\n", text);
}

/* A word of the grammar and its help, aligned under the others. */
static void rule_row(struct nsh_out *o, const char *word, const char *help)
{
	struct nsh_buf l;

	nsh_buf_init(&l);
	nsh_buf_printf(&l, "    %-20s  %s", word, help);
	rule_line(o, l.s);
	nsh_buf_free(&l);
}

/* Every word of the NULL-terminated grammar tables tabs[], as rows. */
static void rule_rows(struct nsh_out *o, const struct nsh_rg_word *const *tabs)
{
	const struct nsh_rg_word *w;

	for (; *tabs; tabs++)
		for (w = *tabs; w->word; w++)
			rule_row(o, w->word, w->help);
}

/* Is key the first of nsh_keys[] whose value has its placeholder name? */
static bool first_of_type(size_t key)
{
	const char *name = nsh_rg_type_name(nsh_keys[key].type);
	size_t i;

	for (i = 0; i < key; i++)
		if (!strcmp(nsh_rg_type_name(nsh_keys[i].type), name))
			return false;
	return true;
}

/* The match keys, grouped under their first words as the completer offers them. */
static void rule_keys(struct nsh_out *o)
{
	const struct nsh_rg_word *kw;
	char key[64];
	size_t i, n;

	for (kw = nsh_rg_key_words; kw->word; kw++) {
		n = strlen(kw->word);
		for (i = 0; i < __NSH_K_MAX; i++) {
			if (strncmp(nsh_keys[i].name, kw->word, n) ||
			    (nsh_keys[i].name[n] && nsh_keys[i].name[n] != ' '))
				continue;
			snprintf(key, sizeof(key), "%s %s", nsh_keys[i].name,
				 nsh_rg_type_name(nsh_keys[i].type));
			rule_row(o, key, nsh_keys[i].help);
		}
	}
}

/*
 * `help rule`: the rule language as the parser and the completer read it,
 * generated from the match keys (model/keys.c) and the grammar's word
 * tables and value kinds (model/syntax/rule_gram.c).
 */
static void help_rule_print(struct nsh_out *o)
{
	static const struct nsh_rg_word *const numgen[] = {
		nsh_rg_numgen_modes, nsh_rg_mod_word, nsh_rg_offset_word, NULL,
	};
	static const struct nsh_rg_word *const ops[] = { nsh_rg_ops, nsh_rg_flags_not, NULL };
	static const struct nsh_rg_word *const values[] = { nsh_rg_value_forms, NULL };
	static const struct nsh_rg_word *const stmts[] = { nsh_rg_stmts, NULL };
	static const struct nsh_rg_word *const nat_to[] = {
		nsh_rg_nat_families, nsh_rg_nat_to, NULL,
	};
	static const struct nsh_rg_word *const nat_map[] = {
		nsh_rg_numgen_word, nsh_rg_nat_map_keys, nsh_rg_map_word, NULL,
	};
	static const struct nsh_rg_word *const nat_rules[] = { nsh_rg_nat_rules, NULL };
	static const struct nsh_rg_word *const nat_flags[] = { nsh_rg_nat_flags, NULL };
	static const struct nsh_rg_word *const more[] = {
		nsh_rg_reject_kinds, nsh_rg_log_opts, nsh_rg_log_levels, nsh_rg_time_units,
		nsh_rg_byte_units, NULL,
	};
	size_t i;

	nsh_out_arr_open(o, NULL);
	rule_line(o, "A rule is a list of matches followed by statements, as nft writes it.");
	rule_line(o, "Example: iifname \"eth0\" tcp dport 8080 dnat ip to 192.0.2.10:80");
	rule_line(o, "");
	rule_line(o, "Matches: KEY [OP] VALUE");
	rule_line(o, "  KEY");
	rule_keys(o);
	rule_line(o, "  numgen inc|random mod N [offset O]");
	rule_rows(o, numgen);
	rule_line(o, "  OP");
	rule_rows(o, ops);
	rule_line(o, "  VALUE");
	for (i = 0; i < __NSH_K_MAX; i++)
		if (first_of_type(i))
			rule_row(o, nsh_rg_type_name(nsh_keys[i].type),
				 nsh_rg_type_expect(nsh_keys[i].type, true));
	rule_rows(o, values);
	rule_line(o, "");
	rule_line(o, "Statements:");
	rule_rows(o, stmts);
	rule_line(o, "  dnat|snat [ip|ip6] to TARGET [FLAGS]; masquerade|redirect [to :PORT] [FLAGS]");
	rule_rows(o, nat_to);
	rule_row(o, "TARGET", nsh_rg_nat_expect(NSH_T_INVALID));
	rule_row(o, "TARGET (ip)", nsh_rg_nat_expect(NSH_T_IPV4));
	rule_row(o, "TARGET (ip6)", nsh_rg_nat_expect(NSH_T_IPV6));
	rule_rows(o, nat_map);
	rule_row(o, ":PORT", nsh_rg_nat_expect(NSH_T_PORT));
	rule_rows(o, nat_rules);
	rule_line(o, "  FLAGS (comma separated)");
	rule_rows(o, nat_flags);
	rule_line(o, "  FIELD set VALUE (marks also: meta mark set ct mark & 0xff | 0x1)");
	for (const struct nsh_setf *f = nsh_setfs; f->name; f++)
		rule_row(o, f->name, f->help);
	rule_line(o, "  reject with ...; log ...; limit rate [over] N/UNIT; TIME: 10s, 3h, 1d2h");
	rule_rows(o, more);
	nsh_out_arr_close(o);
}

const struct nsh_help_topic nsh_help_rule = {
	.name = "rule",
	.summary = "the rule syntax: matches, values, statements",
	.print = help_rule_print,
};

static const char *const help_examples[] = {
	"help", "help show", "help wizard forward", "help rule", NULL
};

const struct nsh_cmd nsh_cmd_help = {
	.name = "help",
	.group = NSH_GRP_SHELL,
	.summary = "list the commands, or explain one",
	.args = NSH_OPT(NSH_SEQ(NSH_VAL("COMMAND", NSH_VK_COMMAND, "a command or help topic"),
				NSH_OPT(NSH_VAL("SUBCOMMAND", NSH_VK_SUBCOMMAND,
						"one form of the command (wizard forward)")))),
	.description = "Without an argument, lists every command by group with one line each.\n"
		       "With a command name (or a unique prefix of one), prints its syntax,\n"
		       "what it does, its arguments and examples; with a subcommand too\n"
		       "(help wizard forward), that form only.",
	.examples = help_examples,
	.exec = help_exec,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Completion of `iptables ...` / `ip6tables ...` (and `translate iptables
 * ...`): options, and the values they take, from the translator's own
 * option table (model/ipt_opts.h): -m loads a module's options, -j a
 * target's, -A/-I/-D/-R/-F take PREROUTING ... or a chain of the table.
 */
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "completions/complete_int.h"
#include "model/syntax/ipt.h"
#include "model/syntax/ipt_opts.h"
#include "model/model.h"

/* What the words before the cursor loaded: modules and the target. */
struct ipt_state {
	const char *mods[16];
	size_t nmods;
	const char *target;
};

/* Is "a|b|c" naming word? */
static bool in_list(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while (p && *p) {
		if (!strncmp(p, word, n) && (p[n] == '|' || !p[n]))
			return true;
		p = strchr(p, '|');
		p = p ? p + 1 : NULL;
	}
	return false;
}

/* The first option of the table spelled name (several share a name across modules). */
static const struct nsh_ipt_opt *find_opt(const char *name)
{
	const struct nsh_ipt_opt *o;

	for (o = nsh_ipt_opts; o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

/* May option o come now (its module loaded, its target chosen)? */
static bool opt_usable(const struct nsh_ipt_opt *o, const struct ipt_state *st)
{
	size_t i;

	if (o->hidden)	/* refused with a reason, or a no-op: never offered */
		return false;
	if (o->target)
		return st->target && in_list(o->target, st->target);
	if (!o->module)
		return true;
	for (i = 0; i < st->nmods; i++)
		if (!strcmp(st->mods[i], o->module))
			return true;
	return false;
}

/* Offer word when it continues the partial word. */
static void add_if(struct nsh_cands *out, const char *partial, const char *word, const char *help)
{
	if (!strncmp(word, partial, strlen(partial)))
		nsh_cands_add(out, word, help, false);
}

/* The values of an argument of kind arg; a placeholder where the user invents it. */
static void offer_arg(struct nsh_ctx *ctx, enum nsh_ipt_arg arg, const char *partial,
		      struct nsh_cands *out)
{
	const struct nsh_ipt_val *v;
	const struct nsh_ruleset *rs;
	const struct nsh_table *t;
	struct if_nameindex *ifs, *p;
	size_t i;

	for (v = nsh_ipt_vals; v->word; v++)
		if (v->arg == arg || (arg == NSH_IPT_A_CHAIN_OPT && v->arg == NSH_IPT_A_CHAIN))
			add_if(out, partial, v->word, v->help);
	switch (arg) {
	case NSH_IPT_A_CHAIN:
	case NSH_IPT_A_CHAIN_OPT:
		rs = nsh_comp_live_rs(ctx);
		t = rs ? nsh_ruleset_find_table(rs, ctx->family, ctx->table) : NULL;
		for (i = 0; t && i < t->nchains; i++)
			if (!t->chains[i].base)
				add_if(out, partial, t->chains[i].name, "a chain of the table");
		break;
	case NSH_IPT_A_IFACE:
		ifs = if_nameindex();
		for (p = ifs; p && p->if_index; p++)
			add_if(out, partial, p->if_name, "interface");
		if (ifs)
			if_freenameindex(ifs);
		break;
	case NSH_IPT_A_PORT:
		if (!nsh_comp_services(out, partial, false))
			nsh_cands_add_value(out, "PORT", "a port or FIRST:LAST", NSH_VK_PORT);
		break;
	case NSH_IPT_A_ADDR:
		nsh_cands_add_value(out, "ADDR", "an address or prefix", NSH_VK_PREFIX);
		break;
	case NSH_IPT_A_TO:
		nsh_cands_add_value(out, "TO", "ADDR[:PORT] or PORT[-PORT]", NSH_VK_ADDR_PORT);
		break;
	case NSH_IPT_A_PORTS:
		nsh_cands_add_value(out, "PORTS", "PORT,PORT,...", NSH_VK_PORT);
		break;
	case NSH_IPT_A_NUMBER:
		nsh_cands_add_value(out, "P", "a number", NSH_VK_NUMBER);
		break;
	case NSH_IPT_A_STRING:
		nsh_cands_add_value(out, "TEXT", "free text (quote blanks)", NSH_VK_STRING);
		break;
	default:
		break;
	}
}

/* Positions of the chain an iptables chain name stands for (PREROUTING: prerouting), current table. */
static void offer_positions(struct nsh_ctx *ctx, const char *ipt_chain, const char *partial,
			    struct nsh_cands *out)
{
	const struct nsh_ruleset *rs = nsh_comp_live_rs(ctx);
	const struct nsh_table *t = rs ? nsh_ruleset_find_table(rs, ctx->family, ctx->table) : NULL;
	const struct nsh_chain *c = t ? nsh_table_find_chain(t, nsh_ipt_chain_name(ipt_chain)) : NULL;
	const struct nsh_rule *rules;
	const uint64_t *hs;
	char word[24], help[48];
	size_t i, n;

	if (!c || nsh_comp_chain_rules(ctx, rs, t, c, &rules, &hs, &n) < 0)
		return;
	for (i = 0; i < n; i++) {
		snprintf(word, sizeof(word), "%zu", i + 1);
		snprintf(help, sizeof(help), "rule %zu of %s, handle %" PRIu64, i + 1, c->name,
			 rules ? rules[i].handle : hs[i]);
		add_if(out, partial, word, help);
	}
}

/* See complete_int.h: the state the words set up, then what may come next. */
void nsh_comp_ipt(struct nsh_ctx *ctx, const struct nsh_tok *toks, size_t n, const char *partial,
		  struct nsh_cands *out)
{
	struct ipt_state st = { .nmods = 0 };
	const struct nsh_ipt_opt *o, *last = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *w = toks[i].s;

		last = NULL;
		if (!(o = find_opt(w)))
			continue;
		if (o->arg == NSH_IPT_A_NONE)
			continue;
		if (i + 1 == n) {
			last = o;
			break;
		}
		if ((!strcmp(w, "-m") || !strcmp(w, "-p")) && st.nmods < 16)
			st.mods[st.nmods++] = toks[i + 1].s;
		else if (!strcmp(w, "-j"))
			st.target = toks[i + 1].s;
		if (o->arg == NSH_IPT_A_CHAIN && i + 2 == n && strcmp(w, "-A")) {
			/* -I/-R/-D CHAIN: a position may come */
			offer_positions(ctx, toks[i + 1].s, partial, out);
			if (!strcmp(w, "-R"))
				return;
		}
		if (o->arg != NSH_IPT_A_CHAIN_OPT)
			i++;	/* its argument */
	}
	if (last && (last->arg != NSH_IPT_A_CHAIN_OPT || partial[0] != '-')) {
		offer_arg(ctx, last->arg, partial, out);
		if (last->arg != NSH_IPT_A_CHAIN_OPT)
			return;
	}
	if (partial[0] && partial[0] != '-' && partial[0] != '!') {
		nsh_cands_add_value(out, "OPTION", "an iptables option (-t nat -A CHAIN ...)",
				    NSH_VK_REST);
		return;
	}
	for (o = nsh_ipt_opts; o->name; o++)
		if (opt_usable(o, &st))
			add_if(out, partial, o->name, o->help);
	if (!partial[0])
		nsh_cands_add(out, "!", "negate the next match", false);
}

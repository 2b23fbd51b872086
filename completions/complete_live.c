/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What completion reads from outside the line: the kernel's tables and
 * chains (cached by generation), one chain's rules on demand, and the
 * names /etc/services and /etc/protocols give to ports and protocols.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "completions/complete.h"
#include "completions/complete_int.h"
#include "lib/util.h"
#include "model/model.h"
#include "model/nl/nl.h"
#include "model/nl/batch.h"

/* Above this many rules a chain read on demand gives handles only (no rule text). */
#define CHAIN_DECODE_MAX 2000

/*
 * What completion read from the kernel (ctx->comp): tables and chains only,
 * re-read when the generation changes, and the rules of the one chain
 * whose positions or handles were last asked for, read on demand.  So the
 * first Tab costs the tables and chains, not a dump of every rule.
 */
struct nsh_comp_cache {
	struct nsh_ruleset *rs;		/* tables and chains (no_rules) */
	struct nsh_wire *w;		/* reads one chain's rules */
	int family;			/* whose rules are in rules[] */
	char *table, *chain;
	uint32_t genid;
	uint64_t *handles;		/* in order */
	struct nsh_rule *rules;		/* decoded, or NULL for a long chain */
	size_t nrules;
	bool read;
};

/* Forget the one chain's rules. */
static void comp_rules_clear(struct nsh_comp_cache *cc)
{
	size_t i;

	for (i = 0; cc->rules && i < cc->nrules; i++)
		nsh_rule_clear(&cc->rules[i]);
	free(cc->rules);
	free(cc->handles);
	free(cc->table);
	free(cc->chain);
	cc->rules = NULL;
	cc->handles = NULL;
	cc->nrules = 0;
	cc->read = false;
	cc->table = cc->chain = NULL;
}

/* See complete.h: NULL-safe. */
void nsh_complete_fini(struct nsh_ctx *ctx)
{
	struct nsh_comp_cache *cc = ctx->comp;

	if (!cc)
		return;
	comp_rules_clear(cc);
	nsh_ruleset_free(cc->rs);
	nsh_wire_close(cc->w);
	free(cc);
	ctx->comp = NULL;
}

/* See complete.h: one generation query when nothing changed. */
int nsh_complete_refresh(struct nsh_ctx *ctx)
{
	struct nsh_comp_cache *cc = ctx->comp;
	struct nsh_ruleset *rs;
	uint32_t genid;

	if (!ctx->nl)
		return -1;
	if (!cc)
		cc = ctx->comp = nsh_xcalloc(1, sizeof(*cc));
	if (nsh_nl_genid(ctx->nl, &genid) < 0)
		return -1;
	if (cc->rs && cc->rs->genid == genid)
		return 0;
	if (ctx->cache && ctx->cache->genid == genid) {
		nsh_ruleset_free(cc->rs);	/* the last full dump is current: use it */
		cc->rs = NULL;
		return 0;
	}
	rs = nsh_ruleset_dump_chains(ctx->nl);
	if (!rs)
		return -1;
	nsh_ruleset_free(cc->rs);
	cc->rs = rs;
	return 0;
}

/* The ruleset to complete from: a current full dump, else the tables and chains. */
const struct nsh_ruleset *nsh_comp_live_rs(const struct nsh_ctx *ctx)
{
	const struct nsh_comp_cache *cc = ctx->comp;

	if (!cc || !cc->rs || (ctx->cache && ctx->cache->genid == cc->rs->genid))
		return ctx->cache;
	return cc->rs;
}

/*
 * The rules of one chain: from the full dump, or read on demand (cached by
 * generation): handles first, then decoded when the chain is short enough
 * to show rule text.  *rules NULL: handles only.
 */
int nsh_comp_chain_rules(struct nsh_ctx *ctx, const struct nsh_ruleset *rs,
			 const struct nsh_table *t, const struct nsh_chain *c,
			 const struct nsh_rule **rules, const uint64_t **handles, size_t *n)
{
	struct nsh_comp_cache *cc = ctx->comp;
	size_t i, nd;

	if (!rs->no_rules) {
		*rules = c->rules;
		*handles = NULL;
		*n = c->nrules;
		return 0;
	}
	if (!cc)
		return -1;	/* tables and chains without a kernel to ask */
	if (!cc->read || cc->genid != rs->genid || cc->family != t->family ||
	    strcmp(cc->table, t->name) || strcmp(cc->chain, c->name)) {
		comp_rules_clear(cc);
		if (!cc->w && !(cc->w = nsh_wire_open()))
			return -1;
		if (nsh_wire_chain_handles(cc->w, t->family, t->name, c->name, &cc->handles,
					   &cc->nrules) < 0)
			return -1;
		if (cc->nrules <= CHAIN_DECODE_MAX &&
		    nsh_wire_chain_rules(cc->w, t->family, t->name, c->name, &cc->rules, &nd) == 0 &&
		    nd != cc->nrules) {
			for (i = 0; i < nd; i++)	/* changed in between: handles only */
				nsh_rule_clear(&cc->rules[i]);
			free(cc->rules);
			cc->rules = NULL;
		}
		cc->read = true;
		cc->family = t->family;
		cc->table = nsh_xstrdup(t->name);
		cc->chain = nsh_xstrdup(c->name);
		cc->genid = rs->genid;
	}
	*rules = cc->rules;
	*handles = cc->handles;
	*n = cc->nrules;
	return 0;
}

/*
 * Ports from /etc/services once a character is typed: names (the rule
 * parser takes them) with their number as help, or, when names are not
 * taken (numbers only) or the user typed a digit, the numbers with their
 * names as help.  Returns how many services exist (0 before a character).
 */
int nsh_comp_services(struct nsh_cands *out, const char *partial, bool names)
{
	struct servent *se;
	char word[16], help[64];
	int n = 0;

	if (!partial[0])
		return 0;	/* hundreds of them: once a character says which */
	names = names && !isdigit((unsigned char)partial[0]);
	setservent(0);
	while ((se = getservent())) {
		unsigned port = ntohs((uint16_t)se->s_port);

		if (strcmp(se->s_proto, "tcp") && strcmp(se->s_proto, "udp"))
			continue;
		n++;
		snprintf(word, sizeof(word), "%u", port);
		if (names) {
			snprintf(help, sizeof(help), "port %u/%s", port, se->s_proto);
			if (!strncmp(se->s_name, partial, strlen(partial)))
				nsh_cands_add(out, se->s_name, help, false);
		} else if (!strncmp(word, partial, strlen(partial))) {
			snprintf(help, sizeof(help), "%s (%s)", se->s_name, se->s_proto);
			nsh_cands_add(out, word, help, false);
		}
	}
	endservent();
	return n;
}

/* Protocol names from /etc/protocols, each with its number. */
int nsh_comp_protos(struct nsh_cands *out, const char *partial)
{
	struct protoent *pe;
	char help[32];
	int n = 0;

	if (!partial[0])
		return 0;	/* the grammar offers the usual ones; the rest once typed */
	setprotoent(0);
	while ((pe = getprotoent())) {
		n++;
		snprintf(help, sizeof(help), "protocol %d", pe->p_proto);
		if (!strncmp(pe->p_name, partial, strlen(partial)))
			nsh_cands_add(out, pe->p_name, help, false);
	}
	endprotoent();
	return n;
}


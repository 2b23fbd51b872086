/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ownership and lookups of the typed ruleset model. */
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>

#include "model/model.h"
#include "lib/util.h"

const char *nsh_family_name(int family)
{
	switch (family) {
	case NSH_FAM_INET:	return "inet";
	case NSH_FAM_IP:	return "ip";
	case NSH_FAM_IP6:	return "ip6";
	default:		return "unknown";
	}
}

int nsh_family_parse(const char *name)
{
	if (strcmp(name, "inet") == 0)
		return NSH_FAM_INET;
	if (strcmp(name, "ip") == 0)
		return NSH_FAM_IP;
	if (strcmp(name, "ip6") == 0)
		return NSH_FAM_IP6;
	return -1;
}

/* NF_INET_* hook -> nft's name: the one table the renderer, parser and completer share. */
const char *nsh_hook_name(uint32_t hooknum)
{
	static const char *const hooks[] = {
		[NF_INET_PRE_ROUTING] = "prerouting",
		[NF_INET_LOCAL_IN] = "input",
		[NF_INET_FORWARD] = "forward",
		[NF_INET_LOCAL_OUT] = "output",
		[NF_INET_POST_ROUTING] = "postrouting",
		[NF_INET_INGRESS] = "ingress",
	};

	return hooknum < NSH_ARRAY_SIZE(hooks) ? hooks[hooknum] : "unknown";
}

/* natsh's own base chains: created by the transaction, checked by load, flushed by load. */
const struct nsh_own_chain nsh_own_chains[NSH_OWN_NCHAINS] = {
	{ "prerouting", NF_INET_PRE_ROUTING, -100 },
	{ "output", NF_INET_LOCAL_OUT, -100 },
	{ "postrouting", NF_INET_POST_ROUTING, 100 },
	{ "input", NF_INET_LOCAL_IN, 100 },
};

/* Linear over the four base chains. */
const struct nsh_own_chain *nsh_own_chain_find(const char *name)
{
	size_t i;

	for (i = 0; i < NSH_OWN_NCHAINS; i++)
		if (!strcmp(nsh_own_chains[i].name, name))
			return &nsh_own_chains[i];
	return NULL;
}

void nsh_set_free(struct nsh_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; set->chains && i < set->nelems; i++)
		free(set->chains[i]);
	free(set->chains);
	free(set->keys);
	free(set->elems);
	free(set);
}

void nsh_stmt_clear(struct nsh_stmt *s)
{
	switch (s->kind) {
	case NSH_ST_MATCH:
		nsh_set_free(s->match.set);
		free(s->match.set_name);
		break;
	case NSH_ST_NAT:
		nsh_set_free(s->nat.map);
		break;
	case NSH_ST_VERDICT:
		free(s->verdict.chain);
		break;
	case NSH_ST_OPAQUE:
		free(s->opaque.text);
		break;
	case NSH_ST_LOG:
		free(s->log.prefix);
		break;
	case NSH_ST_DYNSET:
		free(s->dynset.set);
		break;
	case NSH_ST_VMAP:
		nsh_set_free(s->vmap.map);
		free(s->vmap.name);
		break;
	default:
		break;
	}
	memset(s, 0, sizeof(*s));
}

void nsh_rule_clear(struct nsh_rule *r)
{
	size_t i;

	for (i = 0; i < r->nstmts; i++)
		nsh_stmt_clear(&r->stmts[i]);
	free(r->stmts);
	free(r->comment);
	free(r->nft_text);
	memset(r, 0, sizeof(*r));
}

static void chain_clear(struct nsh_chain *c)
{
	size_t i;

	for (i = 0; i < c->nrules; i++)
		nsh_rule_clear(&c->rules[i]);
	free(c->rules);
	free(c->name);
	free(c->type);
}

void nsh_ruleset_free(struct nsh_ruleset *rs)
{
	size_t i, j;

	if (!rs)
		return;
	for (i = 0; i < rs->ntables; i++) {
		struct nsh_table *t = &rs->tables[i];

		for (j = 0; j < t->nchains; j++)
			chain_clear(&t->chains[j]);
		free(t->chains);
		for (j = 0; j < t->nsets; j++)
			nsh_nset_clear(&t->sets[j]);
		free(t->sets);
		free(t->name);
	}
	free(rs->tables);
	free(rs);
}

struct nsh_table *nsh_ruleset_find_table(const struct nsh_ruleset *rs, int family,
					 const char *name)
{
	size_t i;

	for (i = 0; i < rs->ntables; i++)
		if ((family == NSH_FAM_UNSPEC || rs->tables[i].family == family) &&
		    strcmp(rs->tables[i].name, name) == 0)
			return &rs->tables[i];
	return NULL;
}

struct nsh_chain *nsh_table_find_chain(const struct nsh_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nchains; i++)
		if (strcmp(t->chains[i].name, name) == 0)
			return &t->chains[i];
	return NULL;
}

struct nsh_rule *nsh_chain_find_handle(const struct nsh_chain *c, uint64_t handle)
{
	size_t i;

	for (i = 0; i < c->nrules; i++)
		if (c->rules[i].handle == handle)
			return &c->rules[i];
	return NULL;
}

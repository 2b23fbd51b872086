/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The completion engine: the grammar walker of shell/dispatch.c says which
 * grammar nodes could take the next word; this file turns each node into
 * candidates (keywords with their help line, live names from the model).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "completions/complete.h"
#include "completions/complete_int.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "model/model.h"
#include "model/syntax/rule_parse.h"
#include "model/nl/sysctl.h"
#include "model/txn/txn.h"
#include "model/plan/wizard.h"
#include "model/syntax/rule_text.h"
#include "cmds/cmd.h"

/*
 * Rule text as help for positions and handles.  Weak: unit tests link
 * without the renderer; natsh itself links it through `show`.
 */
#pragma weak nsh_rule_render

/* Rules whose text is rendered as help, per completion (the shell shows fewer). */
#define RULE_TEXT_MAX 500
/* FNV-1a; placeholders hash apart from words. */
static size_t word_hash(const char *w, bool placeholder)
{
	size_t h = placeholder ? 0x9e3779b9u : 2166136261u;

	for (; *w; w++)
		h = (h ^ (unsigned char)*w) * 16777619u;
	return h;
}

/* Slot of word in the index: where it is, or the empty slot where it goes. */
static size_t index_slot(const struct nsh_cands *c, const char *word, bool placeholder)
{
	size_t mask = c->index_cap - 1, i = word_hash(word, placeholder) & mask, k;

	while ((k = c->index[i])) {
		if (c->v[k - 1].placeholder == placeholder && strcmp(c->v[k - 1].word, word) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

/* Keep the index at most half full (power-of-two size). */
static void index_grow(struct nsh_cands *c)
{
	size_t i;

	if (c->n + 1 <= c->index_cap / 2)
		return;
	free(c->index);
	c->index_cap = c->index_cap ? 2 * c->index_cap : 64;
	c->index = nsh_xcalloc(c->index_cap, sizeof(*c->index));
	for (i = 0; i < c->n; i++)
		c->index[index_slot(c, c->v[i].word, c->v[i].placeholder)] = i + 1;
}

/* Grammar order is kept; a duplicate costs one hash lookup. */
void nsh_cands_add(struct nsh_cands *c, const char *word, const char *help, bool placeholder)
{
	size_t slot;

	index_grow(c);
	slot = index_slot(c, word, placeholder);
	if (c->index[slot])
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->v = nsh_xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n].word = nsh_xstrdup(word);
	c->v[c->n].help = help ? nsh_xstrdup(help) : NULL;
	c->v[c->n].placeholder = placeholder;
	c->v[c->n].vk = NSH_VK_STRING;
	c->n++;
	c->index[slot] = c->n;
}

/* A placeholder that says which kind of value comes (tests tell free text from live names). */
void nsh_cands_add_value(struct nsh_cands *c, const char *word, const char *help, int vk)
{
	size_t n = c->n;

	nsh_cands_add(c, word, help, true);
	if (c->n > n)
		c->v[n].vk = vk;
}

/* Names of enum nsh_vk, in its order. */
const char *nsh_vk_name(int vk)
{
	static const char *const names[] = {
		"STRING", "NUMBER", "FAMILY", "TABLE", "CHAIN", "POSITION", "HANDLE",
		"IFACE", "ADDR", "ADDR_PORT", "PREFIX", "PORT", "PROTO", "FILE", "COMMAND",
		"WIZARD", "SYSCTL", "RULE", "REST", "WIZARD_NEW",
	};

	return vk >= 0 && (size_t)vk < NSH_ARRAY_SIZE(names) ? names[vk] : "?";
}

/* Release the candidates; NULL is fine. */
void nsh_cands_free(struct nsh_cands *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].word);
		free(c->v[i].help);
	}
	free(c->v);
	free(c->index);
	memset(c, 0, sizeof(*c));
}

struct walk {
	struct nsh_ctx *ctx;
	const struct nsh_cmd *const *tab;
	struct nsh_cands *out;
	const char *partial;
	const char *line;		/* the whole line, up to the cursor */
	const char *cmdtext;		/* the last command's text, up to the cursor */
	const struct nsh_tok *toks;	/* tokens of cmdtext, the partial word last */
	size_t ntoks;
};

/* Does s start with prefix? */
static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Add word when it continues the partial word; returns whether it did. */
static bool offer(struct walk *w, const char *word, const char *help)
{
	if (!has_prefix(word, w->partial))
		return false;
	nsh_cands_add(w->out, word, help, false);
	return true;
}

/* The table a VALUE refers to: the TABLE typed before, else the current one. */
static const struct nsh_table *arg_table(const struct walk *w, const struct nsh_args *a)
{
	const struct nsh_tok *ft = nsh_args_get(a, "FAMILY"), *tt = nsh_args_get(a, "TABLE");
	int fam = ft ? nsh_family_parse(ft->s) : NSH_FAM_UNSPEC;
	const struct nsh_ruleset *rs = nsh_comp_live_rs(w->ctx);

	if (!rs)
		return NULL;
	if (tt)
		return nsh_ruleset_find_table(rs, fam < 0 ? NSH_FAM_UNSPEC : fam, tt->s);
	if (fam > 0 && fam != w->ctx->family)
		return NULL;	/* a family other than the current table's: no table yet */
	return nsh_ruleset_find_table(rs, w->ctx->family, w->ctx->table);
}

/*
 * The offer_* functions return how many live values exist (before the
 * partial word filters them; 0: say what kind of value comes instead), or
 * -1 when the object named before does not exist (nothing can come).
 */
static int offer_tables(struct walk *w, const struct nsh_args *a)
{
	const struct nsh_tok *ft = nsh_args_get(a, "FAMILY");
	int fam = ft ? nsh_family_parse(ft->s) : NSH_FAM_UNSPEC;
	const struct nsh_ruleset *rs = nsh_comp_live_rs(w->ctx);
	char help[128];
	size_t i;
	int n = 0;

	for (i = 0; rs && i < rs->ntables; i++) {
		const struct nsh_table *t = &rs->tables[i];

		if (fam > 0 && t->family != fam)
			continue;
		snprintf(help, sizeof(help), "%s table, %zu chain%s", nsh_family_name(t->family),
			 t->nchains, t->nchains == 1 ? "" : "s");
		offer(w, t->name, help);
		n++;
	}
	return n;
}

/* A chain's help line: type, hook and how many rules (when they were read). */
static void chain_help(const struct nsh_ruleset *rs, const struct nsh_chain *c, char *buf,
		       size_t len)
{
	if (rs->no_rules && c->base)
		snprintf(buf, len, "%s hook %s", c->type ? c->type : "", nsh_hook_name(c->hooknum));
	else if (rs->no_rules)
		snprintf(buf, len, "regular chain");
	else if (c->base)
		snprintf(buf, len, "%s hook %s, %zu rule%s", c->type ? c->type : "",
			 nsh_hook_name(c->hooknum), c->nrules, c->nrules == 1 ? "" : "s");
	else
		snprintf(buf, len, "regular chain, %zu rule%s", c->nrules, c->nrules == 1 ? "" : "s");
}

/* Chains of the TABLE typed before, else of the current table. */
static int offer_chains(struct walk *w, const struct nsh_args *a)
{
	const struct nsh_tok *ft = nsh_args_get(a, "FAMILY");
	int fam = ft ? nsh_family_parse(ft->s) : NSH_FAM_UNSPEC;
	const struct nsh_table *t = arg_table(w, a);
	const struct nsh_ruleset *rs = nsh_comp_live_rs(w->ctx);
	char help[128];
	size_t i, j;
	int n = 0;

	if (!rs)
		return 0;
	if (t) {
		for (j = 0; j < t->nchains; j++) {
			chain_help(rs, &t->chains[j], help, sizeof(help));
			offer(w, t->chains[j].name, help);
		}
		return (int)t->nchains;
	}
	if (nsh_args_has(a, "TABLE"))
		return -1;
	/* no current table yet: every NAT chain (of the family given) is a fair guess */
	for (i = 0; i < rs->ntables; i++)
		for (j = 0; j < rs->tables[i].nchains; j++) {
			if (fam > 0 && rs->tables[i].family != fam)
				break;
			chain_help(rs, &rs->tables[i].chains[j], help, sizeof(help));
			offer(w, rs->tables[i].chains[j].name, help);
			n++;
		}
	return n;
}

/* The first table that has a chain of that name. */
static const struct nsh_table *table_with_chain(const struct nsh_ruleset *rs, const char *chain)
{
	size_t i;

	for (i = 0; i < rs->ntables; i++)
		if (nsh_table_find_chain(&rs->tables[i], chain))
			return &rs->tables[i];
	return NULL;
}

/* Positions or handles of the CHAIN named before, each with its rule text. */
static int offer_rules(struct walk *w, const struct nsh_args *a, bool handles)
{
	const struct nsh_table *t = arg_table(w, a);
	const struct nsh_tok *ct = nsh_args_get(a, "CHAIN");
	const struct nsh_ruleset *rs = nsh_comp_live_rs(w->ctx);
	const struct nsh_rule *rules;
	const uint64_t *hs;
	const struct nsh_chain *c;
	struct nsh_buf text;
	char word[32];
	size_t i, nr, shown = 0;

	if (!rs || !ct)
		return 0;
	if (!t && !nsh_args_has(a, "TABLE"))
		t = table_with_chain(rs, ct->s);	/* as offer_chains guessed */
	if (!t || !(c = nsh_table_find_chain(t, ct->s)))
		return -1;
	if (nsh_comp_chain_rules(w->ctx, rs, t, c, &rules, &hs, &nr) < 0)
		return 0;
	nsh_buf_init(&text);
	for (i = 0; i < nr; i++) {
		const struct nsh_rule *r = rules ? &rules[i] : NULL;
		uint64_t h = r ? r->handle : hs[i];

		if (handles)
			snprintf(word, sizeof(word), "%" PRIu64, h);
		else
			snprintf(word, sizeof(word), "%zu", i + 1);
		if (!has_prefix(word, w->partial))
			continue;	/* render only what is offered: 50,000 rules stay fast */
		nsh_buf_reset(&text);
		if (++shown > RULE_TEXT_MAX)
			;		/* nobody reads that many hints: the number alone */
		else if (!r)		/* a long chain read on demand: no rule text */
			nsh_buf_printf(&text, handles ? "rule %zu" : "handle %" PRIu64,
				       handles ? i + 1 : (size_t)h);
		else if (nsh_rule_render)
			nsh_rule_render(t, r, NSH_RF_COMMENT | NSH_RF_MARK, &text);
		else if (r->comment)
			nsh_buf_printf(&text, "comment \"%s\"", r->comment);
		if (r && !handles && !nsh_rule_render && shown <= RULE_TEXT_MAX)
			nsh_buf_printf(&text, "%shandle %" PRIu64, text.len ? ", " : "", h);
		offer(w, word, text.s);
	}
	nsh_buf_free(&text);
	return (int)nr;
}

/* Interfaces of the namespace natsh runs in. */
static int offer_ifaces(struct walk *w)
{
	struct if_nameindex *ifs = if_nameindex(), *p;
	int n = 0;

	for (p = ifs; p && p->if_index; p++, n++)
		offer(w, p->if_name, "interface");
	if (ifs)
		if_freenameindex(ifs);
	return n;
}

/* Command names and help topics, for help COMMAND. */
/* Addresses (prefix false) or subnets (prefix true) of the interfaces, loopback aside. */
/*
 * The machine's own addresses (or, with prefix, its subnets), not lo's nor
 * link-local ones, of IP version want (4, 6, or 0 for both), that start
 * with partial.  Returns how many the interfaces have.
 */
static int add_ifaddrs(struct nsh_cands *out, const char *partial, int want, bool prefix)
{
	struct ifaddrs *ifa, *p;
	char addr[INET6_ADDRSTRLEN], word[INET6_ADDRSTRLEN + 4], help[64];
	int n = 0;

	if (getifaddrs(&ifa) < 0)
		return 0;
	for (p = ifa; p; p = p->ifa_next) {
		unsigned char a[16], *m;
		int fam = p->ifa_addr ? p->ifa_addr->sa_family : 0;
		size_t len, i;
		unsigned plen = 0;

		if ((fam != AF_INET && fam != AF_INET6) || !p->ifa_netmask || !strcmp(p->ifa_name, "lo"))
			continue;
		if ((want == 4 && fam != AF_INET) || (want == 6 && fam != AF_INET6))
			continue;
		len = fam == AF_INET ? 4 : 16;
		memcpy(a, fam == AF_INET ? (void *)&((struct sockaddr_in *)p->ifa_addr)->sin_addr :
					   (void *)&((struct sockaddr_in6 *)p->ifa_addr)->sin6_addr, len);
		if (fam == AF_INET6 && a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
			continue;	/* link-local: not something NAT rules name */
		m = fam == AF_INET ? (unsigned char *)&((struct sockaddr_in *)p->ifa_netmask)->sin_addr :
				     (unsigned char *)&((struct sockaddr_in6 *)p->ifa_netmask)->sin6_addr;
		for (i = 0; i < len; i++) {
			plen += (unsigned)__builtin_popcount(m[i]);
			if (prefix)
				a[i] &= m[i];
		}
		inet_ntop(fam, a, addr, sizeof(addr));
		if (prefix) {
			snprintf(word, sizeof(word), "%s/%u", addr, plen);
			snprintf(help, sizeof(help), "the subnet of %s", p->ifa_name);
		} else {
			snprintf(word, sizeof(word), "%s", addr);
			snprintf(help, sizeof(help), "address of %s", p->ifa_name);
		}
		if (has_prefix(word, partial))
			nsh_cands_add(out, word, help, false);
		n++;
	}
	freeifaddrs(ifa);
	return n;
}

static int offer_addrs(struct walk *w, bool prefix)
{
	return add_ifaddrs(w->out, w->partial, 0, prefix);
}

static void on_sysctl_key(void *arg, const char *key, const char *help)
{
	offer(arg, key, help);
}

/* The sysctl keys natsh knows that exist in this namespace. */
static int offer_sysctls(struct walk *w)
{
	nsh_sysctl_each(on_sysctl_key, w);
	return 1;
}

/* Wizard groups: the names in the wizard tags of the rules' comments. */
static int offer_wizards(struct walk *w)
{
	const struct nsh_ruleset *rs = nsh_comp_live_rs(w->ctx);
	char name[NSH_WIZ_NAME_MAX + 1], help[96];
	const char *role;
	size_t i, j, k;
	int n = 0;

	for (i = 0; rs && i < rs->ntables; i++) {
		const struct nsh_table *t = &rs->tables[i];

		/* wizards write natsh's own table only: read its chains when needed */
		if (rs->no_rules && (t->family != NSH_OWN_FAMILY || strcmp(t->name, NSH_OWN_TABLE)))
			continue;
		for (j = 0; j < t->nchains; j++) {
			const struct nsh_rule *rules;
			const uint64_t *hs;
			size_t nr;

			if (nsh_comp_chain_rules(w->ctx, rs, t, &t->chains[j], &rules, &hs, &nr) < 0 ||
			    !rules)
				continue;
			for (k = 0; k < nr; k++) {
				const struct nsh_rule *r = &rules[k];

				if (!r->comment || !(role = nsh_wiz_tag_parse(r->comment, name)))
					continue;
				snprintf(help, sizeof(help), "%s wizard", nsh_wiz_role_kind(role));
				offer(w, name, help);
				n++;
			}
		}
	}
	return n;
}

/* Protocols a PROTO value accepts, as the wizard's own parser decides. */
static int offer_protos(struct walk *w)
{
	static const char *const protos[] = { "tcp", "udp", "tcp+udp", "sctp", "icmp" };
	struct nsh_err err = { 0 };
	unsigned proto;
	size_t i;
	int n = 0;

	for (i = 0; i < NSH_ARRAY_SIZE(protos); i++) {
		if (nsh_wiz_parse_proto(protos[i], 0, &proto, &err) < 0) {
			nsh_err_clear(&err);
			continue;
		}
		offer(w, protos[i], "protocol");
		n++;
	}
	return n;
}

/* The forms of the command named before: "help wizard <Tab>". */
static int offer_subcommands(struct walk *w, const struct nsh_args *a)
{
	const struct nsh_tok *ct = nsh_args_get(a, "COMMAND");
	const char *words[32], *helps[32];
	const struct nsh_cmd *c;
	bool ambiguous;
	size_t i, n;

	if (!ct || !(c = nsh_cmd_lookup_in(w->tab, ct->s, &ambiguous)))
		return 0;
	n = nsh_cmd_subcommands(c, words, helps, NSH_ARRAY_SIZE(words));
	for (i = 0; i < n; i++)
		offer(w, words[i], helps[i]);
	return (int)n;
}

static int offer_commands(struct walk *w)
{
	size_t i;

	for (i = 0; w->tab[i]; i++)
		offer(w, w->tab[i]->name, w->tab[i]->summary);
	for (i = 0; nsh_help_topics[i]; i++)
		offer(w, nsh_help_topics[i]->name, nsh_help_topics[i]->summary);
	return 1;
}

/* The family a rule is written for: FAMILY typed before, else the current table's. */
static int rule_family(const struct walk *w, const struct nsh_args *a)
{
	const struct nsh_tok *ft = nsh_args_get(a, "FAMILY");
	int fam = ft ? nsh_family_parse(ft->s) : -1;

	return fam > 0 ? fam : w->ctx->family;
}

/* The context's rule completer, or a placeholder when it has none. */
static void offer_rule(struct walk *w, const struct nsh_gram *g, size_t start,
		       const struct nsh_args *a)
{
	size_t off = strlen(w->cmdtext);

	if (!w->ctx->complete_rule) {
		nsh_cands_add_value(w->out, g->text, g->help, g->vk);
		return;
	}
	/* the rule starts at token start, or at the end of the line */
	if (start < w->ntoks)
		off = w->toks[start].off;
	w->ctx->complete_rule(w->ctx, w->line, (size_t)(w->cmdtext - w->line) + off,
			       rule_family(w, a), w->out);
}

struct rule_walk {
	struct nsh_cands *out;
	const char *partial;
};

/*
 * The value kind of a rule-grammar placeholder (IFNAME, ADDR, PORT, ...:
 * model/rule_gram.c nsh_rg_type_name) or of what the rule parser expects
 * ("expected an interface name"), so that a hint says what it stands for.
 */
static int rule_value_kind(const char *what)
{
	static const struct { const char *name, *expected; int vk; } kinds[] = {
		{ "IFNAME", "interface name", NSH_VK_IFACE },
		{ "PROTO", "protocol", NSH_VK_PROTO },
		{ "PORT", "port", NSH_VK_PORT },
		{ "ADDR6", "address", NSH_VK_ADDR },
		{ "ADDR", "ADDR", NSH_VK_ADDR },
		{ "N", "number", NSH_VK_NUMBER },
		{ "MARK", "mark", NSH_VK_NUMBER },
	};
	size_t i;

	for (i = 0; i < NSH_ARRAY_SIZE(kinds); i++)
		if (!strcmp(what, kinds[i].name) || strstr(what, kinds[i].expected))
			return kinds[i].vk;
	return NSH_VK_STRING;
}

/* A word of the rule grammar; upper-case ones are placeholders. */
static void on_rule_word(void *arg, const char *word, const char *help)
{
	struct rule_walk *rw = arg;

	if (strncmp(word, rw->partial, strlen(rw->partial)) != 0)
		return;
	if (word[0] >= 'A' && word[0] <= 'Z')
		nsh_cands_add_value(rw->out, word, help, rule_value_kind(word));
	else
		nsh_cands_add(rw->out, word, help, false);
}

/* Interfaces for an IFNAME of the rule grammar: quoted as nft writes them when a quote is typed. */
static int rule_ifaces(struct nsh_cands *out, const char *partial)
{
	struct if_nameindex *ifs = if_nameindex(), *p;
	char word[IF_NAMESIZE + 3];
	bool quoted = partial[0] == '"';
	int n = 0;

	for (p = ifs; p && p->if_index; p++, n++) {
		snprintf(word, sizeof(word), quoted ? "\"%s\"" : "%s", p->if_name);
		if (!strncmp(word, partial, strlen(partial)))
			nsh_cands_add(out, word, "interface", false);
	}
	if (ifs)
		if_freenameindex(ifs);
	return n;
}

/* IPv4 neighbours of this namespace (the kernel's ARP table), as candidates. */
static void add_neighbours(struct nsh_cands *out, const char *partial)
{
	char line[256], ip[64], dev[64], help[96];
	unsigned flags;
	FILE *f = fopen("/proc/net/arp", "re");
	int lines = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && lines++ < 4096) {
		if (sscanf(line, "%63s %*s %x %*s %*s %63s", ip, &flags, dev) != 3 || !(flags & 2))
			continue;	/* the header, or an incomplete entry */
		snprintf(help, sizeof(help), "a neighbour on %s", dev);
		if (has_prefix(ip, partial))
			nsh_cands_add(out, ip, help, false);
	}
	fclose(f);
}

/* The addresses NAT rules of the last listing already send to: backends in use. */
static void add_backends(struct nsh_ctx *ctx, struct nsh_cands *out, const char *partial,
			 int want)
{
	const struct nsh_ruleset *rs = ctx->cache;
	char addr[INET6_ADDRSTRLEN];
	size_t t, c, r, k;

	if (!rs || rs->no_rules)
		return;
	for (t = 0; t < rs->ntables; t++)
		for (c = 0; c < rs->tables[t].nchains; c++)
			for (r = 0; r < rs->tables[t].chains[c].nrules; r++) {
				const struct nsh_rule *ru = &rs->tables[t].chains[c].rules[r];

				for (k = 0; k < ru->nstmts; k++) {
					const struct nsh_nat *n = &ru->stmts[k].nat;
					int fam;

					if (ru->stmts[k].kind != NSH_ST_NAT ||
					    (n->addr != NSH_NAT_ADDR_VALUE && n->addr != NSH_NAT_ADDR_RANGE))
						continue;
					fam = n->addr_min.len == 4 ? AF_INET : n->addr_min.len == 16 ? AF_INET6 : 0;
					if (!fam || (want == 4 && fam != AF_INET) || (want == 6 && fam != AF_INET6))
						continue;
					inet_ntop(fam, n->addr_min.data, addr, sizeof(addr));
					if (has_prefix(addr, partial))
						nsh_cands_add(out, addr, n->type == NSH_NAT_DNAT ?
							      "a backend already used" :
							      "a NAT address already used", false);
				}
			}
}

/*
 * An address of a rule (after "ip saddr", "dnat to"...): the router's own
 * addresses (and subnets where a prefix may stand), its neighbours, and the
 * addresses NAT rules already use, of the version the rule wants.
 */
static void rule_addrs(struct nsh_ctx *ctx, struct nsh_cands *out, const char *partial,
		       int family, const char *expected)
{
	int want = strstr(expected, "IPv4") ? 4 : strstr(expected, "IPv6") ? 6 :
		   family == NSH_FAM_IP ? 4 : family == NSH_FAM_IP6 ? 6 : 0;

	if (partial[0] == '[')	/* "[2001:db8::1]:80" is the user's to finish */
		return;
	add_ifaddrs(out, partial, want, false);
	if (strstr(expected, "prefix"))
		add_ifaddrs(out, partial, want, true);
	if (want != 6)
		add_neighbours(out, partial);
	add_backends(ctx, out, partial, want);
}

/* Rule words from model/rule_parse.c, which splits words at blanks, braces and commas. */
/* Does text name word as a word of its own (not inside a longer one)? */
static bool names_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = strstr(text, word); p && n; p = strstr(p + 1, word))
		if ((p == text || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[n]))
			return true;
	return false;
}

void nsh_complete_rule_nft(struct nsh_ctx *ctx, const char *line, size_t start, int family,
			   struct nsh_cands *out)
{
	size_t cursor = strlen(line), p = cursor;
	struct rule_walk rw = { .out = out };

	/* the rule grammar splits words at blanks and at '{', '}' and ',' */
	size_t before = out->n, i;
	struct nsh_err err = { 0 };
	struct nsh_rule r = { 0 };

	while (p > start && !strchr(" \t{},", line[p - 1]))
		p--;
	out->start = p;
	rw.partial = line + p;
	nsh_rule_complete(line, start, cursor, family, on_rule_word, &rw);
	/* a value the system names: ports (/etc/services), protocols (/etc/protocols) */
	if (nsh_rule_parse(line, start, p, family, &r, &err) < 0 &&
	    strncmp(err.msg, "expected ", 9) == 0) {
		if (strstr(err.msg, "a port number"))
			nsh_comp_services(out, rw.partial, true);
		else if (strstr(err.msg, "a protocol name"))
			nsh_comp_protos(out, rw.partial);
		else if (strstr(err.msg, "an interface name"))
			rule_ifaces(out, rw.partial);
		else if ((strstr(err.msg, " address") || strstr(err.msg, "ADDR")) &&
			 !strstr(err.msg, "\"to\" and"))	/* "dnat " wants "to" first */
			rule_addrs(ctx, out, rw.partial, family, err.msg);
	}
	nsh_rule_clear(&r);
	nsh_err_clear(&err);
	memset(&r, 0, sizeof(r));
	if (p != cursor)
		return;
	/*
	 * What the parser expects here, as a hint, unless it only names the
	 * keywords already offered ("expected sport or dport"): then it is a
	 * value ("expected a port number or range", "expected ADDR[:PORT]").
	 */
	if (nsh_rule_parse(line, start, cursor, family, &r, &err) < 0 &&
	    strncmp(err.msg, "expected ", 9) == 0) {
		for (i = before; i < out->n; i++)
			if (names_word(err.msg, out->v[i].word))
				break;
		if (i == out->n)
			nsh_cands_add_value(out, "<value>", err.msg, rule_value_kind(err.msg));
	}
	nsh_rule_clear(&r);
}

/* The three families natsh reads. */
static void offer_families(struct walk *w)
{
	offer(w, "ip", "IPv4 tables");
	offer(w, "ip6", "IPv6 tables");
	offer(w, "inet", "tables for IPv4 and IPv6");
}

/* Values that accept any word (so they can shadow each other). */
/*
 * An iptables line: the options of `iptables`/`ip6tables`, or of the line
 * `translate` takes.  Returns whether it was one.
 */
static bool offer_iptables(struct walk *w, size_t start)
{
	size_t done = w->partial == w->toks[w->ntoks ? w->ntoks - 1 : 0].s ? w->ntoks - 1 : w->ntoks;
	const char *cmd = w->toks[0].s;

	if (strcmp(cmd, "iptables") && strcmp(cmd, "ip6tables")) {
		if (start >= done) {
			if (offer(w, "iptables", "an iptables line") | offer(w, "ip6tables", "an ip6tables line"))
				return true;
			return false;
		}
		if (strcmp(w->toks[start].s, "iptables") && strcmp(w->toks[start].s, "ip6tables"))
			return false;
	}
	start = strcmp(cmd, "iptables") && strcmp(cmd, "ip6tables") ? start + 1 : 1;
	nsh_comp_ipt(w->ctx, w->toks + start, done > start ? done - start : 0, w->partial, w->out);
	return true;
}

/* Called by the grammar walker for each node that could take the next word. */
static void on_next(void *arg, const struct nsh_gram *g, size_t start,
		    const struct nsh_args *a)
{
	struct walk *w = arg;
	int n = 0;

	if (!g) {
		if (!w->partial[0])
			w->out->may_end = true;
		return;
	}
	if (g->kind == NSH_G_WORD) {
		offer(w, g->text, g->help);
		return;
	}
	switch (g->vk) {
	case NSH_VK_FAMILY:	offer_families(w); return;
	case NSH_VK_TABLE:	n = offer_tables(w, a); break;
	case NSH_VK_CHAIN:	n = offer_chains(w, a); break;
	case NSH_VK_POSITION:	n = offer_rules(w, a, false); break;
	case NSH_VK_HANDLE:	n = offer_rules(w, a, true); break;
	case NSH_VK_IFACE:	n = offer_ifaces(w); break;
	case NSH_VK_ADDR:	n = offer_addrs(w, false); break;
	case NSH_VK_PREFIX:	n = offer_addrs(w, true); break;
	case NSH_VK_SYSCTL:
		if (strchr(w->partial, '=')) {	/* KEY= typed: the value is the user's */
			nsh_cands_add_value(w->out, "VALUE", "the new value", NSH_VK_STRING);
			return;
		}
		n = offer_sysctls(w);
		break;
	case NSH_VK_WIZARD:	n = offer_wizards(w); break;
	case NSH_VK_WIZARD_NEW:	/* existing groups, and room for a new name */
		offer_wizards(w);
		break;
	case NSH_VK_PROTO:	n = offer_protos(w); break;
	case NSH_VK_PORT:	n = nsh_comp_services(w->out, w->partial, false); break;
	case NSH_VK_COMMAND:	n = offer_commands(w); break;
	case NSH_VK_SUBCOMMAND:	/* a command without forms takes none: no placeholder */
		offer_subcommands(w, a);
		return;
	case NSH_VK_FILE:	w->out->files = true; break;
	case NSH_VK_RULE:	offer_rule(w, g, start, a); return;
	case NSH_VK_REST:
		if (offer_iptables(w, start))
			return;
		break;
	default:		break;
	}
	/* the interfaces' addresses are suggestions: any address may be typed */
	if (n == 0 || g->vk == NSH_VK_FILE || g->vk == NSH_VK_ADDR || g->vk == NSH_VK_PREFIX)
		nsh_cands_add_value(w->out, g->text, g->help, g->vk);
}

/* Split off the word being typed, then walk the command's grammar up to it. */
int nsh_complete(struct nsh_ctx *ctx, const struct nsh_cmd *const *tab, const char *line,
		 struct nsh_cands *out)
{
	struct nsh_toks toks;
	struct nsh_err err = { 0 };
	const struct nsh_cmd *cmd;
	struct walk w = { .ctx = ctx, .tab = tab, .out = out };
	size_t base = nsh_line_last_cmd(line), done;
	bool ambiguous;

	memset(out, 0, sizeof(*out));
	w.line = line;
	w.cmdtext = line + base;
	nsh_lex(w.cmdtext, true, &toks, &err);
	w.toks = toks.v;
	w.ntoks = toks.n;
	if (toks.n && !toks.trailing_space) {
		done = toks.n - 1;
		w.partial = toks.v[done].s;
		out->start = base + toks.v[done].off;
	} else {
		done = toks.n;
		w.partial = "";
		out->start = strlen(line);
	}
	if (done == 0) {
		size_t i;

		for (i = 0; tab[i]; i++)
			offer(&w, tab[i]->name, tab[i]->summary);
		goto out;
	}
	cmd = nsh_cmd_lookup_in(tab, toks.v[0].s, &ambiguous);
	if (!cmd)
		goto out;
	if (!cmd->args) {
		out->may_end = done == 1;
		goto out;
	}
	nsh_gram_next(cmd->args, toks.v, 1, done, on_next, &w);
out:
	nsh_toks_free(&toks);
	return 0;
}

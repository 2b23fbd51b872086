/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Wizard groups: rules found again by their "wizard NAME: ROLE" comments. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/flows.h"
#include "cmds/wizard/wizard_int.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "render/out.h"
#include "model/syntax/rule_text.h"
#include "render/ct.h"

/* The group of name, appended when new. */
static struct wiz_group *group_get(struct wiz_group **v, size_t *n, const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i].name, name))
			return &(*v)[i];
	*v = nsh_xrealloc(*v, (*n + 1) * sizeof(**v));
	memset(&(*v)[*n], 0, sizeof(**v));
	snprintf((*v)[*n].name, sizeof((*v)[*n].name), "%s", name);
	return &(*v)[(*n)++];
}

/* Rules that count the group's traffic once: the dnat rules, or the masquerade/snat rule. */
static bool role_is_entry(const char *role)
{
	return !strcmp(role, "port forward (dnat)") || !strcmp(role, "router access (dnat)") ||
	       !strcmp(role, "masquerade") || !strcmp(role, "snat");
}

/* See wizard_int.h: scans inet natsh only, where wizards write. */
size_t wiz_groups_find(const struct nsh_ruleset *rs, struct wiz_group **out)
{
	const struct nsh_table *t = rs ? nsh_ruleset_find_table(rs, WIZ_FAMILY, WIZ_TABLE) : NULL;
	char name[NSH_WIZ_NAME_MAX + 1];
	size_t n = 0, c, r;

	*out = NULL;
	if (!t)
		return 0;
	for (c = 0; c < t->nchains; c++) {
		const struct nsh_chain *ch = &t->chains[c];

		for (r = 0; r < ch->nrules; r++) {
			const struct nsh_rule *rule = &ch->rules[r];
			const char *role = nsh_wiz_tag_parse(rule->comment, name);
			struct wiz_group *g;

			if (!role)
				continue;
			g = group_get(out, &n, name);
			g->rules = nsh_xrealloc(g->rules, (g->nrules + 1) * sizeof(*g->rules));
			g->rules[g->nrules].chain = ch;
			g->rules[g->nrules].rule = rule;
			g->rules[g->nrules].role = role;
			g->nrules++;
			if (!g->kind || !strcmp(nsh_wiz_role_kind(role), "forward"))
				g->kind = nsh_wiz_role_kind(role);
			if (role_is_entry(role))
				g->hits += rule->packets;
		}
	}
	return n;
}

/* Frees the rule arrays; the rules belong to the ruleset. */
void wiz_groups_free(struct wiz_group *g, size_t n)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < n; i++)
		free(g[i].rules);
	free(g);
}

/* NULL when no group has that name. */
const struct wiz_group *wiz_group_by_name(const struct wiz_group *g, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(g[i].name, name))
			return &g[i];
	return NULL;
}

/* See wizard_int.h: what `wizard show NAME` and `wizard remove NAME` start with. */
const struct wiz_group *wiz_group_named(struct nsh_ctx *ctx, const struct nsh_tok *name,
					struct wiz_group **g, size_t *n)
{
	const struct wiz_group *w;

	*g = NULL;
	*n = 0;
	if (nsh_ctx_refresh(ctx) != NSH_OK)
		return NULL;
	*n = wiz_groups_find(ctx->cache, g);
	w = wiz_group_by_name(*g, *n, name->s);
	if (!w) {
		nsh_error_at(ctx, name, "unknown wizard \"%s\" (see wizard list)", name->s);
		wiz_groups_free(*g, *n);
		*g = NULL;
		*n = 0;
	}
	return w;
}

/* See wizard_int.h. */
const struct wiz_rule *wiz_group_main(const struct wiz_group *g)
{
	size_t i;

	for (i = 0; i < g->nrules; i++)
		if (!strcmp(g->rules[i].role, "port forward (dnat)") ||
		    !strcmp(g->rules[i].role, "masquerade") || !strcmp(g->rules[i].role, "snat"))
			return &g->rules[i];
	return g->nrules ? &g->rules[0] : NULL;
}

/* A match's right-hand side as nft prints it (values, ranges, prefixes, sets). */
static void put_rhs(const struct nsh_match *m, struct nsh_buf *b)
{
	enum nsh_type type = m->key->type;
	size_t i;

	switch (m->rhs) {
	case NSH_RHS_VALUE:
		if (type == NSH_T_IFNAME)	/* unquoted in a summary */
			nsh_buf_putn(b, (const char *)m->val.data, strnlen((const char *)m->val.data, m->val.len));
		else
			nsh_val_render(type, &m->val, b);
		break;
	case NSH_RHS_PREFIX:
		nsh_val_render(type, &m->val, b);
		nsh_buf_printf(b, "/%u", m->plen);
		break;
	case NSH_RHS_RANGE:
		nsh_val_render(type, &m->val, b);
		nsh_buf_putc(b, '-');
		nsh_val_render(type, &m->hi, b);
		break;
	case NSH_RHS_SET:
		for (i = 0; m->set && i < m->set->nelems; i++) {
			if (i)
				nsh_buf_putc(b, '+');
			nsh_val_render(type, &m->set->elems[i].lo, b);
		}
		break;
	case NSH_RHS_NAMED_SET:
		nsh_buf_printf(b, "@%s", m->set_name ? m->set_name : "?");
		break;
	}
}

/* The first match on key id, or NULL. */
static const struct nsh_match *find_match(const struct nsh_rule *r, enum nsh_key_id id)
{
	size_t i;

	for (i = 0; i < r->nstmts; i++)
		if (r->stmts[i].kind == NSH_ST_MATCH && r->stmts[i].match.key &&
		    r->stmts[i].match.key->id == id)
			return &r->stmts[i].match;
	return NULL;
}

/* The rule's nat statement, or NULL. */
static const struct nsh_nat *find_nat(const struct nsh_rule *r)
{
	size_t i;

	for (i = 0; i < r->nstmts; i++)
		if (r->stmts[i].kind == NSH_ST_NAT)
			return &r->stmts[i].nat;
	return NULL;
}

/* See wizard_int.h. */
unsigned wiz_rule_ports(const struct nsh_rule *r, uint16_t *lo, uint16_t *hi)
{
	unsigned proto = 0;
	size_t i;

	*lo = 1;
	*hi = 65535;
	for (i = 0; i < r->nstmts; i++) {
		const struct nsh_match *m = &r->stmts[i].match;

		if (r->stmts[i].kind != NSH_ST_MATCH || !m->key || m->key->type != NSH_T_PORT)
			continue;
		proto = m->key->id == NSH_K_TCP_DPORT ? NSH_WIZ_TCP :
			m->key->id == NSH_K_UDP_DPORT ? NSH_WIZ_UDP : NSH_WIZ_TCP | NSH_WIZ_UDP;
		if (m->rhs == NSH_RHS_VALUE || m->rhs == NSH_RHS_RANGE) {
			*lo = (m->val.data[0] << 8) | m->val.data[1];
			*hi = m->rhs == NSH_RHS_RANGE ? (m->hi.data[0] << 8) | m->hi.data[1] : *lo;
		}
	}
	return proto;
}

/* See wizard_int.h: built from the typed rule, not from its text. */
char *wiz_group_summary(const struct wiz_group *g)
{
	const struct wiz_rule *w = wiz_group_main(g);
	const struct nsh_match *m;
	const struct nsh_nat *nat;
	struct nsh_buf b;

	nsh_buf_init(&b);
	if (!w)
		return nsh_buf_steal(&b);
	if (!strcmp(g->kind, "forward")) {
		struct nsh_wiz_backend be[NSH_WIZ_BACKENDS_MAX];
		size_t i, n = nsh_wiz_rule_backends(w->rule, be, NSH_WIZ_BACKENDS_MAX);
		char s[32];

		if ((m = find_match(w->rule, NSH_K_TCP_DPORT)))
			nsh_buf_puts(&b, "tcp ");
		else if ((m = find_match(w->rule, NSH_K_UDP_DPORT)))
			nsh_buf_puts(&b, "udp ");
		else if ((m = find_match(w->rule, NSH_K_TH_DPORT)))
			nsh_buf_puts(&b, "tcp+udp ");
		if (m)
			put_rhs(m, &b);
		nsh_buf_puts(&b, " ->");
		for (i = 0; i < n; i++)
			nsh_buf_printf(&b, "%s %s", i ? "," : "", nsh_wiz_backend_str(&be[i], s, sizeof(s)));
		return nsh_buf_steal(&b);
	}
	if ((m = find_match(w->rule, NSH_K_IP_SADDR))) {
		put_rhs(m, &b);
		nsh_buf_putc(&b, ' ');
	}
	if ((m = find_match(w->rule, NSH_K_OIFNAME))) {
		nsh_buf_puts(&b, "out ");
		put_rhs(m, &b);
	}
	nat = find_nat(w->rule);
	if (nat && nat->type == NSH_NAT_SNAT && nat->addr == NSH_NAT_ADDR_VALUE) {
		nsh_buf_puts(&b, " to ");
		nsh_val_render(NSH_T_IPV4, &nat->addr_min, &b);
	} else {
		nsh_buf_puts(&b, " (masquerade)");
	}
	return nsh_buf_steal(&b);
}

/* `wizard list`: name, kind, rules, hits, summary (text columns or JSON array). */
int wiz_list(struct nsh_ctx *ctx)
{
	static const char *const headers[] = { "NAME", "KIND", "RULES", "HITS", "SUMMARY" };
	static const bool right[] = { false, false, true, true, false };
	struct wiz_group *g;
	struct nsh_cols *t = NULL;
	size_t i, n;

	if (nsh_ctx_refresh(ctx) != NSH_OK)
		return NSH_FAIL;
	n = wiz_groups_find(ctx->cache, &g);
	if (nsh_out_json(ctx->out))
		nsh_out_arr_open(ctx->out, NULL);
	else if (n == 0)
		nsh_out_text(ctx->out, "no wizards (try: wizard forward NAME tcp PORT to ADDR[:PORT])\n");
	else
		t = nsh_cols_new(5, headers, right);
	for (i = 0; i < n; i++) {
		char *sum = wiz_group_summary(&g[i]), rules[16], hits[16], hb[16];

		if (t) {
			const char *cells[] = { g[i].name, g[i].kind, rules, hits, sum };

			snprintf(rules, sizeof(rules), "%zu", g[i].nrules);
			snprintf(hits, sizeof(hits), "%s", nsh_human(g[i].hits, hb));
			nsh_cols_add(t, cells, NULL);
		} else {
			nsh_out_obj_open(ctx->out, NULL);
			nsh_out_string(ctx->out, NSH_C_NONE, "name", NULL, g[i].name);
			nsh_out_string(ctx->out, NSH_C_NONE, "kind", NULL, g[i].kind);
			nsh_out_uint(ctx->out, NSH_C_NONE, "rules", NULL, g[i].nrules);
			nsh_out_uint(ctx->out, NSH_C_NONE, "hits", NULL, g[i].hits);
			nsh_out_string(ctx->out, NSH_C_NONE, "summary", NULL, sum);
			nsh_out_obj_close(ctx->out);
		}
		free(sum);
	}
	if (nsh_out_json(ctx->out))
		nsh_out_arr_close(ctx->out);
	if (t) {
		nsh_cols_print(t, ctx->out);
		nsh_cols_free(t);
	}
	wiz_groups_free(g, n);
	return NSH_OK;
}

/* `wizard show NAME`: the group's rules with positions, handles and counters. */
/* Whether the group rule wr is one natsh can attribute entries to. */
static bool wiz_rule_known(const struct nsh_flows *f, const struct nsh_ruleset *rs,
			   const struct wiz_rule *wr)
{
	size_t ti, ci;

	for (ti = 0; ti < rs->ntables; ti++)
		for (ci = 0; ci < rs->tables[ti].nchains; ci++) {
			const struct nsh_chain *c = &rs->tables[ti].chains[ci];

			if (c == wr->chain)
				return nsh_flows_chain(f, ti, ci)[wr->rule - c->rules] >= 0;
		}
	return false;
}

/* The live conntrack entries of a group's rules, kept for the listing. */
struct wiz_flows {
	const struct nsh_ruleset *rs;
	const struct wiz_group *w;
	int64_t *count;			/* per group rule */
	struct nsh_ct *cts;
	size_t ncts, cap;
};

static void wiz_flow_cb(const struct nsh_ct *ct, const struct nsh_flow_ref *refs, size_t n,
			void *arg)
{
	struct wiz_flows *st = arg;
	bool kept = false;
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct nsh_rule *r =
			&st->rs->tables[refs[i].table].chains[refs[i].chain].rules[refs[i].rule];

		for (j = 0; j < st->w->nrules; j++) {
			if (st->w->rules[j].rule != r)
				continue;
			st->count[j]++;
			if (!kept) {
				if (st->ncts == st->cap) {
					st->cap = st->cap ? st->cap * 2 : 64;
					st->cts = nsh_xrealloc(st->cts, st->cap * sizeof(*st->cts));
				}
				st->cts[st->ncts++] = *ct;
				kept = true;
			}
		}
	}
}

int wiz_show(struct nsh_ctx *ctx, const struct nsh_tok *name)
{
	static const char *const headers[] = {
		"CHAIN", "#", "HANDLE", "PACKETS", "BYTES", "FLOWS", "RULE"
	};
	static const bool right[] = { false, true, true, true, true, true, false };
	struct wiz_flows fl = { 0 };
	struct nsh_flows *flows;
	const struct nsh_table *tab;
	const struct wiz_group *w;
	struct wiz_group *g;
	struct nsh_cols *t = NULL;
	struct nsh_buf b;
	size_t i, n;
	char *sum;

	w = wiz_group_named(ctx, name, &g, &n);
	if (!w)
		return NSH_FAIL;
	tab = nsh_ruleset_find_table(ctx->cache, WIZ_FAMILY, WIZ_TABLE);
	fl.rs = ctx->cache;	/* read by wiz_group_named */
	fl.w = w;
	fl.count = nsh_xcalloc(w->nrules ? w->nrules : 1, sizeof(*fl.count));
	flows = nsh_ctx_flows(ctx, ctx->cache, wiz_flow_cb, &fl);
	sum = wiz_group_summary(w);
	nsh_buf_init(&b);
	nsh_out_obj_open(ctx->out, NULL);
	nsh_out_string(ctx->out, NSH_C_HEADER, "name", "wizard %s", w->name);
	nsh_out_string(ctx->out, NSH_C_NONE, "kind", " (%s): ", w->kind);
	nsh_out_string(ctx->out, NSH_C_NONE, "summary", "%s\n", sum);
	nsh_out_uint(ctx->out, NSH_C_NONE, "hits", NULL, w->hits);
	nsh_out_arr_open(ctx->out, "rules");
	if (!nsh_out_json(ctx->out))
		t = nsh_cols_new(7, headers, right);
	for (i = 0; i < w->nrules; i++) {
		const struct wiz_rule *wr = &w->rules[i];
		char pos[16], handle[24], pk[16], by[16], fc[24];
		/* a rule natsh cannot attribute, or no conntrack: "?" / null */
		bool known = flows && wiz_rule_known(flows, ctx->cache, wr);

		nsh_buf_reset(&b);
		nsh_rule_render(tab, wr->rule, NSH_RF_COMMENT | (t ? NSH_RF_MARK : 0), &b);
		snprintf(pos, sizeof(pos), "%u", wr->rule->position);
		snprintf(handle, sizeof(handle), "%llu", (unsigned long long)wr->rule->handle);
		if (t) {
			const char *cells[] = { wr->chain->name, pos, handle, pk, by, fc, b.s };

			snprintf(fc, sizeof(fc), known ? "%lld" : "?", (long long)fl.count[i]);
			nsh_human(wr->rule->packets, pk);
			nsh_human(wr->rule->bytes, by);
			nsh_cols_add(t, cells, NULL);
			continue;
		}
		nsh_out_obj_open(ctx->out, NULL);
		nsh_out_string(ctx->out, NSH_C_NONE, "chain", NULL, wr->chain->name);
		nsh_out_uint(ctx->out, NSH_C_NONE, "position", NULL, wr->rule->position);
		nsh_out_uint(ctx->out, NSH_C_NONE, "handle", NULL, wr->rule->handle);
		nsh_out_uint(ctx->out, NSH_C_NONE, "packets", NULL, wr->rule->packets);
		nsh_out_uint(ctx->out, NSH_C_NONE, "bytes", NULL, wr->rule->bytes);
		if (known)
			nsh_out_uint(ctx->out, NSH_C_NONE, "flows", NULL, (uint64_t)fl.count[i]);
		else
			nsh_out_null(ctx->out, "flows", NULL);
		nsh_out_string(ctx->out, NSH_C_NONE, "role", NULL, wr->role);
		nsh_out_string(ctx->out, NSH_C_NONE, "rule", NULL, b.s);
		nsh_out_bool(ctx->out, "opaque", NULL, wr->rule->opaque);
		nsh_out_obj_close(ctx->out);
	}
	nsh_out_arr_close(ctx->out);
	if (t) {
		nsh_cols_print(t, ctx->out);
		nsh_cols_free(t);
		if (fl.ncts)
			nsh_out_ctext(ctx->out, NSH_C_HEADER, "\nflows (%zu live conntrack entr%s "
				      "these rules made)\n", fl.ncts, fl.ncts == 1 ? "y" : "ies");
	}
	nsh_out_arr_open(ctx->out, "flows");
	for (i = 0; i < fl.ncts; i++)
		nsh_ct_render(ctx->out, &fl.cts[i], &b);
	nsh_out_arr_close(ctx->out);
	nsh_out_obj_close(ctx->out);
	nsh_flows_free(flows);
	free(fl.cts);
	free(fl.count);
	nsh_buf_free(&b);
	free(sum);
	wiz_groups_free(g, n);
	return NSH_OK;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Rule equality for `iptables -D CHAIN RULE`: the rule that says the same. */
#include <string.h>

#include "model/syntax/ipt.h"

/* Same length and bytes. */
static bool val_same(const struct nsh_val *a, const struct nsh_val *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

/* Same kind, bounds, prefix and data. */
static bool elem_same(const struct nsh_elem *a, const struct nsh_elem *b)
{
	size_t i;

	if (a->kind != b->kind || !val_same(&a->lo, &b->lo) || a->ndata != b->ndata)
		return false;
	if (a->kind == NSH_ELEM_RANGE && !val_same(&a->hi, &b->hi))
		return false;
	if (a->kind == NSH_ELEM_PREFIX && a->plen != b->plen)
		return false;
	for (i = 0; i < a->ndata && i < 2; i++)
		if (!val_same(&a->data[i], &b->data[i]))
			return false;
	return true;
}

/* Element lists in the same order (both sides come sorted from the kernel or the parser). */
static bool set_same(const struct nsh_set *a, const struct nsh_set *b)
{
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->key_type != b->key_type || a->nelems != b->nelems || a->ndata != b->ndata)
		return false;
	for (i = 0; i < a->nelems; i++)
		if (!elem_same(&a->elems[i], &b->elems[i]))
			return false;
	return true;
}

/* Same key, operator and right-hand side. */
static bool match_same(const struct nsh_match *a, const struct nsh_match *b)
{
	if (a->key != b->key || a->op != b->op || a->rhs != b->rhs || a->bitmask != b->bitmask)
		return false;
	if (a->key->kind == NSH_KK_NUMGEN &&
	    (a->numgen_type != b->numgen_type || a->numgen_mod != b->numgen_mod ||
	     a->numgen_offset != b->numgen_offset))
		return false;
	switch (a->rhs) {
	case NSH_RHS_VALUE:
		return val_same(&a->val, &b->val);
	case NSH_RHS_PREFIX:
		return a->plen == b->plen && val_same(&a->val, &b->val);
	case NSH_RHS_RANGE:
		return val_same(&a->val, &b->val) && val_same(&a->hi, &b->hi);
	case NSH_RHS_SET:
		return set_same(a->set, b->set);
	case NSH_RHS_NAMED_SET:
		return a->set_name && b->set_name && strcmp(a->set_name, b->set_name) == 0;
	}
	return false;
}

/* Same kind, addresses, ports and flags (the family is implied by the table). */
static bool nat_same(const struct nsh_nat *a, const struct nsh_nat *b)
{
	if (a->type != b->type || a->addr != b->addr || a->has_port != b->has_port ||
	    a->flags != b->flags)
		return false;
	if (a->has_port && (a->port_min != b->port_min || a->port_max != b->port_max))
		return false;
	switch (a->addr) {
	case NSH_NAT_ADDR_NONE:
		return true;
	case NSH_NAT_ADDR_VALUE:
		return val_same(&a->addr_min, &b->addr_min);
	case NSH_NAT_ADDR_RANGE:
		return val_same(&a->addr_min, &b->addr_min) && val_same(&a->addr_max, &b->addr_max);
	case NSH_NAT_ADDR_PREFIX:
		return a->addr_plen == b->addr_plen && val_same(&a->addr_min, &b->addr_min);
	case NSH_NAT_ADDR_MAP:
		return false;	/* iptables never writes maps */
	}
	return false;
}

/* Counters are skipped: a live rule carries its counts, a parsed one zeros. */
static const struct nsh_stmt *next_stmt(const struct nsh_rule *r, size_t *i)
{
	while (*i < r->nstmts && r->stmts[*i].kind == NSH_ST_COUNTER)
		(*i)++;
	return *i < r->nstmts ? &r->stmts[(*i)++] : NULL;
}

/* Every match of a has its own equal match in b, and they have as many (order free). */
static bool matches_same(const struct nsh_rule *a, const struct nsh_rule *b)
{
	bool used[64] = { false };
	size_t i, j, na = 0, nb = 0;

	for (j = 0; j < b->nstmts; j++)
		nb += b->stmts[j].kind == NSH_ST_MATCH;
	for (i = 0; i < a->nstmts; i++) {
		if (a->stmts[i].kind != NSH_ST_MATCH)
			continue;
		na++;
		for (j = 0; j < b->nstmts && j < 64; j++)
			if (!used[j] && b->stmts[j].kind == NSH_ST_MATCH &&
			    match_same(&a->stmts[i].match, &b->stmts[j].match))
				break;
		if (j >= b->nstmts || j >= 64)
			return false;
		used[j] = true;
	}
	return na == nb;
}

/* The next statement that is neither a counter nor a match. */
static const struct nsh_stmt *next_action(const struct nsh_rule *r, size_t *i)
{
	const struct nsh_stmt *s;

	while ((s = next_stmt(r, i)) && s->kind == NSH_ST_MATCH)
		;
	return s;
}

/*
 * See ipt.h: the same matches in any order (as iptables compares the
 * options of -D), the same statements after them in order, the same
 * comment; opaque rules never match.
 */
bool nsh_ipt_rule_same(const struct nsh_rule *a, const struct nsh_rule *b)
{
	const struct nsh_stmt *x, *y;
	size_t i = 0, j = 0;

	if (a->opaque || b->opaque || !matches_same(a, b))
		return false;
	if ((a->comment == NULL) != (b->comment == NULL) ||
	    (a->comment && strcmp(a->comment, b->comment)))
		return false;
	for (;;) {
		x = next_action(a, &i);
		y = next_action(b, &j);
		if (!x || !y)
			return x == y;
		if (x->kind != y->kind)
			return false;
		switch (x->kind) {
		case NSH_ST_NAT:
			if (!nat_same(&x->nat, &y->nat))
				return false;
			break;
		case NSH_ST_VERDICT:
			if (x->verdict.code != y->verdict.code ||
			    (x->verdict.chain == NULL) != (y->verdict.chain == NULL) ||
			    (x->verdict.chain && strcmp(x->verdict.chain, y->verdict.chain)))
				return false;
			break;
		default:
			return false;
		}
	}
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Rule parser, statements: counter, nat (with maps and numgen), verdicts, comment. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>

#include "model/syntax/rule_parse_int.h"
#include "model/values.h"
#include "lib/util.h"

#define COMMENT_MAX 128
#define CHAIN_MAX 255

static const char *nat_name(enum nsh_nat_type t)
{
	switch (t) {
	case NSH_NAT_SNAT:	return "snat";
	case NSH_NAT_DNAT:	return "dnat";
	case NSH_NAT_MASQ:	return "masquerade";
	default:		return "redirect";
	}
}

/* nft takes port 0, but no connection uses it: a translation to it is a typo. */
static int port_zero(struct nsh_rp *p, const struct nsh_word *t)
{
	nsh_err_set(p->err, t->off, t->len, "port 0 is reserved: no TCP or UDP connection uses "
		    "it, so nothing would be translated to it");
	return -1;
}

/* PORT or PORT-PORT (host order out). */
static int parse_ports(const char *s, struct nsh_nat *n)
{
	char buf[64], *dash;
	struct nsh_val lo, hi;
	uint16_t a, b;

	if (!*s || strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (dash)
		*dash = 0;
	if (nsh_val_parse(NSH_T_PORT, buf, &lo) < 0)
		return -1;
	hi = lo;
	if (dash && nsh_val_parse(NSH_T_PORT, dash + 1, &hi) < 0)
		return -1;
	memcpy(&a, lo.data, 2);
	memcpy(&b, hi.data, 2);
	n->port_min = ntohs(a);
	n->port_max = ntohs(b);
	if (n->port_min > n->port_max)
		return -1;
	n->has_port = true;
	return 0;
}

/* ADDR, ADDR-ADDR or ADDR/LEN of type into the nat statement. */
static int parse_addr(const char *s, enum nsh_type type, struct nsh_nat *n)
{
	char buf[128], *sep;
	uint32_t plen;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if ((sep = strchr(buf, '/'))) {
		*sep = 0;
		if (nsh_val_parse(type, buf, &n->addr_min) < 0 || nsh_u32_parse(sep + 1, &plen) < 0 ||
		    plen == 0 || plen > n->addr_min.len * 8u)
			return -1;
		nsh_val_prefix_mask(&n->addr_min, plen);
		n->addr_max = n->addr_min;
		nsh_val_prefix_last(&n->addr_max, plen);
		n->addr_plen = plen;
		n->addr = plen == n->addr_min.len * 8u ? NSH_NAT_ADDR_VALUE : NSH_NAT_ADDR_PREFIX;
		return 0;
	}
	if ((sep = strchr(buf, '-'))) {
		*sep = 0;
		if (nsh_val_parse(type, buf, &n->addr_min) < 0 ||
		    nsh_val_parse(type, sep + 1, &n->addr_max) < 0 ||
		    nsh_val_cmp(type, &n->addr_min, &n->addr_max) > 0)
			return -1;
		n->addr = NSH_NAT_ADDR_RANGE;
		return 0;
	}
	if (nsh_val_parse(type, buf, &n->addr_min) < 0)
		return -1;
	n->addr = NSH_NAT_ADDR_VALUE;
	return 0;
}

/*
 * The word after "to": ADDR[:PORTS], [ADDR6]:PORTS, ADDR6, :PORTS.  *type
 * is the address family (NSH_T_INVALID: decide from the text).
 */
static int parse_nat_to(struct nsh_rp *p, const struct nsh_word *t, enum nsh_type *type,
			struct nsh_nat *n)
{
	char buf[160], *port = NULL, *addr = buf;
	const char *expect = nsh_rg_nat_expect(*type);

	if (t->quoted || strlen(t->s) >= sizeof(buf))
		return nsh_rp_err_tok(p, t, expect);
	strcpy(buf, t->s);
	if (buf[0] == ':') {
		addr = NULL;
		port = buf + 1;
	} else if (buf[0] == '[') {
		/* [ADDR6], [ADDR6]-[ADDR6], each optionally followed by :PORTS */
		char *close = strchr(buf, ']');

		if (close && close[1] == '-' && close[2] == '[') {
			char *close2 = strchr(close + 3, ']');

			if (!close2)
				return nsh_rp_err_tok(p, t, expect);
			/* "[lo]-[hi]" -> "lo-hi" in place */
			memmove(close, close + 1, 1);		/* '-' where ']' was */
			memmove(close + 1, close + 3, (size_t)(close2 - close - 3));
			close[1 + (close2 - close - 3)] = 0;
			close = close2;
		} else if (close) {
			*close = 0;
			if (strchr(buf, '-')) {
				/* nft: a range in one pair of brackets is no address */
				nsh_err_set(p->err, t->off, t->len,
					    "expected [ADDR6]-[ADDR6] (each end in its own brackets), "
					    "got \"%s\"", t->s);
				return -1;
			}
		}
		if (!close || (close[1] && close[1] != ':'))
			return nsh_rp_err_tok(p, t, expect);
		addr = buf + 1;
		if (close[1] == ':')
			port = close + 2;
		if (*type == NSH_T_IPV4) {
			nsh_err_set(p->err, t->off, t->len,
				    "expected an IPv4 address (this is %s ip), got \"%s\"",
				    nat_name(n->type), t->s);
			return -1;
		}
		*type = NSH_T_IPV6;
	} else {
		size_t colons = 0;
		char *c;

		for (c = buf; *c; c++)
			colons += *c == ':';
		if (*type == NSH_T_INVALID)
			*type = colons > 1 ? NSH_T_IPV6 : NSH_T_IPV4;
		if (*type == NSH_T_IPV4 && (c = strchr(buf, ':'))) {
			*c = 0;
			port = c + 1;
		}
	}
	if (addr && parse_addr(addr, *type, n) < 0) {
		if (*type == NSH_T_IPV6 && strchr(addr, '.') && !strchr(addr, ':'))
			nsh_err_set(p->err, t->off, t->len,
				    "expected an IPv6 address (this is %s ip6), got \"%s\"",
				    nat_name(n->type), t->s);
		else if (*type == NSH_T_IPV4 && strchr(t->s, ':') && !strchr(t->s, '.'))
			nsh_err_set(p->err, t->off, t->len,
				    "expected an IPv4 address (this is an ip table or %s ip), got \"%s\"",
				    nat_name(n->type), t->s);
		else
			nsh_rp_err_tok(p, t, expect);
		return -1;
	}
	if (port && parse_ports(port, n) < 0) {
		nsh_err_set(p->err, t->off, t->len,
			    "expected a port number or range after \":\", got \"%s\"", port);
		return -1;
	}
	if (port && n->port_max == 0)
		return port_zero(p, t);
	if (!addr && !port)
		return nsh_rp_err_tok(p, t, expect);
	return 0;
}

/* random, persistent, fully-random, comma separated. */
static int parse_nat_flags(struct nsh_rp *p, struct nsh_nat *n)
{
	const struct nsh_word *t;
	const struct nsh_rg_word *w;

	for (;;) {
		t = nsh_rp_peek(p);
		if (!t) {
			if (p->completing)
				nsh_rp_offer_tab(p, nsh_rg_nat_flags);
			return 0;
		}
		if (t->quoted || !(w = nsh_rg_find(nsh_rg_nat_flags, t->s)))
			return 0;
		n->flags |= w->id;
		p->pos++;
		t = nsh_rp_peek(p);
		if (t && !t->quoted && strcmp(t->s, ",") == 0) {
			p->pos++;
			t = nsh_rp_peek(p);
			if (!t) {
				if (p->completing) {
					nsh_rp_offer_tab(p, nsh_rg_nat_flags);
					return -2;
				}
				return nsh_rp_err_end(p, "random, persistent or fully-random");
			}
			if (t->quoted || !nsh_rg_find(nsh_rg_nat_flags, t->s)) {
				const char *c[] = { "random", "persistent", "fully-random" };

				return nsh_rp_err_unknown(p, t, "random, persistent or fully-random",
							  c, 3);
			}
		}
	}
}

static int need_transport(struct nsh_rp *p, const struct nsh_word *t, struct nsh_nat *n)
{
	if (p->l4_any)
		return 0;
	nsh_err_set(p->err, t->off, t->len,
		    "a port in %s needs a transport protocol match before it "
		    "(tcp dport, udp dport, meta l4proto...)", nat_name(n->type));
	return -1;
}

/* "numgen random|inc mod N map { ... }" or "KEY map { ... }" after "to". */
static int parse_nat_map(struct nsh_rp *p, struct nsh_nat *n, enum nsh_type *type)
{
	const struct nsh_word *t = nsh_rp_peek(p), *t0 = t;
	const struct nsh_rg_word *w;
	enum nsh_type kt, dt[2] = { *type, NSH_T_PORT };
	int rc;

	if (strcmp(t->s, "numgen") == 0) {
		p->pos++;
		n->mapkey.kind = NSH_MAPKEY_NUMGEN;
		rc = nsh_rp_numgen(p, &n->mapkey.numgen_type, &n->mapkey.numgen_mod,
				   &n->mapkey.numgen_offset);
		if (rc)
			return rc;
		kt = NSH_T_INTEGER;
	} else {
		const struct nsh_key_def *key;

		rc = nsh_rp_key(p, &key);
		if (rc)
			return rc;
		rc = nsh_rp_key_context(p, key, t0);
		if (rc)
			return rc;
		n->mapkey.kind = NSH_MAPKEY_KEY;
		n->mapkey.key = key;
		kt = key->type;
	}
	rc = nsh_rp_word(p, nsh_rg_map_word, "\"map\"", &w);
	if (rc)
		return rc;
	t = nsh_rp_peek(p);
	if (!t) {
		if (p->completing) {
			nsh_rp_offer(p, "{", "the map: { KEY : ADDR, ... }");
			return -2;
		}
		return nsh_rp_err_end(p, "\"{\"");
	}
	if (t->quoted || strcmp(t->s, "{") != 0)
		return nsh_rp_err_tok(p, t, "\"{\" (an anonymous map)");
	rc = nsh_rp_set(p, kt, 1, dt, &n->map, NULL);
	if (rc)
		return rc;
	*type = n->map->data_type[0];
	n->addr = NSH_NAT_ADDR_MAP;
	if (n->map->ndata == 2 && n->map->data_type[1] == NSH_T_PORT)
		return need_transport(p, t0, n);
	return 0;
}

/* "masquerade|redirect to :KEY map { K : PORT }" (the word is ":KEY"). */
static int parse_port_map(struct nsh_rp *p, struct nsh_nat *n)
{
	struct nsh_word *t = &p->toks[p->pos];
	const struct nsh_key_def *key;
	enum nsh_type dt[2] = { NSH_T_PORT, NSH_T_INVALID };
	const struct nsh_rg_word *w;
	int rc;

	if (!p->l4_any) {
		nsh_err_set(p->err, t->off, t->len, "transport protocol mapping is only valid after "
			    "transport protocol match");
		return -1;
	}
	memmove(t->s, t->s + 1, strlen(t->s));	/* the key's first word without ':' */
	t->off++;
	t->len--;
	rc = nsh_rp_key(p, &key);
	if (rc)
		return rc;
	rc = nsh_rp_key_context(p, key, t);
	if (rc)
		return rc;
	rc = nsh_rp_word(p, nsh_rg_map_word, "\"map\"", &w);
	if (rc)
		return rc;
	t = (struct nsh_word *)nsh_rp_peek(p);
	if (!t)
		return p->completing ? -2 : nsh_rp_err_end(p, "\"{\"");
	if (t->quoted || strcmp(t->s, "{") != 0)
		return nsh_rp_err_tok(p, t, "\"{\" (an anonymous map)");
	n->mapkey.kind = NSH_MAPKEY_KEY;
	n->mapkey.key = key;
	rc = nsh_rp_set(p, key->type, 1, dt, &n->map, NULL);
	if (rc)
		return rc;
	n->addr = NSH_NAT_ADDR_MAP;
	return 0;
}

static int parse_nat(struct nsh_rp *p, enum nsh_nat_type type, size_t tok0)
{
	struct nsh_nat n;
	const struct nsh_word *t, *fam_tok = NULL, *prefix_tok = NULL;
	const struct nsh_rg_word *w;
	enum nsh_type at = NSH_T_INVALID;
	struct nsh_stmt *s;
	int rc;

	memset(&n, 0, sizeof(n));
	n.type = type;
	if (p->family == NSH_FAM_IP)
		at = NSH_T_IPV4;
	else if (p->family == NSH_FAM_IP6)
		at = NSH_T_IPV6;
	t = nsh_rp_peek(p);
	if (type == NSH_NAT_DNAT || type == NSH_NAT_SNAT) {
		if (t && !t->quoted && (w = nsh_rg_find(nsh_rg_nat_families, t->s))) {
			fam_tok = t;
			if (p->family != NSH_FAM_INET && (int)w->id != p->family) {
				nsh_err_set(p->err, t->off, t->len,
					    "%s %s cannot be used in an %s table", nat_name(type), t->s,
					    nsh_family_name(p->family));
				return -1;
			}
			at = w->id == NSH_FAM_IP ? NSH_T_IPV4 : NSH_T_IPV6;
			p->pos++;
			t = nsh_rp_peek(p);
		}
		if (t && !t->quoted && strcmp(t->s, "prefix") == 0) {
			/* "snat ip prefix to KEY map { K : ADDR/N }": keep the host part */
			n.flags |= NF_NAT_RANGE_NETMAP;
			prefix_tok = t;
			p->pos++;
			t = nsh_rp_peek(p);
		}
		if (!t && p->completing && !fam_tok)
			nsh_rp_offer_tab(p, nsh_rg_nat_families);
		rc = nsh_rp_word(p, nsh_rg_nat_to, "\"to\" and an address", &w);
		if (rc)
			return rc;
		t = nsh_rp_peek(p);
		if (!t) {
			if (p->completing) {
				nsh_rp_offer_tab(p, nsh_rg_numgen_word);
				nsh_rp_offer_tab(p, nsh_rg_nat_map_keys);
				return -2;
			}
			return nsh_rp_err_end(p, "ADDR[:PORT]");
		}
		if (!t->quoted && (strcmp(t->s, "numgen") == 0 ||
				   nsh_rg_find(nsh_rg_key_words, t->s))) {
			rc = parse_nat_map(p, &n, &at);
			if (rc)
				goto err;
			if (prefix_tok && (n.map->ndata != 2 ||
					   n.map->data_type[0] != n.map->data_type[1])) {
				nsh_err_set(p->err, prefix_tok->off, prefix_tok->len,
					    "prefix needs a map of address prefixes: %s ip prefix to "
					    "KEY map { KEY : ADDR/LEN }", nat_name(type));
				rc = -1;
				goto err;
			}
		} else if (prefix_tok) {
			nsh_err_set(p->err, prefix_tok->off, prefix_tok->len,
				    "prefix needs a map of address prefixes: %s ip prefix to "
				    "KEY map { KEY : ADDR/LEN }", nat_name(type));
			return -1;
		} else {
			rc = parse_nat_to(p, t, &at, &n);
			if (rc)
				goto err;
			if (n.has_port && need_transport(p, t, &n) < 0) {
				rc = -1;
				goto err;
			}
			if (p->family == NSH_FAM_INET && n.addr == NSH_NAT_ADDR_NONE && !fam_tok) {
				nsh_err_set(p->err, t->off, t->len,
					    "in an inet table say %s ip or %s ip6 when only a port is given",
					    nat_name(type), nat_name(type));
				rc = -1;
				goto err;
			}
			p->pos++;
		}
		if (p->family == NSH_FAM_INET)
			n.family = at == NSH_T_IPV6 ? NSH_FAM_IP6 : NSH_FAM_IP;
		else if (fam_tok)
			n.family = p->family;
	} else if (t && !t->quoted && strcmp(t->s, "to") == 0) {
		p->pos++;
		t = nsh_rp_peek(p);
		if (!t)
			return p->completing ? -2 : nsh_rp_err_end(p, ":PORT or :PORT-PORT");
		if (!t->quoted && t->s[0] == ':' && nsh_rg_find(nsh_rg_key_words, t->s + 1)) {
			rc = parse_port_map(p, &n);
			if (rc)
				goto err;
			goto flags;
		}
		if (t->quoted || t->s[0] != ':' || parse_ports(t->s + 1, &n) < 0)
			return nsh_rp_err_tok(p, t, nsh_rg_nat_expect(NSH_T_PORT));
		if (n.port_max == 0)
			return port_zero(p, t);
		if (need_transport(p, t, &n) < 0)
			return -1;
		p->pos++;
	} else if (!t && p->completing) {
		nsh_rp_offer_tab(p, nsh_rg_nat_to);
	}
flags:
	rc = parse_nat_flags(p, &n);
	if (rc)
		goto err;
	s = nsh_rp_stmt_add(p, NSH_ST_NAT, tok0);
	s->nat = n;
	nsh_rp_stmt_end(p);
	return 0;
err:
	nsh_set_free(n.map);
	return rc;
}

static int parse_verdict(struct nsh_rp *p, enum nsh_verdict code, size_t tok0)
{
	struct nsh_stmt *s;
	const struct nsh_word *t;
	char *chain = NULL;

	if (code == NSH_V_JUMP || code == NSH_V_GOTO) {
		t = nsh_rp_peek(p);
		if (!t)
			return p->completing ? -2 : nsh_rp_err_end(p, "a chain name");
		if (!t->s[0] || strlen(t->s) > CHAIN_MAX || strchr("{},", t->s[0]))
			return nsh_rp_err_tok(p, t, "a chain name");
		chain = nsh_xstrdup(t->s);
		p->pos++;
	}
	s = nsh_rp_stmt_add(p, NSH_ST_VERDICT, tok0);
	s->verdict.code = code;
	s->verdict.chain = chain;
	nsh_rp_stmt_end(p);
	return 0;
}

int nsh_rp_stmt(struct nsh_rp *p)
{
	size_t tok0 = p->pos;
	const struct nsh_word *t = nsh_rp_peek(p);
	const struct nsh_rg_word *w = nsh_rg_find(nsh_rg_stmts, t->s);

	p->pos++;
	switch (w->id) {
	case NSH_RG_COUNTER: {
		size_t i;

		/* nft takes "counter counter" and counts every packet twice */
		for (i = 0; i < p->r->nstmts; i++)
			if (p->r->stmts[i].kind == NSH_ST_COUNTER) {
				nsh_err_set(p->err, t->off, t->len, "a second counter: a rule "
					    "takes one (it would count every packet twice)");
				return -1;
			}
		nsh_rp_stmt_add(p, NSH_ST_COUNTER, tok0);
		return 0;
	}
	case NSH_RG_NOCOUNTER:
		p->nocounter = true;
		return 0;
	case NSH_RG_DNAT:	return parse_nat(p, NSH_NAT_DNAT, tok0);
	case NSH_RG_SNAT:	return parse_nat(p, NSH_NAT_SNAT, tok0);
	case NSH_RG_MASQ:	return parse_nat(p, NSH_NAT_MASQ, tok0);
	case NSH_RG_REDIR:	return parse_nat(p, NSH_NAT_REDIR, tok0);
	case NSH_RG_ACCEPT:	return parse_verdict(p, NSH_V_ACCEPT, tok0);
	case NSH_RG_DROP:	return parse_verdict(p, NSH_V_DROP, tok0);
	case NSH_RG_RETURN:	return parse_verdict(p, NSH_V_RETURN, tok0);
	case NSH_RG_JUMP:	return parse_verdict(p, NSH_V_JUMP, tok0);
	case NSH_RG_GOTO:	return parse_verdict(p, NSH_V_GOTO, tok0);
	case NSH_RG_COMMENT:
		t = nsh_rp_peek(p);
		if (!t) {
			if (p->completing) {
				nsh_rp_offer(p, "\"", "the comment text, quoted");
				return -2;
			}
			return nsh_rp_err_end(p, "the comment text in quotes");
		}
		if (strlen(t->s) > COMMENT_MAX) {
			nsh_err_set(p->err, t->off, t->len,
				    "comment is %zu characters long; at most %d fit", strlen(t->s),
				    COMMENT_MAX);
			return -1;
		}
		if (!t->quoted && strchr("{},", t->s[0]))
			return nsh_rp_err_tok(p, t, "the comment text in quotes");
		for (const char *c = t->s; *c; c++)
			if ((unsigned char)*c < ' ' || *c == 0x7f) {
				/* one line per rule in show and in saved files */
				nsh_err_set(p->err, t->off, t->len, "a comment holds no control "
					    "characters (such as a newline or a tab)");
				return -1;
			}
		free(p->r->comment);
		p->r->comment = nsh_xstrdup(t->s);
		p->pos++;
		p->comment_at = true;
		return 0;
	default:
		return nsh_rp_stmt2(p, w->id, tok0);
	}
}

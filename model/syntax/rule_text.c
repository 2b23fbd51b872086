/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Model -> nft syntax, byte for byte what `nft list ruleset` (1.0.6) prints:
 * value formats per datatype, sets, ranges, prefixes, nat forms with their
 * family qualifiers and brackets, flags, counters and comments.
 */
#include <inttypes.h>
#include <netdb.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_nat.h>

#include "model/syntax/rule_nft.h"
#include "model/syntax/rule_text.h"
#include "model/syntax/rule_text_stmt.h"
#include "lib/util.h"

/* A host-order value of up to 4 bytes as a number. */
static uint32_t host_u32(const struct nsh_val *v)
{
	uint32_t x = 0;

	memcpy(&x, v->data, v->len < 4 ? v->len : 4);
	return x;
}

/* A NUL-terminated string, inlined. */
static inline void rb_puts(struct nsh_buf *b, const char *s)
{
	nsh_buf_putn_fast(b, s, strlen(s));
}

/* One character, inlined. */
static inline void rb_putc(struct nsh_buf *b, char c)
{
	nsh_buf_putn_fast(b, &c, 1);
}

/* A separator character then a decimal number. */
static void put_sep_uint(struct nsh_buf *b, char sep, uint64_t v)
{
	rb_putc(b, sep);
	nsh_buf_put_u64(b, v);
}

/* Dotted quad, as inet_ntop(AF_INET) writes it, without its sprintf. */
static void put_ipv4(struct nsh_buf *b, const uint8_t *a)
{
	nsh_buf_put_u64(b, a[0]);
	put_sep_uint(b, '.', a[1]);
	put_sep_uint(b, '.', a[2]);
	put_sep_uint(b, '.', a[3]);
}

/* Quoted name; a compare shorter than the name (no NUL) is a wildcard "eth*". */
static void render_ifname(const struct nsh_val *v, struct nsh_buf *b)
{
	size_t n = strnlen((const char *)v->data, v->len);

	rb_putc(b, '"');
	nsh_buf_putn_fast(b, (const char *)v->data, n);
	if (n == v->len && v->len < 16)
		rb_putc(b, '*');	/* compared on a prefix only: a wildcard */
	rb_putc(b, '"');
}

/* Protocol name as nft prints it (/etc/protocols), else the number. */
static void render_l4proto(uint8_t p, struct nsh_buf *b)
{
	struct protoent pe, *res = NULL;
	char tmp[1024];

	switch (p) {
	case IPPROTO_TCP:	rb_puts(b, "tcp"); return;
	case IPPROTO_UDP:	rb_puts(b, "udp"); return;
	case IPPROTO_ICMP:	rb_puts(b, "icmp"); return;
	default:		break;
	}
	if (getprotobynumber_r(p, &pe, tmp, sizeof(tmp), &res) == 0 && res)
		rb_puts(b, res->p_name);
	else
		nsh_buf_put_u64(b, p);
}

struct bitname {
	uint32_t bit;
	const char *name;
};

static const struct bitname ct_state_bits[] = {
	{ 1, "invalid" }, { 2, "established" }, { 4, "related" }, { 8, "new" },
	{ 64, "untracked" }, { 0, NULL },
};

static const struct bitname ct_status_bits[] = {
	{ 1, "expected" }, { 2, "seen-reply" }, { 4, "assured" }, { 8, "confirmed" },
	{ 16, "snat" }, { 32, "dnat" }, { 512, "dying" }, { 0, NULL },
};

/* Bitmask as names in bit order joined by by (","; " | " for a whole value); unknown bits in hex. */
static void render_bits_by(uint32_t v, const struct bitname *names, const char *by,
			   struct nsh_buf *b)
{
	const char *sep = "";
	size_t i;

	for (i = 0; names[i].name; i++)
		if (v & names[i].bit) {
			nsh_buf_printf(b, "%s%s", sep, names[i].name);
			sep = by;
			v &= ~names[i].bit;
		}
	if (v || !*sep)
		nsh_buf_printf(b, "%s0x%x", sep, v);
}

/* Bitmask as comma-separated names (nft's "any of" list). */
static void render_bits(uint32_t v, const struct bitname *names, struct nsh_buf *b)
{
	render_bits_by(v, names, ",", b);
}

static const char *const fib_types[] = {
	"unspec", "unicast", "local", "broadcast", "anycast", "multicast",
	"blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve",
};

/* One value in nft's format for its datatype. */
void nsh_val_render(enum nsh_type type, const struct nsh_val *v, struct nsh_buf *b)
{
	char addr[INET6_ADDRSTRLEN];
	uint32_t x;

	switch (type) {
	case NSH_T_IFNAME:
		render_ifname(v, b);
		return;
	case NSH_T_IPV4:
		put_ipv4(b, v->data);
		return;
	case NSH_T_IPV6:
		rb_puts(b, inet_ntop(AF_INET6, v->data, addr, sizeof(addr)));
		return;
	case NSH_T_PORT:
		nsh_buf_put_u64(b, (unsigned)(v->data[0] << 8 | v->data[1]));
		return;
	case NSH_T_L4PROTO:
		render_l4proto(v->data[0], b);
		return;
	case NSH_T_NFPROTO:
		if (v->data[0] == NFPROTO_IPV4)
			rb_puts(b, "ipv4");
		else if (v->data[0] == NFPROTO_IPV6)
			rb_puts(b, "ipv6");
		else
			nsh_buf_put_u64(b, v->data[0]);
		return;
	case NSH_T_MARK:
		nsh_buf_printf(b, "0x%08x", host_u32(v));
		return;
	case NSH_T_CT_STATE:
		render_bits(host_u32(v), ct_state_bits, b);
		return;
	case NSH_T_CT_STATUS:
		render_bits(host_u32(v), ct_status_bits, b);
		return;
	case NSH_T_CT_DIR:
		if (v->data[0] <= 1)
			rb_puts(b, v->data[0] ? "reply" : "original");
		else
			nsh_buf_put_u64(b, v->data[0]);
		return;
	case NSH_T_FIB_ADDRTYPE:
		x = host_u32(v);
		if (x < NSH_ARRAY_SIZE(fib_types))
			rb_puts(b, fib_types[x]);
		else
			nsh_buf_put_u64(b, x);
		return;
	case NSH_T_INTEGER_BE:
		nsh_buf_printf(b, "%u", (unsigned)v->data[0] << 24 | v->data[1] << 16 |
			       v->data[2] << 8 | v->data[3]);
		return;
	case NSH_T_INTEGER:
	default:
		nsh_buf_put_u64(b, host_u32(v));
		return;
	}
}

/* A range's ends: nft prints protocol numbers there, not names ("33-45", not "dccp-idrp"). */
static void range_render(enum nsh_type type, const struct nsh_val *lo, const struct nsh_val *hi,
			 struct nsh_buf *b)
{
	if (type == NSH_T_L4PROTO && lo->len == 1 && hi->len == 1) {
		nsh_buf_put_u64(b, lo->data[0]);
		put_sep_uint(b, '-', hi->data[0]);
		return;
	}
	nsh_val_render(type, lo, b);
	rb_putc(b, '-');
	nsh_val_render(type, hi, b);
}

static const char *const verdict_names[] = {
	[NSH_V_ACCEPT] = "accept", [NSH_V_DROP] = "drop", [NSH_V_RETURN] = "return",
	[NSH_V_CONTINUE] = "continue", [NSH_V_JUMP] = "jump", [NSH_V_GOTO] = "goto",
};

/* One key value of type: value, range or prefix. */
static void render_part(enum nsh_type type, const struct nsh_elem *el, struct nsh_buf *b)
{
	if (el->kind == NSH_ELEM_RANGE)
		range_render(type, &el->lo, &el->hi, b);
	else
		nsh_val_render(type, &el->lo, b);
	if (el->kind == NSH_ELEM_PREFIX && type != NSH_T_IFNAME) {
		put_sep_uint(b, '/', el->plen);	/* names: lo is "eth", shown "eth*" */
	}
}

/* Element i: its key (each part of a concatenation), and map data after " : ". */
static void render_elem(const struct nsh_set *set, size_t i, struct nsh_buf *b)
{
	size_t stride = nsh_set_stride(set), j;
	const struct nsh_elem *el = &set->elems[i * stride];

	if (set->nkeys > 1) {
		for (j = 0; j < set->nkeys; j++) {
			rb_puts(b, j ? " . " : "");
			render_part(set->keys[j]->type, &el[j], b);
		}
	} else {
		render_part(set->key_type, el, b);
	}
	if (set->ndata && set->data_type[0] == NSH_T_VERDICT) {
		uint8_t v = el->data[0].data[0];

		rb_puts(b, " : ");
		rb_puts(b, v < NSH_ARRAY_SIZE(verdict_names) ? verdict_names[v] : "continue");
		if (set->chains && set->chains[i]) {
			rb_putc(b, ' ');
			rb_puts(b, set->chains[i]);
		}
		return;
	}
	for (j = 0; j < el->ndata && j < set->ndata && j < 2; j++) {
		rb_puts(b, j ? " . " : " : ");
		nsh_val_render(set->data_type[j], &el->data[j], b);
	}
}

/* "{ a, b-c, d/n }". */
static void render_set(const struct nsh_set *set, struct nsh_buf *b)
{
	size_t i;

	rb_puts(b, "{ ");
	for (i = 0; i < set->nelems; i++) {
		if (i)
			rb_puts(b, ", ");
		render_elem(set, i, b);
	}
	rb_puts(b, " }");
}

/* The parts of a concatenated key: "ip daddr . tcp dport". */
static void render_concat_keys(const struct nsh_set *set, struct nsh_buf *b)
{
	size_t j;

	for (j = 0; set && j < set->nkeys; j++) {
		rb_puts(b, j ? " . " : "");
		rb_puts(b, set->keys[j]->name);
	}
}

static const char *const op_text[] = {
	[NSH_OP_EQ] = "", [NSH_OP_NEQ] = "!= ", [NSH_OP_LT] = "< ",
	[NSH_OP_GT] = "> ", [NSH_OP_LTE] = "<= ", [NSH_OP_GTE] = ">= ",
};

static void render_mapkey(const struct nsh_mapkey *k, struct nsh_buf *b);

/*
 * ct state/status as nft lists them: "a,b" any of (& mask != 0), "! a,b"
 * none of (& mask == 0); a whole-value compare "== a", "a | b", "!= a | b".
 */
static void render_flags(const struct nsh_match *m, struct nsh_buf *b)
{
	const struct bitname *names = m->key->type == NSH_T_CT_STATE ? ct_state_bits : ct_status_bits;
	uint32_t v = host_u32(&m->val);
	bool multi = v & (v - 1);

	if (m->bitmask) {
		nsh_buf_puts(b, m->op == NSH_OP_NEQ ? "! " : "");
		render_bits(v, names, b);
		return;
	}
	if (m->op == NSH_OP_NEQ)
		nsh_buf_puts(b, "!= ");
	else if (m->op == NSH_OP_EQ && !multi)
		nsh_buf_puts(b, "== ");
	else if (m->op != NSH_OP_EQ)
		nsh_buf_puts(b, op_text[m->op]);
	if (m->op == NSH_OP_EQ || m->op == NSH_OP_NEQ) {
		render_bits_by(v, names, " | ", b);
		return;
	}
	/* < > <= >=: nft writes the bits as numbers ("ct state < 0x1 | 0x4") */
	for (uint32_t bit = 1, sep = 0; bit && (v >= bit || !sep); bit <<= 1)
		if ((v & bit) || (!v && !sep)) {
			nsh_buf_printf(b, "%s0x%x", sep ? " | " : "", v & bit);
			sep = 1;
		}
}

/* KEY [op] RHS; the key numgen with its generator ("numgen inc mod 3"). */
static void render_match(const struct nsh_match *m, struct nsh_buf *b)
{
	enum nsh_type t = m->key->type;

	if (m->key->kind == NSH_KK_CONCAT) {
		render_concat_keys(m->set, b);
	} else if (m->key->kind == NSH_KK_NUMGEN) {
		struct nsh_mapkey ng = {
			.kind = NSH_MAPKEY_NUMGEN, .numgen_type = m->numgen_type,
			.numgen_mod = m->numgen_mod, .numgen_offset = m->numgen_offset,
		};

		render_mapkey(&ng, b);
	} else {
		rb_puts(b, m->key->name);
	}
	rb_putc(b, ' ');
	if (!(m->rhs == NSH_RHS_VALUE && (t == NSH_T_CT_STATE || t == NSH_T_CT_STATUS)))
		rb_puts(b, op_text[m->op]);
	switch (m->rhs) {
	case NSH_RHS_VALUE:
		if (t == NSH_T_CT_STATE || t == NSH_T_CT_STATUS) {
			render_flags(m, b);
			break;
		}
		nsh_val_render(t, &m->val, b);
		break;
	case NSH_RHS_PREFIX:
		nsh_val_render(t, &m->val, b);
		put_sep_uint(b, '/', m->plen);
		break;
	case NSH_RHS_RANGE:
		range_render(t, &m->val, &m->hi, b);
		break;
	case NSH_RHS_SET:
		render_set(m->set, b);
		break;
	case NSH_RHS_NAMED_SET:
		rb_putc(b, '@');
		rb_puts(b, m->set_name);
		break;
	}
}

/* The key of a nat map: a match key or "numgen random|inc mod N [offset O]". */
static void render_mapkey(const struct nsh_mapkey *k, struct nsh_buf *b)
{
	if (k->kind == NSH_MAPKEY_KEY) {
		rb_puts(b, k->key->name);
		return;
	}
	nsh_buf_printf(b, "numgen %s mod %u", k->numgen_type == NFT_NG_RANDOM ? "random" : "inc",
		       k->numgen_mod);
	if (k->numgen_offset)
		nsh_buf_printf(b, " offset %u", k->numgen_offset);
}

/* NAT flags in nft's order: random, fully-random, persistent. */
static void render_nat_flags(uint32_t flags, struct nsh_buf *b)
{
	const char *sep = " ";

	if (flags & NF_NAT_RANGE_PROTO_RANDOM) {
		nsh_buf_printf(b, "%srandom", sep);
		sep = ",";
	}
	if (flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY) {
		nsh_buf_printf(b, "%sfully-random", sep);
		sep = ",";
	}
	if (flags & NF_NAT_RANGE_PERSISTENT)
		nsh_buf_printf(b, "%spersistent", sep);
}

/* Length of the prefix [lo, hi] is, or -1 (for "snat ip prefix to ... map"). */
static int range_plen(const struct nsh_val *lo, const struct nsh_val *hi)
{
	int bits = lo->len * 8, i;

	for (i = 0; i < bits; i++) {
		int l = lo->data[i / 8] >> (7 - i % 8) & 1, h = hi->data[i / 8] >> (7 - i % 8) & 1;

		if (l != h)
			break;
	}
	for (int j = i; j < bits; j++)
		if ((lo->data[j / 8] >> (7 - j % 8) & 1) || !(hi->data[j / 8] >> (7 - j % 8) & 1))
			return -1;
	return i;
}

/* A nat map whose data is an address range per key: "{ K : A-B }" or, prefix, "K : A/N". */
static void render_range_map(const struct nsh_nat *n, struct nsh_buf *b)
{
	struct nsh_set keys = *n->map;
	size_t i;
	int plen;

	keys.ndata = 0;
	rb_puts(b, "{ ");
	for (i = 0; i < n->map->nelems; i++) {
		const struct nsh_elem *el = &n->map->elems[i * nsh_set_stride(n->map)];

		if (i)
			rb_puts(b, ", ");
		render_elem(&keys, i, b);
		rb_puts(b, " : ");
		nsh_val_render(n->map->data_type[0], &el->data[0], b);
		plen = range_plen(&el->data[0], &el->data[1]);
		if ((n->flags & NF_NAT_RANGE_NETMAP) && plen >= 0) {
			put_sep_uint(b, '/', (uint64_t)plen);
		} else if (memcmp(el->data[0].data, el->data[1].data, el->data[0].len)) {
			rb_putc(b, '-');
			nsh_val_render(n->map->data_type[1], &el->data[1], b);
		}
	}
	rb_puts(b, " }");
}

/* snat/dnat/masquerade/redirect with nft's brackets, family and "to" rules. */
static void render_nat(const struct nsh_nat *n, struct nsh_buf *b)
{
	static const char *const names[] = {
		[NSH_NAT_SNAT] = "snat", [NSH_NAT_DNAT] = "dnat",
		[NSH_NAT_MASQ] = "masquerade", [NSH_NAT_REDIR] = "redirect",
	};
	enum nsh_type at = n->addr_min.len == 16 ? NSH_T_IPV6 : NSH_T_IPV4;
	bool brackets = at == NSH_T_IPV6 && n->has_port;

	rb_puts(b, names[n->type]);
	if (n->addr != NSH_NAT_ADDR_NONE || n->has_port) {
		if (n->family == NSH_FAM_IP)
			rb_puts(b, " ip");
		else if (n->family == NSH_FAM_IP6)
			rb_puts(b, " ip6");
		if (n->flags & NF_NAT_RANGE_NETMAP)
			rb_puts(b, " prefix");
		rb_puts(b, " to");
		if (n->addr != NSH_NAT_ADDR_NONE)
			rb_putc(b, ' ');
	}
	switch (n->addr) {
	case NSH_NAT_ADDR_NONE:
		if (n->has_port)
			rb_putc(b, ' ');
		break;
	case NSH_NAT_ADDR_VALUE:
	case NSH_NAT_ADDR_RANGE:
		rb_puts(b, brackets ? "[" : "");
		nsh_val_render(at, &n->addr_min, b);
		rb_puts(b, brackets ? "]" : "");
		if (n->addr == NSH_NAT_ADDR_VALUE)
			break;
		rb_puts(b, brackets ? "-[" : "-");
		nsh_val_render(at, &n->addr_max, b);
		rb_puts(b, brackets ? "]" : "");
		break;
	case NSH_NAT_ADDR_PREFIX:
		nsh_val_render(at, &n->addr_min, b);
		put_sep_uint(b, '/', n->addr_plen);
		break;
	case NSH_NAT_ADDR_MAP:
		if (n->map->ndata == 1 && n->map->data_type[0] == NSH_T_PORT)
			rb_putc(b, ':');	/* redirect to :tcp dport map { 22 : 8000 } */
		render_mapkey(&n->mapkey, b);
		rb_puts(b, " map ");
		if (n->map->ndata == 2 && n->map->data_type[0] == n->map->data_type[1])
			render_range_map(n, b);
		else
			render_set(n->map, b);
		break;
	}
	if (n->has_port) {
		put_sep_uint(b, ':', n->port_min);
		if (n->port_max != n->port_min)
			put_sep_uint(b, '-', n->port_max);
	}
	render_nat_flags(n->flags, b);
}

/* KEY vmap { ... } | KEY vmap @name */
static void render_vmap(const struct nsh_vmap *v, struct nsh_buf *b)
{
	if (v->key.kind == NSH_MAPKEY_KEY && v->key.key->kind == NSH_KK_CONCAT)
		render_concat_keys(v->map, b);
	else
		render_mapkey(&v->key, b);
	rb_puts(b, " vmap ");
	if (v->name) {
		rb_putc(b, '@');
		rb_puts(b, v->name);
	} else {
		render_set(v->map, b);
	}
}

/* One statement. */
static void render_stmt(const struct nsh_stmt *s, unsigned flags, int family,
			struct nsh_buf *b)
{
	const char *const *verdicts = verdict_names;

	switch (s->kind) {
	case NSH_ST_MATCH:
		render_match(&s->match, b);
		break;
	case NSH_ST_COUNTER:
		rb_puts(b, "counter");
		if (flags & NSH_RF_COUNTERS) {
			rb_puts(b, " packets ");
			nsh_buf_put_u64(b, s->counter.packets);
			rb_puts(b, " bytes ");
			nsh_buf_put_u64(b, s->counter.bytes);
		}
		break;
	case NSH_ST_NAT:
		render_nat(&s->nat, b);
		break;
	case NSH_ST_VERDICT:
		rb_puts(b, verdicts[s->verdict.code]);
		if (s->verdict.chain) {
			rb_putc(b, ' ');
			rb_puts(b, s->verdict.chain);
		}
		break;
	case NSH_ST_OPAQUE:
		rb_puts(b, s->opaque.text ? s->opaque.text : "[ ? ]");
		break;
	case NSH_ST_NUMGEN_MATCH:
		rb_puts(b, "[ numgen ]");
		break;
	case NSH_ST_VMAP:
		render_vmap(&s->vmap, b);
		break;
	default:
		nsh_stmt_more_render(s, family, b);
		break;
	}
}

/* Statements joined by single spaces, then the comment when asked. */
void nsh_rule_render(const struct nsh_table *t, const struct nsh_rule *r, unsigned flags,
		     struct nsh_buf *b)
{
	size_t i;

	if (r->opaque && r->nft_text && !(flags & NSH_RF_RAW)) {
		nsh_rule_nft_render(r, flags, b);
		return;
	}
	for (i = 0; i < r->nstmts; i++) {
		if (i)
			rb_putc(b, ' ');
		render_stmt(&r->stmts[i], flags, t ? t->family : 0, b);
	}
	if ((flags & NSH_RF_COMMENT) && r->comment) {
		rb_puts(b, r->nstmts ? " comment \"" : "comment \"");
		rb_puts(b, r->comment);
		rb_putc(b, '"');
	}
	if ((flags & NSH_RF_MARK) && r->opaque)
		nsh_rule_mark(r, b);
}

/* nft names a priority within 10 of a standard one valid for the hook. */
void nsh_prio_render(int family, uint32_t hooknum, int32_t prio, struct nsh_buf *b)
{
	static const struct {
		const char *name;
		int32_t val;
		int hook;	/* -1: any hook */
	} std[] = {
		{ "raw", -300, -1 }, { "mangle", -150, -1 },
		{ "dstnat", -100, NF_INET_PRE_ROUTING }, { "filter", 0, -1 },
		{ "security", 50, -1 }, { "srcnat", 100, NF_INET_POST_ROUTING },
	};
	size_t i;

	(void)family;
	for (i = 0; i < NSH_ARRAY_SIZE(std); i++) {
		int32_t off = prio - std[i].val;

		if (std[i].hook >= 0 && (uint32_t)std[i].hook != hooknum)
			continue;
		if (off < -10 || off > 10)
			continue;
		rb_puts(b, std[i].name);
		if (off > 0)
			nsh_buf_printf(b, " + %d", off);
		else if (off < 0)
			nsh_buf_printf(b, " - %d", -off);
		return;
	}
	nsh_buf_printf(b, "%d", prio);
}

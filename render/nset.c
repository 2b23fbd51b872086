/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A named set or map in nft's text: declaration lines, then the elements. */
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "model/syntax/rule_text.h"
#include "model/syntax/rule_text_stmt.h"
#include "model/values.h"
#include "render/nset.h"

/* "ipv4_addr . inet_service" */
static void type_render(const struct nsh_nset_type *t, struct nsh_buf *b)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct nsh_dtype *d = nsh_dtype_find(t->id[i]);

		nsh_buf_printf(b, "%s%s", i ? " . " : "", d ? d->name : "invalid");
	}
}

/* One field: a value, or [lo, hi] as a prefix ("192.0.2.0/24", "eth*") or a range. */
static void field_render(const struct nsh_dtype *d, const uint8_t *lo, const uint8_t *hi,
			 struct nsh_buf *b)
{
	struct nsh_val a = { .len = d->len }, z = { .len = d->len };
	int plen;

	memcpy(a.data, lo, d->len);
	memcpy(z.data, hi, d->len);
	if (!memcmp(lo, hi, d->len)) {
		nsh_val_render(d->type, &a, b);
		return;
	}
	plen = nsh_range_plen(&a, &z);
	if (d->type == NSH_T_IFNAME && plen >= 0 && plen % 8 == 0) {
		a.len = (uint8_t)(plen / 8);
		nsh_val_render(d->type, &a, b);
		return;
	}
	nsh_val_render(d->type, &a, b);
	if ((d->type == NSH_T_IPV4 || d->type == NSH_T_IPV6) && plen >= 0) {
		nsh_buf_printf(b, "/%d", plen);
		return;
	}
	nsh_buf_putc(b, '-');
	nsh_val_render(d->type, &z, b);
}

/* The fields of a key or data value, " . " between them. */
static void value_render(const struct nsh_nset_type *t, const uint8_t *lo, const uint8_t *hi,
			 struct nsh_buf *b)
{
	size_t i, off = 0;

	for (i = 0; i < t->n; i++) {
		const struct nsh_dtype *d = nsh_dtype_find(t->id[i]);

		if (i)
			nsh_buf_puts(b, " . ");
		field_render(d, lo + off, hi + off, b);
		off += (t->len[i] + 3u) & ~3u;
	}
}

static void verdict_render(const struct nsh_nset_elem *e, struct nsh_buf *b)
{
	switch (e->verdict) {
	case NF_ACCEPT:		nsh_buf_puts(b, "accept"); break;
	case NF_DROP:		nsh_buf_puts(b, "drop"); break;
	case NFT_RETURN:	nsh_buf_puts(b, "return"); break;
	case NFT_CONTINUE:	nsh_buf_puts(b, "continue"); break;
	case NFT_JUMP:		nsh_buf_printf(b, "jump %s", e->chain ? e->chain : ""); break;
	case NFT_GOTO:		nsh_buf_printf(b, "goto %s", e->chain ? e->chain : ""); break;
	default:		nsh_buf_printf(b, "%d", e->verdict); break;
	}
}

static void elem_render(const struct nsh_nset *s, const struct nsh_nset_elem *e,
			struct nsh_buf *b)
{
	value_render(&s->key, e->key, e->key_end, b);
	if (s->flags & NFT_SET_MAP) {
		nsh_buf_puts(b, " : ");
		if (s->data.id[0] == NSH_DT_VERDICT)
			verdict_render(e, b);
		else
			value_render(&s->data, e->data, e->data, b);
	}
	if (e->timeout && e->timeout != s->timeout) {
		nsh_buf_puts(b, " timeout ");
		nsh_time_render(e->timeout, b);
	}
	if (e->comment)
		nsh_buf_printf(b, " comment \"%s\"", e->comment);
}

/* "flags constant,interval": in the order nft prints them. */
static void flags_render(uint32_t flags, struct nsh_buf *b)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ NFT_SET_CONSTANT, "constant" }, { NFT_SET_EVAL, "dynamic" },
		{ NFT_SET_INTERVAL, "interval" }, { NFT_SET_TIMEOUT, "timeout" },
	};
	const char *sep = "\t\tflags ";
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].bit))
			continue;
		nsh_buf_printf(b, "%s%s", sep, names[i].name);
		sep = ",";
	}
	if (*sep == ',')
		nsh_buf_putc(b, '\n');
}

/* See nset.h: the lines in nft 1.0.6's order. */
void nsh_nset_render(const struct nsh_nset *s, struct nsh_buf *b)
{
	const struct nsh_dtype *kd = nsh_dtype_find(s->key.id[0]);
	unsigned per_line = s->key.n == 1 && kd ? kd->per_line : 1, count = 0;
	size_t i;

	nsh_buf_printf(b, "\t%s %s {\n\t\ttype ", (s->flags & NFT_SET_MAP) ? "map" : "set",
		       s->name);
	type_render(&s->key, b);
	if (s->flags & NFT_SET_MAP) {
		nsh_buf_puts(b, " : ");
		type_render(&s->data, b);
	}
	nsh_buf_putc(b, '\n');
	if (!(s->flags & NFT_SET_CONSTANT)) {
		if (s->policy == NFT_SET_POL_MEMORY)
			nsh_buf_puts(b, "\t\tpolicy memory\n");
		if (s->size)
			nsh_buf_printf(b, "\t\tsize %u\n", s->size);
	}
	flags_render(s->flags, b);
	if (s->counter)
		nsh_buf_puts(b, "\t\tcounter\n");
	if (s->automerge)
		nsh_buf_puts(b, "\t\tauto-merge\n");
	if (s->timeout) {
		nsh_buf_puts(b, "\t\ttimeout ");
		nsh_time_render(s->timeout, b);
		nsh_buf_putc(b, '\n');
	}
	if (s->gc_interval) {
		nsh_buf_puts(b, "\t\tgc-interval ");
		nsh_time_render(s->gc_interval, b);
		nsh_buf_putc(b, '\n');
	}
	if (s->comment)
		nsh_buf_printf(b, "\t\tcomment \"%s\"\n", s->comment);
	if (s->nelems) {
		nsh_buf_puts(b, "\t\telements = { ");
		for (i = 0; i < s->nelems; i++) {
			if (i) {
				if (++count < per_line) {
					nsh_buf_puts(b, ", ");
				} else {
					count = 0;
					nsh_buf_puts(b, ",\n\t\t\t     ");
				}
			}
			elem_render(s, &s->elems[i], b);
		}
		nsh_buf_puts(b, " }\n");
	}
	nsh_buf_puts(b, "\t}\n");
}

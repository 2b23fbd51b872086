/* SPDX-License-Identifier: GPL-3.0-or-later */
/* diff's layout: the list of staged changes as "+" / "-" lines under chain headers. */
#include <string.h>

#include "model/syntax/rule_text.h"
#include "render/diff.h"

/* One rule line: the sign, then the rule as nft prints it (or its handle, unread). */
static void change_line(const struct nsh_change *x, struct nsh_buf *b)
{
	struct nsh_table tab = { .family = (uint8_t)x->family, .name = (char *)x->table };

	nsh_buf_printf(b, "%c ", x->op == NSH_CHANGE_ADD ? '+' : '-');
	if (x->rule)
		nsh_rule_render(&tab, x->rule, NSH_RF_COMMENT | NSH_RF_MARK, b);
	else if (x->text)
		nsh_buf_puts(b, x->text);
	else
		nsh_buf_printf(b, "(rule with handle %llu)", (unsigned long long)x->handle);
	nsh_buf_putc(b, '\n');
}

/* Same chain as the change before? */
static bool same_chain(const struct nsh_change *a, const struct nsh_change *b)
{
	return a->chain && b->chain && a->family == b->family && !strcmp(a->table, b->table) &&
	       !strcmp(a->chain, b->chain);
}

/* See render/diff.h. */
void nsh_diff_text(const struct nsh_change *v, size_t n, struct nsh_buf *b)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct nsh_change *x = &v[i];

		if (x->op == NSH_CHANGE_ADD_TABLE) {
			nsh_buf_printf(b, "+ table %s %s (with chains prerouting, output, postrouting, "
				       "input)\n", nsh_family_name(x->family), x->table);
			continue;
		}
		if (x->op == NSH_CHANGE_DEL_TABLE) {
			nsh_buf_printf(b, "- table %s %s (with its chains and every rule in them)\n",
				       nsh_family_name(x->family), x->table);
			continue;
		}
		if (!i || !same_chain(&v[i - 1], x))
			nsh_buf_printf(b, "chain %s %s %s\n", nsh_family_name(x->family), x->table,
				       x->chain);
		change_line(x, b);
	}
}

/* See render/diff.h. */
void nsh_diff_render(struct nsh_out *o, const struct nsh_change *v, size_t n)
{
	struct nsh_buf b;

	nsh_buf_init(&b);
	nsh_diff_text(v, n, &b);
	if (nsh_out_json(o)) {
		nsh_out_obj_open(o, NULL);
		nsh_out_string(o, NSH_C_NONE, "diff", NULL, b.s);
		nsh_out_obj_close(o);
	} else if (b.len) {
		nsh_out_text(o, "%s", b.s);
	} else {
		nsh_out_text(o, "nothing staged\n");
	}
	nsh_buf_free(&b);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* natsh save: a table as an nft script (loadable by nft -f and by natsh load). */
#include <linux/netfilter.h>

#include "model/syntax/rule_text.h"
#include "render/nset.h"
#include "render/save.h"

/* What the header says the file is and how to load it. */
static void header(const struct nsh_table *t, const char *when, struct nsh_buf *b)
{
	nsh_buf_printf(b, "#!/usr/sbin/nft -f\n"
		       "# natsh save: table %s %s%s%s\n"
		       "# load it with `natsh load FILE` or `nft -f FILE` (it replaces the table),\n"
		       "# or include it from /etc/nftables.conf.\n",
		       nsh_family_name(t->family), t->name, when ? ", " : "", when ? when : "");
}

/* See save.h: the chains in kernel order, each with its hook line, as nft lists them. */
void nsh_save_render(const struct nsh_table *t, const struct nsh_save_sysctl *sys, size_t nsys,
		     const char *when, struct nsh_buf *b)
{
	const char *fam = nsh_family_name(t->family);
	size_t ci, ri, i;

	header(t, when, b);
	if (nsys) {
		nsh_buf_puts(b, "#\n# sysctls this ruleset relies on (natsh save --sysctl FILE writes them\n"
			     "# as a sysctl.d file):\n");
		for (i = 0; i < nsys; i++)
			nsh_buf_printf(b, "#   %s = %s\n", sys[i].key, sys[i].val);
	}
	nsh_buf_printf(b, "table %s %s\ndelete table %s %s\n", fam, t->name, fam, t->name);
	nsh_buf_printf(b, "table %s %s {\n", fam, t->name);
	for (i = 0; i < t->nsets; i++) {
		if (i)
			nsh_buf_putc(b, '\n');
		nsh_nset_render(&t->sets[i], b);
	}
	for (ci = 0; ci < t->nchains; ci++) {
		const struct nsh_chain *c = &t->chains[ci];

		if (ci || t->nsets)
			nsh_buf_putc(b, '\n');
		nsh_buf_printf(b, "\tchain %s {\n", c->name);
		if (c->base) {
			nsh_buf_printf(b, "\t\ttype %s hook %s priority ", c->type ? c->type : "nat",
				       nsh_hook_name(c->hooknum));
			nsh_prio_render(t->family, c->hooknum, c->prio, b);
			nsh_buf_printf(b, "; policy %s;\n", c->policy == NF_DROP ? "drop" : "accept");
		}
		for (ri = 0; ri < c->nrules; ri++) {
			const struct nsh_rule *r = &c->rules[ri];

			/* not understood: nft's own text, said so; natsh's raw text never as a rule */
			if (r->opaque && !r->nft_text) {
				nsh_buf_puts(b, "\t\t# left out, not understood by natsh: ");
				nsh_rule_render(t, r, NSH_RF_COMMENT, b);
				nsh_buf_putc(b, '\n');
				continue;
			}
			if (r->opaque)
				nsh_buf_puts(b, "\t\t# not understood by natsh: as nft lists it "
					     "(nft -f loads it, natsh load may refuse it)\n");
			nsh_buf_puts(b, "\t\t");
			nsh_rule_render(t, r, NSH_RF_COMMENT, b);
			nsh_buf_putc(b, '\n');
		}
		nsh_buf_puts(b, "\t}\n");
	}
	nsh_buf_puts(b, "}\n");
}

/* See save.h. */
const struct nsh_nset *nsh_save_unwritable(const struct nsh_table *t)
{
	size_t i;

	for (i = 0; i < t->nsets; i++)
		if (!t->sets[i].known)
			return &t->sets[i];
	return NULL;
}

/* See save.h. */
void nsh_save_render_sysctl(const struct nsh_save_sysctl *sys, size_t nsys, const char *when,
			    struct nsh_buf *b)
{
	size_t i;

	nsh_buf_printf(b, "# natsh save --sysctl%s%s: the kernel settings natsh's NAT rules rely on\n"
		       "# (install as /etc/sysctl.d/90-natsh.conf; apply with sysctl --system)\n",
		       when ? ", " : "", when ? when : "");
	for (i = 0; i < nsys; i++)
		nsh_buf_printf(b, "%s = %s\n", sys[i].key, sys[i].val);
}

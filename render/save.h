/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A table as an `nft -f` script that replaces it when loaded (natsh save). */
#ifndef NSH_RENDER_SAVE_H
#define NSH_RENDER_SAVE_H

#include <stddef.h>
#include "lib/buf.h"
#include "model/model.h"

struct nsh_save_sysctl {
	const char *key, *val;
};

/*
 * t as nft prints it (`nft list table` without counter values), preceded by
 * a comment block naming the sysctls it relies on and by "table F T" +
 * "delete table F T" so that loading it replaces the table.
 */
void nsh_save_render(const struct nsh_table *t, const struct nsh_save_sysctl *sys, size_t nsys,
		     const char *when, struct nsh_buf *b);

/* A named set save cannot write (a datatype or expression natsh does not know), or NULL. */
const struct nsh_nset *nsh_save_unwritable(const struct nsh_table *t);

/* The same sysctls as a sysctl.d file. */
void nsh_save_render_sysctl(const struct nsh_save_sysctl *sys, size_t nsys, const char *when,
			    struct nsh_buf *b);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry's lookup: a command by exact name or unique prefix (table in table.c). */
#include <string.h>

#include "cmds/cmd.h"

/* Exact name first, then a unique prefix; never "first match wins". */
const struct nsh_cmd *nsh_cmd_lookup_in(const struct nsh_cmd *const *tab, const char *word,
					bool *ambiguous)
{
	const struct nsh_cmd *found = NULL;
	size_t len = strlen(word), i, nfound = 0;

	if (ambiguous)
		*ambiguous = false;
	if (!len)
		return NULL;
	for (i = 0; tab[i]; i++) {
		if (strcmp(tab[i]->name, word) == 0)
			return tab[i];
		if (strncmp(tab[i]->name, word, len) == 0) {
			found = tab[i];
			nfound++;
		}
	}
	if (nfound > 1) {
		if (ambiguous)
			*ambiguous = true;
		return NULL;
	}
	return found;
}

/* Lookup in natsh's own command table. */
const struct nsh_cmd *nsh_cmd_lookup(const char *word, bool *ambiguous)
{
	return nsh_cmd_lookup_in(nsh_cmds, word, ambiguous);
}

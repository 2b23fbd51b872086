/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Text -> values of natsh's datatypes (model.h enum nsh_type), in the byte
 * order the kernel keeps them in a register.  Used by the rule parser; the
 * functions never print, they return -1 and leave a reason in why.
 */
#ifndef NSH_VALUES_H
#define NSH_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include "model/model.h"

/* A symbolic value of a datatype: "established", "local", "tcp"... */
struct nsh_sym {
	const char *name;
	uint32_t value;
	const char *help;
};

/* The symbol table of a datatype (NULL-name terminated), NULL when it has none. */
const struct nsh_sym *nsh_type_symbols(enum nsh_type type);

/* Parse one value of type from s (NUL-terminated).  0 or -1. */
int nsh_val_parse(enum nsh_type type, const char *s, struct nsh_val *v);

/* Parse an interface name; *wildcard is set for "eth*" (v->len is then the prefix length). */
int nsh_ifname_parse(const char *s, struct nsh_val *v, bool *wildcard);

/* Does the datatype take a prefix ("/24")?  A range ("a-b")? */
bool nsh_type_has_prefix(enum nsh_type type);
bool nsh_type_has_range(enum nsh_type type);
/* Values of the type are held in host byte order (marks, ct state...). */
bool nsh_type_is_host_order(enum nsh_type type);
/* Bitmask types ("established,related"). */
bool nsh_type_is_bitmask(enum nsh_type type);

/* Mask a value to a prefix length in place; -1 when plen is too long. */
int nsh_val_prefix_mask(struct nsh_val *v, unsigned plen);
/* Set every bit after a prefix (the end of the range a prefix covers). */
void nsh_val_prefix_last(struct nsh_val *v, unsigned plen);

/* Compare two values as unsigned numbers (network order for BE types). */
int nsh_val_cmp(enum nsh_type type, const struct nsh_val *a, const struct nsh_val *b);

/* Parse "N" or "0xN" into a 32-bit unsigned; -1 on garbage or overflow. */
int nsh_u32_parse(const char *s, uint32_t *out);

/* Prefix length when [lo, hi] is exactly one prefix of an address; else -1. */
int nsh_range_plen(const struct nsh_val *lo, const struct nsh_val *hi);

#endif

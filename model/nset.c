/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Named sets and maps: the datatypes natsh reads and writes, and ownership. */
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "lib/util.h"

/* nft's datatype ids and names (nftables' datatype.h), the ones a NAT table's sets use. */
static const struct nsh_dtype dtypes[] = {
	{ NSH_DT_VERDICT, "verdict", 0, NSH_T_INVALID, 1 },
	{ 2, "nf_proto", 1, NSH_T_NFPROTO, 5 },
	{ 7, "ipv4_addr", 4, NSH_T_IPV4, 2 },
	{ 8, "ipv6_addr", 16, NSH_T_IPV6, 1 },
	{ 12, "inet_proto", 1, NSH_T_L4PROTO, 5 },
	{ 13, "inet_service", 2, NSH_T_PORT, 5 },
	{ 19, "mark", 4, NSH_T_MARK, 5 },
	{ 26, "ct_state", 4, NSH_T_CT_STATE, 2 },
	{ 41, "ifname", 16, NSH_T_IFNAME, 1 },
};

const struct nsh_dtype *nsh_dtype_find(uint8_t id)
{
	size_t i;

	for (i = 0; i < NSH_ARRAY_SIZE(dtypes); i++)
		if (dtypes[i].id == id)
			return &dtypes[i];
	return NULL;
}

const struct nsh_dtype *nsh_dtype_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NSH_ARRAY_SIZE(dtypes); i++)
		if (!strcmp(dtypes[i].name, name))
			return &dtypes[i];
	return NULL;
}

size_t nsh_nset_type_len(const struct nsh_nset_type *t)
{
	size_t i, n = 0;

	if (t->n == 1)
		return t->len[0];
	for (i = 0; i < t->n; i++)
		n += (t->len[i] + 3u) & ~3u;
	return n;
}

uint32_t nsh_nset_type_wire(const struct nsh_nset_type *t)
{
	uint32_t w = 0;
	size_t i;

	if (t->n == 1 && t->id[0] == NSH_DT_VERDICT)
		return NSH_DT_VERDICT_DATA;
	for (i = 0; i < t->n; i++)
		w = w << 6 | t->id[i];
	return w;
}

int nsh_nset_type_from_wire(uint32_t wire, struct nsh_nset_type *t)
{
	uint8_t ids[8];
	size_t n = 0, i;

	memset(t, 0, sizeof(*t));
	if (wire == NSH_DT_VERDICT_DATA) {
		t->n = 1;
		t->id[0] = NSH_DT_VERDICT;
		return 0;
	}
	while (wire && n < NSH_ARRAY_SIZE(ids)) {
		ids[n++] = wire & 0x3f;
		wire >>= 6;
	}
	if (!n || wire || n > NSH_NSET_FIELDS)
		return -1;
	t->n = (uint8_t)n;
	for (i = 0; i < n; i++) {
		const struct nsh_dtype *d = nsh_dtype_find(ids[n - 1 - i]);

		t->id[i] = ids[n - 1 - i];
		if (!d || d->id == NSH_DT_VERDICT)
			return -1;
		t->len[i] = d->len;
	}
	return 0;
}

void nsh_nset_clear(struct nsh_nset *s)
{
	size_t i;

	for (i = 0; i < s->nelems; i++) {
		free(s->elems[i].chain);
		free(s->elems[i].comment);
	}
	free(s->elems);
	free(s->name);
	free(s->typeof_key);
	free(s->comment);
	memset(s, 0, sizeof(*s));
}

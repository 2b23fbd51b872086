/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What doctor.c shares with doctor_random.c: the findings being collected and their helpers. */
#ifndef NSH_DOCTOR_INT_H
#define NSH_DOCTOR_INT_H

#include "model/plan/doctor.h"

struct doc {
	const struct nsh_ruleset *rs;
	const struct nsh_doctor_facts *f;
	struct nsh_finding *v;
	size_t n;
};

/* A rule and where it sits. */
struct at {
	const struct nsh_table *t;
	const struct nsh_chain *c;
	size_t i;		/* index in the chain */
	const struct nsh_rule *r;
};

#define SET(field, ...) snprintf(x->field, sizeof(x->field), __VA_ARGS__)

/* Append an empty finding of a kind, about rule a when given. */
struct nsh_finding *doc_add(struct doc *d, enum nsh_finding_kind kind, const struct at *a);
/* An IPv4 address (network order bytes) as a number. */
uint32_t doc_v4(const uint8_t *p);
/* The rule's text as nft prints it (caller frees). */
char *doc_text_of(const struct nsh_table *t, const struct nsh_rule *r);
/* The command that replaces rule a with text. */
void doc_replace_cmd(const struct at *a, const char *text, char *out, size_t len);

/* doctor_random.c: chained random probabilities that do not split evenly. */
void doc_check_random(struct doc *d);

#endif

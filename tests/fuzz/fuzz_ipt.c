/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for the iptables translation: the first byte picks the
 * table family, the rest is split at blanks into words (as the shell hands
 * them over) and read as an iptables or ip6tables command; what reads is
 * turned into natsh's rule (through the rule parser), rendered, compared
 * with itself (the -D RULE comparison) and each of its words traced back.
 * Seeds: tests/kernel/data/ipt_translate.txt, a line each.  Crashes,
 * sanitizer reports and leaks are failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "model/syntax/ipt.h"
#include "model/syntax/rule_text.h"

#define MAX_WORDS 96

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int fams[] = { NSH_FAM_IP, NSH_FAM_IP6, NSH_FAM_INET };
	struct nsh_ipt_word w[MAX_WORDS];
	struct nsh_table t = { .name = (char *)"t" };
	struct nsh_err err = { 0 };
	struct nsh_ipt c;
	struct nsh_rule r;
	char *line, *p, *save = NULL;
	size_t n = 0, i;
	int family;

	if (size < 1 || size > 4096)
		return 0;
	family = fams[data[0] % 3];
	t.family = (uint8_t)family;
	line = malloc(size);
	if (!line)
		return 0;
	memcpy(line, data + 1, size - 1);
	line[size - 1] = '\0';
	for (p = strtok_r(line, " \t\n", &save); p && n < MAX_WORDS;
	     p = strtok_r(NULL, " \t\n", &save)) {
		w[n].s = p;
		w[n].off = (size_t)(p - line);
		w[n].len = strlen(p);
		n++;
	}
	memset(&c, 0, sizeof(c));
	if (n && nsh_ipt_parse(w, n, family, &c, &err) == 0) {
		for (i = 0; i <= c.nft.len; i++)
			(void)nsh_ipt_word_at(&c, i);
		if (c.chain)
			(void)nsh_ipt_chain_name(c.chain);
		if (c.has_rule && nsh_ipt_rule(&c, family, &r, &err) == 0) {
			struct nsh_buf b;

			nsh_buf_init(&b);
			nsh_rule_render(&t, &r, NSH_RF_COUNTERS | NSH_RF_COMMENT, &b);
			nsh_buf_free(&b);
			if (!nsh_ipt_rule_same(&r, &r))
				abort();	/* a rule says what it says */
			nsh_rule_clear(&r);
		}
	}
	nsh_ipt_clear(&c);
	nsh_err_clear(&err);
	free(line);
	return 0;
}

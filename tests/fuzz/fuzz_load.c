/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for `load`: the input is read as a script written by
 * `natsh save` (nsh_load_parse, no kernel); what reads is rendered rule by
 * rule.  Seeds: save files of the wizards' rule sets and of hand-written
 * rules (tests/fuzz/corpus/load).  Crashes, sanitizer reports and leaks
 * are failures, and an error must name a line of the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "model/syntax/load.h"
#include "model/syntax/rule_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nsh_table t = { .family = NSH_FAM_INET, .name = (char *)"natsh" };
	struct nsh_err err = { 0 };
	struct nsh_load l = { 0 };
	unsigned lineno = 0, lines = 1;
	size_t off = 0, i;
	char *text;

	if (size > 1 << 16)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (i = 0; i < size && text[i]; i++)
		lines += text[i] == '\n';
	if (nsh_load_parse(text, &l, &lineno, &off, &err) == 0) {
		struct nsh_buf b;

		nsh_buf_init(&b);
		for (i = 0; i < l.n; i++) {
			nsh_buf_reset(&b);
			nsh_rule_render(&t, &l.v[i].rule, 0, &b);
		}
		nsh_buf_free(&b);
	} else if (lineno < 1 || lineno > lines || off > size) {
		abort();	/* the error points outside the input */
	}
	nsh_load_clear(&l);
	nsh_err_clear(&err);
	free(text);
	return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for the rule language: the first byte picks the table
 * family, the rest is a rule.  Every input is parsed; what parses is checked
 * against each hook and encoded into a scratch batch; every prefix length
 * that ends on a byte boundary of the input is also completed.  Crashes,
 * sanitizer reports and leaks are failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>

#include "model/syntax/rule_parse.h"
#include "model/nft/to_nftnl.h"

static void count_cb(void *arg, const char *word, const char *help)
{
	size_t *n = arg;

	if (word && help && word[0])
		(*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int fams[] = { NSH_FAM_IP, NSH_FAM_IP6, NSH_FAM_INET };
	struct nsh_err err = { 0 };
	struct nsh_rule r;
	char *line;
	int family;
	size_t n = 0;

	if (size < 1 || size > 4096)
		return 0;
	family = fams[data[0] % 3];
	line = malloc(size);
	if (!line)
		return 0;
	memcpy(line, data + 1, size - 1);
	line[size - 1] = 0;
	/* the shell never hands the parser a NUL inside a line */
	size = strlen(line);

	nsh_rule_complete(line, 0, size, family, count_cb, &n);
	nsh_rule_complete(line, 0, size / 2, family, count_cb, &n);
	if (nsh_rule_parse(line, 0, size, family, &r, &err) == 0) {
		size_t bufsz = 1 << 17;
		char *buf = malloc(2 * bufsz);
		uint32_t seq = 1, set_id = 1;
		static const uint32_t hooks[] = {
			NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT,
			NF_INET_POST_ROUTING, NSH_HOOK_ANY,
		};
		size_t i;

		for (i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
			struct nsh_err e2 = { 0 };

			nsh_rule_check_hook(&r, family, hooks[i], 0, &e2);
			if (e2.set && e2.off + e2.len > size)
				abort();
		}
		if (buf) {
			struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, bufsz);

			nsh_rule_encode(b, &seq, family, "t", "c", &r, NSH_ENC_APPEND, 0, &set_id);
			mnl_nlmsg_batch_stop(b);
			free(buf);
		}
		nsh_rule_clear(&r);
	} else {
		/* an error must point inside the line and say something */
		if (!err.set || !err.msg[0] || err.off > size || err.off + err.len > size)
			abort();
	}
	free(line);
	return 0;
}

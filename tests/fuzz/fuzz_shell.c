/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A bounded random fuzz of the shell's front end: random lines made of
 * command words, keywords, quotes, escapes, separators and bytes go
 * through the lexer, the grammar matcher of every command, and the
 * completer at every prefix.  Run under ASan/UBSan by `make SAN=1 fuzz`;
 * deterministic (seeded) so a failure can be replayed: fuzz_shell N [SEED].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "completions/complete.h"
#include "lib/buf.h"
#include "model/model.h"
#include "shell/shell.h"

static const char *const pieces[] = {
	" ", " ", " ", "\t", ";", "#", "\"", "'", "\\", "{", "}", ",", ":", "-", "/", "!=",
	"show", "add", "insert", "delete", "help", "history", "use", "wizard", "rule", "handle",
	"tcp", "udp", "dport", "sport", "ip", "ip6", "inet", "saddr", "daddr", "dnat", "snat",
	"to", "masquerade", "redirect", "counter", "comment", "map", "numgen", "random", "mod",
	"prerouting", "postrouting", "80", "0", "65536", "192.0.2.1", "198.51.100.0/24",
	"2001:db8::1", "[2001:db8::1]:80", "eth0", "eth*", "clear", "exit", "quit", "tables",
	"\xc3\xa9", "\xff", "x", "",
};

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng_state >> 33) % n);
}

/* One random line of up to a few dozen pieces. */
static void make_line(struct nsh_buf *b)
{
	unsigned i, n = rnd(24);

	nsh_buf_reset(b);
	for (i = 0; i < n; i++) {
		if (rnd(10) == 0)
			nsh_buf_putc(b, (char)(1 + rnd(255)));
		else
			nsh_buf_puts(b, pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))]);
	}
}

int main(int argc, char **argv)
{
	unsigned long i, n = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
	struct nsh_ctx ctx;
	struct nsh_buf line, prefix;
	struct nsh_toks toks;
	struct nsh_args args;
	struct nsh_cands c;
	const struct nsh_cmd *cmd;
	unsigned long parsed = 0, cands = 0;
	size_t k, len;

	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 20261126;
	memset(&ctx, 0, sizeof(ctx));
	ctx.family = NSH_FAM_INET;
	strcpy(ctx.table, "natsh");
	ctx.complete_rule = nsh_complete_rule_nft;
	nsh_buf_init(&line);
	nsh_buf_init(&prefix);
	for (i = 0; i < n; i++) {
		struct nsh_err err = { 0 };

		make_line(&line);
		if (nsh_lex(line.s, false, &toks, &err) == 0 &&
		    nsh_parse(nsh_cmds, &toks, &cmd, &args, &err) == 0)
			parsed++;
		nsh_toks_free(&toks);
		/* the completer at a few cut points, the end included */
		len = line.len;
		for (k = 0; k < 3; k++) {
			size_t cut = k == 2 ? len : rnd((unsigned)len + 1);

			nsh_buf_reset(&prefix);
			nsh_buf_putn(&prefix, line.s, cut);
			nsh_complete(&ctx, nsh_cmds, prefix.s, &c);
			if (c.start > cut) {
				fprintf(stderr, "completion start %zu past the cursor %zu: \"%s\"\n",
					c.start, cut, prefix.s);
				return 1;
			}
			cands += c.n;
			nsh_cands_free(&c);
		}
	}
	nsh_buf_free(&line);
	nsh_buf_free(&prefix);
	printf("fuzz_shell: %lu lines, %lu parsed as commands, %lu candidates offered, no crash\n",
	       n, parsed, cands);
	return 0;
}

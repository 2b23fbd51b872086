/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `translate IPTABLES-LINE`: the natsh command an iptables NAT line becomes, not applied. */
#include <stdlib.h>
#include <string.h>

#include "cmds/ipt_cmd.h"
#include "lib/buf.h"
#include "render/out.h"
#include "model/syntax/rule_text.h"

/* The same parse and model as `iptables`, rendered as nft prints it; nothing is staged. */
static int translate_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *first = nsh_args_get(args, "IPTABLES-LINE");
	struct nsh_ipt_word *words = NULL;
	struct nsh_err err = { 0 };
	struct nsh_rule r = { 0 };
	struct nsh_buf cmd, rule;
	struct nsh_ipt c;
	const char *chain;
	size_t i;
	bool ip6;
	int rc = NSH_FAIL;

	for (i = 1; i < args->ntoks && &args->toks[i] != first; i++)
		;
	if (!first || (strcmp(first->s, "iptables") && strcmp(first->s, "ip6tables"))) {
		nsh_error_at(ctx, first, "expected a line starting with iptables or ip6tables");
		return NSH_FAIL;
	}
	ip6 = first->s[2] == '6';
	if (nsh_ipt_cmd_parse(ctx, args, i, ip6, &c, &words) != NSH_OK) {
		free(words);
		return NSH_FAIL;
	}
	nsh_buf_init(&cmd);
	nsh_buf_init(&rule);
	chain = c.chain ? nsh_ipt_cmd_chain(ctx, &c) : NULL;
	if (c.has_rule) {
		if (nsh_ipt_rule(&c, ctx->family, &r, &err) < 0) {
			nsh_error_span(ctx, err.off, err.len, "%s", err.msg);
			goto out;
		}
		nsh_rule_render(NULL, &r, NSH_RF_COMMENT, &rule);
	}
	switch (c.op) {
	case NSH_IPT_APPEND:
		nsh_buf_printf(&cmd, "add %s %s", chain, rule.s);
		break;
	case NSH_IPT_INSERT:
		nsh_buf_printf(&cmd, "insert %s ", chain);
		if (c.pos)
			nsh_buf_printf(&cmd, "%u ", c.pos);
		nsh_buf_puts(&cmd, rule.s);
		break;
	case NSH_IPT_REPLACE:
		nsh_buf_printf(&cmd, "replace %s %u %s", chain, c.pos, rule.s);
		break;
	case NSH_IPT_DELETE:
		if (c.pos)
			nsh_buf_printf(&cmd, "delete %s %u", chain, c.pos);
		else
			nsh_buf_printf(&cmd, "delete %s handle H  # H: the handle of the rule \"%s\"",
				       chain, rule.s);
		break;
	case NSH_IPT_FLUSH:
		if (chain)
			nsh_buf_printf(&cmd, "flush %s", chain);
		else
			nsh_buf_puts(&cmd, "flush CHAIN  # for every chain of the table");
		break;
	}
	nsh_out_obj_open(ctx->out, NULL);
	nsh_out_string(ctx->out, NSH_C_NONE, "command", "%s\n", cmd.s);
	if (c.has_rule && nsh_out_json(ctx->out))
		nsh_out_string(ctx->out, NSH_C_NONE, "rule", NULL, rule.s);
	nsh_out_obj_close(ctx->out);
	rc = NSH_OK;
out:
	nsh_rule_clear(&r);
	nsh_ipt_clear(&c);
	nsh_buf_free(&cmd);
	nsh_buf_free(&rule);
	free(words);
	return rc;
}

static const char *const translate_examples[] = {
	"translate iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE",
	"translate iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 192.0.2.10:80",
	NULL
};

const struct nsh_cmd nsh_cmd_translate = {
	.name = "translate",
	.group = NSH_GRP_EDITING,
	.summary = "show the native rule an iptables line becomes, without applying it",
	.args = NSH_VAL("IPTABLES-LINE", NSH_VK_REST,
			"an iptables or ip6tables NAT command line"),
	.description =
		"Prints the natsh command (in nft rule syntax, as `show` will list it) that\n"
		"`iptables ...` or `ip6tables ...` would run in the current table, and changes\n"
		"nothing.  Errors are reported exactly as the iptables command reports them.",
	.examples = translate_examples,
	.exec = translate_exec,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `flush CHAIN` and `flush chain [FAMILY] TABLE CHAIN`: delete every rule of a chain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/edit.h"
#include "lib/util.h"
#include "model/nl/batch.h"
#include "model/plan/wizard.h"
#include "render/out.h"

/* Wizards losing rules to a flush: name and how many (at most 8 named). */
struct wiz_loss {
	char name[NSH_WIZ_NAME_MAX + 1];
	size_t n;
};

static size_t wiz_losses(const struct nsh_rule *rules, size_t n, struct wiz_loss *out, size_t max)
{
	char name[NSH_WIZ_NAME_MAX + 1];
	size_t i, k, nout = 0;

	for (i = 0; i < n; i++) {
		if (!rules[i].comment || !nsh_wiz_tag_parse(rules[i].comment, name))
			continue;
		for (k = 0; k < nout && strcmp(out[k].name, name); k++)
			;
		if (k == nout) {
			if (nout == max)
				continue;
			snprintf(out[nout].name, sizeof(out[nout].name), "%s", name);
			out[nout++].n = 0;
		}
		out[k].n++;
	}
	return nout;
}

/*
 * One kernel message empties the chain; the chain itself stays.  The
 * shell asks first, saying how many rules go (and whose wizards); every
 * mode says what was removed.
 */
static int flush_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	struct nsh_txn_loc loc = nsh_edit_cmd_loc(ctx, args);
	struct nsh_target t;
	struct nsh_txn_err e;
	struct nsh_rule *rules = NULL;
	struct nsh_wire *w;
	struct wiz_loss wl[8];
	size_t n = 0, nw = 0, i;
	bool staged = ed->begun || ctx->batch;
	char q[512];
	int rc;

	if (nsh_target_get(ctx, args, &t) < 0)
		return NSH_FAIL;
	/* what goes, as the kernel holds it (a missing chain is reported by the flush) */
	w = nsh_txn_wire(ed->txn);
	if (w && nsh_wire_chain_rules(w, t.family, t.table, t.chain, &rules, &n) < 0) {
		rules = NULL;
		n = 0;
	}
	nw = wiz_losses(rules, n, wl, NSH_ARRAY_SIZE(wl));
	if (n && nsh_can_ask(ctx) && !ctx->yes && !ctx->check) {
		snprintf(q, sizeof(q), "Delete the %zu rule%s of chain %s %s %s%s%s%s?", n,
			 n == 1 ? "" : "s", nsh_family_name(t.family), t.table, t.chain,
			 nw ? " (rules of wizard " : "", nw ? wl[0].name : "",
			 nw > 1 ? " and others)" : nw ? ")" : "");
		if (nsh_ask_yes(ctx, q, false) != 1) {
			nsh_out_text(ctx->out, "nothing flushed\n");
			rc = NSH_OK;
			goto out;
		}
	}
	if (nsh_txn_flush(ed->txn, t.family, t.table, t.chain, &loc, &e) < 0) {
		nsh_edit_report_target(ctx, &e, &t, NULL);
		rc = NSH_FAIL;
		goto out;
	}
	rc = nsh_edit_done(ctx, ed);
	if (rc != NSH_OK)
		goto out;
	nsh_out_obj_open(ctx->out, NULL);
	nsh_out_string(ctx->out, NSH_C_NONE, "chain", "chain %s flushed: ", t.chain);
	nsh_out_uint(ctx->out, NSH_C_NONE, "rules", "%llu rule", n);
	nsh_out_text(ctx->out, "%s %s\n", n == 1 ? "" : "s", ctx->check ? "would go (--check)" :
		     ed->begun ? (n == 1 ? "goes at `commit`" : "go at `commit`") :
		     ctx->batch ? (n == 1 ? "goes when the batch commits" : "go when the batch commits") :
		     "removed");
	nsh_out_bool(ctx->out, "staged", NULL, staged);
	nsh_out_obj_close(ctx->out);
	for (i = 0; i < nw; i++)
		nsh_warn(ctx, "wizard %s loses its %zu rule%s in chain %s; its other rules stay, so "
			 "it is left incomplete (`wizard remove %s` removes them all)", wl[i].name,
			 wl[i].n, wl[i].n == 1 ? "" : "s", t.chain, wl[i].name);
out:
	for (i = 0; i < n; i++)
		nsh_rule_clear(&rules[i]);
	free(rules);
	return rc;
}

static const char *const flush_examples[] = {
	"flush prerouting",
	"flush chain ip nat POSTROUTING",
	NULL
};

const struct nsh_cmd nsh_cmd_flush = {
	.name = "flush",
	.group = NSH_GRP_EDITING,
	.summary = "delete every rule of a chain",
	.args = NSH_ALT(
		NSH_SEQ(NSH_WORD("chain", "nft's long form: name the table"),
			NSH_OPT(NSH_VAL("FAMILY", NSH_VK_FAMILY, "ip, ip6 or inet (default ip)")),
			NSH_VAL("TABLE", NSH_VK_TABLE, "the table"),
			NSH_VAL("CHAIN", NSH_VK_CHAIN, "the chain")),
		NSH_VAL("CHAIN", NSH_VK_CHAIN, "a chain of the current table")),
	.description = "Deletes every rule of CHAIN; the chain, its hook and policy stay.\n"
		       "In the shell it asks first, saying how many rules go (-y skips the\n"
		       "question); everywhere it says how many went, and warns when it leaves a\n"
		       "wizard with only part of its rules.",
	.examples = flush_examples,
	.exec = flush_exec,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmds/wizard/: the wizard commands.  wizard.c (the command, its grammar),
 * apply.c (applying a plan of model/plan/), groups.c (finding a wizard's
 * rules again: list, show, remove) and ask.c (the questions of the
 * interactive mode).  May use cmds, render, model, lib; never shell/.
 */
#ifndef NSH_CMDS_WIZARD_INT_H
#define NSH_CMDS_WIZARD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmds/cmd.h"
#include "model/model.h"
#include "model/plan/wizard.h"

#define WIZ_FAMILY NSH_FAM_INET	/* wizards write to natsh's own table */
#define WIZ_TABLE "natsh"

/* One rule of a group, as found in the live ruleset. */
struct wiz_rule {
	const struct nsh_chain *chain;
	const struct nsh_rule *rule;
	const char *role;		/* inside rule->comment */
};

/* A wizard's rules, found by their comment tag. */
struct wiz_group {
	char name[NSH_WIZ_NAME_MAX + 1];
	const char *kind;		/* "masquerade", "forward" */
	size_t nrules;
	struct wiz_rule *rules;		/* owned array; the rules belong to the ruleset */
	uint64_t hits;			/* packets counted by its entry rules */
};

/* Every group in natsh's table of rs, in order of first appearance (caller frees). */
size_t wiz_groups_find(const struct nsh_ruleset *rs, struct wiz_group **out);
void wiz_groups_free(struct wiz_group *g, size_t n);
const struct wiz_group *wiz_group_by_name(const struct wiz_group *g, size_t n, const char *name);
/*
 * The group a command names, read from the refreshed cache with all the
 * others into *g and *n (caller frees with wiz_groups_free); NULL after
 * reporting, with nothing left to free.
 */
const struct wiz_group *wiz_group_named(struct nsh_ctx *ctx, const struct nsh_tok *name,
					struct wiz_group **g, size_t *n);
/* The group's entry rule: the prerouting dnat of a forward, the postrouting rule of a masquerade. */
const struct wiz_rule *wiz_group_main(const struct wiz_group *g);
/* The public ports a dnat rule matches, and its protocols (NSH_WIZ_TCP|UDP; 0: none). */
unsigned wiz_rule_ports(const struct nsh_rule *r, uint16_t *lo, uint16_t *hi);
/* "tcp 8080 -> 192.0.2.10:80, 192.0.2.11:80" / "192.0.2.0/24 out eth0 (masquerade)" (caller frees). */
char *wiz_group_summary(const struct wiz_group *g);

int wiz_list(struct nsh_ctx *ctx);
int wiz_show(struct nsh_ctx *ctx, const struct nsh_tok *name);

/* wizard_apply.c */
/*
 * Stage the removal of old's rules (may be NULL) and the plan's rules, write
 * the plan's sysctls, and commit it all as one transaction (or leave it
 * staged inside begin).  On failure the sysctls are put back; inside begin
 * or a batch they are queued on the transaction and written only after it
 * commits (never on --check).
 */
int wiz_apply(struct nsh_ctx *ctx, const struct nsh_wiz_plan *p, const struct wiz_group *old);
int wiz_remove(struct nsh_ctx *ctx, const struct nsh_tok *name);
/*
 * A forward's backends change: list the conntrack entries still going to
 * backends that go away; once committed, offer to delete them (-y: do).
 */
void wiz_stale_ct(struct nsh_ctx *ctx, const struct wiz_group *old, const struct nsh_wiz_args *a,
		  bool committed);

/*
 * Ask one question with an optional default (shown in brackets, taken on an
 * empty answer) and completion of answers of kind vk.  Returns the answer
 * (caller frees), or NULL on end of input / Ctrl-C.
 */
char *wiz_ask(struct nsh_ctx *ctx, const char *question, const char *def, enum nsh_vk vk);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Applying a wizard: one transaction that removes the rules of an earlier
 * wizard of the same name and adds the plan's; the sysctls it needs (inside
 * begin or a batch: written by the transaction after its commit); the
 * conntrack entries left behind by backends that went away.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/edit.h"
#include "cmds/wizard/wizard_int.h"
#include "lib/util.h"
#include "model/ct.h"
#include "model/nl/ct.h"
#include "model/syntax/rule_parse.h"
#include "model/nl/sysctl.h"
#include "model/txn/txn.h"
#include "render/out.h"

#define STALE_SHOW 20		/* conntrack entries listed one by one */

/* Stage old's deletions and the plan's rules into t; -1 after reporting. */
static int stage(struct nsh_ctx *ctx, struct nsh_txn *t, const struct nsh_wiz_plan *p,
		 const struct wiz_group *old)
{
	struct nsh_txn_loc loc = nsh_edit_loc(ctx, 0, 0);
	struct nsh_txn_err e = { 0 };
	size_t i;

	for (i = 0; old && i < old->nrules; i++)
		if (nsh_txn_del(t, WIZ_FAMILY, WIZ_TABLE, old->rules[i].chain->name, 0,
				old->rules[i].rule->handle, &loc, &e) < 0)
			goto err;
	for (i = 0; p && i < p->nsteps; i++) {
		const char *text = p->steps[i].rule;
		struct nsh_err perr = { 0 };
		struct nsh_rule r;
		uint32_t hook;

		if (nsh_txn_chain(t, WIZ_FAMILY, WIZ_TABLE, p->steps[i].chain, &hook, &e) < 0)
			goto err;
		if (nsh_rule_parse(text, 0, strlen(text), WIZ_FAMILY, &r, &perr) < 0) {
			nsh_error(ctx, "internal error: generated rule refused: %s: %s", text, perr.msg);
			return -1;
		}
		if (nsh_rule_check_hook(&r, WIZ_FAMILY, hook, 0, &perr) < 0) {
			nsh_rule_clear(&r);
			nsh_error(ctx, "internal error: generated rule refused in %s: %s",
				  p->steps[i].chain, perr.msg);
			return -1;
		}
		if (nsh_txn_put(t, WIZ_FAMILY, WIZ_TABLE, p->steps[i].chain, NSH_TXN_APPEND, 0, &r,
				&loc, &e) < 0) {
			nsh_rule_clear(&r);
			goto err;
		}
	}
	return 0;
err:
	nsh_edit_report(ctx, &e, NULL);
	return -1;
}

/* Write the plan's sysctls, remembering the old values in old[] (caller frees). */
static int write_sysctls(struct nsh_ctx *ctx, const struct nsh_wiz_plan *p, char **old)
{
	size_t i;

	for (i = 0; i < p->nsysctls; i++) {
		char v[64];

		old[i] = NULL;
		if (nsh_sysctl_read(p->sysctls[i].key, v, sizeof(v)) == 0)
			old[i] = nsh_xstrdup(v);
		if (nsh_sysctl_write(p->sysctls[i].key, p->sysctls[i].value) < 0) {
			nsh_error(ctx, "cannot set %s = %s: %s", p->sysctls[i].key, p->sysctls[i].value,
				  strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Put back what write_sysctls changed (a failed commit must leave nothing). */
static void restore_sysctls(const struct nsh_wiz_plan *p, char **old, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (old[i])
			nsh_sysctl_write(p->sysctls[i].key, old[i]);
}

/*
 * Inside begin or a batch the sysctls wait for the commit: queue them on
 * the transaction (written only once it applies), remembering the current
 * values in old[] (caller frees).
 */
static void queue_sysctls(struct nsh_txn *t, const struct nsh_wiz_plan *p, char **old)
{
	size_t i;

	for (i = 0; i < p->nsysctls; i++) {
		char v[64];

		old[i] = NULL;
		if (nsh_sysctl_read(p->sysctls[i].key, v, sizeof(v)) == 0)
			old[i] = nsh_xstrdup(v);
		nsh_txn_after_sysctl(t, p->sysctls[i].key, p->sysctls[i].value);
	}
}

/* Say what the sysctls were and are (or will be, later), as the wizard promises. */
static void report_sysctls(struct nsh_ctx *ctx, const struct nsh_wiz_plan *p, char **old,
			   bool later)
{
	size_t i;

	for (i = 0; i < p->nsysctls; i++) {
		if (ctx->check)
			nsh_out_text(ctx->out, "%s would be set to %s (--check: not written)\n",
				     p->sysctls[i].key, p->sysctls[i].value);
		else if (later && old[i] && strcmp(old[i], p->sysctls[i].value))
			nsh_out_text(ctx->out, "%s will be set to %s once the changes apply (it is %s)\n",
				     p->sysctls[i].key, p->sysctls[i].value, old[i]);
		else if (later)
			continue;
		else if (old[i] && strcmp(old[i], p->sysctls[i].value))
			nsh_out_text(ctx->out, "%s turned %s (it was %s)\n", p->sysctls[i].key,
				     !strcmp(p->sysctls[i].value, "1") ? "on" : p->sysctls[i].value, old[i]);
	}
}

/* See wizard_int.h: one transaction; sysctls put back on failure, or written after the commit. */
int wiz_apply(struct nsh_ctx *ctx, const struct nsh_wiz_plan *p, const struct wiz_group *old)
{
	struct nsh_edit *ed = nsh_edit_get(ctx);
	bool later = ed->begun || ctx->batch;	/* committed at commit / the batch's end */
	size_t i, nsys = p ? p->nsysctls : 0;
	char **prev = nsh_xcalloc(nsys + 1, sizeof(*prev));
	int rc = NSH_FAIL;

	/* committed before this command returns: its line outlives the errors */
	if (!later)
		nsh_txn_set_lines(ed->txn, false);
	if (stage(ctx, ed->txn, p, old) < 0) {
		if (!later)
			nsh_txn_abort(ed->txn);
		goto out;
	}
	if (p && !ctx->check && later)
		queue_sysctls(ed->txn, p, prev);
	else if (p && !ctx->check && write_sysctls(ctx, p, prev) < 0) {
		restore_sysctls(p, prev, nsys);
		if (!later)
			nsh_txn_abort(ed->txn);
		goto out;
	}
	if (later) {
		rc = nsh_edit_done(ctx, ed);
		nsh_out_bool(ctx->out, "staged", ed->begun ? "staged: the rules apply at commit\n" : NULL, true);
		if (p)
			report_sysctls(ctx, p, prev, true);
		goto out;
	}
	if (nsh_edit_commit(ctx, ed, ctx->check, false, !ctx->check) != NSH_OK) {
		if (p)
			restore_sysctls(p, prev, nsys);
		nsh_out_bool(ctx->out, "applied", NULL, false);
		goto out;
	}
	if (ctx->check)
		nsh_out_bool(ctx->out, "applied", "--check: the kernel accepts it; nothing was changed\n", false);
	else
		nsh_out_bool(ctx->out, "applied", "applied in one transaction\n", true);
	if (p)
		report_sysctls(ctx, p, prev, false);
	rc = NSH_OK;
out:
	for (i = 0; i < nsys; i++)
		free(prev[i]);
	free(prev);
	return rc;
}

/* `wizard remove NAME`: every rule of the group in one transaction. */
int wiz_remove(struct nsh_ctx *ctx, const struct nsh_tok *name)
{
	const struct wiz_group *w;
	struct wiz_group *g;
	size_t i, n;
	int rc;

	w = wiz_group_named(ctx, name, &g, &n);
	if (!w)
		return NSH_FAIL;
	/* the shell asks first; -y and batches go ahead (the batch is the decision) */
	if (nsh_can_ask(ctx) && !ctx->yes && !ctx->check) {
		char q[200];

		snprintf(q, sizeof(q), "Remove wizard %s: its %zu rule%s?", w->name, w->nrules,
			 w->nrules == 1 ? "" : "s");
		if (nsh_ask_yes(ctx, q, false) != 1) {
			nsh_out_text(ctx->out, "nothing removed\n");
			wiz_groups_free(g, n);
			return NSH_OK;
		}
	}
	nsh_out_obj_open(ctx->out, NULL);
	nsh_out_string(ctx->out, NSH_C_NONE, "name", "wizard %s", w->name);
	nsh_out_uint(ctx->out, NSH_C_NONE, "removed", ": removing %ju rule", (uintmax_t)w->nrules);
	nsh_out_text(ctx->out, "%s\n", w->nrules == 1 ? "" : "s");
	rc = wiz_apply(ctx, NULL, w);
	if (rc == NSH_OK && !ctx->check) {
		for (i = 0; i < w->nrules; i++)
			if (!strcmp(w->rules[i].role, "router access (masquerade)"))
				break;
		nsh_out_text(ctx->out, "sysctls it turned on are left as they are "
			     "(net.ipv4.ip_forward%s): other set-ups may need them\n",
			     i < w->nrules ? ", route_localnet of the LAN interface" : "");
	}
	nsh_out_obj_close(ctx->out);
	wiz_groups_free(g, n);
	return rc;
}

/* ---- conntrack entries that still point to a removed backend ---- */

struct stale {
	struct nsh_wiz_backend gone[NSH_WIZ_BACKENDS_MAX];
	size_t ngone;
	uint16_t lo, hi;	/* the forward's public ports */
	struct nsh_ct *v;
	size_t n;
};

/* Keep entries translated to a backend that goes away, on the forward's ports. */
static int stale_cb(const struct nsh_ct *ct, void *data)
{
	struct stale *s = data;
	size_t i;

	if (ct->family != AF_INET || ct->orig.dport < s->lo || ct->orig.dport > s->hi)
		return 0;
	for (i = 0; i < s->ngone; i++) {
		if (memcmp(ct->reply.src, &s->gone[i].addr, 4))
			continue;
		if (s->gone[i].port && ct->reply.sport != s->gone[i].port)
			continue;
		s->v = nsh_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
		s->v[s->n++] = *ct;
		break;
	}
	return 0;
}

/* Is backend b among v (a backend without port matches any port)? */
static bool be_in(const struct nsh_wiz_backend *b, const struct nsh_wiz_backend *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].addr.s_addr == b->addr.s_addr && (!b->port || !v[i].port || v[i].port == b->port))
			return true;
	return false;
}

/*
 * After the batch (or begin) that changed the backends committed: delete
 * the entries still going to a backend that was removed, found afresh,
 * and say how many.
 */
static void stale_purge(struct nsh_ctx *ctx, void *arg, bool applied)
{
	struct stale *s = arg;
	struct nsh_ct_filter f;
	struct nsh_ctnl *c = NULL;
	size_t i, deleted = 0;

	if (!applied)
		goto out;
	c = nsh_ctnl_open();
	if (!c) {
		nsh_warn(ctx, "cannot open conntrack to delete the entries of the old backends: %s",
			 strerror(errno));
		goto out;
	}
	nsh_ct_filter_init(&f);
	f.family = AF_INET;
	f.nat = NSH_CT_NAT_DNAT;
	if (nsh_ct_dump(c, &f, stale_cb, s) < 0) {
		nsh_warn(ctx, "cannot read conntrack to delete the entries of the old backends: %s",
			 strerror(errno));
		goto out;
	}
	for (i = 0; i < s->n; i++)
		if (nsh_ct_delete_one(c, &s->v[i]) == 0)
			deleted++;
	nsh_out_obj_open(ctx->out, NULL);
	nsh_out_uint(ctx->out, NSH_C_NONE, "stale_deleted", "%ju conntrack entr", (uintmax_t)deleted);
	nsh_out_text(ctx->out, "%s to a removed backend deleted\n", deleted == 1 ? "y" : "ies");
	nsh_out_obj_close(ctx->out);
out:
	nsh_ctnl_close(c);
	free(s->v);
	free(s);
}

/* See wizard_int.h. */
void wiz_stale_ct(struct nsh_ctx *ctx, const struct wiz_group *old, const struct nsh_wiz_args *a,
		  bool committed)
{
	const struct wiz_rule *m = wiz_group_main(old);
	struct nsh_wiz_backend was[NSH_WIZ_BACKENDS_MAX];
	struct stale s = { 0 };
	struct nsh_ct_filter f;
	struct nsh_ctnl *c;
	size_t i, n, deleted = 0;
	char b1[64], b2[64];
	int yes;

	if (!m)
		return;
	committed = committed && !ctx->check;
	n = nsh_wiz_rule_backends(m->rule, was, NSH_WIZ_BACKENDS_MAX);
	for (i = 0; i < n; i++)
		if (!be_in(&was[i], a->backends, a->nbackends))
			s.gone[s.ngone++] = was[i];
	if (!s.ngone)
		return;
	wiz_rule_ports(m->rule, &s.lo, &s.hi);
	c = nsh_ctnl_open();
	if (!c) {
		nsh_warn(ctx, "cannot read conntrack to find connections to the old backends: %s",
			 strerror(errno));
		return;
	}
	nsh_ct_filter_init(&f);
	f.family = AF_INET;
	f.nat = NSH_CT_NAT_DNAT;
	if (nsh_ct_dump(c, &f, stale_cb, &s) < 0 || s.n == 0)
		goto out;
	nsh_out_uint(ctx->out, NSH_C_WARN, "stale_conntrack",
		     committed ? "%ju conntrack entries still go to a backend that was removed (they keep their translation until they expire):\n"
			       : "%ju conntrack entries go to a backend this change removes (they keep their translation until they expire):\n",
		     (uintmax_t)s.n);
	for (i = 0; i < s.n && i < STALE_SHOW && !nsh_out_json(ctx->out); i++) {
		const struct nsh_ct *ct = &s.v[i];

		inet_ntop(AF_INET, ct->orig.src, b1, sizeof(b1));
		inet_ntop(AF_INET, ct->reply.src, b2, sizeof(b2));
		nsh_out_text(ctx->out, "  %s %s:%u -> port %u => %s:%u\n", nsh_ct_proto_name(ct->proto),
			     b1, ct->orig.sport, ct->orig.dport, b2, ct->reply.sport);
	}
	if (s.n > STALE_SHOW)
		nsh_out_text(ctx->out, "  ... and %zu more\n", s.n - STALE_SHOW);
	if (!committed && ctx->check) {	/* nothing applies: say how, for later */
		for (i = 0; i < s.ngone; i++)
			nsh_out_text(ctx->out, "once it applies, delete them with: conntrack delete dnat dst %s\n",
				     inet_ntop(AF_INET, &s.gone[i].addr, b1, sizeof(b1)));
		goto out;
	}
	if (!committed) {	/* the change applies at the end of the batch or at commit */
		struct stale *later = nsh_xcalloc(1, sizeof(*later));

		memcpy(later->gone, s.gone, sizeof(s.gone));
		later->ngone = s.ngone;
		later->lo = s.lo;
		later->hi = s.hi;
		nsh_edit_after_commit(nsh_edit_get(ctx), stale_purge, later);
		nsh_out_text(ctx->out, "they are deleted once the change applies\n");
		goto out;
	}
	yes = ctx->yes || nsh_can_ask(ctx) ? nsh_ask_yes(ctx, "Delete them?", true) : 0;
	if (yes != 1) {
		nsh_out_text(ctx->out, "left in place (delete them with: conntrack delete dnat dst ADDR)\n");
		goto out;
	}
	for (i = 0; i < s.n; i++)
		if (nsh_ct_delete_one(c, &s.v[i]) == 0)
			deleted++;
	nsh_out_uint(ctx->out, NSH_C_NONE, "stale_deleted", "%ju deleted\n", (uintmax_t)deleted);
out:
	free(s.v);
	nsh_ctnl_close(c);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `metrics [--textfile DIR]`: NAT counters in the Prometheus text exposition
 * format (version 0.0.4), from one ruleset dump and one conntrack dump --
 * no nft forked.  --textfile writes DIR/natsh.prom atomically for
 * node_exporter's textfile collector.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cmds/cmd.h"
#include "model/plan/wizard.h"
#include "lib/afile.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "model/ct.h"
#include "model/model.h"
#include "model/nl/ct.h"
#include "model/nl/sysctl.h"
#include "render/out.h"

/* A label value: backslash, double quote and newline escaped. */
static void label(struct nsh_buf *b, const char *name, const char *v, bool first)
{
	nsh_buf_printf(b, "%s%s=\"", first ? "" : ",", name);
	for (; v && *v; v++) {
		if (*v == '\\' || *v == '"')
			nsh_buf_printf(b, "\\%c", *v);
		else if (*v == '\n')
			nsh_buf_puts(b, "\\n");
		else
			nsh_buf_putc(b, *v);
	}
	nsh_buf_putc(b, '"');
}

static void rule_labels(struct nsh_buf *b, const struct nsh_table *t, const struct nsh_chain *c,
			const struct nsh_rule *r)
{
	char num[32], grp[NSH_WIZ_NAME_MAX + 1];

	nsh_buf_putc(b, '{');
	label(b, "family", nsh_family_name(t->family), true);
	label(b, "table", t->name, false);
	label(b, "chain", c->name, false);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)r->handle);
	label(b, "handle", num, false);
	snprintf(num, sizeof(num), "%u", r->position);
	label(b, "position", num, false);
	label(b, "comment", r->comment ? r->comment : "", false);
	if (!nsh_wiz_tag_parse(r->comment, grp))	/* "wizard NAME: ROLE" */
		grp[0] = '\0';
	label(b, "group", grp, false);
	nsh_buf_putc(b, '}');
}

static void rules_metrics(const struct nsh_ruleset *rs, struct nsh_buf *b)
{
	size_t ti, ci, ri, pass;

	for (pass = 0; pass < 2; pass++) {
		nsh_buf_printf(b, "# HELP natsh_rule_%s_total %s matched by a NAT-table rule "
			       "(rules with a counter)\n# TYPE natsh_rule_%s_total counter\n",
			       pass ? "bytes" : "packets", pass ? "Bytes" : "Packets",
			       pass ? "bytes" : "packets");
		for (ti = 0; ti < rs->ntables; ti++)
			for (ci = 0; ci < rs->tables[ti].nchains; ci++) {
				const struct nsh_chain *c = &rs->tables[ti].chains[ci];

				for (ri = 0; ri < c->nrules; ri++) {
					if (!c->rules[ri].has_counter)
						continue;
					nsh_buf_printf(b, "natsh_rule_%s_total",
						       pass ? "bytes" : "packets");
					rule_labels(b, &rs->tables[ti], c, &c->rules[ri]);
					nsh_buf_printf(b, " %llu\n", (unsigned long long)
						       (pass ? c->rules[ri].bytes : c->rules[ri].packets));
				}
			}
	}
	nsh_buf_puts(b, "# HELP natsh_chain_rules Rules in a chain of a table with NAT chains\n"
		     "# TYPE natsh_chain_rules gauge\n");
	for (ti = 0; ti < rs->ntables; ti++)
		for (ci = 0; ci < rs->tables[ti].nchains; ci++) {
			nsh_buf_puts(b, "natsh_chain_rules{");
			label(b, "family", nsh_family_name(rs->tables[ti].family), true);
			label(b, "table", rs->tables[ti].name, false);
			label(b, "chain", rs->tables[ti].chains[ci].name, false);
			nsh_buf_printf(b, "} %zu\n", rs->tables[ti].chains[ci].nrules);
		}
}

/* NAT conntrack entries by kind and protocol; the protocols seen, in a small table. */
struct ct_tally {
	uint64_t total;
	size_t n;
	struct { uint8_t proto; uint64_t snat, dnat; } p[32];
};

static int tally_cb(const struct nsh_ct *ct, void *data)
{
	struct ct_tally *t = data;
	bool s = nsh_ct_is_snat(ct), d = nsh_ct_is_dnat(ct);
	size_t i;

	t->total++;
	if (!s && !d)
		return 0;
	for (i = 0; i < t->n && t->p[i].proto != ct->proto; i++)
		;
	if (i == t->n) {
		if (t->n == NSH_ARRAY_SIZE(t->p))
			return 0;
		t->p[t->n++].proto = ct->proto;
	}
	t->p[i].snat += s;
	t->p[i].dnat += d;
	return 0;
}

static void proto_name(uint8_t proto, char *out, size_t n)
{
	const char *s = nsh_ct_proto_name(proto);

	if (s)
		snprintf(out, n, "%s", s);
	else
		snprintf(out, n, "%u", proto);
}

static int ct_metrics(struct nsh_ctx *ctx, struct nsh_buf *b)
{
	struct nsh_ctnl *c = nsh_ctnl_open();
	struct ct_tally t = { 0 };
	char val[32], pn[32];
	size_t i, k;

	if (!c || nsh_ct_dump(c, NULL, tally_cb, &t) < 0) {
		nsh_error(ctx, "cannot read conntrack entries: %s", strerror(errno));
		nsh_ctnl_close(c);
		return NSH_FAIL;
	}
	nsh_ctnl_close(c);
	nsh_buf_puts(b, "# HELP natsh_conntrack_nat_entries Conntrack entries NAT translated, by "
		     "kind (snat includes masquerade: conntrack does not tell them apart)\n"
		     "# TYPE natsh_conntrack_nat_entries gauge\n");
	for (k = 0; k < 2; k++)
		for (i = 0; i < t.n; i++) {
			proto_name(t.p[i].proto, pn, sizeof(pn));
			nsh_buf_puts(b, "natsh_conntrack_nat_entries{");
			label(b, "kind", k ? "dnat" : "snat", true);
			label(b, "proto", pn, false);
			nsh_buf_printf(b, "} %llu\n",
				       (unsigned long long)(k ? t.p[i].dnat : t.p[i].snat));
		}
	nsh_buf_printf(b, "# HELP natsh_conntrack_entries Conntrack entries (all)\n"
		       "# TYPE natsh_conntrack_entries gauge\nnatsh_conntrack_entries %llu\n",
		       (unsigned long long)t.total);
	if (nsh_sysctl_read("net.netfilter.nf_conntrack_max", val, sizeof(val)) == 0)
		nsh_buf_printf(b, "# HELP natsh_conntrack_max The conntrack table's size "
			       "(net.netfilter.nf_conntrack_max)\n"
			       "# TYPE natsh_conntrack_max gauge\nnatsh_conntrack_max %s\n", val);
	return NSH_OK;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int metrics_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *dir = nsh_args_get(args, "DIR");
	double t0 = now_s();
	char path[4096];
	struct nsh_buf b;
	int rc;

	if (nsh_ctx_refresh(ctx) != NSH_OK)
		return NSH_FAIL;
	nsh_buf_init(&b);
	nsh_buf_printf(&b, "# HELP natsh_info natsh's version\n# TYPE natsh_info gauge\n"
		       "natsh_info{version=\"%s\"} 1\n", NSH_VERSION);
	rules_metrics(ctx->cache, &b);
	rc = ct_metrics(ctx, &b);
	nsh_buf_printf(&b, "# HELP natsh_scrape_duration_seconds How long natsh took to read "
		       "these metrics\n# TYPE natsh_scrape_duration_seconds gauge\n"
		       "natsh_scrape_duration_seconds %.6f\n", now_s() - t0);
	if (rc != NSH_OK)
		goto out;
	if (!dir) {
		fputs(b.s, stdout);
		fflush(stdout);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/natsh.prom", dir->s);
	if (!ctx->check && nsh_file_write_atomic(path, b.s, b.len, 0644) < 0) {
		nsh_error_at(ctx, dir, "cannot write %s: %s", path,
			     errno == ELOOP ? "it is a symbolic link (natsh does not write through one)"
					    : strerror(errno));
		rc = NSH_FAIL;
	}
out:
	nsh_buf_free(&b);
	return rc;
}

static const struct nsh_gram *const metrics_args = NSH_OPT(NSH_SEQ(
	NSH_WORD("--textfile", "write DIR/natsh.prom for node_exporter's textfile collector"),
	NSH_VAL("DIR", NSH_VK_FILE, "the collector's directory")));

static const char *const metrics_examples[] = {
	"metrics",
	"metrics --textfile /var/lib/prometheus/node-exporter",
	NULL
};

const struct nsh_cmd nsh_cmd_metrics = {
	.name = "metrics",
	.group = NSH_GRP_MONITORING,
	.summary = "NAT counters in Prometheus' text format",
	.args = metrics_args,
	.description =
		"Prints, in the Prometheus text exposition format: per-rule packets and\n"
		"bytes of every table with NAT chains (labels family, table, chain,\n"
		"handle, position, comment, group: the wizard group), rules per chain,\n"
		"conntrack entries NAT translated by kind (snat, dnat) and protocol,\n"
		"the conntrack count and maximum, natsh_info and the scrape's duration.\n"
		"--textfile DIR writes DIR/natsh.prom instead, atomically, for\n"
		"node_exporter's textfile collector.",
	.examples = metrics_examples,
	.needs_nl = true,
	.exec = metrics_exec,
};

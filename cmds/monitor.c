/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `monitor [interval S] [count N]`: NAT counters and rates as text blocks or JSON lines. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds/cmd.h"
#include "cmds/monitor.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "model/nl/nl.h"
#include "model/nl/top_scan.h"
#include "render/out.h"
#include "model/syntax/rule_text.h"

static const struct nsh_gram *const monitor_args =
	NSH_OPT(NSH_ANY(
		NSH_SEQ(NSH_WORD("interval", "seconds between blocks (default 1)"),
			NSH_VAL("SECONDS", NSH_VK_STRING, "seconds, 0.1 to 3600 (1.5 allowed)")),
		NSH_SEQ(NSH_WORD("count", "stop after N blocks (default: until Ctrl-C)"),
			NSH_VAL("N", NSH_VK_NUMBER, "number of blocks"))));

/* Set by SIGINT while monitoring; a signal handler can only talk through a global. */
static volatile sig_atomic_t monitor_stop;

/* Ctrl-C ends monitoring, not natsh. */
static void on_sigint(int sig)
{
	(void)sig;
	monitor_stop = 1;
}

/* Shared by top and monitor, so both accept the same intervals. */
double nsh_interval_parse(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) || v < 0.1 || v > 3600)
		return -1;
	return v;
}

/* Seconds on the monotonic clock (rates must not jump with the wall clock). */
static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One block: header, one line per rule, as text (aligned) or one JSON object. */
static void print_block(struct nsh_ctx *ctx, const struct nsh_top_snap *sn)
{
	static const char *const hdr[] = { "PKTS", "BYTES", "PKTS/S", "BYTES/S", "TABLE",
					   "CHAIN", "HANDLE", "RULE" };
	static const bool right[] = { true, true, true, true, false, false, true, false };
	struct nsh_out *o = ctx->out;
	bool json = nsh_out_json(o);
	struct nsh_cols *cols = json ? NULL : nsh_cols_new(8, hdr, right);
	const struct nsh_top_row *hot = nsh_top_hottest(sn->rows, sn->nrows);
	struct nsh_buf rule;
	char tbuf[32], b1[16], b2[16], b3[16], b4[16], b5[16], b6[16];
	time_t t = time(NULL);
	size_t i;

	strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%S", localtime(&t));
	nsh_buf_init(&rule);
	nsh_out_obj_open(o, NULL);
	nsh_out_string(o, NSH_C_HEADER, "time", "%s", tbuf);
	nsh_out_string(o, NSH_C_NONE, "netns", "  netns %s", ctx->netns ? ctx->netns : "-");
	nsh_out_double(o, NSH_C_NONE, "interval", "  interval %.1fs", sn->interval);
	nsh_out_uint(o, NSH_C_NONE, "genid", "  generation %" PRIu64, sn->genid);
	nsh_out_bool(o, "ruleset_changed", NULL, sn->gen_changed);
	if (sn->gen_changed)
		nsh_out_ctext(o, NSH_C_WARN, " (ruleset changed)");
	nsh_out_obj_open(o, "totals");
	nsh_out_uint(o, NSH_C_NONE, "rules", "  rules %" PRIu64, sn->nrows);
	nsh_out_uint(o, NSH_C_COUNT, "packets", "  packets %" PRIu64, sn->packets);
	nsh_out_uint(o, NSH_C_COUNT, "bytes", NULL, sn->bytes);
	nsh_out_text(o, "  bytes %s", nsh_human(sn->bytes, b1));
	nsh_out_double(o, NSH_C_COUNT, "pps", "  %.1f pkts/s", sn->pps);
	nsh_out_double(o, NSH_C_COUNT, "bps", NULL, sn->bps);
	nsh_out_text(o, "  %s bytes/s", nsh_human(nsh_round_u64(sn->bps), b2));
	nsh_out_obj_close(o);
	nsh_out_obj_open(o, "conntrack");
	nsh_out_uint(o, NSH_C_NONE, "entries", "\nconntrack %" PRIu64 " entries", sn->ct_total);
	nsh_out_uint(o, NSH_C_NONE, "nat", ", %" PRIu64 " NAT", sn->ncts);
	nsh_out_uint(o, NSH_C_NONE, "new", ", %" PRIu64 " new", sn->ev_new);
	nsh_out_uint(o, NSH_C_NONE, "destroyed", ", %" PRIu64 " closed\n", sn->ev_destroy);
	nsh_out_obj_close(o);
	nsh_out_arr_open(o, "rules");
	for (i = 0; i < sn->nrows; i++) {
		const struct nsh_top_row *r = &sn->rows[i];

		nsh_buf_reset(&rule);
		nsh_rule_render(r->t, r->r, NSH_RF_COMMENT | (json ? 0 : NSH_RF_MARK), &rule);
		if (json) {
			nsh_out_obj_open(o, NULL);
			nsh_out_string(o, NSH_C_NONE, "family", NULL, nsh_family_name(r->family));
			nsh_out_string(o, NSH_C_NONE, "table", NULL, r->t->name);
			nsh_out_string(o, NSH_C_NONE, "chain", NULL, r->c->name);
			nsh_out_uint(o, NSH_C_NONE, "handle", NULL, r->handle);
			if (r->has_counter) {
				nsh_out_uint(o, NSH_C_NONE, "packets", NULL, r->packets);
				nsh_out_uint(o, NSH_C_NONE, "bytes", NULL, r->bytes);
				nsh_out_double(o, NSH_C_NONE, "pps", NULL, r->pps);
				nsh_out_double(o, NSH_C_NONE, "bps", NULL, r->bps);
			} else {
				nsh_out_null(o, "packets", NULL);
				nsh_out_null(o, "bytes", NULL);
				nsh_out_null(o, "pps", NULL);
				nsh_out_null(o, "bps", NULL);
			}
			nsh_out_string(o, NSH_C_NONE, "rule", NULL, rule.s);
			nsh_out_bool(o, "opaque", NULL, r->r->opaque);
			nsh_out_obj_close(o);
		} else {
			char tn[300], pr[32];
			const char *cells[8];
			enum nsh_color cc[8] = { NSH_C_COUNT, NSH_C_COUNT, NSH_C_NONE, NSH_C_NONE,
						 NSH_C_TABLE, NSH_C_CHAIN, NSH_C_HANDLE, NSH_C_NONE };

			snprintf(tn, sizeof(tn), "%s %s", nsh_family_name(r->family), r->t->name);
			snprintf(pr, sizeof(pr), "%.1f", r->pps);
			snprintf(b5, sizeof(b5), "%" PRIu64, r->handle);
			snprintf(b6, sizeof(b6), "%" PRIu64, r->packets);
			cells[0] = r->has_counter ? b6 : "-";
			cells[1] = r->has_counter ? nsh_human(r->bytes, b3) : "-";
			cells[2] = r->has_counter ? pr : "-";
			cells[3] = r->has_counter ? nsh_human(nsh_round_u64(r->bps), b4) : "-";
			cells[4] = tn;
			cells[5] = r->c->name;
			cells[6] = b5;
			cells[7] = rule.s;
			if (r == hot)
				cc[2] = cc[3] = NSH_C_HOT;
			nsh_cols_add(cols, cells, cc);
		}
	}
	nsh_out_arr_close(o);
	if (cols) {
		nsh_cols_print(cols, o);
		nsh_cols_free(cols);
		nsh_out_text(o, "\n");
	}
	nsh_out_obj_close(o);
	nsh_out_flush(o);
	nsh_buf_free(&rule);
}

/* Wait until deadline, applying conntrack events as they come. */
static int wait_events(struct nsh_top_scan *s, double deadline)
{
	struct pollfd p = { .fd = nsh_top_scan_event_fd(s), .events = POLLIN };

	while (!monitor_stop) {
		double left = deadline - now_mono();
		int r;

		if (left <= 0)
			return 0;
		r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno != EINTR)
			return -1;
		if (r > 0 && nsh_top_scan_events(s) < 0)
			return -1;
	}
	return 0;
}

/* The kernel refused a read: say why in SPEC 7 words. */
static int scan_fail(struct nsh_ctx *ctx)
{
	if (errno == EPERM || errno == EACCES)
		nsh_error(ctx, "permission denied: managing NAT needs CAP_NET_ADMIN (run as root)");
	else
		nsh_error(ctx, "monitor: reading counters: %s", strerror(errno));
	return NSH_FAIL;
}

/* A first read gives the base; each block then reports one interval of change. */
int nsh_monitor_run(struct nsh_ctx *ctx, double interval, unsigned long count)
{
	struct sigaction sa = { .sa_handler = on_sigint }, old;
	struct nsh_top_scan *s;
	struct nsh_top_snap sn;
	unsigned long n = 0;
	double next;
	int ret = NSH_OK;

	s = nsh_top_scan_open(ctx->nl);
	if (!s)
		return scan_fail(ctx);
	nsh_top_scan_set_resync(s, 30, interval);
	monitor_stop = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	next = now_mono();
	if (nsh_top_scan_refresh(s, next) < 0) {
		ret = scan_fail(ctx);
		goto out;
	}
	while (!monitor_stop && (!count || n < count)) {
		next += interval;
		if (wait_events(s, next) < 0 || monitor_stop)
			break;
		if (nsh_top_scan_refresh(s, now_mono()) < 0) {
			ret = scan_fail(ctx);
			break;
		}
		nsh_top_scan_snap(s, &sn);
		print_block(ctx, &sn);
		n++;
	}
out:
	sigaction(SIGINT, &old, NULL);
	nsh_top_scan_close(s);
	return ret;
}

/* `monitor`: parse interval and count, then run. */
static int monitor_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *ti = nsh_args_get(args, "SECONDS");
	const struct nsh_tok *tc = nsh_args_get(args, "N");
	double interval = 1;
	unsigned long count = 0;
	char *end;

	if (ti && (interval = nsh_interval_parse(ti->s)) < 0) {
		nsh_error_at(ctx, ti, "invalid interval \"%s\" (expected seconds, 0.1 to 3600)", ti->s);
		return NSH_FAIL;
	}
	if (tc) {
		count = strtoul(tc->s, &end, 10);
		if (!tc->s[0] || *end || !count || tc->s[0] == '-') {
			nsh_error_at(ctx, tc, "invalid count \"%s\" (expected a number > 0)", tc->s);
			return NSH_FAIL;
		}
	}
	/* a script that never ends never commits: -c and -f give a bound */
	if (!count && ctx->batch && ctx->src.name) {
		nsh_error_at(ctx, &args->toks[0], "monitor in a -c string or a file needs a bound "
			     "(monitor count N): it would run until killed");
		return NSH_FAIL;
	}
	return nsh_monitor_run(ctx, interval, count);
}

static const char *const monitor_examples[] = {
	"monitor",
	"monitor interval 5 count 12",
	"natsh -j monitor count 1",
	NULL,
};

const struct nsh_cmd nsh_cmd_monitor = {
	.name = "monitor",
	.group = NSH_GRP_MONITORING,
	.summary = "print NAT rule counters and rates every interval",
	.args = monitor_args,
	.description =
		"Every interval (default 1 second) prints a block: time, namespace, "
		"ruleset generation (and whether the ruleset changed), totals, the number "
		"of conntrack entries and of NAT-translated ones, then one line per NAT "
		"rule with packets, bytes, packets/s and bytes/s since the previous block. "
		"With -j each block is one JSON object on its own line.  Stops after "
		"`count` blocks or on Ctrl-C.",
	.examples = monitor_examples,
	.needs_nl = true,
	.endless = true,
	.exec = monitor_exec,
};

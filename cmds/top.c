/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `top [interval SECONDS]`: the live ncurses view.  This file owns the
 * terminal and the keys; model/top_scan.c reads the kernel, render/top.c
 * paints.  The terminal is restored on every way out: q, Ctrl-C, SIGTERM,
 * SIGHUP, errors, and allocation failure (nsh_oom_hook).
 */
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cmds/cmd.h"
#include "cmds/flows.h"
#include "cmds/monitor.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "model/nl/top_scan.h"
#include "render/ct.h"
#include "render/top.h"

static const struct nsh_gram *const top_args =
	NSH_OPT(NSH_SEQ(NSH_WORD("interval", "seconds between refreshes (default 1)"),
			NSH_VAL("SECONDS", NSH_VK_STRING, "seconds, 0.1 to 3600 (1.5 allowed)")));

/* Set from signal handlers; a handler can only talk through a global. */
static volatile sig_atomic_t top_signal, top_winch;

/* SIGINT/SIGTERM/SIGHUP: ask the loop to end (it restores the terminal). */
static void on_signal(int sig)
{
	top_signal = sig;
}

/*
 * Resizes are ours while top runs.  ncurses catches SIGWINCH only where
 * nobody else does, and from the shell readline's loop already does: so top
 * takes the signal itself and tells curses the new size (resizeterm), and
 * the shell hears of it again when top ends.
 */
static void on_winch(int sig)
{
	(void)sig;
	top_winch = 1;
}

/* Restores the terminal before natsh aborts on allocation failure. */
static void top_oom(void)
{
	if (!isendwin())
		endwin();
}

enum input_mode { IN_KEYS, IN_FILTER, IN_CONFIRM };

/* Everything one run of `top` holds: the one context struct of this file. */
struct top_run {
	struct nsh_ctx *ctx;
	SCREEN *scr;
	struct nsh_top_scan *scan;
	struct nsh_top_snap sn;
	struct nsh_top_view v;
	double next;
	bool quit, dirty, resized;
	enum input_mode mode;
	char edit[64];
	struct nsh_ct pending;		/* the entry `d` asked about */
	struct nsh_flow_local *loc;	/* the router's addresses, read at each refresh */
	size_t nloc;
	int64_t *flows;			/* per row of sn: the entries each rule made */
};

/* Seconds on the monotonic clock (rates must not jump with the wall clock). */
static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const double steps[] = { 0.2, 0.5, 1, 2, 5, 10, 30, 60 };

/* Next longer (dir > 0) or shorter interval of the fixed ladder. */
static double step_interval(double cur, int dir)
{
	size_t i;

	if (dir > 0) {
		for (i = 0; i < NSH_ARRAY_SIZE(steps); i++)
			if (steps[i] > cur + 1e-9)
				return steps[i];
		return cur;
	}
	for (i = NSH_ARRAY_SIZE(steps); i-- > 0;)
		if (steps[i] < cur - 1e-9)
			return steps[i];
	return cur;
}

/* The bottom line while the filter is being typed. */
static void set_prompt(struct top_run *t)
{
	if (t->mode == IN_FILTER)
		snprintf(t->v.prompt, sizeof(t->v.prompt), "filter %s: %s_",
			 t->v.pane == NSH_PANE_RULES ? "rules" : "connections", t->edit);
	else if (t->mode == IN_KEYS)
		t->v.prompt[0] = '\0';
}

/* Put the selected connection up for deletion behind a y/n question. */
static void ask_delete(struct top_run *t)
{
	const struct nsh_ct *ct = nsh_top_view_selected_ct(&t->v, &t->sn);
	struct nsh_buf b;

	if (t->v.pane != NSH_PANE_CT || !ct) {
		snprintf(t->v.msg, sizeof(t->v.msg), "select a connection first (Tab to the lower pane)");
		return;
	}
	t->pending = *ct;
	nsh_buf_init(&b);
	nsh_ct_render_line(ct, &b);
	snprintf(t->v.prompt, sizeof(t->v.prompt), "delete? (y/n) %.120s", b.s);
	nsh_buf_free(&b);
	t->mode = IN_CONFIRM;
}

/* The answer was yes: delete the connection and say how it went. */
static void do_delete(struct top_run *t)
{
	if (nsh_top_scan_ct_delete(t->scan, &t->pending) < 0)
		snprintf(t->v.msg, sizeof(t->v.msg), "delete failed: %s",
			 errno == ENOENT ? "the connection is gone already" : strerror(errno));
	else
		snprintf(t->v.msg, sizeof(t->v.msg), "connection deleted");
}

/* Move the selection of the focused pane, clamped to its lines. */
static void move_sel(struct top_run *t, long delta)
{
	size_t p = t->v.pane, n = p ? t->v.ncidx : t->v.nridx;
	long s = (long)t->v.sel[p] + delta;

	if (s >= (long)n)
		s = (long)n - 1;
	if (s < 0)
		s = 0;
	t->v.sel[p] = (size_t)s;
}

/* The filter line editor: Enter applies, Esc cancels, Backspace erases. */
static void key_edit(struct top_run *t, int ch)
{
	size_t len = strlen(t->edit);

	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		snprintf(t->v.filter[t->v.pane], sizeof(t->v.filter[0]), "%s", t->edit);
		t->v.sel[t->v.pane] = t->v.top[t->v.pane] = 0;
		t->mode = IN_KEYS;
	} else if (ch == 27) {
		t->mode = IN_KEYS;
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (len)
			t->edit[len - 1] = '\0';
	} else if (ch >= 32 && ch < 127 && len + 1 < sizeof(t->edit)) {
		t->edit[len] = (char)ch;
		t->edit[len + 1] = '\0';
	}
	set_prompt(t);
}

/* One key press in normal mode, or routed to the line editor / question. */
static void key(struct top_run *t, int ch)
{
	size_t p = t->v.pane;
	long page = (long)(p ? t->v.cts_page : t->v.rows_page);

	t->dirty = true;
	if (ch == KEY_RESIZE)
		return;
	if (t->mode == IN_FILTER) {
		key_edit(t, ch);
		return;
	}
	if (t->mode == IN_CONFIRM) {
		if (ch == 'y' || ch == 'Y')
			do_delete(t);
		else
			snprintf(t->v.msg, sizeof(t->v.msg), "nothing deleted");
		t->mode = IN_KEYS;
		set_prompt(t);
		return;
	}
	t->v.msg[0] = '\0';
	if (t->v.help) {
		t->v.help = false;
		if (ch != 'q')
			return;
	}
	switch (ch) {
	case 'q':
	case 'Q':
		t->quit = true;
		break;
	case '\t':
	case KEY_BTAB:
		t->v.pane = p ? NSH_PANE_RULES : NSH_PANE_CT;
		break;
	case KEY_UP:
	case 'k':
		move_sel(t, -1);
		break;
	case KEY_DOWN:
	case 'j':
		move_sel(t, 1);
		break;
	case KEY_PPAGE:
		move_sel(t, -page);
		break;
	case KEY_NPAGE:
	case ' ':
		move_sel(t, page);
		break;
	case KEY_HOME:
	case 'g':
		move_sel(t, -(long)1e9);
		break;
	case KEY_END:
	case 'G':
		move_sel(t, (long)1e9);
		break;
	case 's':
		if (p == NSH_PANE_RULES)
			t->v.sort = (t->v.sort + 1) % __NSH_TOP_SORT_MAX;
		else
			t->v.ct_sort = (t->v.ct_sort + 1) % __NSH_CT_SORT_MAX;
		break;
	case '/':
		t->mode = IN_FILTER;
		snprintf(t->edit, sizeof(t->edit), "%s", t->v.filter[p]);
		set_prompt(t);
		break;
	case 'p':
		t->v.paused = !t->v.paused;
		t->next = now_mono();	/* resuming reads at once */
		break;
	case '+':
	case '=':
		t->v.interval = step_interval(t->v.interval, 1);
		nsh_top_scan_set_resync(t->scan, 30, t->v.interval);
		t->next = now_mono() + t->v.interval;
		break;
	case '-':
		t->v.interval = step_interval(t->v.interval, -1);
		nsh_top_scan_set_resync(t->scan, 30, t->v.interval);
		t->next = now_mono() + t->v.interval;
		break;
	case 'd':
		ask_delete(t);
		break;
	case '?':
	case 'h':
		t->v.help = true;
		break;
	default:
		t->dirty = false;
		break;
	}
}

/* Read the kernel, then re-sort and re-filter for drawing. */
static int scan(struct top_run *t)
{
	if (nsh_top_scan_refresh(t->scan, now_mono()) < 0)
		return -1;
	nsh_top_scan_snap(t->scan, &t->sn);
	free(t->loc);
	t->loc = nsh_flow_locals(&t->nloc);
	t->dirty = true;
	return 0;
}

/* Tell curses the terminal's new size and redraw. */
static void take_resize(struct top_run *t)
{
	struct winsize ws;

	top_winch = 0;
	t->resized = true;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		resizeterm(ws.ws_row, ws.ws_col);
	t->dirty = true;
}

/* The flows column: the snapshot's NAT entries attributed to its rows' rules. */
static void count_flows(struct top_run *t)
{
	const struct nsh_ruleset *rs = t->sn.rs;
	struct nsh_flow_ref refs[2];
	struct nsh_flows *f;
	size_t i;

	t->v.flows = NULL;
	t->v.nflows = 0;
	if (!rs)
		return;
	f = nsh_flows_new(rs, t->loc, t->nloc);
	for (i = 0; i < t->sn.ncts; i++)
		nsh_flows_add(f, &t->sn.cts[i], refs);
	t->flows = nsh_xrealloc(t->flows, (t->sn.nrows ? t->sn.nrows : 1) * sizeof(*t->flows));
	for (i = 0; i < t->sn.nrows; i++) {
		const struct nsh_top_row *r = &t->sn.rows[i];
		size_t ti = (size_t)(r->t - rs->tables), ci = (size_t)(r->c - r->t->chains);
		const int64_t *c = nsh_flows_chain(f, ti, ci);

		t->flows[i] = c ? c[r->r - r->c->rules] : NSH_FLOWS_NOT_NAT;
	}
	nsh_flows_free(f);
	t->v.flows = t->flows;
	t->v.nflows = t->sn.nrows;
}

/* Wait for keys, conntrack events and the next refresh; redraw at most 5 times a second. */
static int loop(struct top_run *t)
{
	struct pollfd pf[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = nsh_top_scan_event_fd(t->scan), .events = POLLIN },
	};
	double last_draw = 0;
	int ch;

	t->next = now_mono() + t->v.interval;
	while (!t->quit && !top_signal) {
		double now = now_mono(), wait = t->v.paused ? 1 : t->next - now;
		int r;

		if (t->dirty && now - last_draw >= 0.2) {
			nsh_top_scan_snap(t->scan, &t->sn);
			count_flows(t);
			nsh_top_view_order(&t->v, &t->sn);
			nsh_top_draw(&t->v, &t->sn);
			t->dirty = false;
			last_draw = now;
		}
		if (t->dirty && wait > 0.2)
			wait = 0.2;	/* a throttled redraw is due */
		if (wait < 0)
			wait = 0;
		r = poll(pf, t->v.paused ? 1 : 2, (int)(wait * 1000));
		if (r < 0 && errno != EINTR)
			return -1;
		if (r > 0 && (pf[0].revents & (POLLHUP | POLLERR)))
			return 0;
		if (top_winch)
			take_resize(t);
		while ((ch = getch()) != ERR)
			key(t, ch);
		if (!t->v.paused && r > 0 && (pf[1].revents & POLLIN)) {
			if (nsh_top_scan_events(t->scan) < 0)
				return -1;
			t->dirty = true;
		}
		if (!t->v.paused && now_mono() >= t->next) {
			if (scan(t) < 0)
				return -1;
			t->next += t->v.interval;
			if (t->next < now_mono())
				t->next = now_mono() + t->v.interval;
		}
	}
	return 0;
}

/* Own the terminal for one `top`: set up curses and signals, run, restore everything. */
static int run(struct nsh_ctx *ctx, double interval)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term, old_hup;
	struct sigaction wa = { .sa_handler = on_winch }, old_winch;
	bool resized;
	struct top_run t = { .ctx = ctx };
	void (*old_oom)(void) = nsh_oom_hook;
	int ret = NSH_OK, r, e;

	t.scan = nsh_top_scan_open(ctx->nl);
	if (t.scan)
		nsh_top_scan_set_resync(t.scan, 30, interval);
	if (!t.scan || scan(&t) < 0) {
		e = errno;
		nsh_top_scan_close(t.scan);
		if (e == EPERM || e == EACCES)
			nsh_error(ctx, "permission denied: managing NAT needs CAP_NET_ADMIN (run as root)");
		else
			nsh_error(ctx, "top: reading the kernel: %s", strerror(e));
		return NSH_FAIL;
	}
	nsh_top_view_init(&t.v);
	t.v.netns = ctx->netns;
	t.v.interval = interval;
	setlocale(LC_CTYPE, "");
	t.v.utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	t.scr = newterm(NULL, stdout, stdin);
	if (!t.scr) {
		nsh_top_scan_close(t.scan);
		nsh_top_view_free(&t.v);
		nsh_warn(ctx, "top: cannot use this terminal (TERM=%s); printing blocks instead",
			 getenv("TERM") ? getenv("TERM") : "");
		return nsh_monitor_run(ctx, interval, 0);
	}
	nsh_oom_hook = top_oom;
	top_signal = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sigemptyset(&wa.sa_mask);
	top_winch = 0;
	sigaction(SIGWINCH, &wa, &old_winch);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	t.dirty = true;
	r = loop(&t);
	e = errno;
	endwin();
	delscreen(t.scr);
	resized = t.resized || top_winch;
	sigaction(SIGWINCH, &old_winch, NULL);
	if (resized && old_winch.sa_handler != SIG_DFL && old_winch.sa_handler != SIG_IGN)
		raise(SIGWINCH);	/* the shell's line editor learns the new width */
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	nsh_oom_hook = old_oom;
	if (r < 0) {
		nsh_error(ctx, "top: %s", strerror(e));
		ret = NSH_FAIL;
	}
	nsh_top_view_free(&t.v);
	nsh_top_scan_close(t.scan);
	free(t.loc);
	free(t.flows);
	return ret;
}

/* `top`: the curses view on a terminal, `monitor` blocks otherwise. */
static int top_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *ti = nsh_args_get(args, "SECONDS");
	double interval = 1;

	if (ti && (interval = nsh_interval_parse(ti->s)) < 0) {
		nsh_error_at(ctx, ti, "invalid interval \"%s\" (expected seconds, 0.1 to 3600)", ti->s);
		return NSH_FAIL;
	}
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO) || ctx->json) {
		/* `natsh top | less` streams monitor blocks; a script would never end */
		if (ctx->batch && ctx->src.name) {
			nsh_error_at(ctx, &args->toks[0], "top needs a terminal; in a -c string or a "
				     "file use monitor count N");
			return NSH_FAIL;
		}
		return nsh_monitor_run(ctx, interval, 0);
	}
	return run(ctx, interval);
}

static const char *const top_examples[] = { "top", "top interval 5", NULL };

const struct nsh_cmd nsh_cmd_top = {
	.name = "top",
	.group = NSH_GRP_MONITORING,
	.summary = "live full-screen view of NAT rule rates and NAT connections",
	.args = top_args,
	.description =
		"Upper pane: every NAT rule with packets, bytes, packets/s and bytes/s "
		"since the last refresh and a history of packets/s; the hottest rule is "
		"highlighted.  Lower pane: the connections NAT translated, kept current "
		"from conntrack events.  Header: namespace, interval, totals, ruleset "
		"generation (and a notice when it changed).  Keys: Tab pane, Up/Down "
		"PgUp/PgDn Home/End move, s sort, / filter, p pause, +/- interval, "
		"d delete the selected connection, ? help, q quit.  When stdout is not "
		"a terminal (or with -j) it prints what `monitor` prints.",
	.examples = top_examples,
	.needs_nl = true,
	.endless = true,
	.exec = top_exec,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `top` drawing: header, rules pane with rates and sparklines, conntrack pane. */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/util.h"
#include "render/ct.h"
#include "render/out.h"
#include "model/syntax/rule_text.h"
#include "model/flows.h"
#include "render/top.h"

enum { PAIR_HOT = 1, PAIR_HEAD, PAIR_WARN, PAIR_DIM };

#define SPARK_W 16

/* Defaults: rules pane, order sort, 1 s, no filter. */
void nsh_top_view_init(struct nsh_top_view *v)
{
	memset(v, 0, sizeof(*v));
	v->interval = 1;
	v->sort = NSH_TOP_SORT_ORDER;
}

/* Free the ordering arrays; the view itself is the caller's. */
void nsh_top_view_free(struct nsh_top_view *v)
{
	free(v->ridx);
	free(v->cidx);
	v->ridx = v->cidx = NULL;
}

/* Connection sort key names as the header prints them. */
const char *nsh_ct_sort_name(enum nsh_ct_sort s)
{
	static const char *const n[] = { "arrival", "timeout", "bytes", "source" };

	return s < __NSH_CT_SORT_MAX ? n[s] : "?";
}

/* The text a rule row is filtered on: "ip nat prerouting tcp dport 80 dnat ...". */
static void row_text(const struct nsh_top_row *r, struct nsh_buf *b)
{
	nsh_buf_printf(b, "%s %s %s ", nsh_family_name(r->family), r->t->name, r->c->name);
	nsh_rule_render(r->t, r->r, NSH_RF_COMMENT, b);
}

/* Arrows as the terminal can show them. */
static void ascii_arrows(char *s)
{
	char *p, *q;

	for (p = q = s; *p;) {
		if (!strncmp(p, "→", 3)) {
			*q++ = '-';
			*q++ = '>';
			p += 3;
		} else if (!strncmp(p, "⇒", 3)) {
			*q++ = '=';
			*q++ = '>';
			p += 3;
		} else {
			*q++ = *p++;
		}
	}
	*q = '\0';
}

struct ct_cmp_ctx {
	const struct nsh_top_snap *sn;
	enum nsh_ct_sort key;
};

/* Order of connections for the chosen key; ties by conntrack id. */
static int ct_cmp(const void *a, const void *b, void *arg)
{
	const struct ct_cmp_ctx *cc = arg;
	const struct nsh_ct *x = &cc->sn->cts[*(const size_t *)a];
	const struct nsh_ct *y = &cc->sn->cts[*(const size_t *)b];
	uint64_t bx, by;
	int r;

	switch (cc->key) {
	case NSH_CT_SORT_TIMEOUT:
		if (x->timeout != y->timeout)
			return x->timeout < y->timeout ? -1 : 1;
		break;
	case NSH_CT_SORT_BYTES:
		bx = x->bytes[0] + x->bytes[1];
		by = y->bytes[0] + y->bytes[1];
		if (bx != by)
			return bx > by ? -1 : 1;
		break;
	case NSH_CT_SORT_SRC:
		if (x->family != y->family)
			return x->family < y->family ? -1 : 1;
		r = memcmp(x->orig.src, y->orig.src, 16);
		if (r)
			return r;
		if (x->orig.sport != y->orig.sport)
			return x->orig.sport < y->orig.sport ? -1 : 1;
		break;
	default:
		break;
	}
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Sort and filter both panes, and keep each selection inside its pane. */
void nsh_top_view_order(struct nsh_top_view *v, const struct nsh_top_snap *sn)
{
	struct nsh_buf b;
	size_t i, n;

	nsh_buf_init(&b);
	free(v->ridx);
	v->ridx = nsh_xmalloc(sizeof(size_t) * (sn->nrows ? sn->nrows : 1));
	nsh_top_rows_order(sn->rows, sn->nrows, v->sort, v->ridx);
	if (v->filter[0][0]) {
		for (i = n = 0; i < sn->nrows; i++) {
			nsh_buf_reset(&b);
			row_text(&sn->rows[v->ridx[i]], &b);
			if (strstr(b.s, v->filter[0]))
				v->ridx[n++] = v->ridx[i];
		}
		v->nridx = n;
	} else {
		v->nridx = sn->nrows;
	}
	free(v->cidx);
	v->cidx = nsh_xmalloc(sizeof(size_t) * (sn->ncts ? sn->ncts : 1));
	for (i = n = 0; i < sn->ncts; i++) {
		if (v->filter[1][0]) {
			nsh_buf_reset(&b);
			nsh_ct_render_line(&sn->cts[i], &b);
			if (!strstr(b.s, v->filter[1]))
				continue;
		}
		v->cidx[n++] = i;
	}
	v->ncidx = n;
	/* "arrival" is the scanner's own order: no sort, cheap with 100,000 entries */
	if (v->ct_sort != NSH_CT_SORT_NONE) {
		struct ct_cmp_ctx cc = { .sn = sn, .key = v->ct_sort };

		qsort_r(v->cidx, v->ncidx, sizeof(size_t), ct_cmp, &cc);
	}
	nsh_buf_free(&b);
	for (i = 0; i < 2; i++) {
		size_t cnt = i ? v->ncidx : v->nridx;

		if (v->sel[i] >= cnt)
			v->sel[i] = cnt ? cnt - 1 : 0;
	}
}

/* What `d` acts on. */
const struct nsh_ct *nsh_top_view_selected_ct(const struct nsh_top_view *v,
					      const struct nsh_top_snap *sn)
{
	if (!v->cidx || v->sel[1] >= v->ncidx)
		return NULL;
	return &sn->cts[v->cidx[v->sel[1]]];
}

/* One screen line: at most COLS code points, the rest cleared. */
static void put_line(int y, attr_t attr, const char *s)
{
	int cols = COLS, n = 0;
	const char *p = s;

	while (*p && n < cols) {
		p++;
		while ((*p & 0xc0) == 0x80)
			p++;
		n++;
	}
	move(y, 0);
	attron(attr);
	addnstr(s, (int)(p - s));
	for (; n < cols; n++)
		addch(' ');
	attroff(attr);
}

/* The flows column takes 7 columns: shown from FLOWS_MIN_COLS columns on (the rule keeps its room). */
#define FLOWS_MIN_COLS 128

static bool flows_shown(const struct nsh_top_view *v)
{
	return v->flows && COLS >= FLOWS_MIN_COLS;
}

/* The last SPARK_W packets/s samples, scaled to their own maximum. */
static void spark(const struct nsh_top_row *r, bool utf8, struct nsh_buf *b)
{
	static const char *const bars[] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	static const char ascii[] = " .:-=+*#@";
	unsigned i, start = r->nhist > SPARK_W ? r->nhist - SPARK_W : 0;
	float max = 0;

	for (i = start; i < r->nhist; i++)
		if (r->hist[i] > max)
			max = r->hist[i];
	for (i = r->nhist - start; i < SPARK_W; i++)
		nsh_buf_putc(b, ' ');
	for (i = start; i < r->nhist; i++) {
		float v = max > 0 ? r->hist[i] / max * 8 : 0;
		int lvl = (int)v;

		if (lvl < v)		/* ceil */
			lvl++;

		if (lvl > 8)
			lvl = 8;
		if (utf8)
			nsh_buf_puts(b, bars[lvl]);
		else
			nsh_buf_putc(b, ascii[lvl]);
	}
}

/* Two header lines: where, how often, generation; totals and conntrack figures. */
static void draw_header(const struct nsh_top_view *v, const struct nsh_top_snap *sn)
{
	struct nsh_buf b;
	char h1[16], h2[16], h3[16];

	nsh_buf_init(&b);
	nsh_buf_printf(&b, " natsh top   netns %s   every %.1fs   generation %" PRIu32,
		       v->netns ? v->netns : "(current)", v->interval, sn->genid);
	if (v->paused)
		nsh_buf_puts(&b, "   PAUSED");
	put_line(0, A_REVERSE | A_BOLD, b.s);
	if (sn->gen_changes) {
		nsh_buf_reset(&b);
		nsh_buf_printf(&b, "  ruleset changed%s", sn->gen_changed ? " just now" : "");
		attron(COLOR_PAIR(PAIR_WARN) | A_BOLD | A_REVERSE);
		mvaddstr(0, COLS > 24 ? COLS - 24 : 0, b.s);
		attroff(COLOR_PAIR(PAIR_WARN) | A_BOLD | A_REVERSE);
	}
	nsh_buf_reset(&b);
	nsh_buf_printf(&b, " rules %zu   packets %s (%.1f/s)   bytes %s (%s/s)   conntrack %" PRIu64
		       " entries, %zu NAT (+%u -%u)",
		       sn->nrows, nsh_human(sn->packets, h1), sn->pps, nsh_human(sn->bytes, h2),
		       nsh_human(nsh_round_u64(sn->bps), h3), sn->ct_total, sn->ncts,
		       sn->ev_new, sn->ev_destroy);
	put_line(1, 0, b.s);
	nsh_buf_free(&b);
}

/* The upper pane: one line per rule with figures and sparkline; hottest in red. */
static void draw_rules(struct nsh_top_view *v, const struct nsh_top_snap *sn, int y0, int h)
{
	const struct nsh_top_row *hot = nsh_top_hottest(sn->rows, sn->nrows);
	bool focus = v->pane == NSH_PANE_RULES;
	struct nsh_buf b;
	char h1[16], h2[16], h3[16];
	size_t i;
	int y;

	nsh_buf_init(&b);
	nsh_buf_printf(&b, "%s %8s %7s %8s %8s %s%-*s %-22s RULE   [sort %s%s%s]",
		       focus ? ">" : " ", "PKTS", "BYTES", "PKTS/S", "BYTES/S",
		       flows_shown(v) ? " FLOWS " : "", SPARK_W, "HISTORY",
		       "TABLE/CHAIN", nsh_top_sort_name(v->sort), v->filter[0][0] ? ", filter " : "",
		       v->filter[0]);
	put_line(y0, COLOR_PAIR(PAIR_HEAD) | A_BOLD | (focus ? A_UNDERLINE : 0), b.s);
	v->rows_page = h > 1 ? (size_t)h - 1 : 1;
	if (v->sel[0] < v->top[0])
		v->top[0] = v->sel[0];
	if (v->sel[0] >= v->top[0] + v->rows_page)
		v->top[0] = v->sel[0] - v->rows_page + 1;
	for (y = 1; y < h; y++) {
		const struct nsh_top_row *r;
		char tc[64];
		attr_t a = 0;

		i = v->top[0] + (size_t)y - 1;
		if (i >= v->nridx) {
			put_line(y0 + y, 0, "");
			continue;
		}
		r = &sn->rows[v->ridx[i]];
		nsh_buf_reset(&b);
		snprintf(tc, sizeof(tc), "%s %s/%s", nsh_family_name(r->family), r->t->name,
			 r->c->name);
		if (r->has_counter)
			nsh_buf_printf(&b, "  %8s %7s %8.1f %8s ", nsh_human(r->packets, h1),
				       nsh_human(r->bytes, h2), r->pps,
				       nsh_human(nsh_round_u64(r->bps), h3));
		else
			nsh_buf_printf(&b, "  %8s %7s %8s %8s ", "-", "-", "-", "-");
		if (flows_shown(v)) {
			int64_t f = v->ridx[i] < v->nflows ? v->flows[v->ridx[i]] : NSH_FLOWS_NOT_NAT;

			if (f >= 0)
				nsh_buf_printf(&b, "%6s ", nsh_human((uint64_t)f, h1));
			else
				nsh_buf_printf(&b, "%6s ", f == NSH_FLOWS_UNKNOWN ? "?" : "-");
		}
		spark(r, v->utf8, &b);
		nsh_buf_printf(&b, " %-22s ", tc);
		nsh_rule_render(r->t, r->r, NSH_RF_COMMENT | NSH_RF_MARK, &b);
		if (r == hot)
			a |= COLOR_PAIR(PAIR_HOT) | A_BOLD;
		if (focus && i == v->sel[0])
			a |= A_REVERSE;
		put_line(y0 + y, a, b.s);
	}
	nsh_buf_free(&b);
}

/* The lower pane: NAT connections, selection kept in view. */
static void draw_cts(struct nsh_top_view *v, const struct nsh_top_snap *sn, int y0, int h)
{
	bool focus = v->pane == NSH_PANE_CT;
	struct nsh_buf b;
	size_t i;
	int y;

	nsh_buf_init(&b);
	nsh_buf_printf(&b, "%s NAT CONNECTIONS (%zu)   [sort %s%s%s]", focus ? ">" : " ",
		       v->ncidx, nsh_ct_sort_name(v->ct_sort), v->filter[1][0] ? ", filter " : "",
		       v->filter[1]);
	put_line(y0, COLOR_PAIR(PAIR_HEAD) | A_BOLD | (focus ? A_UNDERLINE : 0), b.s);
	v->cts_page = h > 1 ? (size_t)h - 1 : 1;
	if (v->sel[1] < v->top[1])
		v->top[1] = v->sel[1];
	if (v->sel[1] >= v->top[1] + v->cts_page)
		v->top[1] = v->sel[1] - v->cts_page + 1;
	for (y = 1; y < h; y++) {
		i = v->top[1] + (size_t)y - 1;
		if (i >= v->ncidx) {
			put_line(y0 + y, 0, "");
			continue;
		}
		nsh_buf_reset(&b);
		nsh_buf_puts(&b, "  ");
		nsh_ct_render_line(&sn->cts[v->cidx[i]], &b);
		if (!v->utf8)
			ascii_arrows(b.s);
		put_line(y0 + y, focus && i == v->sel[1] ? A_REVERSE : 0, b.s);
	}
	nsh_buf_free(&b);
}

/* The key help, drawn over the panes until the next key. */
static void draw_help(void)
{
	static const char *const lines[] = {
		"natsh top: keys",
		"",
		"Tab          switch pane (rules / NAT connections)",
		"Up/Down      move the selection",
		"PgUp/PgDn    scroll a page; Home/End first/last",
		"s            cycle the sort column of the pane",
		"/            filter the pane (substring; empty clears)",
		"p            pause / resume",
		"+ / -        longer / shorter interval",
		"d            delete the selected connection (asks)",
		"?            this help (any key closes it)",
		"q            quit",
	};
	int n = (int)NSH_ARRAY_SIZE(lines), w = 56, i;
	int y0 = (LINES - n - 2) / 2, x0 = (COLS - w) / 2;

	if (y0 < 0)
		y0 = 0;
	if (x0 < 0)
		x0 = 0;
	for (i = -1; i <= n; i++) {
		char line[128];

		snprintf(line, sizeof(line), "  %-*s", w - 2, i >= 0 && i < n ? lines[i] : "");
		attron(A_REVERSE);
		mvaddnstr(y0 + i + 1, x0, line, COLS - x0);
		attroff(A_REVERSE);
	}
}

/* Lay out header, two panes (55 % / 45 %) and the bottom line for the current size. */
void nsh_top_draw(struct nsh_top_view *v, const struct nsh_top_snap *sn)
{
	int avail = LINES - 3, hr, hc;

	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(PAIR_HOT, COLOR_RED, -1);
		init_pair(PAIR_HEAD, COLOR_CYAN, -1);
		init_pair(PAIR_WARN, COLOR_YELLOW, -1);
		init_pair(PAIR_DIM, COLOR_BLUE, -1);
	}
	erase();
	draw_header(v, sn);
	if (avail >= 4) {
		hr = avail * 55 / 100;
		if (hr < 2)
			hr = 2;
		hc = avail - hr;
		draw_rules(v, sn, 2, hr);
		draw_cts(v, sn, 2 + hr, hc);
	}
	if (v->prompt[0])
		put_line(LINES - 1, A_BOLD, v->prompt);
	else if (v->msg[0])
		put_line(LINES - 1, COLOR_PAIR(PAIR_WARN) | A_BOLD, v->msg);
	else
		put_line(LINES - 1, A_REVERSE,
			 " Tab pane  Up/Dn PgUp/PgDn scroll  s sort  / filter  p pause  +/- interval"
			 "  d delete  ? help  q quit");
	if (v->help)
		draw_help();
	refresh();
}

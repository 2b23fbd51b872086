/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The drawing side of `top` (ncurses).  It reads a scan snapshot and the
 * view state and paints the screen; it never talks to the kernel.
 */
#ifndef NSH_RENDER_TOP_H
#define NSH_RENDER_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include "model/nl/top_scan.h"

enum nsh_top_pane { NSH_PANE_RULES, NSH_PANE_CT };
enum nsh_ct_sort { NSH_CT_SORT_NONE, NSH_CT_SORT_TIMEOUT, NSH_CT_SORT_BYTES,
		   NSH_CT_SORT_SRC, __NSH_CT_SORT_MAX };

/* What the user chose; owned by cmds/top.c, read by the drawing code. */
struct nsh_top_view {
	const char *netns;		/* NULL: the current namespace */
	double interval;
	enum nsh_top_pane pane;
	size_t sel[2], top[2];		/* selected line and first visible line per pane */
	enum nsh_top_sort sort;		/* rules pane */
	enum nsh_ct_sort ct_sort;	/* conntrack pane */
	char filter[2][64];		/* per pane; "" none */
	bool paused, help;
	bool utf8;			/* the terminal takes UTF-8 (arrows, sparklines) */
	char prompt[160];		/* bottom line: filter entry or a question; "" none */
	char msg[160];			/* bottom line notice; "" none */
	/* filled by nsh_top_view_order(): visible rows/entries in display order */
	size_t *ridx, nridx;
	size_t *cidx, ncidx;
	size_t rows_page, cts_page;	/* lines each pane had at the last draw */
	/*
	 * Flows per rule, parallel to the snapshot's rows (model/flows.h
	 * values); NULL: no column.  Set by cmds/top.c before each draw.
	 */
	const int64_t *flows;
	size_t nflows;
};

void nsh_top_view_init(struct nsh_top_view *v);
void nsh_top_view_free(struct nsh_top_view *v);
/* Apply sort and filter of both panes to the snapshot (call after each change). */
void nsh_top_view_order(struct nsh_top_view *v, const struct nsh_top_snap *sn);
/* The conntrack entry under the selection, or NULL. */
const struct nsh_ct *nsh_top_view_selected_ct(const struct nsh_top_view *v,
					      const struct nsh_top_snap *sn);
/* Paint the whole screen (stdscr) and refresh it. */
void nsh_top_draw(struct nsh_top_view *v, const struct nsh_top_snap *sn);
/* Sort key names for the header and help. */
const char *nsh_ct_sort_name(enum nsh_ct_sort s);

#endif

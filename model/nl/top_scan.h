/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The data side of `top` and `monitor`: netlink reads into a plain
 * snapshot (NAT rules with counters and rates, NAT conntrack entries),
 * with no terminal code, so it can be unit-tested and shared by both views.
 */
#ifndef NSH_TOP_SCAN_H
#define NSH_TOP_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/ct.h"
#include "model/model.h"

#define NSH_TOP_HIST 32		/* samples of packets/s kept per rule */

/* One NAT rule, its counters and rates. */
struct nsh_top_row {
	uint8_t family;
	const struct nsh_table *t;	/* in the scan's ruleset (for rendering) */
	const struct nsh_chain *c;
	const struct nsh_rule *r;
	uint64_t handle;
	bool has_counter;
	uint64_t packets, bytes;
	double pps, bps;		/* from the last two reads */
	float hist[NSH_TOP_HIST];	/* packets/s, oldest first */
	unsigned nhist;
	bool carried;			/* counters/history came from the previous read */
};

/* Sort keys the views cycle through. */
enum nsh_top_sort { NSH_TOP_SORT_ORDER, NSH_TOP_SORT_PPS, NSH_TOP_SORT_BPS,
		    NSH_TOP_SORT_PACKETS, NSH_TOP_SORT_BYTES, __NSH_TOP_SORT_MAX };
const char *nsh_top_sort_name(enum nsh_top_sort s);

struct nsh_nl;
struct nsh_top_scan;

/*
 * Open the scanner on nl (borrowed).  Opens its own ctnetlink sockets
 * (requests and new/destroy events).  NULL + errno on failure.
 */
struct nsh_top_scan *nsh_top_scan_open(struct nsh_nl *nl);
void nsh_top_scan_close(struct nsh_top_scan *s);

/*
 * Read counters (the whole ruleset again when its generation changed) and
 * compute rates over the time since the previous refresh (now: seconds,
 * monotonic); apply pending conntrack events, and re-read the NAT
 * conntrack entries in full when a resync is due.  -1 + errno on failure.
 */
int nsh_top_scan_refresh(struct nsh_top_scan *s, double now);
/* The conntrack event socket, to poll between refreshes. */
int nsh_top_scan_event_fd(const struct nsh_top_scan *s);
/* Apply pending conntrack events to the entry table; -1 + errno. */
int nsh_top_scan_events(struct nsh_top_scan *s);
/*
 * Re-read NAT conntrack entries in full about every `seconds` (default 30;
 * at least every 3 refreshes); events keep them current in between, and a
 * lost event (ENOBUFS) forces a re-read at the next refresh.
 */
void nsh_top_scan_set_resync(struct nsh_top_scan *s, double seconds, double interval);

/* What the views read.  Valid until the next refresh/events call. */
struct nsh_top_snap {
	uint32_t genid;
	const struct nsh_ruleset *rs;	/* the rows' ruleset */
	bool gen_changed;		/* the last refresh saw a new generation */
	unsigned gen_changes;		/* how many times since open */
	double interval;		/* seconds covered by the rates */
	const struct nsh_top_row *rows;
	size_t nrows;
	uint64_t packets, bytes;	/* sums over rows */
	double pps, bps;
	const struct nsh_ct *cts;	/* NAT conntrack entries, no order */
	size_t ncts;
	uint64_t ct_total;		/* all entries in the namespace */
	unsigned ev_new, ev_destroy;	/* events applied since the last refresh */
};
void nsh_top_scan_snap(const struct nsh_top_scan *s, struct nsh_top_snap *snap);
/* Delete one conntrack entry (the `d` key); -1 + errno. */
int nsh_top_scan_ct_delete(struct nsh_top_scan *s, const struct nsh_ct *ct);

/* ---- pure helpers (unit-tested) ---- */

/* New counter values for a row read dt seconds after the previous ones. */
void nsh_top_row_update(struct nsh_top_row *row, uint64_t packets, uint64_t bytes, double dt);
/* Carry counters, rates and history from old rows to the same rules (family, table, handle). */
void nsh_top_rows_carry(struct nsh_top_row *rows, size_t n, const struct nsh_top_row *old,
			size_t nold);
/* Fill idx[0..n) with row indices ordered by key (descending figures; ties by order). */
void nsh_top_rows_order(const struct nsh_top_row *rows, size_t n, enum nsh_top_sort key,
			size_t *idx);
/* The row with the highest packets/s (NULL when all are idle). */
const struct nsh_top_row *nsh_top_hottest(const struct nsh_top_row *rows, size_t n);

#endif

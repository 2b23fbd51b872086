/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Scanner for top/monitor.  The ruleset is decoded in full only when its
 * generation changes; in between a light rule dump reads just the counter
 * expressions.  NAT conntrack entries are kept in a hash by conntrack id,
 * updated from new/destroy events and re-read in full every few refreshes.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "lib/util.h"
#include "model/nl/nl.h"
#include "model/nl/ct.h"
#include "model/nl/sock.h"
#include "model/nl/top_scan.h"

struct nsh_top_scan {
	struct nsh_nl *nl;		/* borrowed: full ruleset dumps */
	struct nsh_sock *nft;		/* counters and generation */
	struct nsh_ctnl *ct, *ev;
	struct nsh_ruleset *rs;
	struct nsh_top_row *rows;
	size_t nrows;
	size_t *byhandle;		/* row indices sorted by (family, table, handle) */
	double last;			/* time of the previous refresh, 0: none */
	uint32_t genid;
	bool have_gen, gen_changed;
	unsigned gen_changes;
	double interval;
	/* NAT conntrack entries: open addressing on id, slots hold index+1 */
	struct nsh_ct *cts;
	size_t ncts, capcts;
	uint32_t *slot;
	size_t nslots;
	unsigned resync, since_resync;
	bool ct_dirty;
	uint64_t ct_total;
	double ct_frac;			/* part of a second not yet taken off the timeouts */
	unsigned ev_new, ev_destroy;	/* counting since the last refresh */
	unsigned last_new, last_destroy;	/* counted over the previous interval */
};

#define BUFSZ (64 * 1024)

/* ---- pure helpers ---- */

/* Sort key names as the views print them. */
const char *nsh_top_sort_name(enum nsh_top_sort s)
{
	static const char *const n[] = { "order", "pkts/s", "bytes/s", "packets", "bytes" };

	return s < __NSH_TOP_SORT_MAX ? n[s] : "?";
}

/* Rates from the counter change; a counter that went down (reset) counts from 0. */
void nsh_top_row_update(struct nsh_top_row *row, uint64_t packets, uint64_t bytes, double dt)
{
	if (dt > 0) {
		uint64_t dp = packets >= row->packets ? packets - row->packets : packets;
		uint64_t db = bytes >= row->bytes ? bytes - row->bytes : bytes;

		row->pps = (double)dp / dt;
		row->bps = (double)db / dt;
		if (row->nhist == NSH_TOP_HIST)
			memmove(row->hist, row->hist + 1, sizeof(row->hist[0]) * (NSH_TOP_HIST - 1));
		else
			row->nhist++;
		row->hist[row->nhist - 1] = (float)row->pps;
	}
	row->packets = packets;
	row->bytes = bytes;
}

/* Rule identity across reads: family, table name, handle. */
static int row_key_cmp(const struct nsh_top_row *a, const struct nsh_top_row *b)
{
	int r;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	r = strcmp(a->t ? a->t->name : "", b->t ? b->t->name : "");
	if (r)
		return r;
	return a->handle < b->handle ? -1 : a->handle > b->handle;
}

/* Same rule in the old snapshot: same family, table and handle. */
void nsh_top_rows_carry(struct nsh_top_row *rows, size_t n, const struct nsh_top_row *old,
			size_t nold)
{
	size_t i, j = 0, k;

	for (i = 0; i < n; i++) {
		const struct nsh_top_row *o = NULL;

		/* usually the same order: try the next old row, then search */
		if (j < nold && !row_key_cmp(&rows[i], &old[j]))
			o = &old[j++];
		for (k = 0; !o && k < nold; k++)
			if (!row_key_cmp(&rows[i], &old[k])) {
				o = &old[k];
				j = k + 1;
			}
		if (!o)
			continue;
		rows[i].pps = o->pps;
		rows[i].bps = o->bps;
		memcpy(rows[i].hist, o->hist, sizeof(o->hist));
		rows[i].nhist = o->nhist;
		rows[i].packets = o->packets;
		rows[i].bytes = o->bytes;
		rows[i].carried = true;
	}
}

/* The figure a row is sorted by. */
static double row_fig(const struct nsh_top_row *r, enum nsh_top_sort key)
{
	switch (key) {
	case NSH_TOP_SORT_PPS: return r->pps;
	case NSH_TOP_SORT_BPS: return r->bps;
	case NSH_TOP_SORT_PACKETS: return (double)r->packets;
	case NSH_TOP_SORT_BYTES: return (double)r->bytes;
	default: return 0;
	}
}

/* qsort has no context argument: sort (figure, index) pairs instead. */
struct ord { double fig; size_t i; };

/* Descending figure, then ascending original position. */
static int ord_cmp(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;

	if (x->fig != y->fig)
		return x->fig > y->fig ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Stable: equal figures keep the ruleset order. */
void nsh_top_rows_order(const struct nsh_top_row *rows, size_t n, enum nsh_top_sort key,
			size_t *idx)
{
	struct ord *o = nsh_xmalloc(sizeof(*o) * (n ? n : 1));
	size_t i;

	for (i = 0; i < n; i++) {
		o[i].fig = row_fig(&rows[i], key);
		o[i].i = i;
	}
	if (key != NSH_TOP_SORT_ORDER)
		qsort(o, n, sizeof(*o), ord_cmp);
	for (i = 0; i < n; i++)
		idx[i] = o[i].i;
	free(o);
}

/* Highest packets/s wins; an idle ruleset has no hottest rule. */
const struct nsh_top_row *nsh_top_hottest(const struct nsh_top_row *rows, size_t n)
{
	const struct nsh_top_row *h = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].pps > 0 && (!h || rows[i].pps > h->pps))
			h = &rows[i];
	return h;
}

/* ---- conntrack entry table ---- */

/* Fibonacci hashing of a conntrack id into a power-of-two table. */
static size_t ct_hash(uint32_t id, size_t nslots)
{
	return (id * 2654435761u) & (nslots - 1);
}

/* Rebuild the index for the current capacity (load factor <= 1/2). */
static void ct_rehash(struct nsh_top_scan *s)
{
	size_t i;

	free(s->slot);
	s->nslots = 64;
	while (s->nslots < s->capcts * 2)
		s->nslots *= 2;
	s->slot = nsh_xcalloc(s->nslots, sizeof(*s->slot));
	for (i = 0; i < s->ncts; i++) {
		size_t h = ct_hash(s->cts[i].id, s->nslots);

		while (s->slot[h])
			h = (h + 1) & (s->nslots - 1);
		s->slot[h] = (uint32_t)i + 1;
	}
}

/* Slot holding id, or the empty slot where it would go. */
static size_t ct_find(const struct nsh_top_scan *s, uint32_t id)
{
	size_t h = ct_hash(id, s->nslots);

	while (s->slot[h] && s->cts[s->slot[h] - 1].id != id)
		h = (h + 1) & (s->nslots - 1);
	return h;
}

/* Insert or replace an entry by id; grows and rehashes when full. */
static void ct_put(struct nsh_top_scan *s, const struct nsh_ct *ct)
{
	size_t h;

	if (s->ncts == s->capcts) {
		s->capcts = s->capcts ? s->capcts * 2 : 256;
		s->cts = nsh_xrealloc(s->cts, s->capcts * sizeof(*s->cts));
		ct_rehash(s);
	}
	h = ct_find(s, ct->id);
	if (s->slot[h]) {
		s->cts[s->slot[h] - 1] = *ct;
		return;
	}
	s->cts[s->ncts] = *ct;
	s->slot[h] = (uint32_t)++s->ncts;
}

/* Remove id: move the last entry into its place, re-seat the probe chain. */
static void ct_del(struct nsh_top_scan *s, uint32_t id)
{
	size_t h, last, j, k;
	uint32_t idx;

	if (!s->nslots)
		return;
	h = ct_find(s, id);
	if (!s->slot[h])
		return;
	idx = s->slot[h] - 1;
	s->slot[h] = 0;
	/* backward-shift deletion keeps probe chains unbroken */
	j = h;
	for (k = (h + 1) & (s->nslots - 1); s->slot[k]; k = (k + 1) & (s->nslots - 1)) {
		size_t home = ct_hash(s->cts[s->slot[k] - 1].id, s->nslots);

		if ((k > j && (home <= j || home > k)) || (k < j && home <= j && home > k)) {
			s->slot[j] = s->slot[k];
			s->slot[k] = 0;
			j = k;
		}
	}
	last = s->ncts - 1;
	if (idx != last) {
		s->cts[idx] = s->cts[last];
		s->slot[ct_find(s, s->cts[idx].id)] = idx + 1;
	}
	s->ncts--;
}

/* Full dump callback: every NAT entry goes into the table. */
static int resync_cb(const struct nsh_ct *ct, void *data)
{
	ct_put(data, ct);
	return 0;
}

/* Replace the NAT entry table by a full dump (events may have been lost). */
static int ct_resync(struct nsh_top_scan *s)
{
	struct nsh_ct_filter f;

	nsh_ct_filter_init(&f);
	f.nat = NSH_CT_NAT_NAT;
	s->ncts = 0;
	if (s->nslots)
		memset(s->slot, 0, s->nslots * sizeof(*s->slot));
	s->since_resync = 0;
	s->ct_dirty = false;
	return nsh_ct_dump(s->ct, &f, resync_cb, s);
}

/* A conntrack event: NAT-translated new entries are added, destroyed ones removed. */
static void event_cb(enum nsh_ct_event ev, const struct nsh_ct *ct, void *data)
{
	struct nsh_top_scan *s = data;

	if (ev == NSH_CT_EV_DESTROY) {
		ct_del(s, ct->id);
		s->ev_destroy++;
	} else if (nsh_ct_is_snat(ct) || nsh_ct_is_dnat(ct)) {
		/* an update (new state, new timeout) replaces what the table held */
		ct_put(s, ct);
		if (ev == NSH_CT_EV_NEW)
			s->ev_new++;
	}
}

/*
 * Timeouts count down between reads: take the seconds since the previous
 * refresh off every entry (an update event since then sets its own).
 */
static void ct_age(struct nsh_top_scan *s, double dt)
{
	uint32_t whole;
	size_t i;

	s->ct_frac += dt;
	if (s->ct_frac < 1)
		return;
	whole = s->ct_frac > 4e9 ? UINT32_MAX : (uint32_t)s->ct_frac;
	s->ct_frac -= whole;
	for (i = 0; i < s->ncts; i++)
		s->cts[i].timeout = s->cts[i].timeout > whole ? s->cts[i].timeout - whole : 0;
}

/* Drain pending events; an overflow only schedules a full re-read. */
int nsh_top_scan_events(struct nsh_top_scan *s)
{
	int r = nsh_ct_events_read(s->ev, event_cb, s);

	if (r < 0 && errno == ENOBUFS) {
		s->ct_dirty = true;	/* lost events: re-read at the next refresh */
		return 0;
	}
	return r < 0 ? -1 : 0;
}

/* The fd to poll() for conntrack events. */
int nsh_top_scan_event_fd(const struct nsh_top_scan *s)
{
	return nsh_ctnl_fd(s->ev);
}

/* ---- nf_tables: generation and counters ---- */

/* Start an nf_tables request for every family. */
static struct nlmsghdr *nft_req(struct nsh_top_scan *s, void *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = nsh_sock_seq(s->nft);
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = 0;	/* NFPROTO_UNSPEC: every family */
	nfg->version = NFNETLINK_V0;
	return nlh;
}

struct ctr_state {
	struct nsh_top_scan *s;
	size_t cursor;
	double dt;
};

/* Counter packets/bytes of a rule's first counter expression; false if none. */
static bool rule_counter(const struct nlattr *exprs, uint64_t *p, uint64_t *b)
{
	const struct nlattr *e, *a, *d;

	mnl_attr_for_each_nested(e, exprs) {
		const char *name = NULL;
		const struct nlattr *data = NULL;

		mnl_attr_for_each_nested(a, e) {
			if (mnl_attr_get_type(a) == NFTA_EXPR_NAME)
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == NFTA_EXPR_DATA)
				data = a;
		}
		if (!name || strcmp(name, "counter") || !data)
			continue;
		*p = *b = 0;
		mnl_attr_for_each_nested(d, data) {
			if (mnl_attr_get_payload_len(d) < 8)
				continue;
			if (mnl_attr_get_type(d) == NFTA_COUNTER_PACKETS)
				*p = be64toh(mnl_attr_get_u64(d));
			else if (mnl_attr_get_type(d) == NFTA_COUNTER_BYTES)
				*b = be64toh(mnl_attr_get_u64(d));
		}
		return true;
	}
	return false;
}

/* qsort_r order of row indices by (family, table, handle). */
static int by_handle_cmp(const void *a, const void *b, void *ctx)
{
	const struct nsh_top_row *rows = ctx;

	return row_key_cmp(&rows[*(const size_t *)a], &rows[*(const size_t *)b]);
}

/* One rule of the light counter dump: find its row (in order, else by handle), update it. */
static int ctr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ctr_state *st = data;
	struct nsh_top_scan *s = st->s;
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *exprs = NULL;
	const char *table = NULL;
	uint64_t handle = 0, p, b;
	struct nsh_top_row *row = NULL;
	struct nsh_table key_t;
	struct nsh_top_row key = { 0 };
	size_t lo, hi;

	mnl_attr_for_each(a, nlh, sizeof(*nfg)) {
		switch (mnl_attr_get_type(a)) {
		case NFTA_RULE_TABLE:
			table = mnl_attr_get_str(a);
			break;
		case NFTA_RULE_HANDLE:
			if (mnl_attr_get_payload_len(a) >= 8)
				handle = be64toh(mnl_attr_get_u64(a));
			break;
		case NFTA_RULE_EXPRESSIONS:
			exprs = a;
			break;
		}
	}
	if (!table || !exprs)
		return MNL_CB_OK;
	key.family = nfg->nfgen_family;
	key_t.name = (char *)table;
	key.t = &key_t;
	key.handle = handle;
	if (st->cursor < s->nrows && !row_key_cmp(&key, &s->rows[st->cursor])) {
		row = &s->rows[st->cursor];
	} else {
		lo = 0;
		hi = s->nrows;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			int c = row_key_cmp(&key, &s->rows[s->byhandle[mid]]);

			if (!c) {
				row = &s->rows[s->byhandle[mid]];
				break;
			}
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
	}
	if (!row)
		return MNL_CB_OK;	/* not a NAT table's rule, or new since the last decode */
	st->cursor = (size_t)(row - s->rows) + 1;
	if (row->has_counter && rule_counter(exprs, &p, &b))
		nsh_top_row_update(row, p, b, st->dt);
	return MNL_CB_OK;
}

/* Rows for every rule of the (new) ruleset, history carried from the old rows. */
static void rows_build(struct nsh_top_scan *s, double dt)
{
	struct nsh_top_row *old = s->rows;
	size_t nold = s->nrows, n = 0, ti, ci, ri, i;

	for (ti = 0; ti < s->rs->ntables; ti++)
		for (ci = 0; ci < s->rs->tables[ti].nchains; ci++)
			n += s->rs->tables[ti].chains[ci].nrules;
	s->rows = nsh_xcalloc(n ? n : 1, sizeof(*s->rows));
	s->nrows = n;
	n = 0;
	for (ti = 0; ti < s->rs->ntables; ti++) {
		const struct nsh_table *t = &s->rs->tables[ti];

		for (ci = 0; ci < t->nchains; ci++) {
			const struct nsh_chain *c = &t->chains[ci];

			for (ri = 0; ri < c->nrules; ri++) {
				struct nsh_top_row *row = &s->rows[n++];

				row->family = t->family;
				row->t = t;
				row->c = c;
				row->r = &c->rules[ri];
				row->handle = c->rules[ri].handle;
				row->has_counter = c->rules[ri].has_counter;
			}
		}
	}
	/* tables of the old ruleset are freed by the caller after this: compare now */
	nsh_top_rows_carry(s->rows, s->nrows, old, nold);
	for (i = 0; i < s->nrows; i++) {
		const struct nsh_rule *r = s->rows[i].r;

		/* a carried row holds the previous counters: they give the rate */
		if (r->has_counter)
			nsh_top_row_update(&s->rows[i], r->packets, r->bytes,
					   s->rows[i].carried ? dt : 0);
	}
	free(old);
	free(s->byhandle);
	s->byhandle = nsh_xmalloc(sizeof(size_t) * (s->nrows ? s->nrows : 1));
	for (i = 0; i < s->nrows; i++)
		s->byhandle[i] = i;
	qsort_r(s->byhandle, s->nrows, sizeof(size_t), by_handle_cmp, s->rows);
}

/* Generation check, then a full decode or a counter-only dump, then conntrack figures. */
int nsh_top_scan_refresh(struct nsh_top_scan *s, double now)
{
	double dt = s->last > 0 ? now - s->last : 0;
	uint32_t genid = 0;
	char req[64];

	if (nsh_sock_genid(s->nft, &genid) < 0)
		return -1;
	s->gen_changed = s->have_gen && genid != s->genid;
	if (s->gen_changed)
		s->gen_changes++;
	if (!s->rs || genid != s->genid) {
		struct nsh_ruleset *rs = nsh_ruleset_dump(s->nl);

		if (!rs)
			return -1;
		s->genid = rs->genid ? rs->genid : genid;
		/* rows point into the old ruleset until rows_build() is done */
		{
			struct nsh_ruleset *old = s->rs;

			s->rs = rs;
			rows_build(s, dt);
			nsh_ruleset_free(old);
		}
	} else {
		struct ctr_state st = { .s = s, .dt = dt };

		if (nsh_sock_talk(s->nft, nft_req(s, req, NFT_MSG_GETRULE, NLM_F_DUMP), ctr_cb,
				  &st) < 0)
			return -1;
	}
	s->genid = genid;
	s->have_gen = true;
	s->interval = dt;
	s->last = now;
	ct_age(s, dt);
	if (nsh_top_scan_events(s) < 0)
		return -1;
	/* events since the previous refresh: what the views report */
	s->last_new = s->ev_new;
	s->last_destroy = s->ev_destroy;
	s->ev_new = s->ev_destroy = 0;
	if (s->ct_dirty || !s->nslots || ++s->since_resync >= s->resync) {
		if (ct_resync(s) < 0)
			return -1;
		s->ct_frac = 0;
	}
	/*
	 * The total last, right after the NAT entries were brought up to date
	 * (read before, it lagged them: 97,999 of 98,000, or fewer entries
	 * than NAT ones); events still in flight cannot make NAT exceed it.
	 */
	if (nsh_ct_count(s->ct, &s->ct_total) < 0)
		return -1;
	if (s->ct_total < s->ncts)
		s->ct_total = s->ncts;
	return 0;
}

/* Sockets first, so no event falls between subscribing and the first dump. */
struct nsh_top_scan *nsh_top_scan_open(struct nsh_nl *nl)
{
	static const struct nsh_sock_opts o = { .bus = NETLINK_NETFILTER, .buflen = BUFSZ };
	struct nsh_top_scan *s = nsh_xcalloc(1, sizeof(*s));

	s->nl = nl;
	nsh_top_scan_set_resync(s, 30, 1);
	s->nft = nsh_sock_open(&o);
	if (!s->nft)
		goto err;
	/* subscribe before the first full read so nothing falls in between */
	s->ev = nsh_ct_events_open(NSH_CT_EV_NEW | NSH_CT_EV_UPDATE | NSH_CT_EV_DESTROY);
	if (!s->ev)
		goto err;
	s->ct = nsh_ctnl_open();
	if (!s->ct)
		goto err;
	return s;
err:
	nsh_top_scan_close(s);
	return NULL;
}

/* Close sockets and free everything; NULL is a no-op; errno is preserved. */
void nsh_top_scan_close(struct nsh_top_scan *s)
{
	int e = errno;

	if (!s)
		return;
	nsh_sock_close(s->nft);
	nsh_ctnl_close(s->ct);
	nsh_ctnl_close(s->ev);
	nsh_ruleset_free(s->rs);
	free(s->rows);
	free(s->byhandle);
	free(s->cts);
	free(s->slot);
	free(s);
	errno = e;
}

/* Full conntrack re-reads every `seconds`, expressed in refreshes. */
void nsh_top_scan_set_resync(struct nsh_top_scan *s, double seconds, double interval)
{
	double n = interval > 0 ? seconds / interval : 3;

	s->resync = n < 3 ? 3 : n > 100000 ? 100000 : (unsigned)n;
}

/* A read-only view of the scanner for the drawing code, with totals. */
void nsh_top_scan_snap(const struct nsh_top_scan *s, struct nsh_top_snap *snap)
{
	size_t i;

	memset(snap, 0, sizeof(*snap));
	snap->genid = s->genid;
	snap->rs = s->rs;
	snap->gen_changed = s->gen_changed;
	snap->gen_changes = s->gen_changes;
	snap->interval = s->interval;
	snap->rows = s->rows;
	snap->nrows = s->nrows;
	for (i = 0; i < s->nrows; i++) {
		snap->packets += s->rows[i].packets;
		snap->bytes += s->rows[i].bytes;
		snap->pps += s->rows[i].pps;
		snap->bps += s->rows[i].bps;
	}
	snap->cts = s->cts;
	snap->ncts = s->ncts;
	snap->ct_total = s->ct_total;
	snap->ev_new = s->last_new;
	snap->ev_destroy = s->last_destroy;
}

/* Delete in the kernel first, then from the table (the event may come later). */
int nsh_top_scan_ct_delete(struct nsh_top_scan *s, const struct nsh_ct *ct)
{
	uint32_t id = ct->id;

	if (nsh_ct_delete_one(s->ct, ct) < 0)
		return -1;
	ct_del(s, id);
	return 0;
}

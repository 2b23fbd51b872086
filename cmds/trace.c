/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `trace`: follow real packets.  A temporary table (model/nl/trace.h) marks
 * the packets the filter selects with nftrace; the kernel's trace events
 * of each packet are collected by their id until the packet has been quiet
 * for a moment, then printed as its path: hook, table, chain, the rule with
 * natsh's text of it, the verdict, and at the end its connection as
 * conntrack has it (the NAT outcome).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/netfilter.h>

#include "cmds/cmd.h"
#include "cmds/monitor.h"
#include "lib/buf.h"
#include "lib/err.h"
#include "lib/util.h"
#include "model/nl/batch.h"
#include "model/nl/ct.h"
#include "model/nl/link.h"
#include "model/nl/trace.h"
#include "model/syntax/rule_parse.h"
#include "model/syntax/rule_text.h"
#include "render/out.h"
#include "render/trace.h"

#define QUIET_MS 150		/* a packet with no event for this long has finished */
#define MAX_OPEN 256		/* packets followed at once; beyond, the oldest is printed */
#define MAX_EVENTS 128		/* events kept per packet; beyond, counted as dropped */

static volatile sig_atomic_t trace_stop;

static void on_signal(int sig)
{
	(void)sig;
	trace_stop = 1;
}

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What natsh read of one chain: kind, hook, and its rules' handles in order. */
struct chain_info {
	uint8_t family;
	char *table, *chain;
	bool found;
	struct nsh_wire_chain c;
	uint64_t *handles;
	size_t nhandles;
};

/* natsh's text of one rule. */
struct rule_info {
	uint8_t family;
	char *table, *chain;
	uint64_t handle;
	char *text;		/* NULL: could not be read (deleted meanwhile) */
	bool opaque, nat;
};

struct pkt {
	uint32_t id;
	double last;
	bool own_hook[NF_INET_NUMHOOKS];
	bool has_first;
	struct nsh_trace_pkt first;
	uint32_t iif;
	size_t nev, dropped;
	struct nsh_trace_ev *ev;
};

struct tracer {
	struct nsh_ctx *ctx;
	struct nsh_trace *t;
	struct nsh_ctnl *ct;
	struct nsh_links *links;
	struct chain_info **chains;	/* each its own allocation: steps point into them */
	size_t nchains;
	struct rule_info **rules;
	size_t nrules;
	struct pkt open[MAX_OPEN];
	size_t nopen;
	unsigned printed;	/* packets printed */
	unsigned long count;	/* stop after this many; 0: no bound */
};

static const struct chain_info *chain_lookup(struct tracer *tr, const struct nsh_trace_ev *e)
{
	struct chain_info *ci;
	size_t i;

	for (i = 0; i < tr->nchains; i++) {
		ci = tr->chains[i];
		if (ci->family == e->family && !strcmp(ci->table, e->table) &&
		    !strcmp(ci->chain, e->chain))
			return ci;
	}
	tr->chains = nsh_xrealloc(tr->chains, (tr->nchains + 1) * sizeof(*tr->chains));
	ci = tr->chains[tr->nchains++] = nsh_xcalloc(1, sizeof(*ci));
	ci->family = e->family;
	ci->table = nsh_xstrdup(e->table);
	ci->chain = nsh_xstrdup(e->chain);
	ci->found = nsh_wire_chain_get(nsh_trace_wire(tr->t), e->family, e->table, e->chain,
				       &ci->c) == 1;
	if (ci->found && nsh_wire_chain_handles(nsh_trace_wire(tr->t), e->family, e->table,
						e->chain, &ci->handles, &ci->nhandles) < 0)
		ci->nhandles = 0;
	return ci;
}

static bool rule_has_nat(const struct nsh_rule *r)
{
	size_t i;

	for (i = 0; i < r->nstmts; i++)
		if (r->stmts[i].kind == NSH_ST_NAT)
			return true;
	return false;
}

static const struct rule_info *rule_lookup(struct tracer *tr, const struct nsh_trace_ev *e)
{
	struct rule_info *ri;
	struct nsh_rule r;
	size_t i;

	for (i = 0; i < tr->nrules; i++) {
		ri = tr->rules[i];
		if (ri->handle == e->handle && ri->family == e->family &&
		    !strcmp(ri->table, e->table) && !strcmp(ri->chain, e->chain))
			return ri;
	}
	tr->rules = nsh_xrealloc(tr->rules, (tr->nrules + 1) * sizeof(*tr->rules));
	ri = tr->rules[tr->nrules++] = nsh_xcalloc(1, sizeof(*ri));
	ri->family = e->family;
	ri->table = nsh_xstrdup(e->table);
	ri->chain = nsh_xstrdup(e->chain);
	ri->handle = e->handle;
	memset(&r, 0, sizeof(r));
	if (nsh_wire_chain_rule(nsh_trace_wire(tr->t), e->family, e->table, e->chain, e->handle,
				&r) == 0) {
		struct nsh_table tb = { .family = e->family, .name = ri->table };
		struct nsh_buf b;

		nsh_buf_init(&b);
		nsh_rule_render(&tb, &r, NSH_RF_COMMENT, &b);
		ri->text = nsh_buf_steal(&b);
		nsh_buf_free(&b);
		ri->opaque = r.opaque;
		ri->nat = rule_has_nat(&r);
		nsh_rule_clear(&r);
	}
	return ri;
}

/* The connection of the packet, by the tuple it arrived with. */
static bool ct_of(struct tracer *tr, const struct nsh_trace_pkt *k, struct nsh_ct *out)
{
	struct nsh_ct key;

	if (!tr->ct || !k->family)
		return false;
	memset(&key, 0, sizeof(key));
	key.family = k->family;
	key.proto = k->proto;
	memcpy(key.orig.src, k->src, 16);
	memcpy(key.orig.dst, k->dst, 16);
	if (k->has_ports) {
		key.orig.sport = k->sport;
		key.orig.dport = k->dport;
	} else if (k->has_icmp) {
		key.orig.icmp_type = k->icmp_type;
		key.orig.icmp_code = k->icmp_code;
		key.orig.icmp_id = k->icmp_id;
	} else if (!nsh_ct_has_ports(k->proto)) {
		return false;
	}
	return nsh_ct_get(tr->ct, &key, out) == 0;
}

static void pkt_free(struct pkt *p)
{
	free(p->ev);
	memset(p, 0, sizeof(*p));
}

/* Put the packet's path together and print it. */
static void pkt_print(struct tracer *tr, struct pkt *p)
{
	struct nsh_trace_step *steps = nsh_xcalloc(p->nev ? p->nev : 1, sizeof(*steps));
	struct nsh_trace_packet tp;
	uint32_t hook = 0;
	bool hook_known = false;
	const struct nsh_link *l;
	size_t i, n = 0;

	memset(&tp, 0, sizeof(tp));
	for (i = 0; i < p->nev; i++) {
		const struct nsh_trace_ev *e = &p->ev[i];
		const struct chain_info *ci = chain_lookup(tr, e);
		struct nsh_trace_step *s;
		size_t j;

		if (ci->found && ci->c.base) {
			hook = ci->c.hooknum;
			hook_known = true;
		}
		/* the trace table's own events, and "no more rules" (the policy or return follows) */
		if (e->own || (e->type == NSH_TRACE_RULE && !e->handle))
			continue;
		s = &steps[n++];
		s->ev = e;
		s->hook = hook;
		s->hook_known = hook_known;
		s->base = ci->found && ci->c.base;
		s->chain_type = ci->found && ci->c.base ? ci->c.type : NULL;
		s->prio = ci->c.prio;
		if (e->type == NSH_TRACE_RULE) {
			const struct rule_info *ri = rule_lookup(tr, e);

			for (j = 0; j < ci->nhandles; j++)
				if (ci->handles[j] == e->handle)
					s->position = (unsigned)j + 1;
			s->rule = ri->text;
			s->opaque = ri->opaque;
			s->nat = ri->nat && e->has_verdict && e->verdict == NF_ACCEPT;
		}
	}
	tp.n = ++tr->printed;
	tp.first = p->first;
	if (p->iif && tr->links && (l = nsh_links_by_index(tr->links, (int)p->iif)))
		snprintf(tp.iif, sizeof(tp.iif), "%s", l->name);
	tp.steps = steps;
	tp.nsteps = n;
	tp.has_ct = ct_of(tr, &p->first, &tp.ct);
	nsh_trace_render(tr->ctx->out, &tp);
	if (p->dropped)
		nsh_warn(tr->ctx, "trace: packet %u: %zu more events not kept", tp.n, p->dropped);
	free(steps);
}

/* Print and forget packet i. */
static void pkt_done(struct tracer *tr, size_t i)
{
	pkt_print(tr, &tr->open[i]);
	pkt_free(&tr->open[i]);
	memmove(&tr->open[i], &tr->open[i + 1], (tr->nopen - i - 1) * sizeof(tr->open[0]));
	tr->nopen--;
}

static bool enough(const struct tracer *tr)
{
	return tr->count && tr->printed >= tr->count;
}

/* Packets quiet since before t (all of them when t < 0) are done. */
static void flush_quiet(struct tracer *tr, double t)
{
	size_t i = 0;

	while (i < tr->nopen && !enough(tr)) {
		if (t < 0 || tr->open[i].last <= t)
			pkt_done(tr, i);
		else
			i++;
	}
}

/* The hook of the trace table's chain an own event came from. */
static int own_hook(const struct nsh_trace_ev *e)
{
	return !strcmp(e->chain, "output") ? NF_INET_LOCAL_OUT : NF_INET_PRE_ROUTING;
}

static void on_event(const struct nsh_trace_ev *e, void *data)
{
	struct tracer *tr = data;
	struct pkt *p = NULL;
	size_t i;

	if (enough(tr))
		return;
	for (i = 0; i < tr->nopen; i++)
		if (tr->open[i].id == e->id) {
			p = &tr->open[i];
			break;
		}
	/* the same id again at the trace rule's hook: the kernel reused it for a new packet */
	if (p && e->own && e->type == NSH_TRACE_RULE && e->handle && p->own_hook[own_hook(e)]) {
		pkt_done(tr, i);
		p = NULL;
	}
	if (!p) {
		if (enough(tr))
			return;
		if (tr->nopen == MAX_OPEN)
			pkt_done(tr, 0);
		p = &tr->open[tr->nopen++];
		memset(p, 0, sizeof(*p));
		p->id = e->id;
	}
	p->last = now_mono();
	if (e->own && e->type == NSH_TRACE_RULE && e->handle)
		p->own_hook[own_hook(e)] = true;
	if (!p->has_first && e->pkt.family) {
		p->has_first = true;
		p->first = e->pkt;
		p->iif = e->iif;
	}
	if (p->nev == MAX_EVENTS) {
		p->dropped++;
		return;
	}
	p->ev = nsh_xrealloc(p->ev, (p->nev + 1) * sizeof(*p->ev));
	p->ev[p->nev++] = *e;
}

/* ---- the filter ---- */

struct filter {
	uint8_t family;		/* 0: both */
	const char *proto;	/* "tcp", "udp", "icmp", NULL */
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	int sport, dport;	/* -1: any */
	const char *iif;
};

/* "ADDR", "ADDR:PORT", "[ADDR6]:PORT", ADDR/LEN; NSH_FAIL after naming what is wrong. */
static int ep_parse(struct nsh_ctx *ctx, const struct nsh_tok *t, const char *what,
		    struct filter *f, char *addr, int *port)
{
	char buf[INET6_ADDRSTRLEN + 8], a[16];
	const char *ps = NULL, *colon, *slash;
	uint8_t fam;
	size_t n = strlen(t->s);

	if (n >= sizeof(buf))
		goto bad;
	if (t->s[0] == '[') {
		const char *close = strchr(t->s, ']');

		if (!close || (close[1] && close[1] != ':'))
			goto bad;
		memcpy(buf, t->s + 1, (size_t)(close - t->s - 1));
		buf[close - t->s - 1] = 0;
		ps = close[1] ? close + 2 : NULL;
	} else if ((colon = strchr(t->s, ':')) && !strchr(colon + 1, ':')) {
		memcpy(buf, t->s, (size_t)(colon - t->s));
		buf[colon - t->s] = 0;
		ps = colon + 1;
	} else {
		memcpy(buf, t->s, n + 1);
	}
	slash = strchr(buf, '/');
	if (slash) {
		char *end;
		long len = strtol(slash + 1, &end, 10);

		buf[slash - buf] = 0;
		fam = strchr(buf, ':') ? AF_INET6 : AF_INET;
		if (!slash[1] || *end || len < 0 || len > (fam == AF_INET6 ? 128 : 32))
			goto bad;
		buf[slash - buf] = '/';
	}
	{
		char plain[INET6_ADDRSTRLEN];
		size_t an = slash ? (size_t)(slash - buf) : strlen(buf);

		if (an >= sizeof(plain))
			goto bad;
		memcpy(plain, buf, an);
		plain[an] = 0;
		if (inet_pton(AF_INET, plain, a) == 1)
			fam = AF_INET;
		else if (inet_pton(AF_INET6, plain, a) == 1)
			fam = AF_INET6;
		else
			goto bad;
	}
	if (f->family && f->family != fam) {
		nsh_error_at(ctx, t, "\"%s\" is not of the other address's IP version (%s)", t->s,
			     f->family == AF_INET ? "IPv4" : "IPv6");
		return NSH_FAIL;
	}
	f->family = fam;
	snprintf(addr, INET6_ADDRSTRLEN, "%s", buf);
	if (ps) {
		char *end;
		long v = strtol(ps, &end, 10);

		if (!*ps || *end || v < 1 || v > 65535) {
			nsh_error_at(ctx, t, "invalid port in \"%s\" (expected 1-65535)", t->s);
			return NSH_FAIL;
		}
		*port = (int)v;
	}
	return NSH_OK;
bad:
	nsh_error_at(ctx, t, "invalid %s \"%s\" (expected ADDR, ADDR/LEN, ADDR:PORT or "
		     "[ADDR6]:PORT)", what, t->s);
	return NSH_FAIL;
}

/* The trace rule's text for one hook: nft's words, ending in meta nftrace set 1. */
static void filter_text(const struct filter *f, bool output, struct nsh_buf *b)
{
	const char *ip = f->family == AF_INET6 ? "ip6" : "ip";

	if (f->proto && !strcmp(f->proto, "icmp"))
		nsh_buf_puts(b, f->family == AF_INET ? "meta l4proto icmp " :
			     f->family == AF_INET6 ? "meta l4proto ipv6-icmp " :
			     "meta l4proto { icmp, ipv6-icmp } ");
	else if (f->proto)
		nsh_buf_printf(b, "meta l4proto %s ", f->proto);
	if (!output && f->iif)
		nsh_buf_printf(b, "iifname \"%s\" ", f->iif);
	if (f->src[0])
		nsh_buf_printf(b, "%s saddr %s ", ip, f->src);
	if (f->dst[0])
		nsh_buf_printf(b, "%s daddr %s ", ip, f->dst);
	if (f->sport >= 0)
		nsh_buf_printf(b, "%s sport %d ", f->proto, f->sport);
	if (f->dport >= 0)
		nsh_buf_printf(b, "%s dport %d ", f->proto, f->dport);
	nsh_buf_puts(b, "meta nftrace set 1 nocounter");
}

static int filter_from_args(struct nsh_ctx *ctx, const struct nsh_args *a, struct filter *f)
{
	const struct nsh_tok *src = nsh_args_get(a, "SOURCE"), *dst = nsh_args_get(a, "DEST");
	const struct nsh_tok *in = nsh_args_get(a, "IFACE");

	memset(f, 0, sizeof(*f));
	f->sport = f->dport = -1;
	f->proto = nsh_args_has(a, "tcp") ? "tcp" : nsh_args_has(a, "udp") ? "udp" :
		   nsh_args_has(a, "icmp") ? "icmp" : NULL;
	if (!src && !dst && !in) {
		nsh_error_at(ctx, &a->toks[0], "trace needs what to follow: from ADDR, to ADDR "
			     "or in IFACE (every packet would flood the terminal)");
		return NSH_FAIL;
	}
	if (src && ep_parse(ctx, src, "source", f, f->src, &f->sport) != NSH_OK)
		return NSH_FAIL;
	if (dst && ep_parse(ctx, dst, "destination", f, f->dst, &f->dport) != NSH_OK)
		return NSH_FAIL;
	if ((f->sport >= 0 || f->dport >= 0) && (!f->proto || !strcmp(f->proto, "icmp"))) {
		const struct nsh_tok *t = f->sport >= 0 ? src : dst;

		nsh_error_at(ctx, t, "a port needs tcp or udp: \"trace tcp ... %s\"", t->s);
		return NSH_FAIL;
	}
	if (in)
		f->iif = in->s;
	return NSH_OK;
}

/* Parse the trace rule text with natsh's own rule parser; NSH_FAIL after saying why. */
static int filter_rule(struct nsh_ctx *ctx, const struct filter *f, bool output,
		       struct nsh_rule *r)
{
	struct nsh_buf b;
	struct nsh_err err;
	int ret = NSH_OK;

	nsh_buf_init(&b);
	filter_text(f, output, &b);
	if (nsh_rule_parse(b.s, 0, b.len, NSH_TRACE_FAMILY, r, &err) < 0) {
		nsh_error(ctx, "trace: cannot build the trace rule \"%s\": %s", b.s, err.msg);
		ret = NSH_FAIL;
	}
	nsh_buf_free(&b);
	return ret;
}

/* ---- the command ---- */

static int parse_bounds(struct nsh_ctx *ctx, const struct nsh_args *a, unsigned long *count,
			double *secs)
{
	const struct nsh_tok *tc = nsh_args_get(a, "N"), *ts = nsh_args_get(a, "SECONDS");
	char *end;

	*count = 0;
	*secs = 0;
	if (tc) {
		*count = strtoul(tc->s, &end, 10);
		if (!tc->s[0] || *end || !*count || tc->s[0] == '-' || *count > 1000000) {
			nsh_error_at(ctx, tc, "invalid count \"%s\" (expected 1 to 1000000 packets)",
				     tc->s);
			return NSH_FAIL;
		}
	}
	if (ts && (*secs = nsh_interval_parse(ts->s)) < 0) {
		nsh_error_at(ctx, ts, "invalid time \"%s\" (expected seconds, 0.1 to 3600)", ts->s);
		return NSH_FAIL;
	}
	if (!tc && !ts && ctx->batch && ctx->src.name) {
		nsh_error_at(ctx, &a->toks[0], "trace in a -c string or a file needs a bound "
			     "(count N or for SECONDS): it would run until killed");
		return NSH_FAIL;
	}
	return NSH_OK;
}

static void tracer_free(struct tracer *tr)
{
	size_t i;

	for (i = 0; i < tr->nopen; i++)
		pkt_free(&tr->open[i]);
	for (i = 0; i < tr->nchains; i++) {
		free(tr->chains[i]->table);
		free(tr->chains[i]->chain);
		free(tr->chains[i]->handles);
		free(tr->chains[i]);
	}
	free(tr->chains);
	for (i = 0; i < tr->nrules; i++) {
		free(tr->rules[i]->table);
		free(tr->rules[i]->chain);
		free(tr->rules[i]->text);
		free(tr->rules[i]);
	}
	free(tr->rules);
	nsh_ctnl_close(tr->ct);
	nsh_links_free(tr->links);
}

static int start_fail(struct nsh_ctx *ctx, const char *msg)
{
	int e = errno;

	if (e == EEXIST)
		nsh_error(ctx, "trace: another trace runs in this namespace (table inet %s "
			  "exists; it goes away when that natsh ends)", NSH_TRACE_TABLE);
	else if (e == EPERM || e == EACCES)
		nsh_error(ctx, "%s", nsh_ctx_strerror(e));
	else
		nsh_error(ctx, "trace: the kernel refused the trace table: %s%s%s", strerror(e),
			  msg[0] ? ": " : "", msg);
	return NSH_FAIL;
}

/* Wait for events until the deadline (0: none), a count is reached, or Ctrl-C. */
static int run(struct tracer *tr, double deadline, unsigned long *lost)
{
	struct pollfd pfd = { .fd = nsh_trace_fd(tr->t), .events = POLLIN };

	while (!trace_stop && !enough(tr)) {
		double now = now_mono(), wait = 3600;
		int r;

		if (deadline && now >= deadline)
			break;
		if (deadline)
			wait = deadline - now;
		if (tr->nopen && wait > QUIET_MS / 1000.0)
			wait = QUIET_MS / 1000.0;
		r = poll(&pfd, 1, (int)(wait * 1000) + 1);
		if (r < 0 && errno != EINTR)
			return -1;
		if (r > 0 && nsh_trace_read(tr->t, on_event, tr) < 0) {
			if (errno != ENOBUFS)
				return -1;
			(*lost)++;
		}
		flush_quiet(tr, now_mono() - QUIET_MS / 1000.0);
	}
	return 0;
}

static int trace_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	struct nsh_rule pre, out;
	struct tracer tr;
	struct filter f;
	unsigned long lost = 0;
	double secs, t0;
	char msg[200];
	int ret = NSH_FAIL;
	bool has_out;

	memset(&tr, 0, sizeof(tr));
	memset(&pre, 0, sizeof(pre));
	memset(&out, 0, sizeof(out));
	tr.ctx = ctx;
	if (filter_from_args(ctx, args, &f) != NSH_OK ||
	    parse_bounds(ctx, args, &tr.count, &secs) != NSH_OK)
		return NSH_FAIL;
	if (!(tr.links = nsh_links_dump())) {
		nsh_error(ctx, "trace: cannot read the interfaces: %s", nsh_ctx_strerror(errno));
		return NSH_FAIL;
	}
	if (f.iif && !nsh_links_by_name(tr.links, f.iif)) {
		nsh_error_at(ctx, nsh_args_get(args, "IFACE"), "unknown interface \"%s\"", f.iif);
		goto out;
	}
	/* a packet that comes in an interface never passes output */
	has_out = !f.iif;
	if (filter_rule(ctx, &f, false, &pre) != NSH_OK ||
	    (has_out && filter_rule(ctx, &f, true, &out) != NSH_OK))
		goto out;
	tr.ct = nsh_ctnl_open();
	if (!(tr.t = nsh_trace_start(&pre, has_out ? &out : NULL, msg, sizeof(msg)))) {
		start_fail(ctx, msg);
		goto out;
	}
	if (!nsh_trace_owned(tr.t))
		nsh_warn(ctx, "trace: this kernel cannot tie the table to natsh (Linux < 5.12): if "
			 "natsh is killed, remove it with: nft delete table inet %s",
			 NSH_TRACE_TABLE);
	trace_stop = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	t0 = now_mono();
	if (!nsh_out_json(ctx->out)) {
		nsh_out_text(ctx->out, "tracing");
		if (tr.count)
			nsh_out_text(ctx->out, " %lu packet%s", tr.count, tr.count == 1 ? "" : "s");
		if (secs)
			nsh_out_text(ctx->out, " for %g s", secs);
		nsh_out_text(ctx->out, " (table inet %s, removed at the end%s)\n", NSH_TRACE_TABLE,
			     ctx->interactive ? "; Ctrl-C stops" : "");
		nsh_out_flush(ctx->out);
	}
	ret = run(&tr, secs ? t0 + secs : 0, &lost) < 0 ? NSH_FAIL : NSH_OK;
	if (ret != NSH_OK)
		nsh_error(ctx, "trace: reading trace events: %s", strerror(errno));
	flush_quiet(&tr, -1);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (nsh_trace_stop(tr.t) < 0) {
		nsh_error(ctx, "trace: could not remove table inet %s: %s (nft delete table inet %s)",
			  NSH_TRACE_TABLE, strerror(errno), NSH_TRACE_TABLE);
		ret = NSH_FAIL;
	}
	tr.t = NULL;
	if (lost)
		nsh_warn(ctx, "trace: the kernel dropped trace events %lu time%s (too many packets "
			 "at once): some paths are incomplete", lost, lost == 1 ? "" : "s");
	if (!tr.printed && ret == NSH_OK)
		nsh_warn(ctx, "trace: no packet matched in %.1f s", now_mono() - t0);
out:
	nsh_rule_clear(&pre);
	nsh_rule_clear(&out);
	tracer_free(&tr);
	return ret;
}

static const char *const trace_examples[] = {
	"trace tcp to 198.51.100.1:8080 count 3",
	"trace tcp from 192.0.2.11 to 198.51.100.1:8080 for 10",
	"trace udp in eth1 to 198.51.100.100:53",
	"trace icmp from 192.0.2.10 count 1",
	"natsh -j trace tcp to 198.51.100.1:8080 count 1",
	NULL,
};

const struct nsh_cmd nsh_cmd_trace = {
	.name = "trace",
	.group = NSH_GRP_MONITORING,
	.summary = "follow real packets: each one's path through every table, and its NAT",
	.args = NSH_ANY(
		NSH_ALT(NSH_WORD("tcp", "TCP packets"), NSH_WORD("udp", "UDP packets"),
			NSH_WORD("icmp", "ICMP and ICMPv6 packets")),
		NSH_SEQ(NSH_WORD("from", "packets from this source"),
			NSH_VAL("SOURCE", NSH_VK_ADDR_PORT,
				"ADDR, ADDR/LEN, ADDR:PORT or [ADDR6]:PORT")),
		NSH_SEQ(NSH_WORD("to", "packets to this destination (as they arrive: before DNAT)"),
			NSH_VAL("DEST", NSH_VK_ADDR_PORT,
				"ADDR, ADDR/LEN, ADDR:PORT or [ADDR6]:PORT")),
		NSH_SEQ(NSH_WORD("in", "packets coming in this interface"),
			NSH_VAL("IFACE", NSH_VK_IFACE, "an interface of the router")),
		NSH_SEQ(NSH_WORD("count", "stop after N packets"),
			NSH_VAL("N", NSH_VK_NUMBER, "number of packets")),
		NSH_SEQ(NSH_WORD("for", "stop after this many seconds"),
			NSH_VAL("SECONDS", NSH_VK_STRING, "seconds, 0.1 to 3600"))),
	.description =
		"Follows real packets.  In one transaction natsh creates a table of its own,\n"
		"inet natsh-trace, with a chain at priority raw (-300) on prerouting and one on\n"
		"output, whose one rule sets `meta nftrace set 1` for the packets the filter\n"
		"selects; every other packet meets that one rule and nothing else.  The kernel\n"
		"then reports each rule that decides something for a marked packet, in every\n"
		"table and family (iptables-nft tables too), and each chain's end.  For each\n"
		"packet natsh prints its path: hook, table, chain, the rule (position, handle,\n"
		"natsh's text) and its verdict, \"(translated)\" where a nat rule translated it,\n"
		"and then its connection as conntrack has it: the addresses before ⇒ after NAT.\n"
		"NAT chains see only a connection's first packet: later packets of it show no\n"
		"nat rule.  The filter matches packets as they arrive (before DNAT); a port needs\n"
		"tcp or udp.  Stops after `count` packets, after `for` seconds, or on Ctrl-C.\n"
		"The table is removed when the trace ends, and it belongs to natsh's netlink\n"
		"socket (NFT_TABLE_F_OWNER): the kernel removes it also when natsh is killed.\n"
		"One trace runs at a time per namespace.  With -j each packet is one JSON object\n"
		"on its own line.",
	.examples = trace_examples,
	.needs_nl = false,
	.endless = true,
	.exec = trace_exec,
};

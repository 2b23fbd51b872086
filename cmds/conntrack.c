/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `conntrack`: list, count, delete and flush conntrack entries. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "cmds/cmd.h"
#include "cmds/flows.h"
#include "lib/buf.h"
#include "model/nl/ct.h"
#include "render/ct.h"
#include "render/out.h"

#define FILTER_GRAM							\
	NSH_ALT(NSH_WORD("nat", "entries NAT translated (source or destination)"), \
		NSH_WORD("snat", "entries whose source was translated"),	\
		NSH_WORD("dnat", "entries whose destination was translated")), \
	NSH_ALT(NSH_WORD("tcp", "TCP only"), NSH_WORD("udp", "UDP only"),	\
		NSH_WORD("icmp", "ICMP and ICMPv6 only")),			\
	NSH_ALT(NSH_WORD("ip", "IPv4 only"), NSH_WORD("ip6", "IPv6 only")),	\
	NSH_SEQ(NSH_WORD("src", "source address, before or after NAT"),	\
		NSH_VAL("ADDR", NSH_VK_ADDR, "address or prefix (192.0.2.0/24)")), \
	NSH_SEQ(NSH_WORD("dst", "destination address, before or after NAT"), \
		NSH_VAL("ADDR", NSH_VK_ADDR, "address or prefix (192.0.2.0/24)")), \
	NSH_SEQ(NSH_WORD("port", "a port of the connection, before or after NAT"), \
		NSH_VAL("PORT", NSH_VK_PORT, "port number 1-65535"))

static const struct nsh_gram *const ct_args =
	NSH_OPT(NSH_ALT(
		NSH_SEQ(NSH_WORD("count", "number of entries (matching the filter)"),
			NSH_OPT(NSH_ANY(FILTER_GRAM))),
		NSH_SEQ(NSH_WORD("delete", "delete the entries the filter selects"),
			NSH_ANY(FILTER_GRAM)),
		NSH_SEQ(NSH_WORD("flush", "delete every entry (or those the filter selects)"),
			NSH_OPT(NSH_ANY(FILTER_GRAM))),
		NSH_SEQ(NSH_WORD("rule", "the entries one NAT rule made"),
			NSH_VAL("CHAIN", NSH_VK_CHAIN, "chain of the current table (or the only one of that name)"),
			NSH_VAL("N", NSH_VK_POSITION, "rule position, 1 is the first")),
		NSH_ANY(FILTER_GRAM,
			NSH_SEQ(NSH_WORD("limit", "show at most N entries"),
				NSH_VAL("N", NSH_VK_NUMBER, "number of entries")))));

/* The kernel's refusal in the words SPEC section 7 asks for. */
static int ct_fail(struct nsh_ctx *ctx, const char *what)
{
	if (errno == EPERM || errno == EACCES)
		nsh_error(ctx, "permission denied: managing NAT needs CAP_NET_ADMIN (run as root)");
	else if (errno == EPROTONOSUPPORT || errno == EAFNOSUPPORT)
		nsh_error(ctx, "%s: this kernel has no conntrack netlink support (nf_conntrack_netlink)",
			  what);
	else
		nsh_error(ctx, "%s: %s", what, strerror(errno));
	return NSH_FAIL;
}

/* Fill f (and *limit) from the words the grammar matched, in order. */
static int filter_from_args(struct nsh_ctx *ctx, const struct nsh_args *a,
			    struct nsh_ct_filter *f, uint64_t *limit)
{
	size_t i;

	nsh_ct_filter_init(f);
	*limit = 0;
	for (i = 0; i < a->n; i++) {
		const char *name = a->v[i].name;
		const struct nsh_tok *val = i + 1 < a->n ? a->v[i + 1].tok : NULL;
		char *end;
		long v;

		if (!strcmp(name, "nat"))
			f->nat = NSH_CT_NAT_NAT;
		else if (!strcmp(name, "snat"))
			f->nat = NSH_CT_NAT_SNAT;
		else if (!strcmp(name, "dnat"))
			f->nat = NSH_CT_NAT_DNAT;
		else if (!strcmp(name, "tcp"))
			f->proto = IPPROTO_TCP;
		else if (!strcmp(name, "udp"))
			f->proto = IPPROTO_UDP;
		else if (!strcmp(name, "icmp"))
			f->proto = IPPROTO_ICMP;	/* matches icmpv6 too */
		else if (!strcmp(name, "ip"))
			f->family = AF_INET;
		else if (!strcmp(name, "ip6"))
			f->family = AF_INET6;
		else if ((!strcmp(name, "src") || !strcmp(name, "dst")) && val) {
			struct nsh_ct_addr *ad = name[0] == 's' ? &f->src : &f->dst;

			if (nsh_ct_addr_parse(val->s, ad) < 0) {
				nsh_error_at(ctx, val, "invalid address \"%s\" (expected ADDR or ADDR/LEN)",
					     val->s);
				return -1;
			}
			i++;
		} else if (!strcmp(name, "port") && val) {
			v = strtol(val->s, &end, 10);
			if (!val->s[0] || *end || v < 1 || v > 65535) {
				nsh_error_at(ctx, val, "invalid port \"%s\" (expected 1-65535)", val->s);
				return -1;
			}
			f->port = (int)v;
			i++;
		} else if (!strcmp(name, "limit") && val) {
			v = strtol(val->s, &end, 10);
			if (!val->s[0] || *end || v < 1) {
				nsh_error_at(ctx, val, "invalid limit \"%s\" (expected a number > 0)",
					     val->s);
				return -1;
			}
			*limit = (uint64_t)v;
			i++;
		}
	}
	if (f->src.family && f->dst.family && f->src.family != f->dst.family) {
		nsh_error(ctx, "conntrack: src and dst are of different families");
		return -1;
	}
	if (!f->family)
		f->family = f->src.family ? f->src.family : f->dst.family;
	return 0;
}

/* Counting walk: nothing is kept. */
static int count_cb(const struct nsh_ct *ct, void *data)
{
	(void)ct;
	++*(uint64_t *)data;
	return 0;
}

struct list_state {
	struct nsh_out *out;
	struct nsh_buf scratch;
	uint64_t shown, limit;	/* limit 0: no limit */
	bool counters;
};

/* Render each entry as it arrives: memory stays flat however big the table. */
static int list_cb(const struct nsh_ct *ct, void *data)
{
	struct list_state *st = data;

	nsh_ct_render(st->out, ct, &st->scratch);
	st->counters |= ct->has_counters;
	if (++st->shown == st->limit)
		return 1;
	return 0;
}

/* The accounting hint was given in this session. */
static bool acct_hinted;

/* Stream the listing; hint about accounting to people when counters are off. */
static int ct_list(struct nsh_ctx *ctx, struct nsh_ctnl *c, const struct nsh_ct_filter *f,
		   uint64_t limit)
{
	struct list_state st = { .out = ctx->out, .limit = limit };
	int r;

	nsh_buf_init(&st.scratch);
	nsh_out_obj_open(ctx->out, NULL);
	nsh_out_arr_open(ctx->out, "conntrack");
	r = nsh_ct_dump(c, f, list_cb, &st);
	nsh_out_arr_close(ctx->out);
	nsh_out_obj_close(ctx->out);
	nsh_buf_free(&st.scratch);
	if (r < 0)
		return ct_fail(ctx, "conntrack");
	/* a hint for people, not for scripts reading a pipe; once a session */
	if (!nsh_out_json(ctx->out) && st.shown && !st.counters && (ctx->interactive || isatty(1)) &&
	    !acct_hinted && nsh_ct_acct_enabled() == 0) {
		nsh_warn(ctx, "packet/byte counters are off; `sysctl net.netfilter.nf_conntrack_acct 1` "
			      "turns them on for new connections");
		acct_hinted = true;
	}
	return NSH_OK;
}

/* Global statistics when unfiltered (cheap), else a counting walk. */
static int ct_count(struct nsh_ctx *ctx, struct nsh_ctnl *c, const struct nsh_ct_filter *f)
{
	uint64_t n = 0;
	int r;

	if (nsh_ct_filter_is_empty(f))
		r = nsh_ct_count(c, &n);
	else
		r = nsh_ct_dump(c, f, count_cb, &n);
	if (r < 0)
		return ct_fail(ctx, "conntrack count");
	nsh_out_obj_open(ctx->out, NULL);
	nsh_out_uint(ctx->out, NSH_C_COUNT, "count", "%" PRIu64, n);
	nsh_out_text(ctx->out, " conntrack entr%s%s\n", n == 1 ? "y" : "ies",
		     nsh_ct_filter_is_empty(f) ? "" : " match");
	nsh_out_obj_close(ctx->out);
	return NSH_OK;
}

/* delete and flush: flush without a filter asks (or needs -y in a batch). */
static int ct_delete(struct nsh_ctx *ctx, struct nsh_ctnl *c, const struct nsh_ct_filter *f,
		     bool flush)
{
	uint64_t n = 0;
	char q[128];

	if (flush && nsh_ct_filter_is_empty(f)) {
		if (!ctx->yes) {
			if (!ctx->interactive) {
				nsh_error(ctx, "conntrack flush: this removes every entry; "
					       "confirm with -y (--yes) or give a filter");
				return NSH_FAIL;
			}
			if (nsh_ct_count(c, &n) < 0)
				return ct_fail(ctx, "conntrack flush");
			snprintf(q, sizeof(q), "flush all %" PRIu64 " conntrack entries?", n);
			if (nsh_ask_yes(ctx, q, false) != 1) {
				nsh_out_text(ctx->out, "nothing flushed\n");
				return NSH_OK;
			}
		}
		if (nsh_ct_count(c, &n) < 0 || nsh_ct_flush(c, 0) < 0)
			return ct_fail(ctx, "conntrack flush");
	} else if (nsh_ct_filter_is_empty(f)) {
		nsh_error(ctx, "conntrack delete: give a filter (nat, tcp, src ADDR, port PORT...); "
			       "`conntrack flush` removes every entry");
		return NSH_FAIL;
	} else if (nsh_ct_delete(c, f, &n) < 0) {
		return ct_fail(ctx, flush ? "conntrack flush" : "conntrack delete");
	}
	nsh_out_obj_open(ctx->out, NULL);
	nsh_out_uint(ctx->out, NSH_C_COUNT, "deleted", "%" PRIu64, n);
	nsh_out_text(ctx->out, n == 1 ? " entry deleted\n" : " entries deleted\n");
	nsh_out_obj_close(ctx->out);
	return NSH_OK;
}

/* `conntrack rule`: the rule whose entries are listed, and the listing. */
struct rule_walk {
	struct nsh_out *out;
	struct nsh_buf scratch;
	struct nsh_flow_ref want;
	uint64_t shown;
};

static void rule_walk_cb(const struct nsh_ct *ct, const struct nsh_flow_ref *refs, size_t n,
			 void *arg)
{
	struct rule_walk *w = arg;
	size_t i;

	for (i = 0; i < n; i++)
		if (refs[i].table == w->want.table && refs[i].chain == w->want.chain &&
		    refs[i].rule == w->want.rule) {
			nsh_ct_render(w->out, ct, &w->scratch);
			w->shown++;
			return;
		}
}

/*
 * `conntrack rule CHAIN N`: the live entries attributed to that rule (its
 * original tuple matches the rule, its reply tuple shows the rule's
 * translation; model/flows.h).  CHAIN is of the current table, else the
 * only NAT chain of that name.
 */
static int ct_rule(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *ct = nsh_args_get(args, "CHAIN"), *nt = nsh_args_get(args, "N");
	const struct nsh_ruleset *rs;
	const struct nsh_table *t = NULL, *cur;
	const struct nsh_chain *c = NULL;
	struct rule_walk w;
	struct nsh_flows *f;
	unsigned long n;
	size_t i, hits = 0;
	const int64_t *cnt;

	if (nsh_ctx_refresh(ctx) != NSH_OK)
		return NSH_FAIL;
	rs = ctx->cache;
	cur = nsh_ruleset_find_table(rs, ctx->family, ctx->table);
	if (cur && (c = nsh_table_find_chain(cur, ct->s)))
		t = cur;
	for (i = 0; !t && i < rs->ntables; i++) {
		const struct nsh_chain *x = nsh_table_find_chain(&rs->tables[i], ct->s);

		if (x) {
			hits++;
			c = x;
		}
		if (x && hits == 1)
			t = &rs->tables[i];
	}
	if (!t) {
		nsh_error_at(ctx, ct, "unknown chain \"%s\" (no NAT table has it)", ct->s);
		return NSH_FAIL;
	}
	for (; hits == 1 && i < rs->ntables; i++)
		hits += nsh_table_find_chain(&rs->tables[i], ct->s) != NULL;
	if (hits > 1) {
		nsh_error_at(ctx, ct, "chain \"%s\" is in several tables: say which with `use TABLE`",
			     ct->s);
		return NSH_FAIL;
	}
	c = nsh_table_find_chain(t, ct->s);
	n = strtoul(nt->s, NULL, 10);
	if (n < 1 || n > c->nrules) {
		nsh_error_at(ctx, nt, "chain %s has no rule %s (%s)", c->name, nt->s,
			     c->nrules ? "see `show`" : "it is empty");
		return NSH_FAIL;
	}
	memset(&w, 0, sizeof(w));
	w.out = ctx->out;
	w.want = (struct nsh_flow_ref){ (size_t)(t - rs->tables), (size_t)(c - t->chains), n - 1 };
	nsh_buf_init(&w.scratch);
	nsh_out_obj_open(ctx->out, NULL);
	nsh_out_arr_open(ctx->out, "conntrack");
	f = nsh_ctx_flows(ctx, rs, rule_walk_cb, &w);
	nsh_out_arr_close(ctx->out);
	if (!f) {
		nsh_out_obj_close(ctx->out);
		nsh_buf_free(&w.scratch);
		return ct_fail(ctx, "conntrack");
	}
	cnt = nsh_flows_chain(f, w.want.table, w.want.chain);
	if (cnt[n - 1] == NSH_FLOWS_NOT_NAT)
		nsh_warn(ctx, "rule %lu of %s translates nothing: no entry is made by it", n,
			 c->name);
	else if (cnt[n - 1] == NSH_FLOWS_UNKNOWN)
		nsh_warn(ctx, "rule %lu of %s has a match natsh cannot evaluate from a "
			 "connection (%s): its entries are not attributed", n, c->name,
			 nsh_flows_why(f, w.want.table, w.want.chain, n - 1));
	nsh_out_obj_close(ctx->out);
	if (!nsh_out_json(ctx->out) && cnt[n - 1] >= 0)
		nsh_out_ctext(ctx->out, NSH_C_DIM, "%" PRIu64 " entr%s made by rule %lu of %s %s %s\n",
			      w.shown, w.shown == 1 ? "y" : "ies", n, nsh_family_name(t->family),
			      t->name, c->name);
	nsh_flows_free(f);
	nsh_buf_free(&w.scratch);
	return NSH_OK;
}

/* `conntrack ...`: parse the filter, then list, count, delete or flush. */
static int conntrack_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_ct_filter f;
	struct nsh_ctnl *c;
	uint64_t limit = 0;
	int r;

	if (nsh_args_has(args, "rule"))
		return ct_rule(ctx, args);
	if (filter_from_args(ctx, args, &f, &limit) < 0)
		return NSH_FAIL;
	c = nsh_ctnl_open();
	if (!c)
		return ct_fail(ctx, "conntrack");
	if (nsh_args_has(args, "count"))
		r = ct_count(ctx, c, &f);
	else if (nsh_args_has(args, "delete"))
		r = ct_delete(ctx, c, &f, false);
	else if (nsh_args_has(args, "flush"))
		r = ct_delete(ctx, c, &f, true);
	else
		r = ct_list(ctx, c, &f, limit);
	nsh_ctnl_close(c);
	return r;
}

static const char *const ct_examples[] = {
	"conntrack dnat",
	"conntrack nat tcp dst 192.0.2.10 port 80",
	"conntrack count",
	"conntrack delete src 198.51.100.100",
	"conntrack flush udp",
	"conntrack rule prerouting 1",
	NULL,
};

const struct nsh_cmd nsh_cmd_conntrack = {
	.name = "conntrack",
	.group = NSH_GRP_READING,
	.summary = "list, count, delete or flush conntrack entries",
	.args = ct_args,
	.description =
		"Lists the connections the kernel tracks, one per line: protocol, state, "
		"the original tuple, what NAT made of it (after \xe2\x87\x92: the new "
		"destination, or new source \xe2\x86\x92 destination when the source was "
		"translated), the timeout in seconds, and packets/bytes when "
		"net.netfilter.nf_conntrack_acct is on.  Filters: nat/snat/dnat, a "
		"protocol, ip/ip6, src and dst (match the address before or after NAT, "
		"prefixes allowed), port (any port of the connection).  `delete` removes "
		"what the filter selects; `flush` without a filter removes everything "
		"and asks first (-y answers yes; batches need -y).  `rule CHAIN N` lists the "
		"entries that NAT rule made: the original tuple matches the rule and the "
		"reply tuple shows its translation (see natsh(1), FLOWS PER RULE).",
	.examples = ct_examples,
	.exec = conntrack_exec,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iptables NAT lines -> nft rule text -> natsh's model (see ipt.h): the
 * reading of the line (commands, modules, options), the assembly of the
 * text in iptables-translate's order, and its parse by natsh's rule parser.
 * The options' translations are in ipt_xl.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "model/syntax/ipt_int.h"
#include "model/syntax/ipt_opts.h"
#include "model/values.h"
#include "model/syntax/rule_parse.h"
#include "lib/util.h"

/* natsh's base chains have nft's nsh_ipt_lower-case hook names. */
const char *nsh_ipt_chain_name(const char *c)
{
	static const char *const base[][2] = {
		{ "PREROUTING", "prerouting" }, { "OUTPUT", "output" },
		{ "POSTROUTING", "postrouting" }, { "INPUT", "input" },
	};
	size_t k;

	for (k = 0; k < NSH_ARRAY_SIZE(base); k++)
		if (strcmp(c, base[k][0]) == 0)
			return base[k][1];
	return c;
}

/* -A/-I/-D/-R/-F CHAIN [N]; the number is taken when it is all digits. */
static int read_command(struct ipt_state *st, enum nsh_ipt_op op)
{
	struct nsh_ipt *c = st->c;
	size_t oi = st->i;
	const char *v;

	if (c->op_word)
		return nsh_ipt_err_at(st, oi, "a second command \"%s\" (already \"%s\")", st->w[oi].s,
			      st->w[c->op_word].s);
	c->op = op;
	c->op_word = oi;
	if (op == NSH_IPT_FLUSH) {
		if (st->i + 1 < st->n && st->w[st->i + 1].s[0] != '-') {
			c->chain = st->w[++st->i].s;
			c->chain_word = st->i;
		}
		return 0;
	}
	if (!(v = nsh_ipt_arg_of(st, "a chain (PREROUTING, OUTPUT, POSTROUTING, INPUT)")))
		return -1;
	c->chain = v;
	c->chain_word = st->i;
	if (op == NSH_IPT_APPEND || st->i + 1 >= st->n || !isdigit((unsigned char)st->w[st->i + 1].s[0])) {
		if (op == NSH_IPT_REPLACE)
			return nsh_ipt_err_at(st, oi, "-R needs a chain and a rule number: -R CHAIN N ...");
		return 0;
	}
	v = st->w[++st->i].s;
	for (const char *p = v; *p; p++)
		if (!isdigit((unsigned char)*p))
			return nsh_ipt_err_at(st, st->i, "invalid rule number \"%s\"", v);
	errno = 0;
	unsigned long n = strtoul(v, NULL, 10);
	if (n == 0 || n > UINT32_MAX || errno)
		return nsh_ipt_err_at(st, st->i, "invalid rule number \"%s\": rules count from 1", v);
	c->pos = (uint32_t)n;
	c->pos_word = st->i;
	return 0;
}

/* Where the state keeps the -m module of id (its order among the -m's); NULL if nowhere. */
static unsigned *module_slot(struct ipt_state *st, enum nsh_ipt_valid id)
{
	switch (id) {
	case NSH_IPT_V_TCP:
	case NSH_IPT_V_UDP:		return &st->m_tcp;
	case NSH_IPT_V_MULTIPORT:	return &st->m_multiport;
	case NSH_IPT_V_ADDRTYPE:	return &st->m_addrtype;
	case NSH_IPT_V_STATISTIC:	return &st->m_statistic;
	case NSH_IPT_V_COMMENT:		return &st->m_comment;
	case NSH_IPT_V_CONNTRACK:	return &st->m_conntrack;
	case NSH_IPT_V_MARK:		return &st->m_mark;
	case NSH_IPT_V_CONNMARK:	return &st->m_connmark;
	case NSH_IPT_V_IPRANGE:		return &st->m_iprange;
	default:			return NULL;
	}
}

/* -m NAME: the modules natsh translates (ipt_opts.c lists them). */
static int read_module(struct ipt_state *st)
{
	const char *v = nsh_ipt_arg_of(st, "a match name");
	const struct nsh_ipt_val *m;
	unsigned *slot;
	struct nsh_buf names;
	int rc;

	if (!v)
		return -1;
	m = nsh_ipt_val_find(NSH_IPT_A_MATCH, v, false);
	slot = m ? module_slot(st, m->id) : NULL;
	/* a module all of whose options wait for keys natsh lacks: say which and why */
	for (const struct nsh_ipt_opt *o = nsh_ipt_opts; !slot && o->name; o++)
		if (o->id == NSH_IPT_O_PENDING && o->module && !strcmp(o->module, v))
			return nsh_ipt_err_at(st, st->i, "-m %s %s: not supported yet (%s)", v, o->name,
					      o->help);
	if (!slot) {
		nsh_buf_init(&names);
		nsh_ipt_val_names(NSH_IPT_A_MATCH, -1, &names);
		rc = nsh_ipt_err_at(st, st->i, "match \"%s\" is not supported by natsh's iptables "
				    "translation (%s)", v, names.s);
		nsh_buf_free(&names);
		return rc;
	}
	if (m->id == NSH_IPT_V_TCP || m->id == NSH_IPT_V_UDP) {
		/* iptables takes the -p after it too: finish checks that it comes */
		if (st->proto && strcmp(st->proto, v))
			return nsh_ipt_err_at(st, st->i, "-m %s needs \"-p %s\", not \"-p %s\"", v, v,
					      st->proto);
		if (!st->proto && !st->tcp_module) {
			st->tcp_module = v;
			st->tcp_module_word = st->i;
		} else if (!st->proto && strcmp(st->tcp_module, v)) {
			return nsh_ipt_err_at(st, st->i, "-m %s after -m %s: one protocol", v,
					      st->tcp_module);
		}
		if (*slot)
			return 0;	/* "-m tcp" twice, or after -p's own */
	}
	if ((m->id == NSH_IPT_V_MARK || m->id == NSH_IPT_V_CONNMARK) && *slot)
		return nsh_ipt_err_at(st, st->i, "a second \"-m %s\": natsh takes one --mark of each", v);
	*slot = ++st->nmods;
	if (m->id == NSH_IPT_V_MARK)
		st->mark_word = st->i;
	if (m->id == NSH_IPT_V_CONNMARK)
		st->connmark_word = st->i;
	if (m->id == NSH_IPT_V_STATISTIC)
		st->stat_word = st->i;
	return 0;
}

/* Options of -m statistic (opt: the table's entry for the word o). */
static int read_statistic(struct ipt_state *st, const struct nsh_ipt_opt *opt, const char *o)
{
	size_t oi = st->i;
	const char *v;
	char *end;
	unsigned long n;

	if (!(v = nsh_ipt_arg_of(st, "a value")))
		return -1;
	if (st->neg && opt->no_neg)
		return nsh_ipt_err_at(st, oi, "option \"%s\" cannot be inverted (put \"!\" before "
			      "--probability or --every)", o);
	if (opt->id == NSH_IPT_O_MODE) {
		const struct nsh_ipt_val *mode = nsh_ipt_val_find(NSH_IPT_A_MODE, v, false);
		struct nsh_buf names;
		int rc;

		if (mode) {
			st->stat_mode = mode->id == NSH_IPT_V_NTH ? 2 : 1;
			return 0;
		}
		nsh_buf_init(&names);
		nsh_ipt_val_names(NSH_IPT_A_MODE, -1, &names);
		rc = nsh_ipt_err_at(st, st->i, "unknown statistic mode \"%s\" (%s)", v, names.s);
		nsh_buf_free(&names);
		return rc;
	}
	if (opt->id == NSH_IPT_O_PROBABILITY) {
		errno = 0;
		st->prob = strtod(v, &end);
		if (errno || *end || end == v || !(st->prob >= 0.0 && st->prob <= 1.0))
			return nsh_ipt_err_at(st, st->i, "invalid probability \"%s\": a number from 0 to 1", v);
		st->has_prob = true;
		st->stat_neg = st->neg;
		return 0;
	}
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || end == v || v[0] == '-' || v[0] == '+' || n > UINT32_MAX ||
	    (opt->id == NSH_IPT_O_EVERY && n == 0))
		return nsh_ipt_err_at(st, st->i, "invalid value \"%s\" for %s: %s", v, o,
			      opt->id == NSH_IPT_O_EVERY ? "a number from 1 to 4294967295" :
			      "a number from 0 to EVERY-1");
	if (opt->id == NSH_IPT_O_EVERY) {
		st->has_every = true;
		st->every = (uint32_t)n;
		st->stat_neg = st->neg;
	} else {
		st->has_packet = true;
		st->packet = (uint32_t)n;
		st->packet_word = st->i;
	}
	return 0;
}

/*
 * Whether the module the table puts opt in was loaded by -m, for the modules
 * whose options need it outright; *name is the module the error names.
 * tcp/udp (implied by -p) and comment (its own message) are checked where
 * they are read.
 */
static bool module_loaded(struct ipt_state *st, const struct nsh_ipt_opt *opt,
			  const char **name)
{
	const struct nsh_ipt_val *m;
	unsigned *slot;

	if (opt->id == NSH_IPT_O_MARK) {	/* mark's and connmark's: either will do */
		*name = "mark\" or \"-m connmark";
		return st->m_mark || st->m_connmark;
	}
	if (!opt->module || !(m = nsh_ipt_val_find(NSH_IPT_A_MATCH, opt->module, false)) ||
	    m->id == NSH_IPT_V_TCP || m->id == NSH_IPT_V_UDP || m->id == NSH_IPT_V_COMMENT ||
	    !(slot = module_slot(st, m->id)))
		return true;
	*name = m->id == NSH_IPT_V_CONNTRACK ? "conntrack" : m->word;
	return *slot != 0;
}

/* One option at st->i (after a possible "!"), recognised by the option table (ipt_opts.c). */
static int read_option(struct ipt_state *st)
{
	const char *o = st->w[st->i].s;
	const struct nsh_ipt_opt *opt = nsh_ipt_opt_find(o);
	size_t oi = st->i;
	const char *v, *p;

	if (!opt) {
		/* the listing commands have natsh's own: say which */
		if (!strcmp(o, "-L") || !strcmp(o, "--list"))
			return nsh_ipt_err_at(st, oi, "iptables %s lists rules: in natsh that is `show` "
					      "(with counters; -j for JSON)", o);
		if (!strcmp(o, "-S") || !strcmp(o, "--list-rules"))
			return nsh_ipt_err_at(st, oi, "iptables %s prints the rules as commands: in "
					      "natsh that is `save --iptables FILE` (or `show`)", o);
		if (o[0] == '-')
			return nsh_ipt_err_at(st, oi, "unknown or unsupported iptables option \"%s\"", o);
		return nsh_ipt_err_at(st, oi, "unexpected word \"%s\" (an option starts with -)", o);
	}
	switch (opt->id) {
	case NSH_IPT_O_TABLE:
		if (!(v = nsh_ipt_arg_of(st, "a table")))
			return -1;
		st->has_table = true;
		if (strcmp(v, "nat"))
			return nsh_ipt_err_at(st, st->i, "natsh speaks iptables for the nat table only, not "
				      "\"%s\"", v);
		return 0;
	case NSH_IPT_O_APPEND:
		return read_command(st, NSH_IPT_APPEND);
	case NSH_IPT_O_INSERT:
		return read_command(st, NSH_IPT_INSERT);
	case NSH_IPT_O_DELETE:
		return read_command(st, NSH_IPT_DELETE);
	case NSH_IPT_O_REPLACE:
		return read_command(st, NSH_IPT_REPLACE);
	case NSH_IPT_O_FLUSH:
		return read_command(st, NSH_IPT_FLUSH);
	case NSH_IPT_O_WAIT:	/* the xtables lock: natsh commits atomically anyway */
		return 0;
	default:
		break;
	}
	st->c->has_rule = true;
	if (!module_loaded(st, opt, &v))
		return nsh_ipt_err_at(st, oi, "option \"%s\" needs \"-m %s\" before it", o, v);
	switch (opt->id) {
	case NSH_IPT_O_SADDR:
		return nsh_ipt_xl_addr(st, C_SADDR);
	case NSH_IPT_O_DADDR:
		return nsh_ipt_xl_addr(st, C_DADDR);
	case NSH_IPT_O_IIF:
		return nsh_ipt_xl_iface(st, C_IIF);
	case NSH_IPT_O_OIF:
		return nsh_ipt_xl_iface(st, C_OIF);
	case NSH_IPT_O_PROTO:
		if (!(v = nsh_ipt_arg_of(st, "a protocol (tcp, udp, icmp...)")))
			return -1;
		if (st->proto)
			return nsh_ipt_err_at(st, oi, "a second protocol \"-p %s\"", v);
		st->proto = v;
		st->proto_neg = st->neg;
		st->proto_word = st->i;
		return 0;
	case NSH_IPT_O_MATCH:
		return read_module(st);
	case NSH_IPT_O_SPORT:
	case NSH_IPT_O_DPORT:
		if (!st->m_tcp && st->proto && (!strcmp(st->proto, "tcp") || !strcmp(st->proto, "udp")))
			st->m_tcp = ++st->nmods;
		return nsh_ipt_xl_port(st, opt->id == NSH_IPT_O_DPORT);
	case NSH_IPT_O_SPORTS:
	case NSH_IPT_O_DPORTS:
		return nsh_ipt_xl_multiport(st, opt->id == NSH_IPT_O_DPORTS);
	case NSH_IPT_O_PORTS:
		return nsh_ipt_err_at(st, oi, "-m multiport --ports: not supported yet (nft's form is "
			      "\"%s sport . %s dport { 0-65535 . P, P . 0-65535, ... }\", a "
			      "concatenation natsh's rules do not have yet): use --sports or --dports",
			      nsh_ipt_l4(st), nsh_ipt_l4(st));
	case NSH_IPT_O_SRC_TYPE:
	case NSH_IPT_O_DST_TYPE:
		return nsh_ipt_xl_addrtype(st, opt->id == NSH_IPT_O_DST_TYPE);
	case NSH_IPT_O_CTSTATE:
		return nsh_ipt_xl_ctstate(st);
	case NSH_IPT_O_CTSTATUS:
		return nsh_ipt_xl_ctstatus(st);
	case NSH_IPT_O_CTDIR:
		return nsh_ipt_xl_ctdir(st);
	case NSH_IPT_O_SRC_RANGE:
	case NSH_IPT_O_DST_RANGE:
		return nsh_ipt_xl_iprange(st, opt->id == NSH_IPT_O_DST_RANGE);
	case NSH_IPT_O_MARK: {
		/* the module loaded last takes it (as iptables' option parsing does) */
		bool conn = st->m_connmark > st->m_mark;
		bool *done = conn ? &st->connmark_done : &st->mark_done;

		if (*done)
			return nsh_ipt_err_at(st, oi, "a second --mark for -m %s", conn ? "connmark" : "mark");
		*done = true;
		return nsh_ipt_xl_mark(st, conn);
	}
	case NSH_IPT_O_PENDING:
		/* "-p tcp --syn", "-m conntrack --ctproto", "-f" */
		return nsh_ipt_err_at(st, oi, "%s%s%s%s: not supported yet (%s)",
				      opt->module ? (strcmp(opt->module, "tcp") ? "-m " : "-p ") : "",
				      opt->module ? opt->module : "", opt->module ? " " : "", o,
				      opt->help);
	case NSH_IPT_O_MODE:
	case NSH_IPT_O_PROBABILITY:
	case NSH_IPT_O_EVERY:
	case NSH_IPT_O_PACKET:
		return read_statistic(st, opt, o);
	case NSH_IPT_O_COMMENT:
		if (!st->m_comment)
			return nsh_ipt_err_at(st, oi, "--comment needs \"-m comment\" before it");
		if (!(v = nsh_ipt_text_of(st, "a text")))
			return -1;
		for (p = v; *p && (unsigned char)*p >= ' ' && *p != 0x7f && *p != '"'; p++)
			;
		if (*p || p - v > 255)
			return nsh_ipt_err_at(st, st->i, "a comment holds at most 255 characters, no '\"' "
					      "and no control characters");
		nsh_ipt_put(st, C_COMMENT, 0, st->i, "comment \"%s\"", v);
		return 0;
	case NSH_IPT_O_GOTO:
		return nsh_ipt_err_at(st, oi, "-g (goto) is not supported by natsh's translation: use -j");
	case NSH_IPT_O_JUMP:
		if (!(v = nsh_ipt_arg_of(st, "a target")))
			return -1;
		if (st->target)
			return nsh_ipt_err_at(st, oi, "a second target \"-j %s\"", v);
		st->target = v;
		st->target_word = st->i;
		return 0;
	case NSH_IPT_O_TO:
		if (!(v = nsh_ipt_arg_of(st, "an address or ports")))
			return -1;
		if (st->to)
			return nsh_ipt_err_at(st, oi, "a second \"%s\": natsh writes one address range", o);
		st->to = v;
		st->to_word = st->i;
		return 0;
	case NSH_IPT_O_RANDOM:
	case NSH_IPT_O_RANDOM_FULLY:
	case NSH_IPT_O_PERSISTENT:
		st->flag_word[opt->id - NSH_IPT_O_RANDOM] = oi + 1;
		return 0;
	default:
		return nsh_ipt_err_at(st, oi, "unknown or unsupported iptables option \"%s\"", o);
	}
}

/* Pieces in iptables-translate's order (stable: sorted by class, then sub). */
static int piece_order(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;

	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	if (x->sub != y->sub)
		return x->sub < y->sub ? -1 : 1;
	return x->word < y->word ? -1 : x->word > y->word;
}

/* Protocol, statistic and target need all options read; then the text. */
static int finish(struct ipt_state *st)
{
	struct nsh_ipt *c = st->c;
	size_t k;

	if (!c->op_word)
		return nsh_ipt_err_at(st, 0, "%s needs a command: -A, -I, -D, -R or -F CHAIN",
			      st->w[0].s);
	if (c->op == NSH_IPT_FLUSH && c->has_rule)
		return nsh_ipt_err_at(st, c->op_word, "-F takes a chain only");
	if (c->op == NSH_IPT_DELETE && c->pos && c->has_rule)
		return nsh_ipt_err_at(st, c->pos_word, "-D takes a rule number or a rule, not both");
	if ((c->op == NSH_IPT_DELETE && !c->pos && !c->has_rule))
		return nsh_ipt_err_at(st, c->op_word, "-D needs a rule number or the rule to delete");
	if (st->neg)
		return nsh_ipt_err_at(st, st->neg_word, "\"!\" must be followed by the option it negates");
	if (st->tcp_module && (!st->proto || strcmp(st->proto, st->tcp_module)))
		return nsh_ipt_err_at(st, st->tcp_module_word, "-m %s needs \"-p %s\"", st->tcp_module,
				      st->tcp_module);
	if ((st->ports_used || st->multiport_used) && st->proto_neg)
		return nsh_ipt_err_at(st, st->proto_word, "ports cannot be matched with \"! -p\"");
	if (st->m_mark && !st->mark_done)
		return nsh_ipt_err_at(st, st->mark_word, "-m mark needs --mark VALUE");
	if (st->m_connmark && !st->connmark_done)
		return nsh_ipt_err_at(st, st->connmark_word, "-m connmark needs --mark VALUE");
	/* nft lists a port set without the protocol match it implies: leave it out */
	if (st->proto && !st->ports_used && !st->multiport_used && strcmp(st->proto, "all")) {
		char low[32];

		nsh_ipt_lower(st->proto, low, sizeof(low));
		nsh_ipt_put(st, C_PROTO, 0, st->proto_word, "%s %s%s",
		    c->family == NSH_FAM_IP6 ? "meta l4proto" : "ip protocol",
		    st->proto_neg ? "!= " : "", low);
		if (c->family == NSH_FAM_IP)
			st->l3_used = true;
	}
	if (st->m_statistic && nsh_ipt_xl_statistic(st) < 0)
		return -1;
	if (nsh_ipt_xl_target(st) < 0)
		return -1;
	/* no target: a rule that counts what it matches (natsh adds the counter) */
	if (c->op == NSH_IPT_APPEND || c->op == NSH_IPT_INSERT || c->op == NSH_IPT_REPLACE)
		c->has_rule = true;
	if (st->table_family == NSH_FAM_INET && !st->l3_used && c->has_rule)
		nsh_ipt_put(st, C_NFPROTO, 0, c->op_word, "meta nfproto %s",
		    c->family == NSH_FAM_IP6 ? "ipv6" : "ipv4");
	/* nothing to match and no target ("-A CHAIN", "-i +"): iptables' rule counts every packet */
	if (!st->npieces && c->has_rule)
		nsh_ipt_put(st, C_TARGET, 0, c->op_word, "counter");
	if (st->npieces)
		qsort(st->pieces, st->npieces, sizeof(*st->pieces), piece_order);
	for (k = 0; k < st->npieces; k++) {
		if (k)
			nsh_buf_putc(&c->nft, ' ');
		c->pieces = nsh_xrealloc(c->pieces, (c->npieces + 1) * sizeof(*c->pieces));
		c->pieces[c->npieces++] = (struct nsh_ipt_piece){ c->nft.len,
			strlen(st->pieces[k].text), st->pieces[k].word };
		nsh_buf_puts(&c->nft, st->pieces[k].text);
	}
	return 0;
}

/* See ipt.h. */
int nsh_ipt_parse(const struct nsh_ipt_word *words, size_t n, int table_family,
		  struct nsh_ipt *c, struct nsh_err *err)
{
	struct ipt_state st = { .w = words, .n = n, .c = c, .err = err,
				.table_family = table_family };
	size_t k;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	nsh_buf_init(&c->nft);
	c->words = words;
	c->nwords = n;
	c->family = strcmp(words[0].s, "ip6tables") == 0 ? NSH_FAM_IP6 : NSH_FAM_IP;
	for (st.i = 1; st.i < n && rc == 0; st.i++) {
		if (strcmp(words[st.i].s, "!") == 0) {
			if (st.neg)
				rc = nsh_ipt_err_at(&st, st.i, "\"!\" twice");
			st.neg = true;
			st.neg_word = st.i;
			continue;
		}
		rc = read_option(&st);
		st.neg = false;
	}
	/* without -t iptables means the filter table: never take such a line for NAT */
	if (rc == 0 && !st.has_table)
		rc = nsh_ipt_err_at(&st, 0, "\"-t nat\" is missing: without -t %s writes to the filter "
			      "table, and natsh manages NAT only (write %s -t nat ...)", words[0].s,
			      words[0].s);
	if (rc == 0)
		rc = finish(&st);
	for (k = 0; k < st.npieces; k++)
		free(st.pieces[k].text);
	free(st.pieces);
	if (rc < 0)
		nsh_ipt_clear(c);
	return rc;
}

/* NULL-safe. */
void nsh_ipt_clear(struct nsh_ipt *c)
{
	if (!c)
		return;
	nsh_buf_free(&c->nft);
	free(c->pieces);
	c->pieces = NULL;
	c->npieces = 0;
}

/* See ipt.h. */
size_t nsh_ipt_word_at(const struct nsh_ipt *c, size_t off)
{
	size_t k;

	for (k = 0; k < c->npieces; k++)
		if (off >= c->pieces[k].off && off < c->pieces[k].off + c->pieces[k].len)
			return c->pieces[k].word;
	return c->op_word;
}

/* An address range that is a prefix is kept as one, as nft lists it ("to 192.0.2.10/31"). */
static void nat_as_listed(struct nsh_rule *r)
{
	size_t k;
	int plen;

	for (k = 0; k < r->nstmts; k++) {
		struct nsh_nat *n = &r->stmts[k].nat;

		if (r->stmts[k].kind != NSH_ST_NAT || n->addr != NSH_NAT_ADDR_RANGE)
			continue;
		plen = nsh_range_plen(&n->addr_min, &n->addr_max);
		if (plen >= 0) {
			n->addr = NSH_NAT_ADDR_PREFIX;
			n->addr_plen = (uint8_t)plen;
		}
	}
}

/* Parse the nft text; an error goes under the iptables word that wrote that piece. */
int nsh_ipt_rule(const struct nsh_ipt *c, int table_family, struct nsh_rule *r,
		 struct nsh_err *err)
{
	struct nsh_err e = { 0 };
	size_t w;

	if (nsh_rule_parse(c->nft.s, 0, c->nft.len, table_family, r, &e) == 0) {
		nat_as_listed(r);
		return 0;
	}
	w = nsh_ipt_word_at(c, e.off);
	nsh_err_set(err, c->words[w].off, c->words[w].len, "%s (in the translation \"%s\")",
		    e.msg, c->nft.s);
	return -1;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iptables NAT lines -> nft rule text -> natsh's model (see ipt.h).
 * The nft forms are those iptables-translate (iptables 1.8.9) prints, so
 * that a rule natsh writes lists like the one nft's own translator makes;
 * statistic --mode random is the one exception (see xl_statistic).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "model/ipt.h"
#include "model/from_nftnl.h"
#include "model/rule_parse.h"
#include "lib/util.h"

/* Where a piece goes in the rule: iptables-translate's order. */
enum cls { C_NFPROTO, C_IIF, C_OIF, C_PROTO, C_SADDR, C_DADDR, C_MATCH, C_TARGET, C_COMMENT };

struct piece {
	enum cls cls;
	unsigned sub;		/* order among matches */
	size_t word;		/* the iptables word it came from */
	char *text;
};

/* What the options of one line say while it is read. */
struct ipt_state {
	const struct nsh_ipt_word *w;
	size_t n, i;
	struct nsh_ipt *c;
	struct nsh_err *err;
	int table_family;
	bool neg;		/* a "!" is waiting for its option */
	size_t neg_word;
	const char *proto;	/* -p */
	bool proto_neg;
	size_t proto_word;
	bool ports_used;	/* a tcp/udp port match took the protocol */
	bool multiport_used;
	bool l3_used;		/* an ip/ip6 specific match was written */
	unsigned nmods;		/* -m seen so far, for the order of matches */
	unsigned m_tcp, m_multiport, m_addrtype, m_statistic, m_comment, m_conntrack; /* order + 1 */
	int stat_mode;		/* 0 none, 1 random, 2 nth */
	size_t stat_word;
	bool stat_neg, has_prob, has_every, has_packet;
	double prob;
	const char *target;
	size_t target_word;
	const char *to;		/* --to-source/--to-destination/--to-ports */
	size_t to_word;
	size_t flag_word[3];	/* word index + 1 of --random, --random-fully, --persistent */
	size_t npieces;
	struct piece *pieces;
};

/* Record an error under word i. */
static int err_at(struct ipt_state *st, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int err_at(struct ipt_state *st, size_t i, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (i >= st->n)
		i = st->n - 1;
	nsh_err_set(st->err, st->w[i].off, st->w[i].len, "%s", msg);
	return -1;
}

/* Add a piece of nft text that word i wrote. */
static void put(struct ipt_state *st, enum cls cls, unsigned sub, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void put(struct ipt_state *st, enum cls cls, unsigned sub, size_t i, const char *fmt, ...)
{
	struct nsh_buf b;
	va_list ap;

	nsh_buf_init(&b);
	va_start(ap, fmt);
	nsh_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	st->pieces = nsh_xrealloc(st->pieces, (st->npieces + 1) * sizeof(*st->pieces));
	st->pieces[st->npieces++] = (struct piece){ cls, sub, i, nsh_buf_steal(&b) };
	nsh_buf_free(&b);
}

/* The value after the option at st->i; moves st->i onto it. */
static const char *arg_of(struct ipt_state *st, const char *what)
{
	size_t i = st->i;
	const char *v;

	if (i + 1 >= st->n) {
		err_at(st, i, "option \"%s\" needs %s", st->w[i].s, what);
		return NULL;
	}
	v = st->w[i + 1].s;
	if (v[0] == '-' && v[1] == '-') {
		err_at(st, i + 1, "option \"%s\" needs %s, got option \"%s\"", st->w[i].s, what, v);
		return NULL;
	}
	st->i++;
	return v;
}

/* "!= " when the option was negated. */
static const char *neg_op(const struct ipt_state *st)
{
	return st->neg ? "!= " : "";
}

/* The word is the short or the long spelling of an option. */
static bool is_opt(const char *w, const char *s, const char *l)
{
	return (s && strcmp(w, s) == 0) || (l && strcmp(w, l) == 0);
}

/* Lower-case copy into out. */
static void lower(const char *s, char *out, size_t n)
{
	size_t k;

	for (k = 0; s[k] && k + 1 < n; k++)
		out[k] = (char)tolower((unsigned char)s[k]);
	out[k] = 0;
}

/* -i/-o NAME: "eth+" is nft's "eth*". */
static int xl_iface(struct ipt_state *st, enum cls cls)
{
	size_t oi = st->i;
	const char *v = arg_of(st, "an interface name");
	char name[32];
	size_t len;

	if (!v)
		return -1;
	len = strlen(v);
	if (len == 0 || len > 15 || strpbrk(v, "\"* /"))
		return err_at(st, st->i, "invalid interface name \"%s\" for %s", v, st->w[oi].s);
	snprintf(name, sizeof(name), "%s", v);
	if (name[len - 1] == '+')
		name[len - 1] = '*';
	put(st, cls, 0, st->i, "%s %s\"%s\"", cls == C_IIF ? "iifname" : "oifname", neg_op(st),
	    name);
	return 0;
}

/* -s/-d ADDR[/LEN|/MASK] -> nft's form (/32 and /128 dropped, /0 no match). */
static int xl_addr(struct ipt_state *st, enum cls cls)
{
	size_t oi = st->i;
	const char *v = arg_of(st, "an address");
	bool v6 = st->c->family == NSH_FAM_IP6;
	unsigned char mask[16];
	char addr[64], *slash;
	unsigned plen = v6 ? 128 : 32, bits, k;

	if (!v)
		return -1;
	if (strchr(v, ','))
		return err_at(st, st->i, "several addresses in \"%s\": iptables makes one rule per "
			      "address; write one line for each", v);
	if (strlen(v) >= sizeof(addr))
		return err_at(st, st->i, "invalid address \"%s\"", v);
	strcpy(addr, v);
	slash = strchr(addr, '/');
	if (slash) {
		*slash++ = 0;
		if (!v6 && strchr(slash, '.')) {
			if (inet_pton(AF_INET, slash, mask) != 1)
				return err_at(st, st->i, "invalid netmask \"%s\"", slash);
			for (bits = 0, k = 0; k < 32 && (mask[k / 8] & (0x80 >> (k % 8))); k++)
				bits++;
			for (; k < 32; k++)
				if (mask[k / 8] & (0x80 >> (k % 8)))
					return err_at(st, st->i, "netmask \"%s\" is not contiguous",
						      slash);
			plen = bits;
		} else {
			char *end;
			unsigned long n = strtoul(slash, &end, 10);

			if (!*slash || *end || !isdigit((unsigned char)*slash) || n > plen)
				return err_at(st, st->i, "invalid prefix length \"%s\"", slash);
			plen = (unsigned)n;
		}
	}
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, mask) != 1)
		return err_at(st, st->i, "invalid %s address \"%s\" (natsh takes addresses, not "
			      "host names)", v6 ? "IPv6" : "IPv4", addr);
	if (plen == 0) {
		if (st->neg)
			return err_at(st, oi, "\"! %s %s\" matches no packet at all", st->w[oi].s, v);
		return 0;	/* any address: iptables writes no match */
	}
	st->l3_used = true;
	if (plen == (v6 ? 128u : 32u))
		put(st, cls, 0, st->i, "%s %s %s%s", v6 ? "ip6" : "ip",
		    cls == C_SADDR ? "saddr" : "daddr", neg_op(st), addr);
	else
		put(st, cls, 0, st->i, "%s %s %s%s/%u", v6 ? "ip6" : "ip",
		    cls == C_SADDR ? "saddr" : "daddr", neg_op(st), addr, plen);
	return 0;
}

/* One number 0-65535, all digits. */
static int port_num(const char *s, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	*v = strtoul(s, &end, 10);
	return (*end || *v > 65535) ? -1 : 0;
}

/* iptables "80", "1000:2000", ":1024", "1024:" -> nft "80", "1000-2000". */
static int port_text(struct ipt_state *st, size_t wi, const char *v, char *out, size_t outlen)
{
	char buf[32], *colon;
	unsigned long lo = 0, hi = 65535;

	if (strlen(v) >= sizeof(buf) || !*v)
		return err_at(st, wi, "invalid port \"%s\"", v);
	strcpy(buf, v);
	colon = strchr(buf, ':');
	if (!colon) {
		if (port_num(buf, &lo) < 0)
			return err_at(st, wi, "invalid port \"%s\" (natsh takes port numbers)", v);
		snprintf(out, outlen, "%lu", lo);
		return 0;
	}
	*colon = 0;
	if ((*buf && port_num(buf, &lo) < 0) || (colon[1] && port_num(colon + 1, &hi) < 0))
		return err_at(st, wi, "invalid port range \"%s\" (FIRST:LAST)", v);
	if (lo > hi)
		return err_at(st, wi, "port range \"%s\" is empty: its start is above its end", v);
	if (lo == hi)
		snprintf(out, outlen, "%lu", lo);
	else
		snprintf(out, outlen, "%lu-%lu", lo, hi);
	return 0;
}

/* Ports need -p tcp or -p udp (not negated); -1 after reporting. */
static int port_proto(struct ipt_state *st)
{
	if (!st->proto || (strcmp(st->proto, "tcp") && strcmp(st->proto, "udp")))
		return err_at(st, st->i, "option \"%s\" needs \"-p tcp\" or \"-p udp\" before it",
			      st->w[st->i].s);
	if (st->proto_neg)
		return err_at(st, st->proto_word, "ports cannot be matched with \"! -p\"");
	return 0;
}

/* --sport/--dport (-m tcp/udp, loaded by -p): sport before dport, as iptables-translate. */
static int xl_port(struct ipt_state *st, bool dport)
{
	const char *v;
	char txt[32];

	if (port_proto(st) < 0)
		return -1;
	if (!st->m_tcp)
		st->m_tcp = ++st->nmods;
	if (!(v = arg_of(st, "a port or FIRST:LAST")))
		return -1;
	if (port_text(st, st->i, v, txt, sizeof(txt)) < 0)
		return -1;
	st->ports_used = true;
	put(st, C_MATCH, st->m_tcp * 2 + dport, st->i, "%s %s %s%s", st->proto,
	    dport ? "dport" : "sport", neg_op(st), txt);
	return 0;
}

/* -m multiport --sports/--dports A,B:C -> a set (one port: a value). */
static int xl_multiport(struct ipt_state *st, bool dport)
{
	size_t oi = st->i;
	const char *v;
	char buf[512], *tok, *save = NULL, txt[32];
	struct nsh_buf set;
	int n = 0;

	if (!st->m_multiport)
		return err_at(st, oi, "option \"%s\" needs \"-m multiport\" before it", st->w[oi].s);
	if (port_proto(st) < 0)
		return -1;
	if (!(v = arg_of(st, "a list of ports")))
		return -1;
	if (strlen(v) >= sizeof(buf))
		return err_at(st, st->i, "port list too long");
	strcpy(buf, v);
	nsh_buf_init(&set);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (port_text(st, st->i, tok, txt, sizeof(txt)) < 0) {
			nsh_buf_free(&set);
			return -1;
		}
		nsh_buf_printf(&set, "%s%s", n++ ? ", " : "", txt);
	}
	if (n == 0 || n > 15) {
		nsh_buf_free(&set);
		return err_at(st, st->i, "multiport takes 1 to 15 ports, got %d", n);
	}
	st->multiport_used = true;
	put(st, C_MATCH, st->m_multiport * 2 + dport, st->i,
	    n == 1 ? "%s %s %s%s" : "%s %s %s{ %s }", st->proto, dport ? "dport" : "sport",
	    neg_op(st), set.s);
	nsh_buf_free(&set);
	return 0;
}

/* A comma list of names from table; lower-cased, joined with sep. */
static int name_list(struct ipt_state *st, const char *v, const char *const *names, size_t nn,
		     const char *sep, const char *what, struct nsh_buf *out, int *count)
{
	char buf[256], *tok, *save = NULL, low[32];
	size_t k;

	*count = 0;
	if (strlen(v) >= sizeof(buf))
		return err_at(st, st->i, "%s list too long", what);
	strcpy(buf, v);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < nn && strcasecmp(tok, names[k]); k++)
			;
		if (k == nn)
			return err_at(st, st->i, "unknown %s \"%s\"", what, tok);
		lower(names[k], low, sizeof(low));
		nsh_buf_printf(out, "%s%s", (*count)++ ? sep : "", low);
	}
	if (!*count)
		return err_at(st, st->i, "an empty %s list", what);
	return 0;
}

/* -m addrtype --src-type/--dst-type TYPE[,TYPE] -> fib saddr|daddr type. */
static int xl_addrtype(struct ipt_state *st, bool dst)
{
	static const char *const types[] = {
		"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
		"BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
	};
	size_t oi = st->i;
	struct nsh_buf set;
	const char *v;
	int n, rc;

	if (!st->m_addrtype)
		return err_at(st, oi, "option \"%s\" needs \"-m addrtype\" before it", st->w[oi].s);
	if (!(v = arg_of(st, "an address type such as LOCAL")))
		return -1;
	nsh_buf_init(&set);
	rc = name_list(st, v, types, NSH_ARRAY_SIZE(types), ", ",
		       "address type (LOCAL, UNICAST, BROADCAST, MULTICAST...):", &set, &n);
	if (rc == 0)
		put(st, C_MATCH, st->m_addrtype * 2 + dst, st->i,
		    n == 1 ? "fib %s type %s%s" : "fib %s type %s{ %s }", dst ? "daddr" : "saddr",
		    neg_op(st), set.s);
	nsh_buf_free(&set);
	return rc;
}

/*
 * -m conntrack --ctstate LIST (or -m state --state) -> ct state; the
 * virtual states SNAT and DNAT -> ct status (the two cannot mix in one
 * nft match).
 */
static int xl_ctstate(struct ipt_state *st)
{
	static const char *const states[] = { "INVALID", "ESTABLISHED", "RELATED", "NEW",
					      "UNTRACKED" };
	static const char *const nat[] = { "SNAT", "DNAT" };
	size_t oi = st->i;
	struct nsh_buf set;
	const char *v;
	int n, rc;
	bool isnat;

	if (!st->m_conntrack)
		return err_at(st, oi, "option \"%s\" needs \"-m conntrack\" before it", st->w[oi].s);
	if (!(v = arg_of(st, "a list of states such as NEW,ESTABLISHED")))
		return -1;
	isnat = strncasecmp(v, "SNAT", 4) == 0 || strncasecmp(v, "DNAT", 4) == 0;
	nsh_buf_init(&set);
	if (isnat)
		rc = name_list(st, v, nat, 2, ",", "conntrack state here: SNAT and DNAT do not mix "
			       "with NEW, ESTABLISHED... in one line:", &set, &n);
	else
		rc = name_list(st, v, states, NSH_ARRAY_SIZE(states), ",",
			       "conntrack state (NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED, SNAT, "
			       "DNAT):", &set, &n);
	if (rc == 0)
		put(st, C_MATCH, st->m_conntrack * 2, st->i, "ct %s %s%s", isnat ? "status" : "state",
		    neg_op(st), set.s);
	nsh_buf_free(&set);
	return rc;
}

/*
 * -m statistic, written once all its options are read.  nth: "numgen inc
 * mod EVERY PACKET" is what iptables-translate writes; natsh's model has
 * no numgen match yet, so it is refused by name.  random: iptables
 * matches when (random & 0x7fffffff) < round(P * 2^31); iptables-translate
 * writes "meta random & 2147483647 < X", for which natsh's model has no
 * bitwise; "meta random < 2X" takes the same share of all 32-bit numbers,
 * so it matches with exactly the same probability.
 */
static int xl_statistic(struct ipt_state *st)
{
	uint64_t x;

	if (st->stat_mode == 0)
		return err_at(st, st->stat_word, "-m statistic needs --mode random or --mode nth");
	if (st->stat_mode == 2)
		return err_at(st, st->stat_word, "statistic --mode nth (numgen inc) is not supported "
			      "by natsh yet: use --mode random, or `wizard forward` for even "
			      "balancing");
	if (!st->has_prob)
		return err_at(st, st->stat_word, "statistic --mode random needs --probability P");
	if (st->has_every || st->has_packet)
		return err_at(st, st->stat_word, "--every and --packet belong to --mode nth");
	x = (uint64_t)llround(st->prob * 2147483648.0) * 2;
	if (x >= 4294967296ULL) {
		if (st->stat_neg)
			return err_at(st, st->stat_word, "\"! --probability 1\" never matches");
		put(st, C_MATCH, st->m_statistic * 2, st->stat_word, "meta random <= 4294967295");
	} else {
		put(st, C_MATCH, st->m_statistic * 2, st->stat_word, "meta random %s %llu",
		    st->stat_neg ? ">=" : "<", (unsigned long long)x);
	}
	return 0;
}

/* The target and its --to/flags. */
static int xl_target(struct ipt_state *st)
{
	static const char *const flagnames[] = { "random", "fully-random", "persistent" };
	const char *t = st->target, *fam = "";
	size_t ti = st->target_word, k;
	char flags[64] = "", to[128], low[64];
	bool nat;

	if (st->table_family == NSH_FAM_INET)
		fam = st->c->family == NSH_FAM_IP6 ? " ip6" : " ip";
	for (k = 0; k < 3; k++)
		if (st->flag_word[k])
			snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags), "%s%s",
				 flags[0] ? "," : " ", flagnames[k]);
	if (!t) {
		if (st->to || flags[0])
			return err_at(st, st->to ? st->to_word : st->flag_word[0] + st->flag_word[1] +
				      st->flag_word[2] - 1, "this option needs a target: -j SNAT, "
				      "DNAT, MASQUERADE or REDIRECT");
		return 0;
	}
	nat = !strcmp(t, "SNAT") || !strcmp(t, "DNAT") || !strcmp(t, "MASQUERADE") ||
	      !strcmp(t, "REDIRECT");
	if (!nat) {
		if (st->to || flags[0])
			return err_at(st, st->to ? st->to_word : ti,
				      "target %s takes no --to option or NAT flags", t);
		if (!strcmp(t, "ACCEPT") || !strcmp(t, "RETURN")) {
			lower(t, low, sizeof(low));
			put(st, C_TARGET, 0, ti, "%s", low);
			return 0;
		}
		if (!strcmp(t, "DROP") || !strcmp(t, "REJECT"))
			return err_at(st, ti, "target %s is not valid in the nat table (filter in the "
				      "filter table)", t);
		if (isupper((unsigned char)t[0]) && !strpbrk(t, "abcdefghijklmnopqrstuvwxyz") &&
		    strcmp(t, "PREROUTING") && strcmp(t, "POSTROUTING") && strcmp(t, "OUTPUT") &&
		    strcmp(t, "INPUT"))
			return err_at(st, ti, "target \"%s\" is not supported by natsh (SNAT, DNAT, "
				      "MASQUERADE, REDIRECT, ACCEPT, RETURN or a chain)", t);
		put(st, C_TARGET, 0, ti, "jump %s", nsh_ipt_chain_name(t));
		return 0;
	}
	if (st->flag_word[2] && (t[0] == 'M' || t[0] == 'R'))
		return err_at(st, st->flag_word[2] - 1, "--persistent belongs to SNAT and DNAT");
	if (t[0] == 'S' || t[0] == 'D') {
		if (!st->to)
			return err_at(st, ti, "-j %s needs %s ADDR[-ADDR][:PORT[-PORT]]", t,
				      t[0] == 'S' ? "--to-source" : "--to-destination");
		snprintf(to, sizeof(to), "%s", st->to);
		put(st, C_TARGET, 0, st->to_word, "%s%s to %s%s", t[0] == 'S' ? "snat" : "dnat",
		    fam, to, flags);
		return 0;
	}
	if (st->to) {
		if (!st->proto || (strcmp(st->proto, "tcp") && strcmp(st->proto, "udp")))
			return err_at(st, st->to_word - 1, "--to-ports needs \"-p tcp\" or \"-p udp\" "
				      "(as iptables says)");
		snprintf(to, sizeof(to), "%s", st->to);
		for (char *p = to; *p; p++)
			if (*p == ':')
				*p = '-';
		put(st, C_TARGET, 0, st->to_word, "%s to :%s%s",
		    t[0] == 'M' ? "masquerade" : "redirect", to, flags);
	} else {
		put(st, C_TARGET, 0, ti, "%s%s", t[0] == 'M' ? "masquerade" : "redirect", flags);
	}
	return 0;
}

/* natsh's base chains have nft's lower-case hook names. */
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
		return err_at(st, oi, "a second command \"%s\" (already \"%s\")", st->w[oi].s,
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
	if (!(v = arg_of(st, "a chain (PREROUTING, OUTPUT, POSTROUTING, INPUT)")))
		return -1;
	c->chain = v;
	c->chain_word = st->i;
	if (op == NSH_IPT_APPEND || st->i + 1 >= st->n || !isdigit((unsigned char)st->w[st->i + 1].s[0])) {
		if (op == NSH_IPT_REPLACE)
			return err_at(st, oi, "-R needs a chain and a rule number: -R CHAIN N ...");
		return 0;
	}
	v = st->w[++st->i].s;
	for (const char *p = v; *p; p++)
		if (!isdigit((unsigned char)*p))
			return err_at(st, st->i, "invalid rule number \"%s\"", v);
	errno = 0;
	unsigned long n = strtoul(v, NULL, 10);
	if (n == 0 || n > UINT32_MAX || errno)
		return err_at(st, st->i, "invalid rule number \"%s\": rules count from 1", v);
	c->pos = (uint32_t)n;
	c->pos_word = st->i;
	return 0;
}

/* -m NAME: the modules natsh translates. */
static int read_module(struct ipt_state *st)
{
	const char *v = arg_of(st, "a match name");

	if (!v)
		return -1;
	if (!strcmp(v, "tcp") || !strcmp(v, "udp")) {
		if (!st->proto || strcmp(st->proto, v))
			return err_at(st, st->i, "-m %s needs \"-p %s\" before it", v, v);
		if (!st->m_tcp)
			st->m_tcp = ++st->nmods;
	} else if (!strcmp(v, "multiport")) {
		st->m_multiport = ++st->nmods;
	} else if (!strcmp(v, "addrtype")) {
		st->m_addrtype = ++st->nmods;
	} else if (!strcmp(v, "statistic")) {
		st->m_statistic = ++st->nmods;
		st->stat_word = st->i;
	} else if (!strcmp(v, "comment")) {
		st->m_comment = ++st->nmods;
	} else if (!strcmp(v, "conntrack") || !strcmp(v, "state")) {
		st->m_conntrack = ++st->nmods;
	} else {
		return err_at(st, st->i, "match \"%s\" is not supported by natsh's iptables "
			      "translation (tcp, udp, multiport, addrtype, statistic, comment, "
			      "conntrack)", v);
	}
	return 0;
}

/* Options of -m statistic. */
static int read_statistic(struct ipt_state *st, const char *o)
{
	size_t oi = st->i;
	const char *v;
	char *end;

	if (!st->m_statistic)
		return err_at(st, oi, "option \"%s\" needs \"-m statistic\" before it", o);
	if (!(v = arg_of(st, "a value")))
		return -1;
	if (!strcmp(o, "--mode")) {
		if (!strcmp(v, "random"))
			st->stat_mode = 1;
		else if (!strcmp(v, "nth"))
			st->stat_mode = 2;
		else
			return err_at(st, st->i, "unknown statistic mode \"%s\" (random or nth)", v);
		return 0;
	}
	if (!strcmp(o, "--probability")) {
		errno = 0;
		st->prob = strtod(v, &end);
		if (errno || *end || end == v || !(st->prob >= 0.0 && st->prob <= 1.0))
			return err_at(st, st->i, "invalid probability \"%s\": a number from 0 to 1", v);
		st->has_prob = true;
		st->stat_neg = st->neg;
		return 0;
	}
	if (!strcmp(o, "--every"))
		st->has_every = true;
	else
		st->has_packet = true;
	return 0;
}

/* One option at st->i (after a possible "!"). */
static int read_option(struct ipt_state *st)
{
	const char *o = st->w[st->i].s;
	size_t oi = st->i;
	const char *v;

#define OPT(s, l) is_opt(o, s, l)
	if (OPT("-t", "--table")) {
		if (!(v = arg_of(st, "a table")))
			return -1;
		if (strcmp(v, "nat"))
			return err_at(st, st->i, "natsh speaks iptables for the nat table only, not "
				      "\"%s\"", v);
		return 0;
	}
	if (OPT("-A", "--append"))
		return read_command(st, NSH_IPT_APPEND);
	if (OPT("-I", "--insert"))
		return read_command(st, NSH_IPT_INSERT);
	if (OPT("-D", "--delete"))
		return read_command(st, NSH_IPT_DELETE);
	if (OPT("-R", "--replace"))
		return read_command(st, NSH_IPT_REPLACE);
	if (OPT("-F", "--flush"))
		return read_command(st, NSH_IPT_FLUSH);
	if (OPT("-w", "--wait"))	/* the xtables lock: natsh commits atomically anyway */
		return 0;
	st->c->has_rule = true;
	if (OPT("-s", "--source") || OPT("--src", NULL))
		return xl_addr(st, C_SADDR);
	if (OPT("-d", "--destination") || OPT("--dst", NULL))
		return xl_addr(st, C_DADDR);
	if (OPT("-i", "--in-interface"))
		return xl_iface(st, C_IIF);
	if (OPT("-o", "--out-interface"))
		return xl_iface(st, C_OIF);
	if (OPT("-p", "--protocol")) {
		if (!(v = arg_of(st, "a protocol (tcp, udp, icmp...)")))
			return -1;
		if (st->proto)
			return err_at(st, oi, "a second protocol \"-p %s\"", v);
		st->proto = v;
		st->proto_neg = st->neg;
		st->proto_word = st->i;
		return 0;
	}
	if (OPT("-m", "--match"))
		return read_module(st);
	if (OPT("--dport", "--destination-port") || OPT("--sport", "--source-port")) {
		if (!st->m_tcp && st->proto && (!strcmp(st->proto, "tcp") || !strcmp(st->proto, "udp")))
			st->m_tcp = ++st->nmods;
		return xl_port(st, o[2] == 'd');
	}
	if (OPT("--dports", "--destination-ports") || OPT("--sports", "--source-ports"))
		return xl_multiport(st, o[2] == 'd');
	if (OPT("--ports", NULL))
		return err_at(st, oi, "multiport \"--ports\" (source or destination) has no single "
			      "nft match: use --sports or --dports");
	if (OPT("--src-type", NULL) || OPT("--dst-type", NULL))
		return xl_addrtype(st, o[2] == 'd');
	if (OPT("--ctstate", NULL) || OPT("--state", NULL))
		return xl_ctstate(st);
	if (OPT("--mode", "--probability") || OPT("--every", "--packet"))
		return read_statistic(st, o);
	if (OPT("--comment", NULL)) {
		if (!st->m_comment)
			return err_at(st, oi, "--comment needs \"-m comment\" before it");
		if (!(v = arg_of(st, "a text")))
			return -1;
		if (strchr(v, '"') || strlen(v) > 255)
			return err_at(st, st->i, "a comment holds at most 255 characters and no '\"'");
		put(st, C_COMMENT, 0, st->i, "comment \"%s\"", v);
		return 0;
	}
	if (OPT("-j", "--jump") || OPT("-g", "--goto")) {
		if (o[1] == 'g' || o[2] == 'g')
			return err_at(st, oi, "-g (goto) is not supported by natsh's translation: use -j");
		if (!(v = arg_of(st, "a target")))
			return -1;
		if (st->target)
			return err_at(st, oi, "a second target \"-j %s\"", v);
		st->target = v;
		st->target_word = st->i;
		return 0;
	}
	if (OPT("--to-source", "--to-destination") || OPT("--to-ports", "--to")) {
		if (!(v = arg_of(st, "an address or ports")))
			return -1;
		if (st->to)
			return err_at(st, oi, "a second \"%s\": natsh writes one address range", o);
		st->to = v;
		st->to_word = st->i;
		return 0;
	}
	if (OPT("--random", NULL) || OPT("--random-fully", NULL) || OPT("--persistent", NULL)) {
		st->flag_word[o[2] == 'p' ? 2 : o[8] == '-' ? 1 : 0] = oi + 1;
		return 0;
	}
#undef OPT
	if (o[0] == '-')
		return err_at(st, oi, "unknown or unsupported iptables option \"%s\"", o);
	return err_at(st, oi, "unexpected word \"%s\" (an option starts with -)", o);
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
		return err_at(st, 0, "%s needs a command: -A, -I, -D, -R or -F CHAIN",
			      st->w[0].s);
	if (c->op == NSH_IPT_FLUSH && c->has_rule)
		return err_at(st, c->op_word, "-F takes a chain only");
	if (c->op == NSH_IPT_DELETE && c->pos && c->has_rule)
		return err_at(st, c->pos_word, "-D takes a rule number or a rule, not both");
	if ((c->op == NSH_IPT_DELETE && !c->pos && !c->has_rule))
		return err_at(st, c->op_word, "-D needs a rule number or the rule to delete");
	if (st->neg)
		return err_at(st, st->neg_word, "\"!\" must be followed by the option it negates");
	/* nft lists a port set without the protocol match it implies: leave it out */
	if (st->proto && !st->ports_used && !st->multiport_used && strcmp(st->proto, "all")) {
		char low[32];

		lower(st->proto, low, sizeof(low));
		put(st, C_PROTO, 0, st->proto_word, "%s %s%s",
		    c->family == NSH_FAM_IP6 ? "meta l4proto" : "ip protocol",
		    st->proto_neg ? "!= " : "", low);
		if (c->family == NSH_FAM_IP)
			st->l3_used = true;
	}
	if (st->m_statistic && xl_statistic(st) < 0)
		return -1;
	if (xl_target(st) < 0)
		return -1;
	if (c->op != NSH_IPT_FLUSH && c->op != NSH_IPT_DELETE && !st->target && c->has_rule)
		return err_at(st, c->op_word, "the rule has no target (-j): natsh writes NAT rules "
			      "with one");
	if (st->table_family == NSH_FAM_INET && !st->l3_used && c->has_rule)
		put(st, C_NFPROTO, 0, c->op_word, "meta nfproto %s",
		    c->family == NSH_FAM_IP6 ? "ipv6" : "ipv4");
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
				rc = err_at(&st, st.i, "\"!\" twice");
			st.neg = true;
			st.neg_word = st.i;
			continue;
		}
		rc = read_option(&st);
		st.neg = false;
	}
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

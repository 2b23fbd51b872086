/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The iptables translator's options -> nft text pieces (see ipt.h), in the
 * forms iptables-translate (iptables 1.8.9) prints, so that a rule natsh
 * writes lists like the one nft's own translator makes; statistic --mode
 * random is the one exception (see nsh_ipt_xl_statistic).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netdb.h>

#include "lib/buf.h"
#include "model/syntax/ipt_int.h"
#include "lib/util.h"
#include "model/syntax/ipt_opts.h"

/* Record an error under word i. */
int nsh_ipt_err_at(struct ipt_state *st, size_t i, const char *fmt, ...)
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
void nsh_ipt_put(struct ipt_state *st, enum cls cls, unsigned sub, size_t i, const char *fmt, ...)
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
static const char *arg_of(struct ipt_state *st, const char *what, bool text)
{
	size_t i = st->i;
	const char *v, *p;

	if (i + 1 >= st->n) {
		nsh_ipt_err_at(st, i, "option \"%s\" needs %s", st->w[i].s, what);
		return NULL;
	}
	v = st->w[i + 1].s;
	if (v[0] == '-' && v[1] == '-') {
		nsh_ipt_err_at(st, i + 1, "option \"%s\" needs %s, got option \"%s\"", st->w[i].s, what, v);
		return NULL;
	}
	/*
	 * The translation is nft text that the rule parser reads again: a word
	 * copied into it must stay one word ("-j 'x accept'" is no chain).
	 */
	for (p = v; !text && *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || strchr("\"'{}", *p)) {
			nsh_ipt_err_at(st, i + 1, "option \"%s\" needs %s, got \"%s\" (blanks, quotes "
				       "and braces are no part of one)", st->w[i].s, what, v);
			return NULL;
		}
	st->i++;
	return v;
}

/* The argument of the option at st->i, one word of no blank, quote or brace; NULL + error. */
const char *nsh_ipt_arg_of(struct ipt_state *st, const char *what)
{
	return arg_of(st, what, false);
}

/* The same for free text (a comment: checked where it is read). */
const char *nsh_ipt_text_of(struct ipt_state *st, const char *what)
{
	return arg_of(st, what, true);
}

/* "!= " when the option was negated. */
const char *nsh_ipt_neg_op(const struct ipt_state *st)
{
	return st->neg ? "!= " : "";
}


/* Lower-case copy into out. */
void nsh_ipt_lower(const char *s, char *out, size_t n)
{
	size_t k;

	for (k = 0; s[k] && k + 1 < n; k++)
		out[k] = (char)tolower((unsigned char)s[k]);
	out[k] = 0;
}

/* -i/-o NAME: "eth+" is nft's "eth*". */
int nsh_ipt_xl_iface(struct ipt_state *st, enum cls cls)
{
	size_t oi = st->i;
	const char *v = nsh_ipt_arg_of(st, "an interface name");
	char name[32];
	size_t len;

	if (!v)
		return -1;
	len = strlen(v);
	if (len == 0 || len > 15 || strpbrk(v, "\"* /"))
		return nsh_ipt_err_at(st, st->i, "invalid interface name \"%s\" for %s", v, st->w[oi].s);
	/* "+" alone is any name: iptables writes no match ("! -i +" matches nothing) */
	if (!strcmp(v, "+")) {
		if (st->neg)
			return nsh_ipt_err_at(st, oi, "\"! %s +\" matches no packet at all", st->w[oi].s);
		return 0;
	}
	snprintf(name, sizeof(name), "%s", v);
	if (name[len - 1] == '+')
		name[len - 1] = '*';
	nsh_ipt_put(st, cls, 0, st->i, "%s %s\"%s\"", cls == C_IIF ? "iifname" : "oifname", nsh_ipt_neg_op(st),
	    name);
	return 0;
}

/*
 * A netmask in address notation (255.255.255.0, ffff:ffff::) -> its prefix
 * length; -1 after reporting when it is no mask or not contiguous (nft's
 * form, "& MASK == ADDR", needs a bitwise natsh's model does not have yet).
 */
static int mask_plen(struct ipt_state *st, const char *mask, bool v6)
{
	unsigned char m[16];
	unsigned bits = 0, k, all = v6 ? 128 : 32;

	if (inet_pton(v6 ? AF_INET6 : AF_INET, mask, m) != 1)
		return nsh_ipt_err_at(st, st->i, "invalid netmask \"%s\"", mask);
	for (k = 0; k < all && (m[k / 8] & (0x80 >> (k % 8))); k++)
		bits++;
	for (; k < all; k++)
		if (m[k / 8] & (0x80 >> (k % 8)))
			return nsh_ipt_err_at(st, st->i, "%s: netmask \"%s\" is not contiguous: not "
					      "supported yet (nft's form is \"%s %s & %s == ADDR\", and "
					      "natsh's rules have no bitwise match)", st->w[st->i - 1].s,
					      mask, v6 ? "ip6" : "ip",
					      st->w[st->i - 1].s[1] == 's' ? "saddr" : "daddr", mask);
	return (int)bits;
}

/*
 * -s/-d ADDR[/LEN|/MASK] -> nft's form (/32 and /128 dropped, /0 no match;
 * the host bits cleared, as iptables does: 192.0.2.7/24 is 192.0.2.0/24).
 */
int nsh_ipt_xl_addr(struct ipt_state *st, enum cls cls)
{
	size_t oi = st->i;
	const char *v = nsh_ipt_arg_of(st, "an address");
	bool v6 = st->c->family == NSH_FAM_IP6;
	unsigned char a[16];
	char addr[64], txt[INET6_ADDRSTRLEN], *slash;
	unsigned plen = v6 ? 128 : 32, k;
	int bits;

	if (!v)
		return -1;
	if (strchr(v, ','))
		return nsh_ipt_err_at(st, st->i, "several addresses in \"%s\": iptables makes one rule per "
			      "address; write one line for each", v);
	if (strlen(v) >= sizeof(addr))
		return nsh_ipt_err_at(st, st->i, "invalid address \"%s\"", v);
	strcpy(addr, v);
	slash = strchr(addr, '/');
	if (slash) {
		*slash++ = 0;
		if (strchr(slash, v6 ? ':' : '.')) {
			if ((bits = mask_plen(st, slash, v6)) < 0)
				return -1;
			plen = (unsigned)bits;
		} else {
			char *end;
			unsigned long n = strtoul(slash, &end, 10);

			if (!*slash || *end || !isdigit((unsigned char)*slash) || n > plen)
				return nsh_ipt_err_at(st, st->i, "invalid prefix length \"%s\"", slash);
			plen = (unsigned)n;
		}
	}
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, a) != 1)
		return nsh_ipt_err_at(st, st->i, "invalid %s address \"%s\" (natsh takes addresses, not "
			      "host names)", v6 ? "IPv6" : "IPv4", addr);
	if (plen == 0) {
		if (st->neg)
			return nsh_ipt_err_at(st, oi, "\"! %s %s\" matches no packet at all", st->w[oi].s, v);
		return 0;	/* any address: iptables writes no match */
	}
	for (k = plen; k < (v6 ? 128u : 32u); k++)
		a[k / 8] &= (unsigned char)~(0x80 >> (k % 8));
	inet_ntop(v6 ? AF_INET6 : AF_INET, a, txt, sizeof(txt));
	st->l3_used = true;
	if (plen == (v6 ? 128u : 32u))
		nsh_ipt_put(st, cls, 0, st->i, "%s %s %s%s", v6 ? "ip6" : "ip",
		    cls == C_SADDR ? "saddr" : "daddr", nsh_ipt_neg_op(st), txt);
	else
		nsh_ipt_put(st, cls, 0, st->i, "%s %s %s%s/%u", v6 ? "ip6" : "ip",
		    cls == C_SADDR ? "saddr" : "daddr", nsh_ipt_neg_op(st), txt, plen);
	return 0;
}

/* -m iprange --src-range/--dst-range FIRST-LAST -> ip saddr|daddr FIRST-LAST. */
int nsh_ipt_xl_iprange(struct ipt_state *st, bool dst)
{
	const char *v = nsh_ipt_arg_of(st, "an address range FIRST-LAST");
	bool v6 = st->c->family == NSH_FAM_IP6;
	unsigned char lo[16], hi[16];
	char buf[96], *dash;

	if (!v)
		return -1;
	if (strlen(v) >= sizeof(buf))
		return nsh_ipt_err_at(st, st->i, "invalid address range \"%s\"", v);
	strcpy(buf, v);
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = 0;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, lo) != 1 ||
	    (dash && inet_pton(v6 ? AF_INET6 : AF_INET, dash, hi) != 1))
		return nsh_ipt_err_at(st, st->i, "invalid %s address range \"%s\" (FIRST-LAST)",
				      v6 ? "IPv6" : "IPv4", v);
	if (!dash)
		memcpy(hi, lo, sizeof(hi));
	if (memcmp(lo, hi, v6 ? 16 : 4) > 0)
		return nsh_ipt_err_at(st, st->i, "address range \"%s\" is reversed: it never matches", v);
	st->l3_used = true;
	nsh_ipt_put(st, C_MATCH, st->m_iprange * SUB_MOD + dst, st->i, "%s %s %s%s-%s",
		    v6 ? "ip6" : "ip", dst ? "daddr" : "saddr", nsh_ipt_neg_op(st), buf,
		    dash ? dash : buf);
	return 0;
}

/*
 * -m mark|connmark --mark VALUE[/MASK] -> meta mark|ct mark VALUE (as nft
 * lists it: 0x%08x); a mask other than 0xffffffff needs nft's "and MASK",
 * which natsh's model has no form for yet.
 */
int nsh_ipt_xl_mark(struct ipt_state *st, bool connmark)
{
	const char *v = nsh_ipt_arg_of(st, "a mark VALUE[/MASK]");
	unsigned long long val, mask = 0xffffffffULL;
	const char *slash;
	char *end;

	if (!v)
		return -1;
	errno = 0;
	val = strtoull(v, &end, 0);
	slash = end;
	if (!errno && *end == '/' && end[1] && end[1] != '-')
		mask = strtoull(end + 1, &end, 0);
	if (errno || *end || end == v || v[0] == '-' || val > 0xffffffffULL || mask > 0xffffffffULL)
		return nsh_ipt_err_at(st, st->i, "invalid mark \"%s\": VALUE[/MASK], numbers up to "
				      "0xffffffff", v);
	if (mask != 0xffffffffULL)
		return nsh_ipt_err_at(st, st->i, "-m %s --mark VALUE/MASK: not supported yet (nft's "
				      "form is \"%s and %s == VALUE\", and natsh's rules have no "
				      "bitwise match yet; --mark %.*s alone is taken)", connmark ?
				      "connmark" : "mark", connmark ? "ct mark" : "meta mark",
				      slash + 1, (int)(slash - v), v);
	nsh_ipt_put(st, C_MATCH, (connmark ? st->m_connmark : st->m_mark) * SUB_MOD, st->i,
		    "%s %s0x%08llx", connmark ? "ct mark" : "meta mark", nsh_ipt_neg_op(st), val);
	return 0;
}

/*
 * One port: a number 0-65535, all digits, or a service name of the protocol
 * (the system's services database, as iptables resolves it: "http" is 80).
 */
static int port_num(const char *s, const char *proto, unsigned long *v)
{
	struct servent *se;
	char *end;

	if (isdigit((unsigned char)*s)) {
		*v = strtoul(s, &end, 10);
		if (!*end)
			return *v > 65535 ? -1 : 0;
	}
	/* a name, which may start with a digit ("3com-tsmux"), as iptables tries it */
	if (!*s || !(se = getservbyname(s, proto)))
		return -1;
	*v = ntohs((uint16_t)se->s_port);
	return 0;
}

/* iptables "80", "1000:2000", ":1024", "1024:" -> nft "80", "1000-2000". */
static int port_text(struct ipt_state *st, size_t wi, const char *v, char *out, size_t outlen)
{
	char buf[32], *colon;
	unsigned long lo = 0, hi = 65535;

	if (strlen(v) >= sizeof(buf) || !*v)
		return nsh_ipt_err_at(st, wi, "invalid port \"%s\"", v);
	strcpy(buf, v);
	colon = strchr(buf, ':');
	if (!colon) {
		if (port_num(buf, nsh_ipt_l4(st), &lo) < 0)
			return nsh_ipt_err_at(st, wi, "invalid port \"%s\" (a number, or a %s service "
					      "name of /etc/services)", v, nsh_ipt_l4(st));
		snprintf(out, outlen, "%lu", lo);
		return 0;
	}
	*colon = 0;
	if ((*buf && port_num(buf, nsh_ipt_l4(st), &lo) < 0) ||
	    (colon[1] && port_num(colon + 1, nsh_ipt_l4(st), &hi) < 0))
		return nsh_ipt_err_at(st, wi, "invalid port range \"%s\" (FIRST:LAST)", v);
	if (lo > hi)
		return nsh_ipt_err_at(st, wi, "port range \"%s\" is empty: its start is above its end", v);
	if (lo == hi)
		snprintf(out, outlen, "%lu", lo);
	else
		snprintf(out, outlen, "%lu-%lu", lo, hi);
	return 0;
}

/* See ipt_int.h. */
const char *nsh_ipt_l4(const struct ipt_state *st)
{
	return st->proto ? st->proto : st->tcp_module ? st->tcp_module : "";
}

/*
 * Ports need -p tcp or -p udp (not negated), or a -m tcp|udp whose -p comes
 * later (finish checks it); -1 after reporting.
 */
static int port_proto(struct ipt_state *st)
{
	const char *l4 = nsh_ipt_l4(st);

	if (strcmp(l4, "tcp") && strcmp(l4, "udp"))
		return nsh_ipt_err_at(st, st->i, "option \"%s\" needs \"-p tcp\" or \"-p udp\" before it",
			      st->w[st->i].s);
	if (st->proto_neg)
		return nsh_ipt_err_at(st, st->proto_word, "ports cannot be matched with \"! -p\"");
	return 0;
}

/* --sport/--dport (-m tcp/udp, loaded by -p): sport before dport, as iptables-translate. */
int nsh_ipt_xl_port(struct ipt_state *st, bool dport)
{
	const char *v;
	char txt[32];

	if (port_proto(st) < 0)
		return -1;
	if (!st->m_tcp)
		st->m_tcp = ++st->nmods;
	if (!(v = nsh_ipt_arg_of(st, "a port or FIRST:LAST")))
		return -1;
	if (port_text(st, st->i, v, txt, sizeof(txt)) < 0)
		return -1;
	st->ports_used = true;
	nsh_ipt_put(st, C_MATCH, st->m_tcp * SUB_MOD + dport, st->i, "%s %s %s%s", nsh_ipt_l4(st),
	    dport ? "dport" : "sport", nsh_ipt_neg_op(st), txt);
	return 0;
}

/* -m multiport --sports/--dports A,B:C -> a set (one port: a value). */
int nsh_ipt_xl_multiport(struct ipt_state *st, bool dport)
{
	const char *v;
	char buf[512], *tok, *save = NULL, txt[32];
	struct nsh_buf set;
	int n = 0;

	if (port_proto(st) < 0)
		return -1;
	if (!(v = nsh_ipt_arg_of(st, "a list of ports")))
		return -1;
	if (strlen(v) >= sizeof(buf))
		return nsh_ipt_err_at(st, st->i, "port list too long");
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
		return nsh_ipt_err_at(st, st->i, "multiport takes 1 to 15 ports, got %d", n);
	}
	st->multiport_used = true;
	nsh_ipt_put(st, C_MATCH, st->m_multiport * SUB_MOD + dport, st->i,
	    n == 1 ? "%s %s %s%s" : "%s %s %s{ %s }", nsh_ipt_l4(st), dport ? "dport" : "sport",
	    nsh_ipt_neg_op(st), set.s);
	nsh_buf_free(&set);
	return 0;
}

/*
 * A comma list of words of kind arg (of id only, unless id < 0) from the
 * value table (ipt_opts.c), any case; nsh_ipt_lower-cased, joined with sep.
 * what names the kind in errors, which list the words.
 */
static int name_list(struct ipt_state *st, const char *v, enum nsh_ipt_arg arg, int id,
		     const char *sep, const char *what, struct nsh_buf *out, int *count)
{
	char buf[256], *tok, *save = NULL, low[32];
	const struct nsh_ipt_val *w;
	struct nsh_buf names;
	int rc;

	*count = 0;
	if (strlen(v) >= sizeof(buf))
		return nsh_ipt_err_at(st, st->i, "%s list too long", what);
	strcpy(buf, v);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		w = nsh_ipt_val_find(arg, tok, true);
		if (!w || (id >= 0 && (int)w->id != id)) {
			nsh_buf_init(&names);
			nsh_ipt_val_names(arg, id, &names);
			rc = nsh_ipt_err_at(st, st->i, "unknown %s (%s): \"%s\"", what, names.s, tok);
			nsh_buf_free(&names);
			return rc;
		}
		nsh_ipt_lower(w->word, low, sizeof(low));
		nsh_buf_printf(out, "%s%s", (*count)++ ? sep : "", low);
	}
	if (!*count)
		return nsh_ipt_err_at(st, st->i, "an empty %s list", what);
	return 0;
}

/* -m addrtype --src-type/--dst-type TYPE[,TYPE] -> fib saddr|daddr type. */
int nsh_ipt_xl_addrtype(struct ipt_state *st, bool dst)
{
	struct nsh_buf set;
	const char *v;
	int n, rc;

	if (!(v = nsh_ipt_arg_of(st, "an address type such as LOCAL")))
		return -1;
	nsh_buf_init(&set);
	rc = name_list(st, v, NSH_IPT_A_ADDRTYPE, -1, ", ", "address type", &set, &n);
	if (rc == 0)
		nsh_ipt_put(st, C_MATCH, st->m_addrtype * SUB_MOD + dst, st->i,
		    n == 1 ? "fib %s type %s%s" : "fib %s type %s{ %s }", dst ? "daddr" : "saddr",
		    nsh_ipt_neg_op(st), set.s);
	nsh_buf_free(&set);
	return rc;
}

/*
 * -m conntrack --ctstate LIST (or -m state --state) -> ct state; the
 * virtual states SNAT and DNAT -> ct status (the two cannot mix in one
 * nft match).
 */
int nsh_ipt_xl_ctstate(struct ipt_state *st)
{
	const struct nsh_ipt_val *w;
	struct nsh_buf set;
	char buf[256], *tok, *save = NULL;
	int nstatus = 0, nstate = 0;
	const char *v;
	int n, rc;
	bool isnat;

	if (!(v = nsh_ipt_arg_of(st, "a list of states such as NEW,ESTABLISHED")))
		return -1;
	/* SNAT and DNAT are ct status, the others ct state: one nft match says one */
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if ((w = nsh_ipt_val_find(NSH_IPT_A_CTSTATE, tok, true)))
			*(w->id == NSH_IPT_V_CTSTATUS ? &nstatus : &nstate) += 1;
	if (nstatus && nstate)
		return nsh_ipt_err_at(st, st->i, "\"%s\" mixes SNAT/DNAT (ct status) with connection "
			      "states (ct state): one nft match cannot say both; write two lines", v);
	isnat = nstatus > 0;
	nsh_buf_init(&set);
	rc = name_list(st, v, NSH_IPT_A_CTSTATE, -1, ",", "conntrack state", &set, &n);
	/* "! --ctstate A,B": none of them, nft's "!" (not "!=", a compare of the whole value) */
	if (rc == 0)
		nsh_ipt_put(st, C_MATCH, st->m_conntrack * SUB_MOD + 1, st->i, "ct %s %s%s",
		    isnat ? "status" : "state", st->neg ? "! " : "", set.s);
	nsh_buf_free(&set);
	return rc;
}

/* -m conntrack --ctstatus LIST -> ct status (any of them; "!": none of them). */
int nsh_ipt_xl_ctstatus(struct ipt_state *st)
{
	const char *v = nsh_ipt_arg_of(st, "a list of statuses such as ASSURED,CONFIRMED");
	struct nsh_buf set;
	int n, rc;

	if (!v)
		return -1;
	if (!strcasecmp(v, "NONE"))
		return nsh_ipt_err_at(st, st->i, "--ctstatus NONE tests no status bit: it never "
				      "matches (\"!\": always); leave it out");
	nsh_buf_init(&set);
	rc = name_list(st, v, NSH_IPT_A_CTSTATUS, -1, ",", "conntrack status", &set, &n);
	for (size_t k = 0; rc == 0 && k < set.len; k++)
		if (set.s[k] == '_')
			set.s[k] = '-';	/* SEEN_REPLY: nft's seen-reply */
	if (rc == 0)
		nsh_ipt_put(st, C_MATCH, st->m_conntrack * SUB_MOD + 2, st->i, "ct status %s%s",
			    st->neg ? "! " : "", set.s);
	nsh_buf_free(&set);
	return rc;
}

/* -m conntrack --ctdir ORIGINAL|REPLY -> ct direction (iptables takes no "!" here). */
int nsh_ipt_xl_ctdir(struct ipt_state *st)
{
	size_t oi = st->i;
	const char *v = nsh_ipt_arg_of(st, "ORIGINAL or REPLY");
	const struct nsh_ipt_val *d;
	char low[16];

	if (!v)
		return -1;
	if (st->neg)
		return nsh_ipt_err_at(st, oi, "option \"--ctdir\" cannot be inverted (iptables says so "
				      "too): write the other direction");
	if (!(d = nsh_ipt_val_find(NSH_IPT_A_CTDIR, v, true)))
		return nsh_ipt_err_at(st, st->i, "unknown direction \"%s\" (ORIGINAL, REPLY)", v);
	nsh_ipt_lower(d->word, low, sizeof(low));
	nsh_ipt_put(st, C_MATCH, st->m_conntrack * SUB_MOD, st->i, "ct direction %s", low);
	return 0;
}

/*
 * -m statistic, written once all its options are read.  nth: "numgen inc
 * mod EVERY PACKET" ("!=" for "! --every"), as iptables-translate writes
 * it: a counter 0..EVERY-1 per rule, matching once per round.  random: iptables
 * matches when (random & 0x7fffffff) < round(P * 2^31); iptables-translate
 * writes "meta random & 2147483647 < X", for which natsh's model has no
 * bitwise; "meta random < 2X" takes the same share of all 32-bit numbers,
 * so it matches with exactly the same probability.
 */
int nsh_ipt_xl_statistic(struct ipt_state *st)
{
	uint64_t x;

	if (st->stat_mode == 0)
		return nsh_ipt_err_at(st, st->stat_word, "-m statistic needs --mode random or --mode nth");
	if (st->stat_mode == 2) {
		if (st->has_prob)
			return nsh_ipt_err_at(st, st->stat_word, "--probability belongs to --mode random");
		if (!st->has_every || !st->has_packet)
			return nsh_ipt_err_at(st, st->stat_word, "statistic --mode nth needs --every N and "
				      "--packet P");
		if (st->packet >= st->every)
			return nsh_ipt_err_at(st, st->packet_word, "--packet %u must be below --every %u "
				      "(0 to %u)", st->packet, st->every, st->every - 1);
		nsh_ipt_put(st, C_MATCH, st->m_statistic * SUB_MOD, st->stat_word, "numgen inc mod %u %s%u",
		    st->every, st->stat_neg ? "!= " : "", st->packet);
		return 0;
	}
	if (!st->has_prob)
		return nsh_ipt_err_at(st, st->stat_word, "statistic --mode random needs --probability P");
	if (st->has_every || st->has_packet)
		return nsh_ipt_err_at(st, st->stat_word, "--every and --packet belong to --mode nth");
	x = nsh_round_u64(st->prob * 2147483648.0) * 2;
	if (x >= 4294967296ULL) {
		if (st->stat_neg)
			return nsh_ipt_err_at(st, st->stat_word, "\"! --probability 1\" never matches");
		nsh_ipt_put(st, C_MATCH, st->m_statistic * SUB_MOD, st->stat_word,
			    "meta random <= 4294967295");
	} else {
		nsh_ipt_put(st, C_MATCH, st->m_statistic * SUB_MOD, st->stat_word, "meta random %s %llu",
		    st->stat_neg ? ">=" : "<", (unsigned long long)x);
	}
	return 0;
}

/* iptables' own targets natsh does not translate (anything else is a chain name). */
static bool is_xt_target(const char *t)
{
	static const char *const known[] = {
		"LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "NETMAP", "CT", "NOTRACK", "TPROXY",
		"TRACE", "CLASSIFY", "DSCP", "TOS", "TTL", "HL", "SET", "AUDIT", "CHECKSUM",
		"TCPMSS", "TCPOPTSTRIP", "QUEUE", "NFQUEUE", "HMARK", "SECMARK", "CONNSECMARK",
		"IDLETIMER", "LED", "RATEEST", "SYNPROXY", "TEE", "CLUSTERIP", "ECN", "DNPT",
		"SNPT", "MIRROR", "SAME", "JOOL",
	};
	size_t k;

	for (k = 0; k < NSH_ARRAY_SIZE(known); k++)
		if (strcmp(t, known[k]) == 0)
			return true;
	return false;
}

/* The target and its --to/flags. */
int nsh_ipt_xl_target(struct ipt_state *st)
{
	static const char *const flagnames[] = { "random", "fully-random", "persistent" };
	const char *t = st->target, *fam = "";
	const struct nsh_ipt_val *tv = t ? nsh_ipt_val_find(NSH_IPT_A_TARGET, t, false) : NULL;
	size_t ti = st->target_word, k;
	char flags[64] = "", to[128], low[64];
	struct nsh_buf names;
	bool nat;
	int rc;

	if (st->table_family == NSH_FAM_INET)
		fam = st->c->family == NSH_FAM_IP6 ? " ip6" : " ip";
	for (k = 0; k < 3; k++)
		if (st->flag_word[k])
			snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags), "%s%s",
				 flags[0] ? "," : " ", flagnames[k]);
	if (!t) {
		if (!st->to && !flags[0])
			return 0;
		nsh_buf_init(&names);
		nsh_ipt_val_names(NSH_IPT_A_TARGET, NSH_IPT_V_NAT, &names);
		rc = nsh_ipt_err_at(st, st->to ? st->to_word : st->flag_word[0] + st->flag_word[1] +
				    st->flag_word[2] - 1, "this option needs a target: -j %s", names.s);
		nsh_buf_free(&names);
		return rc;
	}
	nat = tv && tv->id == NSH_IPT_V_NAT;
	if (!nat) {
		if (!tv && is_xt_target(t)) {
			nsh_buf_init(&names);
			nsh_ipt_val_names(NSH_IPT_A_TARGET, -1, &names);
			rc = nsh_ipt_err_at(st, ti, "target \"%s\" is not supported by natsh (%s or a "
					    "chain)", t, names.s);
			nsh_buf_free(&names);
			return rc;
		}
		if (st->to || flags[0])
			return nsh_ipt_err_at(st, st->to ? st->to_word : ti,
				      "target %s takes no --to option or NAT flags", t);
		if (tv && tv->id == NSH_IPT_V_VERDICT) {
			nsh_ipt_lower(t, low, sizeof(low));
			nsh_ipt_put(st, C_TARGET, 0, ti, "%s", low);
			return 0;
		}
		if (!strcmp(t, "DROP") || !strcmp(t, "REJECT"))
			return nsh_ipt_err_at(st, ti, "target %s is not valid in the nat table (filter in the "
				      "filter table)", t);
		nsh_ipt_put(st, C_TARGET, 0, ti, "jump %s", nsh_ipt_chain_name(t));
		return 0;
	}
	if (st->flag_word[2] && (t[0] == 'M' || t[0] == 'R'))
		return nsh_ipt_err_at(st, st->flag_word[2] - 1, "--persistent belongs to SNAT and DNAT");
	if (t[0] == 'S' || t[0] == 'D') {
		if (!st->to)
			return nsh_ipt_err_at(st, ti, "-j %s needs %s ADDR[-ADDR][:PORT[-PORT]]", t,
				      t[0] == 'S' ? "--to-source" : "--to-destination");
		snprintf(to, sizeof(to), "%s", st->to);
		nsh_ipt_put(st, C_TARGET, 0, st->to_word, "%s%s to %s%s", t[0] == 'S' ? "snat" : "dnat",
		    fam, to, flags);
		return 0;
	}
	if (st->to) {
		if (!st->proto || (strcmp(st->proto, "tcp") && strcmp(st->proto, "udp")))
			return nsh_ipt_err_at(st, st->to_word - 1, "--to-ports needs \"-p tcp\" or \"-p udp\" "
				      "(as iptables says)");
		snprintf(to, sizeof(to), "%s", st->to);
		for (char *p = to; *p; p++)
			if (*p == ':')
				*p = '-';
		nsh_ipt_put(st, C_TARGET, 0, st->to_word, "%s to :%s%s",
		    t[0] == 'M' ? "masquerade" : "redirect", to, flags);
	} else {
		nsh_ipt_put(st, C_TARGET, 0, ti, "%s%s", t[0] == 'M' ? "masquerade" : "redirect", flags);
	}
	return 0;
}


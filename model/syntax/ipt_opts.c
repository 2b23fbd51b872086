/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The iptables options model/ipt.c translates: its recognition, completion and help (see ipt_opts.h). */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "model/syntax/ipt_opts.h"

const struct nsh_ipt_opt nsh_ipt_opts[] = {
	{ "-t", NULL, NULL, NSH_IPT_A_TABLE, "the table (nat is the only one)", "nat",
	  "--table", NSH_IPT_O_TABLE, false, false },
	{ "-A", NULL, NULL, NSH_IPT_A_CHAIN, "append the rule to CHAIN", "PREROUTING",
	  "--append", NSH_IPT_O_APPEND, false, false },
	{ "-I", NULL, NULL, NSH_IPT_A_CHAIN, "insert the rule first in CHAIN (or at N)", "PREROUTING",
	  "--insert", NSH_IPT_O_INSERT, false, false },
	{ "-R", NULL, NULL, NSH_IPT_A_CHAIN, "replace rule N of CHAIN", "PREROUTING",
	  "--replace", NSH_IPT_O_REPLACE, false, false },
	{ "-D", NULL, NULL, NSH_IPT_A_CHAIN, "delete rule N of CHAIN, or the rule that says the same",
	  "PREROUTING", "--delete", NSH_IPT_O_DELETE, false, false },
	{ "-F", NULL, NULL, NSH_IPT_A_CHAIN_OPT, "delete every rule of CHAIN (or of the table)", "",
	  "--flush", NSH_IPT_O_FLUSH, false, false },
	{ "-s", NULL, NULL, NSH_IPT_A_ADDR, "source address or prefix", "192.0.2.0/24",
	  "--source|--src", NSH_IPT_O_SADDR, false, false },
	{ "-d", NULL, NULL, NSH_IPT_A_ADDR, "destination address or prefix", "198.51.100.1",
	  "--destination|--dst", NSH_IPT_O_DADDR, false, false },
	{ "-i", NULL, NULL, NSH_IPT_A_IFACE, "input interface", "eth0",
	  "--in-interface", NSH_IPT_O_IIF, false, false },
	{ "-o", NULL, NULL, NSH_IPT_A_IFACE, "output interface", "eth0",
	  "--out-interface", NSH_IPT_O_OIF, false, false },
	{ "-p", NULL, NULL, NSH_IPT_A_PROTO, "protocol", "tcp",
	  "--protocol", NSH_IPT_O_PROTO, false, false },
	{ "-m", NULL, NULL, NSH_IPT_A_MATCH, "load a match module", "comment",
	  "--match", NSH_IPT_O_MATCH, false, false },
	{ "-j", NULL, NULL, NSH_IPT_A_TARGET, "the target", "ACCEPT",
	  "--jump", NSH_IPT_O_JUMP, false, false },
	{ "--sport", "tcp", NULL, NSH_IPT_A_PORT, "source port or FIRST:LAST", "1024:65535",
	  "--source-port", NSH_IPT_O_SPORT, false, false },
	{ "--dport", "tcp", NULL, NSH_IPT_A_PORT, "destination port or FIRST:LAST", "80",
	  "--destination-port", NSH_IPT_O_DPORT, false, false },
	{ "--sport", "udp", NULL, NSH_IPT_A_PORT, "source port or FIRST:LAST", "53",
	  "--source-port", NSH_IPT_O_SPORT, false, false },
	{ "--dport", "udp", NULL, NSH_IPT_A_PORT, "destination port or FIRST:LAST", "53",
	  "--destination-port", NSH_IPT_O_DPORT, false, false },
	{ "--sports", "multiport", NULL, NSH_IPT_A_PORTS, "source ports PORT,PORT,...", "80,443",
	  "--source-ports", NSH_IPT_O_SPORTS, false, false },
	{ "--dports", "multiport", NULL, NSH_IPT_A_PORTS, "destination ports PORT,PORT,...", "80,443",
	  "--destination-ports", NSH_IPT_O_DPORTS, false, false },
	{ "--src-type", "addrtype", NULL, NSH_IPT_A_ADDRTYPE, "source address type (fib saddr type)",
	  "LOCAL",
	  NULL, NSH_IPT_O_SRC_TYPE, false, false },
	{ "--dst-type", "addrtype", NULL, NSH_IPT_A_ADDRTYPE,
	  "destination address type (fib daddr type)", "LOCAL",
	  NULL, NSH_IPT_O_DST_TYPE, false, false },
	{ "--mode", "statistic", NULL, NSH_IPT_A_MODE, "random or nth", "random",
	  NULL, NSH_IPT_O_MODE, true, false },
	{ "--probability", "statistic", NULL, NSH_IPT_A_NUMBER, "match with probability P (0..1)",
	  "0.5",
	  NULL, NSH_IPT_O_PROBABILITY, false, false },
	{ "--comment", "comment", NULL, NSH_IPT_A_STRING, "the rule's comment", "web",
	  NULL, NSH_IPT_O_COMMENT, false, false },
	{ "--ctstate", "conntrack", NULL, NSH_IPT_A_CTSTATE, "conntrack states STATE,STATE,...",
	  "NEW",
	  NULL, NSH_IPT_O_CTSTATE, false, false },
	{ "--state", "state", NULL, NSH_IPT_A_CTSTATE, "conntrack states STATE,STATE,...", "NEW",
	  NULL, NSH_IPT_O_CTSTATE, false, false },
	{ "--to-source", NULL, "SNAT", NSH_IPT_A_TO, "the new source ADDR[:PORT]", "198.51.100.1",
	  NULL, NSH_IPT_O_TO, false, false },
	{ "--to-destination", NULL, "DNAT", NSH_IPT_A_TO, "the new destination ADDR[:PORT]",
	  "192.0.2.10:80",
	  NULL, NSH_IPT_O_TO, false, false },
	{ "--to-ports", NULL, "MASQUERADE|REDIRECT", NSH_IPT_A_TO, "the new port(s) PORT[-PORT]",
	  "8080",
	  "--to", NSH_IPT_O_TO, false, false },
	{ "--random", NULL, "SNAT|DNAT|MASQUERADE|REDIRECT", NSH_IPT_A_NONE,
	  "randomise the port mapping", NULL,
	  NULL, NSH_IPT_O_RANDOM, false, false },
	{ "--random-fully", NULL, "SNAT|MASQUERADE", NSH_IPT_A_NONE,
	  "fully randomise the source port", NULL,
	  NULL, NSH_IPT_O_RANDOM_FULLY, false, false },
	{ "--persistent", NULL, "SNAT|DNAT", NSH_IPT_A_NONE,
	  "the same address for a client each time", NULL,
	  NULL, NSH_IPT_O_PERSISTENT, false, false },
	{ "--every", "statistic", NULL, NSH_IPT_A_NUMBER, "with --mode nth: one packet in N (with --packet)",
	  "2", NULL, NSH_IPT_O_EVERY, false, false },
	{ "--packet", "statistic", NULL, NSH_IPT_A_NUMBER,
	  "with --mode nth: which of the N packets, 0..N-1", "1", NULL,
	  NSH_IPT_O_PACKET, true, false },
	{ "--mark", "mark", NULL, NSH_IPT_A_NUMBER, "packet mark VALUE (VALUE/MASK: not yet)", "0x1",
	  NULL, NSH_IPT_O_MARK, false, false },
	{ "--mark", "connmark", NULL, NSH_IPT_A_NUMBER, "connection mark VALUE (VALUE/MASK: not yet)",
	  "0x1", NULL, NSH_IPT_O_MARK, false, false },
	{ "--src-range", "iprange", NULL, NSH_IPT_A_ADDR, "source addresses FIRST-LAST",
	  "192.0.2.1-192.0.2.9", NULL, NSH_IPT_O_SRC_RANGE, false, false },
	{ "--dst-range", "iprange", NULL, NSH_IPT_A_ADDR, "destination addresses FIRST-LAST",
	  "198.51.100.1-198.51.100.9", NULL, NSH_IPT_O_DST_RANGE, false, false },
	{ "--ctstatus", "conntrack", NULL, NSH_IPT_A_CTSTATUS, "conntrack status STATUS,STATUS,...",
	  "ASSURED", NULL, NSH_IPT_O_CTSTATUS, false, false },
	{ "--ctdir", "conntrack", NULL, NSH_IPT_A_CTDIR, "the packet's direction: ORIGINAL or REPLY",
	  "REPLY", NULL, NSH_IPT_O_CTDIR, true, false },
	/* known to the translator, not offered: refused with a reason, or a no-op */
	{ "-w", NULL, NULL, NSH_IPT_A_NONE, "wait for the xtables lock (natsh commits atomically)",
	  NULL, "--wait", NSH_IPT_O_WAIT, false, true },
	{ "--ports", "multiport", NULL, NSH_IPT_A_PORTS, "not supported yet: use --sports or --dports",
	  NULL,
	  NULL, NSH_IPT_O_PORTS, false, true },
	{ "-g", NULL, NULL, NSH_IPT_A_TARGET, "refused: use -j", NULL, "--goto", NSH_IPT_O_GOTO,
	  false, true },
	{ "--syn", "tcp", NULL, NSH_IPT_A_NONE,
	  "nft's form is tcp flags & (fin|syn|rst|ack) == syn, and natsh has no tcp flags key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ "--tcp-flags", "tcp", NULL, NSH_IPT_A_NONE,
	  "nft's form is tcp flags & (MASK) == COMP, and natsh has no tcp flags key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ "--tcp-option", "tcp", NULL, NSH_IPT_A_NONE,
	  "nft's form is tcp option N exists, and natsh has no tcp option key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ "-f", NULL, NULL, NSH_IPT_A_NONE,
	  "nft's form is ip frag-off & 0x1fff != 0, and natsh has no ip frag-off key", NULL,
	  "--fragment", NSH_IPT_O_PENDING, false, true },
	{ "--mac-source", "mac", NULL, NSH_IPT_A_NONE,
	  "nft's form is ether saddr, and natsh has no ether key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ "--ctproto", "conntrack", NULL, NSH_IPT_A_NONE,
	  "nft's form is ct original protocol, and natsh has no such ct key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ "--ctorigsrc", "conntrack", NULL, NSH_IPT_A_NONE,
	  "nft's form is ct original saddr, and natsh has no such ct key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ "--ctorigdst", "conntrack", NULL, NSH_IPT_A_NONE,
	  "nft's form is ct original daddr, and natsh has no such ct key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ "--ctreplsrc", "conntrack", NULL, NSH_IPT_A_NONE,
	  "nft's form is ct reply saddr, and natsh has no such ct key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ "--ctrepldst", "conntrack", NULL, NSH_IPT_A_NONE,
	  "nft's form is ct reply daddr, and natsh has no such ct key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ "--ctorigsrcport", "conntrack", NULL, NSH_IPT_A_NONE,
	  "nft's form is ct original proto-src, and natsh has no such ct key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ "--ctorigdstport", "conntrack", NULL, NSH_IPT_A_NONE,
	  "nft's form is ct original proto-dst, and natsh has no such ct key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ "--ctreplsrcport", "conntrack", NULL, NSH_IPT_A_NONE,
	  "nft's form is ct reply proto-src, and natsh has no such ct key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ "--ctrepldstport", "conntrack", NULL, NSH_IPT_A_NONE,
	  "nft's form is ct reply proto-dst, and natsh has no such ct key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ "--ctexpire", "conntrack", NULL, NSH_IPT_A_NONE,
	  "nft's form is ct expiration, and natsh has no such ct key", NULL,
	  NULL, NSH_IPT_O_PENDING, false, true },
	{ NULL, NULL, NULL, NSH_IPT_A_NONE, NULL, NULL, NULL, NSH_IPT_O_NONE, false, false },
};

const struct nsh_ipt_val nsh_ipt_vals[] = {
	{ NSH_IPT_A_TABLE, "nat", "the NAT table", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CHAIN, "PREROUTING", "before routing: DNAT (natsh: prerouting)", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CHAIN, "OUTPUT", "the router's own packets: DNAT (natsh: output)", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CHAIN, "POSTROUTING", "after routing: SNAT, MASQUERADE (natsh: postrouting)",
	  NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CHAIN, "INPUT", "to the router itself: SNAT (natsh: input)", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_PROTO, "tcp", "TCP", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_PROTO, "udp", "UDP", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_PROTO, "icmp", "ICMP", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_MATCH, "tcp", "--sport, --dport (numbers or names)", NSH_IPT_V_TCP },
	{ NSH_IPT_A_MATCH, "udp", "--sport, --dport", NSH_IPT_V_UDP },
	{ NSH_IPT_A_MATCH, "multiport", "--sports, --dports", NSH_IPT_V_MULTIPORT },
	{ NSH_IPT_A_MATCH, "addrtype", "--src-type, --dst-type", NSH_IPT_V_ADDRTYPE },
	{ NSH_IPT_A_MATCH, "statistic", "--mode random --probability P, or --mode nth --every N --packet P",
	  NSH_IPT_V_STATISTIC },
	{ NSH_IPT_A_MATCH, "comment", "--comment TEXT", NSH_IPT_V_COMMENT },
	{ NSH_IPT_A_MATCH, "conntrack", "--ctstate STATES, --ctstatus STATUSES, --ctdir DIR",
	  NSH_IPT_V_CONNTRACK },
	{ NSH_IPT_A_MATCH, "state", "--state STATES", NSH_IPT_V_CONNTRACK },
	{ NSH_IPT_A_MATCH, "mark", "--mark VALUE: the packet mark (meta mark)", NSH_IPT_V_MARK },
	{ NSH_IPT_A_MATCH, "connmark", "--mark VALUE: the connection mark (ct mark)",
	  NSH_IPT_V_CONNMARK },
	{ NSH_IPT_A_MATCH, "iprange", "--src-range, --dst-range FIRST-LAST", NSH_IPT_V_IPRANGE },
	{ NSH_IPT_A_ADDRTYPE, "LOCAL", "an address of the router", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_ADDRTYPE, "UNICAST", "a unicast address", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_ADDRTYPE, "BROADCAST", "a broadcast address", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_ADDRTYPE, "MULTICAST", "a multicast address", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_ADDRTYPE, "ANYCAST", "an anycast address", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_ADDRTYPE, "UNSPEC", "an unspecified address", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_ADDRTYPE, "BLACKHOLE", "routed to a blackhole", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_ADDRTYPE, "UNREACHABLE", "routed as unreachable", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_ADDRTYPE, "PROHIBIT", "routed as prohibited", NSH_IPT_V_PLAIN },
	/* iptables' THROW, NAT and XRESOLVE have no nft fib type: refused */
	{ NSH_IPT_A_CTSTATE, "NEW", "the first packet of a connection", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CTSTATE, "ESTABLISHED", "a connection seen both ways", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CTSTATE, "RELATED", "related to a known connection", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CTSTATE, "INVALID", "not part of a known connection", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CTSTATE, "UNTRACKED", "not tracked", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CTSTATE, "DNAT", "destination translated (ct status dnat)", NSH_IPT_V_CTSTATUS },
	{ NSH_IPT_A_CTSTATE, "SNAT", "source translated (ct status snat)", NSH_IPT_V_CTSTATUS },
	/* --ctstatus: iptables' NONE (no bit, never matches) is refused */
	{ NSH_IPT_A_CTSTATUS, "EXPECTED", "an expected connection (ct status expected)",
	  NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CTSTATUS, "SEEN_REPLY", "packets seen both ways (ct status seen-reply)",
	  NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CTSTATUS, "ASSURED", "will not be dropped early (ct status assured)",
	  NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CTSTATUS, "CONFIRMED", "confirmed (ct status confirmed)", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CTDIR, "ORIGINAL", "the way the connection was opened", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_CTDIR, "REPLY", "back to the opener", NSH_IPT_V_PLAIN },
	{ NSH_IPT_A_MODE, "random", "match at random with --probability", NSH_IPT_V_RANDOM },
	{ NSH_IPT_A_MODE, "nth", "match one packet in N: --every N --packet P", NSH_IPT_V_NTH },
	{ NSH_IPT_A_TARGET, "DNAT", "new destination: --to-destination", NSH_IPT_V_NAT },
	{ NSH_IPT_A_TARGET, "SNAT", "new source: --to-source", NSH_IPT_V_NAT },
	{ NSH_IPT_A_TARGET, "MASQUERADE", "source: the output interface's address", NSH_IPT_V_NAT },
	{ NSH_IPT_A_TARGET, "REDIRECT", "to the router itself (--to-ports)", NSH_IPT_V_NAT },
	{ NSH_IPT_A_TARGET, "ACCEPT", "stop here, untranslated", NSH_IPT_V_VERDICT },
	{ NSH_IPT_A_TARGET, "RETURN", "back to the calling chain", NSH_IPT_V_VERDICT },
	{ NSH_IPT_A_NONE, NULL, NULL, NSH_IPT_V_PLAIN },
};

/* Whether word is one of the "|"-separated spellings in list. */
static bool spelled(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = list; p; p = strchr(p, '|'), p = p ? p + 1 : NULL)
		if (!strncmp(p, word, n) && (p[n] == '\0' || p[n] == '|'))
			return true;
	return false;
}

/* The translator's lookup: the table is where an option is known (see ipt_opts.h). */
const struct nsh_ipt_opt *nsh_ipt_opt_find(const char *word)
{
	const struct nsh_ipt_opt *o;

	for (o = nsh_ipt_opts; o->name; o++)
		if (!strcmp(o->name, word) || (o->aliases && spelled(o->aliases, word)))
			return o;
	return NULL;
}

/* See ipt_opts.h. */
const struct nsh_ipt_val *nsh_ipt_val_find(enum nsh_ipt_arg arg, const char *word, bool nocase)
{
	const struct nsh_ipt_val *v;

	for (v = nsh_ipt_vals; v->word; v++)
		if (v->arg == arg && (nocase ? !strcasecmp(v->word, word) : !strcmp(v->word, word)))
			return v;
	return NULL;
}

/* See ipt_opts.h. */
size_t nsh_ipt_val_names(enum nsh_ipt_arg arg, int id, struct nsh_buf *b)
{
	const struct nsh_ipt_val *v;
	size_t n = 0;

	for (v = nsh_ipt_vals; v->word; v++)
		if (v->arg == arg && (id < 0 || (int)v->id == id)) {
			if (n++)
				nsh_buf_puts(b, ", ");
			nsh_buf_puts(b, v->word);
		}
	return n;
}

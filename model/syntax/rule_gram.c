/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rule grammar as data (see rule_gram.h). */
#include <stdio.h>
#include <string.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>

#include "model/syntax/rule_gram.h"
#include "lib/util.h"

const struct nsh_rg_word nsh_rg_key_words[] = {
	{ "iifname", "match the input interface name (eth* wildcards)", 0 },
	{ "oifname", "match the output interface name (eth* wildcards)", 0 },
	{ "meta", "match packet meta data: l4proto, mark, nfproto, random", 0 },
	{ "ip", "match an IPv4 header field: saddr, daddr, protocol", 0 },
	{ "ip6", "match an IPv6 header field: saddr, daddr, nexthdr", 0 },
	{ "tcp", "match a TCP port: sport, dport", 0 },
	{ "udp", "match a UDP port: sport, dport", 0 },
	{ "th", "match a port of any transport protocol: sport, dport", 0 },
	{ "ct", "match connection tracking: state, status, mark, direction", 0 },
	{ "fib", "match the route type of an address: saddr type, daddr type", 0 },
	{ "numgen", "match a generated number: numgen inc|random mod N [offset O] VALUE", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_stmts[] = {
	{ "counter", "count packets and bytes (natsh adds one unless nocounter)", NSH_RG_COUNTER },
	{ "nocounter", "do not add the counter natsh adds by default", NSH_RG_NOCOUNTER },
	{ "dnat", "rewrite the destination: dnat [ip|ip6] to ADDR[:PORT]", NSH_RG_DNAT },
	{ "snat", "rewrite the source: snat [ip|ip6] to ADDR[:PORT]", NSH_RG_SNAT },
	{ "masquerade", "rewrite the source to the output interface's address", NSH_RG_MASQ },
	{ "redirect", "deliver to this host: redirect [to :PORT]", NSH_RG_REDIR },
	{ "accept", "stop evaluating NAT rules for the packet", NSH_RG_ACCEPT },
	{ "drop", "drop the packet", NSH_RG_DROP },
	{ "return", "return to the calling chain", NSH_RG_RETURN },
	{ "jump", "continue in CHAIN, then come back", NSH_RG_JUMP },
	{ "goto", "continue in CHAIN, do not come back", NSH_RG_GOTO },
	{ "comment", "attach a comment: comment \"TEXT\"", NSH_RG_COMMENT },
	{ "reject", "refuse the packet: reject [with tcp reset | with icmp|icmpv6|icmpx CODE]",
	  NSH_RG_REJECT },
	{ "limit", "match at most a rate: limit rate [over] N/second [burst N packets]",
	  NSH_RG_LIMIT },
	{ "quota", "match until a byte count: quota [over] N mbytes [used N bytes]", NSH_RG_QUOTA },
	{ "log", "log the packet: log [prefix \"P\"] [level L] [group N] [flags F]", NSH_RG_LOG },
	{ "notrack", "do not track the connection (raw priority chains)", NSH_RG_NOTRACK },
	{ "add", "add to a named set: add @SET { KEY [. KEY] [timeout T] }", NSH_RG_DYN_ADD },
	{ "update", "add to or refresh in a named set: update @SET { KEY [timeout T] }",
	  NSH_RG_DYN_UPDATE },
	{ "delete", "delete from a named set: delete @SET { KEY }", NSH_RG_DYN_DELETE },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_with_word[] = {
	{ "with", "how to refuse: with tcp reset, with icmp CODE...", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_reject_kinds[] = {
	{ "tcp", "answer with a TCP reset: with tcp reset", 1 },
	{ "icmp", "answer with an ICMP unreachable code (IPv4)", NSH_FAM_IP },
	{ "icmpv6", "answer with an ICMPv6 unreachable code (IPv6)", NSH_FAM_IP6 },
	{ "icmpx", "answer with an ICMP code for either family (inet tables)", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_reset_word[] = {
	{ "reset", "a TCP reset", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_rate_word[] = {
	{ "rate", "the rate follows: [over] N/UNIT or N bytes/UNIT", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_time_units[] = {
	{ "second", "per second", 1 }, { "minute", "per minute", 60 },
	{ "hour", "per hour", 3600 }, { "day", "per day", 86400 }, { "week", "per week", 604800 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_byte_units[] = {
	{ "bytes", "bytes", 0 }, { "kbytes", "kibibytes (1024 bytes)", 10 },
	{ "mbytes", "mebibytes (1048576 bytes)", 20 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_log_opts[] = {
	{ "prefix", "text before the log line: prefix \"TEXT\"", NSH_LOG_PREFIX },
	{ "level", "syslog level: emerg ... debug, audit (default warn)", NSH_LOG_LEVEL },
	{ "group", "log to nflog group N instead of syslog", NSH_LOG_GROUP },
	{ "snaplen", "nflog: bytes of the packet to copy", NSH_LOG_SNAPLEN },
	{ "queue-threshold", "nflog: packets to queue before sending", NSH_LOG_QTHRESH },
	{ "flags", "also log: tcp sequence,options | ip options | skuid | ether | all",
	  NSH_LOG_FLAGS },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_log_levels[] = {
	{ "emerg", "level 0", 0 }, { "alert", "level 1", 1 }, { "crit", "level 2", 2 },
	{ "err", "level 3", 3 }, { "warn", "level 4 (the default)", 4 },
	{ "notice", "level 5", 5 }, { "info", "level 6", 6 }, { "debug", "level 7", 7 },
	{ "audit", "to the audit log", 8 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_set_word[] = {
	{ "set", "set the field: FIELD set VALUE", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_ops[] = {
	{ "==", "equal (the default)", NSH_OP_EQ },
	{ "!=", "not equal / not in", NSH_OP_NEQ },
	{ "<", "less than", NSH_OP_LT },
	{ ">", "greater than", NSH_OP_GT },
	{ "<=", "less than or equal", NSH_OP_LTE },
	{ ">=", "greater than or equal", NSH_OP_GTE },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_flags_not[] = {
	{ "!", "none of the flags (ct state ! established,related)", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_nat_families[] = {
	{ "ip", "IPv4 address follows", NSH_FAM_IP },
	{ "ip6", "IPv6 address follows", NSH_FAM_IP6 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_nat_flags[] = {
	{ "random", "randomize the port mapping", NF_NAT_RANGE_PROTO_RANDOM },
	{ "persistent", "give a client the same address each time", NF_NAT_RANGE_PERSISTENT },
	{ "fully-random", "fully randomize the port mapping", NF_NAT_RANGE_PROTO_RANDOM_FULLY },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_numgen_modes[] = {
	{ "random", "pick a random number each time", NFT_NG_RANDOM },
	{ "inc", "count up, round-robin", NFT_NG_INCREMENTAL },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_nat_to[] = {
	{ "to", "the new address and/or port follows", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_map_word[] = {
	{ "map", "a map { KEY : ADDR, ... } follows", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_vmap_word[] = {
	{ "vmap", "a verdict from a map: vmap { KEY : VERDICT, ... } or vmap @NAME", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_concat_word[] = {
	{ ".", "concatenate another key: ip daddr . tcp dport { ADDR . PORT, ... }", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_vmap_verdicts[] = {
	{ "accept", "accept the packet", NSH_V_ACCEPT },
	{ "drop", "drop the packet", NSH_V_DROP },
	{ "return", "return to the calling chain", NSH_V_RETURN },
	{ "continue", "go on with the next statement", NSH_V_CONTINUE },
	{ "jump", "continue in CHAIN, then come back", NSH_V_JUMP },
	{ "goto", "continue in CHAIN, do not come back", NSH_V_GOTO },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_mod_word[] = {
	{ "mod", "modulus: numbers 0..N-1 are generated", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_offset_word[] = {
	{ "offset", "start at O: numbers O..O+N-1 are generated", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_numgen_word[] = {
	{ "numgen", "spread over a map by a generated number: numgen random|inc mod N map { ... }", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_nat_map_keys[] = {
	{ "tcp", "map by TCP port: tcp dport map { ... }", 0 },
	{ "udp", "map by UDP port: udp dport map { ... }", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_value_forms[] = {
	{ "V-V", "a range: 80-90, 192.0.2.1-192.0.2.9", 0 },
	{ "ADDR/LEN", "a prefix: 192.0.2.0/24", 0 },
	{ "{ V, V-V }", "a set, any of: { 80, 443, 1000-2000 }", 0 },
	{ "F,F", "flags, any of: ct state established,related", 0 },
	{ "@NAME", "a named set of the table", 0 },
	{ "{ K : A . P }", "map data of an address and a port: { 8080 : 192.0.2.10 . 80 }", 0 },
	{ "K . K { V . V }", "a concatenation: ip saddr . tcp dport { 192.0.2.1 . 22, 192.0.2.0/24 . 80-90 }", 0 },
	{ "K vmap { V : VERDICT }", "a verdict map: tcp dport vmap { 22 : accept, 80 : jump web }", 0 },
	{ NULL, NULL, 0 },
};

const struct nsh_rg_word nsh_rg_nat_rules[] = {
	{ ":PORT", "needs a transport match before it (tcp dport, udp dport, meta l4proto...)", 0 },
	{ "inet", "dnat and snat in an inet table say ip or ip6 unless the address does", 0 },
	{ NULL, NULL, 0 },
};

const char *nsh_rg_type_expect(enum nsh_type type, int allow_range)
{
	switch (type) {
	case NSH_T_IFNAME:	return "an interface name (\"eth*\" matches a prefix)";
	case NSH_T_IPV4:	return allow_range ? "an IPv4 address, prefix or range" : "an IPv4 address";
	case NSH_T_IPV6:	return allow_range ? "an IPv6 address, prefix or range" : "an IPv6 address";
	case NSH_T_PORT:	return allow_range ? "a port number or range" : "a port number";
	case NSH_T_L4PROTO:	return "a protocol name or number (tcp, udp, icmp...)";
	case NSH_T_NFPROTO:	return "ipv4 or ipv6";
	case NSH_T_MARK:	return allow_range ? "a mark (number or 0xHEX) or range" : "a mark (number or 0xHEX)";
	case NSH_T_CT_STATE:	return "a ct state (new, established, related, invalid, untracked)";
	case NSH_T_CT_STATUS:	return "a ct status (snat, dnat, confirmed, assured, seen-reply...)";
	case NSH_T_CT_DIR:	return "original or reply";
	case NSH_T_FIB_ADDRTYPE: return "a route type (local, unicast, broadcast, multicast...)";
	case NSH_T_INTEGER:
	case NSH_T_INTEGER_BE:	return "a number";
	default:		return "a value";
	}
}

const char *nsh_rg_type_name(enum nsh_type type)
{
	switch (type) {
	case NSH_T_IFNAME:	return "IFNAME";
	case NSH_T_IPV4:	return "ADDR";
	case NSH_T_IPV6:	return "ADDR6";
	case NSH_T_PORT:	return "PORT";
	case NSH_T_L4PROTO:	return "PROTO";
	case NSH_T_NFPROTO:	return "NFPROTO";
	case NSH_T_MARK:	return "MARK";
	case NSH_T_CT_STATE:	return "STATE";
	case NSH_T_CT_STATUS:	return "STATUS";
	case NSH_T_CT_DIR:	return "DIR";
	case NSH_T_FIB_ADDRTYPE: return "RTYPE";
	case NSH_T_INTEGER:
	case NSH_T_INTEGER_BE:	return "N";
	default:		return "VALUE";
	}
}

const char *nsh_rg_nat_expect(enum nsh_type type)
{
	switch (type) {
	case NSH_T_IPV4:	return "ADDR[:PORT] (an IPv4 address, range or prefix, and port or port range)";
	case NSH_T_IPV6:	return "[ADDR6]:PORT, [ADDR6]-[ADDR6]:PORT, ADDR6 or :PORT";
	case NSH_T_PORT:	return ":PORT or :PORT-PORT (a port or port range)";
	default:		return "ADDR[:PORT] or [ADDR6]:PORT";
	}
}

const struct nsh_rg_word *nsh_rg_find(const struct nsh_rg_word *tab, const char *word)
{
	for (; tab->word; tab++)
		if (strcmp(tab->word, word) == 0)
			return tab;
	return NULL;
}

size_t nsh_rg_key_next(const char *prefix, void (*fn)(void *arg, const char *word,
			const char *help), void *arg)
{
	size_t i, j, n = 0, plen = strlen(prefix);
	char word[32];

	for (i = 0; i < __NSH_K_MAX; i++) {
		const char *name = nsh_keys[i].name, *w, *sp;
		bool dup = false;

		if (strncmp(name, prefix, plen) != 0 || name[plen] != ' ')
			continue;
		w = name + plen + 1;
		sp = strchr(w, ' ');
		snprintf(word, sizeof(word), "%.*s", (int)(sp ? (size_t)(sp - w) : strlen(w)), w);
		/* "fib saddr type" and "fib daddr type" share no second word, but be safe */
		for (j = 0; j < i; j++) {
			const char *o = nsh_keys[j].name;

			if (strncmp(o, prefix, plen) == 0 && o[plen] == ' ' &&
			    strncmp(o + plen + 1, word, strlen(word)) == 0 &&
			    (o[plen + 1 + strlen(word)] == ' ' || !o[plen + 1 + strlen(word)]))
				dup = true;
		}
		if (dup)
			continue;
		if (fn)
			fn(arg, word, nsh_keys[i].help);
		n++;
	}
	return n;
}

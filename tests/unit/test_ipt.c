/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iptables lines -> model (model/ipt.c) without a kernel: the nft text each
 * line becomes in an ip and an inet table; bad lines rejected under the
 * offending word; -D rule equality; the iptables-restore exporter
 * (render/ipt_export.c), its skip list and its round trip back through the
 * translator; the xt match decoders of from_xt.c on info blobs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter/xt_statistic.h>
#include <linux/netfilter/xt_conntrack.h>

#include "model/nft/from_nftnl.h"
#include "model/syntax/ipt.h"
#include "model/syntax/rule_parse.h"
#include "render/ipt_export.h"
#include "model/syntax/rule_text.h"
#include "lib/util.h"

#define MAXW 64

/* Split a line into words (double quotes group, as the shell's lexer does). */
static size_t split(const char *line, struct nsh_ipt_word *w, char store[][128])
{
	size_t n = 0, i = 0;

	while (line[i] && n < MAXW) {
		size_t k = 0, start;

		while (line[i] == ' ')
			i++;
		if (!line[i])
			break;
		start = i;
		if (line[i] == '"') {
			for (i++; line[i] && line[i] != '"'; i++)
				store[n][k++] = line[i];
			i += line[i] == '"';
		} else {
			for (; line[i] && line[i] != ' '; i++)
				store[n][k++] = line[i];
		}
		store[n][k] = 0;
		w[n].s = store[n];
		w[n].off = start;
		w[n].len = i - start;
		n++;
	}
	return n;
}

/* The rule of an iptables line, rendered; NULL + err on error. */
static char *xlate(const char *line, int family, struct nsh_err *err)
{
	static char store[MAXW][128];
	struct nsh_ipt_word w[MAXW];
	struct nsh_rule r = { 0 };
	struct nsh_ipt c;
	struct nsh_buf b;
	size_t n = split(line, w, store);

	memset(err, 0, sizeof(*err));
	if (nsh_ipt_parse(w, n, family, &c, err) < 0)
		return NULL;
	if (c.has_rule && nsh_ipt_rule(&c, family, &r, err) < 0) {
		nsh_ipt_clear(&c);
		return NULL;
	}
	nsh_buf_init(&b);
	nsh_rule_render(NULL, &r, NSH_RF_COMMENT, &b);
	nsh_rule_clear(&r);
	nsh_ipt_clear(&c);
	return nsh_buf_steal(&b);
}

static const struct {
	int family;
	const char *line, *want;
} good[] = {
	{ NSH_FAM_INET, "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE",
	  "meta nfproto ipv4 oifname \"eth0\" counter masquerade" },
	{ NSH_FAM_IP, "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE",
	  "oifname \"eth0\" counter masquerade" },
	{ NSH_FAM_INET, "iptables -t nat -A POSTROUTING -s 192.0.2.0/24 -o eth0 -j SNAT --to-source 198.51.100.1",
	  "oifname \"eth0\" ip saddr 192.0.2.0/24 counter snat ip to 198.51.100.1" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.0.2.10:80",
	  "tcp dport 8080 counter dnat to 192.0.2.10:80" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -p udp --sport 1000:2000 ! -s 10.0.0.0/8 -i eth0 -j DNAT --to-destination 192.0.2.10-192.0.2.12:80-90 --random --persistent",
	  "iifname \"eth0\" ip saddr != 10.0.0.0/8 udp sport 1000-2000 counter dnat to 192.0.2.10-192.0.2.12:80-90 random,persistent" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -p tcp --dport 8080 -m statistic --mode random --probability 0.5 -j DNAT --to-destination 192.0.2.10:80",
	  "tcp dport 8080 meta random < 2147483648 counter dnat to 192.0.2.10:80" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -m statistic --mode random ! --probability 0.25 -j RETURN",
	  "meta random >= 1073741824 counter return" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -m statistic --mode nth --every 3 --packet 0 -j RETURN",
	  "numgen inc mod 3 0 counter return" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -p tcp --dport 80 -m statistic --mode nth ! --every 2 --packet 1 -j DNAT --to-destination 192.0.2.2",
	  "tcp dport 80 numgen inc mod 2 != 1 counter dnat to 192.0.2.2" },
	{ NSH_FAM_IP, "iptables -t nat -A POSTROUTING -m addrtype --src-type LOCAL -o eth1 -j MASQUERADE",
	  "oifname \"eth1\" fib saddr type local counter masquerade" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -p tcp -m multiport --dports 80,443,8000:8080 -j REDIRECT --to-ports 3128",
	  "tcp dport { 80, 443, 8000-8080 } counter redirect to :3128" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -m conntrack --ctstate NEW,RELATED -j ACCEPT",
	  "ct state related,new counter accept" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -p tcp ! --dport 22 -m comment --comment \"not ssh\" -j RETURN",
	  "tcp dport != 22 counter return comment \"not ssh\"" },
	{ NSH_FAM_IP, "iptables -t nat -A POSTROUTING -o eth+ ! -p tcp -j MASQUERADE --random-fully",
	  "oifname \"eth*\" ip protocol != tcp counter masquerade fully-random" },
	{ NSH_FAM_IP, "iptables -t nat -A POSTROUTING -s 192.0.2.0/255.255.255.128 -d 203.0.113.9/32 -j ACCEPT",
	  "ip saddr 192.0.2.0/25 ip daddr 203.0.113.9 counter accept" },
	{ NSH_FAM_INET, "ip6tables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination [2001:db8::1]:8080",
	  "meta nfproto ipv6 tcp dport 80 counter dnat ip6 to [2001:db8::1]:8080" },
	{ NSH_FAM_IP6, "ip6tables -t nat -A POSTROUTING -s 2001:db8:1::/64 -p udp -j MASQUERADE",
	  "meta l4proto udp ip6 saddr 2001:db8:1::/64 counter masquerade" },
	{ NSH_FAM_IP, "iptables -t nat -I PREROUTING 3 -p tcp --dport 25 -j DNAT --to-destination 192.0.2.25",
	  "tcp dport 25 counter dnat to 192.0.2.25" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.0.2.10-192.0.2.11",
	  "tcp dport 80 counter dnat to 192.0.2.10/31" },
	/* the matches admins combine with NAT targets (issue 13) */
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -m mark --mark 0x1 -j ACCEPT",
	  "meta mark 0x00000001 counter accept" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -m mark ! --mark 12/0xffffffff -j ACCEPT",
	  "meta mark != 0x0000000c counter accept" },
	{ NSH_FAM_INET, "iptables -t nat -A PREROUTING -m connmark --mark 010 -j RETURN",
	  "meta nfproto ipv4 ct mark 0x00000008 counter return" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -m mark --mark 1 -m connmark --mark 2 -j ACCEPT",
	  "meta mark 0x00000001 ct mark 0x00000002 counter accept" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -m iprange --dst-range 192.0.2.1-192.0.2.3 ! --src-range 192.0.2.5-192.0.2.9 -j ACCEPT",
	  "ip saddr != 192.0.2.5-192.0.2.9 ip daddr 192.0.2.1-192.0.2.3 counter accept" },
	{ NSH_FAM_INET, "ip6tables -t nat -A PREROUTING -m iprange --src-range 2001:db8::1-2001:db8::9 -j ACCEPT",
	  "ip6 saddr 2001:db8::1-2001:db8::9 counter accept" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -m conntrack --ctstatus EXPECTED,SEEN_REPLY --ctdir REPLY --ctstate NEW -j ACCEPT",
	  "ct direction reply ct state new ct status expected,seen-reply counter accept" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -m conntrack ! --ctstatus confirmed -j ACCEPT",
	  "ct status ! confirmed counter accept" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -m conntrack --ctdir original -j ACCEPT",
	  "ct direction original counter accept" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -p tcp --dport http -j DNAT --to-destination 192.0.2.10",
	  "tcp dport 80 counter dnat to 192.0.2.10" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -p tcp ! --sport ssh:http -j ACCEPT",
	  "tcp sport != 22-80 counter accept" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -p udp -m multiport --dports domain,ntp -j ACCEPT",
	  "udp dport { 53, 123 } counter accept" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -s 198.51.100.7/255.255.255.0 -d 192.0.2.9/24 -j ACCEPT",
	  "ip saddr 198.51.100.0/24 ip daddr 192.0.2.0/24 counter accept" },
	{ NSH_FAM_IP6, "ip6tables -t nat -A PREROUTING ! -s 2001:db8::5/ffff:ffff:: -j ACCEPT",
	  "ip6 saddr != 2001:db8::/32 counter accept" },
	{ NSH_FAM_IP6, "ip6tables -t nat -A PREROUTING -d 2001:db8::5/64 -j ACCEPT",
	  "ip6 daddr 2001:db8::/64 counter accept" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -i + -j ACCEPT", "counter accept" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -m tcp --dport 80 -p tcp -j ACCEPT",
	  "tcp dport 80 counter accept" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -m udp -p udp ! --dport 53 -j ACCEPT",
	  "udp dport != 53 counter accept" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING -p tcp --dport 80", "tcp dport 80 counter" },
	{ NSH_FAM_INET, "iptables -t nat -A PREROUTING -m conntrack --ctstate NEW",
	  "meta nfproto ipv4 ct state new counter" },
	{ NSH_FAM_IP, "iptables -t nat -A PREROUTING", "counter" },
	{ NSH_FAM_INET, "iptables -t nat -A PREROUTING", "meta nfproto ipv4 counter" },
};

static void test_good(void **state)
{
	struct nsh_err err;
	size_t i;

	(void)state;
	for (i = 0; i < NSH_ARRAY_SIZE(good); i++) {
		char *got = xlate(good[i].line, good[i].family, &err);

		if (!got)
			fail_msg("%s: %s", good[i].line, err.msg);
		if (strcmp(got, good[i].want))
			fail_msg("%s\n want %s\n got  %s", good[i].line, good[i].want, got);
		free(got);
	}
}

/* Bad lines: the error lies under word (its first occurrence) and says msg. */
static const struct {
	const char *line, *word, *msg;
} bad[] = {
	{ "iptables -t filter -A INPUT -j ACCEPT", "filter", "nat table only" },
	{ "iptables -t nat -A PREROUTING -m recent -j ACCEPT", "recent", "match \"recent\" is not supported" },
	/* a word copied into the nft text stays one word: no second statement rides in */
	{ "iptables -t nat -A PREROUTING -j DNAT --to-destination 192.0.2.1\taccept", "192.0.2.1\taccept",
	  "blanks, quotes and braces are no part of one" },
	{ "iptables -t nat -A PREROUTING -j x\raccept", "x\raccept", "blanks, quotes and braces" },
	{ "iptables -t nat -A PREROUTING -p {tcp,udp} -j ACCEPT", "{tcp,udp}", "blanks, quotes and braces" },
	{ "iptables -t nat -A PREROUTING -m comment --comment a\nb -j ACCEPT", "a\nb",
	  "no control characters" },
	{ "iptables -t nat -A PREROUTING --dport 80 -j ACCEPT", "--dport", "needs \"-p tcp\"" },
	{ "iptables -t nat -A PREROUTING -p tcp --dport 8o -j ACCEPT", "8o", "invalid port \"8o\"" },
	{ "iptables -t nat -A PREROUTING -p tcp --dport 90:80 -j ACCEPT", "90:80", "is empty" },
	{ "iptables -t nat -A PREROUTING -s 10.0.0.0/40 -j ACCEPT", "10.0.0.0/40", "invalid prefix length" },
	{ "iptables -t nat -A PREROUTING -s 255.0.255.0/255.0.255.0 -j ACCEPT", "255.0.255.0/255.0.255.0", "not contiguous" },
	{ "iptables -t nat -A PREROUTING -j LOG", "LOG", "target \"LOG\" is not supported" },
	{ "iptables -t nat -A PREROUTING -j DNAT", "DNAT", "needs --to-destination" },
	{ "iptables -t nat -A PREROUTING --bogus -j ACCEPT", "--bogus", "unknown or unsupported iptables option \"--bogus\"" },
	{ "iptables -t nat -A PREROUTING -m statistic --mode nth --every 2 -j RETURN", "statistic", "needs --every N and --packet P" },
	{ "iptables -t nat -A PREROUTING -m statistic --mode nth --every 2 --packet 2 -j RETURN", "2 -j", "must be below --every 2" },
	{ "iptables -t nat -A PREROUTING -m statistic --mode nth --every 0 --packet 0 -j RETURN", "0 --packet", "a number from 1" },
	{ "iptables -t nat -A PREROUTING -m statistic --mode nth --every 2 ! --packet 0 -j RETURN", "--packet", "cannot be inverted" },
	{ "iptables -t nat -A PREROUTING -m statistic ! --mode nth --every 2 --packet 0 -j RETURN", "--mode", "cannot be inverted" },
	{ "iptables -t nat -A PREROUTING -m statistic --mode random --probability 2 -j RETURN", "2", "invalid probability" },
	{ "iptables -t nat -A PREROUTING -m statistic --probability 0.5 -j RETURN", "statistic", "needs --mode" },
	{ "iptables -t nat -A PREROUTING --probability 0.5 -j RETURN", "--probability", "needs \"-m statistic\"" },
	{ "iptables -t nat -A PREROUTING -m addrtype --src-type FOO -j RETURN", "FOO", "unknown address type" },
	/* iptables knows THROW, nft's fib has no such type */
	{ "iptables -t nat -A PREROUTING -m addrtype --dst-type THROW -j RETURN", "THROW", "unknown address type" },
	{ "iptables -t nat -A PREROUTING -m statistic --mode every -j RETURN", "every",
	  "unknown statistic mode \"every\" (random, nth)" },
	{ "iptables -t nat -A PREROUTING --src-type LOCAL -j RETURN", "--src-type", "needs \"-m addrtype\"" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctstate OLD -j RETURN", "OLD", "unknown conntrack state" },
	/* options whose nft form needs what natsh's rules do not have yet */
	{ "iptables -t nat -A PREROUTING -m mark --mark 0x1/0xff -j ACCEPT", "0x1/0xff",
	  "-m mark --mark VALUE/MASK: not supported yet" },
	{ "iptables -t nat -A PREROUTING -m connmark ! --mark 1/0 -j ACCEPT", "1/0",
	  "-m connmark --mark VALUE/MASK: not supported yet" },
	{ "iptables -t nat -A PREROUTING -m mac --mac-source 00:11:22:33:44:55 -j ACCEPT", "mac",
	  "-m mac --mac-source: not supported yet" },
	{ "iptables -t nat -A PREROUTING -p tcp --syn -j ACCEPT", "--syn", "-p tcp --syn: not supported yet" },
	{ "iptables -t nat -A PREROUTING -p tcp ! --tcp-flags SYN,ACK SYN -j ACCEPT", "--tcp-flags",
	  "-p tcp --tcp-flags: not supported yet" },
	{ "iptables -t nat -A PREROUTING -p tcp --tcp-option 2 -j ACCEPT", "--tcp-option",
	  "--tcp-option: not supported yet" },
	{ "iptables -t nat -A PREROUTING -f -j ACCEPT", "-f", "-f: not supported yet" },
	{ "iptables -t nat -A PREROUTING ! --fragment -j ACCEPT", "--fragment", "--fragment: not supported yet" },
	/* --mark goes to the module loaded last, once (iptables: "can only be used once") */
	{ "iptables -t nat -A PREROUTING -m connmark -m mark --mark 3 --mark 4 -j ACCEPT", "--mark 4",
	  "a second --mark for -m mark" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctproto tcp -j ACCEPT", "--ctproto",
	  "-m conntrack --ctproto: not supported yet" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctorigsrc 192.0.2.1 -j ACCEPT", "--ctorigsrc",
	  "--ctorigsrc: not supported yet" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctorigdst 192.0.2.1 -j ACCEPT", "--ctorigdst",
	  "--ctorigdst: not supported yet" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctreplsrc 192.0.2.1 -j ACCEPT", "--ctreplsrc",
	  "--ctreplsrc: not supported yet" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctrepldst 192.0.2.1 -j ACCEPT", "--ctrepldst",
	  "--ctrepldst: not supported yet" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctorigsrcport 80 -j ACCEPT", "--ctorigsrcport",
	  "--ctorigsrcport: not supported yet" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctorigdstport 80 -j ACCEPT", "--ctorigdstport",
	  "--ctorigdstport: not supported yet" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctreplsrcport 80 -j ACCEPT", "--ctreplsrcport",
	  "--ctreplsrcport: not supported yet" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctrepldstport 80 -j ACCEPT", "--ctrepldstport",
	  "--ctrepldstport: not supported yet" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctexpire 10:20 -j ACCEPT", "--ctexpire",
	  "--ctexpire: not supported yet" },
	{ "iptables -t nat -A PREROUTING -p tcp -m multiport --ports 80,443 -j ACCEPT", "--ports",
	  "-m multiport --ports: not supported yet" },
	{ "iptables -t nat -A PREROUTING -s 198.51.100.0/255.0.255.0 -j ACCEPT", "198.51.100.0/255.0.255.0",
	  "not supported yet" },
	/* and what iptables itself refuses, or what never matches */
	{ "iptables -t nat -A PREROUTING -m conntrack ! --ctdir REPLY -j ACCEPT", "--ctdir", "cannot be inverted" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctdir UP -j ACCEPT", "UP", "unknown direction" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctstatus NONE -j ACCEPT", "NONE", "never matches" },
	{ "iptables -t nat -A PREROUTING -m conntrack --ctstatus SNAT -j ACCEPT", "SNAT", "unknown conntrack status" },
	{ "iptables -t nat -A PREROUTING --ctstatus ASSURED -j ACCEPT", "--ctstatus", "needs \"-m conntrack\"" },
	{ "iptables -t nat -A PREROUTING --mark 1 -j ACCEPT", "--mark", "needs \"-m mark\" or \"-m connmark\"" },
	{ "iptables -t nat -A PREROUTING -m mark -j ACCEPT", "mark", "-m mark needs --mark" },
	{ "iptables -t nat -A PREROUTING -m connmark -m mark --mark 1 -j ACCEPT", "connmark", "-m connmark needs --mark" },
	{ "iptables -t nat -A PREROUTING -m mark --mark 1 --mark 2 -j ACCEPT", "--mark 2", "a second --mark" },
	{ "iptables -t nat -A PREROUTING -m mark --mark 0x100000000 -j ACCEPT", "0x100000000", "invalid mark" },
	{ "iptables -t nat -A PREROUTING -m mark --mark x1 -j ACCEPT", "x1", "invalid mark" },
	{ "iptables -t nat -A PREROUTING -m iprange --src-range 192.0.2.9-192.0.2.5 -j ACCEPT",
	  "192.0.2.9-192.0.2.5", "is reversed" },
	{ "iptables -t nat -A PREROUTING -m iprange --src-range 192.0.2.9-2001:db8::1 -j ACCEPT",
	  "192.0.2.9-2001:db8::1", "invalid IPv4 address range" },
	{ "iptables -t nat -A PREROUTING -p tcp --dport no-such-service -j ACCEPT", "no-such-service",
	  "invalid port \"no-such-service\"" },
	{ "iptables -t nat -A PREROUTING ! -i + -j ACCEPT", "-i", "matches no packet at all" },
	{ "iptables -t nat -A PREROUTING -m tcp --dport 80 -p udp -j ACCEPT", "tcp", "-m tcp needs \"-p tcp\"" },
	{ "iptables -t nat -A PREROUTING -p udp -m tcp --dport 80 -j ACCEPT", "tcp", "-m tcp needs \"-p tcp\", not \"-p udp\"" },
	{ "iptables -t nat -A PREROUTING -m tcp --dport 80 ! -p tcp -j ACCEPT", "tcp -j", "cannot be matched with \"! -p\"" },
	{ "iptables -t nat -A PREROUTING -j RETURN !", "!", "must be followed" },
	{ "iptables -t nat -A PREROUTING -A OUTPUT -j RETURN", "-A OUTPUT", "a second command" },
	{ "iptables -t nat -D PREROUTING", "-D", "needs a rule number or the rule" },
	{ "iptables -t nat -R PREROUTING -j RETURN", "-R", "-R needs a chain and a rule number" },
	{ "iptables -t nat -I PREROUTING 0 -j RETURN", "0", "rules count from 1" },
	{ "iptables -t nat -F PREROUTING -j RETURN", "-F", "-F takes a chain only" },
	{ "iptables -t nat -j RETURN", "iptables", "needs a command" },
	{ "iptables -t nat -A PREROUTING -s 192.0.2.1,192.0.2.2 -j RETURN", "192.0.2.1,192.0.2.2", "several addresses" },
	{ "iptables -t nat -A PREROUTING -s host.example -j RETURN", "host.example", "invalid IPv4 address" },
	{ "iptables -t nat -A POSTROUTING -j MASQUERADE --to-ports 80", "--to-ports", "needs \"-p tcp\"" },
	{ "iptables -t nat -A POSTROUTING -j MASQUERADE --persistent", "--persistent", "belongs to SNAT and DNAT" },
	{ "iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.0.2.999", "192.0.2.999", "192.0.2.999" },
	{ "iptables -t nat -A PREROUTING -j DROP", "DROP", "not valid in the nat table" },
	{ "iptables -A POSTROUTING -o eth0 -j MASQUERADE", "iptables", "\"-t nat\" is missing: without -t iptables writes to the filter table" },
	{ "ip6tables -A FORWARD -j ACCEPT", "ip6tables", "natsh manages NAT only" },
	{ "iptables -t nat -A PREROUTING -i", "-i", "needs an interface name" },
	{ "iptables -t nat -A PREROUTING -i --dport", "--dport", "got option" },
	{ "iptables -t nat -A PREROUTING -m tcp --dport 80 -j RETURN", "tcp", "-m tcp needs \"-p tcp\"" },
	{ "iptables -t nat -A PREROUTING -g FOO", "-g", "goto" },
};

static void test_bad(void **state)
{
	struct nsh_err err;
	size_t i, want;

	(void)state;
	for (i = 0; i < NSH_ARRAY_SIZE(bad); i++) {
		char *got = xlate(bad[i].line, NSH_FAM_IP, &err);

		if (got)
			fail_msg("%s: accepted as %s", bad[i].line, got);
		want = (size_t)(strstr(bad[i].line, bad[i].word) - bad[i].line);
		if (!err.set || err.off != want || !strstr(err.msg, bad[i].msg))
			fail_msg("%s\n want at %zu \"%s\"\n got at %zu \"%s\"", bad[i].line, want,
				 bad[i].msg, err.off, err.msg);
	}
}

/* Parse an nft rule text into a rule of chain c (appended). */
static void add_rule(struct nsh_chain *c, int family, const char *text)
{
	struct nsh_err err = { 0 };
	struct nsh_rule *r;

	c->rules = nsh_xrealloc(c->rules, (c->nrules + 1) * sizeof(*c->rules));
	r = &c->rules[c->nrules];
	memset(r, 0, sizeof(*r));
	if (nsh_rule_parse(text, 0, strlen(text), family, r, &err) < 0)
		fail_msg("%s: %s", text, err.msg);
	r->position = (uint32_t)++c->nrules;
	r->handle = 100 + r->position;
}

/* Drop "meta nfproto" matches: iptables lines are IPv4 by themselves. */
static void drop_nfproto(struct nsh_rule *r)
{
	size_t i, m = 0;

	for (i = 0; i < r->nstmts; i++)
		if (!(r->stmts[i].kind == NSH_ST_MATCH &&
		      r->stmts[i].match.key->id == NSH_K_META_NFPROTO))
			r->stmts[m++] = r->stmts[i];
	r->nstmts = m;
}

static void test_export(void **state)
{
	struct nsh_chain chains[2] = {
		{ .name = (char *)"prerouting", .base = true, .hooknum = 0 },
		{ .name = (char *)"postrouting", .base = true, .hooknum = 4 },
	};
	struct nsh_table t = { .family = NSH_FAM_INET, .name = (char *)"natsh", .nchains = 2,
			       .chains = chains };
	struct nsh_ipt_skip *sk = NULL;
	struct nsh_buf out;
	size_t nsk = 0, n, i;

	(void)state;
	add_rule(&chains[0], NSH_FAM_INET, "meta nfproto ipv4 tcp dport 8080 meta random < 2147483648 dnat ip to 192.0.2.10:80");
	add_rule(&chains[0], NSH_FAM_INET, "tcp dport { 80, 443 } ip daddr 198.51.100.1 dnat ip to 192.0.2.10 comment \"web\"");
	add_rule(&chains[0], NSH_FAM_INET, "tcp dport 8080 dnat ip to numgen random mod 2 map { 0 : 192.0.2.10, 1 : 192.0.2.11 }");
	add_rule(&chains[0], NSH_FAM_INET, "ip6 daddr 2001:db8::1 tcp dport 80 dnat ip6 to [2001:db8:1::10]:8080");
	add_rule(&chains[0], NSH_FAM_INET, "meta nfproto ipv4 tcp dport 81 numgen inc mod 2 != 1 dnat ip to 192.0.2.12");
	add_rule(&chains[0], NSH_FAM_INET, "numgen inc mod 3 offset 1 1 return");
	add_rule(&chains[1], NSH_FAM_INET, "oifname \"eth0\" ip saddr 192.0.2.0/24 snat ip to 198.51.100.1-198.51.100.4 persistent");
	add_rule(&chains[1], NSH_FAM_INET, "oifname \"eth1\" fib saddr type local ct status dnat masquerade");
	add_rule(&chains[1], NSH_FAM_INET, "oifname \"eth*\" udp sport 1000-2000 masquerade to :3000-4000 random");
	add_rule(&chains[1], NSH_FAM_INET, "th dport 53 masquerade");
	nsh_buf_init(&out);
	n = nsh_ipt_export(&t, NSH_FAM_IP, &out, &sk, &nsk);
	assert_string_equal(out.s,
		"*nat\n"
		":PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
		"-A PREROUTING -p tcp -m tcp --dport 8080 -m statistic --mode random --probability 0.5000000000 -j DNAT --to-destination 192.0.2.10:80\n"
		"-A PREROUTING -p tcp -m multiport --dports 80,443 -d 198.51.100.1 -j DNAT --to-destination 192.0.2.10 -m comment --comment \"web\"\n"
		"-A PREROUTING -p tcp -m tcp --dport 81 -m statistic --mode nth ! --every 2 --packet 1 -j DNAT --to-destination 192.0.2.12\n"
		"-A POSTROUTING -o eth0 -s 192.0.2.0/24 -j SNAT --to-source 198.51.100.1-198.51.100.4 --persistent\n"
		"-A POSTROUTING -o eth1 -m addrtype --src-type LOCAL -m conntrack --ctstate DNAT -j MASQUERADE\n"
		"-A POSTROUTING -o eth+ -p udp -m udp --sport 1000:2000 -j MASQUERADE --to-ports 3000-4000 --random\n"
		"COMMIT\n");
	assert_int_equal(n, 6);
	assert_int_equal(nsk, 3);
	assert_string_equal(sk[0].chain, "prerouting");
	assert_int_equal(sk[0].position, 3);
	assert_non_null(strstr(sk[0].why, "nat map"));
	assert_int_equal(sk[1].position, 6);
	assert_non_null(strstr(sk[1].why, "no offset"));
	assert_int_equal(sk[2].position, 4);
	assert_non_null(strstr(sk[2].why, "th dport"));
	free(sk);
	sk = NULL;
	nsk = 0;
	nsh_buf_reset(&out);
	n = nsh_ipt_export(&t, NSH_FAM_IP6, &out, &sk, &nsk);
	/* the IPv6 rule and the two that name no family */
	assert_int_equal(n, 3);
	assert_non_null(strstr(out.s, "-A POSTROUTING -o eth+ -p udp -m udp --sport 1000:2000 -j MASQUERADE --to-ports 3000-4000 --random\n"));
	assert_non_null(strstr(out.s, "-A PREROUTING -d 2001:db8::1 -p tcp -m tcp --dport 80 -j DNAT --to-destination [2001:db8:1::10]:8080\n"));
	free(sk);

	/* round trip: every exported IPv4 line, read back by the translator, is the same rule */
	{
		const struct nsh_rule *orig[] = { &chains[0].rules[0], &chains[0].rules[1],
						  &chains[0].rules[4], &chains[1].rules[0],
						  &chains[1].rules[1], &chains[1].rules[2] };
		char *line, *save = NULL, *copy;
		size_t k = 0;

		sk = NULL;
		nsk = 0;
		nsh_buf_reset(&out);
		nsh_ipt_export(&t, NSH_FAM_IP, &out, &sk, &nsk);
		free(sk);
		copy = nsh_xstrdup(out.s);
		for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			static char store[MAXW][128];
			struct nsh_ipt_word w[MAXW];
			char full[512];
			struct nsh_rule r = { 0 };
			struct nsh_err err = { 0 };
			struct nsh_ipt c;

			if (strncmp(line, "-A ", 3))
				continue;
			snprintf(full, sizeof(full), "iptables -t nat %s", line);
			i = split(full, w, store);
			if (nsh_ipt_parse(w, i, NSH_FAM_INET, &c, &err) < 0 ||
			    nsh_ipt_rule(&c, NSH_FAM_INET, &r, &err) < 0)
				fail_msg("%s: %s", full, err.msg);
			assert_true(k < NSH_ARRAY_SIZE(orig));
			drop_nfproto(&r);
			drop_nfproto((struct nsh_rule *)orig[k]);
			if (!nsh_ipt_rule_same(&r, orig[k]))
				fail_msg("round trip of %s: %s", full, c.nft.s);
			k++;
			nsh_rule_clear(&r);
			nsh_ipt_clear(&c);
		}
		assert_int_equal(k, NSH_ARRAY_SIZE(orig));
		free(copy);
	}
	nsh_buf_free(&out);
	for (i = 0; i < 2; i++) {
		for (n = 0; n < chains[i].nrules; n++)
			nsh_rule_clear(&chains[i].rules[n]);
		free(chains[i].rules);
	}
}

/*
 * The matches the translator takes (issue 13), exported: each rule's line
 * (or the reason it is skipped), and each line read back is the same rule.
 */
static const struct {
	const char *nft, *line;	/* line: "-A ..." or, for a skipped rule, its reason */
} xmatch[] = {
	{ "ip saddr 192.0.2.1-192.0.2.9 return",
	  "-A PREROUTING -m iprange --src-range 192.0.2.1-192.0.2.9 -j RETURN" },
	{ "ip daddr != 198.51.100.1-198.51.100.3 accept",
	  "-A PREROUTING -m iprange ! --dst-range 198.51.100.1-198.51.100.3 -j ACCEPT" },
	{ "meta mark 0x1 ct mark != 0x2 accept",
	  "-A PREROUTING -m mark --mark 0x1 -m connmark ! --mark 0x2 -j ACCEPT" },
	{ "ct status assured,confirmed accept",
	  "-A PREROUTING -m conntrack --ctstatus ASSURED,CONFIRMED -j ACCEPT" },
	{ "ct status ! seen-reply accept",
	  "-A PREROUTING -m conntrack ! --ctstatus SEEN_REPLY -j ACCEPT" },
	{ "ct direction reply accept", "-A PREROUTING -m conntrack --ctdir REPLY -j ACCEPT" },
	/* the same packets, another model ("== original"): no round trip to compare */
	{ "ct direction != reply accept", "-A PREROUTING -m conntrack --ctdir ORIGINAL -j ACCEPT" },
	{ "ip saddr 192.0.2.0/24", "-A PREROUTING -s 192.0.2.0/24" },
	{ "counter", "-A PREROUTING" },
	{ "ct status snat,assured accept", "mixes --ctstate SNAT/DNAT with --ctstatus" },
	{ "ct status dying accept", "has no name for" },
	{ "ip saddr { 192.0.2.1, 192.0.2.3 } accept", "not a set" },
};

static void test_export_matches(void **state)
{
	struct nsh_chain ch = { .name = (char *)"prerouting", .base = true, .hooknum = 0 };
	struct nsh_table t = { .family = NSH_FAM_IP, .name = (char *)"nat", .nchains = 1, .chains = &ch };
	size_t i;

	(void)state;
	for (i = 0; i < NSH_ARRAY_SIZE(xmatch); i++) {
		struct nsh_ipt_skip *sk = NULL;
		size_t nsk = 0;
		struct nsh_buf out;
		char *nl;

		ch.nrules = 0;
		add_rule(&ch, NSH_FAM_IP, xmatch[i].nft);
		nsh_buf_init(&out);
		nsh_ipt_export(&t, NSH_FAM_IP, &out, &sk, &nsk);
		if (xmatch[i].line[0] != '-') {
			if (nsk != 1 || !strstr(sk[0].why, xmatch[i].line))
				fail_msg("%s: want skipped (%s), got %s", xmatch[i].nft, xmatch[i].line,
					 nsk ? sk[0].why : out.s);
		} else {
			const char *l = strstr(out.s, "\n-A ");
			static char store[MAXW][128];
			struct nsh_ipt_word w[MAXW];
			char full[512];
			struct nsh_rule r = { 0 };
			struct nsh_err err = { 0 };
			struct nsh_ipt c;
			size_t n;

			if (!l)
				fail_msg("%s: skipped: %s", xmatch[i].nft, nsk ? sk[0].why : "?");
			l++;
			nl = strchr(l, '\n');
			snprintf(full, sizeof(full), "%.*s", (int)(nl - l), l);
			if (strcmp(full, xmatch[i].line))
				fail_msg("%s\n want %s\n got  %s", xmatch[i].nft, xmatch[i].line, full);
			snprintf(full, sizeof(full), "iptables -t nat %.*s", (int)(nl - l), l);
			n = split(full, w, store);
			if (nsh_ipt_parse(w, n, NSH_FAM_IP, &c, &err) < 0 ||
			    nsh_ipt_rule(&c, NSH_FAM_IP, &r, &err) < 0)
				fail_msg("%s: %s", full, err.msg);
			if (!strstr(xmatch[i].nft, "direction !=") && !nsh_ipt_rule_same(&r, &ch.rules[0]))
				fail_msg("round trip of %s: %s", full, c.nft.s);
			nsh_rule_clear(&r);
			nsh_ipt_clear(&c);
		}
		free(sk);
		nsh_buf_free(&out);
		nsh_rule_clear(&ch.rules[0]);
	}
	free(ch.rules);
}

/* -D RULE: the same rule text is the same model; a different port is not. */
static void test_same(void **state)
{
	struct nsh_rule a = { 0 }, b = { 0 }, c = { 0 };
	struct nsh_err err = { 0 };
	const char *t1 = "tcp dport { 80, 443 } counter dnat ip to 192.0.2.10 comment \"x\"";
	const char *t2 = "tcp dport { 80, 444 } counter dnat ip to 192.0.2.10 comment \"x\"";

	(void)state;
	assert_int_equal(nsh_rule_parse(t1, 0, strlen(t1), NSH_FAM_INET, &a, &err), 0);
	assert_int_equal(nsh_rule_parse(t1, 0, strlen(t1), NSH_FAM_INET, &b, &err), 0);
	assert_int_equal(nsh_rule_parse(t2, 0, strlen(t2), NSH_FAM_INET, &c, &err), 0);
	b.stmts[b.nstmts - 2].counter.packets = 7;	/* counters do not count */
	assert_true(nsh_ipt_rule_same(&a, &b));
	assert_false(nsh_ipt_rule_same(&a, &c));
	nsh_rule_clear(&a);
	nsh_rule_clear(&b);
	nsh_rule_clear(&c);
}

/* from_xt.c: tcp, udp, statistic, conntrack info blobs as nft prints them. */
static void test_xt(void **state)
{
	struct xt_tcp tcp = { .spts = { 1000, 1000 }, .dpts = { 20, 22 }, .invflags = XT_TCP_INV_DSTPT };
	struct xt_udp udp = { .spts = { 0, 0xffff }, .dpts = { 53, 53 } };
	struct xt_tcp flags = { .spts = { 0, 0xffff }, .dpts = { 0, 0xffff }, .flg_mask = 0x17, .flg_cmp = 2 };
	struct xt_statistic_info rnd = { .mode = XT_STATISTIC_MODE_RANDOM, .u.random.probability = 1073741824 };
	struct xt_statistic_info nth = { .mode = XT_STATISTIC_MODE_NTH, .flags = XT_STATISTIC_INVERT,
					 .u.nth = { .every = 2, .packet = 1 } };
	struct xt_conntrack_mtinfo3 ct = { .match_flags = XT_CONNTRACK_STATE | XT_CONNTRACK_STATE_ALIAS,
					   .invert_flags = XT_CONNTRACK_STATE,
					   .state_mask = XT_CONNTRACK_STATE_BIT(IP_CT_NEW) |
							 XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED) };
	struct xt_conntrack_mtinfo3 ctaddr = { .match_flags = XT_CONNTRACK_ORIGSRC };
	struct nsh_buf b;

	(void)state;
	nsh_buf_init(&b);
	assert_int_equal(nsh_xt_match_xlate("tcp", 0, &tcp, sizeof(tcp), 6, &b), 0);
	assert_string_equal(b.s, "tcp sport 1000 tcp dport != 20-22");
	nsh_buf_reset(&b);
	assert_int_equal(nsh_xt_match_xlate("udp", 0, &udp, sizeof(udp), 17, &b), 0);
	assert_string_equal(b.s, "udp dport 53");
	nsh_buf_reset(&b);
	assert_int_equal(nsh_xt_match_xlate("tcp", 0, &flags, sizeof(flags), 6, &b), -1);
	nsh_buf_reset(&b);
	assert_int_equal(nsh_xt_match_xlate("statistic", 0, &rnd, sizeof(rnd), 0, &b), 0);
	assert_string_equal(b.s, "meta random & 2147483647 < 1073741824");
	nsh_buf_reset(&b);
	assert_int_equal(nsh_xt_match_xlate("statistic", 0, &nth, sizeof(nth), 0, &b), 0);
	assert_string_equal(b.s, "numgen inc mod 3 != 1");
	nsh_buf_reset(&b);
	assert_int_equal(nsh_xt_match_xlate("conntrack", 3, &ct, sizeof(ct), 0, &b), 0);
	assert_string_equal(b.s, "ct state ! new,established");
	nsh_buf_reset(&b);
	assert_int_equal(nsh_xt_match_xlate("conntrack", 3, &ctaddr, sizeof(ctaddr), 0, &b), -1);
	nsh_buf_reset(&b);
	assert_int_equal(nsh_xt_match_xlate("conntrack", 3, &ct, 8, 0, &b), -1);	/* short blob */
	nsh_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_export_matches),
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_xt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Generate N NAT rules, a realistic mix, as an `nft -f` file (FORMAT nft) or
# the equivalent iptables-nft-restore file (FORMAT iptables), on stdout.
# Per 20 rules: 10 TCP port forwards, 2 UDP port forwards, 2 forwards of a
# port set ({ a, b, c } / -m multiport), 1 transparent-proxy redirect of a
# named set of sources (nft; a prefix in iptables), 2 SNATs, 1 masquerade,
# 1 router-access DNAT in output, 1 commented forward limited to a source.
# About 80% land in prerouting: one long chain, as on a busy port-forwarder.
#
# Usage: gen-rules.sh N nft|iptables
set -euo pipefail
n=${1:?number of rules}
fmt=${2:?nft or iptables}

case $fmt in
nft|iptables) ;;
*) echo "gen-rules: format must be nft or iptables" >&2; exit 2;;
esac

awk -v n="$n" -v fmt="$fmt" '
function host(i) { return "192.0.2." (2 + i % 250) }
function port(i) { return 1024 + (i * 7) % 60000 }
BEGIN {
	for (i = 0; i < n; i++) {
		k = i % 20; p = port(i); h = host(i); q = 80 + i % 20
		b = i % 250
		if (k < 10) {
			pre[np++] = fmt == "nft" ? \
				"iifname \"eth0\" tcp dport " p " counter dnat to " h ":" q : \
				"-i eth0 -p tcp -m tcp --dport " p " -j DNAT --to-destination " h ":" q
		} else if (k < 12) {
			pre[np++] = fmt == "nft" ? \
				"iifname \"eth0\" udp dport " p " counter dnat to " h ":" q : \
				"-i eth0 -p udp -m udp --dport " p " -j DNAT --to-destination " h ":" q
		} else if (k < 14) {
			pre[np++] = fmt == "nft" ? \
				"iifname \"eth0\" ip daddr 198.51.100.1 tcp dport { " p ", " p + 1 ", " p + 2 " } counter dnat to " h : \
				"-d 198.51.100.1/32 -i eth0 -p tcp -m multiport --dports " p "," p + 1 "," p + 2 " -j DNAT --to-destination " h
		} else if (k < 15) {
			pre[np++] = fmt == "nft" ? \
				"ip saddr @proxied tcp dport " p " counter redirect to :3128" : \
				"-s 192.0.2.0/25 -p tcp -m tcp --dport " p " -j REDIRECT --to-ports 3128"
		} else if (k < 17) {
			post[nq++] = fmt == "nft" ? \
				"ip saddr 203.0.113." b " oifname \"eth0\" counter snat to 198.51.100." (1 + b % 254) : \
				"-s 203.0.113." b "/32 -o eth0 -j SNAT --to-source 198.51.100." (1 + b % 254)
		} else if (k < 18) {
			post[nq++] = fmt == "nft" ? \
				"ip saddr 198.51.100." b " oifname \"ppp0\" counter masquerade" : \
				"-s 198.51.100." b "/32 -o ppp0 -j MASQUERADE"
		} else if (k < 19) {
			out[no++] = fmt == "nft" ? \
				"ip daddr 198.51.100.1 tcp dport " p " counter dnat to " h ":" q : \
				"-d 198.51.100.1/32 -p tcp -m tcp --dport " p " -j DNAT --to-destination " h ":" q
		} else {
			pre[np++] = fmt == "nft" ? \
				"ip saddr 203.0.113." b " tcp dport " p " counter dnat to " h ":" q " comment \"forward " i "\"" : \
				"-s 203.0.113." b "/32 -p tcp -m tcp --dport " p " -m comment --comment \"forward " i "\" -j DNAT --to-destination " h ":" q
		}
	}
	if (fmt == "nft") {
		print "table ip bench {"
		print "\tset proxied {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { 192.0.2.0/25, 203.0.113.0/24 }\n\t}"
		print "\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;"
		for (i = 0; i < np; i++) print "\t\t" pre[i]
		print "\t}"
		print "\tchain output {\n\t\ttype nat hook output priority -100; policy accept;"
		for (i = 0; i < no; i++) print "\t\t" out[i]
		print "\t}"
		print "\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;"
		for (i = 0; i < nq; i++) print "\t\t" post[i]
		print "\t}"
		print "}"
	} else {
		print "*nat"
		print ":PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]"
		for (i = 0; i < np; i++) print "-A PREROUTING " pre[i]
		for (i = 0; i < no; i++) print "-A OUTPUT " out[i]
		for (i = 0; i < nq; i++) print "-A POSTROUTING " post[i]
		print "COMMIT"
	}
}'

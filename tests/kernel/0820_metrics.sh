#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# metrics: Prometheus' text format that `promtool check metrics` accepts;
# --textfile DIR writes DIR/natsh.prom atomically; the real
# prometheus-node-exporter (textfile collector only, on 127.0.0.1 in a
# namespace, killed by PID) serves it, and the counters scraped from it with
# curl equal those of `nft -j list ruleset` read at the same moment.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new metrics)
tmp=$(mktemp -d /tmp/natsh-0820.XXXXXX)
mkdir "$tmp/textfile"
nep=
trap '[ -n "$nep" ] && kill "$nep" 2>/dev/null; rm -rf "$tmp"; nsh_cleanup' EXIT
N() { nsx "$ns" "$NATSH" "$@"; }

N -y -c 'wizard masquerade lan from 192.0.2.0/24 out lo' >/dev/null
N -c 'add output oifname "lo" icmp type echo-request counter comment "pings"' >/dev/null ||
	nsx "$ns" nft add rule inet natsh output oifname lo icmp type echo-request counter comment '"pings"'
nsx "$ns" nft add rule inet natsh output udp dport 9 counter comment '"udp 9"'
for i in 1 2 3; do nsx "$ns" ping -c 1 -W 1 127.0.0.1 >/dev/null; done
nsx "$ns" timeout 2 nc -u -w1 127.0.0.1 9 <<<x >/dev/null 2>&1 || true

out=$(N metrics); rc=$?
expect_eq "metrics: exit 0" "$rc" "0"
pt=$(promtool check metrics <<<"$out" 2>&1); rc=$?
expect_eq "promtool check metrics accepts it" "$rc:$pt" "0:"
expect_match "natsh_info" "$out" '(^|'$'\n'')natsh_info\{version="[0-9.]+"\} 1'
expect_match "a rule's packets, with its labels and wizard group" "$out" \
	'natsh_rule_packets_total\{family="inet",table="natsh",chain="postrouting",handle="[0-9]+",position="1",comment="wizard lan: masquerade",group="lan"\} 0'
expect_match "a rule outside any wizard group" "$out" 'comment="udp 9",group=""'
expect_match "rules per chain" "$out" 'natsh_chain_rules\{family="inet",table="natsh",chain="output"\} 2'
expect_match "conntrack count and max" "$out" $'natsh_conntrack_entries [0-9]+\n.*\n.*\nnatsh_conntrack_max [0-9]+'
expect_match "the scrape's duration" "$out" 'natsh_scrape_duration_seconds 0\.[0-9]+'

# NAT conntrack entries: a masqueraded and a dnat'ed flow (udp) in the namespace
nsx "$ns" nft add rule inet natsh output udp dport 7777 dnat ip to 127.0.0.1:7778
nsx "$ns" sysctl -q -w net.ipv4.conf.all.route_localnet=1
nsx "$ns" timeout 2 nc -u -w1 127.0.0.1 7777 <<<x >/dev/null 2>&1 || true
ct=$(N metrics | grep '^natsh_conntrack_nat_entries')
expect_match "NAT conntrack entries by kind and protocol" "$ct" 'natsh_conntrack_nat_entries\{kind="dnat",proto="udp"\} [1-9]'

# --textfile: atomically to DIR/natsh.prom, 0644, no temporary file left
N metrics --textfile "$tmp/textfile" || fail "metrics --textfile"
snap=$(nsx "$ns" nft -j list ruleset)
expect_eq "natsh.prom is written, 0644" "$(stat -c %a "$tmp/textfile/natsh.prom" 2>&1)" "644"
expect_eq "only natsh.prom is in the directory" "$(ls -A "$tmp/textfile")" "natsh.prom"
out=$(N metrics --textfile "$tmp/missing" 2>&1); rc=$?
expect_eq "--textfile into a missing directory fails" "$rc" "1"

# the real node_exporter on 127.0.0.1 of the namespace, textfile collector only
port=19100
nsx "$ns" prometheus-node-exporter --web.listen-address=127.0.0.1:$port \
	--collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$tmp/textfile" >"$tmp/nep.log" 2>&1 &
nep=$!
for _ in $(seq 50); do
	nsx "$ns" curl -s -m 1 -o /dev/null "http://127.0.0.1:$port/metrics" && break
	sleep 0.1
done
scraped=$(nsx "$ns" curl -s -m 5 "http://127.0.0.1:$port/metrics")
kill "$nep" 2>/dev/null; wait "$nep" 2>/dev/null; nep=
expect_match "node_exporter serves natsh's metrics" "$scraped" 'natsh_info\{version='
expect_match "node_exporter read the file without error" "$scraped" \
	'node_textfile_scrape_error 0'
# each rule with a counter: node_exporter's value equals nft's (by handle)
want=$(jq -r '.nftables[] | select(.rule and .rule.table == "natsh") | .rule as $r |
	($r.expr[] | select(.counter) | .counter) as $c |
	"\($r.chain) \($r.handle) \($c.packets) \($c.bytes)"' <<<"$snap" | sort)
# (node_exporter sorts the labels: read chain and handle wherever they stand)
counters() {
	printf '%s\n' "$scraped" | grep "^natsh_rule_$1_total{" |
		sed 's/.*[{,]chain="\([^"]*\)".*/\1/;' | paste -d' ' - \
		<(printf '%s\n' "$scraped" | grep "^natsh_rule_$1_total{" |
		  sed 's/.*[{,]handle="\([0-9]*\)".*} \([0-9]*\)$/\1 \2/') | sort
}
got=$(counters packets)
gotb=$(counters bytes)
expect_eq "node_exporter's packet counters equal nft -j list ruleset's" "$got" "$(cut -d' ' -f1-3 <<<"$want")"
expect_eq "node_exporter's byte counters equal nft -j list ruleset's" "$gotb" "$(cut -d' ' -f1,2,4 <<<"$want")"
expect_match "and some are not zero (the pings)" "$got" 'output [0-9]+ [1-9]'

nsh_done

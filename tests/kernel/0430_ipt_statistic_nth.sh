#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# iptables -m statistic --mode nth, run by natsh (numgen inc mod N P), with
# real connections: every 2nd new connection to 203.0.113.1:8080 goes to
# the backend on port 9001, the others to 9002 (the OUTPUT chain sees the
# first packet of each local connection); 20 connections alternate exactly.
# The same lines through iptables-nft in a second namespace behave the same.
source "$(dirname "$0")/../lib.sh"

A=$(nsh_ns_new nth)
B=$(nsh_ns_new nthipt)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; nsh_cleanup' EXIT

lines='iptables -t nat -A OUTPUT -p tcp -d 203.0.113.1 --dport 8080 -m statistic --mode nth --every 2 --packet 0 -j DNAT --to-destination 203.0.113.1:9001
iptables -t nat -A OUTPUT -p tcp -d 203.0.113.1 --dport 8080 -j DNAT --to-destination 203.0.113.1:9002'

for ns in $A $B; do
	nsx $ns ip addr add 203.0.113.1/32 dev lo
	for port in 9001 9002; do
		nsx $ns timeout 60 socat -T2 TCP-LISTEN:$port,fork,reuseaddr SYSTEM:"echo $port" &
		PIDS+=($!)
	done
done
sleep 0.3

out=$(nsx $A "$NATSH" -c "$lines" 2>&1)
expect_eq "natsh runs the two iptables lines: exit 0" "$?" 0
while IFS= read -r l; do eval "nsx $B iptables-nft ${l#iptables }"; done <<<"$lines"

# 20 connections, each with a timeout; the answers in order
run() {
	local ns=$1 i got seq=""
	for ((i = 0; i < 20; i++)); do
		got=$(nsx $ns timeout 3 socat -T2 - TCP:203.0.113.1:8080,connect-timeout=2 </dev/null 2>/dev/null)
		seq+="${got:-none} "
	done
	echo "$seq"
}
want="9001 9002 9001 9002 9001 9002 9001 9002 9001 9002 9001 9002 9001 9002 9001 9002 9001 9002 9001 9002 "
got=$(run $A)
n1=$(grep -o 9001 <<<"$got" | wc -l); n2=$(grep -o 9002 <<<"$got" | wc -l)
expect_eq "natsh: 20 connections, 10 to each backend" "$n1 $n2" "10 10"
expect_eq "natsh: every 2nd connection to 9001, the others to 9002, alternating" "$got" "$want"
expect_match "natsh's rule as nft lists it" "$(nsx $A nft list ruleset)" 'numgen inc mod 2 0 counter packets 10 '
expect_match "natsh show: the numgen rule counted 10 connections" "$(nsx $A "$NATSH" show output)" ' 10 +[0-9.]+[KM]? +[0-9?-]+ +ip daddr 203\.0\.113\.1 tcp dport 8080 numgen inc mod 2 0 counter dnat ip to 203\.0\.113\.1:9001'
got=$(run $B)
n1=$(grep -o 9001 <<<"$got" | wc -l); n2=$(grep -o 9002 <<<"$got" | wc -l)
expect_eq "iptables-nft: the same lines split the same way" "$n1 $n2" "10 10"

nsh_done

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The reference article's iptables commands as a natsh script
# (data/article.nat), run with `natsh -f` on the lab's router, make a
# working router: SNAT, port forwarding with load balancing, router access
# via the WAN address, the LAN address and 127.0.0.1, hairpin NAT; proven
# with real connections.  Running it again gives the same ruleset; a bad
# line in a copy of the script changes nothing.
source "$(dirname "$0")/../lib.sh"

nsh_lab_up
export LAB_TIMEOUT=2
W=$LAB_WAN4
SCRIPT=$NSH_TOP/tests/kernel/data/article.nat
R=$(lab_ns router)

ruleset() { lab_exec router nft list ruleset | sed -E 's/ counter packets [0-9]+ bytes [0-9]+/ counter/'; }

expect_rc "before: inet -> WAN:8080 fails" 1 lab_tcp inet $W 8080
expect_rc "before: pc1 -> the Internet fails (no SNAT, no forwarding)" 1 lab_tcp pc1 $LAB_INET4 80

out=$(nsx "$R" "$NATSH" -f "$SCRIPT" 2>&1)
expect_eq "natsh -f article.nat exit 0" "$?" 0
expect_match "it says it turned ip_forward on" "$out" 'net\.ipv4\.ip_forward turned on \(it was 0\)'
expect_eq "route_localnet of eth1 is on" "$(lab_exec router sysctl -n net.ipv4.conf.eth1.route_localnet)" 1

rules=$(lab_exec router nft list table inet natsh | sed -E 's/ counter packets [0-9]+ bytes [0-9]+/ counter/; s/^\t+//' | grep -E 'dnat|snat|masquerade')
expect_eq "the rules, as nft lists them" "$rules" \
'meta nfproto ipv4 tcp dport 8080 meta random < 2147483648 counter dnat ip to 192.0.2.10:80
meta nfproto ipv4 tcp dport 8080 counter dnat ip to 192.0.2.11:80
meta nfproto ipv4 tcp dport 8080 meta random < 2147483648 counter dnat ip to 192.0.2.10:80
meta nfproto ipv4 tcp dport 8080 counter dnat ip to 192.0.2.11:80
oifname "eth0" ip saddr 192.0.2.0/24 counter snat ip to 198.51.100.1
meta nfproto ipv4 oifname "eth1" fib saddr type local counter masquerade
oifname "eth1" ip saddr 192.0.2.0/24 tcp dport 80 counter masquerade'

# SNAT: the Internet host sees the router's public address
expect_match "SNAT: pc1 -> Internet, seen as 198.51.100.1" "$(lab_tcp pc1 $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'
expect_match "SNAT: pc2 -> Internet, seen as 198.51.100.1" "$(lab_tcp pc2 $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'

# Port forwarding with load balancing: both backends answer, each sees the real client
seen1=0 seen2=0 bad=0
for i in $(seq 1 40); do
	o=$(lab_tcp inet $W 8080)
	case $o in
	"pc1 saw 198.51.100.100:"*) seen1=$((seen1 + 1));;
	"pc2 saw 198.51.100.100:"*) seen2=$((seen2 + 1));;
	*) bad=$((bad + 1));;
	esac
done
expect_eq "forward: 40 connections from the Internet all answered" "$bad" 0
if [ $seen1 -ge 5 ] && [ $seen2 -ge 5 ]; then ok "load balancing: pc1 $seen1, pc2 $seen2 of 40"
else fail "load balancing: pc1 $seen1, pc2 $seen2 of 40 (want both >= 5)"; fi

# Router access: via the WAN address, the LAN address and 127.0.0.1
for a in $W $LAB_LAN4 127.0.0.1; do
	expect_match "router access: router -> $a:8080" "$(lab_tcp router $a 8080)" '^pc[12] saw 192\.0\.2\.1:[0-9]+$'
done

# Hairpin: LAN hosts (a backend included) via the public address
for h in pc1 pc2 pc3; do
	expect_match "hairpin: $h -> WAN:8080" "$(lab_tcp $h $W 8080)" '^pc[12] saw 192\.0\.2\.1:[0-9]+$'
done

# Each part is needed: without route_localnet 127.0.0.1 fails
lab_exec router sysctl -qw net.ipv4.conf.eth1.route_localnet=0
expect_rc "route_localnet 0: router -> 127.0.0.1:8080 fails" 1 lab_tcp router 127.0.0.1 8080
lab_exec router sysctl -qw net.ipv4.conf.eth1.route_localnet=1

# Every translated rule counted traffic
zero=$(lab_exec router nft list table inet natsh | grep -E 'dnat|snat|masquerade' | grep -c 'counter packets 0 ')
expect_eq "every rule of the script counted packets" "$zero" 0 || lab_exec router nft list table inet natsh | grep "counter packets 0 " | sed "s/^/#   /"

# Running the script again: the same ruleset (it starts with iptables -t nat -F)
before=$(ruleset)
nsx "$R" "$NATSH" -f "$SCRIPT" >/dev/null 2>&1
expect_eq "second run exit 0" "$?" 0
expect_eq "second run: the same ruleset" "$(ruleset)" "$before"

# A bad line anywhere: the whole script applies nothing (one transaction)
bad=$(mktemp); trap 'rm -f "$bad"; nsh_cleanup' EXIT
{ echo 'iptables -t nat -F'; grep -v '^sysctl' "$SCRIPT";
  echo 'iptables -t nat -A PREROUTING -p tcp --dport 8080 -m recent --set -j ACCEPT'; } >"$bad"
out=$(nsx "$R" "$NATSH" -f "$bad" 2>&1)
expect_eq "bad script exit 1" "$?" 1
expect_match "the error names the file, line, column and the option" "$out" \
	":[0-9]+:54: error: match \"recent\" is not supported"
expect_eq "bad script: ruleset unchanged" "$(ruleset)" "$before"

nsh_done

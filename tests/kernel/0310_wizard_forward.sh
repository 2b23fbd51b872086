#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# wizard forward, in the lab, with real connections: the Internet host reaches
# the backend via the WAN address (and the backend sees the real client);
# router access via the WAN address, the LAN address and 127.0.0.1; hairpin
# from another LAN host and from the backend itself; each part is shown to be
# needed by turning it off; tcp+udp; a port range; counters; bad input.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/wizard_lib.bash"

nsh_lab_up
export LAB_TIMEOUT=2
W=$LAB_WAN4

expect_rc "before: inet -> WAN:8080 fails" 1 lab_tcp inet $W 8080

# bad input for every argument: exit 1, the message names it, nothing applied
wiz_bad "NAME" 'invalid wizard NAME "we/b"' wizard forward we/b tcp 8080 to 192.0.2.10:80
wiz_bad "PROTO" 'invalid PROTO "icmp"' wizard forward web icmp 8080 to 192.0.2.10:80
wiz_bad "PORT zero" 'invalid PORT "0"' wizard forward web tcp 0 to 192.0.2.10:80
wiz_bad "PORT range" 'range end is below its start' wizard forward web tcp 90-80 to 192.0.2.10:80
wiz_bad "PORT text" 'invalid PORT "http"' wizard forward web tcp http to 192.0.2.10:80
wiz_bad "backend address" 'invalid backend "192.0.2.300:80"' wizard forward web tcp 8080 to 192.0.2.300:80
wiz_bad "backend port" 'port must be 1-65535' wizard forward web tcp 8080 to 192.0.2.10:99999
wiz_bad "backend loopback" 'not a host address' wizard forward web tcp 8080 to 127.0.0.1:80
wiz_bad "backend IPv6" 'IPv4 addresses only' wizard forward web tcp 8080 to 2001:db8:1::10
wiz_bad "backend twice" 'backend 192.0.2.10:80 is given twice' wizard forward web tcp 8080 to 192.0.2.10:80 192.0.2.10:80
wiz_bad "backends missing" 'missing to ADDR[:PORT]' wizard forward web tcp 8080
wiz_bad "wan IFACE" 'unknown wan interface "eth9"' wizard forward web tcp 8080 to 192.0.2.10:80 wan eth9
wiz_bad "lan IFACE" 'unknown lan interface "eth7"' wizard forward web tcp 8080 to 192.0.2.10:80 lan eth7
# the grammar refuses these: a keyword is never taken as a bare BACKEND
wiz_bad "lan missing value" 'expected LAN, got end of line' wizard forward web tcp 8080 to 192.0.2.10:80 lan
wiz_bad "router-access value" 'expected on or off, got "maybe"' wizard forward web tcp 8080 to 192.0.2.10:80 router-access maybe
wiz_bad "hairpin value" 'expected on or off, got "1"' wizard forward web tcp 8080 to 192.0.2.10:80 hairpin 1
wiz_bad "range with mixed ports" 'give a port to every backend or to none' wizard forward web tcp 8000-8010 to 192.0.2.10:80 192.0.2.11
wiz_bad "lan given twice" 'is given twice' wizard forward web tcp 8080 to 192.0.2.10:80 lan eth1 lan eth1
wiz_bad "backend off every subnet, no lan" 'missing lan IFACE' wizard forward web tcp 8080 to 203.0.113.5:80

# --- router access and hairpin off: only the DNAT ---------------------------------
out=$(wiz_natsh -y wizard forward web tcp 8080 to 192.0.2.10:80 router-access off hairpin off)
expect_eq "plain forward exit 0" "$?" 0
expect_match "it turned ip_forward on" "$out" 'net\.ipv4\.ip_forward turned on'
expect_eq "plain forward: one rule" "$(lab_exec router nft list table inet natsh | grep -c 'wizard web: ')" 1
expect_match "inet -> WAN:8080 reaches pc1, which sees the real client" "$(lab_tcp inet $W 8080)" '^pc1 saw 198\.51\.100\.100:[0-9]+$'
expect_rc "router access off: router -> 127.0.0.1:8080 fails" 1 lab_tcp router 127.0.0.1 8080
expect_rc "hairpin off: pc2 -> WAN:8080 fails" 1 lab_tcp pc2 $W 8080
expect_rc "hairpin off: pc1 -> WAN:8080 (itself) fails" 1 lab_tcp pc1 $W 8080

# --- the full set (same name: replaced atomically) ------------------------------
out=$(wiz_natsh -y wizard forward web tcp 8080 to 192.0.2.10:80)
expect_eq "full forward exit 0" "$?" 0
expect_match "replaces the plain one" "$out" 'replacing its 1 earlier rule'
expect_match "route_localnet turned on" "$out" 'net\.ipv4\.conf\.eth1\.route_localnet turned on \(it was 0\)'
expect_eq "route_localnet of eth1" "$(lab_exec router sysctl -n net.ipv4.conf.eth1.route_localnet)" 1
rules=$(lab_exec router nft list table inet natsh | grep -F 'comment "wizard web: ' | sed -E 's/^\t+//; s/ counter packets [0-9]+ bytes [0-9]+/ counter/')
expect_eq "the rules, as nft lists them" "$rules" \
'fib daddr type local tcp dport 8080 counter dnat ip to 192.0.2.10:80 comment "wizard web: port forward (dnat)"
fib daddr type local tcp dport 8080 counter dnat ip to 192.0.2.10:80 comment "wizard web: router access (dnat)"
oifname "eth1" fib saddr type local ip daddr 192.0.2.10 tcp dport 80 ct status dnat counter masquerade comment "wizard web: router access (masquerade)"
oifname "eth1" ip saddr 192.0.2.0/24 ip daddr 192.0.2.10 tcp dport 80 ct status dnat counter masquerade comment "wizard web: hairpin (masquerade)"'

expect_match "inet -> WAN:8080 reaches pc1 (real client seen)" "$(lab_tcp inet $W 8080)" '^pc1 saw 198\.51\.100\.100:[0-9]+$'
expect_match "router -> WAN:8080" "$(lab_tcp router $W 8080)" '^pc1 saw 192\.0\.2\.1:[0-9]+$'
expect_match "router -> LAN:8080" "$(lab_tcp router $LAB_LAN4 8080)" '^pc1 saw 192\.0\.2\.1:[0-9]+$'
expect_match "router -> 127.0.0.1:8080" "$(lab_tcp router 127.0.0.1 8080)" '^pc1 saw 192\.0\.2\.1:[0-9]+$'
expect_match "hairpin: pc2 -> WAN:8080" "$(lab_tcp pc2 $W 8080)" '^pc1 saw 192\.0\.2\.1:[0-9]+$'
expect_match "hairpin: pc1 (the backend) -> WAN:8080" "$(lab_tcp pc1 $W 8080)" '^pc1 saw 192\.0\.2\.1:[0-9]+$'
expect_match "hairpin: pc3 -> LAN:8080" "$(lab_tcp pc3 $LAB_LAN4 8080)" '^pc1 saw 192\.0\.2\.1:[0-9]+$'
wiz_counters_nonzero "every rule of web counted traffic" web
expect_rc "udp is not forwarded by a tcp forward" 1 lab_udp inet $W 8080

# without route_localnet, 127.0.0.1 fails (the wizard's sysctl is needed)
lab_exec router sysctl -qw net.ipv4.conf.eth1.route_localnet=0
expect_rc "route_localnet 0: router -> 127.0.0.1:8080 fails" 1 lab_tcp router 127.0.0.1 8080
lab_exec router sysctl -qw net.ipv4.conf.eth1.route_localnet=1

show=$(wiz_natsh wizard show web)
expect_match "wizard show: summary" "$show" 'wizard web \(forward\): tcp 8080 -> 192\.0\.2\.10:80'
expect_eq "wizard show: four rules" "$(grep -c 'wizard web: ' <<<"$show")" 4
expect_eq "wizard show -j: roles" "$(wiz_natsh -j wizard show web | jq -r '.rules[].role' | tr '\n' ,)" \
	"port forward (dnat),router access (dnat),router access (masquerade),hairpin (masquerade),"

# --- tcp+udp on another port, to pc2 ----------------------------------------------
out=$(wiz_natsh -y wizard forward game tcp+udp 5353 to 192.0.2.11:80)
expect_eq "tcp+udp forward exit 0" "$?" 0
expect_match "tcp+udp: th dport" "$out" 'meta l4proto \{ tcp, udp \} th dport 5353 counter dnat ip to 192\.0\.2\.11:80'
expect_match "tcp+udp: inet -> WAN:5353 tcp" "$(lab_tcp inet $W 5353)" '^pc2 saw 198\.51\.100\.100:[0-9]+$'
expect_match "tcp+udp: inet -> WAN:5353 udp" "$(lab_udp inet $W 5353)" '^pc2 saw 198\.51\.100\.100:[0-9]+$'
expect_match "tcp+udp: router -> 127.0.0.1:5353 udp" "$(lab_udp router 127.0.0.1 5353)" '^pc2 saw 192\.0\.2\.1:[0-9]+$'
expect_match "tcp+udp: router -> WAN:5353 tcp" "$(lab_tcp router $W 5353)" '^pc2 saw 192\.0\.2\.1:[0-9]+$'
expect_match "tcp+udp: hairpin pc3 -> WAN:5353 udp" "$(lab_udp pc3 $W 5353)" '^pc2 saw 192\.0\.2\.1:[0-9]+$'
expect_match "tcp+udp: hairpin pc2 (itself) -> WAN:5353 udp" "$(lab_udp pc2 $W 5353)" '^pc2 saw 192\.0\.2\.1:[0-9]+$'
wiz_counters_nonzero "every rule of game counted traffic" game
expect_match "web still works beside game" "$(lab_tcp inet $W 8080)" '^pc1 saw 198\.51\.100\.100:[0-9]+$'

# --- a port range to one backend port, and a range keeping its ports ----------------
out=$(wiz_natsh -y wizard forward alt tcp 9000-9009 to 192.0.2.12:80)
expect_eq "port range exit 0" "$?" 0
expect_match "range: inet -> WAN:9000" "$(lab_tcp inet $W 9000)" '^pc3 saw 198\.51\.100\.100:[0-9]+$'
expect_match "range: inet -> WAN:9009" "$(lab_tcp inet $W 9009)" '^pc3 saw 198\.51\.100\.100:[0-9]+$'
expect_rc "range: inet -> WAN:9010 is not forwarded" 1 lab_tcp inet $W 9010
expect_match "range: hairpin pc1 -> WAN:9005" "$(lab_tcp pc1 $W 9005)" '^pc3 saw 192\.0\.2\.1:[0-9]+$'
out=$(wiz_natsh -y wizard forward keep udp 80-81 to 192.0.2.12)
expect_eq "range keeping ports exit 0" "$?" 0
expect_match "range keeping ports: inet -> WAN:80 udp" "$(lab_udp inet $W 80)" '^pc3 saw 198\.51\.100\.100:[0-9]+$'
expect_match "range keeping ports: router -> 127.0.0.1:80 udp" "$(lab_udp router 127.0.0.1 80)" '^pc3 saw 192\.0\.2\.1:[0-9]+$'

# warnings: a port the router itself uses; a port another wizard forwards already
lab_exec router socat TCP-LISTEN:2222,reuseaddr,fork SYSTEM:'echo router' </dev/null >/dev/null 2>&1 &
for i in $(seq 50); do lab_exec router ss -Hltn 'sport = :2222' | grep -q . && break; sleep 0.1; done
out=$(wiz_natsh -y --check wizard forward ssh tcp 2222 to 192.0.2.12:80)
expect_match "warns: the router uses that port" "$out" 'the router itself uses tcp port 2222'
out=$(wiz_natsh -y --check wizard forward web2 tcp 8000-8100 to 192.0.2.11:80)
expect_match "warns: another wizard forwards that port" "$out" 'wizard web already forwards port 8080: its rules come first and win'
out=$(wiz_natsh -y --check wizard forward self tcp 7777 to 192.0.2.1:80)
expect_match "warns: the backend is the router" "$out" 'backend 192\.0\.2\.1 is an address of this router \(eth1\)'

expect_eq "wizard list: four forwards" "$(wiz_natsh -j wizard list | jq -r '.[].name' | sort | tr '\n' ' ')" "alt game keep web "

nsh_done

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# wizard masquerade, in the lab: without it a LAN host cannot reach the
# Internet host; with it (TCP and UDP) the Internet host sees the router's WAN
# address; ip_forward is turned on, saying so; SNAT to a static address
# replaces it under the same name; counters count; bad input changes nothing.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/wizard_lib.bash"

nsh_lab_up
R=$(lab_ns router)
export LAB_TIMEOUT=2

expect_rc "before: pc1 -> inet tcp fails" 1 lab_tcp pc1 $LAB_INET4 80
expect_eq "before: ip_forward off" "$(lab_exec router sysctl -n net.ipv4.ip_forward)" 0

# bad input for every argument: exit 1, the message names it, nothing applied
wiz_bad "NAME" 'invalid wizard NAME "-lan"' wizard masquerade -lan from 192.0.2.0/24 out eth0
wiz_bad "SUBNET" 'invalid SUBNET "192.0.2.0/33"' wizard masquerade lan from 192.0.2.0/33 out eth0
wiz_bad "SUBNET host bits" 'did you mean 192.0.2.0/24' wizard masquerade lan from 192.0.2.7/24 out eth0
wiz_bad "out IFACE" 'unknown out interface "eth9"' wizard masquerade lan from 192.0.2.0/24 out eth9
wiz_bad "to ADDRESS" 'invalid ADDRESS "198.51.100"' wizard masquerade lan from 192.0.2.0/24 out eth0 to 198.51.100
wiz_bad "missing out" 'missing out IFACE' wizard masquerade lan from 192.0.2.0/24
# on the command line a required argument is never guessed, even when it could be
lab_exec router ip route add default via $LAB_INET4
wiz_bad "missing out, default route present" 'missing out IFACE' wizard masquerade lan from 192.0.2.0/24
wiz_bad "missing from" 'missing from SUBNET' wizard masquerade lan out eth0
lab_exec router ip route del default
expect_rc "bad input left ip_forward off" 0 test "$(lab_exec router sysctl -n net.ipv4.ip_forward)" = 0

# --check: validated by the kernel, nothing changed
before=$(wiz_ruleset)
out=$(wiz_natsh --check -y wizard masquerade lan from 192.0.2.0/24 out eth0)
expect_eq "--check exit 0" "$?" 0
expect_eq "--check changes no rule" "$(wiz_ruleset)" "$before"
expect_eq "--check leaves ip_forward off" "$(lab_exec router sysctl -n net.ipv4.ip_forward)" 0

out=$(wiz_natsh -y wizard masquerade lan from 192.0.2.0/24 out eth0)
expect_eq "wizard masquerade exit 0" "$?" 0
expect_match "it shows the rule with its reason" "$out" 'postrouting +oifname "eth0" ip saddr 192\.0\.2\.0/24 counter masquerade comment "wizard lan: masquerade"'
expect_match "it says why" "$out" 'why: connections from 192\.0\.2\.0/24 leaving by eth0'
expect_match "it says it turned ip_forward on" "$out" 'net\.ipv4\.ip_forward turned on \(it was 0\)'
expect_eq "ip_forward is on" "$(lab_exec router sysctl -n net.ipv4.ip_forward)" 1
expect_eq "nft lists the rule" "$(lab_exec router nft list chain inet natsh postrouting | grep -c 'oifname "eth0" ip saddr 192.0.2.0/24 counter packets [0-9]* bytes [0-9]* masquerade comment "wizard lan: masquerade"')" 1

expect_match "pc1 -> inet tcp: inet sees the WAN address" "$(lab_tcp pc1 $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'
expect_match "pc2 -> inet udp: inet sees the WAN address" "$(lab_udp pc2 $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'
expect_match "pc3 -> inet tcp" "$(lab_tcp pc3 $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'
wiz_counters_nonzero "masquerade rule counted the traffic" lan

list=$(wiz_natsh wizard list)
expect_match "wizard list names it" "$list" 'lan +masquerade +1 +[0-9.KM]+ +192\.0\.2\.0/24 out eth0 \(masquerade\)'
json=$(wiz_natsh -j wizard list)
expect_eq "wizard list -j" "$(jq -r '.[] | "\(.name) \(.kind) \(.rules) \(.hits > 0)"' <<<"$json")" "lan masquerade 1 true"

# the same name again: SNAT to a static address replaces the masquerade atomically
out=$(wiz_natsh -y wizard masquerade lan from 192.0.2.0/24 out eth0 to 198.51.100.1)
expect_eq "wizard snat exit 0" "$?" 0
expect_match "it says it replaces the earlier rule" "$out" 'replacing its 1 earlier rule'
expect_match "ip_forward already on: a note, no change" "$out" 'net\.ipv4\.ip_forward is already 1'
expect_eq "one rule left, the snat" "$(lab_exec router nft list table inet natsh | grep -c 'comment "wizard lan: ')" 1
expect_eq "it is snat to the static address" "$(lab_exec router nft list table inet natsh | grep -c 'snat ip to 198.51.100.1 comment "wizard lan: snat"')" 1
expect_match "snat: pc1 -> inet tcp" "$(lab_tcp pc1 $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'
expect_match "snat: pc2 -> inet udp" "$(lab_udp pc2 $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'
wiz_counters_nonzero "snat rule counted the traffic" lan

out=$(wiz_natsh -y wizard remove lan)
expect_eq "wizard remove exit 0" "$?" 0
expect_match "remove says sysctls stay" "$out" 'left as they are'
expect_rc "after remove: pc1 -> inet tcp fails again" 1 lab_tcp pc1 $LAB_INET4 80
expect_eq "after remove: no wizard rules" "$(lab_exec router nft list table inet natsh | grep -c 'wizard lan')" 0

nsh_done

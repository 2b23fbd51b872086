#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The wizards driven by questions on a terminal: defaults detected from the
# kernel (WAN = the default route's interface, LAN = the interface whose
# subnet holds the backend, the LAN subnet), bad answers re-asked on the
# spot, the plan shown, nothing applied without a yes; then real traffic.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/wizard_lib.bash"

nsh_lab_up
export LAB_TIMEOUT=2
R=$(lab_ns router)
lab_exec router ip route add default via $LAB_INET4

# Run natsh on a terminal (script(1)) in the router, answers on stdin.
term() { nsh_tty 60 "ip netns exec $R $NATSH --no-color"; }

# forward: every question answered, two bad answers, then "no": nothing changes
before=$(wiz_ruleset)
out=$(printf '%s\n' wizard '' web '' 80a 8080 192.0.2.300 192.0.2.10:80 '' '' '' '' n quit | term)
expect_match "asks which wizard, forward by default" "$out" 'Which wizard .*\[forward\]'
expect_match "proposes tcp" "$out" 'Protocol \(tcp, udp, tcp\+udp\) \[tcp\]'
expect_match "a bad port is re-asked" "$out" 'invalid PORT "80a"'
expect_match "a bad backend is re-asked" "$out" 'invalid backend "192\.0\.2\.300"'

expect_match "WAN detected from the default route" "$out" 'WAN interface \(Internet side\) \[eth0\]'
expect_match "LAN detected from the backend's subnet" "$out" 'LAN interface \(towards the backends\) \[eth1\]'
expect_match "the plan is shown with reasons" "$out" 'prerouting +fib daddr type local tcp dport 8080 counter dnat ip to 192\.0\.2\.10:80'
expect_match "the plan names the sysctls" "$out" 'sysctl +net\.ipv4\.ip_forward = 1'
expect_match "asks to apply" "$out" 'Apply\? \[y/N\]'
expect_match "no: nothing was changed" "$out" 'nothing was changed'
expect_eq "no: ruleset unchanged" "$(wiz_ruleset)" "$before"
expect_eq "no: ip_forward still off" "$(lab_exec router sysctl -n net.ipv4.ip_forward)" 0

# a backend outside every connected subnet: warned on the spot, no LAN default
out=$(printf '%s\n' 'wizard forward far tcp 9999' 203.0.113.9 '' '' '' eth1 n quit | term)
expect_match "a backend off every subnet: a warning on the spot" "$out" 'backend 203\.0\.113\.9 is outside every connected subnet'
expect_match "no LAN proposed for it" "$out" 'LAN interface \(towards the backends\): eth1'
expect_match "answered no" "$out" 'nothing was changed'

# the same, answered yes (defaults everywhere they exist)
out=$(printf '%s\n' 'wizard forward' web '' 8080 192.0.2.10:80 '' '' '' '' y quit | term)
expect_match "yes: applied" "$out" 'applied in one transaction'
expect_match "yes: ip_forward turned on" "$out" 'net\.ipv4\.ip_forward turned on'
expect_match "inet -> WAN:8080 reaches pc1" "$(lab_tcp inet $LAB_WAN4 8080)" '^pc1 saw 198\.51\.100\.100:[0-9]+$'
expect_match "router -> 127.0.0.1:8080 reaches pc1" "$(lab_tcp router 127.0.0.1 8080)" '^pc1 saw 192\.0\.2\.1:[0-9]+$'
expect_match "hairpin pc2 -> WAN:8080" "$(lab_tcp pc2 $LAB_WAN4 8080)" '^pc1 saw 192\.0\.2\.1:[0-9]+$'
wiz_counters_nonzero "the rules answered on a terminal counted traffic" web

# masquerade with every default taken
out=$(printf '%s\n' 'wizard masquerade' '' '' '' '' y quit | term)
expect_match "masquerade: name proposed" "$out" 'Name of this set-up \[lan\]'
expect_match "masquerade: LAN subnet detected" "$out" 'LAN subnet to masquerade \[192\.0\.2\.0/24\]'
expect_match "masquerade: WAN detected" "$out" 'Interface towards the Internet \[eth0\]'
expect_match "masquerade: applied" "$out" 'applied in one transaction'
expect_match "masquerade: pc3 -> inet sees the WAN address" "$(lab_tcp pc3 $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'

# a terminal, but everything on the line and -y: no question at all
out=$(printf '%s\n' 'wizard forward web tcp 8080 to 192.0.2.11:80' quit | nsh_tty 60 "ip netns exec $R $NATSH -y --no-color")
expect_eq "everything given: no question" "$(grep -c '\[y/N\]\|Name of' <<<"$out")" 0
expect_match "everything given: replaced" "$out" 'replacing its 4 earlier rules'
expect_match "inet -> WAN:8080 now reaches pc2" "$(lab_tcp inet $LAB_WAN4 8080)" '^pc2 saw 198\.51\.100\.100:[0-9]+$'

nsh_done

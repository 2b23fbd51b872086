#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# wizard remove: after it, nothing of the forward works any more (Internet,
# router access, hairpin), `nft list ruleset` is exactly as before the
# wizard, other wizards are untouched, sysctls stay on (saying so); an
# unknown name is an error that changes nothing.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/wizard_lib.bash"

nsh_lab_up
export LAB_TIMEOUT=2
W=$LAB_WAN4

# a baseline with another wizard and a hand-written nft table of its own
out=$(wiz_natsh -y wizard masquerade lan from 192.0.2.0/24 out eth0)
expect_eq "baseline masquerade exit 0" "$?" 0
lab_exec router nft -f - <<'NFT'
table ip other {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "eth0" tcp dport 2222 counter dnat to 192.0.2.12:80 comment "not natsh's"
	}
}
NFT
before=$(wiz_ruleset)

out=$(wiz_natsh -y wizard forward web tcp+udp 8080 to 192.0.2.10:80 192.0.2.11:80)
expect_eq "forward exit 0" "$?" 0
expect_match "works: inet -> WAN:8080 tcp" "$(lab_tcp inet $W 8080)" '^pc[12] saw 198\.51\.100\.100:[0-9]+$'
expect_match "works: inet -> WAN:8080 udp" "$(lab_udp inet $W 8080)" '^pc[12] saw 198\.51\.100\.100:[0-9]+$'
expect_match "works: router -> 127.0.0.1:8080" "$(lab_tcp router 127.0.0.1 8080)" '^pc[12] saw 192\.0\.2\.1:[0-9]+$'
expect_match "works: hairpin pc3 -> WAN:8080" "$(lab_tcp pc3 $W 8080)" '^pc[12] saw 192\.0\.2\.1:[0-9]+$'
expect_match "works: masquerade pc3 -> inet" "$(lab_tcp pc3 $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'
expect_rc "ruleset changed while the wizard is on" 1 test "$(wiz_ruleset)" == "$before"

wiz_bad "remove an unknown wizard" 'unknown wizard "nope"' wizard remove nope

out=$(wiz_natsh wizard remove web)
expect_eq "remove exit 0" "$?" 0
expect_match "remove says how many rules" "$out" 'removing 4 rules'
expect_match "remove says the sysctls stay" "$out" 'sysctls it turned on are left as they are \(net\.ipv4\.ip_forward, route_localnet of the LAN interface\)'
expect_eq "nft list ruleset is as before the wizard" "$(wiz_ruleset)" "$before"
expect_rc "removed: inet -> WAN:8080 tcp fails" 1 lab_tcp inet $W 8080
expect_rc "removed: inet -> WAN:8080 udp fails" 1 lab_udp inet $W 8080
expect_rc "removed: router -> 127.0.0.1:8080 fails" 1 lab_tcp router 127.0.0.1 8080
expect_rc "removed: router -> WAN:8080 fails" 1 lab_tcp router $W 8080
expect_rc "removed: hairpin pc3 -> WAN:8080 fails" 1 lab_tcp pc3 $W 8080
expect_match "the other wizard still works" "$(lab_tcp pc3 $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'
expect_match "the hand-written table still works" "$(lab_tcp inet $W 2222)" '^pc3 saw 198\.51\.100\.100:[0-9]+$'
expect_eq "ip_forward stays on" "$(lab_exec router sysctl -n net.ipv4.ip_forward)" 1
expect_eq "route_localnet stays on" "$(lab_exec router sysctl -n net.ipv4.conf.eth1.route_localnet)" 1
expect_eq "wizard list: only lan" "$(wiz_natsh -j wizard list | jq -r '.[].name')" "lan"
wiz_bad "remove twice" 'unknown wizard "web"' wizard remove web

# interactively, `undo` takes a whole wizard back in one step; inside begin it is staged
out=$(printf '%s\n' 'wizard forward web tcp 8080 to 192.0.2.10:80 192.0.2.11:80' undo quit |
	nsh_tty 60 "ip netns exec $(lab_ns router) $NATSH -y --no-color")
expect_match "terminal: applied" "$out" 'applied in one transaction'
expect_eq "undo takes the whole wizard back" "$(wiz_ruleset)" "$before"
out=$(printf '%s\n' begin 'wizard forward web tcp 8080 to 192.0.2.10:80' diff abort quit |
	nsh_tty 60 "ip netns exec $(lab_ns router) $NATSH -y --no-color")
expect_match "inside begin: staged" "$out" 'staged: the rules apply at commit'
expect_match "diff shows the staged wizard rules" "$out" '\+ fib daddr type local tcp dport 8080 counter dnat ip to 192\.0\.2\.10:80 comment "wizard web: port forward \(dnat\)"'
expect_eq "abort: nothing applied" "$(wiz_ruleset)" "$before"

out=$(wiz_natsh wizard remove lan)
expect_eq "remove the masquerade exit 0" "$?" 0
expect_rc "removed: pc3 -> inet fails" 1 lab_tcp pc3 $LAB_INET4 80
expect_eq "no wizard rule left in natsh's table" "$(lab_exec router nft list table inet natsh | grep -c 'comment "wizard ')" 0
expect_eq "wizard list is empty" "$(wiz_natsh -j wizard list)" "[]"

nsh_done

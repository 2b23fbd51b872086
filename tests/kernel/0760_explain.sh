#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `explain` against the kernel (issue 17): for each lab scenario (forward
# from the Internet, router access to 127.0.0.1, masquerade of a LAN host,
# hairpin from pc2 and from the backend itself) explain's prediction of the
# translated packet equals what conntrack -L shows for the same connection
# after real traffic.  A disagreement fails.  Also bad inputs.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/wizard_lib.bash"

nsh_lab_up
export LAB_TIMEOUT=2
W=$LAB_WAN4
R() { nsx "$(lab_ns router)" "$NATSH" --no-color "$@"; }

wiz_natsh -y wizard forward web tcp 8080 to 192.0.2.10:80 >/dev/null
expect_eq "wizard forward exit 0" "$?" 0
R -c 'add postrouting oifname "eth0" ip saddr 192.0.2.0/24 masquerade' >/dev/null
expect_eq "masquerade rule added" "$?" 0

# predicted FROM... TO...: "paths src dst dport" of explain -j
predict() {
	R -j explain tcp from "$1" to "$2" | python3 -c '
import json, sys
d = json.load(sys.stdin)
p = d["paths"]
f = p[0]["final"] if p else {}
print(len(p), f.get("src"), f.get("dst"), f.get("dport"))'
}
# check NAME HOST ORIGSRC FROM TO ADDR PORT: traffic from HOST to ADDR:PORT, then
# conntrack's reply tuple must be explain's final packet turned round
check() {
	local name=$1 host=$2 osrc=$3 from=$4 to=$5 addr=$6 port=$7 n src dst dport ct
	read -r n src dst dport <<<"$(predict "$from" "$to")"
	expect_eq "$name: explain gives one path" "$n" 1
	lab_tcp "$host" "$addr" "$port" >/dev/null || fail "$name: traffic ($host -> $addr:$port)"
	ct=$(lab_exec router conntrack -L -p tcp --orig-src "$osrc" --orig-dst "$addr" --orig-port-dst "$port" 2>/dev/null | head -1)
	expect_match "$name: conntrack shows explain's translation ($src -> $dst:$dport)" "$ct" \
		"dst=${addr//./\\.} .*dport=$port src=${dst//./\\.} dst=${src//./\\.} sport=$dport "
}
check "forward from the Internet" inet 198.51.100.100 198.51.100.100:40000 "$W:8080" "$W" 8080
check "router access to 127.0.0.1" router 127.0.0.1 router 127.0.0.1:8080 127.0.0.1 8080
check "masquerade of pc2" pc2 192.0.2.11 192.0.2.11:40001 198.51.100.100:80 198.51.100.100 80
check "hairpin from pc2" pc2 192.0.2.11 192.0.2.11:40002 "$W:8080" "$W" 8080
check "hairpin from the backend itself" pc1 192.0.2.10 192.0.2.10:40003 "$W:8080" "$W" 8080

txt=$(R explain tcp from 198.51.100.100:40000 to "$W:8080")
expect_match "text: names the rule that translates" "$txt" 'dnat by inet natsh prerouting rule 1'
expect_match "text: the translation, before and after" "$txt" "destination ${W//./\\.}:8080 ⇒ 192\\.0\\.2\\.10:80"

# bad inputs: clear errors naming the word, exit 1
expect_match "unknown interface" "$(R explain tcp from 198.51.100.100 to "$W:8080" in eth9 2>&1)" 'eth9'
expect_match "bad address" "$(R explain tcp from 198.51.100.300 to "$W:8080" 2>&1)" '198\.51\.100\.300'
expect_match "icmp with a port" "$(R explain icmp from 198.51.100.100 to "$W:8080" 2>&1)" 'port'
R explain tcp from 198.51.100.100 to "$W:99999" >/dev/null 2>&1
expect_eq "bad port exits 1" "$?" 1
nsh_done

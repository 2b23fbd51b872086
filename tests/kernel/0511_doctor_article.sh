#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# doctor and the reference article's pitfalls, in the lab, both families:
# for each finding the broken set-up is made, doctor finds it and names it
# in the article's terms, the fix doctor prints is run verbatim (natsh -c),
# doctor no longer reports it, and real TCP connections (with timeouts)
# show that the case now works end to end.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/wizard_lib.bash"

nsh_lab_up
export LAB_TIMEOUT=2
W4=$LAB_WAN4 W6=$LAB_WAN6 L4=$LAB_LAN4 L6=$LAB_LAN6
R=$(lab_ns router)
CASE=

# Each case starts from no natsh table, forwarding on, route_localnet off.
reset() {
	lab_exec router nft delete table inet natsh 2>/dev/null
	lab_exec router sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.eth1.route_localnet=0 net.ipv4.conf.all.route_localnet=0
}
doc_json() { nsx "$R" "$NATSH" -j doctor 2>/dev/null; }
doc_ids() { doc_json | jq -r '.findings[].id' | sort -u | tr '\n' ' '; }

# finding "ID [(IPv6)]" TERM SETUP [NSTEPS]: SETUP (bash, $N is natsh) gives finding
# ID whose "what" or "why" names TERM; its fix, run verbatim, makes it go away.
finding() {
	local id=${1%% *} term=$2 setup=$3 nsteps=${4:-} js f fix
	CASE=$1; reset
	nsx "$R" bash -c "N=$NATSH; $setup" >/dev/null 2>&1
	js=$(doc_json)
	f=$(jq -c --arg id "$id" '[.findings[] | select(.id == $id)][0] // empty' <<<"$js")
	if [ -z "$f" ]; then fail "$id: found"; jq -r '.findings[].id' <<<"$js" | sed 's/^/#   has: /'; return 1; fi
	if grep -qF -- "$term" <<<"$(jq -r '.what + " " + .why' <<<"$f")"; then
		ok "$id: found, named \"$term\""
	else
		fail "$id: named \"$term\""; jq -r '.what, .why' <<<"$f" | sed 's/^/#   /'
	fi
	fix=$(jq -r '.fix' <<<"$f")
	if [ -n "$nsteps" ]; then
		expect_eq "$id: the fix has $nsteps parts, each with its reason" \
			"$(jq -r '[.steps[] | select((.why | length) > 20)] | length' <<<"$f")" "$nsteps"
	fi
	if nsx "$R" "$NATSH" -y -c "$fix" >/dev/null 2>&1; then ok "$id: the fix runs ($fix)"; else
		fail "$id: the fix runs ($fix)"; fi
	if [[ " $(doc_ids) " == *" $id "* ]]; then fail "$id: gone after the fix"
		nsx "$R" "$NATSH" doctor 2>&1 | sed 's/^/#   /'; else ok "$id: gone after the fix"; fi
}
# reach FROM ADDR PORT REGEX: a TCP connection gets the answer
reach() {
	expect_match "$CASE: $1 -> $2:$3 works" "$(lab_tcp "$1" "$2" "$3")" "$4"
}
pc1_4='^pc1 saw 198\.51\.100\.100:[0-9]+$' pc1_6='^pc1 saw \[2001:db8:ffff::100\]:[0-9]+$'
pc1_lan4='^pc1 saw 192\.0\.2\.1:[0-9]+$' pc1_lan6='^pc1 saw \[2001:db8:1::1\]:[0-9]+$'
# IPv6 router access needs no masquerade: the router's source is one of its own addresses
pc1_wan6='^pc1 saw \[2001:db8:ffff::1\]:[0-9]+$'
B6='[2001:db8:1::10]:80'

# --- hairpin NAT: a forward that only matches the WAN interface -------------------
if finding dnat_wan_only "hairpin" '$N -c "add prerouting iifname \"eth0\" tcp dport 8080 dnat ip to 192.0.2.10:80"' 2; then
	reach inet "$W4" 8080 "$pc1_4"
	reach pc2 "$W4" 8080 "$pc1_lan4"
	reach pc1 "$W4" 8080 "$pc1_lan4"
fi
if finding "dnat_wan_only (IPv6)" "hairpin" "\$N -c 'add prerouting iifname \"eth0\" tcp dport 8081 dnat ip6 to $B6'" 2; then
	reach inet "$W6" 8081 "$pc1_6"
	reach pc2 "$W6" 8081 "$pc1_lan6"
	reach pc1 "$W6" 8081 "$pc1_lan6"
fi
if finding no_hairpin "hairpin" '$N -y -c "wizard forward h4 tcp 8082 to 192.0.2.10:80 hairpin off"'; then
	reach pc2 "$W4" 8082 "$pc1_lan4"
fi
if finding "no_hairpin (IPv6)" "hairpin" "\$N -c 'add prerouting fib daddr type local tcp dport 8083 dnat ip6 to $B6; add output fib daddr type local tcp dport 8083 dnat ip6 to $B6'"; then
	reach pc2 "$W6" 8083 "$pc1_lan6"
fi

# --- router access: the whole set, each part with its reason ----------------------
if finding router_access_missing "router access" '$N -c "add prerouting fib daddr type local tcp dport 8084 dnat ip to 192.0.2.10:80"' 3; then
	reach router 127.0.0.1 8084 "$pc1_lan4"
	reach router "$W4" 8084 "$pc1_lan4"
	reach router "$L4" 8084 "$pc1_lan4"
fi
if finding router_access_no_masq "router access" '$N -c "add prerouting fib daddr type local tcp dport 8085 dnat ip to 192.0.2.10:80; add output fib daddr type local tcp dport 8085 dnat ip to 192.0.2.10:80"' 2; then
	reach router 127.0.0.1 8085 "$pc1_lan4"
	reach router "$W4" 8085 "$pc1_lan4"
fi
if finding router_access_no_localnet "route_localnet" '$N -y -c "wizard forward r6 tcp 8086 to 192.0.2.10:80"; sysctl -qw net.ipv4.conf.eth1.route_localnet=0'; then
	reach router 127.0.0.1 8086 "$pc1_lan4"
fi
if finding "router_access_missing (IPv6)" "router access" "\$N -c 'add prerouting fib daddr type local tcp dport 8087 dnat ip6 to $B6'"; then
	reach router "$W6" 8087 "$pc1_wan6"
	reach router "$L6" 8087 "$pc1_lan6"
fi
if finding router_access_loopback6 "route_localnet" "\$N -c 'add prerouting fib daddr type local tcp dport 8088 dnat ip6 to $B6; add output ip6 daddr ::1 tcp dport 8088 dnat ip6 to $B6'"; then
	reach router "$W6" 8088 "$pc1_wan6"
	reach router "$L6" 8088 "$pc1_lan6"
fi

# --- forwarding sysctls -----------------------------------------------------------
if finding ip_forward_off "net.ipv4.ip_forward" '$N -y -c "wizard forward f4 tcp 8089 to 192.0.2.10:80"; sysctl -qw net.ipv4.ip_forward=0'; then
	reach inet "$W4" 8089 "$pc1_4"
fi
if finding ip6_forward_off "net.ipv6.conf.all.forwarding" "\$N -c 'add prerouting fib daddr type local tcp dport 8090 dnat ip6 to $B6'; sysctl -qw net.ipv6.conf.all.forwarding=0"; then
	reach inet "$W6" 8090 "$pc1_6"
fi
# IPv6 rules alone do not need net.ipv4.ip_forward
reset
nsx "$R" "$NATSH" -c "add prerouting fib daddr type local tcp dport 8090 dnat ip6 to $B6" >/dev/null 2>&1
lab_exec router sysctl -qw net.ipv4.ip_forward=0
[[ " $(doc_ids) " == *" ip_forward_off "* ]] && fail "IPv6 forwards alone: no ip_forward_off" || ok "IPv6 forwards alone: no ip_forward_off"

# --- an unreachable DNAT target, with a port set ------------------------------------
# the router's own service on port 80: once the DNAT to nowhere is gone, it answers
lab_exec router python3 "$NSH_TOP/tests/lab/serve.py" router 80 </dev/null >/dev/null 2>&1 &
srv=$!
for _ in $(seq 50); do [ "$(lab_exec router ss -Hltn 'sport = :80' | wc -l)" -ge 2 ] && break; sleep 0.1; done
if finding dnat_unreachable "{ 80, 443 }" '$N -c "add prerouting tcp dport { 80, 443 } dnat ip to 203.0.113.5"'; then
	reach inet "$W4" 80 '^router saw 198\.51\.100\.100:[0-9]+$'
fi
if finding "dnat_unreachable (IPv6)" "{ 80, 443 }" '$N -c "add prerouting tcp dport { 80, 443 } dnat ip6 to 2001:db8:99::5"'; then
	reach inet "$W6" 80 '^router saw \[2001:db8:ffff::100\]:[0-9]+$'
fi
kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null

nsh_done

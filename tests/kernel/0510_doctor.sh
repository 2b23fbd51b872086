#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# doctor: for every finding, a namespace set-up that produces it and one
# that does not; the fix doctor suggests is run and doctor run again: the
# finding is gone.  doctor -j is JSON; exit status 1 with findings, 0 without.
source "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d /tmp/natsh-0510.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
n=0

# A router: wan0 198.51.100.2/24 (default route), lan0 192.0.2.1/24, forwarding on.
router() {
	local ns i
	ns=$(nsh_ns_new "d$1")
	ip -n "$ns" link add wan0 type veth peer name wan1
	ip -n "$ns" link add lan0 type veth peer name lan1
	for i in wan0 wan1 lan0 lan1; do ip -n "$ns" link set "$i" up; done
	ip -n "$ns" addr add 198.51.100.2/24 dev wan0
	ip -n "$ns" addr add 192.0.2.1/24 dev lan0
	ip -n "$ns" route add default via 198.51.100.1
	nsx "$ns" sysctl -q -w net.ipv4.ip_forward=1
	echo "$ns"
}
ids() { nsx "$1" "$NATSH" -j doctor 2>/dev/null | jq -r '.findings[].id' | sort -u | tr '\n' ' '; }
fix_of() { nsx "$1" "$NATSH" -j doctor 2>/dev/null | jq -r --arg id "$2" '[.findings[] | select(.id == $id)][0].fix'; }

# produces ID SETUP: the finding appears; its fix (natsh -c, or sh for a shell fix) removes it
produces() {
	local id=$1 setup=$2 shellfix=${3:-} ns fix
	n=$((n + 1)); ns=$(router $n)
	nsx "$ns" bash -c "N=$NATSH; $setup" >/dev/null 2>&1
	if [[ " $(ids "$ns") " == *" $id "* ]]; then ok "$id: found"; else
		fail "$id: found"; nsx "$ns" "$NATSH" doctor 2>&1 | sed 's/^/#   /'; return; fi
	fix=$(fix_of "$ns" "$id")
	[ -n "$fix" ] && [ "$fix" != null ] && ok "$id: a fix is suggested ($fix)" || { fail "$id: a fix is suggested"; return; }
	if [ -n "$shellfix" ]; then
		nsx "$ns" bash -c "$shellfix" >/dev/null 2>&1
	else
		nsx "$ns" "$NATSH" -y -c "$fix" >/dev/null 2>&1 || fail "$id: the fix runs ($fix)"
	fi
	if [[ " $(ids "$ns") " == *" $id "* ]]; then fail "$id: gone after the fix"
		nsx "$ns" "$NATSH" doctor 2>&1 | sed 's/^/#   /'; else ok "$id: gone after the fix"; fi
}
# clean ID SETUP: a set-up close to the bad one does not produce the finding
clean() {
	local id=$1 setup=$2 ns
	n=$((n + 1)); ns=$(router $n)
	nsx "$ns" bash -c "N=$NATSH; $setup" >/dev/null 2>&1
	if [[ " $(ids "$ns") " == *" $id "* ]]; then fail "$id: not found in a good set-up"
		nsx "$ns" "$NATSH" doctor 2>&1 | sed 's/^/#   /'; else ok "$id: not found in a good set-up"; fi
}

wiz='$N -y -c "wizard forward web tcp 8080 to 192.0.2.10:80"'

produces ip_forward_off '$N -c "add postrouting oifname \"wan0\" masquerade"; sysctl -q -w net.ipv4.ip_forward=0'
clean    ip_forward_off '$N -c "add postrouting oifname \"wan0\" masquerade"'

produces router_access_missing '$N -c "add prerouting fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80"'
clean    router_access_missing "$wiz"

produces router_access_no_masq '$N -c "add prerouting fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80; add output fib daddr type local tcp dport 8080 dnat ip to 192.0.2.10:80"'
clean    router_access_no_masq "$wiz"

produces router_access_no_localnet "$wiz; sysctl -q -w net.ipv4.conf.lan0.route_localnet=0"
clean    router_access_no_localnet "$wiz"

produces dnat_wan_only '$N -y -c "wizard forward web tcp 8080 to 192.0.2.10:80"; $N -c "replace prerouting 1 iifname \"wan0\" tcp dport 8080 dnat ip to 192.0.2.10:80"'
clean    dnat_wan_only "$wiz"

produces no_hairpin '$N -y -c "wizard forward web tcp 8080 to 192.0.2.10:80 hairpin off"'
clean    no_hairpin "$wiz"

produces dnat_unreachable '$N -c "add prerouting tcp dport 9001 dnat ip to 203.0.113.5"'
clean    dnat_unreachable '$N -c "add prerouting tcp dport 9001 dnat ip to 192.0.2.5"'

produces snat_bad_iface '$N -c "add postrouting oifname \"eth9\" masquerade"'
clean    snat_bad_iface '$N -c "add postrouting oifname \"wan0\" masquerade"'

produces shadowed_rule '$N -c "add postrouting oifname \"wan0\" masquerade; add postrouting oifname \"wan0\" ip saddr 192.0.2.0/24 snat ip to 198.51.100.2"'
clean    shadowed_rule '$N -c "add postrouting oifname \"wan0\" ip saddr 192.0.2.0/24 snat ip to 198.51.100.2; add postrouting oifname \"wan0\" masquerade"'

produces no_counter '$N -c "add postrouting nocounter oifname \"wan0\" masquerade"'
clean    no_counter '$N -c "add postrouting oifname \"wan0\" masquerade"'

lb='iptables -t nat -A PREROUTING -p tcp --dport 81 -m statistic --mode random --probability'
produces uneven_probability "\$N -c '$lb 0.33 -j DNAT --to-destination 192.0.2.10; $lb 0.33 -j DNAT --to-destination 192.0.2.11; iptables -t nat -A PREROUTING -p tcp --dport 81 -j DNAT --to-destination 192.0.2.12'"
clean    uneven_probability "\$N -c '$lb 0.3333 -j DNAT --to-destination 192.0.2.10; $lb 0.5 -j DNAT --to-destination 192.0.2.11; iptables -t nat -A PREROUTING -p tcp --dport 81 -j DNAT --to-destination 192.0.2.12'"
# iptables-nft's own statistic rules: found (natsh does not rewrite them: the corrected values are named)
n=$((n + 1)); ns=$(router $n)
for p in 0.33 0.33; do nsx "$ns" iptables-nft -t nat -A PREROUTING -p tcp --dport 80 -m statistic --mode random --probability $p -j DNAT --to-destination 192.0.2.10; done
nsx "$ns" iptables-nft -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.0.2.12
expect_match "uneven_probability: found in iptables-nft rules, with the corrected values" \
	"$(nsx "$ns" "$NATSH" doctor 2>&1)" 'rules 1-3 of chain PREROUTING split traffic at random, but unevenly: 33%, 22%, 45% \(corrected probabilities: 0.3333, 0.5, rest\)'
n=$((n + 1)); ns=$(router $n)
nsx "$ns" iptables-nft -t nat -A PREROUTING -p tcp --dport 80 -m statistic --mode random --probability 0.5 -j DNAT --to-destination 192.0.2.10
nsx "$ns" iptables-nft -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.0.2.12
[[ " $(ids "$ns") " == *" uneven_probability "* ]] && fail "uneven_probability: not found in even iptables-nft rules (0.5, rest)" || ok "uneven_probability: not found in even iptables-nft rules (0.5, rest)"

if command -v iptables-legacy >/dev/null; then
	produces iptables_legacy 'iptables-legacy -t nat -A POSTROUTING -o wan0 -j MASQUERADE' 'iptables-legacy -t nat -F'
	clean    iptables_legacy 'iptables-legacy -t nat -A POSTROUTING -o wan0 -j MASQUERADE; iptables-legacy -t nat -F'
else
	fail "iptables-legacy is needed"
fi

# the wizards' own set-ups are healthy; exit status and JSON
ns=$(router w)
nsx "$ns" "$NATSH" -y -c 'wizard masquerade lan from 192.0.2.0/24 out wan0' >/dev/null
nsx "$ns" "$NATSH" -y -c 'wizard forward lb tcp+udp 9000 to 192.0.2.10 192.0.2.11' >/dev/null
nsx "$ns" "$NATSH" -y -c 'wizard forward web tcp 8080 to 192.0.2.10:80' >/dev/null
out=$(nsx "$ns" "$NATSH" doctor 2>&1); rc=$?
expect_eq "the wizards' set-ups: doctor exits 0" "$rc" "0"
expect_eq "the wizards' set-ups: no problems found" "$out" "no problems found"
expect_eq "doctor -j without findings" "$(nsx "$ns" "$NATSH" -j doctor | jq -c .)" '{"problems":0,"findings":[]}'
nsx "$ns" sysctl -q -w net.ipv4.ip_forward=0
expect_rc "doctor exits 1 with a finding" 1 nsx "$ns" "$NATSH" doctor
expect_eq "doctor -j has what, why and fix" \
	"$(nsx "$ns" "$NATSH" -j doctor | jq -r '.findings[0] | [.id, (.what|length>0), (.why|length>0), .fix] | @tsv')" \
	"$(printf 'ip_forward_off\ttrue\ttrue\tsysctl net.ipv4.ip_forward 1')"

nsh_done

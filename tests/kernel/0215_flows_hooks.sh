#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Flows per rule with real traffic in the lab: show's flows column and
# `conntrack rule` equal what `conntrack -L` shows for each rule's
# translation (port forward, router access, masquerade); `show hooks` lists
# nft, iptables-nft and natsh chains in priority order and notes
# iptables-legacy's nat table.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/wizard_lib.bash"

nsh_lab_up
export LAB_TIMEOUT=2
W=$LAB_WAN4
R() { nsx "$(lab_ns router)" "$NATSH" --no-color "$@"; }

out=$(wiz_natsh -y wizard forward web tcp 8080 to 192.0.2.10:80 hairpin off)
expect_eq "wizard forward exit 0" "$?" 0
R -c 'add postrouting oifname "eth0" ip saddr 192.0.2.0/24 masquerade; add prerouting meta mark 7 dnat ip to 192.0.2.12' >/dev/null
expect_eq "rules added" "$?" 0
for i in 1 2 3; do lab_tcp inet $W 8080 >/dev/null || fail "inet -> WAN:8080 ($i)"; done
lab_tcp router 127.0.0.1 8080 >/dev/null || fail "router -> 127.0.0.1:8080"
for i in 1 2; do lab_tcp pc2 $LAB_INET4 80 >/dev/null || fail "pc2 -> inet:80 ($i)"; done

ct=$(lab_exec router conntrack -L 2>/dev/null)
# what conntrack -L shows for each rule's translation
want_fwd=$(grep -E 'src=198\.51\.100\.100 dst=198\.51\.100\.1 .*dport=8080 .*src=192\.0\.2\.10 dst=198\.51\.100\.100 sport=80 ' <<<"$ct" | wc -l)
want_local=$(grep -E '^tcp .* src=127\.0\.0\.1 dst=127\.0\.0\.1 .*dport=8080 .*src=192\.0\.2\.10 dst=192\.0\.2\.1 sport=80 ' <<<"$ct" | wc -l)
want_masq=$(grep -E 'src=192\.0\.2\.11 dst=198\.51\.100\.100 .*dport=80 .*src=198\.51\.100\.100 dst=198\.51\.100\.1 ' <<<"$ct" | wc -l)
expect_eq "conntrack -L: 3 forwarded, 1 router access, 2 masqueraded" "$want_fwd $want_local $want_masq" "3 1 2"

j=$(R -j show | python3 -c '
import json, sys
d = json.load(sys.stdin)
for t in d["tables"]:
    for c in t["chains"]:
        for r in c["rules"]:
            print(c["name"], r["position"], r["flows"], r.get("flows_unknown", "-"))')
got() { awk -v c="$1" -v p="$2" '$1 == c && $2 == p { print $3 }' <<<"$j"; }
expect_eq "port forward rule: flows = conntrack -L" "$(got prerouting 1)" "$want_fwd"
expect_eq "router access rule: flows = conntrack -L" "$(got output 1)" "$want_local"
masq=$(R -j show | python3 -c '
import json, sys
d = json.load(sys.stdin)
print([r["flows"] for t in d["tables"] for c in t["chains"] if c["name"] == "postrouting"
       for r in c["rules"] if r["rule"].startswith("oifname \"eth0\" ip saddr")][0])')
expect_eq "masquerade rule: flows = conntrack -L" "$masq" "$want_masq"
expect_match "a mark match is not attributed, and says why" "$(grep 'meta mark' <<<"$j"; awk '$1 == "prerouting" && $3 == "None"' <<<"$j")" 'meta mark'
txt=$(R show prerouting)
expect_match "text show has a flows column" "$txt" '#  handle  packets  bytes  flows  rule'
expect_match "text show: the unknown rule has ?" "$txt" '  \?  meta mark 0x00000007'
n=$(R conntrack rule prerouting 1 | grep -c '⇒ 192.0.2.10:80')
expect_eq "conntrack rule prerouting 1 lists the forwarded entries" "$n" "$want_fwd"
expect_match "conntrack rule says how many" "$(R conntrack rule prerouting 1)" "$want_fwd entries made by rule 1 of inet natsh prerouting"
expect_match "conntrack rule on a rule it cannot evaluate warns" "$(R conntrack rule prerouting 2 2>&1 >/dev/null)" 'cannot evaluate'

ws=$(R wizard show web)
expect_match "wizard show: a FLOWS column" "$ws" 'CHAIN +# +HANDLE +PACKETS +BYTES +FLOWS +RULE'
expect_match "wizard show: the port forward's flows" "$ws" "prerouting +1 +[0-9]+ +[^ ]+ +[^ ]+ +$want_fwd +fib daddr"
expect_eq "wizard show lists the group's entries" "$(grep -c '192.0.2.10:80  timeout' <<<"$ws")" "$((want_fwd + want_local))"
expect_eq "wizard show -j: flows of the port forward" \
	"$(R -j wizard show web | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["rules"][0]["flows"], len(d["flows"]))')" \
	"$want_fwd $((want_fwd + want_local))"

# --- show hooks: nft, iptables-nft and natsh chains in priority order ---
lab_exec router nft add table ip early
lab_exec router nft add chain ip early pre '{ type filter hook prerouting priority raw; }'
lab_exec router nft add chain ip early post '{ type nat hook postrouting priority srcnat + 10; }'
lab_exec router iptables-nft -t nat -A POSTROUTING -o eth9 -j MASQUERADE
h=$(R -j show hooks 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
for e in d["hooks"]:
    if e["ipver"] == "ipv4" and e["hook"] in ("prerouting", "postrouting"):
        print(e["hook"], e["prio"], e["priority"], e["type"], e["family"], e["table"], e["chain"], e["owner"])')
expect_eq "show hooks: IPv4 prerouting and postrouting in priority order" "$h" \
"prerouting -300 raw filter ip early pre nft
prerouting -100 dstnat nat inet natsh prerouting natsh
postrouting 100 srcnat nat inet natsh postrouting natsh
postrouting 100 srcnat nat ip nat POSTROUTING iptables-nft
postrouting 110 srcnat + 10 nat ip early post nft"
expect_match "show hooks text" "$(R show hooks 2>&1)" 'postrouting +100 +srcnat +nat +inet natsh +postrouting +accept +natsh'
expect_eq "no legacy warning yet" "$(R show hooks 2>&1 >/dev/null)" ""
lab_exec router iptables-legacy -t nat -A PREROUTING -p tcp --dport 81 -j DNAT --to-destination 192.0.2.12
expect_match "show hooks warns about iptables-legacy's nat table" "$(R show hooks 2>&1 >/dev/null)" \
	'iptables-legacy has a nat table here \(1 rule\)'
expect_match "show hooks -j: legacy" "$(R -j show hooks 2>/dev/null)" '"ipver":"ipv4","nat_loaded":true,"nat_rules":1'
lab_exec router iptables-legacy -t nat -F

nsh_done

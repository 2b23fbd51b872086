#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `conntrack` against the kernel, with conntrack(8) as the oracle: after real
# TCP/UDP connections (IPv4 and IPv6) through a port forward and a masquerade
# on the lab router, `conntrack dnat` lists them with the right translated
# tuple, filters select what they say, -j is valid JSON, `count` agrees,
# `delete` removes exactly the matching entries, `flush` asks for -y.
source "$(dirname "$0")/../lib.sh"

nsh_lab_up
lab_forwarding on
R=$(lab_ns router)
nat() { nsh_natsh "$R" "$@"; }
oracle() { nsx "$R" conntrack "$@" 2>/dev/null; }

nsx "$R" nft -f - <<'EOF' || fail "router ruleset loads"
table inet portfw {
	chain pre {
		type nat hook prerouting priority dstnat;
		iifname "eth0" meta nfproto ipv4 tcp dport 8080 dnat ip to 192.0.2.10:80
		iifname "eth0" meta nfproto ipv4 udp dport 8080 dnat ip to 192.0.2.11:80
		iifname "eth0" meta nfproto ipv6 tcp dport 8080 dnat ip6 to [2001:db8:1::12]:80
	}
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "eth0" meta nfproto ipv4 masquerade
	}
}
EOF

# real traffic through the forward (3 TCP, 2 UDP, 1 TCP over IPv6) and out (2 TCP)
for i in 1 2 3; do
	expect_match "inet -> forward tcp $i" "$(lab_tcp inet $LAB_WAN4 8080)" '^pc1 saw 198\.51\.100\.100:'
done
for i in 1 2; do
	expect_match "inet -> forward udp $i" "$(lab_udp inet $LAB_WAN4 8080)" '^pc2 saw 198\.51\.100\.100:'
done
expect_match "inet -> forward tcp6" "$(lab_tcp inet $LAB_WAN6 8080)" '^pc3 saw \[2001:db8:ffff::100\]:'
for h in pc1 pc3; do
	expect_match "$h -> inet masqueraded" "$(lab_tcp $h $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:'
done

# --- listing: the translated tuple, per entry, against conntrack -L ---------
out=$(nat conntrack dnat)
expect_eq "dnat tcp lines" "$(grep -c '^tcp .*→ 198\.51\.100\.1:8080 .*⇒ 192\.0\.2\.10:80 ' <<<"$out")" 3
expect_eq "dnat udp lines" "$(grep -c '^udp .*→ 198\.51\.100\.1:8080 .*⇒ 192\.0\.2\.11:80 ' <<<"$out")" 2
expect_match "dnat tcp6 line" "$out" \
	'tcp  [A-Z_]+ +\[2001:db8:ffff::100\]:[0-9]+ → \[2001:db8:ffff::1\]:8080 ⇒ \[2001:db8:1::12\]:80  timeout [0-9]+'
n4=$(oracle -L -f ipv4 --dst-nat | wc -l); n6=$(oracle -L -f ipv6 --dst-nat | wc -l)
expect_eq "dnat count = conntrack -L --dst-nat (v4 + v6)" "$(wc -l <<<"$out")" "$((n4 + n6))"

# the exact tuples: "src sport dst dport -> translated dst dport" from both tools
want=$(oracle -L -f ipv4 --dst-nat -p tcp | sed -E \
	's/.*src=([^ ]+) dst=([^ ]+) sport=([0-9]+) dport=([0-9]+) .*src=([^ ]+) dst=[^ ]+ sport=([0-9]+) dport=[0-9]+.*/\1:\3 → \2:\4 ⇒ \5:\6/' | sort)
got=$(nat conntrack dnat tcp ip | sed -E 's/^tcp +[A-Z_]+ +([^ ]+) +→ +([^ ]+) +⇒ ([^ ]+) .*/\1 → \2 ⇒ \3/' | sort)
expect_eq "dnat tcp tuples equal conntrack -L's" "$got" "$want"

# SNAT (masquerade): new source shown before the destination
expect_match "snat line shows the new source" "$(nat conntrack snat src 192.0.2.12)" \
	'^tcp +[A-Z_]+ +192\.0\.2\.12:[0-9]+ +→ 198\.51\.100\.100:80 +⇒ 198\.51\.100\.1:[0-9]+ → 198\.51\.100\.100:80  timeout'
expect_eq "snat entries = conntrack -L --src-nat" "$(nat conntrack snat | wc -l)" \
	"$(oracle -L -f ipv4 --src-nat | wc -l)"

# --- filters select what they say -------------------------------------------
expect_eq "udp filter: only udp" "$(nat conntrack udp | grep -vc '^udp ')" 0
expect_eq "udp dnat count" "$(nat conntrack dnat udp | wc -l)" 2
expect_eq "src filter (before NAT)" "$(nat conntrack dnat src 198.51.100.100 | wc -l)" 5
expect_eq "dst filter matches the translated address" \
	"$(nat conntrack dst 192.0.2.10 | grep -c '⇒ 192\.0\.2\.10:80')" 3
expect_eq "dst prefix" "$(nat conntrack dnat dst 192.0.2.0/24 | wc -l)" 5
expect_eq "port filter (translated port 80 or original 8080)" "$(nat conntrack dnat port 8080 | wc -l)" 6
expect_eq "ip6 filter" "$(nat conntrack ip6 dnat | wc -l)" 1
expect_eq "ip6 src filter" "$(nat conntrack src 2001:db8:ffff::100 | grep -c '^tcp .*\[2001:db8:ffff::100\]')" 1
expect_eq "limit" "$(nat conntrack limit 2 | wc -l)" 2

# --- JSON ---------------------------------------------------------------------
js=$(nat -j conntrack dnat)
if jq -e . >/dev/null <<<"$js"; then ok "-j is valid JSON"; else fail "-j is valid JSON"; fi
expect_eq "-j translated destinations" \
	"$(jq -r '.conntrack[] | select(.protocol=="tcp" and .family=="ip") | .translated.dst + ":" + (.translated.dport|tostring)' <<<"$js" | sort -u)" \
	"192.0.2.10:80"
expect_eq "-j nat kinds" "$(jq -r '[.conntrack[].nat] | unique | join(",")' <<<"$js")" "dnat"
expect_eq "-j count" "$(nat -j conntrack count | jq .count)" "$(oracle -C)"
expect_eq "count = conntrack -C" "$(nat conntrack count)" "$(oracle -C) conntrack entries"
expect_eq "count with filter" "$(nat conntrack count dnat udp)" "2 conntrack entries match"

# --- accounting: packets/bytes shown when nf_conntrack_acct is on -------------
nsx "$R" sysctl -qw net.netfilter.nf_conntrack_acct=1
expect_match "tcp after acct on" "$(lab_tcp inet $LAB_WAN4 8080)" '^pc1 saw'
acct=$(nat -j conntrack dnat tcp ip | jq -c '[.conntrack[] | select(.packets != null) | .packets, .bytes]')
oracle_acct=$(oracle -L -f ipv4 -p tcp --dst-nat | grep packets= | awk '{p=0; b=0; for (i=1;i<=NF;i++) { if ($i ~ /^packets=/) { sub("packets=","",$i); p+=$i } if ($i ~ /^bytes=/) { sub("bytes=","",$i); b+=$i } } printf "[%d,%d]", p, b}' | sed 's/\]\[/,/g')
expect_eq "packets/bytes = conntrack -L's" "$acct" "$oracle_acct"
expect_match "text shows packets" "$(nat conntrack dnat tcp ip)" ' [0-9]+ pkts [0-9.]+[KMG]?'

# --- delete: exactly the matching entries ------------------------------------
before=$(oracle -C)
tcp_before=$(oracle -L -p tcp | wc -l)
expect_eq "delete dnat udp says how many" "$(nat conntrack delete dnat udp)" "2 entries deleted"
expect_eq "delete: no udp dnat left (oracle)" "$(oracle -L -p udp --dst-nat | wc -l)" 0
expect_eq "delete: others untouched" "$(oracle -C)" "$((before - 2))"
expect_eq "delete: tcp untouched" "$(oracle -L -p tcp | wc -l)" "$tcp_before"
expect_eq "delete by address (v6)" "$(nat conntrack delete src 2001:db8:ffff::100)" "1 entry deleted"
expect_eq "delete v6: oracle agrees" "$(oracle -L -f ipv6 --dst-nat | wc -l)" 0
expect_eq "delete nothing" "$(nat conntrack delete port 4444)" "0 entries deleted"

# --- errors and flush ---------------------------------------------------------
err=$(nat conntrack src 300.1.2.3 2>&1)
expect_rc "bad address fails" 1 nat conntrack src 300.1.2.3
expect_match "bad address named" "$err" 'invalid address "300\.1\.2\.3"'
expect_rc "bad port fails" 1 nat conntrack port 0
expect_rc "delete without filter refused" 1 nat conntrack delete
expect_rc "flush without -y refused in batch mode" 1 nat conntrack flush
[ "$(oracle -C)" -gt 0 ] && ok "refused flush removed nothing" || fail "refused flush removed nothing"
expect_match "flush -y" "$(nat -y conntrack flush)" '^[0-9]+ entr(y|ies) deleted$'
expect_eq "flush -y emptied the table" "$(oracle -C)" 0

nsh_done

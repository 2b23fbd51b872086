#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `monitor`: the figures of each block (text and -j JSON lines) against the
# counters nft reads (`nft -j list ruleset`), rates equal the counter change
# over the interval, totals add up, conntrack figures agree with conntrack(8),
# `count` is obeyed, a ruleset change is noticed, bad input is refused.
source "$(dirname "$0")/../lib.sh"

NS=$(nsh_ns_new mon)
nsx "$NS" nft -f - <<'EOF' || fail "ruleset loads"
table ip t {
	chain nout {
		type nat hook output priority -100;
		udp dport 5353 counter dnat to 127.0.0.1:5354
		udp dport 6000 counter
		tcp dport 1
	}
	chain out {
		type filter hook output priority 0;
		icmp type echo-request counter comment "pings"
	}
}
table ip6 t6 {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "lo" counter
	}
}
EOF

# fixed traffic first: 25 pings, 12 new UDP flows through the DNAT
nsx "$NS" ping -q -c 25 -i 0.01 -w 10 127.0.0.1 >/dev/null 2>&1
for i in $(seq 1 12); do
	echo x | timeout 2 ip netns exec "$NS" nc -u -w0 -p $((30000 + i)) 127.0.0.2 5353 2>/dev/null
done

# nft's counters: "family table chain handle packets bytes" per rule with a counter
nft_counters() {
	nsx "$NS" nft -j list ruleset | jq -r '.nftables[] | select(.rule) | .rule as $r
		| ($r.expr[] | select(.counter) | .counter) as $c
		| "\($r.family) \($r.table) \($r.chain) \($r.handle) \($c.packets) \($c.bytes)"' | sort
}
want=$(nft_counters)
[ -n "$want" ] && ok "nft reports counters" || fail "nft reports counters"

js=$(nsh_natsh "$NS" -j monitor count 1 interval 0.3)
expect_eq "-j: one JSON line" "$(wc -l <<<"$js")" 1
if jq -e . >/dev/null <<<"$js"; then ok "-j line is valid JSON"; else fail "-j line is valid JSON"; fi
got=$(jq -r '.rules[] | select(.packets != null)
	| "\(.family) \(.table) \(.chain) \(.handle) \(.packets) \(.bytes)"' <<<"$js" | sort)
expect_eq "-j counters = nft -j list ruleset" "$got" "$want"
expect_eq "-j rule without counter is null" \
	"$(jq -r '[.rules[] | select(.packets == null) | .rule] | join(",")' <<<"$js")" "tcp dport 1"
expect_eq "-j totals.packets = sum" "$(jq '.totals.packets' <<<"$js")" \
	"$(awk '{s += $5} END {print s}' <<<"$want")"
expect_eq "-j totals.bytes = sum" "$(jq '.totals.bytes' <<<"$js")" \
	"$(awk '{s += $6} END {print s}' <<<"$want")"
expect_eq "-j rules count" "$(jq '.totals.rules' <<<"$js")" 5
expect_eq "-j idle rates are zero" "$(jq '[.rules[].pps // 0] | add' <<<"$js")" 0
expect_eq "-j conntrack entries = conntrack -C" "$(jq '.conntrack.entries' <<<"$js")" \
	"$(nsx "$NS" conntrack -C)"
# the translated flows are the UDP ones (conntrack -L --dst-nat also lists the
# pings, which only passed the NAT hook without being translated)
expect_eq "-j NAT entries = conntrack -L -p udp --dst-nat" "$(jq '.conntrack.nat' <<<"$js")" \
	"$(nsx "$NS" conntrack -L -p udp --dst-nat 2>/dev/null | wc -l)"

# text: PKTS column per handle equals nft's packets
txt=$(nsh_natsh "$NS" monitor count 1 interval 0.3)
expect_match "text header" "$txt" 'PKTS +BYTES +PKTS/S +BYTES/S +TABLE +CHAIN +HANDLE +RULE'
got=$(awk '$5 == "ip" || $5 == "ip6" { if ($1 != "-") print $5, $6, $7, $8, $1 }' <<<"$txt" | sort)
expect_eq "text packets = nft's" "$got" "$(awk '{print $1, $2, $3, $4, $5}' <<<"$want")"
expect_eq "text rule without counter shows -" \
	"$(grep -cE '^ +- +- +- +- +ip +t +nout +[0-9]+ +tcp dport 1$' <<<"$txt")" 1
# conntrack(8) is the oracle for how many flows NAT translated (nc -w0 may,
# rarely, exit before its datagram leaves; 12 are sent)
nat_want=$(nsx "$NS" conntrack -L -p udp --dst-nat 2>/dev/null | wc -l)
[ "$nat_want" -ge 10 ] && ok "the UDP flows were translated ($nat_want of 12)" ||
	fail "the UDP flows were translated ($nat_want of 12)"
expect_match "text conntrack line" "$txt" "conntrack [0-9]+ entries, $nat_want NAT"

# rates while traffic flows: pps x interval = counter change between blocks
nsx "$NS" timeout 20 ping -q -i 0.02 -w 20 127.0.0.1 >/dev/null 2>&1 &
PING=$!
sleep 0.5
js=$(nsh_natsh "$NS" -j monitor count 3 interval 0.5)
kill $PING 2>/dev/null
expect_eq "count 3: three lines" "$(wc -l <<<"$js")" 3
pk=$(jq -c '[.interval, (.rules[] | select(.chain == "out") | .packets, .pps)]' <<<"$js")
rate_ok=$(jq -s '[.[0][1], .[1][1], .[2][1]] as $p | [.[1][0] * .[1][2], .[2][0] * .[2][2]] as $d
	| ((($p[1] - $p[0]) - $d[0]) | fabs) < 0.01 and ((($p[2] - $p[1]) - $d[1]) | fabs) < 0.01' <<<"$pk")
expect_eq "pps x interval = packet change" "$rate_ok" true
moving=$(jq -s '.[2][2] > 10' <<<"$pk")
expect_eq "ping rate seen (> 10 pkts/s)" "$moving" true

# a ruleset change between blocks is noticed
out=$(mktemp)
nsx "$NS" "$NATSH" -j monitor count 3 interval 0.5 >"$out" &
MON=$!
sleep 0.8
nsx "$NS" nft add rule ip t nout udp dport 7000 counter
wait $MON
expect_eq "ruleset change noticed" "$(jq -s '[.[].ruleset_changed] | any' <"$out")" true
expect_eq "new rule appears" "$(jq -s '.[2].totals.rules' <"$out")" 6
rm -f "$out"

# bad input
expect_rc "interval 0 refused" 1 nsh_natsh "$NS" monitor interval 0
expect_match "interval error names the word" "$(nsh_natsh "$NS" monitor interval abc 2>&1)" 'invalid interval "abc"'
expect_rc "count 0 refused" 1 nsh_natsh "$NS" monitor count 0

nsh_done

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# save / load keep named sets and maps (declaration and elements) and chains
# beyond natsh's own: save -> load into a fresh namespace -> save is
# byte-identical, the set blocks are exactly what `nft list table` prints
# (less "expires", which counts down), a bad element applies nothing and
# names FILE:LINE:COL.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new ss)
ns2=$(nsh_ns_new ss2)
tmp=$(mktemp -d /tmp/natsh-0525.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
N() { nsx "$ns" "$NATSH" "$@"; }
N2() { nsx "$ns2" "$NATSH" "$@"; }
# nft's text without what save leaves out: expires (counts down), counter values
strip() { sed -E 's/ expires [0-9dhms]+//g; s/counter packets [0-9]+ bytes [0-9]+/counter/g'; }

N -c 'add postrouting oifname "wan0" masquerade' >/dev/null || fail "natsh creates its table"
cat > "$tmp/sets.nft" <<'NFT'
table inet natsh {
	set nets4 {
		type ipv4_addr
		flags interval
		elements = { 10.0.0.0/8, 192.0.2.0/24, 198.51.100.1-198.51.100.9, 203.0.113.5,
			     203.0.113.128-255.255.255.255 }
	}
	set svc {
		type ipv4_addr . inet_service
		elements = { 192.0.2.1 . 80, 192.0.2.2 . 443, 192.0.2.3 . 22, 192.0.2.3 . 8080 }
	}
	set ports {
		type inet_service
		comment "web and ssh"
		elements = { 22, 80, 443, 8080, 8443, 9000, 9001 }
	}
	set pranges { type inet_service; flags interval; elements = { 1-1024, 2000, 3000-3010 }; }
	map portfwd {
		type inet_service : ipv4_addr
		elements = { 80 : 192.0.2.10, 443 : 192.0.2.11, 8080 : 192.0.2.12 }
	}
	map nataddr {
		type ipv4_addr : ipv4_addr . inet_service
		elements = { 192.0.2.1 : 198.51.100.1 . 80 }
	}
	map svcs {
		type ipv4_addr . inet_proto . inet_service : verdict
		elements = { 192.0.2.1 . tcp . 80 : jump web, 192.0.2.2 . udp . 53 : accept,
			     192.0.2.3 . tcp . 22 : drop, 192.0.2.4 . tcp . 25 : goto web }
	}
	set seen {
		type ipv4_addr
		size 65535
		flags dynamic,timeout
		timeout 1h
		gc-interval 1m
		elements = { 192.0.2.7 timeout 5m comment "seven", 192.0.2.8 }
	}
	set six { type ipv6_addr; flags interval; elements = { 2001:db8::/32, 2001:db9::1 }; }
	set marks { type mark; flags constant; elements = { 0x1, 0x2, 0x10 }; }
	set counted { type ipv4_addr; policy memory; counter; elements = { 192.0.2.1 }; }
	set cc { type ipv4_addr . inet_service; flags interval; elements = { 192.0.2.0/24 . 80-90, 192.0.2.5 . 22 }; }
	set ifs { type ifname; flags interval; elements = { "eth*", "lo" }; }
	set protos { type inet_proto; elements = { tcp, udp, icmp, 47 }; }
	chain web {
		counter accept
	}
	chain fwdin {
		type filter hook forward priority filter; policy drop;
		ip saddr @nets4 accept
		jump web
	}
	chain early {
		type filter hook prerouting priority -150; policy accept;
	}
}
NFT
nsx "$ns" nft -f "$tmp/sets.nft" || fail "nft takes the test ruleset"
N -c 'add prerouting ip daddr @nets4 tcp dport @ports counter accept' >/dev/null ||
	fail "a rule using named sets"

N save "$tmp/a.nft" >/dev/null || fail "save"
nsh_body() { sed -n '/^table inet natsh {$/,$p' "$1"; }
expect_eq "saved table = nft list table (less expires and counter values)" \
	"$(nsh_body "$tmp/a.nft")" "$(nsx "$ns" nft list table inet natsh | strip | sed '/elements = /s/ counter//g')"
expect_match "the saved file holds a verdict map over a concatenation" "$(cat "$tmp/a.nft")" \
	'192.0.2.1 . tcp . 80 : jump web'
expect_match "the saved file keeps element timeouts and comments, no expires" \
	"$(cat "$tmp/a.nft")" '192.0.2.7 timeout 5m comment "seven", 192.0.2.8 \}'

out=$(N2 load "$tmp/a.nft" 2>&1) || fail "load into a fresh namespace: $out"
N2 save "$tmp/b.nft" >/dev/null || fail "save in the fresh namespace"
expect_eq "save -> load -> save is byte-identical" "$(grep -v '^# natsh save' "$tmp/b.nft")" \
	"$(grep -v '^# natsh save' "$tmp/a.nft")"
expect_eq "nft lists the loaded table as the original" \
	"$(nsx "$ns2" nft list table inet natsh | strip)" "$(nsx "$ns" nft list table inet natsh | strip)"

# nft -f takes the saved file too, with the same result
nsx "$ns2" nft -f "$tmp/a.nft" || fail "nft -f takes the saved file"
expect_eq "nft -f of the saved file gives the same table" \
	"$(nsx "$ns2" nft list table inet natsh | strip)" "$(nsx "$ns" nft list table inet natsh | strip)"

# load over the live table: sets are emptied and refilled, not doubled
N load "$tmp/a.nft" >/dev/null || fail "load over the live table"
N save "$tmp/c.nft" >/dev/null
expect_eq "load over the same table keeps it as it was" "$(grep -v '^# natsh save' "$tmp/c.nft")" \
	"$(grep -v '^# natsh save' "$tmp/a.nft")"

# a bad element: nothing applied, FILE:LINE:COL
want=$(nsx "$ns" nft list table inet natsh | strip)
sed 's/192.0.2.10, 443/192.0.2.300, 443/' "$tmp/a.nft" > "$tmp/bad.nft"
line=$(grep -n '192.0.2.300' "$tmp/bad.nft" | cut -d: -f1)
out=$(N load "$tmp/bad.nft" 2>&1); rc=$?
expect_eq "load of a bad element fails" "$rc" "1"
expect_match "the error names file, line and column" "$out" "bad.nft:$line:[0-9]+: error: not a ipv4_addr"
expect_eq "nothing of the bad file was applied" "$(nsx "$ns" nft list table inet natsh | strip)" "$want"
# a set flagged wrong for its elements is refused by the kernel: nothing applied
sed 's/^\(\t\tflags interval\)$/\1/; /set six {/,/}/{s/flags interval/flags constant/}' "$tmp/a.nft" > "$tmp/bad2.nft"
out=$(N2 load "$tmp/bad2.nft" 2>&1); rc=$?
expect_eq "load of a set the parser refuses fails" "$rc" "1"
expect_match "it says why at the element" "$out" "bad2.nft:[0-9]+:[0-9]+: error: not a ipv6_addr"

nsh_done

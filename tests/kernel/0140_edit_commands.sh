#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The editing commands end to end: add, insert [N], replace N, delete N,
# delete handle H, flush, the long nft forms, use, counters reset, diff;
# positions are the numbers `show` prints; a position that does not exist
# names the chain's size; unknown tables and chains are named; tables
# holding iptables-nft rules get no native rules; --check commits nothing.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new edit)
tmp=$(mktemp -d /tmp/natsh-0140.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT

run() {
	nsx "$ns" "$NATSH" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}
# the ports of a chain's rules, in order: "1 2 3"
ports() {
	nsx "$ns" nft list chain "${2:-inet}" "${3:-natsh}" "$1" | grep -o 'dport [0-9]*' |
		cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//'
}
handle_of() {
	nsx "$ns" nft -a list chain inet natsh "$1" | awk -v p="dport $2 " '$0 ~ p {print $NF}'
}

# --- the first write creates natsh's table and its four base chains
run -c 'add prerouting tcp dport 1 accept'
expect_eq "add: exit 0" "$rc" 0
expect_eq "natsh's own table and base chains, as the SPEC says" \
	"$(nsx "$ns" nft list ruleset)" \
'table inet natsh {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 1 counter packets 0 bytes 0 accept
	}

	chain output {
		type nat hook output priority -100; policy accept;
	}

	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
	}

	chain input {
		type nat hook input priority 100; policy accept;
	}
}'

run -c 'add prerouting tcp dport 2 accept; add prerouting tcp dport 3 accept'
expect_eq "add appends" "$(ports prerouting)" "1 2 3"
run -c 'insert prerouting tcp dport 4 accept'
expect_eq "insert without N: first" "$(ports prerouting)" "4 1 2 3"
run -c 'insert prerouting 3 tcp dport 5 accept'
expect_eq "insert 3: takes position 3" "$(ports prerouting)" "4 1 5 2 3"
run -c 'insert prerouting 5 tcp dport 6 accept'
expect_eq "insert at the last position" "$(ports prerouting)" "4 1 5 2 6 3"
run -c 'replace prerouting 2 tcp dport 7 accept'
expect_eq "replace 2" "$(ports prerouting)" "4 7 5 2 6 3"
run -c 'delete prerouting 1'
expect_eq "delete 1" "$(ports prerouting)" "7 5 2 6 3"
run -c "delete prerouting handle $(handle_of prerouting 6)"
expect_eq "delete handle" "$(ports prerouting)" "7 5 2 3"
# positions in one batch count the rules staged before them
run -c 'add prerouting tcp dport 8 accept; insert prerouting 5 tcp dport 9 accept; delete prerouting 1; replace prerouting 1 tcp dport 10 accept'
expect_eq "positions see the batch's own earlier changes" "$(ports prerouting)" "10 2 3 9 8"

# inserts at the start without reading the chain, then with positions, after a flush
run -c 'insert prerouting tcp dport 15 accept; insert prerouting tcp dport 16 accept; add prerouting tcp dport 14 accept'
expect_eq "unread chain: inserts at the start keep their order" "$(ports prerouting)" "16 15 10 2 3 9 8 14"
run -c 'insert prerouting tcp dport 17 accept; insert prerouting 2 tcp dport 18 accept'
expect_eq "insert at the start, then at a position counting it" "$(ports prerouting)" "17 18 16 15 10 2 3 9 8 14"
run -c 'flush prerouting; insert prerouting tcp dport 21 accept; add prerouting tcp dport 22 accept; insert prerouting tcp dport 20 accept; insert prerouting 3 tcp dport 23 accept'
expect_eq "flush then a new order in one batch" "$(ports prerouting)" "20 21 23 22"
run -c 'flush prerouting; add prerouting tcp dport 10 accept; add prerouting tcp dport 2 accept; add prerouting tcp dport 3 accept; add prerouting tcp dport 9 accept; add prerouting tcp dport 8 accept'
expect_eq "back to five rules" "$(ports prerouting)" "10 2 3 9 8"

# --- errors: positions, handles, chains, tables
before=$(nsx "$ns" nft list ruleset)
run -c 'insert prerouting 9 tcp dport 11 accept'
expect_eq "position past the end: exit 1" "$rc" 1
expect_eq "position past the end names the chain's size" "$(cat "$tmp/err")" \
'natsh: -c:1:19: error: no rule at position 9: chain prerouting has 5 rules
  insert prerouting 9 tcp dport 11 accept
                    ^'
run -c 'delete prerouting 6'
expect_match "delete past the end" "$(head -1 "$tmp/err")" 'no rule at position 6: chain prerouting has 5 rules$'
run -c 'replace postrouting 1 tcp dport 1 accept'
expect_match "replace in an empty chain" "$(head -1 "$tmp/err")" 'no rule at position 1: chain postrouting has 0 rules$'
run -c 'delete prerouting 0'
expect_match "position 0 is invalid" "$(head -1 "$tmp/err")" 'invalid position "0"'
run -c 'delete prerouting handle 99999'
expect_match "unknown handle named" "$(head -1 "$tmp/err")" 'chain prerouting has no rule with handle 99999$'
run -c 'add forward tcp dport 1 accept'
expect_eq "unknown chain named, caret under it" "$(cat "$tmp/err")" \
'natsh: -c:1:5: error: table inet natsh has no chain "forward"
  add forward tcp dport 1 accept
      ^~~~~~~'
run -c 'add rule ip nosuch PREROUTING tcp dport 1 accept'
expect_match "unknown table named" "$(head -1 "$tmp/err")" ':1:13: error: no table ip nosuch$'
run -c 'flush nosuch'
expect_match "flush: unknown chain named" "$(head -1 "$tmp/err")" 'has no chain "nosuch"$'
run -c 'add prerouting oifname "eth0" masquerade'
expect_eq "masquerade in prerouting refused before sending: exit 1" "$rc" 1
run -c 'add prerouting tcp dport 12 accept; delete prerouting 7'
expect_match "a failed batch: error at the second command" "$(head -1 "$tmp/err")" \
	'^natsh: -c:1:[0-9]+: error: no rule at position 7: chain prerouting has 6 rules$'
expect_eq "errors change nothing" "$(nsx "$ns" nft list ruleset)" "$before"

# --- long forms, and flush
nsx "$ns" nft -f - <<'NFT'
table ip nat {
	chain PREROUTING { type nat hook prerouting priority dstnat; policy accept;
		tcp dport 100 counter dnat to 192.0.2.1
	}
}
NFT
run -c 'add rule ip nat PREROUTING tcp dport 101 dnat to 192.0.2.2'
expect_eq "add rule FAMILY TABLE CHAIN" "$(ports PREROUTING ip nat)" "100 101"
run -c 'add rule nat PREROUTING tcp dport 102 dnat to 192.0.2.3'
expect_eq "add rule TABLE CHAIN (family ip)" "$(ports PREROUTING ip nat)" "100 101 102"
run -c 'insert rule ip nat PREROUTING 2 tcp dport 103 dnat to 192.0.2.4'
expect_eq "insert rule ... N" "$(ports PREROUTING ip nat)" "100 103 101 102"
h=$(nsx "$ns" nft -a list chain ip nat PREROUTING | awk '/dport 101 /{print $NF}')
run -c "delete rule ip nat PREROUTING handle $h"
expect_eq "delete rule ... handle H" "$(ports PREROUTING ip nat)" "100 103 102"
run -c 'add rule inet natsh prerouting tcp dport 13 accept'
expect_eq "add rule inet natsh" "$(ports prerouting)" "10 2 3 9 8 13"
h=$(nsx "$ns" nft -a list chain ip nat PREROUTING | awk '/dport 103 /{print $NF}')
run -c "add rule ip nat PREROUTING position $h tcp dport 104 dnat to 192.0.2.4; insert rule ip nat PREROUTING position $h tcp dport 105 dnat to 192.0.2.5"
expect_eq "add/insert rule ... position H: after/before that handle, as nft" \
	"$(ports PREROUTING ip nat)" "100 105 103 104 102"
run -c 'insert rule ip nat PREROUTING position 99999 tcp dport 106 dnat to 192.0.2.6'
expect_match "position H: an unknown handle is named" "$(head -1 "$tmp/err")" \
	'chain PREROUTING has no rule with handle 99999$'
run -c 'flush chain ip nat PREROUTING'
expect_eq "flush chain FAMILY TABLE CHAIN" "$(ports PREROUTING ip nat)" ""

# --- use: short commands follow the current table
run -c 'use ip nat; add PREROUTING tcp dport 104 dnat to 192.0.2.5; flush prerouting'
expect_eq "use ip nat: short commands write there only (ip nat has no prerouting)" "$rc" 1
expect_match "... the chain is named in its table" "$(head -1 "$tmp/err")" 'table ip nat has no chain "prerouting"$'
expect_eq "... and the batch applied nothing" "$(ports PREROUTING ip nat)" ""
run -c 'use ip nat; add PREROUTING tcp dport 105 dnat to 192.0.2.6; use inet natsh; flush prerouting'
expect_eq "use ip nat: short commands write there" "$(ports PREROUTING ip nat)" "105"
expect_eq "use inet natsh switches back" "$(ports prerouting)" ""
run -c 'use ip nosuch'
expect_match "use: unknown table named" "$(head -1 "$tmp/err")" 'no table ip nosuch$'

# iptables-nft's table: shown and deletable, no native rules added
nsx "$ns" iptables-nft -t nat -N NATSHTEST
nsx "$ns" iptables-nft -t nat -A NATSHTEST -p tcp --dport 106 -j DNAT --to-destination 192.0.2.7
before=$(nsx "$ns" nft list ruleset)
run -c 'use ip nat'
expect_match "use of an iptables-nft table warns" "$(cat "$tmp/err")" 'holds rules written by iptables-nft'
run -c 'use ip nat; add PREROUTING tcp dport 107 accept'
expect_eq "native rule into an iptables-nft table: refused" "$rc" 1
expect_match "the refusal says why and what to do" "$(cat "$tmp/err")" \
	'natsh does not add native rules to it \(iptables-nft -L would no longer read it\); write to natsh.s own table instead: use inet natsh'
expect_eq "refused: nothing changed" "$(nsx "$ns" nft list ruleset)" "$before"
run -c 'use ip nat; delete NATSHTEST 1'
expect_eq "deleting in an iptables-nft table works" "$(nsx "$ns" iptables-nft -t nat -S NATSHTEST)" "-N NATSHTEST"

# --- counters reset
nsx "$ns" nft -f - <<'NFT'
flush chain inet natsh prerouting
add rule inet natsh prerouting tcp dport 21 counter packets 5 bytes 500 accept
add rule inet natsh prerouting tcp dport 22 counter packets 6 bytes 600 accept
add rule inet natsh postrouting oifname "eth0" counter packets 7 bytes 700 masquerade
NFT
counts() { nsx "$ns" nft list table inet natsh | grep -o 'packets [0-9]*' | cut -d' ' -f2 | tr '\n' ' '; }
run -c 'counters reset prerouting 2'
expect_eq "counters reset CHAIN N: only that rule" "$(counts)" "5 0 7 "
run -c 'counters reset prerouting 3'
expect_match "counters reset past the end" "$(head -1 "$tmp/err")" 'no rule at position 3: chain prerouting has 2 rules$'
run -c 'counters reset prerouting'
expect_eq "counters reset CHAIN" "$(counts)" "0 0 7 "
nsx "$ns" nft add rule inet natsh prerouting tcp dport 23 counter packets 9 bytes 900 accept
run -c 'counters reset'
expect_eq "counters reset: the whole current table" "$(counts)" "0 0 0 0 "

# --- --check commits nothing, begin/diff/abort
before=$(nsx "$ns" nft list ruleset)
run --check -c 'add prerouting tcp dport 30 accept; delete prerouting 1; flush postrouting'
expect_eq "--check: exit 0" "$rc" 0
expect_eq "--check: nothing committed" "$(nsx "$ns" nft list ruleset)" "$before"
run -c 'begin; insert prerouting 2 tcp dport 31 dnat to 192.0.2.31; delete prerouting 1; diff; abort'
expect_eq "diff: staged vs live, in chain order" "$(cat "$tmp/out")" \
'chain inet natsh prerouting
- tcp dport 21 counter accept
+ tcp dport 31 counter dnat ip to 192.0.2.31'
expect_eq "abort: nothing applied" "$(nsx "$ns" nft list ruleset)" "$before"

nsh_done

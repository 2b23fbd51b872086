#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The error table (tests/kernel/data/rule_errors.txt, also read by the unit
# test test_parse): every malformed or invalid rule given to
# `natsh -c 'add rule FAMILY t pre RULE'` is refused with exit 1, the
# message `natsh: -c:1:COL: error: ...` at the right column, a caret line,
# and the ruleset stays byte-for-byte as it was.  Plus the refusals the
# kernel would otherwise make: nat statements in the wrong hook, statements
# after a terminal one.
source "$(dirname "$0")/../lib.sh"

data=$NSH_TOP/tests/kernel/data/rule_errors.txt
tmp=$(mktemp -d /tmp/natsh-0105.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT

ns=$(nsh_ns_new rerr)
nsx "$ns" nft -f - <<'NFT' || { fail "setup"; nsh_done; exit 1; }
table ip t {
	set ports { type inet_service; elements = { 22 }; }
	set pairs { type ipv4_addr . inet_service; elements = { 192.0.2.1 . 22 }; }
	map vm { type inet_service : verdict; elements = { 22 : accept }; }
	chain pre { type nat hook prerouting priority dstnat; }
	chain post { type nat hook postrouting priority srcnat; }
	chain inp { type nat hook input priority 100; }
}
table ip6 t {
	chain pre { type nat hook prerouting priority dstnat; }
}
table inet t {
	chain pre { type nat hook prerouting priority dstnat; }
}
NFT
nsx "$ns" nft add rule ip t pre tcp dport 80 counter dnat to 192.0.2.1
before=$(nsx "$ns" nft list ruleset)

# refuse: $1 family, $2 chain, $3 0-based column in the rule, $4 message, $5 rule
refuse() {
	local fam=$1 chain=$2 col=$3 msg=$4 rule=$5
	local cmd="add rule $fam t $chain $rule"
	local want_col=$(( ${#cmd} - ${#rule} + col + 1 ))
	nsx "$ns" "$NATSH" -c "$cmd" >"$tmp/out" 2>"$tmp/err" </dev/null
	local rc=$? first
	first=$(head -1 "$tmp/err")
	if [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] &&
	   [[ $first == "natsh: -c:1:$want_col: error: "*"$msg"* ]] &&
	   [ "$(sed -n 3p "$tmp/err" | tr -d ' ')" != "" ]; then
		ok "refused at col $want_col: $rule"
	else
		fail "refused at col $want_col with \"$msg\": $rule"
		echo "#   rc $rc: $(head -3 "$tmp/err" | sed 's/^/#   /')"
	fi
}

n=0
while IFS=$'\t' read -r fam col msg rule; do
	case $fam in ''|'#'*) continue;; esac
	# an empty rule or an open quote never reach the rule parser through -c:
	# the shell's grammar and lexer answer first (tests/kernel/0020_shell_errors.sh)
	dq=${rule//[^\"]/}
	sq=${rule//[^\']/}
	if [ -z "$rule" ] || [ $(( ${#dq} % 2 )) -eq 1 ] || [ $(( ${#sq} % 2 )) -eq 1 ]; then
		echo "# not through -c (the shell answers first): '$rule'"
		continue
	fi
	n=$((n + 1))
	refuse "$fam" pre "$col" "$msg" "$rule"
done <"$data"
[ $n -ge 60 ] && ok "$n malformed rules in the table" || fail "only $n malformed rules"

# hook and terminal-statement refusals (checked before anything is sent)
refuse ip pre 0 "masquerade only works in postrouting chains, not prerouting" "masquerade"
refuse ip inp 0 "masquerade only works in postrouting chains, not input" "masquerade"
refuse ip pre 0 "snat only works in postrouting or input chains, not prerouting" "snat to 192.0.2.1"
refuse ip post 13 "dnat only works in prerouting or output chains, not postrouting" "tcp dport 80 dnat to 192.0.2.1"
refuse ip inp 0 "redirect only works in prerouting or output chains, not input" "redirect"
refuse ip pre 31 "nothing can follow \"dnat\": it ends the rule" "tcp dport 80 dnat to 192.0.2.1 accept"
refuse ip pre 7 "nothing can follow \"the verdict\"" "accept return"
refuse ip pre 31 "a counter after \"dnat\" never counts" "tcp dport 80 dnat to 192.0.2.1 counter"
refuse ip pre 31 "nothing can follow \"the verdict\"" "tcp dport vmap { 22 : accept } accept"

# nft's datatype check of named sets and maps (the kernel checks only lengths)
refuse ip pre 0 "datatype mismatch, expected IPv4 address, set @ports has type internet network service" "ip saddr @ports accept"
refuse ip pre 0 "datatype mismatch, expected concatenation of (IPv4 address, IPv4 address), set @pairs has type concatenation of (IPv4 address, internet network service)" "ip saddr . ip daddr @pairs accept"
refuse ip pre 0 "datatype mismatch, expected concatenation of (IPv4 address, internet network service), set @vm has type internet network service" "ip saddr . tcp dport vmap @vm"
refuse ip pre 0 "@ports is not a verdict map" "tcp dport vmap @ports"
refuse ip pre 0 "datatype mismatch, expected packet mark, set @pairs has type" "meta mark != @pairs accept"

expect_eq "the ruleset is unchanged after every refusal" "$(nsx "$ns" nft list ruleset)" "$before"
nsh_done

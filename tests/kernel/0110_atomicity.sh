#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A batch is one nf_tables transaction: 1,000 valid rules followed by one
# that natsh refuses (a parse error) or one the kernel refuses (a jump to a
# missing chain) leave `nft list ruleset` byte-for-byte as before, and the
# error names FILE:LINE:COL of the guilty command (kernel errors are mapped
# back through the batch sequence numbers).  Also when the batch would
# create natsh's own table, and for a kernel error in the middle of a file.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new atom)
tmp=$(mktemp -d /tmp/natsh-0110.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT

# N valid natsh commands: port forwards, sets, snat, masquerade
gen() {
	local n=$1 i
	for ((i = 0; i < n; i++)); do
		case $((i % 5)) in
		0|1) echo "add prerouting iifname \"eth0\" tcp dport $((1024 + i)) dnat to 192.0.2.$((i % 250 + 2)):80";;
		2) echo "add prerouting udp dport { $((2000 + i)), $((3000 + i)) } dnat to 192.0.2.$((i % 250 + 2))";;
		3) echo "add postrouting ip saddr 192.0.2.$((i % 250 + 2)) oifname \"eth1\" snat to 198.51.100.$((i % 250 + 2))";;
		4) echo "add postrouting oifname \"ppp$i\" masquerade";;
		esac
	done
}

run() {
	nsx "$ns" "$NATSH" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}

# --- natsh's table does not exist yet: a failed batch must not create it
gen 1000 >"$tmp/bad_parse.nsh"
echo 'add prerouting tcp dport 80a dnat to 192.0.2.10' >>"$tmp/bad_parse.nsh"
before=$(nsx "$ns" nft list ruleset)
run -f "$tmp/bad_parse.nsh"
expect_eq "parse error after 1000 rules: exit 1" "$rc" 1
expect_match "parse error names FILE:1001:COL" "$(head -1 "$tmp/err")" \
	"^natsh: $tmp/bad_parse.nsh:1001:[0-9]+: error: "
expect_eq "parse error: ruleset unchanged (no table created)" \
	"$(nsx "$ns" nft list ruleset)" "$before"

gen 1000 >"$tmp/bad_kernel.nsh"
echo 'add prerouting tcp dport 81 jump missing' >>"$tmp/bad_kernel.nsh"
run -f "$tmp/bad_kernel.nsh"
expect_eq "kernel error after 1000 rules: exit 1" "$rc" 1
expect_eq "kernel error names FILE:1001:16 and the missing chain" "$(head -1 "$tmp/err")" \
	"natsh: $tmp/bad_kernel.nsh:1001:16: error: the kernel refused this rule: chain \"missing\" (target of jump) does not exist"
expect_eq "kernel error: caret under the rule" "$(sed -n 3p "$tmp/err")" \
	"                 ^$(printf '~%.0s' {1..24})"
expect_eq "kernel error: ruleset unchanged (no table created)" \
	"$(nsx "$ns" nft list ruleset)" "$before"

# --- an existing ruleset: natsh's table with rules, and an ip nat table
nsx "$ns" nft -f - <<'NFT'
table inet natsh {
	chain prerouting { type nat hook prerouting priority dstnat; policy accept;
		tcp dport 22 counter accept
		iifname "eth0" tcp dport { 80, 443 } counter dnat ip to 192.0.2.10
	}
	chain output { type nat hook output priority -100; policy accept; }
	chain postrouting { type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" counter masquerade
	}
	chain input { type nat hook input priority 100; policy accept; }
}
table ip nat {
	chain PREROUTING { type nat hook prerouting priority dstnat; policy accept;
		tcp dport 8080 counter dnat to 192.0.2.20:80
	}
}
NFT
before=$(nsx "$ns" nft list ruleset)
run -f "$tmp/bad_parse.nsh"
expect_eq "existing ruleset, parse error: exit 1" "$rc" 1
expect_eq "existing ruleset, parse error: byte-for-byte unchanged" \
	"$(nsx "$ns" nft list ruleset)" "$before"
run -f "$tmp/bad_kernel.nsh"
expect_eq "existing ruleset, kernel error: exit 1" "$rc" 1
expect_match "existing ruleset, kernel error at line 1001" "$(head -1 "$tmp/err")" \
	"^natsh: $tmp/bad_kernel.nsh:1001:16: error: "
expect_eq "existing ruleset, kernel error: byte-for-byte unchanged" \
	"$(nsx "$ns" nft list ruleset)" "$before"

# a kernel error in the middle: the line is the guilty one, not the last
{ gen 500; echo 'add rule ip nat PREROUTING tcp dport 82 goto nowhere'; gen 499; } >"$tmp/mid.nsh"
run -f "$tmp/mid.nsh"
expect_match "kernel error in the middle names line 501" "$(head -1 "$tmp/err")" \
	"^natsh: $tmp/mid.nsh:501:[0-9]+: error: the kernel refused this rule: chain \"nowhere\" \\(target of goto\\)"
expect_eq "kernel error in the middle: unchanged" "$(nsx "$ns" nft list ruleset)" "$before"

# a -c string is one transaction too
run -c 'add prerouting tcp dport 83 accept; add prerouting tcp dport 84 jump missing'
expect_match "-c: kernel error names -c:1:COL" "$(head -1 "$tmp/err")" \
	'^natsh: -c:1:[0-9]+: error: the kernel refused this rule'
expect_eq "-c: unchanged" "$(nsx "$ns" nft list ruleset)" "$before"

# --check: the kernel validates, nothing is committed
gen 1000 >"$tmp/good.nsh"
run --check -f "$tmp/good.nsh"
expect_eq "--check of 1000 valid rules: exit 0" "$rc" 0
expect_eq "--check: nothing committed" "$(nsx "$ns" nft list ruleset)" "$before"
run --check -f "$tmp/bad_kernel.nsh"
expect_eq "--check finds the kernel error: exit 1" "$rc" 1
expect_match "--check: kernel error at line 1001" "$(head -1 "$tmp/err")" \
	"^natsh: $tmp/bad_kernel.nsh:1001:16: error: "

# and the valid batch, applied, gives all of it
run -f "$tmp/good.nsh"
expect_eq "1000 valid rules: exit 0" "$rc" 0
expect_eq "1000 valid rules: all present" \
	"$(nsx "$ns" nft list table inet natsh | grep -c ' counter packets ')" 1003
expect_eq "ip nat untouched" "$(nsx "$ns" nft list table ip nat)" \
	"$(printf '%s\n' "$before" | sed -n '/^table ip nat/,/^}/p')"

nsh_done

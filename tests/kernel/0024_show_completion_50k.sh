#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# 50,000 rules (tests/bench/gen-rules.sh): a full `show` (-j) prints every
# rule exactly as nft does, through the dump's decoding thread (which takes
# over past the first MiB of rule messages); and the first Tab reads tables
# and chains only, not every rule: completing a command's chain or a table
# receives a small fraction of what a full `show` receives from the kernel,
# and a short chain's positions or handles are read on demand (that chain's
# rules only).  What is received is counted with strace (a fact, not a
# timing); the times are printed for information (make bench measures).
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new c50k)
tmp=$(mktemp -d /tmp/natsh-0024.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
"$NSH_TOP/tests/bench/gen-rules.sh" 50000 nft >"$tmp/r.nft"
nsx "$ns" nft -f "$tmp/r.nft" || { fail "50,000 rules load"; nsh_done; exit; }

# Every rule, as nft prints it: text, handle, position, counters.
nsx "$ns" "$NATSH" -j show >"$tmp/show.json" 2>"$tmp/show.err"
expect_eq "natsh -j show of 50,000 rules exits 0, quietly" "$?:$(cat "$tmp/show.err")" "0:"
nsh_natsh_rule_lines "$tmp/show.json" >"$tmp/natsh.lines" 2>"$tmp/py.err"
expect_eq "JSON packets/bytes equal the counter in the rule text" "$(cat "$tmp/py.err")" ""
nsh_nft_rule_lines "$ns" >"$tmp/nft.lines"
expect_eq "50,000 rules compared" "$(wc -l <"$tmp/nft.lines")" "50000"
if cmp -s "$tmp/natsh.lines" "$tmp/nft.lines"; then
	ok "natsh -j show: text, handle, position of all 50,000 rules equal nft's"
else
	fail "natsh -j show: text, handle, position of all 50,000 rules equal nft's"
	diff "$tmp/nft.lines" "$tmp/natsh.lines" | head -10 | sed 's/^/#   /'
fi
nsx "$ns" "$NATSH" --no-color show >"$tmp/show.txt"
expect_eq "natsh show prints a line per rule" \
	"$(grep -cE '^ +[0-9]+ +[0-9]+ ' "$tmp/show.txt")" "50000"

# Bytes natsh ARGS... receives from its sockets (its output to $tmp/out).
# LeakSanitizer cannot run under ptrace: leaks are checked by the other runs.
received() {
	ASAN_OPTIONS=detect_leaks=0 nsx "$ns" strace -f -qq -e trace=recvmsg,recvfrom -o "$tmp/st" "$NATSH" "$@" >"$tmp/out" 2>/dev/null
	awk '/= [0-9]+$/ { n += $NF } END { print n + 0 }' "$tmp/st"
}
# Wall milliseconds of one run (information only).
ms() {
	local t0=${EPOCHREALTIME/./}
	nsx "$ns" "$NATSH" "$@" >/dev/null 2>&1
	echo $(( (${EPOCHREALTIME/./} - t0) / 1000 ))
}

show=$(received show)
chains=$(received --complete add '')
expect_eq "chains are offered" "$(head -3 "$tmp/out" | tr '\n' ' ')" "rule prerouting output "
tables=$(received --complete use ip '')
expect_eq "tables are offered" "$(cat "$tmp/out")" "bench"
pos=$(received --complete delete output 249)
expect_eq "positions of the 2,500-rule chain output" "$(tr '\n' ' ' <"$tmp/out")" \
	"249 2490 2491 2492 2493 2494 2495 2496 2497 2498 2499 "
echo "# received: show $show bytes, Tab after 'add ' $chains, after 'use ip ' $tables," \
	"after 'delete output 249' $pos"
echo "# wall: show $(ms show) ms, Tab after 'add ' $(ms --complete add '') ms," \
	"after 'delete output 249' $(ms --complete delete output 249) ms"
[ "$show" -gt 1000000 ] && ok "a full show receives the whole ruleset ($show bytes)" ||
	fail "a full show receives the whole ruleset ($show bytes)"
[ "$chains" -le $((show / 100)) ] && ok "chain completion receives <= 1% of a show ($chains bytes)" ||
	fail "chain completion receives <= 1% of a show ($chains bytes)"
[ "$tables" -le $((show / 100)) ] && ok "table completion receives <= 1% of a show ($tables bytes)" ||
	fail "table completion receives <= 1% of a show ($tables bytes)"
# output holds 2,500 of the 50,000 rules: its dump alone, 5% and a little
[ "$pos" -le $((show / 10)) ] && ok "positions of one chain: that chain's rules only ($pos bytes)" ||
	fail "positions of one chain: that chain's rules only ($pos bytes)"

nsh_done

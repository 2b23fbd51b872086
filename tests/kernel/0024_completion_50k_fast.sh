#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The first Tab with 50,000 rules (tests/bench/gen-rules.sh) reads tables
# and chains only, not every rule: completing a command's chain or a
# table takes a small fraction of a full `show`, and a short chain's
# positions or handles are read on demand.  Times are of a whole
# `natsh --complete` process (what bash runs; the shell's Tab does the
# same reads); the figures are printed.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new c50k)
tmp=$(mktemp -d /tmp/natsh-0024.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
"$NSH_TOP/tests/bench/gen-rules.sh" 50000 nft >"$tmp/r.nft"
nsx "$ns" nft -f "$tmp/r.nft" || { fail "50,000 rules load"; nsh_done; exit; }

# median wall milliseconds of 5 runs of natsh ARGS (output to $tmp/out)
ms() {
	local i t0 t1 v=()
	for i in 1 2 3 4 5; do
		t0=${EPOCHREALTIME/./}
		"$NATSH" "$@" >"$tmp/out" 2>/dev/null
		t1=${EPOCHREALTIME/./}
		v+=($(( (t1 - t0) / 1000 )))
	done
	printf '%s\n' "${v[@]}" | sort -n | sed -n 3p
}

show=$(ms -n "$ns" show)
echo "# natsh show (full dump): ${show} ms"
chains=$(ms --complete -n "$ns" add '')
expect_eq "chains are offered" "$(head -3 "$tmp/out" | tr '\n' ' ')" "rule prerouting output "
echo "# Tab after 'add ': ${chains} ms"
tables=$(ms --complete -n "$ns" use ip '')
expect_eq "tables are offered" "$(cat "$tmp/out")" "bench"
echo "# Tab after 'use ip ': ${tables} ms"
pos=$(ms --complete -n "$ns" delete output 249)
expect_eq "positions of the 2,500-rule chain output" "$(tr '\n' ' ' <"$tmp/out")" "249 2490 2491 2492 2493 2494 2495 2496 2497 2498 2499 "
echo "# Tab after 'delete output 249': ${pos} ms"
# a budget the old full dump (1.3 s at 50,000 rules, release build) could not meet
lim=$(( show / 4 ))
[ "$lim" -lt 60 ] && lim=60
[ "$chains" -le "$lim" ] && ok "chain completion ${chains} ms <= ${lim} ms (show: ${show} ms)" ||
	fail "chain completion ${chains} ms > ${lim} ms (show: ${show} ms)"
[ "$tables" -le "$lim" ] && ok "table completion ${tables} ms <= ${lim} ms" ||
	fail "table completion ${tables} ms > ${lim} ms"
[ "$pos" -le "$lim" ] && ok "positions of one chain ${pos} ms <= ${lim} ms" ||
	fail "positions of one chain ${pos} ms > ${lim} ms"

nsh_done

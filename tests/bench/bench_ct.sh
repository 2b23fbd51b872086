#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Conntrack benchmark (run by tests/bench/bench.sh, or alone):
#  1. listing 10,000 / 100,000 / 250,000 entries injected into a namespace
#     (tests/bench/ct_inject.c: batched ctnetlink creates, DNAT'd TCP):
#     `natsh conntrack` against `conntrack -L` and `cat /proc/net/nf_conntrack`,
#     median wall time and peak RSS; targets: natsh <= 0.8 x conntrack -L,
#     natsh's peak RSS flat in the number of entries (streaming);
#  2. CPU of `natsh monitor interval 1` with 10,000 NAT rules and 100,000
#     entries: whole run and steady state (target < 10 % of one core).
# Env: CT_SIZES ("10000 100000 250000"), CT_RUNS (5), MON_SECONDS (20), NATSH.
set -uo pipefail
source "$(dirname "$0")/common.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "bench_ct: needs root (network namespaces)" >&2
	exit 1
fi
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

bench_tools || { echo "bench_ct: cannot build the bench tools" >&2; exit 1; }
make -s -C "$BENCH_TOP" build/ct_inject >/dev/null || { echo "bench_ct: cannot build ct_inject" >&2; exit 1; }
INJECT=$BENCH_TOP/build/ct_inject
[ -x "$NATSH" ] || { echo "bench_ct: $NATSH not built" >&2; exit 1; }
: >>"$BENCH_BUILD/stderr.log"
sizes=${CT_SIZES:-10000 100000 250000}
runs=${CT_RUNS:-5}
fail=0

# A namespace whose conntrack can do NAT (a nat chain loads nf_nat).
ct_ns() {
	local ns
	ns=$(bench_ns "$1") || return 1
	ip netns exec "$ns" nft -f - <<'EOF' || return 1
table ip bench {
	chain pre {
		type nat hook prerouting priority dstnat;
	}
}
EOF
	echo "$ns"
}

echo
echo "conntrack listing ($(nproc) cores, kernel $(uname -r), median of $runs runs)"
printf '%9s %10s %12s %12s %12s %8s %10s %10s\n' entries inject/s "natsh ms" "ct -L ms" "/proc ms" ratio "natsh KiB" "ct -L KiB"
declare -A RSS
for n in $sizes; do
	ns=$(ct_ns "ct$n") || exit 1
	t0=${EPOCHREALTIME/./}
	made=$(ip netns exec "$ns" "$INJECT" "$n" dnat) || { echo "bench_ct: injection failed at $n"; exit 1; }
	t1=${EPOCHREALTIME/./}
	[ "$made" = "$n" ] || { echo "bench_ct: injected $made of $n entries"; fail=1; }
	have=$(ip netns exec "$ns" conntrack -C)
	[ "$have" = "$n" ] || { echo "bench_ct: table holds $have, want $n"; fail=1; }
	rate=$(awk -v n="$n" -v us=$((t1 - t0)) 'BEGIN { printf "%.0f", n / (us / 1e6) }')
	nt=(); nm=(); ct=(); cm=(); pt=()
	for r in $(seq "$runs"); do
		# interleaved, so that drift hits all three alike
		read -r us kib rc <<<"$(bench_once "$ns" "$NATSH" --no-color conntrack)"
		[ "$rc" = 0 ] && { nt+=("$us"); nm+=("$kib"); }
		read -r us kib rc <<<"$(bench_once "$ns" conntrack -L)"
		[ "$rc" = 0 ] && { ct+=("$us"); cm+=("$kib"); }
		read -r us kib rc <<<"$(bench_once "$ns" cat /proc/net/nf_conntrack)"
		[ "$rc" = 0 ] && pt+=("$us")
	done
	# the listing must be complete, not just fast
	lines=$(ip netns exec "$ns" "$NATSH" --no-color conntrack | wc -l)
	[ "$lines" = "$n" ] || { echo "bench_ct: natsh listed $lines of $n entries"; fail=1; }
	tn=$(bench_median "${nt[@]}"); tc=$(bench_median "${ct[@]}"); tp=$(bench_median "${pt[@]}")
	RSS[$n]=$(bench_median "${nm[@]}")
	ratio=$(awk -v a="$tn" -v b="$tc" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
	printf '%9s %10s %12s %12s %12s %8s %10s %10s\n' "$n" "$rate" "$(bench_ms "$tn")" \
		"$(bench_ms "$tc")" "$(bench_ms "$tp")" "$ratio" "${RSS[$n]}" "$(bench_median "${cm[@]}")"
	awk -v r="$ratio" 'BEGIN { exit !(r != "-" && r <= 0.8) }' ||
		{ echo "  target missed: natsh conntrack at $n entries is $ratio x conntrack -L (want <= 0.8)"; fail=1; }
	bench_cleanup
done
set -- $sizes
first=$1; last=${!#}
grow=$(( ${RSS[$last]} - ${RSS[$first]} ))
echo "natsh peak RSS: ${RSS[$first]} KiB at $first entries, ${RSS[$last]} KiB at $last entries (growth $grow KiB)"
if [ "$grow" -gt 2048 ]; then
	echo "  target missed: peak RSS grows with the number of entries (want flat, < 2 MiB growth)"
	fail=1
fi

# --- monitor CPU ------------------------------------------------------------
secs=${MON_SECONDS:-20}
ns=$(ct_ns mon) || exit 1
"$BENCH_DIR/gen-rules.sh" 10000 nft >"$BENCH_BUILD/rules-ct-10000.nft"
ip netns exec "$ns" nft -f "$BENCH_BUILD/rules-ct-10000.nft" || { echo "bench_ct: loading 10000 rules failed"; exit 1; }
ip netns exec "$ns" "$INJECT" 100000 dnat >/dev/null || { echo "bench_ct: injection failed"; exit 1; }
nrules=$(ip netns exec "$ns" "$NATSH" -j monitor count 1 interval 0.1 | jq '.totals.rules')
nct=$(ip netns exec "$ns" conntrack -C)

# CPU seconds (user+sys) and wall seconds of one monitor run of COUNT blocks
cpu_run() {
	local TIMEFORMAT='%3U %3S %3R'
	{ time ip netns exec "$ns" "$NATSH" --no-color monitor interval 1 count "$1" >/dev/null; } 2>&1 |
		tail -1
}
read -r u1 s1 w1 <<<"$(cpu_run 3)"
read -r u2 s2 w2 <<<"$(cpu_run "$secs")"
read -r ju js jw <<<"$(TIMEFORMAT='%3U %3S %3R'; { time ip netns exec "$ns" "$NATSH" -j monitor interval 1 count "$secs" >/dev/null; } 2>&1 | tail -1)"
echo
echo "monitor interval 1 with $nrules rules and $nct conntrack entries ($secs blocks):"
awk -v u1="$u1" -v s1="$s1" -v w1="$w1" -v u2="$u2" -v s2="$s2" -v w2="$w2" \
    -v ju="$ju" -v js="$js" -v jw="$jw" 'BEGIN {
	printf "  text: whole run %.2f s CPU in %.1f s = %.1f %% of a core\n", u2 + s2, w2, 100 * (u2 + s2) / w2
	steady = 100 * ((u2 + s2) - (u1 + s1)) / (w2 - w1)
	printf "  text: steady state (run of %d minus run of 3) = %.1f %% of a core\n", '"$secs"', steady
	printf "  json: whole run %.2f s CPU in %.1f s = %.1f %% of a core\n", ju + js, jw, 100 * (ju + js) / jw
	exit !(steady < 10)
}' || { echo "  target missed: monitor above 10 % of a core"; fail=1; }

# top in a real terminal (tmux), same set-up: CPU of the natsh process from
# /proc/PID/stat between 5 s after the start and $secs s later
if command -v tmux >/dev/null; then
	sock="nsh$$-bct"
	tmux -f /dev/null -L "$sock" new-session -d -x 160 -y 50 \
		"exec env LANG=C.UTF-8 TERM=xterm ip netns exec $ns $NATSH top interval 1"
	sleep 5
	pid=$(tmux -L "$sock" display -p '#{pane_pid}')
	tick=$(getconf CLK_TCK)
	cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
	c1=$(cpu); t1=${EPOCHREALTIME/./}
	sleep "$secs"
	c2=$(cpu); t2=${EPOCHREALTIME/./}
	tmux -L "$sock" send-keys q
	sleep 0.5
	tmux -L "$sock" kill-server >/dev/null 2>&1
	awk -v c="$((c2 - c1))" -v hz="$tick" -v us="$((t2 - t1))" 'BEGIN {
		printf "  top (tmux 160x50): steady state %.1f %% of a core\n", 100 * (c / hz) / (us / 1e6)
		exit !(100 * (c / hz) / (us / 1e6) < 10) }' ||
		echo "  (top above 10 % of a core; the target is for monitor)"
fi

[ $fail = 0 ] && echo "conntrack benchmark: targets met" || echo "conntrack benchmark: TARGETS MISSED"
exit $fail

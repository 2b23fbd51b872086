#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Prometheus metrics (issue 18): `natsh metrics` against what the nftables
# exporters fork on every scrape, `nft -j list ruleset`, in the same run, at
# N = 1,000 / 10,000 / 50,000 NAT rules with 100,000 conntrack entries (NAT'd:
# metrics also counts them).  Median wall time and peak RSS
# (tests/bench/measure), instructions (callgrind, when valgrind is installed,
# at the smallest size); targets: <= 0.3x nft's time and memory.
# Env: BENCH_SIZES ("1000 10000 50000"), BENCH_RUNS (3), CT_N (100000), NATSH.
set -uo pipefail
source "$(dirname "$0")/common.sh"

[ "$(id -u)" -eq 0 ] || { echo "bench_metrics: needs root (network namespaces)" >&2; exit 1; }
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
[ -x "$NATSH" ] || { echo "bench_metrics: $NATSH not built" >&2; exit 1; }
bench_tools || { echo "bench_metrics: cannot build the bench tools" >&2; exit 1; }
make -s -C "$BENCH_TOP" build/ct_inject >/dev/null || { echo "bench_metrics: cannot build ct_inject" >&2; exit 1; }
INJECT=$BENCH_TOP/build/ct_inject
sizes=${BENCH_SIZES:-1000 10000 50000}
runs=${BENCH_RUNS:-3}
ctn=${CT_N:-100000}


echo "natsh benchmark: metrics against nft -j list ruleset ($(nproc) cores, kernel $(uname -r), load $(cut -d' ' -f1 /proc/loadavg))"
printf '  %7s %9s %10s %10s %7s %10s %10s %7s\n' rules entries "natsh ms" "nft -j ms" ratio "natsh KiB" "nft KiB" ratio
wt=; wm=
for n in $sizes; do
	ns=$(bench_ns met$n) || exit 1
	"$BENCH_DIR/gen-rules.sh" "$n" nft | ip netns exec "$ns" nft -f - || { echo "bench_metrics: load failed at $n"; exit 1; }
	made=$(ip netns exec "$ns" "$INJECT" "$ctn" dnat) || { echo "bench_metrics: injection failed"; exit 1; }
	series=$(ip netns exec "$ns" "$NATSH" metrics | grep -c '^natsh_rule_packets_total{')
	[ "$series" = "$n" ] || echo "  note: metrics gave $series rule series at $n rules"
	nt=(); nm=(); ft=(); fm=()
	for r in $(seq "$runs"); do
		read -r us kib <<<"$(once "$ns" "$NATSH" metrics)"; [ -n "${us:-}" ] && { nt+=("$us"); nm+=("$kib"); }
		read -r us kib <<<"$(once "$ns" nft -j list ruleset)"; [ -n "${us:-}" ] && { ft+=("$us"); fm+=("$kib"); }
	done
	a=$(bench_median "${nt[@]}"); b=$(bench_median "${ft[@]}")
	c=$(bench_median "${nm[@]}"); d=$(bench_median "${fm[@]}")
	rt=$(ratio "$a" "$b"); rm=$(ratio "$c" "$d")
	printf '  %7s %9s %10s %10s %7s %10s %10s %7s\n' "$n" "$made" "$(bench_ms "$a")" "$(bench_ms "$b")" "$rt" "$c" "$d" "$rm"
	wt=$(worse "$wt" "$rt"); wm=$(worse "$wm" "$rm")
	if [ "$n" = "${sizes%% *}" ] && command -v valgrind >/dev/null; then
		ir() { ip netns exec "$ns" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
			awk '/Collected :/ { print $NF }'; }
		in=$(ir "$NATSH" metrics); if=$(ir nft -j list ruleset)
		echo "  instructions at $n rules (callgrind): natsh $in, nft -j $if ($(ratio "$in" "$if")x)"
	fi
	bench_cleanup
done
echo "targets (worst size)"
printf '  %-46s %6s  %s\n' "metrics time <= 0.3x nft -j list ruleset" "${wt:--}" "$(verdict "${wt:--}" 0.3)"
printf '  %-46s %6s  %s\n' "metrics peak RSS <= 0.3x nft -j list ruleset" "${wm:--}" "$(verdict "${wm:--}" 0.3)"

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# make bench: for 1,000, 10,000 and 50,000 NAT rules (tests/bench/gen-rules.sh)
# loaded into a namespace, the median wall time and peak RSS of
#   natsh show                      (release build, output to /dev/null)
#   nft list ruleset
#   iptables-nft -t nat -L -n -v    (the same rules via iptables-nft-restore, own namespace)
#   rawdump                         (libmnl, counts messages only: everything a listing
#                                    needs — generation, tables, chains, sets, elements of
#                                    each anonymous set, rules — the kernel's cost, which
#                                    natsh and nft both pay: natsh/raw is natsh's overhead)
#   rawdump rules                   (the rule dump alone: a floor, shown for information)
# measured in the same run, interleaved, with their ratios and the targets.
# Then every executable tests/bench/bench_*.sh runs (later sections: batch load,
# conntrack listing, ...); they source tests/bench/common.sh.
#
# Env: BENCH_SIZES ("1000 10000 50000"), BENCH_RUNS (5; 3 at >= 50000 rules), NATSH.
set -uo pipefail
source "$(dirname "$0")/common.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "bench: needs root (network namespaces)" >&2
	exit 1
fi
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

sizes=${BENCH_SIZES:-1000 10000 50000}
bench_tools || { echo "bench: cannot build the bench tools" >&2; exit 1; }
: >"$BENCH_BUILD/stderr.log"
have_natsh=1
[ -x "$NATSH" ] || { have_natsh=0; echo "bench: $NATSH not built: natsh columns left empty"; }

tools=(natsh nft ipt raw rules)
declare -A T M	# T[tool,size] median microseconds, M[tool,size] median KiB
notes=()

# Run one tool once; echo "US KIB" or nothing when it failed.
run_tool() {
	local tool=$1 nftns=$2 iptns=$3 out us kib rc
	case $tool in
	natsh) [ $have_natsh = 1 ] || return 0
	       out=$(bench_once "$nftns" "$NATSH" --no-color show);;
	nft)   out=$(bench_once "$nftns" nft list ruleset);;
	ipt)   out=$(bench_once "$iptns" iptables-nft -t nat -L -n -v);;
	raw)   out=$(bench_once "$nftns" "$RAWDUMP");;
	rules) out=$(bench_once "$nftns" "$RAWDUMP" rules);;
	esac
	read -r us kib rc <<<"$out"
	[ "${rc:-1}" = 0 ] && echo "$us $kib"
}

echo "natsh benchmark: listing NAT rules ($(nproc) cores, kernel $(uname -r))"
for n in $sizes; do
	runs=${BENCH_RUNS:-$([ "$n" -ge 50000 ] && echo 3 || echo 5)}
	nftns=$(bench_ns "nft$n") && iptns=$(bench_ns "ipt$n") || exit 1
	"$BENCH_DIR/gen-rules.sh" "$n" nft >"$BENCH_BUILD/rules-$n.nft"
	"$BENCH_DIR/gen-rules.sh" "$n" iptables >"$BENCH_BUILD/rules-$n.ipt"
	t0=${EPOCHREALTIME/./}
	ip netns exec "$nftns" nft -f "$BENCH_BUILD/rules-$n.nft" || { echo "bench: nft -f failed at $n rules"; exit 1; }
	t1=${EPOCHREALTIME/./}
	ip netns exec "$iptns" iptables-nft-restore "$BENCH_BUILD/rules-$n.ipt" || { echo "bench: iptables-nft-restore failed at $n rules"; exit 1; }
	t2=${EPOCHREALTIME/./}
	got=$(ip netns exec "$nftns" "$RAWDUMP" rules); goti=$(ip netns exec "$iptns" "$RAWDUMP" rules)
	if [ "$got" != "$n" ] || [ "$goti" != "$n" ]; then
		echo "bench: loaded $got (nft) and $goti (iptables) rules, wanted $n"; exit 1
	fi
	printf '%6d rules loaded: nft -f %s ms, iptables-nft-restore %s ms; %d runs each\n' \
		"$n" "$(bench_ms $((t1 - t0)))" "$(bench_ms $((t2 - t1)))" "$runs"

	# natsh must show every rule, else its time means nothing
	if [ $have_natsh = 1 ]; then
		shown=$(ip netns exec "$nftns" "$NATSH" --no-color show 2>>"$BENCH_BUILD/stderr.log" |
			grep -cE '(dnat|snat) (ip )?to|masquerade|redirect to')
		[ "$shown" = "$n" ] || notes+=("at $n rules natsh show printed $shown NAT rule lines, not $n")
	fi
	printf '       raw listing fetches: %s\n' "$(ip netns exec "$nftns" "$RAWDUMP")"

	# one warm-up round, then the measured rounds, interleaved
	for tool in "${tools[@]}"; do run_tool "$tool" "$nftns" "$iptns" >/dev/null; done
	declare -A us=() kib=()
	for r in $(seq "$runs"); do
		for tool in "${tools[@]}"; do
			read -r u k <<<"$(run_tool "$tool" "$nftns" "$iptns")"
			[ -n "${u:-}" ] || continue
			us[$tool]+="$u "; kib[$tool]+="$k "
		done
	done
	for tool in "${tools[@]}"; do
		# shellcheck disable=SC2086
		T[$tool,$n]=$(bench_median ${us[$tool]:-})
		# shellcheck disable=SC2086
		M[$tool,$n]=$(bench_median ${kib[$tool]:-})
		[ "${T[$tool,$n]}" = - ] && [ "$tool" != natsh -o $have_natsh = 1 ] && notes+=("$tool failed at $n rules (see $BENCH_BUILD/stderr.log)")
	done
	unset us kib
	bench_cleanup
done

# ratio A/B of two numbers, or "-"

echo
echo "wall time, median, milliseconds (raw: what a listing fetches — tables, chains, sets,"
echo "anonymous sets' elements, rules; rules-only: the rule dump alone, a floor)"
printf '%6s %8s %8s %8s %8s %10s  %9s %9s %9s %11s\n' rules natsh nft iptables raw rules-only natsh/nft natsh/ipt natsh/raw natsh/rules
for n in $sizes; do
	printf '%6d %8s %8s %8s %8s %10s  %9s %9s %9s %11s\n' "$n" \
		"$(bench_ms "${T[natsh,$n]}")" "$(bench_ms "${T[nft,$n]}")" "$(bench_ms "${T[ipt,$n]}")" \
		"$(bench_ms "${T[raw,$n]}")" "$(bench_ms "${T[rules,$n]}")" \
		"$(ratio "${T[natsh,$n]}" "${T[nft,$n]}")" "$(ratio "${T[natsh,$n]}" "${T[ipt,$n]}")" \
		"$(ratio "${T[natsh,$n]}" "${T[raw,$n]}")" "$(ratio "${T[natsh,$n]}" "${T[rules,$n]}")"
done
echo
echo "peak RSS, median, KiB"
printf '%6s %8s %8s %8s %8s  %9s %9s\n' rules natsh nft iptables raw natsh/nft natsh/ipt
for n in $sizes; do
	printf '%6d %8s %8s %8s %8s  %9s %9s\n' "$n" \
		"${M[natsh,$n]}" "${M[nft,$n]}" "${M[ipt,$n]}" "${M[raw,$n]}" \
		"$(ratio "${M[natsh,$n]}" "${M[nft,$n]}")" "$(ratio "${M[natsh,$n]}" "${M[ipt,$n]}")"
done

# targets: the worst ratio over the sizes measured
worst() {	# worst ratio of table $1 between tools $2 and $3 over all sizes
	local n r w=-
	for n in $sizes; do
		if [ "$1" = T ]; then r=$(ratio "${T[$2,$n]}" "${T[$3,$n]}"); else r=$(ratio "${M[$2,$n]}" "${M[$3,$n]}"); fi
		[ "$r" = - ] && { echo -; return; }
		w=$(awk -v a="$w" -v b="$r" 'BEGIN { if (a == "-" || b + 0 > a + 0) print b; else print a }')
	done
	echo "$w"
}
echo
echo "targets"
case " $sizes " in
*" 10000 "*) r=$(ratio "${T[natsh,10000]:--}" "${T[nft,10000]:--}")
	printf '  %-46s %6s  %s\n' "natsh time <= 0.5x nft's at 10000 rules" "$r" "$(verdict "$r" 0.5)";;
esac
r=$(worst T natsh raw)
printf '  %-46s %6s  %s\n' "natsh time <= 1.3x raw listing's at every size" "$r" "$(verdict "$r" 1.3)"
r=$(worst M natsh nft)
printf '  %-46s %6s  %s\n' "natsh peak RSS <= 0.3x nft's (worst size)" "$r" "$(verdict "$r" 0.3)"
for note in "${notes[@]}"; do echo "note: $note"; done

# later sections
for ext in "$BENCH_DIR"/bench_*.sh; do
	[ -x "$ext" ] || continue
	echo
	echo "== ${ext##*/}"
	"$ext" || echo "bench: ${ext##*/} failed"
done

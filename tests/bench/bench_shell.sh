#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The shell at scale (issue 15's table), each row against its peer measured
# in the same run (run by tests/bench/bench.sh, or alone):
#   delete    `natsh -c 'delete rule ip bench prerouting handle H'` against
#             `nft delete rule ...` with N rules present (target <= 1.0x nft)
#   json      `natsh -j show` against `natsh show` at 1,000 rules: instructions
#             (callgrind, when valgrind is installed) and wall time (<= 1.5x)
#   ct -j     `natsh -j conntrack` against `conntrack -L` at 100,000 entries (<= 0.7x)
#   complete  Tab after `delete prerouting ` at 50,000 rules (natsh --complete;
#             target < 50 ms), against `natsh show` of the same chain
#   top       first frame of `top` at 50,000 rules in a real terminal (tmux;
#             target < 1 s), and its CPU over 5 refreshes (1 s refresh held)
# Median wall time and peak RSS (tests/bench/measure).
# Env: BENCH_SIZES ("1000 10000 50000"), BENCH_RUNS (3), CT_N (100000), NATSH.
set -uo pipefail
source "$(dirname "$0")/common.sh"

[ "$(id -u)" -eq 0 ] || { echo "bench_shell: needs root (network namespaces)" >&2; exit 1; }
TSOCK=nsh$$-bench
trap 'tmux -L "$TSOCK" kill-server 2>/dev/null; bench_cleanup' EXIT
trap 'exit 130' INT TERM
[ -x "$NATSH" ] || { echo "bench_shell: $NATSH not built" >&2; exit 1; }
bench_tools || { echo "bench_shell: cannot build the bench tools" >&2; exit 1; }
make -s -C "$BENCH_TOP" build/ct_inject >/dev/null || { echo "bench_shell: cannot build ct_inject" >&2; exit 1; }
INJECT=$BENCH_TOP/build/ct_inject
sizes=${BENCH_SIZES:-1000 10000 50000}
runs=${BENCH_RUNS:-3}
GEN=$BENCH_DIR/gen-rules.sh

row() { printf '  %-58s %8s  %s\n' "$1" "$2" "$3"; }
# handles of prerouting's rules, in order
handles() { ip netns exec "$1" nft -a list chain ip bench prerouting | grep -oE 'handle [0-9]+$' | awk '{print $2}'; }
declare -A TGT

echo "natsh benchmark: the shell at scale ($(nproc) cores, kernel $(uname -r), load $(cut -d' ' -f1 /proc/loadavg))"

# --- delete by handle -------------------------------------------------------
echo
echo "delete one rule by handle with N rules present: median of $runs, ms and peak KiB"
printf '  %7s %10s %10s %8s %10s %10s\n' rules "natsh ms" "nft ms" ratio "natsh KiB" "nft KiB"
for n in $sizes; do
	ns=$(bench_ns "del$n") || exit 1
	"$GEN" "$n" nft | ip netns exec "$ns" nft -f - || { echo "bench_shell: load failed at $n"; exit 1; }
	mapfile -t hs < <(handles "$ns")
	nt=(); nm=(); ft=(); fm=()
	for r in $(seq "$runs"); do
		# interleaved; each deletes a different rule from the middle of the chain
		h=${hs[$((${#hs[@]} / 2 + 2 * r))]}
		read -r us kib <<<"$(once "$ns" "$NATSH" -c "delete rule ip bench prerouting handle $h")"
		[ -n "${us:-}" ] && { nt+=("$us"); nm+=("$kib"); }
		h=${hs[$((${#hs[@]} / 2 + 2 * r + 1))]}
		read -r us kib <<<"$(once "$ns" nft delete rule ip bench prerouting handle "$h")"
		[ -n "${us:-}" ] && { ft+=("$us"); fm+=("$kib"); }
	done
	left=$(handles "$ns" | wc -l)
	[ "$left" = $(( ${#hs[@]} - 2 * runs )) ] || echo "  note: $((${#hs[@]} - left)) rules gone, wanted $((2 * runs))"
	a=$(bench_median "${nt[@]}"); b=$(bench_median "${ft[@]}")
	printf '  %7s %10s %10s %8s %10s %10s\n' "$n" "$(bench_ms "$a")" "$(bench_ms "$b")" "$(ratio "$a" "$b")" \
		"$(bench_median "${nm[@]}")" "$(bench_median "${fm[@]}")"
	TGT[delete]=$(ratio "$a" "$b"); TGT[delete_n]=$n
	bench_cleanup
done

# --- -j show against show ---------------------------------------------------
echo
ns=$(bench_ns json) || exit 1
"$GEN" 1000 nft | ip netns exec "$ns" nft -f - || exit 1
jt=(); tt=()
for r in $(seq 5); do
	read -r us kib <<<"$(once "$ns" "$NATSH" -j show)"; [ -n "${us:-}" ] && jt+=("$us")
	read -r us kib <<<"$(once "$ns" "$NATSH" --no-color show)"; [ -n "${us:-}" ] && tt+=("$us")
done
a=$(bench_median "${jt[@]}"); b=$(bench_median "${tt[@]}")
echo "-j show against show at 1000 rules: $(bench_ms "$a") ms against $(bench_ms "$b") ms ($(ratio "$a" "$b")x wall)"
TGT[json]=$(ratio "$a" "$b"); TGT[json_what]="wall"
if command -v valgrind >/dev/null; then
	ir() { ip netns exec "$ns" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		awk '/Collected :/ { print $NF }'; }
	ij=$(ir "$NATSH" -j show); it=$(ir "$NATSH" --no-color show)
	echo "  instructions (callgrind): -j $ij, text $it ($(ratio "$ij" "$it")x)"
	TGT[json]=$(ratio "$ij" "$it"); TGT[json_what]="instructions"
fi
bench_cleanup

# --- -j conntrack against conntrack -L ----------------------------------------
echo
ctn=${CT_N:-100000}
ns=$(bench_ns ctj) || exit 1
ip netns exec "$ns" nft 'add table ip bench; add chain ip bench pre { type nat hook prerouting priority dstnat; }' || exit 1
made=$(ip netns exec "$ns" "$INJECT" "$ctn" dnat) || { echo "bench_shell: injection failed"; exit 1; }
jt=(); ct=(); jm=(); cm=()
for r in $(seq "$runs"); do
	read -r us kib <<<"$(once "$ns" "$NATSH" -j conntrack)"; [ -n "${us:-}" ] && { jt+=("$us"); jm+=("$kib"); }
	read -r us kib <<<"$(once "$ns" conntrack -L)"; [ -n "${us:-}" ] && { ct+=("$us"); cm+=("$kib"); }
done
a=$(bench_median "${jt[@]}"); b=$(bench_median "${ct[@]}")
echo "-j conntrack against conntrack -L at $made entries: $(bench_ms "$a") ms against $(bench_ms "$b") ms" \
	"($(ratio "$a" "$b")x), peak $(bench_median "${jm[@]}") KiB against $(bench_median "${cm[@]}") KiB"
TGT[ctj]=$(ratio "$a" "$b")
bench_cleanup

# --- completion and top at the largest size -----------------------------------
set -- $sizes
big=${!#}
echo
ns=$(bench_ns big) || exit 1
"$GEN" "$big" nft | ip netns exec "$ns" nft -f - || exit 1
ct=(); st=()
for r in $(seq "$runs"); do
	read -r us kib <<<"$(once "$ns" "$NATSH" --complete delete prerouting '')"
	[ -n "${us:-}" ] && ct+=("$us")
	read -r us kib <<<"$(once "$ns" "$NATSH" --no-color show ip bench prerouting)"
	[ -n "${us:-}" ] && st+=("$us")
done
offered=$(ip netns exec "$ns" "$NATSH" --complete delete prerouting '' | wc -l)
a=$(bench_median "${ct[@]}"); b=$(bench_median "${st[@]}")
echo "Tab after 'delete prerouting ' at $big rules: $(bench_ms "$a") ms ($offered candidates;" \
	"show of that chain: $(bench_ms "$b") ms)"
TGT[complete]=$(bench_ms "$a")

if command -v tmux >/dev/null; then
	T() { tmux -f /dev/null -L "$TSOCK" "$@"; }
	t0=${EPOCHREALTIME/./}
	T new-session -d -x 160 -y 40 "env TERM=xterm-256color ip netns exec $ns $NATSH top interval 1; sleep 30"
	first=-
	for i in $(seq 1 600); do
		if T capture-pane -p 2>/dev/null | grep -q 'NAT CONNECTIONS'; then
			first=$(( (${EPOCHREALTIME/./} - t0) / 1000 )); break
		fi
		sleep 0.05
	done
	pid=$(pgrep -n -f "$NATSH top interval 1" || true)
	cpu=-
	if [ -n "$pid" ]; then
		hz=$(getconf CLK_TCK)
		c0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat"); w0=${EPOCHREALTIME/./}
		sleep 5
		c1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo "$c0"); w1=${EPOCHREALTIME/./}
		cpu=$(awk -v c=$((c1 - c0)) -v hz="$hz" -v us=$((w1 - w0)) 'BEGIN { printf "%.1f", 100 * c / hz / (us / 1e6) }')
	fi
	T send-keys q; sleep 0.3; T kill-server 2>/dev/null
	echo "top at $big rules: first frame after $first ms; then $cpu % of a core over 5 s (refresh 1 s)"
	TGT[top]=$first; TGT[topcpu]=$cpu
fi
bench_cleanup

echo
echo "targets"
row "delete by handle <= 1.0x nft delete rule (at ${TGT[delete_n]:-?} rules)" "${TGT[delete]:--}" "$(verdict "${TGT[delete]:--}" 1.0)"
row "-j show <= 1.5x text show at 1000 rules (${TGT[json_what]:-wall})" "${TGT[json]:--}" "$(verdict "${TGT[json]:--}" 1.5)"
row "-j conntrack <= 0.7x conntrack -L" "${TGT[ctj]:--}" "$(verdict "${TGT[ctj]:--}" 0.7)"
row "Tab after 'delete prerouting ' < 50 ms (ms)" "${TGT[complete]:--}" "$(verdict "${TGT[complete]:--}" 50)"
row "top's first frame < 1000 ms (ms)" "${TGT[top]:--}" "$(verdict "${TGT[top]:--}" 1000)"
row "top's CPU with a 1 s refresh (% of a core; monitor's target is 5)" "${TGT[topcpu]:--}" ""

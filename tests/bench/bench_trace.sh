#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# trace's cost for the packets it does not follow (issue 17): the trace table
# is one chain at priority raw on prerouting (and output) with one rule, which
# every packet meets.  Measured as the wall time of a flood of ICMP echoes
# (ping -f, PINGS of them) from one namespace to another over a veth pair,
# with no trace running and with `natsh trace` following other packets
# (tcp to 203.0.113.99:9), interleaved, medians of RUNS; target: <= 1.05x.
# Env: PINGS (20000), BENCH_RUNS (5), NATSH.
set -uo pipefail
source "$(dirname "$0")/common.sh"

[ "$(id -u)" -eq 0 ] || { echo "bench_trace: needs root (network namespaces)" >&2; exit 1; }
trap 'kill "${TPID:-}" 2>/dev/null; bench_cleanup' EXIT
trap 'exit 130' INT TERM
[ -x "$NATSH" ] || { echo "bench_trace: $NATSH not built" >&2; exit 1; }
bench_tools || { echo "bench_trace: cannot build the bench tools" >&2; exit 1; }
pings=${PINGS:-20000}
runs=${BENCH_RUNS:-5}

a=$(bench_ns tra) && b=$(bench_ns trb) || exit 1
ip link add "${a##*-}x" netns "$a" type veth peer name "${b##*-}x" netns "$b" || exit 1
ip -n "$a" addr add 203.0.113.1/24 dev "${a##*-}x" && ip -n "$a" link set "${a##*-}x" up
ip -n "$b" addr add 203.0.113.2/24 dev "${b##*-}x" && ip -n "$b" link set "${b##*-}x" up
# conntrack and a nat chain in b, as on a router
ip netns exec "$b" nft add table ip nat
ip netns exec "$b" nft 'add chain ip nat pre { type nat hook prerouting priority dstnat; }'
ip netns exec "$a" ping -c 1 -W 2 203.0.113.2 >/dev/null || { echo "bench_trace: no link"; exit 1; }

flood() { once "$a" ping -f -q -c "$pings" -W 1 203.0.113.2 | cut -d' ' -f1; }
base=(); traced=()
for r in $(seq "$runs"); do
	us=$(flood); [ -n "$us" ] && base+=("$us")
	ip netns exec "$b" "$NATSH" trace tcp to 203.0.113.99:9 for 600 >/dev/null 2>&1 &
	TPID=$!
	for i in $(seq 100); do ip netns exec "$b" nft list table inet natsh-trace >/dev/null 2>&1 && break; sleep 0.05; done
	us=$(flood); [ -n "$us" ] && traced+=("$us")
	kill -INT "$TPID"; wait "$TPID" 2>/dev/null; TPID=
done
x=$(bench_median "${base[@]}"); y=$(bench_median "${traced[@]}")
q=$(ratio "$y" "$x")
echo "natsh benchmark: trace's cost for packets it does not follow ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
printf '  %8s %12s %12s %7s  %s\n' pings "no trace ms" "trace ms" ratio "target <= 1.05"
printf '  %8s %12s %12s %7s  %s\n' "$pings" "$(bench_ms "$x")" "$(bench_ms "$y")" "$q" "$(verdict "$q" 1.05)"

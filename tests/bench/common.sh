# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by tests/bench/bench.sh and its extensions tests/bench/bench_*.sh
# (sourced): build the bench tools, make and remove namespaces, measure.
#
#   bench_tools                build measure and rawdump into $BENCH_BUILD
#   bench_ns TAG               create namespace nsh<pid>-b<TAG> (removed on exit)
#   bench_once NS CMD...       run once in NS, stdout to /dev/null: "US KIB RC"
#   bench_median N...          median of numbers
#   bench_ms US                microseconds as milliseconds, one decimal
#   once NS CMD...             bench_once, but "US KIB" only when CMD succeeded
#   ratio A B                  A/B with two decimals ("-" when one is missing)
#   verdict RATIO LIMIT        met | MISSED | not measured
#   worse A B                  the larger ratio ("" = none yet, "-" = unmeasured)
# Variables: NATSH (release binary), BENCH_BUILD, MEASURE, RAWDUMP.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_TOP=$(cd "$BENCH_DIR/../.." && pwd)
BENCH_BUILD=${BENCH_BUILD:-$BENCH_TOP/build/bench}
NATSH=${NATSH:-$BENCH_TOP/build/natsh}
MEASURE=$BENCH_BUILD/measure
RAWDUMP=$BENCH_BUILD/rawdump
BENCH_NS=()	# extra namespaces to remove; nsh<pid>-b* always are

# The bench's own tools are test tools, not part of natsh: built here.
bench_tools() {
	mkdir -p "$BENCH_BUILD" || return 1
	if [ ! -x "$MEASURE" ] || [ "$BENCH_DIR/measure.c" -nt "$MEASURE" ]; then
		cc -O2 -Wall -Wextra -Werror -o "$MEASURE" "$BENCH_DIR/measure.c" || return 1
	fi
	if [ ! -x "$RAWDUMP" ] || [ "$BENCH_DIR/rawdump.c" -nt "$RAWDUMP" ]; then
		cc -O2 -Wall -Wextra -Werror $(pkg-config --cflags libmnl) -o "$RAWDUMP" \
			"$BENCH_DIR/rawdump.c" $(pkg-config --libs libmnl) || return 1
	fi
}

# Remove the bench's namespaces (by name: bench_ns runs in $(...) subshells).
bench_cleanup() {
	local ns f
	for f in /run/netns/"nsh$$"-b*; do
		[ -e "$f" ] && BENCH_NS+=("${f##*/}")
	done
	for ns in "${BENCH_NS[@]}"; do
		[ -e "/run/netns/$ns" ] || continue
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	BENCH_NS=()
}

bench_ns() {
	local ns="nsh$$-b$1"
	ip netns add "$ns" || return 1
	BENCH_NS+=("$ns")
	ip -n "$ns" link set lo up
	echo "$ns"
}

bench_once() {
	local ns=$1; shift
	ip netns exec "$ns" "$MEASURE" "$@" 2>>"$BENCH_BUILD/stderr.log"
}

bench_median() {
	[ $# -eq 0 ] && { echo -; return; }
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

bench_ms() {
	case $1 in -|'') echo -;; *) awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }';; esac
}

once() {
	local out us kib rc
	out=$(bench_once "$@")
	read -r us kib rc <<<"$out"
	[ "${rc:-1}" = 0 ] && echo "$us $kib"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
verdict() { awk -v r="$1" -v lim="$2" 'BEGIN { if (r == "-") print "not measured"; else if (r + 0 <= lim + 0) print "met"; else print "MISSED" }'; }
worse() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else if (a == "" || b + 0 > a + 0) print b; else print a }'; }

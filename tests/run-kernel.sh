#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Run the kernel tests (tests/kernel/NNNN_*.sh, then tests/tui/NNNN_*.sh; other
# files there are helpers), each
# in a fresh network namespace of its own (unshare --net: whatever a test runs
# outside its nsh* namespaces still never touches the machine's own network),
# with a time limit.  Prints each test's result and, last, the plain line
# "N passed, N failed" (counting test files).  Exit status 1 on any failure.
#
# Usage: tests/run-kernel.sh [PATTERN...]   (run only tests whose name contains a PATTERN)
# Env:   NATSH (binary under test; default build-san/natsh, else build/natsh),
#        NSH_TEST_TIMEOUT (seconds per test, default 600), VERBOSE=1 (show all output),
#        JOBS (tests at a time; default the number of cores, at most 4)
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
timeout_s=${NSH_TEST_TIMEOUT:-600}

if [ "$(id -u)" -ne 0 ]; then
	echo "run-kernel: kernel tests need root (network namespaces)" >&2
	exit 1
fi

tests=()
for t in tests/kernel/[0-9][0-9][0-9][0-9]_*.sh tests/tui/[0-9][0-9][0-9][0-9]_*.sh; do
	[ -f "$t" ] || continue
	if [ $# -gt 0 ]; then
		match=0
		for pat in "$@"; do case $t in *"$pat"*) match=1;; esac; done
		[ $match -eq 1 ] || continue
	fi
	tests+=("$t")
done

passed=0
failed=0
failed_names=()
# Tests run JOBS at a time (default: the machine's cores, at most 4); each is
# in namespaces of its own, so they cannot see each other.  Results are
# printed in the tests' order, each when it and all before it have ended.
jobs=${JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -gt 4 ] && jobs=4
[ "$jobs" -lt 1 ] && jobs=1
dir=$(mktemp -d /tmp/natsh-kernel.XXXXXX)
trap 'rm -rf "$dir"' EXIT

# run_one I TEST: runs TEST, leaves its output in $dir/I.log and
# "rc seconds" in $dir/I.rc (written last: its presence means done).
run_one() {
	local i=$1 t=$2 id="$$x$1" start us secs rc leaked ns
	local log="$dir/$i.log"
	start=${EPOCHREALTIME/./}
	if [ ! -x "$t" ]; then
		echo "not executable: $t" >"$log"
		rc=126
	else
		NSH_TEST_ID=$id timeout -k 10 "$timeout_s" \
			unshare --net -- "$t" </dev/null >"$log" 2>&1
		rc=$?
	fi
	us=$((${EPOCHREALTIME/./} - start))
	secs=$((us / 1000000)).$((us / 100000 % 10))

	# a test must leave none of its namespaces behind
	leaked=$(ip netns list | awk '{print $1}' | grep -E "^nsh$id-" || true)
	if [ -n "$leaked" ]; then
		echo "leaked namespaces: $(echo $leaked)" >>"$log"
		for ns in $leaked; do
			ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
			ip netns del "$ns" 2>/dev/null
		done
		[ $rc -eq 0 ] && rc=1
	fi
	echo "$rc $secs" >"$dir/$i.rc.tmp" && mv "$dir/$i.rc.tmp" "$dir/$i.rc"
}

report() {
	local i=$1 t=${tests[$1]} rc secs summary log="$dir/$1.log"
	read -r rc secs <"$dir/$i.rc"
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	[ "$rc" -eq 124 ] && summary="timed out after ${timeout_s}s"
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		printf 'PASS  %-44s %s (%ss)\n' "${t#tests/}" "$summary" "$secs"
		[ "${VERBOSE:-0}" = 1 ] && sed 's/^/    /' "$log"
	else
		failed=$((failed + 1))
		failed_names+=("${t#tests/}")
		printf 'FAIL  %-44s exit %s %s (%ss)\n' "${t#tests/}" "$rc" "$summary" "$secs"
		sed 's/^/    /' "$log" | tail -200
	fi
}

echo "kernel tests: ${#tests[@]} files, $jobs at a time, natsh = ${NATSH:-build-san/natsh (or build/natsh)}"
next=0       # next test to start
shown=0      # next test to report
running=0
while [ $shown -lt ${#tests[@]} ]; do
	while [ $running -lt "$jobs" ] && [ $next -lt ${#tests[@]} ]; do
		run_one "$next" "${tests[$next]}" &
		next=$((next + 1))
		running=$((running + 1))
	done
	while [ $shown -lt $next ] && [ -f "$dir/$shown.rc" ]; do
		report $shown
		shown=$((shown + 1))
	done
	[ $shown -ge ${#tests[@]} ] && break
	wait -n 2>/dev/null
	if [ -z "$(jobs -rp)" ]; then
		# no test is running: one whose result is missing died unreported
		for ((k = shown; k < next; k++)); do
			[ -f "$dir/$k.rc" ] || echo "1 0" >"$dir/$k.rc"
		done
	fi
	running=0
	for ((k = shown; k < next; k++)); do [ -f "$dir/$k.rc" ] || running=$((running + 1)); done
done
wait

[ $failed -gt 0 ] && echo "failed: ${failed_names[*]}"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Run the kernel tests (tests/kernel/NNNN_*.sh, then tests/tui/NNNN_*.sh; other
# files there are helpers), in order, each
# in a fresh network namespace of its own (unshare --net: whatever a test runs
# outside its nsh* namespaces still never touches the machine's own network),
# with a time limit.  Prints each test's result and, last, the plain line
# "N passed, N failed" (counting test files).  Exit status 1 on any failure.
#
# Usage: tests/run-kernel.sh [PATTERN...]   (run only tests whose name contains a PATTERN)
# Env:   NATSH (binary under test; default build-san/natsh, else build/natsh),
#        NSH_TEST_TIMEOUT (seconds per test, default 600), VERBOSE=1 (show all output)
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
log=$(mktemp /tmp/natsh-kernel.XXXXXX)
trap 'rm -f "$log"' EXIT

echo "kernel tests: ${#tests[@]} files, natsh = ${NATSH:-build-san/natsh (or build/natsh)}"
i=0
for t in "${tests[@]}"; do
	i=$((i + 1))
	id="$$x$i"
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
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)

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

	[ $rc -eq 124 ] && summary="timed out after ${timeout_s}s"
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		printf 'PASS  %-44s %s (%ss)\n' "${t#tests/}" "$summary" "$secs"
		[ "${VERBOSE:-0}" = 1 ] && sed 's/^/    /' "$log"
	else
		failed=$((failed + 1))
		failed_names+=("${t#tests/}")
		printf 'FAIL  %-44s exit %s %s (%ss)\n' "${t#tests/}" "$rc" "$summary" "$secs"
		sed 's/^/    /' "$log" | tail -200
	fi
done

[ $failed -gt 0 ] && echo "failed: ${failed_names[*]}"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]

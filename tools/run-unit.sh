#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Run the cmocka unit test binaries given as arguments (no kernel, no root).
# Prints one line per binary and "unit: N passed, N failed" (counting cmocka
# test cases); a failing binary's output is shown.  Exit 1 on any failure.
set -uo pipefail

passed=0
failed=0
bad=()
log=$(mktemp /tmp/natsh-unit.XXXXXX)
trap 'rm -f "$log"' EXIT

for bin in "$@"; do
	name=${bin##*/}
	timeout -k 5 300 "$bin" </dev/null >"$log" 2>&1
	rc=$?
	# cmocka: "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s), listed below:"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed, sanitizer report or timeout: count the binary as one failure
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ $rc -eq 0 ]; then
		printf 'PASS  %-32s %d tests\n' "$name" "$p"
	else
		bad+=("$name")
		printf 'FAIL  %-32s exit %d, %d passed, %d failed\n' "$name" "$rc" "$p" "$f"
		sed 's/^/    /' "$log" | tail -150
	fi
done

[ ${#bad[@]} -gt 0 ] && echo "failed: ${bad[*]}"
echo "unit: $passed passed, $failed failed"
[ ${#bad[@]} -eq 0 ]

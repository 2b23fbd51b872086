#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Input that is not text, or too much of it, never half-applies (issue 14,
# items 1-3): a NUL byte, another control character or invalid UTF-8 in a
# batch file, piped stdin or a -c string is an error at its line and column
# and nothing of the batch runs; a batch, a line and a directory are refused
# with the limit named; errors echo what was typed with its escapes shown,
# never raw; in -c and -f, top and monitor are never abbreviated, monitor
# needs a bound and top a terminal.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new input)
tmp=$(mktemp -d /tmp/natsh-0600.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT

# run natsh in the namespace: stdout to $tmp/out, stderr to $tmp/err, status in $rc
run() {
	nsx "$ns" timeout 20 "$NATSH" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}
# the same with stdin from a file
run_in() {
	local in=$1; shift
	nsx "$ns" timeout 20 "$NATSH" "$@" >"$tmp/out" 2>"$tmp/err" <"$in"
	rc=$?
}
ruleset() { nsx "$ns" nft list ruleset; }

run -c 'add postrouting oifname "keep" masquerade'
expect_eq "set-up: one rule" "$rc" 0
before=$(ruleset)

# 1. a NUL byte truncated the line before: now an error at its column
printf 'add prerouting tcp dport 80\0 dnat to 192.0.2.1\n' >"$tmp/nul"
run -f "$tmp/nul"
expect_eq "NUL in a file: exit 1" "$rc" 1
expect_eq "NUL in a file: line and column" "$(head -1 "$tmp/err")" \
	"natsh: $tmp/nul:1:28: error: a NUL byte in the input: a command holds text only (UTF-8, and tab as the one control character)"
expect_match "NUL in a file: nothing was run" "$(cat "$tmp/err")" "natsh: $tmp/nul: 1 error in the input; nothing of it was run"
expect_eq "NUL in a file: ruleset unchanged" "$(ruleset)" "$before"

printf 'flush postrouting\0 ; add postrouting oifname "z" masquerade\n' >"$tmp/nul2"
run_in "$tmp/nul2" -y -f -
expect_eq "NUL on stdin: exit 1" "$rc" 1
expect_match "NUL on stdin: place" "$(head -1 "$tmp/err")" '^natsh: <stdin>:1:18: error: a NUL byte'
expect_eq "NUL on stdin: the flush did not run" "$(ruleset)" "$before"

# through a pipe, lines run as they come; the bad line stops the batch and
# nothing of it is committed
printf 'flush postrouting\nadd postrouting oifname "p\033" masquerade\n' |
	nsx "$ns" timeout 20 "$NATSH" -y -f - >"$tmp/out" 2>"$tmp/err"
expect_eq "ESC through a pipe: exit 1" "$?" 1
expect_match "ESC through a pipe: place" "$(head -1 "$tmp/err")" '^natsh: <stdin>:2:27: error: a control character \(0x1b\)'
expect_eq "ESC through a pipe: the flush of line 1 was not committed" "$(ruleset)" "$before"
head -c $((2 * 1024 * 1024)) /dev/zero | nsx "$ns" timeout 20 "$NATSH" -f - >"$tmp/out" 2>"$tmp/err"
expect_match "a pipe of NULs: the line limit" "$(head -1 "$tmp/err")" '^natsh: <stdin>:1: error: the line is 1048577 bytes long'

# an error on a later line: the earlier lines do not run either
printf 'flush postrouting\nadd postrouting oifname "x" masquerade\nadd postrouting oifname "\001" masquerade\n' >"$tmp/late"
run -y -f "$tmp/late"
expect_eq "control character on line 3: exit 1" "$rc" 1
expect_match "control character: named with its code" "$(head -1 "$tmp/err")" \
	"^natsh: $tmp/late:3:26: error: a control character \\(0x01\\) in the input"
expect_eq "control character on line 3: lines 1 and 2 did not run" "$(ruleset)" "$before"

# every bad line is listed, up to a bound
printf 'add x\001\nadd y\002\nshow\nadd z\377\n' >"$tmp/many"
run -f "$tmp/many"
expect_eq "three bad lines: three errors" "$(grep -c ': error: ' "$tmp/err")" 3
expect_match "invalid UTF-8 is named" "$(cat "$tmp/err")" "$tmp/many:4:6: error: invalid UTF-8 in the input"
expect_match "the count of errors" "$(tail -1 "$tmp/err")" '3 errors in the input; nothing of it was run'
for i in $(seq 1 30); do printf 'add postrouting oifname "\033" masquerade\n'; done >"$tmp/lots"
run -f "$tmp/lots"
expect_eq "30 bad lines: the first 20 reported" "$(grep -c ': error: ' "$tmp/err")" 20
expect_match "30 bad lines: at least 20" "$(tail -1 "$tmp/err")" 'at least 20 errors in the input'

# -c strings: the same check; the escape is echoed as ^[, never raw
run -c "$(printf 'add postrouting oifname "a\033[31mRED" masquerade')"
expect_eq "ESC in -c: exit 1" "$rc" 1
expect_eq "ESC in -c: message, echo and caret" "$(cat "$tmp/err")" \
'natsh: -c:1:27: error: a control character (0x1b) in the input: a command holds text only (UTF-8, and tab as the one control character)
  add postrouting oifname "a^[[31mRED" masquerade
                            ^~
natsh: -c: 1 error in the input; nothing of it was run'
if grep -q "$(printf '\033')" "$tmp/err"; then fail "no raw ESC reaches stderr"; else ok "no raw ESC reaches stderr"; fi
# a tab is text
run -c "$(printf 'add postrouting\toifname "tab" masquerade')"
expect_eq "a tab is allowed" "$rc" 0
run -c 'delete postrouting 2'
expect_eq "ruleset back to the set-up" "$(ruleset)" "$before"

# an escape in an argument the parser rejects is escaped in its message too
run show "$(printf 'x\033]0;pwned\007')"
expect_eq "escape in an operand: exit 1" "$rc" 1
if grep -q "$(printf '\033')" "$tmp/err"; then fail "operand: no raw ESC"; else ok "operand: no raw ESC"; fi

# 2. limits: a batch, a line, a directory
run -f /dev/zero
expect_eq "/dev/zero: exit 1" "$rc" 1
expect_eq "/dev/zero: the line limit is named" "$(cat "$tmp/err")" \
'natsh: /dev/zero:1: error: the line is 1048577 bytes long; a line may hold at most 1024 KiB
natsh: /dev/zero: the batch stops here; nothing of it is committed'
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$tmp/long"
run -f "$tmp/long"
expect_eq "a 2 MiB line: exit 1" "$rc" 1
expect_match "a 2 MiB line: the limit is named" "$(head -1 "$tmp/err")" \
	"$tmp/long:1: error: the line is 2097152 bytes long; a line may hold at most 1024 KiB"
run -f /etc
expect_eq "a directory: exit 1" "$rc" 1
expect_eq "a directory: said so" "$(cat "$tmp/err")" 'natsh: cannot read /etc: it is a directory'
# load: the same bounds, and a saved script must be text too
run load /dev/zero
expect_eq "load /dev/zero: exit 1" "$rc" 1
expect_eq "load /dev/zero: the limit is named" "$(head -1 "$tmp/err")" \
	'natsh: error: /dev/zero is larger than the 64 MiB a load may hold; nothing was loaded'
run load /etc
expect_eq "load /etc: said to be a directory" "$(head -1 "$tmp/err")" 'natsh: error: cannot read /etc: it is a directory'
run save "$tmp/saved.nft"
sed 's/"keep"/"ke\x1bp"/' "$tmp/saved.nft" >"$tmp/bad.nft"
ln=$(grep -n 'ke' "$tmp/bad.nft" | cut -d: -f1)
run -y load "$tmp/bad.nft"
expect_eq "load of a script with ESC: exit 1" "$rc" 1
expect_match "load of a script with ESC: line and column" "$(head -1 "$tmp/err")" \
	"^natsh: $tmp/bad.nft:$ln:14: error: a control character in the file: a saved script holds text only"
expect_eq "limits: ruleset unchanged" "$(ruleset)" "$before"

# 3. in -c and -f, top and monitor are never abbreviated and always bounded
run -c 'add postrouting oifname "tq" masquerade; to'
expect_eq "'to' in -c: exit 1" "$rc" 1
expect_match "'to' in -c: not taken for top" "$(head -1 "$tmp/err")" \
	'"to" would be top, which runs until it is stopped: in a -c string or a file it is never abbreviated \(write "top"\)'
expect_eq "'to' in -c: the add is not committed" "$(ruleset)" "$before"
printf 'mon count 1\n' >"$tmp/mon"
run -f "$tmp/mon"
expect_match "'mon' in a file: not taken for monitor" "$(head -1 "$tmp/err")" '"mon" would be monitor'
run -c 'monitor'
expect_eq "monitor without count in -c: exit 1" "$rc" 1
expect_match "monitor without count: needs a bound" "$(head -1 "$tmp/err")" 'monitor in a -c string or a file needs a bound \(monitor count N\)'
run -c 'monitor count 1'
expect_eq "monitor count 1 in -c: exit 0" "$rc" 0
expect_match "monitor count 1 prints a block" "$(cat "$tmp/out")" 'PKTS +BYTES'
run -c 'top'
expect_eq "top in -c without a terminal: exit 1" "$rc" 1
expect_match "top without a terminal: points to monitor" "$(head -1 "$tmp/err")" 'top needs a terminal; in a -c string or a file use monitor count N'
# natsh CMD ARGS keeps its prefixes: `natsh mon count 1` is monitor
run mon count 1
expect_eq "natsh mon count 1: monitor" "$rc" 0
expect_eq "top/monitor: ruleset unchanged" "$(ruleset)" "$before"

nsh_done

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Batch files as admins write them (issue 15): a line ending in '\' goes on
# on the next, a set may span lines as in nft (comments inside), errors on
# such lines name the line they are on; a file is parsed whole first and
# every command that does not parse is reported, and then nothing of it
# runs.  nft is the oracle for what was applied.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new blines)
tmp=$(mktemp -d /tmp/natsh-0650.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
n() { nsx "$ns" timeout 30 "$NATSH" "$@" </dev/null; }
rules() { nsx "$ns" nft list chain inet natsh prerouting 2>/dev/null | grep -c dnat; }

cat >"$tmp/ok.nsh" <<'EOT'
# a forward written over several lines
add prerouting iifname "eth0" \
	tcp dport { 80,    # web
	            443 } \
	dnat to 192.0.2.10
add prerouting tcp dport {
	8080,
	8081
} dnat to 192.0.2.11; add prerouting udp dport 53 dnat to 192.0.2.12
EOT
n -f "$tmp/ok.nsh" >"$tmp/out" 2>"$tmp/err"
expect_eq "continued lines and a multi-line set: exit 0, quietly" "$?:$(cat "$tmp/err")" "0:"
nsx "$ns" nft list chain inet natsh prerouting >"$tmp/nft.txt"
expect_match "nft: the '\\' lines are one rule" "$(cat "$tmp/nft.txt")" \
	'iifname "eth0" tcp dport \{ 80, 443 \} counter packets 0 bytes 0 dnat ip to 192.0.2.10'
expect_match "nft: the set over four lines" "$(cat "$tmp/nft.txt")" \
	'tcp dport \{ 8080, 8081 \} counter packets 0 bytes 0 dnat ip to 192.0.2.11'
expect_match "nft: the command after ';' on the set's last line" "$(cat "$tmp/nft.txt")" \
	'udp dport 53 counter packets 0 bytes 0 dnat ip to 192.0.2.12'

# the same through a pipe (run as it comes)
printf 'add prerouting tcp dport {\n 1,\n 2 } dnat to 192.0.2.13\n' |
	nsx "$ns" timeout 30 "$NATSH" -f - >/dev/null 2>"$tmp/err"
expect_eq "a pipe: a multi-line set, exit 0" "$?:$(cat "$tmp/err")" "0:"
expect_match "a pipe: nft has it" "$(nsx "$ns" nft list chain inet natsh prerouting)" \
	'tcp dport \{ 1, 2 \} counter packets 0 bytes 0 dnat ip to 192.0.2.13'

before=$(rules)
cat >"$tmp/bad.nsh" <<'EOT'
add prerouting tcp dport 7 dnat to 192.0.2.20
bogus
add prerouting tcp dport {
	9000,
	90x1
} dnat to 192.0.2.21
add prerouting \
	tcp dport 80a dnat to 192.0.2.22
help exit extra more
EOT
n -f "$tmp/bad.nsh" >"$tmp/out" 2>"$tmp/err"
expect_eq "errors: exit 1" "$?" 1
expect_eq "every command that does not parse is reported, at its own line and column" \
	"$(grep -o '^natsh: [^ ]* error' "$tmp/err" | sed "s|$tmp/||")" \
"natsh: bad.nsh:2:1: error
natsh: bad.nsh:5:2: error
natsh: bad.nsh:8:12: error
natsh: bad.nsh:9:17: error"
expect_match "the caret line is the line the error is on" "$(cat "$tmp/err")" \
	$'\n  \t90x1\n  \t\\^~~~\n'
expect_match "then: how many, and that nothing ran" "$(tail -1 "$tmp/err")" \
	'bad.nsh: 4 commands did not parse; nothing of it was run$'
expect_eq "nothing of it was applied (not even the good first line)" "$(rules)" "$before"

# a bound: at most 20 errors are listed
for i in $(seq 1 30); do echo "bogus$i"; done >"$tmp/many.nsh"
n -f "$tmp/many.nsh" >/dev/null 2>"$tmp/err"
expect_eq "30 bad lines: 20 listed" "$(grep -c 'error: unknown command' "$tmp/err")" 20
expect_match "30 bad lines: says at least" "$(tail -1 "$tmp/err")" 'at least 20 commands did not parse'
nsh_done

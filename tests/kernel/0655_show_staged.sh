#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `show` inside `begin` shows the staged ruleset (issue 15): staged rules at
# the place they will take, marked + (no handle yet; "staged": true and a
# null handle in -j), rules staged for deletion left out, a notice under
# the listing; abort leaves the kernel as it was (nft is the oracle).  And
# chain names in show abbreviate, with a suggestion for a typo.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new staged)
tmp=$(mktemp -d /tmp/natsh-0655.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
nsx "$ns" timeout 30 "$NATSH" -c 'add prerouting tcp dport 1 dnat to 192.0.2.1
add prerouting tcp dport 2 dnat to 192.0.2.2
add prerouting tcp dport 3 dnat to 192.0.2.3' </dev/null || fail "three rules"
before=$(nsx "$ns" nft -a list ruleset)

printf '%s\n' begin 'add prerouting tcp dport 4 dnat to 192.0.2.4' \
	'insert prerouting 2 tcp dport 5 dnat to 192.0.2.5' 'delete prerouting 1' \
	'show prerouting' abort |
	nsx "$ns" timeout 30 "$NATSH" -f - >"$tmp/out" 2>"$tmp/err"
expect_eq "begin, edits, show, abort: exit 0" "$?:$(cat "$tmp/err")" "0:"
expect_eq "the staged order, staged rules marked +" \
	"$(grep -E '^ +[0-9]+ ' "$tmp/out" | awk '{print $1, ($2 == "+" ? "+" : "live"), $6, $7}')" \
"1 + dport 5
2 live dport 2
3 live dport 3
4 + dport 4"
expect_match "a notice says it is the staged view" "$(cat "$tmp/out")" \
	'inside begin: this is the staged ruleset; rules marked \+ are not committed'
expect_eq "abort: the kernel is as it was" "$(nsx "$ns" nft -a list ruleset)" "$before"

printf '%s\n' begin 'add prerouting tcp dport 4 dnat to 192.0.2.4' 'show prerouting' abort |
	nsx "$ns" timeout 30 "$NATSH" -j -f - >"$tmp/json" 2>"$tmp/err"
python3 - "$tmp/json" >"$tmp/staged" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith('{"genid"'):
        continue
    for t in json.loads(line)['tables']:
        for c in t['chains']:
            for r in c['rules']:
                print(r['position'], r['handle'], r['staged'], r['rule'])
PY
expect_eq "-j: the staged rule has no handle and says staged" "$(tail -1 "$tmp/staged")" \
	"4 None True tcp dport 4 counter dnat ip to 192.0.2.4"
expect_eq "-j: live rules say not staged" "$(head -1 "$tmp/staged" | cut -d' ' -f3)" "False"

# chain names abbreviate to a unique prefix; a typo gets the nearest name
nsx "$ns" timeout 30 "$NATSH" -c 'show prer' </dev/null >"$tmp/out" 2>"$tmp/err"
expect_match "show prer: the prerouting chain" "$(head -1 "$tmp/out")" '^table inet natsh chain prerouting '
nsx "$ns" timeout 30 "$NATSH" -c 'show p' </dev/null >"$tmp/out" 2>"$tmp/err"
expect_match "show p: ambiguous, the candidates" "$(head -1 "$tmp/err")" \
	'error: ambiguous chain "p", could be: prerouting, postrouting'
nsx "$ns" timeout 30 "$NATSH" -c 'show inet natsh prerouteing' </dev/null >"$tmp/out" 2>"$tmp/err"
expect_match "a typo: did you mean" "$(head -1 "$tmp/err")" \
	'unknown chain "prerouteing" in table natsh; did you mean "prerouting"\?'

nsx "$ns" timeout 30 "$NATSH" -c 'add prer tcp dport 9 accept' </dev/null >"$tmp/out" 2>"$tmp/err"
expect_match "an edit of a chain that does not exist names the one meant" "$(head -1 "$tmp/err")" \
	'table inet natsh has no chain "prer"; did you mean "prerouting"\?'

# outside begin, show is the live ruleset
nsx "$ns" timeout 30 "$NATSH" -c 'show prerouting' </dev/null >"$tmp/out"
expect_eq "outside begin: no notice, no +" "$(grep -c -e 'inside begin' -e '  +  ' "$tmp/out")" 0
nsh_done

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# natsh show against nft on rules nobody wrote by hand: the rule fuzzer's
# seed corpus (tests/fuzz/corpus/rule: a family byte, then a rule in
# natsh's language, which is nft's) is offered to nft, into a prerouting or
# else a postrouting nat chain of an ip, ip6 or inet table.  Every rule nft
# takes must come out of `natsh -j show` as nft lists it: text, counter and
# comment (rules whose bytes are not UTF-8 are counted and left out: JSON
# holds text only).
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new corpus)
tmp=$(mktemp -d /tmp/natsh-0011.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
for t in "ip t4" "ip6 t6" "inet ti"; do
	nsx "$ns" nft "add table $t; add chain $t pre { type nat hook prerouting priority dstnat; };
		add chain $t post { type nat hook postrouting priority srcnat; }" ||
		{ fail "table $t"; nsh_done; exit; }
done
tables=("ip t4" "ip6 t6" "inet ti")
taken=0 offered=0
for f in "$NSH_TOP"/tests/fuzz/corpus/rule/*; do
	fam=$(head -c1 "$f" | od -An -tu1 | tr -d ' ')
	rule=$(tail -c +2 "$f" | tr -d '\000' | head -1)
	[ -n "$rule" ] || continue
	offered=$((offered + 1))
	for ch in pre post; do
		# shellcheck disable=SC2086
		if nsx "$ns" timeout 5 nft add rule ${tables[fam % 3]} $ch "$rule" >/dev/null 2>&1; then
			taken=$((taken + 1))
			break
		fi
	done
done
echo "# nft took $taken of $offered corpus rules"
[ "$taken" -ge 100 ] && ok "nft takes at least 100 corpus rules ($taken)" ||
	fail "nft takes at least 100 corpus rules ($taken)"

nsx "$ns" nft -a list ruleset >"$tmp/nft.txt"
nsx "$ns" "$NATSH" -j show >"$tmp/show.json" 2>"$tmp/show.err"
expect_eq "natsh -j show exits 0, quietly" "$?:$(cat "$tmp/show.err")" "0:"
python3 - "$tmp/nft.txt" "$tmp/show.json" >"$tmp/cmp.txt" <<'PY'
import json, re, sys
nft = []
for line in open(sys.argv[1], 'rb').read().split(b'\n'):
    m = re.match(rb'^\t\t(.*) # handle (\d+)$', line)
    if m and not re.match(rb'^(type|flags|elements|policy) ', m.group(1)):
        nft.append((m.group(1), int(m.group(2))))
natsh = [(r['nft'], r['handle']) for t in json.load(open(sys.argv[2]))['tables']
         for c in t['chains'] for r in c['rules']]
print('rules', len(nft), len(natsh))
bad = skipped = 0
for (a, ha), (b, hb) in zip(nft, natsh):
    try:
        a = a.decode('utf-8')
    except UnicodeDecodeError:
        skipped += 1
        continue
    if (a, ha) != (b, hb):
        bad += 1
        print('nft   %d: %s' % (ha, a[:300]))
        print('natsh %d: %s' % (hb, b[:300]))
print('skipped', skipped)
print('mismatches', bad)
PY
sed -n 's/^/# /p' "$tmp/cmp.txt" | head -30
expect_eq "as many rules as nft lists" "$(sed -n 's/^rules \([0-9]*\) \([0-9]*\)$/\1=\2/p' "$tmp/cmp.txt" |
	awk -F= '{ print ($1 == $2 && $1 > 0) ? "same" : $0 }')" "same"
expect_eq "every rule as nft lists it" "$(grep '^mismatches' "$tmp/cmp.txt")" "mismatches 0"

nsh_done

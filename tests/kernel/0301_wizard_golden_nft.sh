#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every rule in the wizard golden files is accepted by nft and listed by nft
# exactly as the wizard writes it (nft 1.0.6 is the oracle for rule text).
source "$(dirname "$0")/../lib.sh"

R=$(nsh_ns_new golden)
GOLD=$NSH_TOP/tests/unit/golden
nrules=0
for f in "$GOLD"/wizard_*.txt; do
	while IFS= read -r line; do
		chain=${line%% *}
		case "$chain" in prerouting|output|postrouting) ;; *) continue;; esac
		rule=$(sed -E 's/^[a-z]+ +//' <<<"$line")
		nsx "$R" nft -f - <<-NFT
		flush ruleset
		table inet natsh {
			chain prerouting { type nat hook prerouting priority dstnat; }
			chain output { type nat hook output priority -100; }
			chain postrouting { type nat hook postrouting priority srcnat; }
		}
		NFT
		if ! err=$(nsx "$R" nft add rule inet natsh "$chain" "$rule" 2>&1); then
			fail "$(basename "$f"): nft refuses: $rule: $err"
			continue
		fi
		got=$(nsx "$R" nft list chain inet natsh "$chain" | sed -n 's/^\t\t//p' | grep -v '^type ' |
			sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/')
		expect_eq "$(basename "$f" .txt) $chain: nft lists it as written" "$got" "$rule"
		nrules=$((nrules + 1))
	done <"$f"
done
[ "$nrules" -ge 20 ] && ok "checked $nrules golden rules" || fail "only $nrules golden rules found"
nsh_done

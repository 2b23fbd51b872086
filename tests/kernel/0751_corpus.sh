#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Realistic rulesets in the style of OpenWrt fw4, firewalld, libvirt,
# podman/netavark, kube-proxy (nftables mode) and Docker (iptables-nft),
# tests/kernel/data/corpus/: each is loaded into a namespace, shown by natsh
# and compared rule by rule with nft -a list ruleset (tests/kernel/gen/corpus.py).
# A rule natsh shows with another text and no "not understood" flag fails.
source "$(dirname "$0")/../lib.sh"

if python3 "$NSH_TOP/tests/kernel/gen/corpus.py" --natsh "$NATSH" --ns-prefix "$(nsh_ns_name corp)" \
	"$NSH_TOP"/tests/kernel/data/corpus/*.nft "$NSH_TOP"/tests/kernel/data/corpus/*.sh; then
	ok "corpus: no wrong meaning"
else
	fail "corpus: wrong meanings (see above)"
fi
nsh_done

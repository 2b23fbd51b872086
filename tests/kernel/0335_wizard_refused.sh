#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A wizard the kernel refuses leaves everything as it was: natsh's table
# holds a postrouting chain of type filter (where masquerade is not
# allowed), so the kernel rejects the wizard's transaction.  The ruleset is
# unchanged (none of the other rules of the transaction went in); committed
# at once (on a terminal), the sysctls it had set are put back.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/wizard_lib.bash"

nsh_lab_up
export LAB_TIMEOUT=2
R=$(lab_ns router)
lab_exec router nft -f - <<'NFT'
table inet natsh {
	chain prerouting { type nat hook prerouting priority dstnat; }
	chain output { type nat hook output priority -100; }
	chain postrouting { type filter hook postrouting priority 0; }
}
NFT
before=$(wiz_ruleset)

out=$(wiz_natsh -y wizard forward web tcp 8080 to 192.0.2.10:80)
expect_eq "batch: refused, exit 1" "$?" 1
expect_match "batch: the kernel's refusal is reported at the command" "$out" 'error: the kernel refused this change'
expect_eq "batch: ruleset unchanged" "$(wiz_ruleset)" "$before"
expect_rc "batch: inet -> WAN:8080 still fails" 1 lab_tcp inet $LAB_WAN4 8080

lab_exec router sysctl -qw net.ipv4.ip_forward=0 net.ipv4.conf.eth1.route_localnet=0
out=$(printf '%s\n' 'wizard forward web tcp 8080 to 192.0.2.10:80' quit |
	nsh_tty 60 "ip netns exec $R $NATSH -y --no-color")
expect_match "terminal: refused" "$out" 'error: the kernel refused this change'
expect_eq "terminal: ruleset unchanged" "$(wiz_ruleset)" "$before"
expect_eq "terminal: ip_forward put back" "$(lab_exec router sysctl -n net.ipv4.ip_forward)" 0
expect_eq "terminal: route_localnet put back" "$(lab_exec router sysctl -n net.ipv4.conf.eth1.route_localnet)" 0
expect_eq "terminal: no crash" "$(grep -c 'AddressSanitizer: heap' <<<"$out")" 0

nsh_done

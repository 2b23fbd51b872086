#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Completion offers what exists in the namespace: families, tables of a
# family, chains of the current or named table, rule positions and handles
# (the handles nft shows), and rule words from the rule grammar - through
# `natsh --complete` (what bash and the shell's Tab use).
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new live)
nsx "$ns" nft -f - <<'EOT'
table ip nat {
	chain PREROUTING {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 80 dnat to 192.0.2.10 comment "web"
		udp dport 53 dnat to 192.0.2.11
	}
	chain POSTROUTING {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" masquerade
	}
}
table inet natsh {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 8080 redirect to :80
	}
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
	}
}
table ip6 six {
	chain post6 {
		type nat hook postrouting priority srcnat; policy accept;
	}
}
table ip filter {
	chain input { type filter hook input priority 0; policy accept; }
}
EOT

# candidates for the last word, sorted, on one line
comp() { "$NATSH" --complete -n "$ns" "$@" | sort | tr '\n' ' ' | sed 's/ $//'; }

for c in use delete; do
	if ! "$NATSH" help $c >/dev/null 2>&1; then
		echo "# skip: no '$c' command in this build"
		nsh_done
		exit
	fi
done

expect_eq "use: families and tables with a nat chain" "$(comp use "")" "inet ip ip6 nat natsh six"
expect_eq "use ip: tables of family ip" "$(comp use ip "")" "nat"
expect_eq "use ip6: tables of family ip6" "$(comp use ip6 "")" "six"
expect_eq "use inet n: prefix" "$(comp use inet n)" "natsh"
expect_eq "delete: chains of the current table (inet natsh)" "$(comp delete "")" "postrouting prerouting rule"
expect_eq "delete pre: prefix" "$(comp delete pre)" "prerouting"
expect_eq "delete prerouting: positions" "$(comp delete prerouting "")" "1 handle"
h=$(nsx "$ns" nft -a list chain inet natsh prerouting | sed -n 's/.*redirect to :80 # handle \([0-9]*\)$/\1/p')
expect_eq "delete prerouting handle: the handle nft shows" "$(comp delete prerouting handle "")" "$h"
hs=$(nsx "$ns" nft -a list chain ip nat PREROUTING | sed -n 's/^\t\t.* # handle \([0-9]*\)$/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')
expect_eq "delete rule ip nat PREROUTING handle: handles of a named table" \
	"$(comp delete rule ip nat PREROUTING handle "")" "$hs"
expect_eq "delete rule ip nat: chains of the named table" "$(comp delete rule ip nat P)" "POSTROUTING PREROUTING"
expect_eq "delete rule ip filter: tables without nat chains are not offered" "$(comp delete rule ip f)" ""

if "$NATSH" help add >/dev/null 2>&1; then
	expect_eq "add: rule words after the chain" "$(comp add prerouting tcp dp)" "dport"
	expect_eq "add: statements" "$(comp add prerouting tcp dport 80 dn)" "dnat"
fi

# interfaces, their addresses and subnets, sysctl keys, wizard groups, protocols
nsx "$ns" ip link add dummy0 type veth peer name dummy1	# both ends in the test namespace
nsx "$ns" ip addr add 192.0.2.1/24 dev dummy0
nsx "$ns" ip addr add 2001:db8:1::1/64 dev dummy0 nodad
nsx "$ns" ip link set dummy0 up
nsx "$ns" nft add rule inet natsh prerouting tcp dport 443 dnat ip to 192.0.2.20 comment '"wizard web: dnat"'
if "$NATSH" help wizard >/dev/null 2>&1; then
	expect_eq "wizard: subnets of the interfaces" "$(comp wizard masquerade lan from "")" "192.0.2.0/24 2001:db8:1::/64"
	expect_eq "wizard: addresses of the interfaces" "$(comp wizard masquerade lan out dummy0 to 19)" "192.0.2.1"
	expect_eq "wizard: interfaces" "$(comp wizard masquerade lan out d)" "dummy0 dummy1"
	expect_match "wizard: groups from the rules' tags" "$(comp wizard remove "")" '(^| )web( |$)'
fi
if "$NATSH" help sysctl >/dev/null 2>&1; then
	expect_match "sysctl: keys that exist here" "$(comp sysctl net.ipv4.ip_f)" '^net\.ipv4\.ip_forward'
fi

# the shell's Tab sees the same: positions with their rule text in the hints
tmp=$(mktemp -d /tmp/natsh-0023.XXXXXX)
trap 'tmux -S "$tmp/s" kill-server 2>/dev/null; rm -rf "$tmp"; nsh_cleanup' EXIT
if command -v tmux >/dev/null; then
	tmux -f /dev/null -S "$tmp/s" new-session -d -s t -x 160 -y 40 "env HOME=$tmp TERM=xterm $NATSH -n $ns"
	for i in $(seq 1 100); do tmux -S "$tmp/s" capture-pane -p -t t | grep -q 'natsh>' && break; sleep 0.1; done
	tmux -S "$tmp/s" send-keys -t t 'use ip nat' Enter
	for i in $(seq 1 100); do tmux -S "$tmp/s" capture-pane -p -t t | grep -q 'ip nat>' && break; sleep 0.1; done
	tmux -S "$tmp/s" send-keys -t t 'delete PREROUTING ?'
	for i in $(seq 1 100); do tmux -S "$tmp/s" capture-pane -p -t t | grep -q 'udp dport 53' && break; sleep 0.1; done
	scr=$(tmux -S "$tmp/s" capture-pane -p -t t)
	expect_match "'?' lists positions with their rule text" "$scr" \
		'1 +tcp dport 80 dnat to 192\.0\.2\.10 comment "web"'
	expect_match "'?' lists the second rule" "$scr" '2 +udp dport 53 dnat to 192\.0\.2\.11'
	expect_match "the prompt shows the table chosen with use" "$scr" "natsh\\($ns\\) ip nat> "
fi

nsh_done

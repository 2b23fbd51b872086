#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# In the interactive shell (a real terminal: tmux), `conntrack flush` without a
# filter asks first: "n" keeps every entry, "y" empties the table
# (conntrack(8) is the oracle).
source "$(dirname "$0")/../lib.sh"
export LANG=C.UTF-8

NS=$(nsh_ns_new flush)
SOCK="nsh$NSH_ID-flush"
T() { tmux -f /dev/null -L "$SOCK" "$@"; }
trap 'tmux -L "$SOCK" kill-server >/dev/null 2>&1; nsh_cleanup' EXIT
# the injector from the same build as natsh (build-san/ under make check)
case $NATSH in */build-san/*) INJ=build-san/ct_inject; SANV=1;; *) INJ=build/ct_inject; SANV=;; esac
make -s -C "$NSH_TOP" SAN=$SANV "$INJ" >/dev/null || fail "ct_inject builds"
nsx "$NS" nft -f - <<'EOF2'
table ip t {
	chain pre {
		type nat hook prerouting priority dstnat;
	}
}
EOF2
expect_eq "5 entries injected" "$(nsx "$NS" "$NSH_TOP/$INJ" 5 dnat)" 5

screen() { T capture-pane -p 2>/dev/null; }
wait_for() {
	local i
	for i in $(seq 1 50); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

T new-session -d -x 120 -y 20 "env HOME=$(mktemp -d) TERM=xterm $NATSH -n $NS; sleep 30"
wait_for 'natsh.*> *$' && ok "interactive shell starts" || fail "interactive shell starts"
T send-keys "conntrack flush" Enter
wait_for 'flush all 5 conntrack entries\? \[y/N\]' && ok "flush asks" || fail "flush asks"
T send-keys n Enter
wait_for 'nothing flushed' && ok "n: nothing flushed" || fail "n: nothing flushed"
expect_eq "n: entries kept (conntrack -C)" "$(nsx "$NS" conntrack -C)" 5
T send-keys "conntrack flush" Enter
sleep 0.3
T send-keys y Enter
wait_for '5 entries deleted' && ok "y: flushed" || fail "y: flushed"
expect_eq "y: table empty (conntrack -C)" "$(nsx "$NS" conntrack -C)" 0

nsh_done

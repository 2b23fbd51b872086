#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `top`'s FLOWS column (issue 17) on a terminal wide enough for it (>= 128
# columns): the live conntrack entries the DNAT rule made, as conntrack(8)
# counts them, within a refresh or two of each new connection; on a narrow
# terminal the column is left out and the rule keeps its room.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/tmux.sh"
export LANG=C.UTF-8

ns=$(nsh_ns_new topflows)
nsh_tmux_init 0227
nsx "$ns" nft 'add table ip t; add chain ip t o { type nat hook output priority -100; };
	add rule ip t o tcp dport 8080 counter dnat to 127.0.0.1:8081' || fail "ruleset loads"

# the FLOWS cell of the rule's row: the 7 columns under the header's " FLOWS "
flows_cell() {
	screen | awk '/ FLOWS / { p = index($0, " FLOWS ") } /ip t\/o/ && p { c = substr($0, p, 8); gsub(/ /, "", c); print c; exit }'
}
want_flows() {
	local i
	for i in $(seq 40); do [ "$(flows_cell)" = "$1" ] && return 0; sleep 0.25; done
	return 1
}
conn() {
	local srv
	nsx "$ns" timeout 5 nc -l 127.0.0.1 8081 >/dev/null &
	srv=$!
	sleep 0.3
	echo hi | nsx "$ns" timeout 3 nc -N 127.0.0.2 8080
	wait "$srv"
}
ct_count() { nsx "$ns" conntrack -L -p tcp --dst-nat --orig-port-dst 8080 2>/dev/null | grep -c dport=8080; }

tm new-session -d -s $S -x 150 -y 40 "env LANG=C.UTF-8 TERM=xterm $NATSH -n $ns top interval 1; sleep 60"
wait_for 'NAT CONNECTIONS' || { fail "top starts"; screen | sed 's/^/#   /'; nsh_done; exit; }
expect_match "a wide terminal has the FLOWS column" "$(screen)" 'BYTES/S +FLOWS +HISTORY'
want_flows 0 && ok "no connection yet: 0 flows" || { fail "0 flows at the start (cell '$(flows_cell)')"; screen | head -6 | sed 's/^/#   /'; }
for n in 1 2 3; do
	conn
	c=$(ct_count)
	want_flows "$c" && ok "after $n connection(s): FLOWS $c = conntrack -L's DNAT entries" ||
		fail "after $n connection(s): FLOWS '$(flows_cell)', conntrack -L $c"
done
expect_eq "conntrack -L counts the three connections" "$(ct_count)" 3
# narrowed to 100 columns: the column goes, the rule keeps its text
tm resize-window -t $S -x 100 -y 40
for i in $(seq 40); do screen | grep -q ' FLOWS ' || break; sleep 0.25; done
if screen | grep -q ' FLOWS '; then fail "a 100-column terminal leaves FLOWS out"; else ok "a 100-column terminal leaves FLOWS out"; fi
expect_match "the rule keeps its text" "$(screen)" 'ip t/o +tcp dport 8080'
tm send-keys -t $S q
nsh_done

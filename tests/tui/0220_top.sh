#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `top` in a real terminal (tmux on a private socket, fixed size) inside a
# namespace with traffic flowing: rules and rates shown and moving, NAT
# connections listed, sort, filter, pause, resize, delete and quit work, and
# the terminal is sane afterwards (no alternate screen, stty works).  Also
# Ctrl-C, and the monitor fallback when stdout is not a terminal.
source "$(dirname "$0")/../lib.sh"
export LANG=C.UTF-8

NS=$(nsh_ns_new top)
SOCK="nsh$NSH_ID-top"
T() { tmux -f /dev/null -L "$SOCK" "$@"; }
cleanup_tmux() { tmux -L "$SOCK" kill-server >/dev/null 2>&1; }
trap 'cleanup_tmux; nsh_cleanup' EXIT

# chain order p, nout, out: sorting by rate must move "out" (pings) to the top
nsx "$NS" nft -f - <<'EOF' || fail "ruleset loads"
table ip t {
	chain p {
		type nat hook prerouting priority -100;
		tcp dport 1 counter
	}
	chain nout {
		type nat hook output priority -100;
		udp dport 5353 counter dnat to 127.0.0.1:5354
	}
	chain out {
		type filter hook output priority 0;
		icmp type echo-request counter comment "pings"
	}
}
EOF

# traffic, bounded: pings at 50/s for at most 60 s; a new UDP flow every 0.2 s
nsx "$NS" timeout 60 ping -q -i 0.02 -w 60 127.0.0.1 >/dev/null 2>&1 &
(for i in $(seq 1 300); do
	echo x | timeout 2 ip netns exec "$NS" nc -u -w0 -p $((20000 + i)) 127.0.0.2 5353 2>/dev/null
	sleep 0.2
done) &
TRAFFIC=$!

# Screen text; wait_for PATTERN waits (bounded) until the screen shows it.
screen() { T capture-pane -p 2>/dev/null; }
wait_for() {
	local i
	for i in $(seq 1 50); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.2
	done
	return 1
}
# The packets figure of the rule row whose TABLE/CHAIN is $1.
pkts_of() { screen | awk -v tc="$1" '$0 ~ tc { print $1; exit }'; }

start_top() {
	cleanup_tmux
	sleep 0.5
	T new-session -d -x 120 -y 30 "env LANG=C.UTF-8 TERM=xterm-256color ip netns exec $NS $NATSH top interval 1; echo NATSH-EXIT=\$?; stty -a >/dev/null && echo STTY-OK; sleep 60"
}

start_top
if wait_for 'natsh top +netns'; then ok "top starts"; else fail "top starts"; screen; fi
wait_for 'ip t/out' && ok "rules shown" || fail "rules shown"
expect_match "nat rule text" "$(screen)" 'ip t/nout +udp dport 5353 counter dnat to 127\.0\.0\.1'
wait_for '⇒ 127\.0\.0\.1:5354' && ok "NAT connections shown" || fail "NAT connections shown"

p1=$(pkts_of 'ip t/out'); sleep 2.2; p2=$(pkts_of 'ip t/out')
[ -n "$p1" ] && [ "$p1" != "$p2" ] && ok "counters move ($p1 -> $p2)" || fail "counters move ($p1 -> $p2)"
rate=$(screen | awk '/ip t\/out/ { print $3; exit }')
awk -v r="$rate" 'BEGIN { exit !(r > 10) }' && ok "rate shown ($rate pkts/s)" || fail "rate shown ($rate)"

# sort: order -> pkts/s puts the ping rule first
first_row() { screen | sed -n 4p; }
expect_match "order: first row is chain p" "$(first_row)" 'ip t/p '
T send-keys s
wait_for '\[sort pkts/s' && ok "sort key shown" || fail "sort key shown"
sleep 0.5
expect_match "sorted: hottest rule first" "$(first_row)" 'ip t/out '

# filter
T send-keys / n o u t Enter
wait_for 'filter nout' && ok "filter shown" || fail "filter shown"
sleep 0.5
expect_eq "filter keeps only matching rules" "$(screen | sed -n 4,15p | grep -c 'ip t/')" 1
T send-keys / BSpace BSpace BSpace BSpace Enter
sleep 0.5

# pause: figures freeze
T send-keys p
wait_for 'PAUSED' && ok "pause shown" || fail "pause shown"
p1=$(pkts_of 'ip t/out'); sleep 2.2; p2=$(pkts_of 'ip t/out')
expect_eq "paused figures stay" "$p2" "$p1"
T send-keys p
sleep 2.2
p3=$(pkts_of 'ip t/out')
[ "$p3" != "$p1" ] && ok "resumed figures move" || fail "resumed figures move ($p1 -> $p3)"

# resize
T resize-window -x 90 -y 20
sleep 1
expect_eq "resized: 20 lines" "$(screen | wc -l)" 20
wide=0
while IFS= read -r l; do [ "${#l}" -gt 90 ] && wide=$((wide + 1)); done < <(screen)
expect_eq "resized: no line wider than 90 characters" "$wide" 0
expect_match "resized: key line at the bottom" "$(screen | tail -1)" 'q quit|Tab pane'
expect_match "resized: header kept" "$(screen | head -1)" 'natsh top'

# a ruleset change under the view is noticed, and the new rule shows up
nsx "$NS" nft add rule ip t nout udp dport 6000 counter
wait_for 'ruleset changed' && ok "ruleset change noticed" || fail "ruleset change noticed"
wait_for 'rules 4 ' && ok "new rule counted" || fail "new rule counted"

# delete the selected connection, with confirmation; conntrack(8) is the oracle
T send-keys Tab
sleep 0.5
T send-keys d
if wait_for 'delete\? \(y/n\) udp '; then
	sport=$(screen | grep -oE 'delete\? \(y/n\) udp +[A-Z]+ +127\.0\.0\.1:[0-9]+' | grep -oE '[0-9]+$')
	T send-keys y
	wait_for 'connection deleted' && ok "delete confirmed" || fail "delete confirmed"
	expect_eq "entry gone (conntrack -L)" \
		"$(nsx "$NS" conntrack -L -p udp --orig-port-src "$sport" 2>/dev/null | wc -l)" 0
else
	fail "delete asks"; screen
fi

# help, then quit
T send-keys '?'
wait_for 'natsh top: keys' && ok "help shown" || fail "help shown"
T send-keys x q
wait_for 'NATSH-EXIT=' || fail "quit"
expect_match "quit: exit 0, stty works" "$(screen)" 'NATSH-EXIT=0[[:space:]]+STTY-OK'
expect_eq "no alternate screen left" "$(T display -p '#{alternate_on}')" 0

# Ctrl-C restores the terminal too
start_top
wait_for 'natsh top +netns' || fail "top restarts"
T send-keys C-c
if wait_for 'NATSH-EXIT='; then
	expect_match "Ctrl-C: exit 0, stty works" "$(screen)" 'NATSH-EXIT=0[[:space:]]+STTY-OK'
	expect_eq "Ctrl-C: no alternate screen left" "$(T display -p '#{alternate_on}')" 0
else
	fail "Ctrl-C ends top"
fi
cleanup_tmux

# not a terminal: monitor blocks instead
out=$(timeout -s INT 3 ip netns exec "$NS" "$NATSH" top interval 0.5 </dev/null)
expect_match "fallback prints monitor blocks" "$out" 'PKTS +BYTES +PKTS/S +BYTES/S'
expect_match "fallback has the rules" "$out" 'ip t +out +[0-9]+ +meta l4proto icmp|ip t +out .*comment "pings"'

kill "$TRAFFIC" 2>/dev/null
nsh_done

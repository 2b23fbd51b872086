#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `top` started from natsh's shell (issue 15): a terminal resize redraws the
# whole view, header and rules pane included, also after resizing back (the
# shell's line editor holds SIGWINCH, so top must take it itself); after `q`
# the shell's prompt works at the new width.  And PKTS/S is not 0.0 in the
# refresh after a burst of packets.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/tmux.sh"
export LANG=C.UTF-8

ns=$(nsh_ns_new topsh)
nsh_tmux_init 0226
nsx "$ns" nft 'add table ip t; add chain ip t o { type filter hook output priority 0; };
	add rule ip t o icmp type echo-request counter comment "pings"
	add chain ip t n { type nat hook output priority -100; }
	add rule ip t n udp dport 9 counter' || fail "ruleset loads"

tm new-session -d -s $S -x 120 -y 30 "env LANG=C.UTF-8 TERM=xterm-256color $NATSH -n $ns; echo NATSH-EXIT=\$?; sleep 60"
wait_for 'natsh.*> *$' || { fail "the shell starts"; screen | sed 's/^/#   /'; }
tm send-keys -t $S 'top' Enter
wait_for 'NAT CONNECTIONS' && ok "top starts from the shell" || fail "top starts from the shell"

# the whole view at each size: header first, the rules pane, the key line last
view_ok() {	# WIDTH HEIGHT WHAT
	local s wide=0 l
	s=$(screen)
	expect_eq "$3: $2 lines" "$(printf '%s\n' "$s" | wc -l)" "$2"
	while IFS= read -r l; do [ "${#l}" -gt "$1" ] && wide=$((wide + 1)); done <<<"$s"
	expect_eq "$3: no line wider than $1" "$wide" 0
	expect_match "$3: header on the first line" "$(printf '%s\n' "$s" | head -1)" 'natsh top'
	expect_match "$3: rules pane shows the rule" "$s" 'ip t/o +icmp type ech'
	expect_match "$3: key line at the bottom" "$(printf '%s\n' "$s" | tail -1)" 'q quit|Tab pane'
}
wait_for 'icmp type echo-request' || fail "rules pane drawn"
tm resize-window -t $S -x 90 -y 20
sleep 1.5
view_ok 90 20 "smaller"
tm resize-window -t $S -x 120 -y 30
sleep 1.5
view_ok 120 30 "back to the first size"

# a burst of pings, then quiet: the next refresh shows a rate, not 0.0
nsx "$ns" timeout 5 ping -q -c 20 -i 0.01 127.0.0.1 >/dev/null 2>&1
rate=
for i in $(seq 1 30); do
	rate=$(screen | awk '/ip t\/o/ { print $3; exit }')
	[ -n "$rate" ] && [ "$rate" != "0.0" ] && [ "$rate" != "0" ] && break
	sleep 0.1
done
if [ -n "$rate" ] && [ "$rate" != "0.0" ] && [ "$rate" != "0" ]; then
	ok "PKTS/S after a burst of 20 pings: $rate"
else
	fail "PKTS/S after a burst of 20 pings: '$rate'"; screen | head -12 | sed 's/^/#   /'
fi

tm send-keys -t $S q
wait_for 'natsh.*> *$' && ok "back at the shell's prompt" || fail "back at the shell's prompt"
tm resize-window -t $S -x 100 -y 25
sleep 0.5
tm send-keys -t $S 'help top' Enter
wait_for 'full-screen view' && ok "the shell works after top" || { fail "the shell works after top"; screen | tail -5 | sed 's/^/#   /'; }
tm send-keys -t $S 'quit' Enter
wait_for 'NATSH-EXIT=0' && ok "the shell ends normally" || fail "the shell ends normally"
nsh_done

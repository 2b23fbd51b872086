#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# commit confirmed in a real terminal: the prompt counts the seconds down;
# a natsh started meanwhile says a confirmation is pending and offers
# `confirm`; closing the terminal (tmux kill-session, as an SSH session
# dying) does not stop the rollback, which restores the exact ruleset; an
# open shell says when the timer rolled back.
source "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { fail "tmux is needed"; nsh_done; exit; }
ns=$(nsh_ns_new cct)
tmp=$(mktemp -d /tmp/natsh-0500t.XXXXXX)
ino=$(stat -L -c %i "/run/netns/$ns")
state=/run/natsh/confirm-$ino.json
sock="$tmp/tmux.sock"
tm() { tmux -f /dev/null -S "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp" "$state" "/run/natsh/confirm-$ino.log"; nsh_cleanup' EXIT

screen() { tm capture-pane -N -p -t "$1"; }
wait_for() {
	local s=$1 re=$2 i
	for i in $(seq 1 100); do
		[[ $(screen "$s") =~ $re ]] && return 0
		sleep 0.1
	done
	return 1
}
type_line() { tm send-keys -t "$1" -l "$2"; tm send-keys -t "$1" Enter; }

nsx "$ns" "$NATSH" -c 'add prerouting tcp dport 1 dnat to 192.0.2.1' >/dev/null
before=$(nsx "$ns" nft list ruleset)

tm new-session -d -s A -x 160 -y 40 "env HOME=$tmp TERM=xterm $NATSH -n $ns; sleep 60"
wait_for A "inet natsh> " || { fail "the shell starts"; nsh_done; exit; }
type_line A 'begin'
type_line A 'add prerouting tcp dport 2 dnat to 192.0.2.2'
type_line A 'commit confirmed 4'
wait_for A 'rolls back in 4 s' && ok "commit confirmed answers" || { fail "commit confirmed answers"; screen A | tail -5; }
wait_for A '\[confirm [0-9]s\]> $' && ok "the prompt shows the pending confirmation" || { fail "the prompt shows the pending confirmation"; screen A | tail -3; }
s1=$(screen A | grep -o '\[confirm [0-9]s\]' | tail -1)
sleep 1.2
s2=$(screen A | grep -o '\[confirm [0-9]s\]' | tail -1)
[ -n "$s1" ] && [ "$s1" != "$s2" ] && ok "the prompt counts down ($s1 -> $s2)" || fail "the prompt counts down ($s1 -> $s2)"

tm new-session -d -s B -x 160 -y 40 "env HOME=$tmp TERM=xterm $NATSH -n $ns; sleep 60"
wait_for B 'a commit confirmed is pending in this network namespace: it rolls back in [0-9]+ s unless you type `confirm`' \
	&& ok "a second natsh says a confirmation is pending" || { fail "a second natsh says a confirmation is pending"; screen B | tail -3; }
tm kill-session -t B

expect_match "the change is applied" "$(nsx "$ns" nft list chain inet natsh prerouting)" 'tcp dport 2 '
tm kill-session -t A
sleep 0.3
expect_match "the terminal is gone" "$(tm list-sessions 2>&1)" 'no server|no sessions|error'
for i in $(seq 1 60); do [ -e "$state" ] || break; sleep 0.1; done
[ -e "$state" ] && fail "the timer ended" || ok "the timer ended"
expect_eq "rolled back after the terminal was closed" "$(nsx "$ns" nft list ruleset)" "$before"

# a shell left open sees the rollback happen
tm new-session -d -s C -x 160 -y 40 "env HOME=$tmp TERM=xterm $NATSH -n $ns; sleep 60"
wait_for C "inet natsh> " || fail "the shell starts again"
type_line C 'begin'
type_line C 'add prerouting tcp dport 3 dnat to 192.0.2.3'
type_line C 'commit confirmed 2'
for i in $(seq 1 60); do [[ $(screen C) =~ 'timer ended: '.*'rolled back' ]] && break; sleep 0.1; done
expect_match "the open shell says the timer rolled back" "$(screen C)" 'natsh: the commit confirmed timer ended: .*rolled back'
wait_for C 'inet natsh> $' && ok "the prompt drops the countdown" || { fail "the prompt drops the countdown"; screen C | tail -3; }
expect_eq "rolled back while the shell stayed open" "$(nsx "$ns" nft list ruleset)" "$before"

nsh_done

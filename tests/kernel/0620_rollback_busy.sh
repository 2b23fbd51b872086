#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The commit confirmed rollback on a busy router (issue 14, item 4): when
# someone else changes nf_tables during the confirm window, the rollback
# reverts natsh's own change anyway -- its rules go, the rules it deleted
# come back in place, a table it created goes if nothing else was put in it
# -- and keeps the others' changes.  Only what someone changed in the very
# objects natsh touched stays; that is logged, written to the outcome file,
# shown at every natsh start, in the prompt and by `confirm`, which clears it.
# Each case three times; also after SIGKILL of natsh and after its terminal
# goes (tmux kill-session).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../tui/tmux.sh"

ns=$(nsh_ns_new busy)
nsh_tmux_init 0620
ino=$(stat -L -c %i "/run/netns/$ns")
state=/run/natsh/confirm-$ino.json
log=/run/natsh/confirm-$ino.log
outcome=/run/natsh/rollback-$ino.txt
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp" "$state" "$log" "$outcome"; nsh_cleanup' EXIT

n() { nsx "$ns" timeout 30 "$NATSH" "$@" </dev/null; }
chain() { nsx "$ns" nft list chain inet natsh "$1"; }
# wait (bounded, 8 s) until the timer ended
wait_gone() {
	local i
	for i in $(seq 1 80); do [ -e "$state" ] || return 0; sleep 0.1; done
	return 1
}
# the handle of the rule matching ERE in a chain of inet natsh
handle_of() { nsx "$ns" nft -a list chain inet natsh "$1" | awk -v re="$2" '$0 ~ re {print $NF}'; }

n -c 'add prerouting tcp dport 1 dnat to 192.0.2.1; add prerouting tcp dport 2 dnat to 192.0.2.2' >/dev/null

for i in 1 2 3; do
	# (a) another table changes meanwhile
	pre=$(chain prerouting)
	n --confirm 1 -c "insert prerouting 1 tcp dport 1$i accept; delete prerouting 3" >/dev/null 2>&1
	nsx "$ns" nft add table ip other$i
	nsx "$ns" nft add chain ip other$i c
	nsx "$ns" nft add rule ip other$i c counter comment "\"other $i\""
	wait_gone || fail "a: the timer ended ($i)"
	expect_eq "another table changed ($i): natsh's chain is as before, the deleted rule back in place" \
		"$(chain prerouting)" "$pre"
	expect_match "another table changed ($i): that table keeps its rule" \
		"$(nsx "$ns" nft list table ip other$i)" "comment \"other $i\""
	expect_match "another table changed ($i): logged" "$(tail -1 "$log")" \
		"rolled back natsh's change; someone else changed nf_tables meanwhile, and those changes stay"
	[ -e "$outcome" ] && fail "another table changed ($i): no outcome notice" || ok "another table changed ($i): no outcome notice"

	# (b) the same table, another chain
	n --confirm 1 -c "add prerouting tcp dport 2$i accept" >/dev/null 2>&1
	nsx "$ns" nft add rule inet natsh postrouting oifname "\"x$i\"" masquerade
	wait_gone || fail "b: the timer ended ($i)"
	expect_eq "same table, other chain ($i): prerouting as before" "$(chain prerouting)" "$pre"
	expect_match "same table, other chain ($i): the foreign rule stays" "$(chain postrouting)" "oifname \"x$i\" masquerade"

	# (c) the very rule natsh added is changed by someone else
	n --confirm 1 -c "add prerouting tcp dport 3$i accept; delete prerouting 1" >/dev/null 2>&1
	h=$(handle_of prerouting "tcp dport 3$i ")
	nsx "$ns" nft replace rule inet natsh prerouting handle "$h" tcp dport 4$i accept
	wait_gone || fail "c: the timer ended ($i)"
	after=$(chain prerouting)
	expect_match "the very rule ($i): the changed rule stays" "$after" "tcp dport 4$i accept"
	expect_match "the very rule ($i): the rule natsh deleted is back" "$after" 'tcp dport 1 counter packets 0 bytes 0 dnat ip to 192\.0\.2\.1'
	expect_match "the very rule ($i): the log says it is incomplete" "$(cat "$log")" 'ROLLBACK INCOMPLETE'
	expect_match "the very rule ($i): the outcome names the rule" "$(cat "$outcome" 2>/dev/null)" \
		"the rule natsh added \\(handle $h\\) was changed by someone else and is left as it is: tcp dport 4$i accept"
	out=$(n show 2>&1 >/dev/null)
	expect_match "the very rule ($i): the next natsh start says so" "$out" \
		'WARNING: a commit confirmed rollback in this network namespace did not revert everything'
	out=$(n confirm 2>&1); rc=$?
	expect_eq "the very rule ($i): confirm exit 0" "$rc" 0
	expect_match "the very rule ($i): confirm shows what was left" "$out" 'was INCOMPLETE'
	[ -e "$outcome" ] && fail "the very rule ($i): confirm clears the notice" || ok "the very rule ($i): confirm clears the notice"
	expect_eq "the very rule ($i): the next start is quiet" "$(n show 2>&1 >/dev/null)" ""
	nsx "$ns" nft delete rule inet natsh prerouting handle "$h"
	pre=$(chain prerouting)
done

# a table natsh created goes only when nothing else was put in it
nsx "$ns" nft delete table inet natsh
n --confirm 1 -c 'add postrouting oifname "c1" masquerade' >/dev/null 2>&1
nsx "$ns" nft add table ip other9
wait_gone || fail "created table: the timer ended"
nsx "$ns" nft list table inet natsh >/dev/null 2>&1 && fail "a created table nobody else used is removed" ||
	ok "a created table nobody else used is removed"
n --confirm 1 -c 'add postrouting oifname "c2" masquerade' >/dev/null 2>&1
nsx "$ns" nft add rule inet natsh postrouting oifname '"theirs"' masquerade
wait_gone || fail "created table used: the timer ended"
expect_match "a created table someone else used stays, with their rule" "$(chain postrouting)" 'oifname "theirs" masquerade'
if chain postrouting | grep -q '"c2"'; then fail "natsh's rule in it is removed"; else ok "natsh's rule in it is removed"; fi
expect_match "the outcome says the table stays" "$(cat "$outcome" 2>/dev/null)" 'table inet natsh stays: someone else added to it'
n confirm >/dev/null 2>&1

# a sysctl someone else set again is left as they set it
t0=$(nsx "$ns" sysctl -n net.netfilter.nf_conntrack_tcp_timeout_established)
n --confirm 1 -c 'add prerouting tcp dport 50 accept; sysctl net.netfilter.nf_conntrack_tcp_timeout_established 1000' >/dev/null 2>&1
nsx "$ns" sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_established=2000
wait_gone || fail "sysctl: the timer ended"
expect_eq "a sysctl changed again by someone else keeps their value" \
	"$(nsx "$ns" sysctl -n net.netfilter.nf_conntrack_tcp_timeout_established)" 2000
expect_match "the outcome names the sysctl" "$(cat "$outcome" 2>/dev/null)" \
	'sysctl net.netfilter.nf_conntrack_tcp_timeout_established is 2000 \(natsh set 1000\): changed by someone else'
n confirm >/dev/null 2>&1
nsx "$ns" sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_established="$t0"

# after SIGKILL of natsh and after its terminal goes, three times each
n -c 'flush postrouting' >/dev/null
pre=$(chain prerouting)
for i in 1 2 3; do
	mkfifo "$tmp/in$i"
	nsx "$ns" "$NATSH" <"$tmp/in$i" >"$tmp/out$i" 2>&1 &
	pid=$!
	exec 7>"$tmp/in$i"
	printf '%s\n' begin "add prerouting tcp dport 6$i accept" 'commit confirmed 2' >&7
	for k in $(seq 1 50); do grep -q 'rolls back in' "$tmp/out$i" && break; sleep 0.1; done
	nsx "$ns" nft add rule inet natsh postrouting oifname "\"k$i\"" masquerade
	kill -KILL $pid; wait $pid 2>/dev/null; exec 7>&-
	wait_gone || fail "SIGKILL ($i): the timer ended"
	expect_eq "SIGKILL ($i): natsh's rule rolled back" "$(chain prerouting)" "$pre"
	expect_match "SIGKILL ($i): the foreign rule stays" "$(chain postrouting)" "oifname \"k$i\" masquerade"

	S="k$i"
	tm new-session -d -s "k$i" -x 160 -y 40 "env HOME=$tmp TERM=xterm $NATSH -n $ns; sleep 60"
	wait_for 'natsh.*> $' || fail "tmux ($i): prompt"
	tm send-keys -t "k$i" 'begin' Enter "add prerouting tcp dport 7$i accept" Enter 'commit confirmed 2' Enter
	for k in $(seq 1 50); do tm capture-pane -p -t "k$i" | grep -q 'rolls back in' && break; sleep 0.1; done
	nsx "$ns" nft add rule inet natsh postrouting oifname "\"t$i\"" masquerade
	tm kill-session -t "k$i"
	wait_gone || fail "kill-session ($i): the timer ended"
	expect_eq "kill-session ($i): natsh's rule rolled back" "$(chain prerouting)" "$pre"
	expect_match "kill-session ($i): the foreign rule stays" "$(chain postrouting)" "oifname \"t$i\" masquerade"
done

nsh_done

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Transactions in the interactive shell (tmux): single commands apply at
# once; `begin` shows in the prompt and stages; `diff` shows staged vs live;
# `commit` applies all of it; `undo` reverts natsh's commits one by one,
# down to removing the table the first one created; a commit after a
# concurrent `nft` change is refused and applies nothing.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/tmux.sh"

command -v tmux >/dev/null || { fail "tmux is needed"; nsh_done; exit; }
ns=$(nsh_ns_new txn)
nsh_tmux_init 0130t

# type a line and wait for the prompt (plain or [begin]) to come back after it
run() {
	local n
	n=$(screen | grep -c '> ')
	tm send-keys -t $S -l "$1"
	tm send-keys -t $S Enter
	for i in $(seq 1 100); do
		[ "$(screen | grep -c '> ')" -gt "$n" ] && return 0
		sleep 0.1
	done
	return 1
}
ports() {
	nsx "$ns" nft list ruleset | grep -o 'dport [0-9]*' | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//'
}

tm new-session -d -s $S -x 160 -y 45 "env HOME=$tmp TERM=xterm $NATSH -n $ns; sleep 60"
wait_for "natsh\\($ns\\) inet natsh> " || { fail "the shell starts"; screen | sed 's/^/#   /'; nsh_done; exit; }

run 'add prerouting tcp dport 1 accept'
expect_eq "a single command applies at once" "$(ports)" "1"
run 'begin'
wait_for "inet natsh \\[begin\\]> $" && ok "the prompt shows begin" || { fail "the prompt shows begin"; screen | tail -3; }
run 'delete prerouting 1'
run 'add prerouting tcp dport 2 accept'
expect_eq "inside begin nothing is applied" "$(ports)" "1"
tm send-keys -t $S C-l
run 'diff'
expect_match "diff shows staged vs live" "$(screen)" \
	'chain inet natsh prerouting.- tcp dport 1 counter accept.\+ tcp dport 2 counter accept'
run 'commit'
expect_eq "commit applies everything" "$(ports)" "2"
wait_for "inet natsh> $" && ok "the prompt leaves begin" || { fail "the prompt leaves begin"; screen | tail -3; }
run 'undo'
expect_eq "undo reverts the transaction" "$(ports)" "1"
tm send-keys -t $S 'undo' Enter
wait_for 'Undo removes table inet natsh with its chains and every rule in them\. Undo\? \[y/N\]: $' &&
	ok "undo asks before the whole table goes" || fail "undo asks before the whole table goes"
run 'y'
expect_match "undo says what it reverted" "$(screen)" 'undone:
- table inet natsh \(with its chains and every rule in them\)'
expect_eq "undo of the first change removes the table it created" \
	"$(nsx "$ns" nft list ruleset)" ""
tm send-keys -t $S C-l
run 'undo'
expect_match "then nothing is left to undo" "$(screen)" 'nothing to undo'

run 'add prerouting tcp dport 3 accept'
run 'begin'
run 'add prerouting tcp dport 4 accept'
nsx "$ns" nft add rule inet natsh prerouting tcp dport 99 accept
tm send-keys -t $S C-l
run 'commit'
expect_match "a commit after a concurrent change is refused, saying so" "$(screen)" \
	'commit refused: the ruleset was changed by someone else since natsh read it'
expect_eq "and nothing of it is applied" "$(ports)" "3 99"
run 'undo'
expect_match "undo after a concurrent change is refused too" "$(screen)" 'undo refused'
expect_eq "and changes nothing" "$(ports)" "3 99"
run 'exit'

nsh_done

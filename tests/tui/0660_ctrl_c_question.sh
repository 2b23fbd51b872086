#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Ctrl-C at a yes/no question (conntrack flush, a wizard's Apply?) answers
# "no" and leaves the shell as it was: later commands print no blank line
# before their output (readline 8.2 kept the EOF of the cancelled question;
# issue 15).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/tmux.sh"

ns=$(nsh_ns_new ctrlc)
nsh_tmux_init 0660
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"; nsh_cleanup' EXIT

tm new-session -d -s $S -x 120 -y 40 "env HOME=$tmp TERM=xterm $NATSH -n $ns; sleep 60"
wait_for 'inet natsh> $' || { fail "the shell starts"; screen | sed 's/^/#   /'; nsh_done; exit; }
tm send-keys -t $S 'help exit' Enter
wait_for 'is an error\.' || fail "help exit prints"
before=$(screen | grep -A1 'natsh> help exit$' | sed -n 2p)
expect_eq "before: the output follows the command line" "$before" "usage: exit"
tm send-keys -t $S C-l 'conntrack flush' Enter
wait_for 'conntrack entries\? \[y/N\]: $' || fail "conntrack flush asks"
tm send-keys -t $S C-c
wait_for 'nothing flushed' && ok "Ctrl-C at the question: nothing flushed" ||
	fail "Ctrl-C at the question: nothing flushed"
for i in 1 2; do
	tm send-keys -t $S C-l 'help exit' Enter
	wait_for 'is an error\.' || fail "help exit prints ($i)"
	after=$(screen | grep -A1 'natsh> help exit$' | sed -n 2p)
	expect_eq "after Ctrl-C, command $i: no blank line before the output" "$after" "usage: exit"
done
nsh_done

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A refused `commit confirmed` never drops what was staged (issue 14, item
# 5): with another confirmation pending, or with a bad timeout, the shell
# stays in begin, diff still shows the staged rule, and a later commit
# applies it; the prompt shows a rollback notice until `confirm` clears it.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/tmux.sh"

ns=$(nsh_ns_new keep)
nsh_tmux_init 0650
ino=$(stat -L -c %i "/run/netns/$ns")
state=/run/natsh/confirm-$ino.json
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp" "$state" "/run/natsh/confirm-$ino.log" "/run/natsh/rollback-$ino.txt"; nsh_cleanup' EXIT
n() { nsx "$ns" timeout 30 "$NATSH" "$@" </dev/null; }
ports() { nsx "$ns" nft list ruleset | grep -o 'dport [0-9]*' | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//'; }

n -c 'add prerouting tcp dport 1 accept' >/dev/null
# another natsh's confirmation is pending
n --confirm 30 -c 'add prerouting tcp dport 2 accept' >/dev/null 2>&1
[ -e "$state" ] && ok "a confirmation is pending" || fail "a confirmation is pending"

tm new-session -d -s $S -x 200 -y 50 "env HOME=$tmp TERM=xterm $NATSH -n $ns; sleep 60"
wait_for 'inet natsh \[confirm [0-9]+s\]> $' || { fail "the shell starts"; screen | sed 's/^/#   /'; nsh_done; exit; }
tm send-keys -t $S 'begin' Enter 'add prerouting tcp dport 3 accept' Enter 'commit confirmed 20' Enter
wait_for 'a commit confirmed is already pending here .*`confirm` it first; nothing was applied, and what you staged is kept' &&
	ok "the second commit confirmed is refused, saying the staged change is kept" ||
	{ fail "the second commit confirmed is refused, saying the staged change is kept"; screen | tail -4 | sed 's/^/#   /'; }
wait_for '\[begin\] \[confirm [0-9]+s\]> $' && ok "still inside begin" || { fail "still inside begin"; screen | tail -2 | sed 's/^/#   /'; }
tm send-keys -t $S 'commit confirmed 9x' Enter
wait_for 'expected SECONDS' && ok "a bad timeout is refused" || fail "a bad timeout is refused"
tm send-keys -t $S C-l 'diff' Enter
wait_for '\+ tcp dport 3 counter accept' && ok "diff still shows the staged rule" || { fail "diff still shows the staged rule"; screen | tail -4 | sed 's/^/#   /'; }
expect_eq "nothing of it applied yet" "$(ports)" "1 2"
n confirm >/dev/null 2>&1
tm send-keys -t $S 'commit' Enter
wait_for 'inet natsh> $' || fail "commit leaves begin"
expect_eq "commit applies what stayed staged" "$(ports)" "1 2 3"

# a rollback notice shows in the prompt until confirm clears it
printf '2026-12-07 00:00:00: the commit confirmed rollback (test) was INCOMPLETE\n' >"/run/natsh/rollback-$ino.txt"
tm send-keys -t $S '' Enter
wait_for '\[ROLLBACK INCOMPLETE: type confirm\]> $' && ok "the prompt shows the rollback notice" ||
	{ fail "the prompt shows the rollback notice"; screen | tail -2 | sed 's/^/#   /'; }
tm send-keys -t $S 'confirm' Enter
wait_for 'was INCOMPLETE' && ok "confirm shows it" || fail "confirm shows it"
wait_for 'inet natsh> $' && ok "then the prompt is plain" || fail "then the prompt is plain"

nsh_done

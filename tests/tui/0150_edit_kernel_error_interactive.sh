#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Kernel refusals in the interactive shell (tmux), under the ASan build: the
# error of a refused single `add`, and of a refused `commit` after `begin`,
# is shown with its line and caret (the line is a copy the transaction owned
# and must outlive the commit: this was a use-after-free), the shell goes on,
# and `exit` after editing and completing leaks nothing (nsh_ctx_fini frees the write
# state).  ASan's report goes to a log file that must stay empty.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/tmux.sh"

command -v tmux >/dev/null || { fail "tmux is needed"; nsh_done; exit; }
ns=$(nsh_ns_new kerr)
nsh_tmux_init 0150t

run() {
	local n i
	n=$(screen | grep -c '> ')
	tm send-keys -t $S -l "$1"
	tm send-keys -t $S Enter
	for i in $(seq 1 100); do
		[ "$(screen | grep -c '> ')" -gt "$n" ] && return 0
		sleep 0.1
	done
	return 1
}

asan="ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:log_path=$tmp/asan"
tm new-session -d -s $S -x 160 -y 45 \
	"env HOME=$tmp TERM=xterm $asan $NATSH -n $ns; echo natsh-exited-\$?; sleep 60"
wait_for "natsh\\($ns\\) inet natsh> " || { fail "the shell starts"; screen | sed 's/^/#   /'; nsh_done; exit; }

run 'add prerouting tcp dport 1 accept'
run 'add prerouting jump nosuchchain'
expect_match "a refused add is reported with its line and caret" "$(screen)" \
	'chain "nosuchchain" \(target of jump\) does not exist.  add prerouting jump nosuchchain. +\^~+'
run 'begin'
run 'add prerouting tcp dport 2 accept'
run 'add prerouting goto nosuch2'
tm send-keys -t $S C-l
run 'commit'
expect_match "a refused commit names the line of the command" "$(screen)" \
	'chain "nosuch2" \(target of goto\) does not exist.  add prerouting goto nosuch2. +\^~+'
run 'show'
expect_match "the shell goes on after the refusals" "$(screen)" 'tcp dport 1 counter accept'
expect_eq "only the accepted rule is in the kernel" \
	"$(nsx "$ns" nft list ruleset | grep -c 'dport')" "1"
# Tab reads the chain's rules on demand (its own socket, freed at exit too)
tm send-keys -t $S C-l
tm send-keys -t $S -l 'delete prerouting '
tm send-keys -t $S Tab Tab
wait_for 'handle' && ok "Tab offers the chain's positions" || { fail "Tab offers the chain's positions"; screen | tail -5 | sed 's/^/#   /'; }
tm send-keys -t $S C-u
tm send-keys -t $S -l 'exit'
tm send-keys -t $S Enter
wait_for 'natsh-exited-0' && ok "exit leaves with status 0" || { fail "exit leaves with status 0"; screen | tail -5 | sed 's/^/#   /'; }
sleep 0.3
reports=$(cat "$tmp"/asan* 2>/dev/null)
expect_eq "no ASan/LSan report (use-after-free, leak at exit)" "$(printf '%s\n' "$reports" | grep -m3 -E 'ERROR|SUMMARY')" ""

nsh_done

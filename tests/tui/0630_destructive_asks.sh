#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Nothing dropped or removed without a word (issue 14, item 7): in the shell
# `flush` says how many rules go (and whose wizard) and asks, -y skips the
# question, every mode says what went; `exit` with staged changes asks and
# stays on no; Ctrl-D with staged changes says so once and leaves on the
# second; a batch that ends inside `begin` is an error and commits nothing.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/tmux.sh"

ns=$(nsh_ns_new asks)
nsh_tmux_init 0630
ports() { nsx "$ns" nft list ruleset | grep -o 'dport [0-9]*' | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//'; }
n() { nsx "$ns" timeout 30 "$NATSH" "$@" </dev/null; }

n -c 'add prerouting tcp dport 1 accept; add prerouting tcp dport 2 accept' >/dev/null
n -c 'wizard forward web tcp 8080 to 192.0.2.10:80 wan lo lan lo router-access off hairpin off' >/dev/null 2>&1

tm new-session -d -s $S -x 200 -y 50 "env HOME=$tmp TERM=xterm $NATSH -n $ns; echo natsh-exited-\$?; sleep 60"
wait_for "natsh\\($ns\\) inet natsh> $" || { fail "the shell starts"; screen | sed 's/^/#   /'; nsh_done; exit; }

# flush asks, names the count and the wizard; no keeps everything
tm send-keys -t $S 'flush prerouting' Enter
wait_for 'Delete the 3 rules of chain inet natsh prerouting \(rules of wizard web\)\? \[y/N\]: $' &&
	ok "flush asks, with the count and the wizard" || { fail "flush asks, with the count and the wizard"; screen | tail -3 | sed 's/^/#   /'; }
tm send-keys -t $S 'n' Enter
wait_for 'nothing flushed' && ok "no: nothing flushed" || fail "no: nothing flushed"
expect_eq "no: the rules stay" "$(ports)" "1 2 8080"
tm send-keys -t $S 'flush prerouting' Enter
wait_for 'Delete the 3 rules' || fail "flush asks again"
tm send-keys -t $S 'y' Enter
wait_for 'chain prerouting flushed: 3 rules removed' && ok "yes: says what went" || { fail "yes: says what went"; screen | tail -4 | sed 's/^/#   /'; }
wait_for 'wizard web loses its 1 rule in chain prerouting; its other rules stay' &&
	ok "a wizard left incomplete is named" || fail "a wizard left incomplete is named"
expect_eq "yes: the chain is empty" "$(ports)" ""

# wizard remove asks; no keeps the wizard, yes removes it and says how many
n -c 'wizard forward web2 tcp 8081 to 192.0.2.11:80 wan lo lan lo router-access off hairpin off' >/dev/null 2>&1
tm send-keys -t $S 'wizard remove web2' Enter
wait_for 'Remove wizard web2: its 1 rule\? \[y/N\]: $' && ok "wizard remove asks" ||
	{ fail "wizard remove asks"; screen | tail -3 | sed 's/^/#   /'; }
tm send-keys -t $S 'n' Enter
wait_for 'nothing removed' && ok "no: nothing removed" || fail "no: nothing removed"
expect_match "no: the wizard stays" "$(n wizard list)" 'web2'
tm send-keys -t $S 'wizard remove web2' Enter
wait_for 'Remove wizard web2: its 1 rule\? \[y/N\]: $' || fail "wizard remove asks again"
tm send-keys -t $S 'y' Enter
wait_for 'wizard web2: removing 1 rule'$'\n' && ok "yes: says how many go" || fail "yes: says how many go"
if n wizard list | grep -q web2; then fail "yes: the wizard is gone"; else ok "yes: the wizard is gone"; fi

# exit with staged changes asks; no stays, with the way out
tm send-keys -t $S 'begin' Enter 'add prerouting tcp dport 3 accept' Enter
wait_for '\[begin\]> $' || fail "begin"
tm send-keys -t $S 'exit' Enter
wait_for '1 staged change is not committed: leave and drop it\? \[y/N\]: $' &&
	ok "exit with staged changes asks" || { fail "exit with staged changes asks"; screen | tail -3 | sed 's/^/#   /'; }
tm send-keys -t $S 'n' Enter
wait_for 'staying: `commit` applies the staged changes, `abort` drops them' && ok "no: stays" || fail "no: stays"
# Ctrl-D: said once, then the second leaves
tm send-keys -t $S C-d
wait_for '1 staged change is not committed: `commit` applies, `abort` drops; Ctrl-D again leaves' &&
	ok "Ctrl-D with staged changes says so and stays" || { fail "Ctrl-D with staged changes says so and stays"; screen | tail -3 | sed 's/^/#   /'; }
if screen | grep -q natsh-exited; then fail "the first Ctrl-D does not leave"; else ok "the first Ctrl-D does not leave"; fi
tm send-keys -t $S C-d
wait_for 'natsh-exited-0' && ok "the second Ctrl-D leaves" || fail "the second Ctrl-D leaves"
expect_eq "leaving dropped the staged change" "$(ports)" ""

# flush with -y in a batch: no question, says what went
n -c 'add prerouting tcp dport 4 accept' >/dev/null
out=$(n -y -c 'flush prerouting' 2>&1)
expect_eq "batch flush: says what went" "$out" 'chain prerouting flushed: 1 rule goes when the batch commits'
out=$(n -j flush prerouting 2>/dev/null)
expect_eq "JSON flush: the count" "$(jq -c . <<<"$out")" '{"chain":"prerouting","rules":0,"staged":true}'

# a batch ending inside begin: an error, nothing committed
out=$(n -c 'begin; add prerouting tcp dport 5 accept' 2>&1); rc=$?
expect_eq "batch ending inside begin: exit 1" "$rc" 1
expect_match "batch ending inside begin: said" "$out" 'the batch ends inside `begin`: nothing of it is committed \(end it with commit, or abort\)'
expect_eq "batch ending inside begin: nothing applied" "$(ports)" ""
out=$(n -c 'begin; add prerouting tcp dport 6 accept; commit' 2>&1)
expect_eq "begin ... commit in a batch still applies" "$(ports)" "6"

nsh_done

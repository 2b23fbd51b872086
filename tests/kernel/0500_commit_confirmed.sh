#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# commit confirmed: the change is applied at once and rolled back, exactly,
# by a detached timer when natsh is SIGKILLed before `confirm` (sysctls the
# change set put back too); `confirm` from another natsh keeps it; a
# rollback after a foreign `nft` change reverts natsh's change and keeps the
# foreign one (tests/kernel/0620 has the other cases); a second pending
# confirmation is refused; --confirm for -c.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new cc)
tmp=$(mktemp -d /tmp/natsh-0500.XXXXXX)
ino=$(stat -L -c %i "/run/netns/$ns")
state=/run/natsh/confirm-$ino.json
log=/run/natsh/confirm-$ino.log
trap 'rm -rf "$tmp" "$state" "$log"; nsh_cleanup' EXIT
ip -n "$ns" link add lan0 type veth peer name lan1

nsx "$ns" "$NATSH" -c 'add prerouting tcp dport 1 dnat to 192.0.2.1; add postrouting oifname "lan0" masquerade' >/dev/null
before=$(nsx "$ns" nft list ruleset)

# wait (bounded) until the state file is gone: the timer ended
wait_gone() {
	local i
	for i in $(seq 1 80); do [ -e "$state" ] || return 0; sleep 0.1; done
	return 1
}

# 1. natsh SIGKILLed after commit confirmed: the timer rolls back
mkfifo "$tmp/in"
nsx "$ns" "$NATSH" < "$tmp/in" > "$tmp/out1" 2>&1 &
pid=$!
exec 7>"$tmp/in"
printf '%s\n' 'begin' 'add prerouting tcp dport 2 dnat to 192.0.2.2' 'sysctl -w net.ipv4.ip_forward=1' \
	'sysctl -w net.ipv4.conf.lan0.route_localnet=1' 'commit confirmed 3' >&7
for i in $(seq 1 50); do grep -q 'rolls back in' "$tmp/out1" && break; sleep 0.1; done
expect_match "commit confirmed says when it rolls back" "$(cat "$tmp/out1")" 'committed; rolls back in 3 s unless you type `confirm`'
expect_match "the change is applied at once" "$(nsx "$ns" nft list chain inet natsh prerouting)" 'tcp dport 2 '
[ -e "$state" ] && ok "the state file exists while pending" || fail "the state file exists while pending"
tpid=$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$state")
mysid=$(ps -o sid= -p $$ | tr -d ' ')
expect_eq "the timer is named natsh-confirm and in a session of its own" \
	"$(ps -o comm=,sid= -p "$tpid" | awk -v s="$mysid" '{print $1, ($2 == s ? "ours" : "own")}')" "natsh-confirm own"
expect_eq "the timer has no terminal" "$(ps -o tty= -p "$tpid" | tr -d ' ')" "?"
out=$(nsx "$ns" "$NATSH" -c 'show prerouting' 2>&1 </dev/null)
kill -KILL $pid; wait $pid 2>/dev/null; exec 7>&-
sleep 3.2
wait_gone && ok "the timer ended" || fail "the timer ended"
expect_eq "rolled back to the exact previous ruleset after SIGKILL" "$(nsx "$ns" nft list ruleset)" "$before"
expect_eq "ip_forward put back" "$(nsx "$ns" sysctl -n net.ipv4.ip_forward)" "0"
expect_eq "route_localnet put back" "$(nsx "$ns" sysctl -n net.ipv4.conf.lan0.route_localnet)" "0"
expect_match "the log says it rolled back" "$(cat "$log")" 'rolled back: the ruleset is as it was before the commit'
expect_match "the log names the sysctls put back" "$(cat "$log")" 'sysctl net.ipv4.ip_forward put back to 0'

# 2. confirm from another natsh keeps the change
out=$(nsx "$ns" "$NATSH" --confirm 3 -c 'add prerouting tcp dport 3 dnat to 192.0.2.3; sysctl -w net.ipv4.ip_forward=1' 2>&1)
expect_match "--confirm with -c arms the timer" "$out" 'rolls back in 3 s'
expect_rc "a second commit confirmed is refused while one is pending" 1 \
	nsx "$ns" "$NATSH" --confirm 3 -c 'add prerouting tcp dport 4 dnat to 192.0.2.4'
out=$(nsx "$ns" "$NATSH" -c 'add prerouting tcp dport 8 accept' 2>&1)
expect_match "a change while a confirmation is pending warns that its rollback will be refused" "$out" \
	'warning: a commit confirmed is pending .*if it rolls back, it reverts that commit only and this change stays; `confirm` first to keep both'
out=$(nsx "$ns" "$NATSH" confirm 2>&1); rc=$?
expect_eq "confirm succeeds" "$rc" "0"
expect_match "confirm says the change stays" "$out" 'confirmed: the change stays'
sleep 3.3
expect_match "after confirm the change stays past the deadline" "$(nsx "$ns" nft list chain inet natsh prerouting)" 'tcp dport 3 '
expect_eq "after confirm the sysctl stays" "$(nsx "$ns" sysctl -n net.ipv4.ip_forward)" "1"
[ -e "$state" ] && fail "the state file is removed after confirm" || ok "the state file is removed after confirm"
out=$(nsx "$ns" "$NATSH" confirm 2>&1); rc=$?
expect_eq "confirm with nothing pending fails" "$rc" "1"
expect_match "confirm with nothing pending says so" "$out" 'no commit is waiting for confirmation'

# 3. a foreign change after the commit: natsh's change is rolled back, the foreign one stays
before=$(nsx "$ns" nft list ruleset)
nsx "$ns" "$NATSH" --confirm 2 -c 'add prerouting tcp dport 5 dnat to 192.0.2.5' >/dev/null 2>&1
nsx "$ns" nft add rule inet natsh prerouting tcp dport 6 counter
sleep 2.3
wait_gone && ok "the timer ended after the foreign change" || fail "the timer ended after the foreign change"
after=$(nsx "$ns" nft list chain inet natsh prerouting)
expect_match "the rollback did not destroy the foreign change" "$after" 'tcp dport 6 counter'
if grep -q 'tcp dport 5 ' <<<"$after"; then fail "the committed rule is rolled back"; else ok "the committed rule is rolled back"; fi
expect_match "the log says only natsh's change was reverted" "$(cat "$log")" "rolled back natsh's change; someone else changed nf_tables meanwhile, and those changes stay"

# 4. a stale state file (no timer behind it) is ignored and removed
echo '{"pid": 1, "deadline": 1, "genid": 1}' > "$state"
expect_rc "a stale state file does not count as pending" 1 nsx "$ns" "$NATSH" confirm
[ -e "$state" ] && fail "a stale state file is removed" || ok "a stale state file is removed"

# 5. --confirm with no rule change: nothing armed, said so
out=$(nsx "$ns" "$NATSH" --confirm 3 -c 'sysctl -w net.ipv4.conf.lan0.route_localnet=1' 2>&1)
expect_match "--confirm without a rule change warns that no rollback is armed" "$out" \
	'warning: --confirm: the batch changed no rule, so no rollback is armed; its sysctl changes stay'
[ -e "$state" ] && fail "--confirm without a rule change arms nothing" || ok "--confirm without a rule change arms nothing"

# 6. bad timeouts
expect_rc "--confirm 0 is a usage error" 2 nsx "$ns" "$NATSH" --confirm 0 -c 'show'
out=$(nsx "$ns" "$NATSH" -c 'begin; add prerouting tcp dport 7 accept; commit confirmed 9x' 2>&1)
expect_match "commit confirmed with a bad number names it" "$out" 'expected SECONDS \(a number\), got "9x"'

nsh_done

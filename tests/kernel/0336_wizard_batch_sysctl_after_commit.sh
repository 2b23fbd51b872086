#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A wizard inside a batch (or begin) writes its sysctls only once the
# transaction commits: a batch whose last line the kernel refuses leaves
# ip_forward and route_localnet as they were, and so does --check; the same
# batch without the bad line turns them on.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/wizard_lib.bash"

nsh_lab_up
export LAB_TIMEOUT=2
R=$(lab_ns router)
tmp=$(mktemp -d /tmp/natsh-0336.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
sysctls() {
	echo "$(lab_exec router sysctl -n net.ipv4.ip_forward) $(lab_exec router sysctl -n net.ipv4.conf.eth1.route_localnet)"
}
lab_exec router sysctl -qw net.ipv4.ip_forward=0 net.ipv4.conf.eth1.route_localnet=0
before=$(wiz_ruleset)

cat >"$tmp/bad.nsh" <<'B'
wizard forward web tcp 8080 to 192.0.2.10:80
add prerouting jump nosuchchain
B
out=$(wiz_natsh -y -f "$tmp/bad.nsh")
expect_eq "batch refused by the kernel: exit 1" "$?" 1
expect_match "the refusal is reported at its line" "$out" 'bad.nsh:2:.*nosuchchain.*does not exist'
expect_eq "ruleset unchanged" "$(wiz_ruleset)" "$before"
expect_eq "ip_forward and route_localnet unchanged" "$(sysctls)" "0 0"

head -1 "$tmp/bad.nsh" >"$tmp/good.nsh"
out=$(wiz_natsh -y --check -f "$tmp/good.nsh")
expect_eq "--check: exit 0" "$?" 0
expect_match "--check says the sysctls are not written" "$out" 'ip_forward would be set to 1 \(--check: not written\)'
expect_eq "--check: sysctls unchanged" "$(sysctls)" "0 0"
expect_eq "--check: ruleset unchanged" "$(wiz_ruleset)" "$before"

out=$(wiz_natsh -y -f "$tmp/good.nsh")
expect_eq "good batch: exit 0" "$?" 0
expect_match "it says the sysctls wait for the commit" "$out" 'ip_forward will be set to 1 once the changes apply \(it is 0\)'
expect_match "and, after the commit, that it turned them on" "$out" 'ip_forward turned on \(it was 0\)'
expect_eq "good batch: sysctls on after the commit" "$(sysctls)" "1 1"
expect_rc "good batch: inet -> WAN:8080 reaches the server" 0 lab_tcp inet $LAB_WAN4 8080

nsh_done

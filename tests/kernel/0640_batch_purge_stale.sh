#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A running UDP flow follows a forward's backend change made in a batch
# (issue 14, item 8): the conntrack entries that still go to a removed
# backend are deleted once the batch commits, in -c, -f and inside begin,
# with their number said; nothing is deleted when the batch fails or is
# only checked.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/wizard_lib.bash"

tmp=$(mktemp -d /tmp/natsh-0640.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
nsh_lab_up
export LAB_TIMEOUT=2
W=$LAB_WAN4
R=$(lab_ns router)
lab_exec router ip route add default via $LAB_INET4
# one UDP flow: the same source port every time, so one conntrack entry
flow() { echo hi | timeout 5 ip netns exec "$(lab_ns inet)" nc -4 -u -n -p 40001 -W 1 -w 2 "$W" 5000 2>/dev/null; }
to_backend() { lab_exec router conntrack -L -p udp --orig-port-src 40001 --reply-src "$1" 2>/dev/null | grep -c 'dport=5000'; }

wiz_natsh -y wizard forward dns udp 5000 to 192.0.2.10:80 >/dev/null
expect_eq "set-up: applied" "$?" 0
expect_match "the flow reaches pc1" "$(flow)" '^pc1 saw 198\.51\.100\.100:40001$'
expect_eq "one entry to pc1" "$(to_backend 192.0.2.10)" 1

# --check: nothing is deleted, the way to do it is said
out=$(wiz_natsh -y --check -c 'wizard forward dns udp 5000 to 192.0.2.11:80')
expect_match "--check: says how" "$out" 'once it applies, delete them with: conntrack delete dnat dst 192\.0\.2\.10'
expect_eq "--check: the entry stays" "$(to_backend 192.0.2.10)" 1

# a batch that fails: nothing is deleted
out=$(wiz_natsh -y -c 'wizard forward dns udp 5000 to 192.0.2.11:80; bogus')
expect_eq "failed batch: the entry stays" "$(to_backend 192.0.2.10)" 1

# -c: deleted after the commit, said how many; the next datagram goes to pc2
out=$(wiz_natsh -y -c 'wizard forward dns udp 5000 to 192.0.2.11:80')
expect_match "-c: said at staging" "$out" '1 conntrack entries go to a backend this change removes'
expect_match "-c: deleted once applied" "$out" '1 conntrack entry to a removed backend deleted'
expect_eq "-c: no entry to pc1 is left" "$(to_backend 192.0.2.10)" 0
expect_match "-c: the same flow now reaches pc2" "$(flow)" '^pc2 saw 198\.51\.100\.100:40001$'

# -f: the same
printf 'wizard forward dns udp 5000 to 192.0.2.12:80\n' >"$tmp/batch"
out=$(wiz_natsh -y -f "$tmp/batch")
expect_match "-f: deleted once applied" "$out" '1 conntrack entry to a removed backend deleted'
expect_eq "-f: no entry to pc2 is left" "$(to_backend 192.0.2.11)" 0
expect_match "-f: the flow reaches pc3" "$(flow)" '^pc3 saw 198\.51\.100\.100:40001$'

# inside begin (a -c string with begin ... commit)
out=$(wiz_natsh -y -c 'begin; wizard forward dns udp 5000 to 192.0.2.10:80; commit')
expect_match "begin/commit: deleted at the commit" "$out" '1 conntrack entry to a removed backend deleted'
expect_match "begin/commit: the flow reaches pc1 again" "$(flow)" '^pc1 saw 198\.51\.100\.100:40001$'

nsh_done

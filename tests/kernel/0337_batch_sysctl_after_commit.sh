#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `sysctl` lines inside a batch (-f, -c) or inside begin wait for the commit:
# a batch whose later line the kernel refuses leaves ip_forward as it was;
# --check writes nothing; a good batch (or commit after begin) sets it; a
# single command outside a transaction writes at once.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new sysb)
tmp=$(mktemp -d /tmp/natsh-0337.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
fwd() { nsx "$ns" sysctl -n net.ipv4.ip_forward; }
nat() { nsx "$ns" "$NATSH" "$@" 2>&1; }

nsx "$ns" nft -f - <<'T'
table ip t {
	chain pre { type nat hook prerouting priority dstnat; }
}
T
nsx "$ns" sysctl -qw net.ipv4.ip_forward=0
before=$(nsx "$ns" nft list ruleset)

cat >"$tmp/bad.nsh" <<'B'
sysctl -w net.ipv4.ip_forward=1
add rule ip t pre tcp dport 80 jump nosuchchain
B
out=$(nat -f "$tmp/bad.nsh")
expect_eq "batch with a line the kernel refuses: exit 1" "$?" 1
expect_match "the sysctl line says it waits for the commit" "$out" 'net.ipv4.ip_forward = 1 once the changes apply \(it is 0\)'
expect_match "the refusal is reported at its line" "$out" 'bad.nsh:2:.*nosuchchain'
expect_eq "refused batch: ip_forward still 0" "$(fwd)" 0
expect_eq "refused batch: ruleset unchanged" "$(nsx "$ns" nft list ruleset)" "$before"

out=$(nat -c 'sysctl net.ipv4.ip_forward=1
add rule ip t pre tcp dport 80 jump nosuchchain')
expect_eq "-c with a refused line: exit 1" "$?" 1
expect_eq "-c refused: ip_forward still 0 (KEY=VALUE spelling)" "$(fwd)" 0

out=$(nat --check -f <(printf 'sysctl net.ipv4.ip_forward 1\nadd rule ip t pre tcp dport 81 dnat to 192.0.2.1\n'))
expect_eq "--check: exit 0" "$?" 0
expect_match "--check says it is not written" "$out" 'not written'
expect_eq "--check: ip_forward still 0" "$(fwd)" 0

printf 'sysctl -w net.ipv4.ip_forward=1\nadd rule ip t pre tcp dport 80 dnat to 192.0.2.1\n' >"$tmp/good.nsh"
out=$(nat -f "$tmp/good.nsh")
expect_eq "good batch: exit 0" "$?" 0
expect_match "good batch: says it turned ip_forward on after the commit" "$out" 'ip_forward turned on \(it was 0\)'
expect_eq "good batch: ip_forward 1" "$(fwd)" 1

nsx "$ns" sysctl -qw net.ipv4.ip_forward=0
out=$(nat -c 'sysctl net.ipv4.ip_forward 1')
expect_eq "a batch of only a sysctl line: exit 0" "$?" 0
expect_eq "a batch of only a sysctl line: written at its end" "$(fwd)" 1

nsx "$ns" sysctl -qw net.ipv4.ip_forward=0
out=$(nat -c 'begin
sysctl net.ipv4.ip_forward=1
abort')
expect_eq "begin; sysctl; abort: ip_forward still 0" "$(fwd)" 0

nsh_done

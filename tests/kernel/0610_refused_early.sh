#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What is always a mistake is refused before anything is sent (issue 14,
# items 9 and 10): port 0 alone in a match or a translation, a second
# counter, a sysctl switch set to 2, a rule longer than the kernel's 128
# expressions -- each with a message naming what and where, exit 1, and the
# ruleset and the sysctls unchanged.  What nft reads as an address stays an
# address (dnat ip6 to 2001:db8::1:80), as nft lists it.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new early)
tmp=$(mktemp -d /tmp/natsh-0610.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT

run() {
	nsx "$ns" timeout 30 "$NATSH" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}
ruleset() { nsx "$ns" nft list ruleset; }
refused() {	# refused NAME MESSAGE-ERE ARGS...
	local name=$1 re=$2; shift 2
	run "$@"
	expect_eq "$name: exit 1" "$rc" 1
	expect_match "$name: message" "$(head -1 "$tmp/err")" "$re"
	expect_eq "$name: ruleset unchanged" "$(ruleset)" "$before"
}

run -c 'add postrouting oifname "keep" masquerade'
before=$(ruleset)

refused "tcp dport 0" '^natsh: -c:1:66: error: port 0 is reserved: no TCP or UDP connection uses it' \
	-c 'add postrouting oifname "x" masquerade; add prerouting tcp dport 0 accept'
refused "a set with port 0" 'port 0 is reserved' -c 'add prerouting udp dport { 53, 0 } accept'
refused "redirect to :0" 'port 0 is reserved: no TCP or UDP connection uses it, so nothing would be translated to it' \
	-c 'add prerouting tcp dport 80 redirect to :0'
refused "dnat to ADDR:0" 'port 0 is reserved' -c 'add prerouting tcp dport 80 dnat ip to 192.0.2.1:0'
refused "counter counter" '^natsh: -c:1:25: error: a second counter: a rule takes one' \
	-c 'add postrouting counter counter masquerade'
run --check -c 'add prerouting tcp dport 0-1023 accept; add prerouting tcp dport 80 dnat ip to 192.0.2.1:0-10'
expect_eq "ranges from 0 are fine" "$rc" 0

# sysctl switches take 0 or 1, rp_filter 0-2; checked before the rules go
fwd=$(nsx "$ns" sysctl -n net.ipv4.ip_forward)
refused "ip_forward 2 in a batch" 'invalid value "2" for net.ipv4.ip_forward: it takes 0 \(off\) or 1 \(on\)' \
	-c 'add postrouting oifname "y" masquerade; sysctl net.ipv4.ip_forward 2'
expect_eq "ip_forward 2: sysctl unchanged" "$(nsx "$ns" sysctl -n net.ipv4.ip_forward)" "$fwd"
refused "ip_forward 2 alone" 'it takes 0 \(off\) or 1 \(on\)' sysctl -w net.ipv4.ip_forward=2
refused "rp_filter 3" 'invalid value "3" for net.ipv4.conf.lo.rp_filter: it takes a number from 0 to 2' \
	sysctl net.ipv4.conf.lo.rp_filter 3
run sysctl net.ipv4.conf.lo.rp_filter 2
expect_eq "rp_filter 2 is taken" "$rc" 0
expect_eq "rp_filter 2 is set" "$(nsx "$ns" sysctl -n net.ipv4.conf.lo.rp_filter)" 2

# the kernel's bound on one rule: 128 expressions; said, with the limit
long() { local i; for i in $(seq 1 "$1"); do printf 'meta mark 0x%x ' "$i"; done; }
refused "300 matches" '^natsh: -c:1:17: error: the rule is too long: the kernel takes at most 128 expressions in one rule' \
	-c "add postrouting $(long 300)accept"
refused "5000 matches" 'the rule is too long' -c "add postrouting $(long 5000)accept"
# 63 marks (126 expressions) + counter + accept = 128: the kernel takes it, and so does natsh
run -c "add postrouting $(long 63)accept"
expect_eq "128 expressions: taken" "$rc" 0
before=$(ruleset)
refused "130 expressions" 'the rule is too long' -c "add postrouting $(long 64)accept"
run -c 'flush postrouting; add postrouting oifname "keep" masquerade'
before=$(ruleset)

# an unbracketed IPv6 address is an address, as nft reads it; [ADDR]:PORT has a port
run -c 'add prerouting tcp dport 80 dnat ip6 to 2001:db8::1:80; add prerouting tcp dport 81 dnat ip6 to [2001:db8::1]:80'
expect_eq "IPv6 targets: exit 0" "$rc" 0
expect_match "2001:db8::1:80 is the address, as nft lists it" "$(ruleset)" 'tcp dport 80 counter packets 0 bytes 0 dnat ip6 to 2001:db8::1:80'
expect_match "[2001:db8::1]:80 has a port" "$(ruleset)" 'tcp dport 81 counter packets 0 bytes 0 dnat ip6 to \[2001:db8::1\]:80'

nsh_done

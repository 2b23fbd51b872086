#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `interfaces` and `sysctl` on the lab's router: links with their addresses
# and the default route (text and JSON); the NAT knobs listed, read and
# written in every form (KEY VALUE, KEY=VALUE, -w KEY=VALUE), --check
# writes nothing, keys outside net. and bad values are refused.  natsh's
# command line is a batch: its sysctl writes wait for the batch's commit.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/wizard_lib.bash"

nsh_lab_up
lab_exec router ip route add default via $LAB_INET4

out=$(wiz_natsh interfaces)
expect_eq "interfaces exit 0" "$?" 0
expect_match "eth0 with its addresses and the default route" "$out" 'eth0 +up +veth +198\.51\.100\.1/24 2001:db8:ffff::1/64.* +default route via 198\.51\.100\.100'
expect_match "eth1 with its addresses" "$out" 'eth1 +up +veth +192\.0\.2\.1/24 2001:db8:1::1/64'
json=$(wiz_natsh -j interfaces)
expect_eq "interfaces -j: names" "$(jq -r '.[].name' <<<"$json" | tr '\n' ' ')" "lo eth0 eth1 "
expect_eq "interfaces -j: eth1 IPv4" "$(jq -r '.[] | select(.name=="eth1") | .addresses[] | select(.family=="inet") | "\(.address)/\(.prefixlen)"' <<<"$json")" "192.0.2.1/24"
expect_eq "interfaces -j: default route" "$(jq -r '.[] | select(.default_routes | length > 0) | "\(.name) \(.default_routes[0].gateway)"' <<<"$json")" "eth0 198.51.100.100"
expect_eq "interfaces eth1 -j: one link" "$(wiz_natsh -j interfaces eth1 | jq -r 'length')" 1
out=$(wiz_natsh interfaces eth9)
expect_eq "unknown interface exit 1" "$?" 1
expect_match "unknown interface named" "$out" 'unknown interface "eth9"'

out=$(wiz_natsh sysctl)
expect_match "sysctl lists ip_forward" "$out" 'net\.ipv4\.ip_forward +0 +forward IPv4 packets'
expect_match "sysctl lists route_localnet of eth1" "$out" 'net\.ipv4\.conf\.eth1\.route_localnet +0'
json=$(wiz_natsh -j sysctl)
expect_eq "sysctl -j: ip_forward" "$(jq -r '.[] | select(.key=="net.ipv4.ip_forward") | .value' <<<"$json")" 0

expect_eq "sysctl KEY" "$(wiz_natsh sysctl net.ipv4.ip_forward)" "net.ipv4.ip_forward = 0"
expect_eq "sysctl KEY VALUE" "$(wiz_natsh sysctl net.ipv4.ip_forward 1)" "net.ipv4.ip_forward = 1 once the changes apply (it is 0)
net.ipv4.ip_forward turned on (it was 0)"
expect_eq "written" "$(lab_exec router sysctl -n net.ipv4.ip_forward)" 1
expect_eq "sysctl KEY=VALUE" "$(wiz_natsh sysctl net.ipv4.conf.eth1.route_localnet=1)" "net.ipv4.conf.eth1.route_localnet = 1 once the changes apply (it is 0)
net.ipv4.conf.eth1.route_localnet turned on (it was 0)"
expect_eq "sysctl -w KEY=VALUE in a batch: written at its commit" "$(wiz_natsh -c 'sysctl -w net.ipv4.ip_forward=0; sysctl net.ipv4.ip_forward')" \
"net.ipv4.ip_forward = 0 once the changes apply (it is 1)
net.ipv4.ip_forward = 1
net.ipv4.ip_forward turned 0 (it was 1)"
expect_eq "written" "$(lab_exec router sysctl -n net.ipv4.ip_forward)" 0
expect_eq "sysctl -j KEY" "$(wiz_natsh -j sysctl net.ipv4.conf.eth1.route_localnet | jq -c .)" '{"key":"net.ipv4.conf.eth1.route_localnet","value":"1"}'
expect_eq "sysctl -j KEY=VALUE" "$(wiz_natsh -j sysctl net.ipv4.ip_forward=1 | jq -c .)" '{"key":"net.ipv4.ip_forward","old":"0","value":"1","later":true}'
wiz_natsh --check sysctl net.ipv4.ip_forward=0 >/dev/null
expect_eq "--check writes nothing" "$(lab_exec router sysctl -n net.ipv4.ip_forward)" 1

out=$(wiz_natsh sysctl kernel.hostname=x); rc=$?
expect_eq "key outside net. refused" "$rc" 1
expect_match "and named" "$out" 'invalid sysctl key "kernel.hostname": natsh handles keys under net\. only'
out=$(wiz_natsh sysctl net.ipv4.no_such_knob); rc=$?
expect_eq "unknown key exit 1" "$rc" 1
expect_match "unknown key named" "$out" 'unknown sysctl key "net\.ipv4\.no_such_knob"'
out=$(wiz_natsh sysctl net.ipv4.ip_forward yes); rc=$?
expect_eq "bad value exit 1" "$rc" 1
expect_match "bad value named" "$out" 'invalid value "yes" for net\.ipv4\.ip_forward: it takes 0 \(off\) or 1 \(on\)'
out=$(wiz_natsh -c 'begin
sysctl net.ipv4.ip_forward=1
commit'); rc=$?
expect_eq "begin; sysctl; commit: exit 0" "$rc" 0
expect_match "begin; sysctl; commit: written at the commit" "$out" 'ip_forward = 1 once the changes apply'
# what the kernel would refuse at the commit is refused before anything is sent
out=$(wiz_natsh sysctl net.netfilter.nf_conntrack_tcp_timeout_established 99999999999999999999); rc=$?
expect_eq "a number the kernel cannot hold: exit 1" "$rc" 1
expect_match "a number the kernel cannot hold: named before the commit" "$out" \
	'invalid value "99999999999999999999" for net\.netfilter\.nf_conntrack_tcp_timeout_established: 99999999999999999999 is out of range'
out=$(wiz_natsh sysctl net.ipv4.ip_local_port_range "40000 30000"); rc=$?
expect_match "a port range upside down: named" "$out" 'it takes LOW HIGH, two ports from 1 to 65535 with LOW <= HIGH'
out=$(wiz_natsh sysctl net.netfilter.nf_conntrack_count 5); rc=$?
expect_match "a read-only key: named" "$out" 'net\.netfilter\.nf_conntrack_count is read-only'
out=$(wiz_natsh sysctl net.ipv4/../../kernel.x 1); rc=$?
expect_eq "path tricks refused" "$rc" 1
out=$(wiz_natsh sysctl -w net.ipv4.ip_forward); rc=$?
expect_match "-w without =" "$out" 'expected KEY=VALUE after -w'
expect_eq "ip_forward untouched by the refusals" "$(lab_exec router sysctl -n net.ipv4.ip_forward)" 1

nsh_done

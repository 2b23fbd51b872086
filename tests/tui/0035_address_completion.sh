#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Addresses complete in rules (issue 15): after `ip saddr`, `ip6 daddr` and
# `dnat to`, the router's own addresses, its subnets where a prefix may
# stand, its IPv4 neighbours, and (in the shell, after a listing) the
# backends NAT rules already send to; of the IP version the rule wants.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/tmux.sh"

ns=$(nsh_ns_new addrs)
nsh_tmux_init 0035
nsx "$ns" ip link add a0 type veth peer name a1 && nsx "$ns" ip link set a0 up &&
	nsx "$ns" ip link set a1 up && nsx "$ns" ip addr add 192.0.2.1/24 dev a0 &&
	nsx "$ns" ip addr add 2001:db8::1/64 dev a0 &&
	nsx "$ns" ip neigh add 192.0.2.77 lladdr 02:00:00:00:00:77 dev a0 || fail "interfaces"
nsx "$ns" timeout 30 "$NATSH" -c 'add prerouting tcp dport 80 dnat to 203.0.113.10' </dev/null ||
	fail "a rule with a backend"
comp() { nsx "$ns" "$NATSH" --complete "$1" | sort | tr '\n' ' ' | sed 's/ $//'; }

expect_eq "ip saddr 192.: own address, subnet, neighbour" "$(comp 'add prerouting ip saddr 192.')" \
	"192.0.2.0/24 192.0.2.1 192.0.2.77"
expect_eq "ip6 daddr 2: the IPv6 address and subnet only" "$(comp 'add prerouting ip6 daddr 2')" \
	"2001:db8::/64 2001:db8::1"
expect_eq "dnat ip to 1: addresses, no subnets" "$(comp 'add prerouting tcp dport 81 dnat ip to 1')" \
	"192.0.2.1 192.0.2.77"

tm new-session -d -s $S -x 160 -y 40 "env HOME=$tmp TERM=xterm $NATSH -n $ns; sleep 60"
wait_for 'inet natsh> $' || { fail "the shell starts"; nsh_done; exit; }
tm send-keys -t $S 'show prerouting' Enter
wait_for 'dnat ip to 203\.0\.113\.10' || fail "show lists the rule"
tm send-keys -t $S C-l 'add prerouting tcp dport 82 dnat to 203' Tab
wait_for 'dnat to 203\.0\.113\.10 *$' && ok "the shell: Tab offers the backend already used" ||
	{ fail "the shell: Tab offers the backend already used"; screen | tail -3 | sed 's/^/#   /'; }
nsh_done

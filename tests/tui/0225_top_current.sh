#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `top`'s NAT CONNECTIONS pane stays current (issue 15): a connection that
# opens and closes while top runs shows its TIME_WAIT state within a couple
# of refreshes (top follows conntrack's update events, not only new and
# destroy), its timeout counts down, and the header never counts more NAT
# entries than entries.  conntrack(8) is the oracle.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/tmux.sh"
export LANG=C.UTF-8

ns=$(nsh_ns_new topcur)
nsh_tmux_init 0225
trap 'tm kill-server 2>/dev/null; [ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"; nsh_cleanup' EXIT
nsx "$ns" nft 'add table ip t; add chain ip t o { type nat hook output priority -100; };
	add rule ip t o tcp dport 8080 counter dnat to 127.0.0.1:8081' || fail "ruleset loads"

tm new-session -d -s $S -x 150 -y 40 "env LANG=C.UTF-8 TERM=xterm $NATSH -n $ns top interval 1; sleep 60"
wait_for 'NAT CONNECTIONS' || { fail "top starts"; screen | sed 's/^/#   /'; nsh_done; exit; }
nsx "$ns" timeout 10 nc -l 127.0.0.1 8081 >/dev/null &
srv=$!
sleep 0.5
echo hi | nsx "$ns" timeout 3 nc -N 127.0.0.2 8080
expect_match "conntrack: the connection is in TIME_WAIT" "$(nsx "$ns" conntrack -L 2>/dev/null)" \
	'TIME_WAIT src=127.0.0.1 dst=127.0.0.2 .*dport=8080'
wait_for 'TIME_WAIT +127\.0\.0\.1:[0-9]+ +→ 127\.0\.0\.2:8080' &&
	ok "top shows TIME_WAIT within the refreshes (not SYN_SENT until a re-read)" ||
	{ fail "top shows TIME_WAIT within the refreshes (not SYN_SENT until a re-read)"; screen | grep -A2 'NAT CONN' | sed 's/^/#   /'; }
t1=$(screen | grep -o 'TIME_WAIT .*timeout [0-9]*' | grep -o '[0-9]*$')
sleep 3
t2=$(screen | grep -o 'TIME_WAIT .*timeout [0-9]*' | grep -o '[0-9]*$')
if [ -n "$t1" ] && [ -n "$t2" ] && [ "$t2" -lt "$t1" ]; then
	ok "the timeout counts down between reads ($t1 -> $t2)"
else
	fail "the timeout counts down between reads ($t1 -> $t2)"
fi
kt=$(nsx "$ns" conntrack -L 2>/dev/null | awk '/TIME_WAIT/ && /dport=8080/ {print $3; exit}')
if [ -n "$kt" ] && [ -n "$t2" ] && [ $((t2 - kt)) -le 3 ] && [ $((kt - t2)) -le 3 ]; then
	ok "top's timeout is conntrack's within a refresh or two (top $t2, conntrack $kt)"
else
	fail "top's timeout is conntrack's within a refresh or two (top $t2, conntrack $kt)"
fi
hdr=$(screen | grep -o 'conntrack [0-9]* entries, [0-9]* NAT')
all=$(grep -o 'conntrack [0-9]*' <<<"$hdr" | grep -o '[0-9]*'); nat=$(grep -o '[0-9]* NAT' <<<"$hdr" | grep -o '[0-9]*')
[ -n "$all" ] && [ -n "$nat" ] && [ "$nat" -le "$all" ] && ok "header: $nat NAT of $all entries" ||
	fail "header: NAT within the entries ($hdr)"
tm send-keys -t $S q
nsh_done

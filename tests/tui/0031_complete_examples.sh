#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# natsh.1's examples typed into the real shell (tmux) with first letters and
# Tab only (words the user invents - a new wizard name, an address - typed
# in full): the screen then shows the whole example line.  Double Tab and
# '?' list the candidates with their descriptions and leave the line alone.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/tmux.sh"

command -v tmux >/dev/null || { fail "tmux is needed"; nsh_done; exit; }
ns=$(nsh_ns_new tabex)
nsh_tmux_init 0031

nsx "$ns" ip link add eth0 type veth peer name wan0 || exit 1
nsx "$ns" ip link add eth1 type veth peer name lan0 || exit 1
for l in eth0 eth1 wan0 lan0; do nsx "$ns" ip link set "$l" up; done
nsx "$ns" ip addr add 198.51.100.1/24 dev eth0
nsx "$ns" ip addr add 192.0.2.1/24 dev eth1
nsx "$ns" nft 'add table ip nat; add chain ip nat POSTROUTING { type nat hook postrouting priority srcnat; }'
"$NATSH" -n "$ns" -y -c 'wizard masquerade lan from 192.0.2.0/24 out eth0' >/dev/null 2>&1

last_line() { screen | sed '/^$/d' | tail -1; }

tm new-session -d -s $S -x 200 -y 50 "env HOME=$tmp TERM=xterm $NATSH -n $ns; sleep 60"
prompt="natsh($ns) inet natsh> "
if ! wait_for "natsh\\($ns\\) inet natsh> "; then
	fail "the shell starts"; screen | sed 's/^/#   /'; nsh_done; exit
fi

# type KEYS...: each argument sent as it is ("Tab" is the key), a pause after each Tab
type_keys() {
	local k
	for k in "$@"; do
		tm send-keys -t $S -- "$k"
		[ "$k" = Tab ] && sleep 0.3
	done
	sleep 0.3
}

# example WANT KEYS...: type the keys, the line must read WANT; then clear it
example() {
	local want=$1; shift
	tm send-keys -t $S C-l
	type_keys "$@"
	expect_eq "typed with Tab: $want" "$(last_line | sed 's/ *$//')" "$prompt$want"
	tm send-keys -t $S C-u
	sleep 0.2
}

example 'add prerouting iifname "eth0" tcp dport 8080 dnat to 192.0.2.10:80' \
	ad Tab pre Tab ii Tab '"e' Tab 0 Tab tc Tab dp Tab '8080 ' dn Tab t Tab 192.0.2.10:80
example 'add rule ip nat POSTROUTING oifname "eth0" masquerade' \
	ad Tab ru Tab 'ip ' n Tab P Tab oi Tab '"eth0" ' mas Tab
example 'insert prerouting 2 udp dport 53 dnat to 192.0.2.53' \
	ins Tab pre Tab '2 ' ud Tab dp Tab '53 ' dn Tab t Tab 192.0.2.53
example 'wizard masquerade lan from 192.0.2.0/24 out eth0' \
	wi Tab m Tab 'lan ' f Tab 192 Tab o Tab e Tab 0 Tab
example 'wizard forward dns tcp+udp 53 to 192.0.2.10 hairpin off' \
	wi Tab fo Tab 'dns ' tcp+ Tab '53 ' t Tab '192.0.2.10 ' ha Tab of Tab
example 'help show' he Tab sho Tab
# an iptables line (natsh.1, Editing): options and values from the translator's table
example 'iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 192.0.2.10:80' \
	ipt Tab -t Tab n Tab -A Tab PR Tab -p Tab tc Tab --dp Tab '8080 ' -j Tab DN Tab --to-d Tab 192.0.2.10:80

# double Tab lists the candidates with their descriptions, the line stays
tm send-keys -t $S C-l
type_keys 'wizard ' Tab Tab
if wait_for "masquerade +.*forward +"; then ok "double Tab lists the wizards"; else
	fail "double Tab lists the wizards"; screen | sed 's/^/#   /'; fi
expect_match "double Tab shows descriptions" "$(screen)" "forward +[a-z]+ "
expect_eq "double Tab leaves the line alone" "$(last_line | sed 's/ *$//')" "${prompt}wizard"
tm send-keys -t $S C-u

# '?' after a rule keyword: the interfaces (live) and what the value is
tm send-keys -t $S C-l
type_keys 'add prerouting iifname ' '?'
if wait_for "eth1 +interface"; then ok "'?' lists live interfaces with a description"; else
	fail "'?' lists live interfaces with a description"; screen | sed 's/^/#   /'; fi
expect_match "'?' says what the value is" "$(screen)" "an interface name"
expect_eq "'?' leaves the line alone" "$(last_line | sed 's/ *$//')" "${prompt}add prerouting iifname"
tm send-keys -t $S C-u

tm send-keys -t $S 'exit' Enter
nsh_done

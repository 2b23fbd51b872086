#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# save / load: natsh's table as an nft script that nft -f and natsh load
# both accept, round-tripping exactly (`nft list table inet natsh` the same)
# on the wizard set-ups and on 10,000 rules; load is one transaction (a bad
# line applies nothing, with FILE:LINE:COL); --check applies nothing; files
# are written atomically, mode 0644, never through a symlink; --sysctl.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new sl)
tmp=$(mktemp -d /tmp/natsh-0520.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
ip -n "$ns" link add wan0 type veth peer name wan1
ip -n "$ns" link add lan0 type veth peer name lan1
for i in wan0 wan1 lan0 lan1; do ip -n "$ns" link set "$i" up; done
ip -n "$ns" addr add 198.51.100.2/24 dev wan0
ip -n "$ns" addr add 192.0.2.1/24 dev lan0
ip -n "$ns" route add default via 198.51.100.1
N() { nsx "$ns" "$NATSH" "$@"; }
list() { nsx "$ns" nft list table inet natsh; }

# round trip: save, wipe, load; and save, wipe, nft -f
roundtrip() {
	local what=$1 want
	want=$(list)
	N save "$tmp/s.nft" >/dev/null || { fail "$what: save"; return; }
	nsx "$ns" nft delete table inet natsh
	N load "$tmp/s.nft" >/dev/null || { fail "$what: load"; return; }
	expect_eq "$what: save + load round-trips" "$(list)" "$want"
	nsx "$ns" nft delete table inet natsh
	nsx "$ns" nft -f "$tmp/s.nft" || fail "$what: nft -f loads the saved file"
	expect_eq "$what: save + nft -f round-trips" "$(list)" "$want"
	N load "$tmp/s.nft" >/dev/null
	expect_eq "$what: load over the same table replaces it" "$(list)" "$want"
}

N -y -c 'wizard masquerade lan from 192.0.2.0/24 out wan0' >/dev/null
roundtrip "wizard masquerade"
N -y -c 'wizard masquerade st from 192.0.2.0/24 out wan0 to 198.51.100.2' >/dev/null
N -y -c 'wizard forward web tcp 8080 to 192.0.2.10:80' >/dev/null
roundtrip "wizard forward"
N -y -c 'wizard forward lb tcp+udp 9000-9001 to 192.0.2.10 192.0.2.11 192.0.2.12' >/dev/null
N -c 'add postrouting nocounter oifname "wan0" ip saddr { 192.0.2.0/25, 192.0.2.200 } masquerade random comment "no counter, sets"' >/dev/null
roundtrip "wizard load balancing + a rule without counter"

expect_match "the saved file names the sysctls it relies on" "$(cat "$tmp/s.nft")" \
	'#   net.ipv4.ip_forward = 1'
expect_match "the saved file replaces the table when loaded" "$(cat "$tmp/s.nft")" \
	$'table inet natsh\ndelete table inet natsh\ntable inet natsh \\{'
expect_eq "the saved file is mode 0644" "$(stat -c %a "$tmp/s.nft")" "644"
N save --sysctl "$tmp/90-natsh.conf" >/dev/null
expect_match "save --sysctl writes a sysctl.d file" "$(cat "$tmp/90-natsh.conf")" \
	$'net.ipv4.ip_forward = 1\nnet.ipv4.conf.lan0.route_localnet = 1'
nsx "$ns" sysctl -q -w net.ipv4.ip_forward=0
nsx "$ns" sysctl -q -p "$tmp/90-natsh.conf"
expect_eq "sysctl -p applies the saved file" "$(nsx "$ns" sysctl -n net.ipv4.ip_forward)" "1"

# --iptables: iptables-restore input that iptables-nft-restore accepts; rules it cannot express are named
out=$(N save --iptables "$tmp/rules.v4" 2>&1)
expect_match "save --iptables names the rules it leaves out" "$out" 'left out: ip daddr: iptables takes one address or prefix'
expect_match "save --iptables writes iptables-restore input" "$(cat "$tmp/rules.v4")" \
	$'^\\*nat\n.*-A POSTROUTING .*-j MASQUERADE.*\nCOMMIT'
nsx "$ns" iptables-nft-restore --test "$tmp/rules.v4" && ok "iptables-nft-restore --test accepts it" || fail "iptables-nft-restore --test accepts it"

# symlinks are refused, the target untouched
echo keep > "$tmp/target"
ln -s "$tmp/target" "$tmp/link"
out=$(N save "$tmp/link" 2>&1); rc=$?
expect_eq "save through a symlink fails" "$rc" "1"
expect_match "save through a symlink says why" "$out" 'is a symbolic link'
expect_eq "the symlink's target is untouched" "$(cat "$tmp/target")" "keep"
ls "$tmp"/*.tmp >/dev/null 2>&1 && fail "no temporary file is left" || ok "no temporary file is left"

# a bad line: nothing applied, FILE:LINE:COL and a caret
want=$(list)
sed 's/dport 8080/dport 80x80/' "$tmp/s.nft" > "$tmp/bad.nft"
line=$(grep -n '80x80' "$tmp/bad.nft" | head -1 | cut -d: -f1)
out=$(N load "$tmp/bad.nft" 2>&1); rc=$?
expect_eq "load of a bad file fails" "$rc" "1"
expect_match "the error names file and line" "$out" "bad.nft:$line:[0-9]+: error: .*80x80"
expect_eq "a bad file applies nothing" "$(list)" "$want"
printf 'table ip nat {\n}\n' > "$tmp/other.nft"
expect_match "load refuses another table" "$(N load "$tmp/other.nft" 2>&1)" "other.nft:1:1: error: expected \"table inet natsh \\{\""

# --check: validated, nothing applied
nsx "$ns" nft flush chain inet natsh prerouting
want=$(list)
out=$(N load --check "$tmp/s.nft" 2>&1); rc=$?
expect_eq "load --check succeeds on a good file" "$rc" "0"
expect_match "load --check says nothing was applied" "$out" 'valid \(nothing applied\)'
expect_eq "load --check applies nothing" "$(list)" "$want"

# load under --confirm: applied, then rolled back to the exact previous table
ino=$(stat -L -c %i "/run/netns/$ns")
want=$(list)
N save "$tmp/before.nft" >/dev/null
sed 's/dport 8080/dport 8081/' "$tmp/s.nft" > "$tmp/next.nft"
out=$(N --confirm 2 load "$tmp/next.nft" 2>&1)
expect_match "load under --confirm arms the timer" "$out" 'rolls back in 2 s'
expect_match "load under --confirm applies at once" "$(list)" 'dport 8081'
for i in $(seq 1 50); do [ -e "/run/natsh/confirm-$ino.json" ] || break; sleep 0.1; done
sleep 2.5
expect_eq "an unconfirmed load rolls back to the exact previous table" "$(list)" "$want"
rm -f "/run/natsh/confirm-$ino.log"

# 10,000 rules
{
	echo 'table inet natsh {'
	echo ' chain prerouting { type nat hook prerouting priority dstnat; policy accept;'
	for i in $(seq 0 9999); do
		printf '  ip saddr 203.0.113.%d tcp dport %d counter dnat ip to 192.0.2.%d:%d\n' $((i % 250)) $((10000 + i)) $((i % 200 + 2)) $((i % 60000 + 1))
	done
	echo ' }'
	echo ' chain output { type nat hook output priority -100; policy accept; }'
	echo ' chain postrouting { type nat hook postrouting priority srcnat; policy accept; }'
	echo ' chain input { type nat hook input priority 100; policy accept; }'
	echo '}'
} > "$tmp/big.in"
nsx "$ns" nft delete table inet natsh
nsx "$ns" nft -f "$tmp/big.in"
t0=$(date +%s)
roundtrip "10,000 rules"
expect_eq "10,000 rules after the round trips" "$(list | grep -c 'dnat ip to')" "10000"
echo "# 10,000-rule round trips took $(( $(date +%s) - t0 )) s"

nsh_done

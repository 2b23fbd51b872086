#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `undo` restores the exact previous ruleset (`nft list ruleset`, byte for
# byte), several levels deep: undoing adds, inserts at positions, deletes,
# replaces and flushes (rules put back where they were, anonymous sets
# included), and the commit that created natsh's own table.  Undo is
# refused, with nothing changed, when someone else changed the ruleset.
source "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d /tmp/natsh-0130.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT

seed() {
	nsx "$1" nft -f - <<'NFT'
table inet natsh {
	chain prerouting { type nat hook prerouting priority dstnat; policy accept;
		tcp dport 22 counter accept
		iifname "eth0" tcp dport { 80, 443 } counter dnat ip to 192.0.2.10
		udp dport 53 counter dnat ip to 192.0.2.53 comment "dns"
	}
	chain output { type nat hook output priority -100; policy accept; }
	chain postrouting { type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" counter masquerade
		ip saddr 192.0.2.0/24 counter snat ip to 198.51.100.1
	}
	chain input { type nat hook input priority 100; policy accept; }
}
NFT
}

c1='add prerouting tcp dport 8080 dnat to 192.0.2.11:80
insert prerouting 2 tcp dport { 1000-1999, 3000 } dnat to 192.0.2.12
commit'
c2='delete prerouting 1
replace prerouting 3 udp dport 5353 dnat to 192.0.2.54 comment "mdns"
delete postrouting 2
commit'
c3='flush postrouting
add postrouting oifname "eth1" masquerade
insert prerouting tcp dport 2222 redirect to :22
commit'

# the state after each commit, from a separate run without undo
ref=$(nsh_ns_new ref)
seed "$ref"
nsx "$ref" nft list ruleset >"$tmp/s0"
for k in 1 2 3; do
	v=c$k
	printf '%s\n' "${!v}" | nsx "$ref" "$NATSH" -f - || fail "reference commit $k"
	nsx "$ref" nft list ruleset >"$tmp/s$k"
done
[ "$(cat "$tmp/s2")" != "$(cat "$tmp/s3")" ] && [ "$(cat "$tmp/s0")" != "$(cat "$tmp/s1")" ] ||
	fail "the commits change the ruleset"

for depth in 1 2 3; do
	ns=$(nsh_ns_new "u$depth")
	seed "$ns"
	{
		printf '%s\n%s\n%s\n' "$c1" "$c2" "$c3"
		for ((i = 0; i < depth; i++)); do echo undo; done
	} | nsx "$ns" "$NATSH" -f - 2>"$tmp/err"
	expect_eq "undo x$depth: exit 0" "$?" 0
	expect_eq "undo x$depth restores the ruleset of commit $((3 - depth)) byte for byte" \
		"$(nsx "$ns" nft list ruleset)" "$(cat "$tmp/s$((3 - depth))")"
done

# undo of the commit that created natsh's table removes the table
ns=$(nsh_ns_new fresh)
printf 'add prerouting tcp dport 1 accept\ncommit\nadd prerouting tcp dport 2 accept\ncommit\nundo\n' |
	nsx "$ns" "$NATSH" -f -
expect_eq "undo after two commits: first one's rule left" \
	"$(nsx "$ns" nft list chain inet natsh prerouting | grep -c dport)" 1
printf 'add prerouting tcp dport 3 accept\ncommit\nundo\n' | nsx "$ns" "$NATSH" -f -
expect_eq "undo of a plain add" "$(nsx "$ns" nft list chain inet natsh prerouting | grep -c dport)" 1
nsx "$ns" nft delete table inet natsh
out=$(printf 'add prerouting tcp dport 1 accept\ncommit\nundo\n' | nsx "$ns" "$NATSH" -f - 2>&1)
expect_match "undo removing the table: a batch needs -y" "$out" \
	'undo would remove table inet natsh with every rule in it: in a batch that needs -y'
nsx "$ns" nft delete table inet natsh
printf 'add prerouting tcp dport 1 accept\ncommit\nundo\n' | nsx "$ns" "$NATSH" -y -f - >"$tmp/out"
expect_match "undo says what it reverted" "$(cat "$tmp/out")" '^undone:
- table inet natsh \(with its chains and every rule in them\)$'
expect_eq "undo of the commit that created the table: empty ruleset" \
	"$(nsx "$ns" nft list ruleset)" ""

# undo of a wizard says what it reverted and puts its sysctls back
wz=$(nsh_ns_new wiz)
ip -n "$wz" link add lan0 type veth peer name lan1
ip -n "$wz" addr add 192.0.2.1/24 dev lan0
ip -n "$wz" link set lan0 up
nsx "$wz" "$NATSH" -c 'add postrouting oifname "keep" masquerade' >/dev/null
printf 'wizard forward web tcp 8080 to 192.0.2.10:80 wan lo lan lan0\ncommit\nundo\n' |
	nsx "$wz" "$NATSH" -y -f - >"$tmp/out" 2>&1
expect_match "undo of a wizard: lists the four rules it removed" "$(cat "$tmp/out")" 'undone:
chain inet natsh prerouting
- fib daddr type local tcp dport 8080 counter dnat ip to 192\.0\.2\.10:80 comment "wizard web: port forward \(dnat\)"
chain inet natsh output
- .*
chain inet natsh postrouting
- .*
- .*'
expect_match "undo of a wizard: names the sysctls put back" "$(cat "$tmp/out")" \
	'sysctl net\.ipv4\.ip_forward = 0 \(it was 1\)'
expect_eq "undo of a wizard: ip_forward is off again" "$(nsx "$wz" sysctl -n net.ipv4.ip_forward)" 0
expect_eq "undo of a wizard: route_localnet is off again" "$(nsx "$wz" sysctl -n net.ipv4.conf.lan0.route_localnet)" 0
expect_eq "undo of a wizard: only the first rule is left" "$(nsx "$wz" nft list ruleset | grep -c 'counter packets')" 1

# nothing to undo; and refused when someone else changed the ruleset
out=$(echo undo | nsx "$ns" "$NATSH" -f - 2>&1)
expect_match "nothing to undo" "$out" 'nothing to undo'
nsx "$ns" "$NATSH" -c 'add prerouting tcp dport 1 accept'
{
	printf 'add prerouting tcp dport 7 accept\ncommit\n'
	sleep 0.3
	nsx "$ns" nft add rule inet natsh prerouting tcp dport 77 accept
	echo undo
} | nsx "$ns" "$NATSH" -f - 2>"$tmp/err"
expect_eq "undo after a foreign change: exit 1" "$?" 1
expect_match "undo after a foreign change: refused, said" "$(cat "$tmp/err")" \
	'undo refused: the ruleset was changed by someone else since natsh.s last commit; nothing was changed'
expect_eq "undo after a foreign change: both rules stay" \
	"$(nsx "$ns" nft list chain inet natsh prerouting | grep -o 'dport [0-9]*' | tr '\n' ' ')" \
	"dport 1 dport 7 dport 77 "

nsh_done

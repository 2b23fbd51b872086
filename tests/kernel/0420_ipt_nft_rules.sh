#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Rules written by iptables-nft (xt matches and targets): natsh shows them as
# nft lists them (statistic, conntrack/state, multiport, addrtype, comment,
# NAT targets decoded from their info blobs; other matches by name), marks
# the table as iptables-nft's, deletes its rules (iptables-nft -S agrees),
# refuses to add native rules to it (add and iptables lines); `show` warns
# about iptables-legacy NAT rules beside nf_tables.
source "$(dirname "$0")/../lib.sh"

NS=$(nsh_ns_new xt)
ipt() { nsx $NS iptables-nft -t nat "$@"; }
nat() { nsx $NS "$NATSH" "$@" 2>&1; }
strip() { sed -E 's/ counter packets [0-9]+ bytes [0-9]+/ counter/; s/^\t+//'; }

ipt -A PREROUTING -p tcp --dport 8080 -m statistic --mode random --probability 0.5 -j DNAT --to-destination 192.0.2.10:80
ipt -A PREROUTING -m statistic --mode nth --every 3 --packet 1 -j RETURN
ipt -A PREROUTING -m conntrack --ctstate ESTABLISHED,NEW -j RETURN
ipt -A PREROUTING -m state ! --state NEW -j RETURN
ipt -A PREROUTING -p tcp -m multiport --dports 80,443:450 -j REDIRECT --to-ports 3128
ipt -A POSTROUTING -m addrtype --src-type LOCAL -o eth1 -m comment --comment "router access" -j MASQUERADE
ipt -A POSTROUTING -s 192.0.2.0/24 -o eth0 -j SNAT --to-source 198.51.100.1-198.51.100.4 --persistent
ipt -A PREROUTING -m recent --name x --rcheck -j RETURN
ipt -A PREROUTING -d 198.51.100.0/24 -j NETMAP --to 192.0.2.0/24
# matches iptables-nft writes as native expressions (issue 13): mark, port names, dotted
# masks, "-o +", -m tcp before -p tcp, a rule without a target
ipt -A POSTROUTING -m mark ! --mark 0x10 -o eth0 -j MASQUERADE
ipt -A POSTROUTING -p tcp --sport ssh:http -s 198.51.100.77/255.255.255.192 -j MASQUERADE
ipt -A POSTROUTING -o + -m tcp --dport https -p tcp -j MASQUERADE
ipt -A POSTROUTING -s 203.0.113.1

# natsh's rule text for each chain must be what nft lists (nft is the oracle)
for chain in PREROUTING POSTROUTING; do
	want=$(nsx $NS nft list chain ip nat $chain 2>/dev/null | strip | grep -vE '^(table|chain|type|\}|$)')
	got=$(nat -j show ip nat $chain | jq -r '.tables[0].chains[0].rules[] | .nft' | strip)
	expect_eq "$chain: natsh shows iptables-nft's rules as nft lists them" "$got" "$want"
done
out=$(nat show ip nat PREROUTING)
expect_match "an unknown xt match is shown by name, as nft lists it" "$out" 'xt match recent counter return'
expect_match "an unknown xt target is shown by name, as nft lists it" "$out" 'ip daddr 198.51.100.0/24 counter xt target NETMAP'
expect_match "the table is marked as iptables-nft's" "$out" 'written by iptables-nft'
expect_match "statistic random decoded" "$out" 'meta random & 2147483647 < 1073741824'
expect_match "statistic nth decoded" "$out" 'numgen inc mod 3 1 counter return'
expect_match "conntrack decoded" "$out" 'ct state new,established counter return'
expect_match "state decoded" "$out" 'ct state ! new counter return'
expect_eq "-j: rules carry iptables: true" "$(nat -j show ip nat PREROUTING | jq '[.tables[0].chains[0].rules[].iptables] | all')" true

# adding is refused, with the reason, for both spellings; nothing changes
before=$(nsx $NS nft list ruleset)
out=$(nat -c 'use ip nat; add PREROUTING tcp dport 1 accept'); rc=$?
expect_eq "add to an iptables-nft table: exit 1" $rc 1
expect_match "add: says why and what to do" "$out" 'holds rules written by iptables-nft.*use inet natsh'
out=$(nat -c 'use ip nat; iptables -t nat -A PREROUTING -p tcp --dport 1 -j ACCEPT'); rc=$?
expect_eq "iptables -A to an iptables-nft table: exit 1" $rc 1
expect_match "iptables -A: says why" "$out" 'holds rules written by iptables-nft'
expect_eq "refusals changed nothing" "$(nsx $NS nft list ruleset)" "$before"

# deleting works: by position, by handle, by iptables -D N
n0=$(ipt -S PREROUTING | grep -c '^-A')
out=$(nat -c 'use ip nat; delete PREROUTING 2')
expect_eq "delete PREROUTING 2 exit 0" "$?" 0
expect_eq "iptables-nft sees one rule less" "$(ipt -S PREROUTING | grep -c '^-A')" $((n0 - 1))
expect_eq "the nth rule went" "$(ipt -S PREROUTING | grep -c 'mode nth')" 0
out=$(nat -c 'use ip nat; iptables -t nat -D PREROUTING 1')
expect_eq "iptables -D PREROUTING 1 exit 0" "$?" 0
expect_eq "the statistic random rule went" "$(ipt -S PREROUTING | grep -c 'mode random')" 0
expect_eq "iptables-nft -S still reads the table" "$(ipt -S PREROUTING | grep -c '^-A')" $((n0 - 2))

# no legacy rules: no warning
out=$(nat show)
if grep -q 'iptables-legacy' <<<"$out"; then fail "no legacy warning without legacy rules"; else ok "no legacy warning without legacy rules"; fi
# iptables-legacy NAT rules beside nf_tables: show warns
nsx $NS iptables-legacy -t nat -A POSTROUTING -o eth0 -j MASQUERADE
out=$(nat show)
expect_match "show warns about iptables-legacy NAT rules" "$out" 'warning: iptables-legacy has NAT rules here too \(1 entries'
nsx $NS iptables-legacy -t nat -F
out=$(nat show)
if grep -q 'iptables-legacy has NAT rules' <<<"$out"; then fail "an empty legacy nat table: no warning"; else ok "an empty legacy nat table: no warning"; fi

nsh_done

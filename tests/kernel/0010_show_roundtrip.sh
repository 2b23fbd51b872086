#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `natsh show` prints every NAT rule exactly as `nft list ruleset` does: a
# broad table of rules (ip, ip6, inet; every construct of SPEC 5) is loaded
# with nft -f, some counters are moved by real traffic, then for every rule
# natsh -j show's "nft" text, handle, position, packets and bytes must equal
# nft -a list ruleset's, and natsh's human output must contain the rule text.
source "$(dirname "$0")/../lib.sh"

data=$NSH_TOP/tests/kernel/data/0010_nat_rules.nft
ns=$(nsh_ns_new show)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT

nsx "$ns" nft -f "$data" || { fail "nft -f loads the rule table"; nsh_done; exit 1; }
ok "nft -f loads the rule table"

# iptables-nft rules (xt targets and matches) in their own table "ip nat":
# nft shows them translated; natsh must show the same text.
ipt_ok=1
while read -r chain rest; do
	# shellcheck disable=SC2086
	nsx "$ns" iptables-nft -t nat -A "$chain" $rest || ipt_ok=0
done <<'EOF2'
POSTROUTING -s 192.0.2.0/24 -o eth0 -j MASQUERADE
POSTROUTING -o eth2 -p udp -j MASQUERADE --to-ports 1024-2048 --random-fully
POSTROUTING -o eth1 -p tcp -j SNAT --to-source 198.51.100.1-198.51.100.3:1000-2000 --random --persistent
PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.0.2.10:8080
PREROUTING -p tcp -m multiport --dports 22,23 -m comment --comment xt-comment -j REDIRECT --to-ports 2222
PREROUTING -p udp --dport 54 -j REDIRECT
PREROUTING -p tcp -m multiport --dports 22:25 -m addrtype --dst-type LOCAL -j DNAT --to-destination 192.0.2.2-192.0.2.4
PREROUTING -p udp -m multiport ! --sports 22,30:40,50 -m addrtype ! --src-type LOCAL,BROADCAST -j ACCEPT
OUTPUT -m addrtype --dst-type LOCAL -p tcp --dport 8080 -j DNAT --to-destination 127.0.0.1:80
EOF2
[ $ipt_ok = 1 ] && ok "iptables-nft adds its NAT rules" || fail "iptables-nft adds its NAT rules"

# Traffic inside the namespace only: new connections over lo go through the
# nat hooks (output, postrouting, prerouting, input).  Bounded and timed out.
nsx "$ns" ping -c 2 -i 0.2 -W 1 127.0.0.1 >/dev/null 2>&1
nsx "$ns" ping -6 -c 2 -i 0.2 -W 1 ::1 >/dev/null 2>&1
for port in 22 81 443 5000 8080 9000 60001; do
	nsx "$ns" timeout 2 nc -z -w 1 127.0.0.1 "$port" >/dev/null 2>&1
done
for port in 53 123 5353; do
	echo x | nsx "$ns" timeout 2 nc -u -w 1 127.0.0.1 "$port" >/dev/null 2>&1
done

# nft's view: one line per rule "family table chain position handle text".
nsh_nft_rule_lines "$ns" > "$tmp/nft.all"
# natsh shows only tables with a nat chain: keep those of nft's lines.
nsx "$ns" "$NATSH" -j show > "$tmp/show.json" 2> "$tmp/show.err"
rc=$?
expect_eq "natsh -j show exits 0" "$rc" "0"
expect_eq "natsh -j show prints nothing on stderr" "$(cat "$tmp/show.err")" ""

nsh_natsh_rule_lines "$tmp/show.json" > "$tmp/natsh.lines" 2> "$tmp/py.err"
expect_eq "JSON packets/bytes equal the counter in the rule text" "$(cat "$tmp/py.err")" ""

tables=$(cut -f1,2 "$tmp/natsh.lines" | sort -u)
grep -F -f <(printf '%s\n' "$tables" | sed 's/$/\t/') "$tmp/nft.all" > "$tmp/nft.lines"
n=$(wc -l < "$tmp/nft.lines")
[ "$n" -ge 60 ] && ok "at least 60 NAT rules compared ($n)" || fail "at least 60 NAT rules compared ($n)"
expect_eq "natsh -j show: text, handle, position of every rule equal nft's" \
	"$(cat "$tmp/natsh.lines")" "$(cat "$tmp/nft.lines")"
hits=$(grep -c 'counter packets [1-9]' "$tmp/nft.lines")
[ "$hits" -ge 3 ] && ok "traffic moved counters ($hits rules)" || fail "traffic moved counters ($hits rules)"
grep -q 'table ip filterme' "$data" && ! grep -q 'filterme' "$tmp/natsh.lines" &&
	ok "tables without a nat chain are not shown" || fail "tables without a nat chain are not shown"

# Human output: every rule's text (plain counter, comment in its own column).
nsx "$ns" "$NATSH" show > "$tmp/show.txt" 2>&1
expect_eq "natsh show exits 0" "$?" "0"
missing=0
while IFS=$'\t' read -r fam tab ch pos h text; do
	plain=$(printf '%s' "$text" | sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/g; s/ comment ".*"$//')
	if ! grep -qF -- "$plain" "$tmp/show.txt"; then
		missing=$((missing + 1))
		[ $missing -le 5 ] && echo "#   not in natsh show: $plain"
	fi
done < "$tmp/nft.lines"
expect_eq "natsh show contains every rule's text" "$missing" "0"
grep -q 'ssh from net' "$tmp/show.txt" && ok "comments are shown" || fail "comments are shown"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); t=[t for t in d["tables"] if t["name"]=="nat"]; sys.exit(0 if t and t[0]["iptables"] else 1)' "$tmp/show.json" &&
	ok "the iptables-nft table is flagged" || fail "the iptables-nft table is flagged"

# Unknown table / chain: an error naming it, exit status 1.
out=$(nsx "$ns" "$NATSH" show ip nosuchtable 2>&1); rc=$?
expect_eq "unknown table: exit 1" "$rc" "1"
[[ $out == *'unknown table "ip nosuchtable"'* ]] && ok "unknown table is named" ||
	fail "unknown table is named: $out"
out=$(nsx "$ns" "$NATSH" show ip nat4 nosuchchain 2>&1); rc=$?
expect_eq "unknown chain: exit 1" "$rc" "1"
[[ $out == *'unknown chain "nosuchchain"'* ]] && ok "unknown chain is named" ||
	fail "unknown chain is named: $out"
out=$(nsx "$ns" "$NATSH" -j show rule custom 2 2>&1)
[[ $out == *'"nft":"goto other"'* ]] && ok "show rule CHAIN N" || fail "show rule CHAIN N: $out"

# The ruleset changing during dumps: every show still succeeds (the dump is
# retried when the generation moves or the kernel flags it interrupted).
nsx "$ns" bash -c 'for i in $(seq 1 40); do
	nft add rule ip nat4 input tcp dport $((20000 + i)) counter || exit 1
	h=$(nft -a list chain ip nat4 input | sed -n "s/.* # handle //p" | tail -1)
	nft delete rule ip nat4 input handle "$h" || exit 1
done' >/dev/null 2>&1 &
churn=$!
bad=0
for i in $(seq 1 25); do
	nsx "$ns" "$NATSH" -j show >/dev/null 2>"$tmp/churn.err" || { bad=$((bad + 1)); head -2 "$tmp/churn.err"; }
done
wait "$churn"
expect_eq "show succeeds while the ruleset changes (25 runs)" "$bad" "0"

# The one place natsh does not print what nft prints: nft lists ">=" on
# one key and "<=" on another as a range of the second ("ip daddr A-B"),
# which is not what the rule does; natsh shows the rule.
nsx "$ns" nft add table ip quirk '{ chain c { type nat hook prerouting priority 10; }; }'
nsx "$ns" nft add rule ip quirk c ip saddr '>=' 192.0.2.10 ip daddr '<=' 192.0.2.20 counter
expect_match "nft lists it as a range of daddr" "$(nsx "$ns" nft list chain ip quirk c)" \
	'ip daddr 192\.0\.2\.10-192\.0\.2\.20 counter'
expect_match "natsh shows saddr >= and daddr <=" "$(nsx "$ns" "$NATSH" --no-color show ip quirk c)" \
	'ip saddr >= 192\.0\.2\.10 ip daddr <= 192\.0\.2\.20 counter'

# A comment written by another tool may hold control characters.  Piped,
# natsh writes its bytes as nft does; on a terminal it writes them as cat -v
# does, so that they cannot recolour the screen or move the cursor.
nsx "$ns" nft add rule ip quirk c counter comment "\"$(printf 'a\033[31mRED')\""
nsx "$ns" "$NATSH" --no-color show ip quirk c > "$tmp/pipe.txt"
grep -q "$(printf 'a\033\\[31mRED')" "$tmp/pipe.txt" && ok "piped: the comment's bytes as they are" ||
	fail "piped: the comment's bytes as they are"
nsh_tty 20 "ip netns exec $ns $NATSH show ip quirk c" > "$tmp/tty.txt"
grep -qF 'a^[[31mRED' "$tmp/tty.txt" && ! grep -q "$(printf '\033\\[31m')" "$tmp/tty.txt" &&
	ok "terminal: ESC shown as ^[, natsh's own colours kept" ||
	fail "terminal: ESC shown as ^[, natsh's own colours kept"
grep -q "$(printf '\033\\[0m')" "$tmp/tty.txt" && ok "terminal: natsh still colours" ||
	fail "terminal: natsh still colours"

nsh_done

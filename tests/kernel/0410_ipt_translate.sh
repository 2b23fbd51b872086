#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# iptables lines (data/ipt_translate.txt, each with the native rule natsh
# must make of it), cross-checked three ways: `translate` prints the
# expected rule; the lines run through natsh in one namespace list (nft list)
# exactly as iptables-translate's output loaded with nft in another; every
# line is valid iptables (iptables-nft accepts it in a third).  Then -D by
# rule and by number, -I N, -R, -F; bad lines are rejected naming the option
# under a caret at its column, and change nothing.
source "$(dirname "$0")/../lib.sh"

DATA=$NSH_TOP/tests/kernel/data/ipt_translate.txt
A=$(nsh_ns_new natsh)
B=$(nsh_ns_new nft)
C=$(nsh_ns_new iptnft)
D=$(nsh_ns_new odd)
TMP=$(mktemp -d); trap 'rm -rf "$TMP"; nsh_cleanup' EXIT

tables='table ip nat {
 chain PREROUTING { type nat hook prerouting priority dstnat; }
 chain INPUT { type nat hook input priority 100; }
 chain OUTPUT { type nat hook output priority -100; }
 chain POSTROUTING { type nat hook postrouting priority srcnat; }
}
table ip6 nat {
 chain PREROUTING { type nat hook prerouting priority dstnat; }
 chain INPUT { type nat hook input priority 100; }
 chain OUTPUT { type nat hook output priority -100; }
 chain POSTROUTING { type nat hook postrouting priority srcnat; }
}'
for ns in $A $B $D; do nsx $ns nft -f - <<<"$tables"; done

# The table: LINES[i], EXP[i], MARK[i] ("=>" or "~=>")
LINES=() EXP=() MARK=()
while IFS= read -r l; do
	case $l in '#'*|'') continue;; esac
	if [[ $l == *'=> '* && ( $l == '=> '* || $l == '~=> '* ) ]]; then
		MARK+=("${l%% *}"); EXP+=("${l#* }")
	else
		LINES+=("$l")
	fi
done <"$DATA"
n=${#LINES[@]}
expect_eq "the table has an expected rule for each of its lines" "${#EXP[@]}" "$n"
if [ "$n" -ge 80 ]; then ok "the table has $n iptables lines (>= 80)"; else fail "only $n lines"; fi

fam_of() { [[ $1 == ip6tables* ]] && echo ip6 || echo ip; }
strip() { sed -E 's/(^|[ \t])counter packets [0-9]+ bytes [0-9]+/\1counter/; s/^\t+//'; }

# 1. translate prints the expected rule (one natsh run, one line out per line in)
: >"$TMP/translate.nat"
for ((i = 0; i < n; i++)); do
	printf 'use %s nat\ntranslate %s\n' "$(fam_of "${LINES[i]}")" "${LINES[i]}" >>"$TMP/translate.nat"
done
nsx $A "$NATSH" -f "$TMP/translate.nat" >"$TMP/translate.out" 2>&1
expect_eq "translate: natsh -f exit 0" "$?" 0
mapfile -t GOT < <(sed -E 's/^(add|insert) [A-Z]+ //' "$TMP/translate.out")
bad=0
for ((i = 0; i < n; i++)); do
	if [ "${GOT[i]}" != "${EXP[i]}" ]; then
		bad=$((bad + 1)); echo "#   ${LINES[i]}"; echo "#     want ${EXP[i]}"; echo "#     got  ${GOT[i]}"
	fi
done
expect_eq "translate: every line gives its expected rule" "$bad" 0

# 2. natsh runs the lines (A); nft loads iptables-translate's output (B)
: >"$TMP/a.nat"; : >"$TMP/b.nft"; : >"$TMP/d.nat"
cross=0
for ((i = 0; i < n; i++)); do
	l=${LINES[i]} fam=$(fam_of "$l")
	if [ "${MARK[i]}" = '~=>' ] && [[ $l != *statistic* ]]; then
		printf 'use %s nat\n%s\n' "$fam" "$l" >>"$TMP/d.nat"	# not comparable: own check
		continue
	fi
	printf 'use %s nat\n%s\n' "$fam" "$l" >>"$TMP/a.nat"
	tool=iptables-translate; [ $fam = ip6 ] && tool=ip6tables-translate
	eval "$tool ${l#* }" | sed -E "s/^nft '//; s/'\$//" >>"$TMP/b.nft"
	cross=$((cross + 1))
done
nsx $A "$NATSH" -f "$TMP/a.nat" >"$TMP/a.out" 2>&1
expect_eq "natsh -f of the $cross cross-checked lines exit 0" "$?" 0
nsx $B nft -f "$TMP/b.nft"
expect_eq "nft -f of iptables-translate's $cross rules exit 0" "$?" 0
# natsh's "meta random < 2X" is iptables-translate's "meta random & 2147483647 < X"
norm_random() {
	awk '{
		if (match($0, /meta random (<|>=) [0-9]+/)) {
			split(substr($0, RSTART, RLENGTH), f, " ")
			$0 = substr($0, 1, RSTART - 1) "meta random & 2147483647 " f[3] " " (f[4] / 2) substr($0, RSTART + RLENGTH)
		}
		sub(/meta random <= 4294967295/, "meta random \\& 2147483647 < 2147483648")
		print
	}'
}
for fam in ip ip6; do
	la=$(nsx $A nft list table $fam nat | strip | norm_random)
	lb=$(nsx $B nft list table $fam nat | strip)
	expect_eq "table $fam nat: natsh's rules list as iptables-translate's do" "$la" "$lb"
done
# every expected rule is listed by nft as natsh shows it (nft is the oracle)
listed=$(nsx $A nft list ruleset | strip)
bad=0
for ((i = 0; i < n; i++)); do
	[ "${MARK[i]}" = '~=>' ] && [[ ${LINES[i]} != *statistic* ]] && continue
	grep -qxF -- "${EXP[i]}" <<<"$listed" || { bad=$((bad + 1)); echo "#   not listed: ${EXP[i]}"; }
done
expect_eq "nft lists every rule exactly as natsh translated it" "$bad" 0
# the lines iptables-translate writes otherwise: nft lists natsh's rule as expected
nsx $D "$NATSH" -f "$TMP/d.nat" >/dev/null 2>&1
expect_eq "natsh -f of the other lines exit 0" "$?" 0
listed=$(nsx $D nft list ruleset | strip)
for ((i = 0; i < n; i++)); do
	[ "${MARK[i]}" = '~=>' ] && [[ ${LINES[i]} != *statistic* ]] || continue
	expect_eq "nft lists: ${LINES[i]}" "$(grep -xF -- "${EXP[i]}" <<<"$listed")" "${EXP[i]}"
done

# 3. every line is valid iptables: iptables-nft accepts it (C)
bad=0
for ((i = 0; i < n; i++)); do
	l=${LINES[i]} tool=iptables-nft
	[[ $l == ip6tables* ]] && tool=ip6tables-nft
	eval "nsx $C $tool ${l#* }" 2>"$TMP/err" || { bad=$((bad + 1)); echo "#   iptables-nft refused: $l: $(cat "$TMP/err")"; }
done
expect_eq "iptables-nft accepts every line of the table" "$bad" 0

# 4. -D by rule spec and by number, -I N, -R N, -F: in natsh's own table
E=$(nsh_ns_new edit)
nat() { nsx $E "$NATSH" "$@" 2>&1; }
rules() { nsx $E nft list chain inet natsh "$1" | strip | grep -E 'dnat|snat|masquerade|redirect|return|accept' | grep -v 'type nat'; }
nat -c 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
iptables -t nat -A POSTROUTING -s 192.0.2.0/24 -o eth1 -j MASQUERADE
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE' >/dev/null
expect_eq "three rules appended" "$(rules postrouting | wc -l)" 3
out=$(nat -c 'iptables -t nat -D POSTROUTING -s 192.0.2.0/24 -o eth1 -j MASQUERADE')
expect_eq "-D RULE exit 0" "$?" 0
expect_eq "-D RULE deleted the rule that says the same" "$(rules postrouting)" \
'meta nfproto ipv4 oifname "eth0" counter masquerade
meta nfproto ipv4 oifname "eth0" counter masquerade'
out=$(nat -c 'iptables -t nat -D POSTROUTING -o eth2 -j MASQUERADE')
expect_eq "-D of a rule that is not there exit 1" "$?" 1
expect_match "-D: says no rule matches" "$out" 'no rule of postrouting says "meta nfproto ipv4 oifname "eth2" masquerade"'
# -D RULE sees what the same batch (or begin) staged before it
out=$(nat -c 'iptables -t nat -A POSTROUTING -o eth5 -j MASQUERADE
iptables -t nat -A POSTROUTING -o eth6 -j MASQUERADE
iptables -t nat -D POSTROUTING -o eth5 -j MASQUERADE')
expect_eq "-A then -D RULE in one batch: exit 0" "$?" 0
expect_eq "-D RULE deleted the rule staged before it, kept the other" "$(rules postrouting | grep -c 'eth5')/$(rules postrouting | grep -c 'eth6')" "0/1"
out=$(nat -c 'iptables -t nat -D POSTROUTING -o eth6 -j MASQUERADE
iptables -t nat -D POSTROUTING -o eth6 -j MASQUERADE')
expect_eq "-D RULE twice in one batch: exit 1 (the first took it)" "$?" 1
expect_match "-D RULE twice: the second finds no rule" "$out" '-c:2:.*no rule of postrouting says'
expect_eq "-D RULE twice: nothing applied" "$(rules postrouting | grep -c 'eth6')" 1
out=$(nat -c 'begin
iptables -t nat -A POSTROUTING -o eth7 -j MASQUERADE
iptables -t nat -D POSTROUTING -o eth6 -j MASQUERADE
iptables -t nat -D POSTROUTING -o eth7 -j MASQUERADE
commit')
expect_eq "begin; -A; -D RULE of a live and of the staged rule; commit: exit 0" "$?" 0
expect_eq "after the commit neither eth6 nor eth7 is there" "$(rules postrouting | grep -c 'eth[67]')" 0
expect_eq "and the two rules before them are untouched" "$(rules postrouting | wc -l)" 2
nat -c 'iptables -t nat -I POSTROUTING 2 -o eth3 -j MASQUERADE' >/dev/null
expect_eq "-I 2 puts it second" "$(rules postrouting | sed -n 2p)" 'meta nfproto ipv4 oifname "eth3" counter masquerade'
nat -c 'iptables -t nat -R POSTROUTING 2 -o eth4 -j MASQUERADE' >/dev/null
expect_eq "-R 2 replaces the second" "$(rules postrouting | sed -n 2p)" 'meta nfproto ipv4 oifname "eth4" counter masquerade'
nat -c 'iptables -t nat -D POSTROUTING 1' >/dev/null
expect_eq "-D 1 deletes the first" "$(rules postrouting | wc -l)" 2
out=$(nat -c 'iptables -t nat -D POSTROUTING 9')
expect_eq "-D 9 (no such rule) exit 1" "$?" 1
nat -c 'iptables -t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 3128' >/dev/null
nat -c 'iptables -t nat -F POSTROUTING' >/dev/null
expect_eq "-F POSTROUTING empties it" "$(rules postrouting | wc -l)" 0
expect_eq "-F POSTROUTING leaves prerouting" "$(rules prerouting | wc -l)" 1
nat -c 'iptables -t nat -F' >/dev/null
expect_eq "-F empties every chain" "$(rules prerouting | wc -l)" 0

# 5. bad lines: exit 1, the message names the option, the caret sits under it, nothing changes
bad_line() {
	local word=$1 want=$2 line=$3 before out rc col
	before=$(nsx $E nft list ruleset)
	out=$(nat -c "$line"); rc=$?
	col=${line%%"$word"*}; col=$(( ${#col} + 1 ))
	if [ $rc -eq 1 ] && grep -qF -- "$want" <<<"$out" && grep -qF -- "-c:1:$col: error:" <<<"$out" &&
	   [ "$before" == "$(nsx $E nft list ruleset)" ]; then
		ok "bad line: $want"
	else
		fail "bad line: $line (exit $rc, want 1, col $col, \"$want\")"; sed 's/^/#   /' <<<"$out" | head -4
	fi
}
bad_line filter 'for the nat table only' 'iptables -t filter -A INPUT -j ACCEPT'
# a quoted argument cannot carry a second statement into the translation
bad_line "'x accept'" 'blanks, quotes and braces are no part of one' "iptables -t nat -A PREROUTING -j 'x accept'"
bad_line "'192.0.2.1 accept'" 'blanks, quotes and braces are no part of one' \
	"iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination '192.0.2.1 accept'"
bad_line '"a\nb"' 'no control characters' 'iptables -t nat -A PREROUTING -m comment --comment "a\nb" -j ACCEPT'
bad_line recent 'match "recent" is not supported' 'iptables -t nat -A PREROUTING -p tcp --dport 80 -m recent -j ACCEPT'
bad_line --dport 'needs "-p tcp" or "-p udp"' 'iptables -t nat -A PREROUTING --dport 80 -j ACCEPT'
bad_line LOG 'target "LOG" is not supported' 'iptables -t nat -A PREROUTING -p tcp --dport 80 -j LOG'
bad_line 99999 'invalid port "99999"' 'iptables -t nat -A PREROUTING -p tcp --dport 99999 -j ACCEPT'
bad_line 192.0.2.0/33 'invalid prefix length "33"' 'iptables -t nat -A PREROUTING -s 192.0.2.0/33 -j ACCEPT'
bad_line example.com 'invalid IPv4 address "example.com"' 'iptables -t nat -A PREROUTING -s example.com -j ACCEPT'
bad_line DNAT 'needs --to-destination' 'iptables -t nat -A PREROUTING -j DNAT'
bad_line --foo 'unknown or unsupported iptables option "--foo"' 'iptables -t nat -A PREROUTING -p tcp --dport 80 --foo -j ACCEPT'
bad_line statistic 'statistic --mode nth needs --every N and --packet P' 'iptables -t nat -A PREROUTING -m statistic --mode nth --every 2 -j RETURN'
bad_line 7 '--packet 7 must be below --every 3' 'iptables -t nat -A PREROUTING -m statistic --mode nth --every 3 --packet 7 -j RETURN'
bad_line 1.5 'invalid probability "1.5"' 'iptables -t nat -A PREROUTING -m statistic --mode random --probability 1.5 -j RETURN'
bad_line LOCALE 'unknown address type' 'iptables -t nat -A PREROUTING -m addrtype --src-type LOCALE -j RETURN'
bad_line NEWER 'unknown conntrack state' 'iptables -t nat -A PREROUTING -m conntrack --ctstate NEWER -j RETURN'
bad_line --to-ports '--to-ports needs "-p tcp" or "-p udp"' 'iptables -t nat -A POSTROUTING -j MASQUERADE --to-ports 1000'
bad_line '!' '"!" must be followed by the option it negates' 'iptables -t nat -A PREROUTING -p tcp -j ACCEPT !'
# what waits for keys or a bitwise natsh's rules do not have yet: refused, naming the option
bad_line 0x1/0xff '-m mark --mark VALUE/MASK: not supported yet' 'iptables -t nat -A PREROUTING -m mark --mark 0x1/0xff -j ACCEPT'
bad_line 0x1/0xf0 '-m connmark --mark VALUE/MASK: not supported yet' 'iptables -t nat -A PREROUTING -m connmark ! --mark 0x1/0xf0 -j ACCEPT'
bad_line mac '-m mac --mac-source: not supported yet' 'iptables -t nat -A PREROUTING -m mac --mac-source 00:11:22:33:44:55 -j ACCEPT'
bad_line --syn '-p tcp --syn: not supported yet' 'iptables -t nat -A PREROUTING -p tcp --syn -j ACCEPT'
bad_line --tcp-flags '-p tcp --tcp-flags: not supported yet' 'iptables -t nat -A PREROUTING -p tcp --tcp-flags SYN,ACK SYN -j ACCEPT'
bad_line --tcp-option '-p tcp --tcp-option: not supported yet' 'iptables -t nat -A PREROUTING -p tcp ! --tcp-option 2 -j ACCEPT'
bad_line -f '-f: not supported yet' 'iptables -t nat -A PREROUTING -f -j ACCEPT'
for o in ctproto:tcp ctorigsrc:192.0.2.1 ctorigdst:192.0.2.1 ctreplsrc:192.0.2.1 ctrepldst:192.0.2.1 \
	 ctorigsrcport:80 ctorigdstport:80 ctreplsrcport:80 ctrepldstport:80 ctexpire:10:20; do
	bad_line "--${o%%:*}" "-m conntrack --${o%%:*}: not supported yet" \
		"iptables -t nat -A PREROUTING -m conntrack --${o%%:*} ${o#*:} -j ACCEPT"
done
bad_line --ports '-m multiport --ports: not supported yet' 'iptables -t nat -A PREROUTING -p tcp -m multiport --ports 80,443 -j ACCEPT'
bad_line 198.51.100.0/255.0.255.0 'netmask "255.0.255.0" is not contiguous: not supported yet' 'iptables -t nat -A PREROUTING -s 198.51.100.0/255.0.255.0 -j ACCEPT'
bad_line -i '"! -i +" matches no packet at all' 'iptables -t nat -A PREROUTING ! -i + -j ACCEPT'
bad_line --ctdir 'cannot be inverted' 'iptables -t nat -A PREROUTING -m conntrack ! --ctdir REPLY -j ACCEPT'
bad_line NONE 'never matches' 'iptables -t nat -A PREROUTING -m conntrack --ctstatus NONE -j ACCEPT'
bad_line nosuchservice 'invalid port "nosuchservice"' 'iptables -t nat -A PREROUTING -p tcp --dport nosuchservice -j ACCEPT'
bad_line tcp '-m tcp needs "-p tcp"' 'iptables -t nat -A PREROUTING -m tcp --dport 80 -j ACCEPT'
bad_line 192.0.2.1,192.0.2.2 'several addresses' 'iptables -t nat -A PREROUTING -s 192.0.2.1,192.0.2.2 -j RETURN'
bad_line -L 'iptables -L lists rules: in natsh that is `show`' 'iptables -t nat -L'
bad_line -S 'iptables -S prints the rules as commands: in natsh that is `save --iptables FILE`' 'iptables -t nat -S'
bad_line MASQUERADE 'masquerade' 'iptables -t nat -A PREROUTING -j MASQUERADE'
bad_line FOO 'FOO' 'iptables -t nat -A FOO -j RETURN'
bad_line 192.0.2.300 'got "192.0.2.300"' 'iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.0.2.300'
bad_line -m 'match name' 'iptables -t nat -A PREROUTING -j RETURN -m'
bad_line iptables 'needs a command' 'iptables -t nat -j RETURN'
bad_line --persistent '--persistent belongs to SNAT and DNAT' 'iptables -t nat -A POSTROUTING -j MASQUERADE --persistent'
bad_line DROP 'not valid in the nat table' 'iptables -t nat -A PREROUTING -j DROP'
bad_line iptables '"-t nat" is missing: without -t iptables writes to the filter table, and natsh manages NAT only' 'iptables -A POSTROUTING -o eth0 -j MASQUERADE'

nsh_done

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Write oracle: every rule of tests/kernel/data/write_oracle.txt (all of SPEC 5:
# prefixes, ranges, sets, negation, maps, numgen, fib, ct, nat flags, IPv4 and
# IPv6, ip/ip6/inet tables) is written by natsh's parser + encoder, and
# `nft list ruleset` must list each exactly as the data file says.  The
# expected texts are checked against nft itself too: nft given the expected
# text lists it unchanged (it is nft's canonical form).  When natsh has
# `add rule` and `show`, the rules go in through `natsh -c 'add rule ...'` and
# `natsh show` must print the same text; until then the test driver
# tests/kernel/tools/rule_load (nsh_rule_parse + nsh_rule_encode) writes them.
source "$(dirname "$0")/../lib.sh"

data=$NSH_TOP/tests/kernel/data/write_oracle.txt
loader=
for d in "$(dirname "$NATSH")" "$NSH_TOP/build-san" "$NSH_TOP/build"; do
	[ -x "$d/tests/tools/rule_load" ] && { loader=$d/tests/tools/rule_load; break; }
done
tmp=$(mktemp -d /tmp/natsh-0100.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
[ -n "$loader" ] || { fail "tests/tools/rule_load missing: run make kernel"; nsh_done; exit 1; }

setup='
table ip t {
	set aff { type ipv4_addr; flags dynamic,timeout; timeout 1h; }
	set s2 { type ipv4_addr . inet_service; flags dynamic,timeout; }
	set allowed { type ipv4_addr . inet_service; elements = { 192.0.2.1 . 22 }; }
	set nets { type ipv4_addr . ipv4_addr; flags interval; elements = { 192.0.2.0/24 . 198.51.100.1-198.51.100.9 }; }
	map svc { type ipv4_addr . inet_proto . inet_service : verdict; elements = { 192.0.2.1 . tcp . 80 : accept }; }
	map ports { type inet_service : verdict; elements = { 22 : accept }; }
	chain pre { type nat hook prerouting priority dstnat; }
	chain post { type nat hook postrouting priority srcnat; }
	chain out { type nat hook output priority -100; }
	chain inp { type nat hook input priority 100; }
	chain sub { }
	chain sub2 { }
}
table ip6 t {
	chain pre { type nat hook prerouting priority dstnat; }
	chain post { type nat hook postrouting priority srcnat; }
	chain out { type nat hook output priority -100; }
	chain inp { type nat hook input priority 100; }
	chain sub { }
}
table inet t {
	chain pre { type nat hook prerouting priority dstnat; }
	chain post { type nat hook postrouting priority srcnat; }
	chain out { type nat hook output priority -100; }
	chain inp { type nat hook input priority 100; }
	chain sub { }
}'
ns=$(nsh_ns_new wo)
ref=$(nsh_ns_new woref)
nsx "$ns" nft -f - <<<"$setup" || { fail "setup"; nsh_done; exit 1; }
nsx "$ref" nft -f - <<<"$setup" || { fail "setup (reference)"; nsh_done; exit 1; }

# split the data: fam chain input expected, one per file line
fams=() chains=() inputs=() expects=()
while IFS= read -r line; do
	case $line in ''|'#'*) continue;; esac
	read -r f c rest <<<"$line"
	in=${rest%% ⟶ *}
	ex=${rest#* ⟶ }
	fams+=("$f") chains+=("$c") inputs+=("$in") expects+=("$ex")
done <"$data"
n=${#inputs[@]}
[ "$n" -ge 150 ] && ok "oracle has $n rules (at least 150)" || fail "oracle has only $n rules"

# Does this natsh have `add rule`?  Try it on a scratch namespace.
scratch=$(nsh_ns_new woprobe)
nsx "$scratch" nft -f - <<<"$setup"
driver=rule_load
if nsx "$scratch" "$NATSH" -c 'add rule ip t sub nocounter return' >/dev/null 2>&1 &&
   [ "$(nsx "$scratch" nft list chain ip t sub | grep -c return)" = 1 ]; then
	driver=natsh
fi
echo "# writing through: $driver"

if [ $driver = natsh ]; then
	for ((i = 0; i < n; i++)); do
		nsx "$ns" "$NATSH" -c "add rule ${fams[i]} t ${chains[i]} ${inputs[i]}" \
			>"$tmp/out" 2>&1 || echo "line $((i + 1)): $(cat "$tmp/out")"
	done >"$tmp/load"
else
	for ((i = 0; i < n; i++)); do
		printf '%s t %s %s\n' "${fams[i]}" "${chains[i]}" "${inputs[i]}"
	done | nsx "$ns" timeout 120 "$loader" >"$tmp/load" 2>&1
	grep -v '^ok ' "$tmp/load" >"$tmp/load.err"
	mv "$tmp/load.err" "$tmp/load"
fi
expect_eq "all $n rules written without error" "$(cat "$tmp/load")" ""

# the rules of one namespace as "fam chain text" lines, counters left out
listing() {
	nsx "$1" nft list ruleset | awk '
		/^table [a-z0-9]+ t \{/ { fam = $2; next }
		/^\tchain [a-z0-9]+ \{/ { chain = $2; next }
		/^\t(set|map) / { chain = ""; next }
		/^\t\t/ && !/^\t\ttype / && chain != "" { sub(/^\t\t/, ""); print fam, chain, $0 }' |
		sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/'
}
listing "$ns" >"$tmp/got"
for ((i = 0; i < n; i++)); do
	printf '%s %s %s\n' "${fams[i]}" "${chains[i]}" "${expects[i]}"
done >"$tmp/want.unsorted"
# rules keep their order within a chain; chains are listed in setup order
for f in ip ip6 inet; do for c in pre post out inp sub; do
	grep -F -- "$f $c " "$tmp/want.unsorted" | awk -v f="$f" -v c="$c" '$1 == f && $2 == c'
done; done >"$tmp/want"

# one result line per rule
mapfile -t got <"$tmp/got"
mapfile -t want <"$tmp/want"
for ((i = 0; i < ${#want[@]}; i++)); do
	expect_eq "nft lists: ${want[i]}" "${got[i]:-<missing>}" "${want[i]}"
done
[ ${#got[@]} -eq ${#want[@]} ] && ok "rule count ${#got[@]}" ||
	fail "nft lists ${#got[@]} rules, want ${#want[@]}"

# the expected texts are nft's canonical form: nft writes them back unchanged
# (except a one-element set "{ 80 }", which nft's parser turns into "80")
grep -vE '\{ [^,{}]+ \}' "$tmp/want" >"$tmp/want.ref"
awk '{ fam = $1; chain = $2; $1 = ""; $2 = ""; sub(/^  /, ""); print "add rule " fam " t " chain " " $0 }' \
	"$tmp/want.ref" >"$tmp/ref.nft"
if nsx "$ref" nft -f "$tmp/ref.nft" 2>"$tmp/ref.err"; then
	listing "$ref" >"$tmp/refgot"
	expect_eq "nft keeps the $(wc -l <"$tmp/want.ref") expected texts as they are (canonical)" \
		"$(cat "$tmp/refgot")" "$(cat "$tmp/want.ref")"
else
	fail "nft refuses the expected texts: $(head -3 "$tmp/ref.err")"
fi

# natsh show prints the same text: `natsh -j show` carries nft's text per rule
if nsx "$ns" "$NATSH" -j show >"$tmp/show.json" 2>"$tmp/show.err"; then
	jq -r '.tables[] | select(.name == "t") | .family as $f | .chains[] | .name as $c |
		.rules[] | "\($f) \($c) \(.nft)"' "$tmp/show.json" |
		sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/' >"$tmp/show.lines"
	sort "$tmp/want" >"$tmp/want.sorted"
	sort "$tmp/show.lines" >"$tmp/show.sorted"
	expect_eq "natsh -j show prints every rule as nft lists it" \
		"$(diff "$tmp/want.sorted" "$tmp/show.sorted")" ""
	nsx "$ns" "$NATSH" show >"$tmp/show.txt" 2>&1
	missing=0
	for ((i = 0; i < ${#want[@]}; i++)); do
		text=${want[i]#* * }
		text=${text% comment \"*}
		grep -qF -- "$text" "$tmp/show.txt" || { missing=$((missing + 1)); echo "#   not in natsh show: $text"; }
	done
	expect_eq "natsh show (text) holds every rule's text" "$missing" 0
else
	fail "natsh -j show failed: $(head -3 "$tmp/show.err")"
fi

nsh_done

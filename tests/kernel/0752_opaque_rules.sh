#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Rules natsh does not understand are never shown as something they are not:
# nft loads constructs natsh does not decode (synproxy, osf, socket, meta
# hour, tcp option set, reject, vmaps, bitwise and payload writes...), and
#  - every rule of `natsh -j show` has nft's exact text ("nft" equals what
#    `nft -a list ruleset` prints for the same handle), opaque ones flagged,
#    with "raw" (natsh's own dump) and "rule" (nft's text less counter values
#    and comment);
#  - the human show prints nft's text and the mark "# not understood by natsh";
#  - without libnftables (a stand-in library without its symbols) the raw
#    text is shown, marked so, and -j gives "nft": null;
#  - delete and replace by handle (short and long forms) and by position
#    work on such rules;
#  - save writes nft's text of them under a mark (nft -f loads it back the
#    same) and refuses when nft's text could not be had;
#  - while another table changes without pause, what is shown is right or raw.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new op)
tmp=$(mktemp -d /tmp/natsh-0752.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
N() { nsx "$ns" "$NATSH" "$@"; }

# constructs that stay undecoded for a while (synproxy, osf, socket, meta
# hour, tcp option writes), and some natsh is being taught (vmaps, reject,
# bitwise and payload writes): whichever natsh decodes must still be exact
cat >"$tmp/rs.nft" <<'EOF'
table inet t {
	set s4 { type ipv4_addr; elements = { 192.0.2.1, 192.0.2.2 } }
	chain a { counter accept; }
	chain b { return; }
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 80 dnat ip to 192.0.2.1
		ct state vmap { established : accept, related : accept }
		meta mark set meta mark | 0x4000 counter
		ip dscp set lephb
		numgen random mod 2 vmap { 0 : goto a, 1 : goto b }
		meta l4proto tcp socket transparent 1 accept comment "tproxy # handle 1"
		osf name "Linux" counter accept
		meta hour "17:00"-"19:00" drop
		tcp flags syn tcp option maxseg size set 1360
		ip saddr @s4 counter accept comment "x"
	}
	chain in {
		type filter hook input priority 0;
		tcp dport 22 synproxy mss 1460 wscale 7 timestamp sack-perm
		reject with icmpx admin-prohibited
		tcp dport 23 reject with tcp reset
	}
}
table ip t4 {
	chain post {
		type nat hook postrouting priority srcnat;
		meta day "Monday" masquerade
		tcp flags syn tcp option maxseg size set rt mtu
		ct mark and 0x23 == 0x11 snat to 192.0.2.9
	}
}
table ip6 t6 {
	chain pre {
		type nat hook prerouting priority dstnat;
		ip6 dscp set cs1 counter
		meta cgroup 0 dnat to [2001:db8::1]
	}
}
table inet natsh {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 80 dnat ip to 192.0.2.1
		meta l4proto tcp socket transparent 1 accept comment "keep"
		osf name "Linux" counter dnat ip to 192.0.2.2
	}
}
EOF
nsx "$ns" nft -f "$tmp/rs.nft" || { fail "nft loads the ruleset"; nsh_done; exit; }

# nft's text of every rule: family table chain handle -> text
nft_lines() { nsh_nft_rule_lines "$ns" | awk -F'\t' '{ print $1 "\t" $2 "\t" $3 "\t" $5 "\t" $6 }' | sort; }
# natsh's, with the flags: family table chain handle opaque nft rule raw
natsh_lines() {
	python3 - "$1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for t in doc["tables"]:
    for c in t["chains"]:
        for r in c["rules"]:
            print("\t".join([t["family"], t["name"], c["name"], str(r["handle"]),
                             "opaque" if r["opaque"] else "-", str(r["nft"]), r["rule"],
                             r.get("raw", "-")]))
PY
}
N -j show >"$tmp/show.json" || fail "natsh -j show"
natsh_lines "$tmp/show.json" | sort >"$tmp/natsh.txt"
expect_eq "every rule of natsh -j show has nft's exact text" \
	"$(cut -f1-4,6 "$tmp/natsh.txt")" "$(nft_lines)"

# the constructs natsh does not decode today are flagged, each with its raw dump
for re in 'synproxy' 'osf name' 'socket transparent' 'meta hour' 'tcp option maxseg' \
	'meta day' 'rt mtu' 'meta cgroup'; do
	got=$(awk -F'\t' -v re="$re" 'index($6, re)' "$tmp/natsh.txt" | cut -f5 | sort -u)
	expect_eq "rules with \"$re\" are flagged opaque" "$got" "opaque"
done
nop=$(awk -F'\t' '$5 == "opaque"' "$tmp/natsh.txt" | wc -l)
[ "$nop" -ge 10 ] && ok "$nop opaque rules" || fail "only $nop opaque rules"
expect_eq "opaque rules carry natsh's raw dump, others none" \
	"$(awk -F'\t' '($5 == "opaque") != ($8 != "-")' "$tmp/natsh.txt")" ""
# "rule" is "nft" less counter values and comment, as for every rule
rule_want=$(cut -f6 "$tmp/natsh.txt" | sed -E 's/ counter packets [0-9]+ bytes [0-9]+/ counter/;
	s/^counter packets [0-9]+ bytes [0-9]+/counter/; s/ ?comment "[^"]*"$//')
expect_eq "\"rule\" is nft's text without counter values and comment" \
	"$(cut -f7 "$tmp/natsh.txt")" "$rule_want"

# the human show: nft's text, then the mark; understood rules carry none
N show >"$tmp/show.txt"
h=$(awk -F'\t' '$2 == "t" && index($6, "osf name")' "$tmp/natsh.txt" | cut -f4)
expect_match "show prints nft's text of an opaque rule with the mark" \
	"$(grep -E "^ +[0-9]+ +$h " "$tmp/show.txt")" \
	'osf name "Linux" counter accept  # not understood by natsh$'
h=$(awk -F'\t' '$2 == "t" && index($6, "socket transparent")' "$tmp/natsh.txt" | cut -f4)
expect_match "the comment column follows the mark" \
	"$(grep -E "^ +[0-9]+ +$h " "$tmp/show.txt")" \
	'socket transparent 1 accept  # not understood by natsh +tproxy # handle 1$'
n_mark=$(grep -c '# not understood by natsh$\|# not understood by natsh  ' "$tmp/show.txt")
expect_eq "one mark per opaque rule" "$n_mark" "$nop"
expect_eq "no raw expression is shown" "$(grep -c '\[ ' "$tmp/show.txt")" "0"

# without libnftables: a stand-in library of that name without its symbols
mkdir "$tmp/lib"
printf 'int nsh_not_libnftables;\n' >"$tmp/lib/stub.c"
if cc -shared -fPIC -o "$tmp/lib/libnftables.so.1" "$tmp/lib/stub.c" 2>/dev/null; then
	nsx "$ns" env LD_LIBRARY_PATH="$tmp/lib" "$NATSH" -j show >"$tmp/raw.json" ||
		fail "show -j without libnftables"
	raw=$(natsh_lines "$tmp/raw.json" | sort)
	expect_eq "without libnftables opaque rules have \"nft\": null" \
		"$(awk -F'\t' '$5 == "opaque" && $6 != "None"' <<<"$raw")" ""
	expect_eq "without libnftables understood rules keep nft's text" \
		"$(awk -F'\t' '$5 != "opaque"' <<<"$raw" | cut -f1-4,6)" \
		"$(awk -F'\t' '$5 != "opaque"' "$tmp/natsh.txt" | cut -f1-4,6)"
	nsx "$ns" env LD_LIBRARY_PATH="$tmp/lib" "$NATSH" show >"$tmp/raw.txt"
	expect_eq "without libnftables each opaque rule is marked raw" \
		"$(grep -c "# not understood by natsh (nft's text could not be read: raw expressions)" \
			"$tmp/raw.txt")" "$nop"
	out=$(nsx "$ns" env LD_LIBRARY_PATH="$tmp/lib" "$NATSH" save "$tmp/no.nft" 2>&1)
	rc=$?
	expect_eq "save refuses a table with raw opaque rules" "$rc" "1"
	expect_match "save says which rule" "$out" \
		'prerouting rule 2 \(handle [0-9]+\) is not understood by natsh and nft.s text of it could not be read: nothing saved'
	[ -e "$tmp/no.nft" ] && fail "save wrote a file" || ok "save wrote no file"
else
	fail "cannot build the stand-in library"
fi

# save: nft's text under a mark; nft -f loads it back the same
want=$(nsx "$ns" nft list table inet natsh)
out=$(N save "$tmp/s.nft" 2>&1) || fail "save with opaque rules"
expect_match "save warns about each opaque rule" "$out" \
	'warning: prerouting rule 3 \(handle [0-9]+\) is not understood by natsh: saved as nft lists it'
expect_match "the saved file marks the rule and holds nft's text" "$(cat "$tmp/s.nft")" \
	$'\t\t# not understood by natsh: as nft lists it [^\n]*\n\t\tosf name "Linux" counter dnat ip to 192.0.2.2\n'
nsx "$ns" nft delete table inet natsh
nsx "$ns" nft -f "$tmp/s.nft" || fail "nft -f loads the saved file"
expect_eq "save + nft -f round-trips" "$(nsx "$ns" nft list table inet natsh)" "$want"

# delete and replace: by handle (short and long forms) and by position
hdl() { nsh_nft_rule_lines "$ns" | awk -F'\t' -v t="$1" -v c="$2" -v re="$3" \
	'$2 == t && $3 == c && index($6, re) { print $5 }'; }
h=$(hdl natsh prerouting 'osf name')
N -c "delete prerouting handle $h" || fail "delete by handle"
expect_eq "delete prerouting handle H removes the opaque rule" "$(hdl natsh prerouting 'osf name')" ""
h=$(hdl natsh prerouting 'socket transparent')
N -c "replace prerouting handle $h tcp dport 81 dnat ip to 192.0.2.3" || fail "replace by handle"
expect_eq "replace prerouting handle H replaces the opaque rule" \
	"$(nsh_nft_rule_lines "$ns" | awk -F'\t' '$2 == "natsh" { print $4 " " $6 }')" \
	$'1 tcp dport 80 dnat ip to 192.0.2.1\n2 tcp dport 81 counter packets 0 bytes 0 dnat ip to 192.0.2.3'
h=$(hdl t pre 'meta hour')
N -c "replace rule inet t pre handle $h tcp dport 82 dnat ip to 192.0.2.4" ||
	fail "replace rule ... handle H"
expect_eq "replace rule FAMILY TABLE CHAIN handle H in another table" \
	"$(hdl t pre 'meta hour')|$(hdl t pre 'dnat ip to 192.0.2.4' | wc -l)" "|1"
h=$(hdl t in 'synproxy')
N -c "delete rule inet t in handle $h" || fail "delete rule ... handle H"
expect_eq "delete rule FAMILY TABLE CHAIN handle H" "$(hdl t in 'synproxy')" ""
printf 'use ip6 t6\ndelete pre 2\n' >"$tmp/del.nat"
N -f "$tmp/del.nat" >/dev/null || fail "delete by position"
expect_eq "delete CHAIN N removes an opaque rule" "$(hdl t6 pre 'meta cgroup')" ""

# another table changes without pause: every opaque text shown is nft's or none
nsx "$ns" nft add table inet busy
nsx "$ns" nft add chain inet busy c
(
	for i in $(seq 1 150); do
		nsx "$ns" nft add rule inet busy c counter 2>/dev/null
		nsx "$ns" nft flush chain inet busy c 2>/dev/null
	done
) &
busy=$!
nft_lines >"$tmp/now.txt"
bad=0 shown=0
for i in $(seq 1 10); do
	N -j show >"$tmp/busy.json" 2>/dev/null || continue
	shown=$((shown + 1))
	natsh_lines "$tmp/busy.json" | awk -F'\t' '$5 == "opaque" && $6 != "None"' |
		cut -f1-4,6 | sort >"$tmp/busy.txt"
	[ -z "$(comm -23 "$tmp/busy.txt" "$tmp/now.txt")" ] || bad=$((bad + 1))
done
kill "$busy" 2>/dev/null
wait "$busy" 2>/dev/null
[ "$shown" -gt 0 ] && ok "show succeeds while another table changes ($shown of 10)" ||
	fail "show never succeeded while another table changed"
expect_eq "no opaque rule shown with a text nft does not give it" "$bad" "0"

nsh_done

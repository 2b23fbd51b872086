#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every command in the command table is documented: listed by `help` with a
# summary, has `help CMD` with a usage line generated from its grammar, and
# has its own ".It ... Cm NAME" entry in natsh.1.
source "$(dirname "$0")/../lib.sh"

man=$NSH_TOP/natsh.1
cmds=$("$NATSH" -j help | tr '{' '\n' | sed -n 's/^"name":"\([^"]*\)".*/\1/p')
[ -n "$cmds" ] && ok "help -j lists commands" || fail "help -j lists commands"
for c in $cmds; do
	out=$("$NATSH" help "$c" 2>&1)
	if [[ $out =~ (^|$'\n')"usage: $c" ]]; then ok "help $c: usage"; else fail "help $c: usage"; printf '%s\n' "$out" | head -5 | sed 's/^/#   /'; fi
	sum=$("$NATSH" -j help | tr '{' '\n' | grep "^\"name\":\"$c\"" | sed -n 's/.*"summary":"\([^"]*\)".*/\1/p')
	[ -n "$sum" ] && ok "help lists $c with a summary" || fail "help lists $c with a summary"
	if grep -Eq "^\.It (.* )?Cm $c( |$)" "$man"; then ok "natsh.1 documents $c"; else fail "natsh.1 documents $c (no '.It ... Cm $c' entry)"; fi
done
# the man page's example error is what natsh prints for that line (line 3 of rules.nat)
ex=$(awk '/^natsh: rules\.nat:3:/{p=1} p&&/^\.Ed/{exit} p' "$man")
line=$(sed -n 2p <<<"$ex" | sed 's/^  //')
ns=$(nsh_ns_new docs)
tmp=$(mktemp -d /tmp/natsh-0022.XXXXXX)
printf '# rules\n\n%s\n' "$line" >"$tmp/rules.nat"
got=$(cd "$tmp" && nsx "$ns" "$NATSH" --no-color --check -f rules.nat 2>&1 </dev/null)
expect_eq "natsh.1's example error is what natsh prints" "$got" "$ex"
rm -rf "$tmp"

if command -v groff >/dev/null; then
	w=$(groff -mandoc -ww -z "$man" 2>&1)
	expect_eq "natsh.1 has no groff warnings" "$w" ""
fi

nsh_done

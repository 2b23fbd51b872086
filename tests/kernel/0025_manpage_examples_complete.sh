#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every word of every example command in natsh.1 can be produced by typing
# its first letter(s) and Tab: `natsh --complete` (what the shell's Tab and
# bash use) offers it.  A word the user invents (a new wizard NAME, an
# address, a port, a number, a file name, free text) cannot be completed
# from nothing: there completion must at least say what comes, with a
# placeholder whose value kind (enum nsh_vk, printed by --describe) is one
# of the free kinds below.  Which kinds are free is decided by the grammar,
# not by a list of words.
source "$(dirname "$0")/../lib.sh"

MAN=$NSH_TOP/natsh.1
FREE_KINDS=" STRING NUMBER ADDR ADDR_PORT PREFIX PORT FILE "

# ---- the examples: .Dl lines and .Bd -literal blocks of natsh.1 ----
# A block whose first line starts with "natsh:" or "natsh(" shows output
# (an error message, the prompt): it holds no command to type.  A leading
# "# " is the root prompt.  A -c string that goes on over several lines is
# joined.  Roff escapes become the characters they print.
examples() {
	awk '
	function unroff(s) {
		gsub(/\\\(dq/, "\"", s); gsub(/\\-/, "-", s); gsub(/\\&/, "", s)
		gsub(/\\e/, "\\", s)
		return s
	}
	function emit(s) {
		s = unroff(s); sub(/^# /, "", s); sub(/^[ \t]+/, "", s)
		if (pending != "") { s = pending " " s; pending = "" }
		# an open single quote: the line goes on
		q = s; n = gsub(/\x27/, "", q)
		if (n % 2) { pending = s; return }
		if (s != "") print s
	}
	/^\.Bd -literal/ { inblk = 1; first = 1; skip = 0; next }
	/^\.Ed/ { inblk = 0; next }
	inblk {
		if (first && ($0 ~ /^natsh[:(]/)) skip = 1
		first = 0
		if (!skip) emit($0)
		next
	}
	/^\.Dl / { emit(substr($0, 5)) }
	' "$MAN"
}

# The natsh command names (what `natsh --complete ""` offers first).
mapfile -t CMDS < <("$NATSH" --complete "" | grep -v '^-')
is_cmd() { local c; for c in "${CMDS[@]}"; do [ "$c" = "$1" ] && return 0; done; return 1; }

# ---- a lab-like namespace, set up with natsh where natsh can ----
ns=$(nsh_ns_new excomp)
nsx "$ns" ip link add eth0 type veth peer name wan0 || exit 1
nsx "$ns" ip link add eth1 type veth peer name lan0 || exit 1
for l in eth0 eth1 wan0 lan0; do nsx "$ns" ip link set "$l" up; done
nsx "$ns" ip addr add 198.51.100.1/24 dev eth0
nsx "$ns" ip addr add 192.0.2.1/24 dev eth1
# an iptables-style table for `add rule ip nat POSTROUTING ...` (natsh writes inet natsh
# only), with the chains and the rule handle (12) the examples name
{
	echo 'table ip nat {'
	echo ' chain PREROUTING { type nat hook prerouting priority dstnat;'
	for p in $(seq 1 10); do echo "  tcp dport $p accept"; done
	echo ' }'
	echo ' chain prerouting { type nat hook prerouting priority dstnat; }'
	echo ' chain POSTROUTING { type nat hook postrouting priority srcnat; }'
	echo '}'
} | nsx "$ns" nft -f - || exit 1
# natsh's table: three rules first (handles 5, 6, 7 after the four base chains), then the wizards
"$NATSH" -n "$ns" -y -c 'add prerouting tcp dport 1 accept; add prerouting tcp dport 2 accept;
	add prerouting tcp dport 3 accept;
	wizard masquerade lan from 192.0.2.0/24 out eth0;
	wizard forward web tcp 8080 to 192.0.2.10:80;
	wizard forward dns tcp+udp 53 to 192.0.2.10 hairpin off' >/dev/null 2>&1
ok "setup: wizards lan, web, dns exist" \
	test "$("$NATSH" -n "$ns" wizard list 2>/dev/null | grep -cE '^ *(lan|web|dns) ')" -ge 3

# candidates, described: WORD<tab>KIND<tab>HELP
desc() { "$NATSH" --complete --describe -n "$ns" "$@" 2>/dev/null; }

nex=0 nwords=0 ncompleted=0 nfree=0 nopts=0
declare -a failures=()

# check_words WORD...: each word from its first letter(s) and the words before it
check_words() {
	local -a w=("$@")
	local i word prefix cands hints kind
	for ((i = 0; i < ${#w[@]}; i++)); do
		word=${w[i]}
		prefix=${word:0:1}
		[ "$prefix" = '"' ] && prefix=${word:0:2}
		cands=$(desc "${w[@]:0:i}" "$prefix" | awk -F'\t' '$2 == "word" { print $1 }')
		nwords=$((nwords + 1))
		if [[ $word == ?*=* ]] && grep -qxF -- "${word%%=*}" <<<"$cands"; then
			# KEY=VALUE: the key completes; after "KEY=" a free value is hinted
			hints=$(desc "${w[@]:0:i}" "${word%%=*}=" | awk -F'\t' '$2 != "word" { print $2 }')
			if [[ $FREE_KINDS == *" $(head -1 <<<"$hints") "* ]]; then
				ncompleted=$((ncompleted + 1))
				continue
			fi
		fi
		if grep -qxF -- "$word" <<<"$cands"; then
			ncompleted=$((ncompleted + 1))
			continue
		fi
		# not offered: only a value the user invents may be missing
		hints=$(desc "${w[@]:0:i}" "" | awk -F'\t' '$2 != "word" && $2 != "END" { print $2 }' | sort -u)
		for kind in $hints; do
			if [[ $FREE_KINDS == *" $kind "* ]]; then
				nfree=$((nfree + 1)); echo "# free ($kind): $word"
				continue 2
			fi
		done
		failures+=("${w[*]:0:i} [$prefix<Tab>] -> not \"$word\" (offered: $(tr '\n' ' ' <<<"$cands")hints: $(tr '\n' ' ' <<<"$hints"))")
	done
}

# check_line LINE: a natsh command line, or `natsh [OPTIONS] [CMD ...]` as typed in
# a shell (long options complete; a -c string holds commands separated by ';').
# A '#' word starts a comment; it ends the words to check.
check_line() {
	local line=$1 o cstr c
	local -a words cw cmds
	line=${line%%# *}
	read -ra words <<<"$line"
	[ ${#words[@]} -gt 0 ] || return 0
	if [ "${words[0]}" = natsh ]; then
		words=("${words[@]:1}")
		cstr=
		while [ ${#words[@]} -gt 0 ] && [[ ${words[0]} == -* ]]; do
			o=${words[0]}
			if [[ $o == --* ]]; then
				nopts=$((nopts + 1)); nwords=$((nwords + 1))
				if "$NATSH" --complete "${o:0:3}" | grep -qxF -- "$o"; then
					ncompleted=$((ncompleted + 1))
				else
					failures+=("natsh ${o:0:3}<Tab> -> not $o")
				fi
			fi
			case $o in
			-c) cstr=${line#*-c }; words=(); break ;;
			-n|-f|--confirm|--netns|--file) words=("${words[@]:2}") ;;
			*) words=("${words[@]:1}") ;;
			esac
		done
		if [ -n "$cstr" ]; then
			cstr=${cstr#\'}; cstr=${cstr%\'}
			line=$cstr
		else
			line="${words[*]}"
		fi
	elif ! is_cmd "${words[0]%;}"; then
		echo "# skipped (not a natsh command): $line"
		return 0
	fi
	nex=$((nex + 1))
	IFS=';' read -ra cmds <<<"$line"
	for c in "${cmds[@]}"; do
		read -ra cw <<<"$c"
		[ ${#cw[@]} -gt 0 ] && check_words "${cw[@]}"
	done
	return 0
}

while IFS= read -r line; do
	check_line "$line"
done < <(examples)

for f in "${failures[@]}"; do echo "# gap: $f"; done
echo "# natsh.1: $nex examples, $nwords words: $ncompleted completed from their first letters," \
	"$nfree invented by the user (a hint of a free kind offered), ${#failures[@]} not"
ok "natsh.1 has examples to check" test "$nex" -ge 15
expect_eq "every word of every natsh.1 example completes (or is hinted)" "${#failures[@]}" 0

# The same for the examples `help CMD` prints (the commands' own example lists).
nex=0 nwords=0 ncompleted=0 nfree=0 failures=()
for c in "${CMDS[@]}"; do
	while IFS= read -r line; do
		check_line "$line"
	done < <("$NATSH" help "$c" | sed -n '/^Examples:/,/^$/p' | sed '1d;/^$/d;s/^ *//')
done
for f in "${failures[@]}"; do echo "# gap: $f"; done
echo "# help examples: $nex examples, $nwords words: $ncompleted completed from their first letters," \
	"$nfree invented by the user, ${#failures[@]} not"
ok "help has examples to check" test "$nex" -ge 30
expect_eq "every word of every help example completes (or is hinted)" "${#failures[@]}" 0
nsh_done

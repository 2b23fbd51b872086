#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The bash completion (completions/natsh.bash) asks natsh itself: check
# option names, namespace names after -n, file names after -f, command
# names, command arguments, and that `natsh --complete` agrees with the
# command table (every command of `help` is offered).
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new bashc)
tmp=$(mktemp -d /tmp/natsh-0021.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
mkdir -p "$tmp/dir"
touch "$tmp/dir/rules.nat" "$tmp/dir/rules.old"

# shellcheck source=../../completions/natsh.bash
source "$NSH_TOP/completions/natsh.bash"
expect_eq "complete -F registered" "$(complete -p natsh)" "complete -F _natsh natsh"

# complete WORDS...: what bash would offer for the last word, sorted.  Set up
# as bash does: COMP_LINE/COMP_POINT, and COMP_WORDS split at blanks and at
# ':' and '=' (a part of COMP_WORDBREAKS), the current word last.
comp() {
	local last=${!#} w
	COMP_LINE="$NATSH $*"
	COMP_POINT=${#COMP_LINE}
	COMP_WORDS=("$NATSH" "${@:1:$#-1}")
	w=${last##*[:=]}
	if [[ $last =~ [:=]+$ ]]; then w=${BASH_REMATCH[0]}; fi	# a run of breaks is one word
	COMP_WORDS+=("$w")
	COMP_CWORD=$#
	COMPREPLY=()
	_natsh
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

expect_eq "options" "$(comp --n)" "--netns --no-color"
expect_eq "long option" "$(comp --ver)" "--version"
expect_match "netns names after -n" "$(comp -n "nsh$NSH_ID-bas")" "^$ns$"
expect_match "netns names after --netns" "$(comp --netns "nsh$NSH_ID-b")" "^$ns$"
expect_eq "file names after -f" "$(comp -f "$tmp/dir/rules.")" "$tmp/dir/rules.nat $tmp/dir/rules.old"
expect_eq "command names" "$(comp hel)" "help"
expect_eq "ambiguous prefix offers each" "$(comp h)" "help history"
expect_eq "after options, command names" "$(comp -j -n "$ns" hi)" "history"
expect_eq "command arguments from the grammar" "$(comp history c)" "clear"
expect_eq "help COMMAND" "$(comp help hi)" "history"
expect_eq "nothing after a complete command" "$(comp exit "")" ""
expect_eq "nothing after -c" "$(comp -c "")" ""

# words with ':' stay one word for natsh; bash gets only the part after the ':'
nsx "$ns" ip link add v0 type veth peer name v1	# both ends in the test namespace
nsx "$ns" ip addr add 2001:db8:5::1/64 dev v0 nodad
nsx "$ns" ip link set v0 up
if "$NATSH" help wizard >/dev/null 2>&1; then
	expect_eq "IPv6 address after ':'" "$(comp -n "$ns" wizard masquerade lan out v0 to 2001:db8:5:)" "::1"
	expect_eq "IPv6 address, word so far" "$(comp -n "$ns" wizard masquerade lan out v0 to 2001:db8:5::)" "::1"
	expect_eq "IPv6 address, whole word" "$(comp -n "$ns" wizard masquerade lan out v0 to 200)" "2001:db8:5::1"
fi

# every command `help` lists is offered as the first word, and nothing else is
help_cmds=$("$NATSH" -j help | tr '{' '\n' | sed -n 's/^"name":"\([^"]*\)".*/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')
offered=$("$NATSH" --complete "" | grep -v '^-' | sort | tr '\n' ' ' | sed 's/ $//')
expect_eq "--complete offers exactly the commands of help" "$offered" "$help_cmds"
[ -n "$help_cmds" ] && ok "help lists commands" || fail "help lists commands"

nsh_done

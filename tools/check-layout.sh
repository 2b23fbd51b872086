#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The floor plan, checked (run by `make check`): includes point down only,
#   shell -> completions -> cmds (cmds/wizard) -> render
#         -> model/plan -> model/txn -> model/nl -> model/nft -> model/syntax -> model -> lib
# a folder may include its own headers and any folder below it, never one
# above.  Only model/nl talks to the kernel (libmnl sockets, socket(2)), only
# model/nl and model/nft read netlink attributes (libmnl), only model/nft
# knows libnftnl's expressions (NFTNL_EXPR_*), only model/nl/nftlib.c uses
# libnftables (nft_ctx_*, nft_run_cmd_*), and each folder's public
# header opens with a comment saying what lives there.
# Prints every violation as FILE:LINE: what; exit status 1 if there is one.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

# folder rank, highest first (a file may include a folder of equal or lower rank
# only when it is its own folder)
order=(shell completions cmds/wizard cmds render model/plan model/txn model/nl model/nft
	model/syntax model lib)
declare -A rank
for i in "${!order[@]}"; do rank[${order[$i]}]=$((${#order[@]} - i)); done
# each folder's public header
declare -A front=(
	[shell]=shell/shell.h [completions]=completions/complete.h [cmds]=cmds/cmd.h
	[cmds/wizard]=cmds/wizard/wizard_int.h [render]=render/out.h [model/plan]=model/plan/wizard.h
	[model/txn]=model/txn/txn.h [model/nl]=model/nl/nl.h [model/nft]=model/nft/from_nftnl.h
	[model/syntax]=model/syntax/rule_parse.h [model]=model/model.h [lib]=lib/util.h
)

bad=0
say() { echo "$1: $2"; bad=1; }

for dir in "${order[@]}"; do
	for f in "$dir"/*.[ch]; do
		[ -e "$f" ] || continue
		while IFS=: read -r ln inc; do
			inc=${inc#*\"}; inc=${inc%\"*}
			to=$(dirname "$inc")
			if [ -z "${rank[$to]:-}" ]; then
				say "$f:$ln" "includes \"$inc\" from no known folder"
			elif [ "$to" != "$dir" ] && [ "${rank[$to]}" -ge "${rank[$dir]}" ]; then
				say "$f:$ln" "$dir/ includes \"$inc\": $to/ is not below $dir/"
			fi
		done < <(grep -n '^#include "' "$f")
		case $dir in
		model/nl) ;;
		*)
			grep -n 'mnl_socket_\|mnl_cb_run\|\bsocket(AF_NETLINK' "$f" | while IFS=: read -r ln _; do
				echo "$f:$ln: a netlink socket outside model/nl/"
			done | grep . && bad=1
			;;
		esac
		# within model/nl, only sock.c owns sockets and receive loops
		case $f in
		model/nl/sock.c) ;;
		model/nl/*)
			grep -n 'mnl_socket_\|\brecv(\|\brecvfrom(\|\bsend(\|\bsendto(' "$f" |
				while IFS=: read -r ln _; do
					echo "$f:$ln: a socket call outside model/nl/sock.c (the one socket layer)"
				done | grep . && bad=1
			;;
		esac
		case $dir in
		model/nl | model/nft) ;;
		*) grep -n '#include <libmnl/' "$f" | while IFS=: read -r ln _; do
			echo "$f:$ln: libmnl outside model/nl/ and model/nft/"; done | grep . && bad=1 ;;
		esac
		# libnftables (nft's own library) only where nft's text of an opaque rule is read
		if [ "$f" != model/nl/nftlib.c ]; then
			grep -n 'nft_ctx_\|nft_run_cmd\|<nftables/libnftables\.h>' "$f" |
				while IFS=: read -r ln _; do
					echo "$f:$ln: libnftables outside model/nl/nftlib.c"
				done | grep . && bad=1
		fi
		if [ "$dir" != model/nft ]; then
			grep -n 'NFTNL_EXPR_' "$f" | while IFS=: read -r ln _; do
				echo "$f:$ln: NFTNL_EXPR_* outside model/nft/"; done | grep . && bad=1
		fi
	done
	h=${front[$dir]}
	if [ ! -f "$h" ]; then
		say "$dir" "no public header $h"
	elif ! sed -n '2,4p' "$h" | grep -q "^ \* $dir/:"; then
		say "$h" "the public header does not open with \" * $dir/: what lives here\""
	fi
done

# no source file outside the plan
while read -r f; do
	d=$(dirname "$f")
	[ -n "${rank[$d]:-}" ] || say "$f" "a source file outside the floor plan's folders"
done < <(find . -name '*.[ch]' -not -path './tests/*' -not -path './build*' -not -path './.git/*' |
	sed 's|^\./||')

[ $bad -eq 0 ] && echo "layout: includes point down; netlink only in model/nl/"
exit $bad

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every commit carries the generation id natsh read (NFNL_BATCH_GENID).
# Inside `begin`, when `nft` changes the table before `commit`, the commit
# is refused with a message saying so and what changed, and nothing natsh
# staged is applied.  Outside a transaction natsh re-reads and retries once
# when its change still applies (positions were resolved to rules, not
# numbers), and refuses when it no longer does.
source "$(dirname "$0")/../lib.sh"

ns=$(nsh_ns_new conc)
tmp=$(mktemp -d /tmp/natsh-0120.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT

nsx "$ns" "$NATSH" -c 'add prerouting tcp dport 1 accept; add prerouting tcp dport 2 accept' ||
	fail "setup"

# natsh reads commands from a pipe as they come: the producer changes the
# ruleset with nft between natsh's staging and its commit
feed() {
	local i
	for i in "$@"; do
		case $i in
		NFT:*) sleep 0.3; nsx "$ns" nft ${i#NFT:} || echo "nft failed: $i" >&2;;
		*) echo "$i";;
		esac
	done
}

# --- inside begin: refused, nothing applied
feed begin 'add prerouting tcp dport 3 accept' 'delete prerouting 1' \
	'NFT:add rule inet natsh prerouting tcp dport 99 accept' commit |
	nsx "$ns" "$NATSH" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_eq "begin + concurrent nft: commit fails (exit 1)" "$rc" 1
expect_match "the refusal says why and what changed, at the commit" "$(cat "$tmp/err")" \
	'^natsh: <stdin>:4:1: error: commit refused: the ruleset was changed by someone else since natsh read it \(generation [0-9]+, now [0-9]+\); chain prerouting: 1 rule added, 0 removed; nothing was applied'
expect_eq "nothing natsh staged was applied" \
	"$(nsx "$ns" nft list chain inet natsh prerouting | grep dport)" \
"		tcp dport 1 counter packets 0 bytes 0 accept
		tcp dport 2 counter packets 0 bytes 0 accept
		tcp dport 99 accept"

# a deletion by someone else is reported too
h=$(nsx "$ns" nft -a list chain inet natsh prerouting | awk '/dport 99 /{print $NF}')
feed begin 'insert prerouting 1 tcp dport 4 accept' \
	"NFT:delete rule inet natsh prerouting handle $h" commit |
	nsx "$ns" "$NATSH" >"$tmp/out" 2>"$tmp/err"
expect_match "a concurrent deletion is named" "$(cat "$tmp/err")" \
	'chain prerouting: 0 rules added, 1 removed; nothing was applied'
expect_eq "still nothing applied" \
	"$(nsx "$ns" nft list chain inet natsh prerouting | grep -c dport)" 2

# --- a batch (no begin): retried once, the change still applies
feed 'insert prerouting 2 tcp dport 5 accept' 'add prerouting tcp dport 6 accept' \
	'NFT:insert rule inet natsh prerouting tcp dport 98 accept' |
	nsx "$ns" "$NATSH" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_eq "retry: exit 0" "$rc" 0
expect_eq "retry: applied where it was meant (before the rule that was 2nd)" \
	"$(nsx "$ns" nft list chain inet natsh prerouting | grep -o 'dport [0-9]*' | tr '\n' ' ')" \
	"dport 98 dport 1 dport 5 dport 2 dport 6 "

# --- the rule a change refers to was deleted meanwhile: refused
h=$(nsx "$ns" nft -a list chain inet natsh prerouting | awk '/dport 1 /{print $NF}')
before=$(nsx "$ns" nft list ruleset)
feed 'delete prerouting 2' "NFT:delete rule inet natsh prerouting handle $h" |
	nsx "$ns" "$NATSH" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_eq "no longer applies: exit 1" "$rc" 1
expect_match "no longer applies: said, at the command" "$(cat "$tmp/err")" \
	'^natsh: <stdin>:1:1: error: the ruleset was changed by someone else meanwhile and this change no longer applies'
expect_eq "no longer applies: nothing else changed" "$(nsx "$ns" nft list ruleset)" \
	"$(printf '%s\n' "$before" | grep -v 'dport 1 ')"

nsh_done

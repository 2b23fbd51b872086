# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers shared by the wizard kernel tests (sourced after ../lib.sh).

# natsh on the lab's router: wiz_natsh ARGS... (stdout and stderr together)
wiz_natsh() { nsx "$(lab_ns router)" "$NATSH" "$@" 2>&1; }

# The router's ruleset without counter values (they change with traffic).
wiz_ruleset() { lab_exec router nft list ruleset | sed -E 's/ counter packets [0-9]+ bytes [0-9]+/ counter/'; }

# Packets counted by the router's rules whose comment is exactly C: one number per rule.
wiz_packets() {
	lab_exec router nft list table inet natsh 2>/dev/null |
		grep -F "comment \"$1\"" | sed -nE 's/.* counter packets ([0-9]+) bytes.*/\1/p'
}

# Every rule tagged "wizard NAME: ..." has counted at least one packet.
wiz_counters_nonzero() {
	local what=$1 name=$2 lines zero
	lines=$(lab_exec router nft list table inet natsh | grep -F "comment \"wizard $name: ")
	if [ -z "$lines" ]; then fail "$what: no rules of wizard $name"; return; fi
	zero=$(grep -E 'counter packets 0 bytes 0' <<<"$lines")
	if [ -z "$zero" ]; then ok "$what ($(wc -l <<<"$lines") rules)"; else
		fail "$what"; sed 's/^/#   zero: /' <<<"$zero"
	fi
}

# A bad wizard line fails with exit 1, names what is wrong, and changes nothing.
wiz_bad() {
	local what=$1 want=$2 before out rc after; shift 2
	before=$(wiz_ruleset; lab_exec router sysctl -n net.ipv4.ip_forward)
	out=$(wiz_natsh -y "$@"); rc=$?
	after=$(wiz_ruleset; lab_exec router sysctl -n net.ipv4.ip_forward)
	if [ $rc -eq 1 ] && grep -qF -- "$want" <<<"$out" && [ "$before" == "$after" ]; then
		ok "bad input: $what"
	else
		fail "bad input: $what (exit $rc, want 1 and \"$want\", ruleset $([ "$before" == "$after" ] && echo same || echo CHANGED))"
		sed 's/^/#   /' <<<"$out" | head -8
	fi
}

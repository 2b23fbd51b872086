#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `explain` and `trace` against the kernel (issue 17).  For each lab scenario
# (forward from the Internet, router access to 127.0.0.1 and to its WAN
# address, masquerade of a LAN host, hairpin from pc2 and from the backend
# itself, balancing) real traffic is traced: the rules trace names as
# translating the packet must be the ones explain predicts for the same
# connection, and the connection (as trace reads it, and as conntrack -L
# shows it) must be explain's final packet.  A disagreement fails.  Then:
# trace leaves no table behind after its end, Ctrl-C and SIGKILL; the text
# forms; bad inputs of both.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/wizard_lib.bash"

nsh_lab_up
export LAB_TIMEOUT=2
W=$LAB_WAN4
RNS=$(lab_ns router)
R() { nsx "$RNS" "$NATSH" --no-color "$@"; }
has_table() { lab_exec router nft list table inet natsh-trace >/dev/null 2>&1; }

wiz_natsh -y wizard forward web tcp 8080 to 192.0.2.10:80 >/dev/null
expect_eq "wizard forward exit 0" "$?" 0
wiz_natsh -y wizard forward lb tcp 8081 to 192.0.2.11:80 192.0.2.12:80 >/dev/null
expect_eq "wizard forward with two backends exit 0" "$?" 0
R -c 'add postrouting oifname "eth0" ip saddr 192.0.2.0/24 masquerade' >/dev/null
expect_eq "masquerade rule added" "$?" 0
# an iptables-nft filter table: trace follows packets through it too
lab_exec router iptables-nft -A FORWARD -p tcp --dport 80 -j ACCEPT
expect_eq "iptables-nft FORWARD rule added" "$?" 0

# trace_bg FILE ARGS...: natsh -j trace (TRACE_J= for text) in the background
# (TPID); returns once its table is there (at most 20 s: a loaded machine)
trace_bg() {
	local out=$1 i; shift
	case $RNS in nsh*) ;; *) return 1;; esac
	ip netns exec "$RNS" "$NATSH" --no-color ${TRACE_J--j} trace "$@" >"$out" 2>"$out.err" &
	TPID=$!
	for i in $(seq 200); do has_table && { sleep 0.3; return 0; }; sleep 0.1; done
	return 1
}
# wait for TPID at most 15 s; its exit status
trace_wait() {
	local i
	for i in $(seq 150); do kill -0 "$TPID" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$TPID" 2>/dev/null && { kill "$TPID"; fail "trace did not end"; }
	wait "$TPID"
}

# "nat handles" and the translated tuple of packet 1 of a trace -j file
trace_says() {
	python3 - "$1" <<'EOF'
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
if not lines:
    print("none"); sys.exit()
p = json.loads(lines[0])
nat = sorted(str(s["handle"]) for s in p["path"] if s.get("nat"))
ct = p["conntrack"][0] if p["conntrack"] else {}
t = ct.get("translated") or ct.get("original") or {}
print(",".join(nat) or "-", t.get("src"), t.get("dst"), t.get("dport"), p.get("src"), p.get("sport"))
EOF
}
# the same from explain -j: handles of its dnat and snat rules, its final packet
explain_says() {
	R -j explain tcp from "$1" to "$2" | python3 -c '
import json, sys
d = json.load(sys.stdin)
p = d["paths"]
hs = set()
for q in p:
    for k in ("dnat", "snat"):
        if q[k]:
            hs.add(str(q[k]["handle"]))
f = p[0]["final"] if p else {}
print(",".join(sorted(hs)) or "-", len(p), f.get("src"), f.get("dst"), f.get("dport"))'
}

# check NAME HOST FROM TO ADDR PORT [TRACE FILTER...]: trace HOST -> ADDR:PORT,
# compare with explain tcp from FROM to TO
check() {
	local name=$1 host=$2 from=$3 to=$4 addr=$5 port=$6 f t e n rc; shift 6
	f=$(mktemp)
	for try in 1 2; do
		trace_bg "$f" tcp to "$addr:$port" "$@" count 1 for 10 || fail "$name: trace started"
		lab_tcp "$host" "$addr" "$port" >/dev/null || fail "$name: traffic ($host -> $addr:$port)"
		trace_wait; rc=$?
		# seen twice in ~10 runs on a machine at load 9, never alone: the first
		# packet traced was the connection's ACK, not its SYN (cause not found)
		grep -q '"tcp_flags":"syn"' "$f" && break
		echo "# $name: try $try traced no SYN: $(head -c 300 "$f")"
	done
	expect_eq "$name: trace exit 0" "$rc" 0
	[ "$rc" = 0 ] || sed 's/^/#   /' "$f.err" | head -5
	read -r t tsrc tdst tdport psrc psport <<<"$(trace_says "$f")"
	read -r e n esrc edst edport <<<"$(explain_says "$from" "$to")"
	if [ "$t" != none ] && [ "$t" == "$e" ]; then
		ok "$name: trace and explain name the same NAT rules (handles $t)"
	else
		fail "$name: trace names NAT rules '$t', explain '$e'"; sed 's/^/#   /' "$f" | head -5
	fi
	# a balanced forward: explain gives one path per backend, conntrack shows one of them
	if [ "$n" = 1 ]; then
		expect_eq "$name: conntrack's translation is explain's final packet" \
			"$tsrc $tdst $tdport" "$esrc $edst $edport"
	else
		expect_match "$name: conntrack's translation is one of explain's $n targets" \
			"$tdst" '^192\.0\.2\.1[12]$'
		edst=$tdst
	fi
	# the oracle: conntrack(8)'s reply tuple is explain's final packet turned round
	ct=$(lab_exec router conntrack -L -p tcp --orig-src "$psrc" --orig-dst "$addr" \
		--orig-port-src "$psport" --orig-port-dst "$port" 2>/dev/null | head -1)
	expect_match "$name: conntrack -L shows explain's translation ($esrc -> $edst:$edport)" "$ct" \
		"dst=${addr//./\\.} .*dport=$port src=${edst//./\\.} dst=${esrc//./\\.} sport=$edport "
	has_table && fail "$name: the trace table is left behind" || ok "$name: no trace table left"
	rm -f "$f" "$f.err"
}
check "forward from the Internet" inet 198.51.100.100:40000 "$W:8080" "$W" 8080 in eth0
check "router access to 127.0.0.1" router router 127.0.0.1:8080 127.0.0.1 8080
check "router access to its WAN address" router router "$W:8080" "$W" 8080
check "masquerade of pc2" pc2 192.0.2.11:40001 198.51.100.100:80 198.51.100.100 80
check "hairpin from pc2" pc2 192.0.2.11:40002 "$W:8080" "$W" 8080
check "hairpin from the backend itself" pc1 192.0.2.10:40003 "$W:8080" "$W" 8080
check "balancing over two backends" inet 198.51.100.100:40004 "$W:8081" "$W" 8081

# the text form: the path and the NAT outcome in plain words
f=$(mktemp)
TRACE_J= trace_bg "$f" tcp to "$W:8080" count 1 for 10 || fail "text: trace started"
lab_tcp inet "$W" 8080 >/dev/null
trace_wait
txt=$(cat "$f" "$f.err")
expect_match "text: the packet" "$txt" "packet 1  tcp 198\\.51\\.100\\.100:[0-9]+ → ${W//./\\.}:8080 \\[syn\\]  in eth0"
expect_match "text: the dnat rule, translated" "$txt" \
	'prerouting +inet natsh prerouting rule 1 \(handle [0-9]+\): .*dnat ip to 192\.0\.2\.10:80.*⇒ accept \(translated\)'
expect_match "text: the iptables-nft table's rule, natsh's text of it" "$txt" \
	'forward +ip filter FORWARD rule 1 \(handle [0-9]+\): .*tcp dport 80 .*accept +⇒ accept'
expect_match "text: conntrack's outcome" "$txt" "conntrack +tcp .*→ ${W//./\\.}:8080 +⇒ 192\\.0\\.2\\.10:80"

txt=$(R explain tcp from 198.51.100.100:40000 to "$W:8080")
expect_match "explain text: names the rule that translates" "$txt" 'dnat by inet natsh prerouting rule 1'
expect_match "explain text: the translation, before and after" "$txt" "destination ${W//./\\.}:8080 ⇒ 192\\.0\\.2\\.10:80"
expect_match "explain: unknown interface" "$(R explain tcp from 198.51.100.100 to "$W:8080" in eth9 2>&1)" 'eth9'
expect_match "explain: bad address" "$(R explain tcp from 198.51.100.300 to "$W:8080" 2>&1)" '198\.51\.100\.300'
expect_match "explain: icmp with a port" "$(R explain icmp from 198.51.100.100 to "$W:8080" 2>&1)" 'port'
R explain tcp from 198.51.100.100 to "$W:99999" >/dev/null 2>&1
expect_eq "explain: bad port exits 1" "$?" 1

# Ctrl-C and SIGKILL: the table goes (by natsh, and by the kernel: flags owner)
trace_bg "$f" tcp to 203.0.113.99:9 for 30 || fail "trace for Ctrl-C started"
expect_match "the trace table is owned by natsh's socket" \
	"$(lab_exec router nft list table inet natsh-trace)" 'flags owner'
kill -INT "$TPID"; trace_wait; rc=$?
expect_eq "Ctrl-C: exit 0" "$rc" 0
has_table && fail "Ctrl-C: table left behind" || ok "Ctrl-C: no table left"
trace_bg "$f" tcp to 203.0.113.99:9 for 30 || fail "trace for SIGKILL started"
kill -KILL "$TPID"; wait "$TPID" 2>/dev/null
for i in $(seq 20); do has_table || break; sleep 0.1; done
has_table && fail "SIGKILL: table left behind" || ok "SIGKILL: the kernel removed the table"

# bad inputs
out=$(R trace tcp to 203.0.113.99:9 for 1 2>&1); rc=$?
expect_eq "a filter matching nothing: exit 0" "$rc" 0
expect_match "a filter matching nothing says so after its time" "$out" 'no packet matched in 1\.[0-9] s'
out=$(R trace tcp in eth9 for 1 2>&1); rc=$?
expect_eq "unknown interface: exit 1" "$rc" 1
expect_match "unknown interface named" "$out" 'unknown interface "eth9"'
trace_bg "$f" tcp to 203.0.113.99:9 for 30 || fail "first trace started"
out=$(R trace tcp to 203.0.113.98:9 for 1 2>&1); rc=$?
expect_eq "a second trace: exit 1" "$rc" 1
expect_match "a second trace: says another runs" "$out" 'another trace runs'
has_table && ok "a second trace leaves the first one's table" || fail "the first trace's table is gone"
kill -INT "$TPID"; trace_wait
out=$(R trace tcp to 203.0.113.98 for 1 from 192.0.2.300 2>&1); rc=$?
expect_eq "bad address: exit 1" "$rc" 1
expect_match "bad address named" "$out" '192\.0\.2\.300'
out=$(R trace to 203.0.113.98:80 for 1 2>&1)
expect_match "a port without tcp or udp" "$out" 'a port needs tcp or udp'
out=$(R -c 'trace tcp to 203.0.113.98' 2>&1)
expect_match "a trace in -c needs a bound" "$out" 'needs a bound'
has_table && fail "bad inputs left a table" || ok "bad inputs left no table"
rm -f "$f" "$f.err"
nsh_done

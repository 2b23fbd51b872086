#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/ansible: the example playbook, run by ansible-playbook -c local
# against the lab's router (natsh -n NS: natsh enters the router's network
# namespace itself; ansible, its files and the state directory stay outside).
# After the run nft shows the rules, inet reaches pc1 through the forward,
# the confirmation was given (no timer pending), persist wrote its file and
# the metrics file holds the rules.  A second run changes nothing (same
# handles); a batch that --check refuses fails the run and changes nothing.
source "$(dirname "$0")/../lib.sh"

command -v ansible-playbook >/dev/null || { echo "0830: ansible-playbook missing (make deps)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/natsh-0830.XXXXXX)
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT
nsh_lab_up
export LAB_TIMEOUT=2
R=$(lab_ns router)
W=$LAB_WAN4
lab_exec router ip route add default via $LAB_INET4
mkdir -p "$tmp/state" "$tmp/textfile" "$tmp/root"

# The inventory: one router, local connection, natsh inside its namespace.
inventory() {	# inventory PORT: the forward's public port
	cat <<EOF
routers:
  hosts:
    r1:
      ansible_connection: local
      ansible_python_interpreter: /usr/bin/python3
      natsh_cmd: "$NATSH -n $R"
      natsh_state_dir: "$tmp/state"
      natsh_textfile_dir: "$tmp/textfile"
      natsh_persist_root: "$tmp/root"
      natsh_prometheus_sd_file: "$tmp/targets.json"
      natsh_confirm_seconds: 30
      natsh_lan_subnet: 192.0.2.0/24
      natsh_wan_if: eth0
      natsh_forwards:
        - { name: web, proto: tcp, port: $1, to: "192.0.2.10:80" }
EOF
}
export ANSIBLE_HOME=$tmp/ansible ANSIBLE_LOCAL_TEMP=$tmp/ansible/tmp ANSIBLE_NOCOLOR=1 \
	ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_FORCE_COLOR=0 ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_PIPELINING=1
play() {
	inventory "$1" >"$tmp/inventory.yml"
	local t0=${EPOCHREALTIME/./}
	ansible-playbook -c local -i "$tmp/inventory.yml" "$NSH_TOP/contrib/ansible/site.yml" \
		>"$tmp/play.out" 2>&1
	local rc=$?
	echo "# ansible-playbook: $(( (${EPOCHREALTIME/./} - t0) / 1000 )) ms" >&2
	return $rc
}
# the table without its counters, with its handles
table() { nsx "$R" nft -a list table inet natsh | sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/'; }
recap() { grep -E '^r1 +:' "$tmp/play.out" | tr -s ' '; }

expect_rc "before: inet -> WAN:8080 fails" 1 lab_tcp inet $W 8080

# 1. the first run applies, checks, confirms, persists, writes metrics
play 8080; rc=$?
expect_eq "the playbook succeeds" "$rc" "0"
[ "$rc" = 0 ] || sed 's/^/#   /' "$tmp/play.out" | tail -40
expect_match "every step ran" "$(cat "$tmp/play.out")" \
	'TASK \[Check it.*TASK \[Apply it.*TASK \[The rules are there.*TASK \[Keep the change\].*changed: \[r1\].*TASK \[Make it survive a reboot'
rules=$(nsx "$R" nft list table inet natsh)
expect_match "nft: the masquerade rule" "$rules" 'oifname "eth0" ip saddr 192\.0\.2\.0/24 counter packets [0-9]+ bytes [0-9]+ masquerade comment "wizard lan: masquerade"'
expect_match "nft: the port forward" "$rules" 'tcp dport 8080 counter packets [0-9]+ bytes [0-9]+ dnat ip to 192\.0\.2\.10:80 comment "wizard web: port forward \(dnat\)"'
expect_match "inet -> WAN:8080 reaches pc1" "$(lab_tcp inet $W 8080)" '^pc1 saw 198\.51\.100\.100:[0-9]+$'
ino=$(stat -L -c %i "/run/netns/$R")
[ -e "/run/natsh/confirm-$ino.json" ] && fail "confirmed: no timer pending" || ok "confirmed: no timer pending"
expect_match "the timer log says confirmed" "$(tail -1 "/run/natsh/confirm-$ino.log" 2>&1)" 'confirmed'
expect_match "persist wrote the table under --root" "$(cat "$tmp/root/etc/natsh/natsh.nft" 2>&1)" 'dnat ip to 192\.0\.2\.10:80'
expect_eq "the applied batch is remembered" "$(cat "$tmp/state/fleet.natsh" 2>&1)" "$(cat "$tmp/state/fleet.natsh.next")"
expect_match "metrics for node_exporter, with the wizard group" "$(cat "$tmp/textfile/natsh.prom" 2>&1)" \
	'natsh_rule_packets_total\{family="inet",table="natsh",chain="prerouting",[^}]*group="web"\} [0-9]+'
expect_match "Prometheus' targets" "$(cat "$tmp/targets.json" 2>&1)" '"targets": \["r1:9100"\]'

# 2. the same inventory again: nothing applied, the same rules (handles)
before=$(table)
play 8080; rc=$?
expect_eq "second run succeeds" "$rc" "0"
expect_match "second run changes nothing" "$(recap)" 'ok=[0-9]+ changed=0 unreachable=0 failed=0 skipped=[1-9]'
after=$(table)
expect_eq "second run: the same rules and handles" "$after" "$before"

# 3. a batch --check refuses (port 0): the run fails, nothing changes
play 0; rc=$?
expect_eq "a refused batch fails the run" "$rc" "2"
expect_match "it fails at the check" "$(cat "$tmp/play.out")" 'TASK \[Check it[^]]*\][^
]*
+fatal: \[r1\]'
expect_eq "a refused batch: the ruleset is unchanged" \
	"$(table)" "$before"
[ -e "/run/natsh/confirm-$ino.json" ] && fail "a refused batch arms no timer" || ok "a refused batch arms no timer"

nsh_done

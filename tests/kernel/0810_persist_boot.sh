#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# persist plays the boot: `persist --root DIR` writes DIR/etc/natsh/natsh.nft
# and DIR/etc/sysctl.d/60-natsh.conf (atomically, 0644, never through a
# symlink); then, in a fresh namespace standing for the rebooted router (same
# interfaces, nothing else), what boot does from that root: nftables.service
# (an /etc/nftables.conf with "flush ruleset"), the sysctl.d files as
# systemd-sysctl / `sysctl --system` applies them, then natsh.service's
# ExecStart as debian/natsh.service has it (paths under DIR).  The ruleset and
# the sysctls must be the saved ones.  persist --remove undoes it: the unit's
# condition fails, nothing is loaded.  No test writes the machine's /etc.
source "$(dirname "$0")/../lib.sh"

unit=$NSH_TOP/debian/natsh.service
tmp=$(mktemp -d /tmp/natsh-0810.XXXXXX)
root=$tmp/root
mkdir "$root"
trap 'rm -rf "$tmp"; nsh_cleanup' EXIT

# a router: wan0, lan0 (veth pairs)
router() {
	local ns=$1
	ip -n "$ns" link add wan0 type veth peer name wan1
	ip -n "$ns" link add lan0 type veth peer name lan1
	for i in wan0 wan1 lan0 lan1; do ip -n "$ns" link set "$i" up; done
	ip -n "$ns" addr add 198.51.100.2/24 dev wan0
	ip -n "$ns" addr add 192.0.2.1/24 dev lan0
}
sysctls() {
	nsx "$1" sysctl net.ipv4.ip_forward net.ipv4.conf.lan0.route_localnet net.ipv4.conf.wan0.route_localnet
}

a=$(nsh_ns_new before)
router "$a"
nsx "$a" "$NATSH" -y -c 'wizard masquerade lan from 192.0.2.0/24 out wan0' >/dev/null
nsx "$a" "$NATSH" -y -c 'wizard forward web tcp 8080 to 192.0.2.10:80' >/dev/null
nsx "$a" "$NATSH" -c 'add postrouting oifname "wan0" udp dport 53 masquerade comment "dns"' >/dev/null
want_rules=$(nsx "$a" nft list table inet natsh)
want_sys=$(sysctls "$a")
expect_match "the saved state has ip_forward on" "$want_sys" 'net.ipv4.ip_forward = 1'

out=$(nsx "$a" "$NATSH" --check -c "persist --root $root" 2>&1)
expect_match "--check: says what it would write" "$out" "would write $root/etc/natsh/natsh.nft"
expect_eq "--check: writes nothing" "$(find "$root" -mindepth 1)" ""
out=$(nsx "$a" "$NATSH" -c "persist --root $root" 2>&1); rc=$?
expect_eq "persist --root: exit 0" "$rc" "0"
expect_match "persist names both files" "$out" \
	"to $root/etc/natsh/natsh.nft .*sysctls? to $root/etc/sysctl.d/60-natsh.conf"
expect_eq "the files are 0644" "$(stat -c %a "$root/etc/natsh/natsh.nft" "$root/etc/sysctl.d/60-natsh.conf" | tr '\n' ' ')" "644 644 "
expect_eq "no temporary file is left" "$(find "$root" -name '*.tmp*')" ""
expect_match "60-natsh.conf has the sysctls" "$(cat "$root/etc/sysctl.d/60-natsh.conf")" \
	'net.ipv4.ip_forward = 1'

# the unit's ExecStart, its paths put under the root and natsh the one under test
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
cond=$(sed -n 's/^ConditionPathExists=//p' "$unit")
expect_eq "natsh.service loads what persist writes" "$exec_start" "/usr/sbin/natsh load $cond"
grep -q '^After=.*nftables\.service' "$unit" && ok "natsh.service is ordered after nftables.service" ||
	fail "natsh.service is ordered after nftables.service"
read -ra cmd <<<"$exec_start"
cmd[0]=$NATSH
for i in "${!cmd[@]}"; do cmd[i]=${cmd[i]/#\/etc\//$root/etc/}; done

# boot: nftables.service, systemd-sysctl (every sysctl.d file in the order
# sysctl --system reads them, here only natsh's), then natsh.service
boot() {
	local ns=$1 f
	printf 'flush ruleset\ntable inet filter {\n\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n\t}\n}\n' >"$tmp/nftables.conf"
	nsx "$ns" nft -f "$tmp/nftables.conf" || fail "boot: nftables.conf"
	for f in $(ls "$root"/etc/sysctl.d/*.conf 2>/dev/null | sort); do
		nsx "$ns" sysctl -q -p "$f" || fail "boot: sysctl -p $f"
	done
	if [ -e "$root$cond" ]; then
		nsx "$ns" "${cmd[@]}" >/dev/null || fail "boot: ExecStart"
	else
		echo "# boot: ConditionPathExists=$cond fails: natsh.service is skipped"
	fi
}

b=$(nsh_ns_new after)
router "$b"
expect_eq "the fresh router has no natsh table" "$(nsx "$b" nft list tables)" ""
boot "$b"
expect_eq "after the boot: the ruleset is the saved one" "$(nsx "$b" nft list table inet natsh)" "$want_rules"
expect_eq "after the boot: the sysctls are the saved ones" "$(sysctls "$b")" "$want_sys"
expect_match "nftables.service's own table is kept" "$(nsx "$b" nft list tables)" 'table inet filter'
nsx "$b" "$NATSH" show >/dev/null && ok "natsh show reads the booted table" || fail "natsh show reads the booted table"

# persisting again replaces, atomically; a symlink in the way is refused
h=$(nsx "$a" nft -a list chain inet natsh postrouting | sed -n 's/.*"dns".*# handle \([0-9]*\)$/\1/p')
nsx "$a" "$NATSH" -c "delete postrouting handle $h" >/dev/null || fail "delete the dns rule (handle $h)"
nsx "$a" "$NATSH" -c "persist --root $root" >/dev/null
expect_eq "persist again: the file follows the table" \
	"$(grep -c '"dns"' "$root/etc/natsh/natsh.nft")" "0"
mv "$root/etc/sysctl.d/60-natsh.conf" "$tmp/real.conf"
ln -s "$tmp/real.conf" "$root/etc/sysctl.d/60-natsh.conf"
out=$(nsx "$a" "$NATSH" -c "persist --root $root" 2>&1); rc=$?
expect_eq "persist through a symlink fails" "$rc" "1"
expect_match "and says why" "$out" 'is a symbolic link'
rm "$root/etc/sysctl.d/60-natsh.conf"; mv "$tmp/real.conf" "$root/etc/sysctl.d/60-natsh.conf"

# --remove: both files gone (and /etc/natsh), the live table untouched, the next boot loads nothing
live=$(nsx "$a" nft list table inet natsh)
out=$(nsx "$a" "$NATSH" -c "persist --remove --root $root" 2>&1); rc=$?
expect_eq "persist --remove: exit 0" "$rc" "0"
expect_eq "persist --remove: the files and /etc/natsh are gone" \
	"$(cd "$root" && find . -mindepth 1 | sort | tr '\n' ' ')" "./etc ./etc/sysctl.d "
expect_eq "persist --remove: the live table is unchanged" "$(nsx "$a" nft list table inet natsh)" "$live"
out=$(nsx "$a" "$NATSH" -c "persist --remove --root $root" 2>&1); rc=$?
expect_eq "persist --remove twice: still exit 0" "$rc" "0"
expect_match "and says the files are not there" "$out" 'natsh.nft: not there'
c=$(nsh_ns_new again)
router "$c"
boot "$c"
expect_eq "after --remove, a boot loads no natsh table" "$(nsx "$c" nft list tables)" "table inet filter"
expect_eq "after --remove, a boot leaves ip_forward off" "$(nsx "$c" sysctl -n net.ipv4.ip_forward)" "0"

out=$(nsx "$a" "$NATSH" -c "persist --root $tmp/missing" 2>&1); rc=$?
expect_eq "--root of a missing directory fails" "$rc" "1"
expect_match "and names it" "$out" "--root $tmp/missing: No such file or directory"

if command -v systemd-analyze >/dev/null; then
	# the unit as shipped, ExecStart's binary the one under test (the
	# installed unit, its man page included, is verified in 0800)
	sed "s|/usr/sbin/natsh|$NATSH|g" "$unit" >"$tmp/natsh.service"
	v=$(SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no "$tmp/natsh.service" 2>&1); rc=$?
	expect_eq "systemd-analyze verify natsh.service" "$rc:$v" "0:"
else
	fail "systemd-analyze (package systemd) is installed"
fi

nsh_done

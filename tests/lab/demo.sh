#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `make demo`: bring up the lab, print a short tour, run natsh inside the lab's
# router; the lab is torn down when natsh exits, on Ctrl-C and on errors.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=lab.sh
source "$top/tests/lab/lab.sh"
NATSH=${NATSH:-$top/build/natsh}

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: needs root (network namespaces): sudo make demo" >&2
	exit 1
fi
if [ ! -x "$NATSH" ]; then
	echo "demo: $NATSH is not built (run make)" >&2
	exit 1
fi
lab__check_prefix || exit 2

trap 'lab_down' EXIT
trap 'exit 130' INT TERM HUP
lab_down			# whatever an earlier demo with this prefix left
lab_up || exit 1

router=$(lab_ns router)
lab="$top/tests/lab/lab.sh"
[ "$PWD" = "$top" ] && lab=tests/lab/lab.sh
[ "$LAB_PREFIX" != nshlab ] && lab="$lab -p $LAB_PREFIX"
# The tour lists only commands this natsh has (from its own `help`).
known=" $("$NATSH" -n "$router" help 2>/dev/null | awk '/^  [a-z]/ { printf "%s ", $1 }') "
tour() {
	local cmd line text
	while IFS='|' read -r cmd line text; do
		case $known in *" $cmd "*) printf '    %-52s %s\n' "$line" "$text";; esac
	done <<'TOUR'
help|help|what there is
show|show|the NAT ruleset (empty for now)
interfaces|interfaces|eth0 = WAN, eth1 = LAN
wizard|wizard masquerade lan from 192.0.2.0/24 out eth0|LAN -> Internet (answer y)
wizard|wizard forward web tcp 8080 to 192.0.2.10:80|Internet -> pc1's web server (y)
sysctl|sysctl net.ipv4.ip_forward 1|(by hand) let the router forward
add|add postrouting oifname "eth0" masquerade|(by hand) in nft syntax
show|show|the rules, with counters
conntrack|conntrack|what NAT did to each connection
doctor|doctor|the classic mistakes, and how to fix them
top|top|live counters (q to quit)
TOUR
}

cat <<WELCOME

  natsh demo -- the home network of "iptables for routing", in namespaces

    inet 198.51.100.100 --eth0-- router --eth1-- switch -- pc1 192.0.2.10
                      198.51.100.1   192.0.2.1          \\- pc2 192.0.2.11
                                                         \\- pc3 192.0.2.12

  You are root on the router ($router). Its NAT ruleset is empty and IP
  forwarding is off. inet, pc1, pc2 and pc3 answer on TCP/UDP port 80 with
  their name and the client address they saw. inet has no route to the LAN.

  Try, in natsh:
$(tour)

  And in a second terminal, traffic through the lab:
    $lab tcp pc1 198.51.100.100 80        pc1 -> Internet: "inet saw 198.51.100.1:..."
    $lab tcp inet 198.51.100.1 8080       Internet -> port forward: "pc1 saw 198.51.100.100:..."
    $lab udp pc2 198.51.100.100 80        the same over UDP
    $lab tcp pc2 198.51.100.1 8080        hairpin: "pc1 saw 192.0.2.1:..."

  Leave natsh (exit, quit or Ctrl-D) to tear the lab down.

WELCOME

# Ctrl-C belongs to natsh now (it cancels the line); the lab goes when natsh
# does.  With job control natsh runs as the terminal's foreground process
# group of its own, so Ctrl-C reaches natsh alone, not make or this script.
# natsh enters the router's namespace itself (-n), so its prompt names it.
trap ':' INT
[ -t 0 ] && set -m
"$NATSH" -n "$router"
rc=$?
set +m
echo "demo: natsh exited ($rc); tearing the lab down"
exit "$rc"

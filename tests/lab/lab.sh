#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The lab: the home network of the reference article, in network namespaces.
#
#   inet ──eth0 ─── eth0── router ──eth1 ─── router─┐
#   198.51.100.100/24      198.51.100.1/24          │ sw: bridge br0
#   2001:db8:ffff::100/64  2001:db8:ffff::1/64      ├─ pc1 ── eth0 pc1 192.0.2.10/24 2001:db8:1::10/64
#                          192.0.2.1/24 (eth1)      ├─ pc2 ── eth0 pc2 192.0.2.11/24 2001:db8:1::11/64
#                          2001:db8:1::1/64         └─ pc3 ── eth0 pc3 192.0.2.12/24 2001:db8:1::12/64
#
# The LAN hosts route via the router; the Internet host has no route to the LAN
# (so LAN traffic needs NAT); router forwarding starts OFF.  Nothing is linked to
# the root namespace.  inet, pc1, pc2, pc3 run TCP and UDP services on port 80
# (IPv4 and IPv6) that answer one line: "pc1 saw 198.51.100.100:40312".
#
# As a command:
#   lab.sh [-p PREFIX] up | down | status | exec HOST CMD... |
#          tcp FROM ADDR PORT | udp FROM ADDR PORT | ns HOST
# As a library (tests): source it, set LAB_PREFIX, call lab_up, lab_down,
#   lab_ns HOST, lab_exec HOST CMD..., lab_tcp FROM ADDR PORT, lab_udp FROM ADDR PORT,
#   lab_forwarding on|off.
# Namespaces are named PREFIX-HOST (PREFIX: -p, env LAB_PREFIX, default nshlab),
# so labs with different prefixes run side by side; PREFIX must start with "nsh"
# (the tests' nsx refuses any other namespace).

LAB_PREFIX=${LAB_PREFIX:-nshlab}
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_RUN=${LAB_RUN:-/run/natsh-lab}
LAB_TIMEOUT=${LAB_TIMEOUT:-5}		# seconds, every client connection
LAB_HOSTS=(inet router sw pc1 pc2 pc3)
LAB_SERVICE_HOSTS=(inet pc1 pc2 pc3)
LAB_PORT=80

# Addresses, for tests to use by name.
LAB_INET4=198.51.100.100	LAB_INET6=2001:db8:ffff::100
LAB_WAN4=198.51.100.1		LAB_WAN6=2001:db8:ffff::1
LAB_LAN4=192.0.2.1		LAB_LAN6=2001:db8:1::1
LAB_PC1_4=192.0.2.10		LAB_PC1_6=2001:db8:1::10
LAB_PC2_4=192.0.2.11		LAB_PC2_6=2001:db8:1::11
LAB_PC3_4=192.0.2.12		LAB_PC3_6=2001:db8:1::12

lab__err() { echo "lab: $*" >&2; }

# The prefix must be a plain name starting with "nsh" (tests refuse others).
lab__check_prefix() {
	case $LAB_PREFIX in
	nsh*) ;;
	*) lab__err "prefix '$LAB_PREFIX' must start with 'nsh'"; return 2;;
	esac
	if [[ ! $LAB_PREFIX =~ ^[A-Za-z0-9_.-]{1,48}$ ]]; then
		lab__err "prefix '$LAB_PREFIX' must be 1-48 characters of [A-Za-z0-9_.-]"
		return 2
	fi
}

lab__exists() { [ -e "/run/netns/$1" ]; }

# The namespace of a lab host (inet, router, sw, pc1..3); a name that is not a
# lab host but an existing namespace starting with "nsh" is passed through.
lab_ns() {
	local h
	for h in "${LAB_HOSTS[@]}"; do
		[ "$1" = "$h" ] && { printf '%s-%s\n' "$LAB_PREFIX" "$h"; return 0; }
	done
	case $1 in nsh*) lab__exists "$1" && { printf '%s\n' "$1"; return 0; };; esac
	lab__err "unknown lab host '$1' (one of: ${LAB_HOSTS[*]})"
	return 2
}

# Run a command inside a lab host.
lab_exec() {
	local ns; ns=$(lab_ns "$1") || return 2
	shift
	ip netns exec "$ns" "$@"
}

# Build the namespaces, links, addresses and routes (no services).
lab__build() {
	local p=$LAB_PREFIX h n
	for h in "${LAB_HOSTS[@]}"; do
		ip netns add "$p-$h" || return 1
		ip -n "$p-$h" link set lo up || return 1
		# addresses usable at once (no duplicate address detection delay)
		ip netns exec "$p-$h" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.accept_ra=0 || return 1
	done
	ip netns exec "$p-router" sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0 || return 1
	# the switch is only a bridge: no addresses of its own
	ip netns exec "$p-sw" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 || return 1

	# wires, created directly between lab namespaces
	ip -n "$p-router" link add name eth0 type veth peer name eth0 netns "$p-inet" || return 1
	ip -n "$p-router" link add name eth1 type veth peer name router netns "$p-sw" || return 1
	for n in 1 2 3; do
		ip -n "$p-pc$n" link add name eth0 type veth peer name "pc$n" netns "$p-sw" || return 1
	done
	ip -n "$p-sw" link add name br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0 || return 1
	for h in router pc1 pc2 pc3; do
		ip -n "$p-sw" link set "$h" master br0 up || return 1
	done
	ip -n "$p-sw" link set br0 up || return 1

	ip -n "$p-inet" addr add "$LAB_INET4/24" dev eth0 || return 1
	ip -n "$p-inet" addr add "$LAB_INET6/64" dev eth0 nodad || return 1
	ip -n "$p-inet" link set eth0 up || return 1

	ip -n "$p-router" addr add "$LAB_WAN4/24" dev eth0 || return 1
	ip -n "$p-router" addr add "$LAB_WAN6/64" dev eth0 nodad || return 1
	ip -n "$p-router" addr add "$LAB_LAN4/24" dev eth1 || return 1
	ip -n "$p-router" addr add "$LAB_LAN6/64" dev eth1 nodad || return 1
	ip -n "$p-router" link set eth0 up || return 1
	ip -n "$p-router" link set eth1 up || return 1

	for n in 1 2 3; do
		ip -n "$p-pc$n" addr add "192.0.2.1$((n - 1))/24" dev eth0 || return 1
		ip -n "$p-pc$n" addr add "2001:db8:1::1$((n - 1))/64" dev eth0 nodad || return 1
		ip -n "$p-pc$n" link set eth0 up || return 1
		ip -n "$p-pc$n" route add default via "$LAB_LAN4" || return 1
		ip -n "$p-pc$n" -6 route add default via "$LAB_LAN6" || return 1
	done
}

# Start the port-80 service of one host (tests/lab/serve.py); its PID goes to
# the state file.
lab__serve() {
	local h=$1 ns="$LAB_PREFIX-$1" dir="$LAB_RUN/$LAB_PREFIX"
	ip netns exec "$ns" python3 "$LAB_DIR/serve.py" "$h" "$LAB_PORT" \
		</dev/null >>"$dir/services.log" 2>&1 &
	echo "$! $ns" >>"$dir/pids"
}

lab__serve_all() {
	local h
	for h in "${LAB_SERVICE_HOSTS[@]}"; do lab__serve "$h" || return 1; done
}

# Wait (bounded) until every service host listens on TCP and UDP, v4 and v6.
lab__wait_services() {
	local h i n
	for h in "${LAB_SERVICE_HOSTS[@]}"; do
		for i in $(seq 50); do
			n=$(ip netns exec "$LAB_PREFIX-$h" ss -Hlntu "sport = :$LAB_PORT" | wc -l)
			[ "$n" -ge 4 ] && break
			sleep 0.1
		done
		[ "$n" -ge 4 ] || { lab__err "services on $h did not start (see $LAB_RUN/$LAB_PREFIX/services.log)"; return 1; }
	done
}

# Wait (bounded) until every lab link is operationally up: until the kernel's
# link watch has activated a new veth's queue, packets sent on it are dropped.
lab__wait_links() {
	local h ns i down
	for i in $(seq 50); do
		down=0
		for h in "${LAB_HOSTS[@]}"; do
			ns="$LAB_PREFIX-$h"
			[ -n "$(ip -n "$ns" -br link show | awk '$1 != "lo" && $2 != "UP"')" ] && down=1
		done
		[ $down -eq 0 ] && return 0
		sleep 0.1
	done
	lab__err "links did not come up:"
	for h in "${LAB_HOSTS[@]}"; do ip -n "$LAB_PREFIX-$h" -br link show | awk -v h="$h" '$1 != "lo" && $2 != "UP" {print "  " h ": " $0}'; done >&2
	return 1
}

# Bring the lab up; on any failure everything is torn down again.
lab_up() {
	local h
	lab__check_prefix || return 2
	for h in "${LAB_HOSTS[@]}"; do
		if lab__exists "$LAB_PREFIX-$h"; then
			lab__err "lab '$LAB_PREFIX' is already (partly) up: $LAB_PREFIX-$h exists; run 'lab.sh -p $LAB_PREFIX down' first"
			return 1
		fi
	done
	mkdir -p "$LAB_RUN/$LAB_PREFIX" || return 1
	: >"$LAB_RUN/$LAB_PREFIX/pids"
	if ! lab__build || ! lab__serve_all || ! lab__wait_links || ! lab__wait_services; then
		lab__err "lab '$LAB_PREFIX' failed to come up; tearing down"
		lab_down
		return 1
	fi
}

# Kill one recorded PID if it is still the service we started.
lab__kill_pid() {
	local pid=$1 comm
	comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 0
	case $comm in python3*) kill "$pid" 2>/dev/null;; esac
	return 0
}

# Tear everything down by name; idempotent, quiet when nothing is there.
lab_down() {
	local dir="$LAB_RUN/$LAB_PREFIX" h ns pid _ i
	lab__check_prefix || return 2
	if [ -f "$dir/pids" ]; then
		while read -r pid _; do lab__kill_pid "$pid"; done <"$dir/pids"
	fi
	for h in "${LAB_HOSTS[@]}"; do
		ns="$LAB_PREFIX-$h"
		lab__exists "$ns" || continue
		# whatever still runs inside a lab namespace was started by the lab or a test
		for i in 1 2 3 4 5 6 7 8 9 10; do
			pid=$(ip netns pids "$ns" 2>/dev/null)
			[ -z "$pid" ] && break
			if [ "$i" -lt 6 ]; then kill $pid 2>/dev/null; else kill -9 $pid 2>/dev/null; fi
			sleep 0.1
		done
		ip netns del "$ns" 2>/dev/null || lab__err "cannot delete namespace $ns"
	done
	rm -rf "$dir"
	return 0
}

# One line per host: namespace, addresses, services; and the router's forwarding.
lab_status() {
	local h ns up=0 n
	lab__check_prefix || return 2
	for h in "${LAB_HOSTS[@]}"; do
		ns="$LAB_PREFIX-$h"
		if ! lab__exists "$ns"; then printf '%-7s %-22s down\n' "$h" "$ns"; continue; fi
		up=$((up + 1))
		printf '%-7s %-22s %s' "$h" "$ns" \
			"$(ip -n "$ns" -br addr show scope global 2>/dev/null | awk '{$2=""; printf "%s ", $0}')"
		case " ${LAB_SERVICE_HOSTS[*]} " in *" $h "*)
			n=$(ip netns exec "$ns" ss -Hlntu "sport = :$LAB_PORT" 2>/dev/null | wc -l)
			printf ' services:%s/4' "$n";;
		esac
		[ "$h" = router ] && printf ' ip_forward=%s' "$(ip netns exec "$ns" sysctl -n net.ipv4.ip_forward)"
		printf '\n'
	done
	[ "$up" -eq ${#LAB_HOSTS[@]} ]
}

# Turn the router's IPv4 (and IPv6) forwarding on or off.
lab_forwarding() {
	local v
	case $1 in on) v=1;; off) v=0;; *) lab__err "lab_forwarding on|off"; return 2;; esac
	lab_exec router sysctl -qw net.ipv4.ip_forward=$v net.ipv6.conf.all.forwarding=$v
}

# socat/nc address for ADDR (IPv6 addresses in brackets).
lab__addr() { case $1 in *:*) printf '[%s]' "$1";; *) printf '%s' "$1";; esac; }

# TCP client: print the service's answer line from FROM to ADDR:PORT, or fail
# (status 1) within LAB_TIMEOUT seconds.
lab_tcp() {
	local ns out fam=4
	[ $# -eq 3 ] || { lab__err "usage: lab_tcp FROM ADDR PORT"; return 2; }
	ns=$(lab_ns "$1") || return 2
	case $2 in *:*) fam=6;; esac
	out=$(timeout -k 1 "$LAB_TIMEOUT" ip netns exec "$ns" socat -T "$LAB_TIMEOUT" -t "$LAB_TIMEOUT" \
		STDIO "TCP$fam:$(lab__addr "$2"):$3,connect-timeout=$LAB_TIMEOUT" </dev/null 2>/dev/null)
	[ -n "$out" ] || return 1
	printf '%s\n' "$out"
}

# UDP client: send one datagram, print the one answer, or fail within LAB_TIMEOUT.
lab_udp() {
	local ns out fam=-4
	[ $# -eq 3 ] || { lab__err "usage: lab_udp FROM ADDR PORT"; return 2; }
	ns=$(lab_ns "$1") || return 2
	case $2 in *:*) fam=-6;; esac
	out=$(echo hello | timeout -k 1 "$LAB_TIMEOUT" ip netns exec "$ns" \
		nc "$fam" -u -n -W 1 -w "$LAB_TIMEOUT" "$2" "$3" 2>/dev/null)
	[ -n "$out" ] || return 1
	printf '%s\n' "$out"
}

lab__usage() {
	cat <<USAGE
usage: lab.sh [-p PREFIX] COMMAND
  up                      build the lab and start its services
  down                    remove everything (idempotent)
  status                  show hosts, addresses, services (exit 1 unless fully up)
  exec HOST CMD...        run CMD inside HOST (${LAB_HOSTS[*]})
  ns HOST                 print HOST's namespace name
  tcp FROM ADDR PORT      connect from host FROM, print the answer
  udp FROM ADDR PORT      send a datagram from host FROM, print the answer
  forwarding on|off       router IP forwarding
PREFIX (default nshlab, or \$LAB_PREFIX) names the namespaces PREFIX-HOST.
USAGE
}

lab_main() {
	while [ $# -gt 0 ]; do
		case $1 in
		-p) [ $# -ge 2 ] || { lab__usage >&2; return 2; }; LAB_PREFIX=$2; shift 2;;
		-p*) LAB_PREFIX=${1#-p}; shift;;
		-h|--help) lab__usage; return 0;;
		*) break;;
		esac
	done
	[ $# -ge 1 ] || { lab__usage >&2; return 2; }
	local cmd=$1; shift
	case $cmd in
	up) lab_up;;
	down) lab_down;;
	status) lab_status;;
	exec) [ $# -ge 2 ] || { lab__usage >&2; return 2; }; lab_exec "$@";;
	ns) [ $# -eq 1 ] || { lab__usage >&2; return 2; }; lab_ns "$1";;
	tcp) lab_tcp "$@";;
	udp) lab_udp "$@";;
	forwarding) lab_forwarding "$@";;
	*) lab__err "unknown command '$cmd'"; lab__usage >&2; return 2;;
	esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "lab: needs root (network namespaces)" >&2
		exit 1
	fi
	lab_main "$@"
	exit $?
fi

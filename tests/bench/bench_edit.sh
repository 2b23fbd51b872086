#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Writing rules (issue 3, item 7), for N = 1,000 / 10,000 / 50,000 NAT rules:
#   load     natsh -f FILE  vs  nft -f FILE  vs  iptables-nft-restore FILE
#            (the same rules; natsh's and nft's listings must be identical)
#   add      one `natsh -c 'add ...'` with N rules present  vs  `nft add rule`
#            vs `iptables-nft -A` (natsh reads no ruleset to append)
#   loop     200 single adds in a row, each tool in its own namespace
# Median wall time and peak RSS (tests/bench/measure), then the targets:
# load <= 0.85x nft -f, add <= 1.0x nft add rule, load RSS <= 0.5x nft's.
# The machine may be shared: tools are interleaved and the kernel's
# background freeing of flushed rules is waited for before each load.
#
# Env: BENCH_SIZES ("1000 10000 50000"), BENCH_RUNS (5 at every size: the 50,000-rule
# load varies most on a shared machine), NATSH.
set -uo pipefail
source "$(dirname "$0")/common.sh"

[ "$(id -u)" -eq 0 ] || { echo "bench_edit: needs root (network namespaces)" >&2; exit 1; }
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
[ -x "$NATSH" ] || { echo "bench_edit: $NATSH not built" >&2; exit 1; }
bench_tools || { echo "bench_edit: cannot build the bench tools" >&2; exit 1; }
sizes=${BENCH_SIZES:-1000 10000 50000}
log=$BENCH_BUILD/stderr-edit.log
: >"$log"

# N rules in FORMAT natsh | nft | ipt: per 10, 6 TCP forwards, 1 UDP forward,
# 1 forward of a port set, 1 SNAT, 1 masquerade (80% in prerouting).
gen() {
	awk -v n="$1" -v fmt="$2" '
	function hdr() {
		if (fmt == "nft") {
			print "table inet natsh {"
			print "\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;"
		} else if (fmt == "ipt") {
			print "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]"
		}
	}
	BEGIN {
		hdr()
		for (pass = 0; pass < 2; pass++) {
			if (pass == 1 && fmt == "nft")
				print "\t}\n\tchain output {\n\t\ttype nat hook output priority -100; policy accept;\n\t}\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;"
			for (i = 0; i < n; i++) {
				k = i % 10; p = 1024 + (i * 7) % 60000; h = "192.0.2." (2 + i % 250)
				if ((k < 8) != (pass == 0))
					continue
				if (k < 6) {
					if (fmt == "natsh") print "add prerouting iifname \"eth0\" tcp dport " p " dnat to " h ":80"
					else if (fmt == "nft") print "\t\tiifname \"eth0\" tcp dport " p " counter dnat ip to " h ":80"
					else print "-A PREROUTING -i eth0 -p tcp -m tcp --dport " p " -j DNAT --to-destination " h ":80"
				} else if (k == 6) {
					if (fmt == "natsh") print "add prerouting udp dport " p " dnat to " h
					else if (fmt == "nft") print "\t\tudp dport " p " counter dnat ip to " h
					else print "-A PREROUTING -p udp -m udp --dport " p " -j DNAT --to-destination " h
				} else if (k == 7) {
					if (fmt == "natsh") print "add prerouting tcp dport { " p ", " p + 1 " } dnat to " h
					else if (fmt == "nft") print "\t\ttcp dport { " p ", " p + 1 " } counter dnat ip to " h
					else print "-A PREROUTING -p tcp -m multiport --dports " p "," p + 1 " -j DNAT --to-destination " h
				} else if (k == 8) {
					s = "198.51.100." (2 + i % 250)
					if (fmt == "natsh") print "add postrouting ip saddr " h " oifname \"eth1\" snat to " s
					else if (fmt == "nft") print "\t\tip saddr " h " oifname \"eth1\" counter snat ip to " s
					else print "-A POSTROUTING -s " h "/32 -o eth1 -j SNAT --to-source " s
				} else {
					if (fmt == "natsh") print "add postrouting oifname \"ppp" i "\" masquerade"
					else if (fmt == "nft") print "\t\toifname \"ppp" i "\" counter masquerade"
					else print "-A POSTROUTING -o ppp" i " -j MASQUERADE"
				}
			}
		}
		if (fmt == "nft")
			print "\t}\n\tchain input {\n\t\ttype nat hook input priority 100; policy accept;\n\t}\n}"
		else if (fmt == "ipt")
			print "COMMIT"
	}'
}

# flush a namespace's ruleset (not timed)
flush() { ip netns exec "$1" nft flush ruleset; }
nrules() { ip netns exec "$1" nft list ruleset | grep -c 'counter packets'; }

declare -A T M R U
notes=()
echo "natsh benchmark: writing rules ($(nproc) cores, kernel $(uname -r))"
for n in $sizes; do
	runs=${BENCH_RUNS:-5}
	gen "$n" natsh >"$BENCH_BUILD/edit-$n.nsh"
	gen "$n" nft >"$BENCH_BUILD/edit-$n.nft"
	gen "$n" ipt >"$BENCH_BUILD/edit-$n.ipt"
	a=$(bench_ns "ea$n") && b=$(bench_ns "eb$n") && c=$(bench_ns "ec$n") || exit 1

	# the two listings must be the same, else the times compare nothing
	ip netns exec "$a" "$NATSH" -f "$BENCH_BUILD/edit-$n.nsh" 2>>"$log"
	ip netns exec "$b" nft -f "$BENCH_BUILD/edit-$n.nft" 2>>"$log"
	if [ "$(ip netns exec "$a" nft list ruleset)" != "$(ip netns exec "$b" nft list ruleset)" ]; then
		notes+=("at $n rules natsh's and nft's loads list differently")
	fi
	[ "$(nrules "$a")" = "$n" ] || notes+=("natsh loaded $(nrules "$a") rules, not $n")

	declare -A us=() kib=()
	settle=$(awk -v n="$n" 'BEGIN { printf "%.2f", 0.1 + n / 25000 }')
	for r in $(seq "$runs"); do
		# each tool after its own flush and a pause (the kernel frees the
		# old rules in the background); the tool that goes first rotates
		for k in 0 1 2; do
			case $(((r + k) % 3)) in
			0) flush "$a"; sleep "$settle"
			   read -r u q <<<"$(once "$a" "$NATSH" -f "$BENCH_BUILD/edit-$n.nsh")"
			   [ -n "${u:-}" ] && { us[natsh]+="$u "; kib[natsh]+="$q "; };;
			1) flush "$b"; sleep "$settle"
			   read -r u q <<<"$(once "$b" nft -f "$BENCH_BUILD/edit-$n.nft")"
			   [ -n "${u:-}" ] && { us[nft]+="$u "; kib[nft]+="$q "; };;
			2) flush "$c"; sleep "$settle"
			   read -r u q <<<"$(once "$c" iptables-nft-restore "$BENCH_BUILD/edit-$n.ipt")"
			   [ -n "${u:-}" ] && { us[ipt]+="$u "; kib[ipt]+="$q "; };;
			esac
		done
	done
	[ "$(nrules "$a")" = "$n" ] || notes+=("after the timed loads natsh's namespace holds $(nrules "$a") rules, not $n")
	sleep "$settle"
	# single adds with the N rules present (each run adds one rule)
	for r in $(seq "$runs"); do
		read -r u k <<<"$(once "$a" "$NATSH" -c "add prerouting tcp dport 7 dnat to 192.0.2.7")"
		[ -n "${u:-}" ] && { us[anatsh]+="$u "; kib[anatsh]+="$k "; }
		read -r u k <<<"$(once "$b" nft add rule inet natsh prerouting tcp dport 7 counter dnat ip to 192.0.2.7)"
		[ -n "${u:-}" ] && { us[anft]+="$u "; kib[anft]+="$k "; }
		read -r u k <<<"$(once "$c" iptables-nft -t nat -A PREROUTING -p tcp --dport 7 -j DNAT --to-destination 192.0.2.7)"
		[ -n "${u:-}" ] && { us[aipt]+="$u "; kib[aipt]+="$k "; }
	done
	# natsh's own CPU for one add: user time of 10 adds, median of 5 rounds
	TIMEFORMAT='%3U'
	cpu=()
	for r in 1 2 3 4 5 6; do
		x=$( { time for i in 1 2 3 4 5 6 7 8 9 10; do
			ip netns exec "$a" "$NATSH" -c "add prerouting tcp dport 9 dnat to 192.0.2.9" 2>>"$log"
		done; } 2>&1 )
		[ "$r" = 1 ] || cpu+=("$(awk -v s="$x" 'BEGIN { printf "%d", s * 1000000 / 10 }')")
	done
	U[$n]=$(bench_ms "$(bench_median "${cpu[@]}")")
	# what one add reads from the kernel: must not grow with N (no dump)
	R[$n]=-
	if command -v strace >/dev/null; then
		ip netns exec "$a" strace -f -e trace=recvfrom,recvmsg -o "$BENCH_BUILD/strace-$n" \
			"$NATSH" -c "add prerouting tcp dport 8 dnat to 192.0.2.8" 2>>"$log"
		R[$n]=$(awk -F'= ' '/^[0-9]+ +recv/ { n = $NF + 0; if (n > 0) s += n } END { print s + 0 }' \
			"$BENCH_BUILD/strace-$n")
	fi
	for t in natsh nft ipt anatsh anft aipt; do
		# shellcheck disable=SC2086
		T[$t,$n]=$(bench_median ${us[$t]:-})
		# shellcheck disable=SC2086
		M[$t,$n]=$(bench_median ${kib[$t]:-})
		[ "${T[$t,$n]}" = - ] && notes+=("$t failed at $n rules (see $log)")
	done
	unset us kib
	printf '%6d rules: %d runs each\n' "$n" "$runs"
	bench_cleanup
done

# 200 single adds in a row, each tool in a fresh namespace
a=$(bench_ns lpa) && b=$(bench_ns lpb) && c=$(bench_ns lpc) || exit 1
ip netns exec "$a" "$NATSH" -c 'add prerouting tcp dport 1 accept' 2>>"$log"
ip netns exec "$b" nft -f - <<'NFT'
table inet natsh {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
	}
}
NFT
ip netns exec "$c" iptables-nft -t nat -L >/dev/null
l1=0 l2=0 l3=0	# interleaved, so that background load hits all three alike
for i in $(seq 200); do
	t0=${EPOCHREALTIME/./}
	ip netns exec "$a" "$NATSH" -c "add prerouting tcp dport $i dnat to 192.0.2.9" 2>>"$log"
	t1=${EPOCHREALTIME/./}
	ip netns exec "$b" nft add rule inet natsh prerouting tcp dport "$i" counter dnat ip to 192.0.2.9 2>>"$log"
	t2=${EPOCHREALTIME/./}
	ip netns exec "$c" iptables-nft -t nat -A PREROUTING -p tcp --dport "$i" -j DNAT --to-destination 192.0.2.9 2>>"$log"
	t3=${EPOCHREALTIME/./}
	l1=$((l1 + t1 - t0)); l2=$((l2 + t2 - t1)); l3=$((l3 + t3 - t2))
done
[ "$(nrules "$a")" = 201 ] || notes+=("the loop left $(nrules "$a") natsh rules, not 201")
bench_cleanup

echo
echo "load a batch file: median wall time ms, peak RSS KiB"
printf '%8s %9s %9s %9s %9s   %9s %9s %9s\n' rules natsh nft iptables natsh/nft "RSS natsh" "RSS nft" RSS/nft
for n in $sizes; do
	printf '%8d %9s %9s %9s %9s   %9s %9s %9s\n' "$n" "$(bench_ms "${T[natsh,$n]}")" \
		"$(bench_ms "${T[nft,$n]}")" "$(bench_ms "${T[ipt,$n]}")" "$(ratio "${T[natsh,$n]}" "${T[nft,$n]}")" \
		"${M[natsh,$n]}" "${M[nft,$n]}" "$(ratio "${M[natsh,$n]}" "${M[nft,$n]}")"
done
echo
echo "one add with N rules present: median wall time ms, peak RSS KiB; natsh's user"
echo "CPU ms per add and bytes it reads from the kernel (the kernel's commit rebuilds"
echo "the chain: that part grows with N for every tool)"
printf '%8s %9s %9s %9s %9s   %9s %9s %9s %9s\n' rules natsh nft iptables natsh/nft \
	"RSS natsh" "RSS nft" "user ms" "read B"
for n in $sizes; do
	printf '%8d %9s %9s %9s %9s   %9s %9s %9s %9s\n' "$n" "$(bench_ms "${T[anatsh,$n]}")" \
		"$(bench_ms "${T[anft,$n]}")" "$(bench_ms "${T[aipt,$n]}")" \
		"$(ratio "${T[anatsh,$n]}" "${T[anft,$n]}")" "${M[anatsh,$n]}" "${M[anft,$n]}" "${U[$n]}" "${R[$n]}"
done
echo
printf '200 single adds in a row: natsh %s ms, nft %s ms, iptables-nft %s ms (natsh/nft %s)\n' \
	"$(bench_ms "$l1")" "$(bench_ms "$l2")" "$(bench_ms "$l3")" "$(ratio "$l1" "$l2")"

wl= wa= wm= first= last=
for n in $sizes; do
	wl=$(worse "$wl" "$(ratio "${T[natsh,$n]}" "${T[nft,$n]}")")
	wa=$(worse "$wa" "$(ratio "${T[anatsh,$n]}" "${T[anft,$n]}")")
	wm=$(worse "$wm" "$(ratio "${M[natsh,$n]}" "${M[nft,$n]}")")
	[ -n "$first" ] || first=$n
	last=$n
done
echo
echo "targets (worst size)"
printf '  %-50s %6s  %s\n' "batch load <= 0.85x nft -f" "$wl" "$(verdict "$wl" 0.85)"
printf '  %-50s %6s  %s\n' "single add <= 1.0x nft add rule" "$wa" "$(verdict "$wa" 1.0)"
r=$(ratio "$l1" "$l2")
printf '  %-50s %6s  %s\n' "200-add loop <= 1.0x nft's" "$r" "$(verdict "$r" 1.0)"
printf '  %-50s %6s  %s\n' "batch load peak RSS <= 0.5x nft's" "$wm" "$(verdict "$wm" 0.5)"
printf '  %-50s %6s  (nft: %s)\n' "single add time, $last vs $first rules" \
	"$(ratio "${T[anatsh,$last]}" "${T[anatsh,$first]}")" "$(ratio "${T[anft,$last]}" "${T[anft,$first]}")"
r=$(ratio "${U[$last]}" "${U[$first]}")
printf '  %-50s %6s  %s\n' "natsh's own CPU per add, $last vs $first rules" "$r" \
	"$(awk -v r="$r" 'BEGIN { if (r == "-") print "not measured"; else if (r + 0 <= 1.5) print "flat"; else print "GROWS" }')"
printf '  %-50s %6s  %s\n' "no dump: bytes one add reads, $last vs $first" "${R[$last]}/${R[$first]}" \
	"$(awk -v a="${R[$last]}" -v b="${R[$first]}" 'BEGIN { if (a == "-" || b == "-") print "not measured"; else if (a == b) print "flat"; else print "GROWS" }')"
for note in "${notes[@]}"; do echo "note: $note"; done

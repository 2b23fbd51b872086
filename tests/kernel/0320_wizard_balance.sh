#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# wizard forward with several backends: one numgen rule, never chained
# probabilities; 200 real TCP connections from the Internet host split
# 35-65 % over two backends and 20-47 % over three; router access and
# hairpin work for every backend; when a backend goes away, the conntrack
# entries still pointing at it are listed and (with -y) deleted.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/wizard_lib.bash"

nsh_lab_up
export LAB_TIMEOUT=3
W=$LAB_WAN4
N=200

# Connect N times from host $1 to $2:8080; print "pc1 N1 pc2 N2 pc3 N3 fail F".
spread() {
	local i a c1=0 c2=0 c3=0 f=0
	for ((i = 0; i < N; i++)); do
		a=$(lab_tcp "$1" "$2" 8080)
		case $a in pc1*) c1=$((c1 + 1));; pc2*) c2=$((c2 + 1));; pc3*) c3=$((c3 + 1));; *) f=$((f + 1));; esac
	done
	echo "$c1 $c2 $c3 $f"
}

# within NAME COUNT LO HI: COUNT of N is within LO..HI percent
within() {
	local pct=$(($2 * 100 / N))
	if [ "$pct" -ge "$3" ] && [ "$pct" -le "$4" ]; then ok "$1: $2/$N = $pct % (want $3-$4 %)"; else
		fail "$1: $2/$N = $pct % (want $3-$4 %)"; fi
}

out=$(wiz_natsh -y wizard forward web tcp 8080 to 192.0.2.10:80 192.0.2.11:80)
expect_eq "two backends exit 0" "$?" 0
dnat=$(lab_exec router nft list chain inet natsh prerouting | grep -F 'wizard web: port forward')
expect_match "one numgen rule" "$dnat" 'dnat ip to numgen random mod 2 map \{ 0 : 192\.0\.2\.10 \. 80, 1 : 192\.0\.2\.11 \. 80 \}'
expect_eq "no chained probabilities (one dnat rule in prerouting)" "$(lab_exec router nft list chain inet natsh prerouting | grep -c dnat)" 1

read -r c1 c2 c3 f <<<"$(spread inet $W)"
echo "# two backends, $N connections: pc1 $c1, pc2 $c2, pc3 $c3, failed $f"
expect_eq "two backends: every connection answered" "$f" 0
expect_eq "two backends: none to pc3" "$c3" 0
within "two backends: pc1" "$c1" 35 65
within "two backends: pc2" "$c2" 35 65

# router access and hairpin reach both backends
seen=""
for i in $(seq 1 40); do seen+="$(lab_tcp router 127.0.0.1 8080 | cut -c1-3) "; done
expect_match "router -> 127.0.0.1 reaches pc1" "$seen" 'pc1'
expect_match "router -> 127.0.0.1 reaches pc2" "$seen" 'pc2'
seen=""
for i in $(seq 1 40); do seen+="$(lab_tcp pc3 $W 8080) "; done
expect_match "hairpin pc3 -> WAN reaches pc1 (seeing the router)" "$seen" 'pc1 saw 192\.0\.2\.1:'
expect_match "hairpin pc3 -> WAN reaches pc2 (seeing the router)" "$seen" 'pc2 saw 192\.0\.2\.1:'
seen=""
for i in $(seq 1 40); do seen+="$(lab_tcp pc1 $W 8080) "; done
expect_match "hairpin pc1 -> WAN reaches itself" "$seen" 'pc1 saw 192\.0\.2\.1:'
expect_match "hairpin pc1 -> WAN reaches pc2" "$seen" 'pc2 saw 192\.0\.2\.1:'
wiz_counters_nonzero "every rule of web counted traffic" web

# three backends, same name: replaced in one transaction
out=$(wiz_natsh -y wizard forward web tcp 8080 to 192.0.2.10:80 192.0.2.11:80 192.0.2.12:80)
expect_eq "three backends exit 0" "$?" 0
expect_match "replaces the two-backend rules" "$out" 'replacing its 4 earlier rules'
expect_eq "still one dnat rule in prerouting" "$(lab_exec router nft list chain inet natsh prerouting | grep -c dnat)" 1
read -r c1 c2 c3 f <<<"$(spread inet $W)"
echo "# three backends, $N connections: pc1 $c1, pc2 $c2, pc3 $c3, failed $f"
expect_eq "three backends: every connection answered" "$f" 0
within "three backends: pc1" "$c1" 20 47
within "three backends: pc2" "$c2" 20 47
within "three backends: pc3" "$c3" 20 47
for i in 1 2 3 4 5 6; do lab_tcp router 127.0.0.1 8080; lab_tcp pc1 $W 8080; done >/dev/null
wiz_counters_nonzero "every rule of web counted traffic (three backends)" web

# pc3 goes away: the finished connections to it are still in conntrack
before=$(lab_exec router conntrack -L -p tcp --reply-src 192.0.2.12 2>/dev/null | grep -c 'dport=8080')
expect_match "conntrack holds entries translated to pc3" "$before" '^[1-9][0-9]*$'
# in a batch the change applies at its end: the entries are listed, with a hint
out=$(wiz_natsh --check -y wizard forward web tcp 8080 to 192.0.2.10:80 192.0.2.11:80)
expect_eq "--check of the change exit 0" "$?" 0
expect_match "--check lists the entries going to pc3" "$out" '[0-9]+ conntrack entries go to a backend this change removes'
expect_match "--check says how to delete them" "$out" 'once it applies, delete them with: conntrack delete dnat dst 192\.0\.2\.12'
expect_eq "--check deleted none" "$(lab_exec router conntrack -L -p tcp --reply-src 192.0.2.12 2>/dev/null | grep -c 'dport=8080')" "$before"
out=$(wiz_natsh -y -c 'wizard forward web tcp 8080 to 192.0.2.10:80 192.0.2.11:80 192.0.2.12:80')
expect_eq "same backends again: nothing to list" "$(grep -c 'conntrack entries' <<<"$out")" 0
# interactively (a terminal) the change commits at once; -y deletes the entries
out=$(printf 'wizard forward web tcp 8080 to 192.0.2.10:80 192.0.2.11:80\nquit\n' |
	nsh_tty 60 "ip netns exec $(lab_ns router) $NATSH -y --no-color")
expect_match "back to two backends: applied" "$out" 'applied in one transaction'
expect_match "it lists the entries still going to pc3" "$out" "[0-9]+ conntrack entries still go to a backend that was removed"
expect_match "an entry shows its translation" "$out" 'tcp 198\.51\.100\.100:[0-9]+ -> port 8080 => 192\.0\.2\.12:80'
expect_match "with -y they are deleted" "$out" '[0-9]+ deleted'
expect_eq "no entry to pc3 is left" "$(lab_exec router conntrack -L -p tcp --reply-src 192.0.2.12 2>/dev/null | grep -c 'dport=8080')" 0
read -r c1 c2 c3 f <<<"$(N=40 spread inet $W)"
expect_eq "after the change nothing goes to pc3" "$c3" 0

nsh_done

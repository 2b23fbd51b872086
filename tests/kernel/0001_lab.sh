#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The lab is what every later kernel test stands on: check its addresses,
# reachability (LAN <-> router, Internet <-> router), that the Internet has no
# route to the LAN, that forwarding starts off, that the services answer with
# their names and the client address they saw, and that NAT (made with nft, not
# natsh) is what makes LAN -> Internet work.  Then that down leaves nothing.
source "$(dirname "$0")/../lib.sh"

nsh_lab_up
ok "lab up as $LAB_PREFIX"

for h in inet router sw pc1 pc2 pc3; do
	if [ -e "/run/netns/$(lab_ns $h)" ]; then ok "namespace $h exists"; else fail "namespace $h exists"; fi
done

expect_eq "router addresses" \
	"$(lab_exec router ip -br -4 addr show scope global | awk '{print $1, $3}')" \
	"eth0@if2 198.51.100.1/24
eth1@if2 192.0.2.1/24"
expect_eq "pc2 IPv6 address" "$(lab_exec pc2 ip -br -6 addr show dev eth0 scope global | awk '{print $3}')" \
	"2001:db8:1::11/64"
expect_eq "pc3 default route" "$(lab_exec pc3 ip route show default)" "default via 192.0.2.1 dev eth0 "
expect_eq "inet has no default route" "$(lab_exec inet ip route show default)" ""
expect_eq "router forwarding starts off" "$(lab_exec router sysctl -n net.ipv4.ip_forward)" 0
expect_eq "router ruleset starts empty" "$(lab_exec router nft list ruleset)" ""

# services: name and client address, TCP and UDP, IPv4 and IPv6
expect_eq "router -> pc1 tcp" "$(lab_tcp router $LAB_PC1_4 80 | cut -d: -f1)" "pc1 saw 192.0.2.1"
expect_eq "router -> pc2 udp" "$(lab_udp router $LAB_PC2_4 80 | cut -d: -f1)" "pc2 saw 192.0.2.1"
expect_match "pc1 -> pc3 tcp" "$(lab_tcp pc1 $LAB_PC3_4 80)" '^pc3 saw 192\.0\.2\.10:[0-9]+$'
expect_match "router -> inet tcp" "$(lab_tcp router $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'
expect_match "router -> inet udp" "$(lab_udp router $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'
expect_match "router -> pc3 tcp6" "$(lab_tcp router $LAB_PC3_6 80)" '^pc3 saw \[2001:db8:1::1\]:[0-9]+$'
expect_match "router -> inet udp6" "$(lab_udp router $LAB_INET6 80)" '^inet saw \[2001:db8:ffff::1\]:[0-9]+$'
expect_match "pc2 -> pc1 udp6" "$(lab_udp pc2 $LAB_PC1_6 80)" '^pc1 saw \[2001:db8:1::11\]:[0-9]+$'

# reachability of the router itself (it runs no service: a refusal is an answer)
expect_rc "pc1 pings router LAN" 0 lab_exec pc1 ping -c1 -W2 $LAB_LAN4
expect_rc "inet pings router WAN" 0 lab_exec inet ping -c1 -W2 $LAB_WAN4
expect_rc "pc2 pings router LAN6" 0 lab_exec pc2 ping -6 -c1 -W2 $LAB_LAN6
expect_rc "inet has no route to the LAN" 2 lab_exec inet ping -c1 -W1 $LAB_PC1_4
expect_rc "no tcp from inet to the LAN" 1 lab_tcp inet $LAB_PC1_4 80

# with forwarding off the LAN cannot reach the Internet; with forwarding on but
# no NAT the Internet cannot answer (no route back); with masquerade it works.
LAB_TIMEOUT=2 expect_rc "forwarding off: pc1 -> inet fails" 1 lab_tcp pc1 $LAB_INET4 80
lab_forwarding on
LAB_TIMEOUT=2 expect_rc "forwarding on, no NAT: pc1 -> inet fails" 1 lab_tcp pc1 $LAB_INET4 80
lab_exec router nft -f - <<'EOF'
table ip labcheck {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "eth0" ip saddr 192.0.2.0/24 masquerade
	}
	chain pre {
		type nat hook prerouting priority dstnat;
		iifname "eth0" tcp dport 8080 dnat to 192.0.2.12:80
	}
}
EOF
expect_match "masquerade: pc1 -> inet tcp" "$(lab_tcp pc1 $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'
expect_match "masquerade: pc2 -> inet udp" "$(lab_udp pc2 $LAB_INET4 80)" '^inet saw 198\.51\.100\.1:[0-9]+$'
expect_match "port forward: inet -> router:8080 reaches pc3" \
	"$(lab_tcp inet $LAB_WAN4 8080)" '^pc3 saw 198\.51\.100\.100:[0-9]+$'

# a second lab with another prefix coexists, and down removes it completely
saved=$LAB_PREFIX
LAB_PREFIX=$(nsh_ns_name lab2)
if lab_up; then ok "second lab up beside the first"; else fail "second lab up beside the first"; fi
expect_match "second lab answers" "$(lab_tcp pc1 $LAB_PC2_4 80)" '^pc2 saw 192\.0\.2\.10:[0-9]+$'
lab_down
lab_down
expect_eq "down twice leaves no namespace" "$(ip netns list | grep -c "^$LAB_PREFIX-")" 0
expect_eq "down leaves no state" "$(ls -d "$LAB_RUN/$LAB_PREFIX" 2>/dev/null)" ""
LAB_PREFIX=$saved
expect_match "first lab still answers" "$(lab_tcp pc3 $LAB_PC1_4 80)" '^pc1 saw 192\.0\.2\.12:[0-9]+$'

nsh_done

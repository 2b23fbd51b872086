# In the style of Docker (iptables-nft): the chains and rules dockerd makes for
# a bridge network and a published port, written with iptables-nft commands
# (run by tests/kernel/0751_corpus.sh inside a namespace).  Own rules.
iptables-nft -t nat -N DOCKER
iptables-nft -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
iptables-nft -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
iptables-nft -t nat -A POSTROUTING -s 192.0.2.0/24 ! -o docker0 -j MASQUERADE
iptables-nft -t nat -A POSTROUTING -s 192.0.2.2/32 -d 192.0.2.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE
iptables-nft -t nat -A DOCKER -i docker0 -j RETURN
iptables-nft -t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.0.2.2:80
iptables-nft -t nat -A DOCKER -d 198.51.100.1/32 ! -i docker0 -p udp -m udp --dport 5353 -j DNAT --to-destination 192.0.2.3:53
iptables-nft -t filter -N DOCKER
iptables-nft -t filter -N DOCKER-ISOLATION-STAGE-1
iptables-nft -t filter -N DOCKER-ISOLATION-STAGE-2
iptables-nft -t filter -N DOCKER-USER
iptables-nft -t filter -A FORWARD -j DOCKER-USER
iptables-nft -t filter -A FORWARD -j DOCKER-ISOLATION-STAGE-1
iptables-nft -t filter -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables-nft -t filter -A FORWARD -o docker0 -j DOCKER
iptables-nft -t filter -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
iptables-nft -t filter -A FORWARD -i docker0 -o docker0 -j ACCEPT
iptables-nft -t filter -A DOCKER -d 192.0.2.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
iptables-nft -t filter -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
iptables-nft -t filter -A DOCKER-ISOLATION-STAGE-1 -j RETURN
iptables-nft -t filter -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
iptables-nft -t filter -A DOCKER-ISOLATION-STAGE-2 -j RETURN
iptables-nft -t filter -A DOCKER-USER -j RETURN

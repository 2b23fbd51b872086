# SPDX-License-Identifier: GPL-3.0-or-later
"""Random nft rules from the grammar of nft(8), for the differential test
(tests/kernel/0750_gen_diff.sh, tests/kernel/gen/difftest.py).

A rule is a list of Parts (a match or a statement), each with its text, the
construct tags it exercises (e.g. "ct.state", "nat.dnat.map") and simpler
variants of itself (fewer set elements, no negation) that the reducer tries.
Generation is seeded (random.Random(seed)) and so reproducible; it is
family-aware (ip, ip6, inet tables) and hook-aware (NAT statements only in
NAT chains of the right hook, reject only in filter chains).  Most rules are
valid for nft; the ones nft refuses are counted and skipped by the driver.

Construct families can be switched off/on (FAMILIES below): the driver passes
--families/--without, so per-family counts can be looked at one at a time.

Run alone:  python3 nftgen.py SEED COUNT  (prints FAMILY CHAIN RULE lines)
"""
import random
import sys

# Chains of the test tables (one table "t" per family, see SETUP) and their kind.
CHAINS = {
    "pre": ("nat", "prerouting"),
    "post": ("nat", "postrouting"),
    "out": ("nat", "output"),
    "inp": ("nat", "input"),
    "filt": ("filter", "forward"),
    "fin": ("filter", "input"),
    "sub": ("none", None),
}

SETUP_TABLE = """table %(fam)s t {
	set s4 { type ipv4_addr; flags interval; elements = { 192.0.2.0/25, 198.51.100.7 }; }
	set s6 { type ipv6_addr; flags interval; elements = { 2001:db8:1::/48 }; }
	set sp { type inet_service; elements = { 22, 80, 443 }; }
	set sm { type mark; elements = { 0x1, 0x2 }; }
	set sc { type ipv4_addr . inet_proto . inet_service; elements = { 192.0.2.1 . tcp . 80 }; }
	set dyn4 { type ipv4_addr; size 65535; flags dynamic,timeout; timeout 1m; }
	set dyn6 { type ipv6_addr; size 65535; flags dynamic; }
	map m4 { type ipv4_addr : ipv4_addr; elements = { 192.0.2.1 : 198.51.100.1 }; }
	map m6 { type ipv6_addr : ipv6_addr; elements = { 2001:db8::1 : 2001:db8::2 }; }
	map mp { type inet_service : inet_service; elements = { 22 : 2222 }; }
	map mm { type inet_service : mark; elements = { 22 : 0x10 }; }
	map vm { type inet_service : verdict; elements = { 22 : accept, 23 : drop }; }
	map vc { type ipv4_addr . inet_proto . inet_service : verdict; elements = { 192.0.2.1 . tcp . 80 : accept }; }
	set sci { type ipv4_addr . inet_service; flags interval; elements = { 192.0.2.0/24 . 80-90, 198.51.100.7 . 22 }; }
	map vci { type ipv4_addr . inet_service : verdict; flags interval; elements = { 192.0.2.0/24 . 22 : accept, 198.51.100.1-198.51.100.9 . 1000-2000 : jump ja }; }
	map dn2 { type ipv4_addr . inet_service : ipv4_addr . inet_service; elements = { 192.0.2.1 . 80 : 198.51.100.10 . 8080 }; }
	chain pre { type nat hook prerouting priority dstnat; }
	chain post { type nat hook postrouting priority srcnat; }
	chain out { type nat hook output priority -100; }
	chain inp { type nat hook input priority 100; }
	chain filt { type filter hook forward priority 0; }
	chain fin { type filter hook input priority 0; }
	chain sub { }
	chain ja { }
	chain jb { }
}
"""


def setup_text(families=("ip", "ip6", "inet")):
    return "".join(SETUP_TABLE % {"fam": f} for f in families)


# Construct families: each generator below belongs to one.
FAMILIES = ["meta", "ct", "ip", "ip6", "l4", "icmp", "ether", "fib", "numgen",
            "hash", "rt", "socket", "set", "concat", "bitwise", "named", "verdict",
            "vmap", "stmt", "log", "reject", "markset", "payloadset", "dynset",
            "nat", "natmap", "queue", "dup", "comment"]


class Part:
    """One match or statement: text, tags, simpler variants (texts)."""
    __slots__ = ("text", "tags", "simpler", "stmt")

    def __init__(self, text, tags, simpler=(), stmt=False):
        self.text = text
        self.tags = tags if isinstance(tags, list) else [tags]
        self.simpler = list(simpler)
        self.stmt = stmt


class Rule:
    __slots__ = ("fam", "chain", "parts")

    def __init__(self, fam, chain, parts):
        self.fam, self.chain, self.parts = fam, chain, parts

    def text(self):
        return " ".join(p.text for p in self.parts)

    def tags(self):
        t = []
        for p in self.parts:
            for x in p.tags:
                if x not in t:
                    t.append(x)
        return t

    def __repr__(self):
        return "%s %s %s" % (self.fam, self.chain, self.text())


PORT_NAMES = ["ssh", "http", "https", "domain", "smtp", "ntp", "telnet", "ftp", "imap", "pop3"]
ICMP_TYPES = ["echo-reply", "destination-unreachable", "redirect", "echo-request",
              "time-exceeded", "parameter-problem", "timestamp-request", "router-advertisement"]
ICMP6_TYPES = ["echo-request", "echo-reply", "nd-neighbor-solicit", "nd-neighbor-advert",
               "nd-router-advert", "packet-too-big", "destination-unreachable", "mld-listener-query"]
CT_STATES = ["new", "established", "related", "invalid", "untracked"]
CT_STATUS = ["expected", "seen-reply", "assured", "confirmed", "snat", "dnat", "dying"]
TCP_FLAGS = ["fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr"]
DSCP = ["cs0", "cs1", "cs2", "cs3", "cs4", "cs5", "cs6", "cs7", "af11", "af12", "af13",
        "af21", "af22", "af31", "af41", "ef", "lephb"]
PKTTYPE = ["host", "unicast", "broadcast", "multicast", "other"]
L4 = ["tcp", "udp", "icmp", "sctp", "dccp", "udplite", "esp", "ah", "gre", "icmpv6", "igmp"]
IFNAMES = ["eth0", "eth1", "wan", "lan0", "br-lan", "veth1", "wg0", "ppp0", "dummy0", "lo"]
IFDEV = ["lo", "dummy0", "dummy1"]	# exist in the test namespaces (iif/oif need that)
DAYS = ["Monday", "Tuesday", "Sunday", "Saturday"]


class Gen:
    def __init__(self, seed, families=None):
        self.r = random.Random(seed)
        self.fams = set(families if families is not None else FAMILIES)

    # ---- values -------------------------------------------------------
    def c(self, seq):
        return self.r.choice(seq)

    def v4(self):
        net = self.c(["192.0.2", "198.51.100", "203.0.113"])
        return "%s.%d" % (net, self.r.randint(1, 254))

    def v4pfx(self):
        net = self.c(["192.0.2", "198.51.100", "203.0.113"])
        plen = self.c([24, 25, 26, 28, 30, 31])
        host = self.r.randint(0, 255) & ~((1 << (32 - plen)) - 1) & 0xff
        return "%s.%d/%d" % (net, host, plen)

    def v4range(self):
        net = self.c(["192.0.2", "198.51.100", "203.0.113"])
        a = self.r.randint(1, 200)
        return "%s.%d-%s.%d" % (net, a, net, a + self.r.randint(1, 50))

    def v4val(self, ranges=True):
        k = self.r.random()
        if k < 0.55 or not ranges:
            return self.v4() if k < 0.8 or not ranges else self.v4pfx()
        return self.v4pfx() if k < 0.8 else self.v4range()

    def v6(self):
        return self.c(["2001:db8::%x", "2001:db8:1::%x", "2001:db8:a:b::%x"]) % self.r.randint(1, 0xffff)

    def v6pfx(self):
        return self.c(["2001:db8::/32", "2001:db8:1::/48", "2001:db8:a:b::/64",
                       "2001:db8::100/120", "2001:db8:ff00::/40"])

    def v6range(self):
        a = self.r.randint(1, 0x1000)
        return "2001:db8::%x-2001:db8::%x" % (a, a + self.r.randint(1, 0x100))

    def v6val(self, ranges=True):
        k = self.r.random()
        if k < 0.55 or not ranges:
            return self.v6()
        return self.v6pfx() if k < 0.8 else self.v6range()

    def port(self, names=True):
        if names and self.r.random() < 0.2:
            return self.c(PORT_NAMES)
        return str(self.c([22, 53, 80, 443, 8080, 1024, self.r.randint(1, 65535)]))

    def portval(self):
        if self.r.random() < 0.2:
            a = self.r.randint(1, 60000)
            return "%d-%d" % (a, a + self.r.randint(1, 5000))
        return self.port()

    def mark(self):
        v = self.c([1, 0x10, 0x4000, 0xff, self.r.randint(0, 0xffffffff)])
        return self.c(["0x%x" % v, "%d" % v, "0x%08x" % v])

    def ifname(self):
        n = self.c(IFNAMES)
        if self.r.random() < 0.25:
            n = n.rstrip("0123456789") + "*"
        return '"%s"' % n

    def setof(self, fn, n=None, tag="set"):
        """An anonymous set of values from fn; returns (text, simpler variants)."""
        n = n or self.r.randint(2, 5)
        els = []
        for _ in range(n * 2):
            v = fn()
            if v not in els:
                els.append(v)
            if len(els) == n:
                break
        text = "{ %s }" % ", ".join(els)
        simpler = []
        if len(els) > 1:
            simpler.append("{ %s }" % ", ".join(els[:len(els) // 2 or 1]))
            simpler.append("{ %s }" % ", ".join(els[1:]))
            simpler.append(els[0])
        return text, simpler

    def on(self, fam):
        return fam in self.fams

    # ---- a typed match: "KEY [op] VALUE" with sets/negation/ranges ----
    def typed(self, key, tag, fn, can_set=True, can_range_ops=True, fam="set"):
        """A match on KEY with values from fn: single, negated, set, comparison."""
        k = self.r.random()
        neg = self.r.random() < 0.2
        op = "!= " if neg else ""
        if can_set and k < 0.25 and self.on(fam):
            st, simpler = self.setof(fn)
            text = "%s %s%s" % (key, op, st)
            simp = ["%s %s" % (key, s) for s in simpler]
            if neg:
                simp.insert(0, "%s %s" % (key, st))
            return Part(text, [tag, "set.anon"] + (["neg"] if neg else []), simp)
        if can_range_ops and k < 0.32:
            cmp = self.c(["<", ">", "<=", ">="])
            v = fn()
            if "-" not in v and "/" not in v:
                return Part("%s %s %s" % (key, cmp, v), [tag, "cmp"])
        v = fn()
        text = "%s %s%s" % (key, op, v)
        return Part(text, [tag] + (["neg"] if neg else []), ["%s %s" % (key, v)] if neg else [])

    # ---- match generators, per construct family ---------------------
    def m_meta(self, fam, hook):
        r = self.r.random()
        if r < 0.15:
            return self.typed(self.c(["iifname", "oifname", "meta iifname", "meta oifname"]),
                              "meta.ifname", self.ifname, can_range_ops=False)
        if r < 0.22:
            return self.typed(self.c(["iif", "oif", "meta iif", "meta oif"]), "meta.ifindex",
                              lambda: '"%s"' % self.c(IFDEV), can_range_ops=False)
        if r < 0.35:
            return self.typed("meta l4proto", "meta.l4proto",
                              lambda: self.c(L4) if self.r.random() < 0.7 else
                              (lambda a: "%d-%d" % (a, a + self.r.randint(1, 20)))(self.r.randint(1, 200)),
                              can_range_ops=False)
        if r < 0.48:
            return self.typed("meta mark", "meta.mark", self.mark)
        if r < 0.52 and fam == "inet":
            return self.typed("meta nfproto", "meta.nfproto", lambda: self.c(["ipv4", "ipv6"]),
                              can_range_ops=False)
        if r < 0.56:
            return self.typed("meta protocol", "meta.protocol",
                              lambda: self.c(["ip", "ip6", "arp", "vlan"]), can_range_ops=False)
        if r < 0.62:
            return self.typed("meta pkttype", "meta.pkttype", lambda: self.c(PKTTYPE), can_range_ops=False)
        if r < 0.66:
            return self.typed("meta length", "meta.length", lambda: str(self.r.randint(20, 1500)))
        if r < 0.70:
            return self.typed(self.c(["meta skuid", "meta skgid"]), "meta.skid",
                              lambda: str(self.r.randint(0, 2000)))
        if r < 0.74:
            return self.typed("meta priority", "meta.priority",
                              lambda: "%x:%x" % (self.r.randint(0, 16), self.r.randint(0, 16)),
                              can_range_ops=False)
        if r < 0.77:
            return self.typed(self.c(["meta iiftype", "meta oiftype"]), "meta.iftype",
                              lambda: self.c(["ether", "loopback", "ppp", "ipip"]), can_range_ops=False)
        if r < 0.80:
            return self.typed("meta cpu", "meta.cpu", lambda: str(self.r.randint(0, 3)))
        if r < 0.83:
            return self.typed(self.c(["meta iifgroup", "meta oifgroup"]), "meta.group",
                              lambda: str(self.r.randint(0, 10)))
        if r < 0.86:
            return self.typed("meta cgroup", "meta.cgroup", lambda: str(self.r.randint(1, 100000)))
        if r < 0.89:
            return self.typed("meta day", "meta.time", lambda: '"%s"' % self.c(DAYS), can_range_ops=False)
        if r < 0.92:
            h = self.r.randint(0, 20)
            return Part('meta hour "%02d:00"-"%02d:30"' % (h, h + 2), "meta.time")
        if r < 0.95:
            return Part("meta secpath %s" % self.c(["exists", "missing"]), "meta.secpath")
        return Part("meta %s" % self.c(["ibrname", "obrname"]) + ' "br0"', "meta.brname")

    def m_ct(self, fam, hook):
        r = self.r.random()
        if r < 0.25:
            if self.r.random() < 0.4:
                n = self.r.randint(2, 3)
                v = ",".join(self.r.sample(CT_STATES, n))
                return Part("ct state %s%s" % (self.c(["", "!= "]), v), ["ct.state", "bitmask"],
                            ["ct state %s" % v.split(",")[0]])
            return self.typed("ct state", "ct.state", lambda: self.c(CT_STATES), can_range_ops=False)
        if r < 0.35:
            if self.r.random() < 0.4:
                v = ",".join(self.r.sample(CT_STATUS, 2))
                return Part("ct status %s" % v, ["ct.status", "bitmask"], ["ct status " + v.split(",")[0]])
            return self.typed("ct status", "ct.status", lambda: self.c(CT_STATUS), can_range_ops=False)
        if r < 0.45:
            return self.typed("ct mark", "ct.mark", self.mark)
        if r < 0.50:
            return self.typed("ct direction", "ct.direction", lambda: self.c(["original", "reply"]),
                              can_set=False, can_range_ops=False)
        if r < 0.55:
            return self.typed("ct zone", "ct.zone", lambda: str(self.r.randint(0, 100)))
        if r < 0.60 and fam == "inet":
            return self.typed("ct l3proto", "ct.l3proto", lambda: self.c(["ipv4", "ipv6"]),
                              can_range_ops=False)
        if r < 0.65:
            return self.typed("ct protocol", "ct.protocol", lambda: self.c(["tcp", "udp", "icmp"]),
                              can_range_ops=False)
        if r < 0.78:
            d = self.c(["original", "reply"])
            if self.l3 == "ip6":
                return self.typed("ct %s ip6 %s" % (d, self.c(["saddr", "daddr"])), "ct.dir.addr", self.v6val)
            if self.l3 == "ip" or self.r.random() < 0.6:
                return self.typed("ct %s ip %s" % (d, self.c(["saddr", "daddr"])), "ct.dir.addr", self.v4val)
            return self.typed("ct %s %s" % (d, self.c(["saddr", "daddr"])), "ct.dir.addr", self.v4val)
        if r < 0.85:
            d = self.c(["original", "reply"])
            return self.typed("ct %s %s" % (d, self.c(["proto-src", "proto-dst"])), "ct.dir.proto",
                              lambda: self.port(False))
        if r < 0.90:
            return self.typed("ct expiration", "ct.expiration",
                              lambda: self.c(["30s", "1m", "2h", "10m30s"]))
        if r < 0.95:
            return self.typed(self.c(["ct bytes", "ct packets", "ct original bytes", "ct reply packets"]),
                              "ct.counters", lambda: str(self.r.randint(1, 100000)))
        return self.typed("ct helper", "ct.helper", lambda: self.c(['"ftp"', '"sip"']),
                          can_range_ops=False)

    def m_ip(self, fam, hook):
        r = self.r.random()
        if r < 0.55:
            return self.typed("ip %s" % self.c(["saddr", "daddr"]), "ip.addr", self.v4val)
        if r < 0.65:
            return self.typed("ip protocol", "ip.protocol", lambda: self.c(["tcp", "udp", "icmp", "gre", "esp"]),
                              can_range_ops=False)
        if r < 0.72:
            return self.typed("ip dscp", "ip.dscp", lambda: self.c(DSCP), can_range_ops=False)
        if r < 0.80:
            return self.typed(self.c(["ip ttl", "ip length", "ip id", "ip hdrlength"]), "ip.misc",
                              lambda: str(self.r.randint(1, 255)))
        if r < 0.86:
            return self.typed("ip ecn", "ip.ecn", lambda: self.c(["not-ect", "ect1", "ect0", "ce"]),
                              can_range_ops=False)
        if r < 0.92:
            return Part("ip frag-off & 0x1fff != 0", ["ip.frag", "bitwise"])
        return self.typed("ip version", "ip.misc", lambda: "4", can_set=False, can_range_ops=False)

    def m_ip6(self, fam, hook):
        r = self.r.random()
        if r < 0.55:
            return self.typed("ip6 %s" % self.c(["saddr", "daddr"]), "ip6.addr", self.v6val)
        if r < 0.65:
            return self.typed("ip6 nexthdr", "ip6.nexthdr", lambda: self.c(["tcp", "udp", "icmpv6", "esp"]),
                              can_range_ops=False)
        if r < 0.75:
            return self.typed("ip6 dscp", "ip6.dscp", lambda: self.c(DSCP), can_range_ops=False)
        if r < 0.85:
            return self.typed(self.c(["ip6 hoplimit", "ip6 length"]), "ip6.misc",
                              lambda: str(self.r.randint(1, 255)))
        if r < 0.92:
            return self.typed("ip6 flowlabel", "ip6.flowlabel", lambda: str(self.r.randint(0, 0xfffff)))
        return Part("exthdr %s exists" % self.c(["frag", "hbh", "rt", "dst"]), "ip6.exthdr")

    def m_l4(self, fam, hook):
        r = self.r.random()
        if r < 0.40:
            p = self.c(["tcp", "udp", "th", "tcp", "udp", "sctp", "dccp", "udplite"])
            return self.typed("%s %s" % (p, self.c(["dport", "sport"])), "l4.port." + p, self.portval)
        if r < 0.60:
            k = self.r.random()
            if k < 0.3:
                a, b = self.r.sample(TCP_FLAGS[:6], 2)
                return Part("tcp flags & (%s | %s) == %s" % (a, b, a), ["l4.tcpflags", "bitwise"],
                            ["tcp flags %s" % a])
            if k < 0.5:
                return Part("tcp flags %s" % ",".join(self.r.sample(TCP_FLAGS, 2)), ["l4.tcpflags", "bitmask"])
            return self.typed("tcp flags", "l4.tcpflags", lambda: self.c(TCP_FLAGS), can_range_ops=False)
        if r < 0.75:
            return self.typed(self.c(["tcp window", "tcp sequence", "tcp urgptr", "udp length", "tcp doff"]),
                              "l4.misc", lambda: str(self.r.randint(1, 15)))
        if r < 0.85:
            return Part("tcp option %s exists" % self.c(["maxseg", "window", "sack-perm", "timestamp"]),
                        "l4.tcpopt")
        return Part("tcp option maxseg size %s %d" % (self.c(["<", ">", ""]), self.r.randint(500, 1500)),
                    "l4.tcpopt")

    def m_icmp(self, fam, hook):
        if self.l3 == "ip6":
            if self.r.random() < 0.2:
                return self.typed("icmpv6 code", "icmp.code", lambda: str(self.r.randint(0, 4)))
            return self.typed("icmpv6 type", "icmp.icmpv6", lambda: self.c(ICMP6_TYPES), can_range_ops=False)
        if self.r.random() < 0.2:
            return self.typed("icmp code", "icmp.code", lambda: self.c(["net-unreachable", "port-unreachable",
                                                                       "3", "frag-needed"]),
                              can_range_ops=False)
        return self.typed("icmp type", "icmp.icmp", lambda: self.c(ICMP_TYPES), can_range_ops=False)

    def m_ether(self, fam, hook):
        mac = lambda: "02:00:%02x:%02x:%02x:%02x" % tuple(self.r.randint(0, 255) for _ in range(4))
        if self.r.random() < 0.7:
            return self.typed("ether %s" % self.c(["saddr", "daddr"]), "ether.addr", mac, can_range_ops=False)
        return self.typed("vlan id", "ether.vlan", lambda: str(self.r.randint(1, 4094)))

    def m_fib(self, fam, hook):
        k = self.r.random()
        a = self.c(["saddr", "daddr", "saddr . iif", "daddr . iif", "daddr . oif", "saddr . mark"])
        if k < 0.5:
            t = self.c(["local", "unicast", "broadcast", "multicast", "blackhole", "unreachable"])
            if self.r.random() < 0.3:
                return Part("fib %s type { %s, %s }" % (a, t, "local" if t != "local" else "broadcast"),
                            ["fib.type", "set.anon"], ["fib %s type %s" % (a, t)])
            return Part("fib %s type %s%s" % (a, self.c(["", "!= "]), t), "fib.type",
                        ["fib %s type %s" % (a, t)])
        if k < 0.8:
            return Part("fib %s oif %s" % (a, self.c(["exists", "missing"])), "fib.oif")
        return Part('fib %s oif%s "lo"' % (a, self.c(["", "name"])), "fib.oif")

    def m_numgen(self, fam, hook):
        n = self.r.randint(2, 8)
        kind = self.c(["random", "inc"])
        off = self.c(["", " offset %d" % self.r.randint(1, 100)])
        return self.typed("numgen %s mod %d%s" % (kind, n, off), "numgen",
                          lambda: str(self.r.randint(0, n - 1)))

    def m_hash(self, fam, hook):
        n = self.r.randint(2, 8)
        if self.r.random() < 0.3:
            key = "symhash mod %d" % n
        else:
            src = self.c(["ip saddr", "ip daddr", "tcp dport", "ip saddr . tcp dport"]
                         if self.l3 != "ip6" else ["ip6 saddr", "ip6 daddr . udp dport"])
            key = "jhash %s mod %d%s%s" % (src, n, self.c(["", " seed 0x%x" % self.r.randint(1, 0xffff)]),
                                            self.c(["", " offset 10"]))
        return self.typed(key, "hash", lambda: str(self.r.randint(0, n - 1)))

    def m_rt(self, fam, hook):
        k = self.r.random()
        if k < 0.4:
            if self.l3 == "ip6":
                return Part("rt ip6 nexthop %s" % self.v6(), "rt.nexthop")
            return Part("rt %snexthop %s" % (self.c(["", "ip "]), self.v4()), "rt.nexthop")
        if k < 0.7:
            return self.typed("rt mtu", "rt.mtu", lambda: str(self.r.randint(500, 1500)))
        return self.typed("rt classid", "rt.classid", lambda: self.c(["1:1", "10:2", "ffff:1"]), can_range_ops=False)

    def m_socket(self, fam, hook):
        k = self.r.random()
        if k < 0.4:
            return Part("socket transparent %d" % self.r.randint(0, 1), "socket")
        if k < 0.7:
            return self.typed("socket mark", "socket", self.mark)
        return Part("socket wildcard %d" % self.r.randint(0, 1), "socket")

    def m_concat(self, fam, hook):
        """ip saddr . tcp dport { a . p, ... } and the like, incl. ranges."""
        if self.l3 == "ip6":
            keys = [("ip6 saddr", self.v6), ("ip6 daddr", lambda: self.v6val())]
        else:
            keys = [("ip saddr", self.v4), ("ip daddr", lambda: self.v4val())]
        more = [("tcp dport", lambda: self.portval()), ("meta l4proto", lambda: self.c(["tcp", "udp"])),
                ("meta mark", self.mark), ("iifname", self.ifname), ("ct state", lambda: self.c(CT_STATES)),
                ("th dport", lambda: self.port(False)), ("ct mark", self.mark)]
        sel = [self.c(keys)] + self.r.sample(more, self.r.randint(1, 2))
        if self.r.random() < 0.3:
            sel = self.r.sample(more, 2)
        key = " . ".join(k for k, _ in sel)
        n = self.r.randint(1, 4)
        els = [" . ".join(fn() for _, fn in sel) for _ in range(n)]
        els = list(dict.fromkeys(els))
        neg = self.r.random() < 0.15
        text = "%s %s{ %s }" % (key, "!= " if neg else "", ", ".join(els))
        return Part(text, ["concat", "set.anon"], ["%s { %s }" % (key, els[0])] if len(els) > 1 or neg else [])

    def m_bitwise(self, fam, hook):
        k = self.r.random()
        key = self.c(["meta mark", "ct mark"])
        if k < 0.35:
            op = self.c(["&", "and"])
            m = self.r.randint(1, 0xffff)
            return Part("%s %s 0x%x %s 0x%x" % (key, op, m, self.c(["==", "!="]), self.r.randint(0, 0xffff) & m),
                        "bitwise.and")
        if k < 0.55:
            op = self.c(["|", "or", "^", "xor"])
            return Part("%s %s 0x%x %s 0x%x" % (key, op, self.r.randint(1, 0xff), self.c(["==", "!="]),
                                                 self.r.randint(0, 0xff)), "bitwise.orxor")
        if k < 0.6:
            return Part("%s %s %d == 0x%x" % (key, self.c([">>", "<<"]), self.r.randint(1, 16),
                                               self.r.randint(0, 0xff)), "bitwise.shift")
        if k < 0.85 and self.l3 != "ip6":
            return Part("ip %s & 0.0.0.255 %s 0.0.0.%d" % (self.c(["saddr", "daddr"]), self.c(["==", "<", "!="]),
                                                          self.r.randint(1, 254)), "bitwise.addr")
        if self.l3 != "ip":
            return Part("ip6 saddr & ::ffff == ::%x" % self.r.randint(1, 0xffff), "bitwise.addr")
        return Part("meta mark & 0xff00 == 0x%x00" % self.r.randint(0, 0xff), "bitwise.and")

    def m_named(self, fam, hook):
        neg = self.c(["", "", "!= "])
        opts = [("meta mark %s@sm", "named.mark"), ("tcp dport %s@sp", "named.port"),
                ("th dport %s@sp", "named.port")]
        if self.l3 != "ip6":
            opts += [("ip saddr %s@s4", "named.addr"), ("ip daddr %s@s4", "named.addr"),
                     ("ip saddr . meta l4proto . th dport %s@sc", "named.concat"),
                     ("ip saddr . tcp dport %s@sci", "named.concat")]
        if self.l3 != "ip":
            opts += [("ip6 saddr %s@s6", "named.addr")]
        t, tag = self.c(opts)
        return Part(t % neg, [tag], [t % ""] if neg else [])

    MATCHES = [("meta", 14), ("ct", 12), ("ip", 12), ("ip6", 8), ("l4", 14), ("icmp", 4),
               ("ether", 2), ("fib", 3), ("numgen", 2), ("hash", 2), ("rt", 1), ("socket", 1),
               ("concat", 5), ("bitwise", 5), ("named", 4)]

    def match(self, fam, hook):
        opts = [(f, w) for f, w in self.MATCHES if self.on(f)]
        if self.l3 == "ip":
            opts = [(f, w) for f, w in opts if f != "ip6"]
        if self.l3 == "ip6":
            opts = [(f, w) for f, w in opts if f != "ip"]
        if not opts:
            return None
        f = self.r.choices([f for f, _ in opts], [w for _, w in opts])[0]
        p = getattr(self, "m_" + f)(fam, hook)
        if f in ("ip", "ip6") and fam == "inet":
            pass
        return p

    # ---- statements ---------------------------------------------------
    def s_stmt(self, fam, hook):
        k = self.r.random()
        if k < 0.3:
            return Part("counter", "stmt.counter", stmt=True)
        if k < 0.65:
            rate = "%d/%s" % (self.r.randint(1, 1000), self.c(["second", "minute", "hour", "day"]))
            if self.r.random() < 0.25:
                rate = "%d %s/second" % (self.r.randint(1, 100), self.c(["kbytes", "mbytes", "bytes"]))
            over = self.c(["", "over "])
            burst = self.c(["", " burst %d packets" % self.r.randint(1, 20)]) if "bytes" not in rate else ""
            return Part("limit rate %s%s%s" % (over, rate, burst), "stmt.limit", ["limit rate " + rate], stmt=True)
        if k < 0.85:
            return Part("quota %s%d %s" % (self.c(["", "over "]), self.r.randint(1, 900),
                                           self.c(["bytes", "kbytes", "mbytes"])), "stmt.quota",
                        stmt=True)
        return Part("notrack", "stmt.notrack", stmt=True)

    def s_log(self, fam, hook):
        bits = []
        if self.r.random() < 0.6:
            bits.append('prefix "gen-%d: "' % self.r.randint(0, 999))
        if self.r.random() < 0.5:
            bits.append("level " + self.c(["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"]))
        if self.r.random() < 0.3:
            bits.append("flags " + self.c(["all", "tcp sequence,options", "ip options", "skuid", "ether"]))
        if self.r.random() < 0.15:
            bits = ["group %d" % self.r.randint(0, 10)] + (["snaplen 64"] if self.r.random() < 0.5 else [])
        return Part(" ".join(["log"] + bits), "stmt.log", ["log"], stmt=True)

    def s_markset(self, fam, hook):
        k = self.r.random()
        if k < 0.3:
            return Part("meta mark set %s" % self.mark(), "markset.meta", stmt=True)
        if k < 0.5:
            return Part("meta mark set meta mark %s 0x%x" % (self.c(["|", "^", "&", "or", "xor", "and"]),
                                                            self.r.randint(1, 0xffff)), ["markset.meta", "bitwise"],
                        stmt=True)
        if k < 0.6:
            return Part("meta mark set ct mark", "markset.meta", stmt=True)
        if k < 0.7:
            return Part("ct mark set meta mark%s" % self.c(["", " | 0x1000", " & 0xffff"]), "markset.ct", stmt=True)
        if k < 0.8:
            return Part("ct mark set %s" % self.mark(), "markset.ct", stmt=True)
        if k < 0.88:
            return Part("meta mark set tcp dport map { 22 : 0x1, 80 : 0x2 }", ["markset.map", "map"], stmt=True)
        if k < 0.93:
            return Part("meta priority set %x:%x" % (self.r.randint(0, 9), self.r.randint(0, 9)),
                        "markset.priority", stmt=True)
        if k < 0.97:
            return Part("ct zone set %d" % self.r.randint(1, 100), "markset.ctzone", stmt=True)
        return Part("meta nftrace set 1", "markset.nftrace", stmt=True)

    def s_payloadset(self, fam, hook):
        opts = []
        if self.l3 != "ip6":
            opts += ["ip dscp set %s" % self.c(DSCP), "ip ttl set %d" % self.r.randint(1, 255),
                     "ip ecn set %s" % self.c(["ect0", "ect1", "ce"]), "ip daddr set %s" % self.v4()]
        if self.l3 != "ip":
            opts += ["ip6 dscp set %s" % self.c(DSCP), "ip6 hoplimit set %d" % self.r.randint(1, 255),
                     "ip6 flowlabel set %d" % self.r.randint(1, 1000)]
        opts += ["tcp dport set %d" % self.r.randint(1, 65535), "udp sport set %d" % self.r.randint(1, 65535),
                 "tcp option maxseg size set rt mtu", "tcp option maxseg size set %d" % self.r.randint(500, 1460)]
        return Part(self.c(opts), "payloadset", stmt=True)

    def s_dynset(self, fam, hook):
        if self.l3 == "ip6":
            key, s = "ip6 saddr", "@dyn6"
        else:
            key, s = self.c(["ip saddr", "ip daddr"]), "@dyn4"
        op = self.c(["add", "update", "delete"])
        extra = ""
        if s == "@dyn4" and op != "delete" and self.r.random() < 0.5:
            extra = " timeout %ds" % self.r.randint(5, 3600)
        if op == "update" and self.r.random() < 0.3:
            extra += " limit rate %d/second" % self.r.randint(1, 100)
        return Part("%s %s { %s%s }" % (op, s, key, extra), "dynset." + op,
                    ["%s %s { %s }" % (op, s, key)] if extra else [], stmt=True)

    def s_dup(self, fam, hook):
        if self.l3 == "ip6":
            return Part('dup to %s device "dummy0"' % self.v6(), "dup", stmt=True)
        if fam == "inet":
            return Part('dup ip to %s device "dummy0"' % self.v4(), "dup", stmt=True)
        return Part("dup to %s%s" % (self.v4(), self.c(["", ' device "dummy0"'])), "dup", stmt=True)

    def s_queue(self, fam, hook):
        n = self.r.randint(0, 10)
        bits = ["queue"]
        num = self.c(["num %d" % n, "num %d-%d" % (n, n + 3), ""])
        if num:
            bits.append(num)
        fl = self.c(["", "bypass", "fanout", "bypass,fanout"])
        if fl:
            bits.append(fl)
        return Part(" ".join(bits), "verdict.queue", ["queue"], stmt=True)

    def s_reject(self, fam, hook):
        opts = ["reject", "reject with tcp reset", "reject with icmpx %s" %
                self.c(["port-unreachable", "admin-prohibited", "no-route", "host-unreachable"])]
        if self.l3 == "ip":
            opts.append("reject with icmp %s" % self.c(["host-unreachable", "net-prohibited", "port-unreachable",
                                                        "admin-prohibited", "host-prohibited"]))
        if self.l3 == "ip6":
            opts.append("reject with icmpv6 %s" % self.c(["no-route", "admin-prohibited", "addr-unreachable",
                                                          "port-unreachable", "policy-fail"]))
        if fam == "inet":
            opts.append("reject with icmp host-unreachable" if self.l3 == "ip" else "reject with icmpv6 no-route")
        return Part(self.c(opts), "reject", ["reject"], stmt=True)

    def verdict(self, fam, hook):
        v = self.r.choices(["accept", "drop", "return", "continue", "jump ja", "goto jb"],
                           [5, 3, 2, 1, 2, 2])[0]
        return Part(v, "verdict." + v.split()[0], stmt=True)

    def s_vmap(self, fam, hook):
        vs = ["accept", "drop", "continue", "return", "jump ja", "goto jb"]
        k = self.r.random()
        if k < 0.3:
            key, fn = self.c([("tcp dport", self.port), ("th dport", lambda: self.port(False)),
                              ("meta mark", self.mark), ("iifname", self.ifname),
                              ("meta l4proto", lambda: self.c(L4[:4]))])
        elif k < 0.45:
            key, fn = "ct state", lambda: self.c(CT_STATES)
        elif k < 0.6:
            n = self.r.randint(2, 4)
            key, fn = "numgen %s mod %d" % (self.c(["random", "inc"]), n), lambda: str(self.r.randint(0, n - 1))
        elif k < 0.75:
            if self.l3 == "ip6":
                key, fn = "ip6 saddr", self.v6val
            else:
                key, fn = "ip saddr", self.v4val
        elif k < 0.8 and self.l3 != "ip6":
            # fw4's and kube-proxy's forms: address (prefix, range) . port (range)
            key, fn = self.c([("ip saddr . tcp dport", lambda: "%s . %s" % (self.v4val(), self.portval())),
                              ("ip daddr . meta l4proto . th dport",
                               lambda: "%s . %s . %s" % (self.v4val(), self.c(["tcp", "udp"]), self.port(False))),
                              ("iifname . ip daddr", lambda: "%s . %s" % (self.ifname(), self.v4val())),
                              ("meta mark . ip saddr", lambda: "%s . %s" % (self.mark(), self.v4val()))])
        elif k < 0.9:
            if self.l3 == "ip6":
                key, fn = "meta l4proto . th dport", lambda: "%s . %s" % (self.c(["tcp", "udp"]), self.port(False))
            else:
                key, fn = "ip daddr . meta l4proto . th dport", \
                    lambda: "%s . %s . %s" % (self.v4(), self.c(["tcp", "udp"]), self.port(False))
        else:
            if self.l3 != "ip6" and self.on("named"):
                return Part(self.c(["tcp dport vmap @vm", "ip daddr . meta l4proto . th dport vmap @vc",
                                    "ip daddr . tcp dport vmap @vci"]),
                            ["vmap", "named.vmap"], stmt=True)
            key, fn = "tcp dport", self.port
        n = self.r.randint(1, 4)
        keys = list(dict.fromkeys(fn() for _ in range(n)))
        els = ["%s : %s" % (x, self.c(vs)) for x in keys]
        return Part("%s vmap { %s }" % (key, ", ".join(els)), ["vmap"],
                    ["%s vmap { %s }" % (key, els[0])] if len(els) > 1 else [], stmt=True)

    def s_nat(self, fam, hook, needl4):
        """A NAT statement for the hook; needl4() adds a protocol match and is
        called when the statement has ports."""
        q = ""
        if fam == "inet":
            q = self.l3 + " "
        v6 = self.l3 == "ip6" or q == "ip6 "
        addr = (lambda: "[%s]" % self.v6()) if v6 else self.v4
        rawaddr = self.v6 if v6 else self.v4
        rng = self.v6range if v6 else self.v4range
        flags = self.c(["", "", "", " random", " persistent", " fully-random", " random,persistent"])
        if hook in ("prerouting", "output"):
            kind = self.r.choices(["dnat", "redirect"], [4, 1])[0]
        elif hook == "postrouting":
            kind = self.r.choices(["snat", "masquerade"], [3, 2])[0]
        else:
            kind = "snat"
        tag = "nat." + kind
        if kind == "masquerade":
            if self.r.random() < 0.3:
                needl4()
                return Part("masquerade to :%s%s" % (self.portrange(), flags), tag, ["masquerade"], stmt=True)
            return Part("masquerade" + flags, tag, ["masquerade"], stmt=True)
        if kind == "redirect":
            if self.r.random() < 0.5:
                return Part("redirect" + flags, tag, ["redirect"], stmt=True)
            needl4()
            if self.r.random() < 0.25 and self.on("natmap"):
                return Part("redirect to :tcp dport map { 22 : 8000, 80 : 8080 }", [tag, "nat.map"],
                            ["redirect"], stmt=True)
            return Part("redirect to :%s%s" % (self.portrange(), flags), tag, ["redirect"], stmt=True)
        # dnat / snat
        k = self.r.random()
        base = "%s %sto " % (kind, q)
        plain = base + rawaddr()
        if k < 0.35:
            return Part(plain + flags, tag, [plain], stmt=True)
        if k < 0.55:
            needl4()
            t = "%s%s:%s" % (base, addr(), self.portrange())
            return Part(t + flags, [tag, "nat.port"], [plain], stmt=True)
        if k < 0.65:
            t = base + rng()
            if self.r.random() < 0.4:
                needl4()
                t = "%s%s:%s" % (base, ("[%s]" % rng()) if v6 else rng(), self.portrange())
            return Part(t + flags, [tag, "nat.range"], [plain], stmt=True)
        if not self.on("natmap"):
            return Part(plain, tag, stmt=True)
        if k < 0.75:
            src = "ip6 saddr" if v6 else "ip saddr"
            els = ", ".join("%s : %s" % (self.v6val() if v6 else self.v4val(), rawaddr()) for _ in range(2))
            return Part("%s%s map { %s }" % (base, src, els), [tag, "nat.map"], [plain], stmt=True)
        if k < 0.82:
            n = self.r.randint(2, 3)
            els = ", ".join("%d : %s" % (i, rawaddr()) for i in range(n))
            return Part("%snumgen %s mod %d map { %s }" % (base, self.c(["random", "inc"]), n, els),
                        [tag, "nat.map", "numgen"], [plain], stmt=True)
        if k < 0.88 and not v6:
            needl4()
            els = "%s . %s : %s . %s" % (self.v4(), self.port(False), self.v4pfx() if self.r.random() < .4
                                         else self.v4(), self.portrange())
            return Part("%s ip to ip saddr . tcp dport map { %s }" % (kind, els), [tag, "nat.map", "concat"],
                        [plain], stmt=True)
        if k < 0.905 and not v6 and kind == "dnat":
            # kube-proxy / fw4: dnat ip to ip daddr . tcp dport map { A . P : B . Q }
            needl4()
            proto = self.c(["tcp", "udp", "th"])
            n = self.r.randint(1, 3)
            keys = list(dict.fromkeys("%s . %s" % (self.v4(), self.port(False)) for _ in range(n)))
            els = ", ".join("%s : %s . %s" % (x, self.v4(), self.port(False)) for x in keys)
            if self.on("named") and self.r.random() < 0.3:
                return Part("dnat ip to ip daddr . tcp dport map @dn2", [tag, "nat.map", "concat", "named.map"],
                            [plain], stmt=True)
            return Part("dnat %sto ip daddr . %s dport map { %s }" % (q or "ip ", proto, els),
                        [tag, "nat.map", "concat"], [plain], stmt=True)
        if k < 0.93 and not v6:
            needl4()
            return Part("%s ip addr . port to ip daddr map { %s : %s . %s }" % (
                kind, self.v4(), self.v4(), self.port(False)), [tag, "nat.map", "concat"], [plain], stmt=True)
        if k < 0.97 and not v6:
            return Part("%s ip prefix to ip %s map { %s : %s }" % (kind, self.c(["saddr", "daddr"]), self.v4pfx(),
                                                                   self.v4pfx()), [tag, "nat.prefix"], [plain],
                        stmt=True)
        if not v6 and self.on("named"):
            return Part("%s %sto ip saddr map @m4" % (kind, q), [tag, "nat.map", "named.map"], [plain], stmt=True)
        return Part(plain, tag, stmt=True)

    def portrange(self):
        a = self.r.randint(1, 60000)
        return self.c([str(a), "%d-%d" % (a, a + self.r.randint(1, 5000))])

    # ---- one rule -----------------------------------------------------
    def rule(self, fam=None, chain=None):
        fam = fam or self.r.choices(["ip", "ip6", "inet"], [4, 2, 4])[0]
        chain = chain or self.r.choices(list(CHAINS), [5, 5, 2, 1, 3, 2, 2])[0]
        kind, hook = CHAINS[chain]
        self.l3 = self.c(["ip", "ip6"]) if fam == "inet" else fam
        parts = []
        for _ in range(self.r.choices([0, 1, 2, 3, 4], [1, 5, 5, 3, 1])[0]):
            m = self.match(fam, hook)
            if m:
                parts.append(m)
        have_l4 = any(t.startswith("l4.port.tcp") or t.startswith("l4.port.udp") or t == "meta.l4proto"
                      for p in parts for t in p.tags)

        def needl4():
            nonlocal have_l4
            if not have_l4 and self.r.random() < 0.97:
                parts.append(self.c([Part("meta l4proto tcp", "meta.l4proto"),
                                     Part("tcp dport %s" % self.port(), "l4.port.tcp"),
                                     Part("udp dport %s" % self.port(), "l4.port.udp"),
                                     Part("meta l4proto { tcp, udp }", ["meta.l4proto", "set.anon"])]))
                have_l4 = True

        stmts = []
        opts = [("stmt", 4), ("log", 2), ("markset", 3), ("payloadset", 1), ("dynset", 1), ("queue", 1),
                ("dup", 0.3)]
        opts = [(f, w) for f, w in opts if self.on(f)]
        for _ in range(self.r.choices([0, 1, 2], [5, 3, 1])[0]):
            if opts:
                f = self.r.choices([f for f, _ in opts], [w for _, w in opts])[0]
                if f == "queue" and (stmts and stmts[-1].tags[0] == "verdict.queue"):
                    continue
                stmts.append(getattr(self, "s_" + f)(fam, hook))
        # the terminal statement
        end = None
        k = self.r.random()
        if kind == "nat" and self.on("nat") and k < 0.6:
            end = self.s_nat(fam, hook, needl4)
        elif kind == "filter" and self.on("reject") and k < 0.3:
            end = self.s_reject(fam, hook)
        elif self.on("vmap") and k < 0.75:
            end = self.s_vmap(fam, hook)
        elif self.on("verdict") and k < 0.95:
            end = self.verdict(fam, hook)
        if any(s.tags[0] == "verdict.queue" for s in stmts):
            end = None if end is None or end.tags[0].startswith("verdict") or "vmap" in end.tags else end
            stmts = [s for s in stmts if s.tags[0] != "verdict.queue"] + \
                [s for s in stmts if s.tags[0] == "verdict.queue"][:1]
            if end is not None:
                stmts = [s for s in stmts if s.tags[0] != "verdict.queue"]
        parts += stmts
        if end:
            parts.append(end)
        if self.on("comment") and self.r.random() < 0.08:
            parts.append(Part('comment "gen rule %d"' % self.r.randint(0, 9999), "comment", stmt=True))
        if not parts:
            parts.append(Part("accept", "verdict.accept", stmt=True))
        return Rule(fam, chain, parts)


def variants(rule):
    """Simpler rules than RULE (for the reducer): one part dropped, or one
    part replaced by a simpler form of itself."""
    out = []
    ps = rule.parts
    if len(ps) > 1:
        for i in range(len(ps)):
            out.append(Rule(rule.fam, rule.chain, ps[:i] + ps[i + 1:]))
    for i, p in enumerate(ps):
        for s in p.simpler:
            out.append(Rule(rule.fam, rule.chain, ps[:i] + [Part(s, p.tags, (), p.stmt)] + ps[i + 1:]))
    return out


if __name__ == "__main__":
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    g = Gen(seed)
    for _ in range(n):
        print(g.rule())

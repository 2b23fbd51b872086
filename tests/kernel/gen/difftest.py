# SPDX-License-Identifier: GPL-3.0-or-later
"""Differential test of natsh against nft (the oracle), in network namespaces.

  read:  nft loads the rules (nft -f batches; the lines nft refuses are found
         from its error locations, else by bisecting, counted and skipped);
         `natsh -j show` must give, per handle, nft's own text
         (`nft -a list ruleset`).  Per rule: exact, opaque (natsh flags it
         not understood), mismatch (not flagged, other text: a wrong meaning).
  write: natsh writes the same rules (`add rule FAM t CHAIN nocounter RULE`,
         one interactive session on a pseudo-terminal, so that a refused rule
         does not stop the others); `nft list` must list each rule natsh
         accepted exactly as it lists the rule nft itself wrote.  Per rule:
         exact, refused (natsh refuses it), mismatch, overaccept (nft refuses
         the rule, natsh writes something).
Every mismatch is reduced (parts dropped, sets shrunk, while it still fails)
and printed with the seed.  Counts per category and per construct.

Usage (root; called by tests/kernel/0750_gen_diff.sh and `make soak`):
  difftest.py --natsh PATH --ns-prefix PFX --seed S --count N
              [--families a,b] [--without a,b] [--corpus FILE...]
Gate (environment): GEN_MAX_MISMATCH (default 0: any wrong meaning fails),
GEN_MAX_OVERACCEPT, GEN_MAX_OPAQUE, GEN_MAX_REFUSED (default -1: not a failure).
"""
import argparse
import collections
import json
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nftgen  # noqa: E402

TMP = tempfile.mkdtemp(prefix="natsh-gen.")
NS_SEQ = [0]


def sh(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


class NS:
    """A namespace of our own, with lo, dummy0 and dummy1 up, and the test tables."""

    def __init__(self, prefix, tag, setup=True, families=("ip", "ip6", "inet")):
        NS_SEQ[0] += 1
        self.name = "%s-%s%d" % (prefix, tag, NS_SEQ[0])
        if not self.name.startswith("nsh"):
            raise SystemExit("namespace prefix must start with nsh")
        r = sh(["ip", "netns", "add", self.name])
        if r.returncode:
            raise SystemExit("cannot create namespace %s: %s" % (self.name, r.stderr))
        sh(["ip", "-n", self.name, "link", "set", "lo", "up"])
        # two interfaces for iif/oif (a veth pair: dummy is not always built)
        sh(["ip", "-n", self.name, "link", "add", "dummy0", "type", "veth", "peer", "name", "dummy1"])
        for d in ("dummy0", "dummy1"):
            sh(["ip", "-n", self.name, "link", "set", d, "up"])
        if setup:
            r = self.nft_f(nftgen.setup_text(families))
            if r.returncode:
                raise SystemExit("setup refused by nft: " + r.stderr)

    def x(self, args, **kw):
        return sh(["ip", "netns", "exec", self.name] + args, **kw)

    def nft_f(self, text):
        path = os.path.join(TMP, "batch.nft")
        with open(path, "w") as f:
            f.write(text)
        return self.x(["nft", "-f", path])

    def close(self):
        sh(["ip", "netns", "del", self.name])


# ---------------------------------------------------------------- nft side
def add_line(fam, chain, text, table="t"):
    return "add rule %s %s %s %s\n" % (fam, table, chain, text)


def nft_load(ns, rules, chunk=250):
    """Load RULES (list of nftgen.Rule) with nft; returns the set of indices
    nft accepted (each refused rule found by its error location, else by
    bisecting)."""
    accepted = set()

    def load(idx, depth=0):
        if not idx:
            return
        text = "".join(add_line(rules[i].fam, rules[i].chain, rules[i].text()) for i in idx)
        r = ns.nft_f(text)
        if r.returncode == 0:
            accepted.update(idx)
            return
        # errors of nft's own checks are all real; of the kernel's, only the
        # first (after it the kernel aborts, and nft blames later rules too)
        ev = set(int(m) for m in re.findall(r"batch\.nft:(\d+):\d+-\d+: Error: (?!Could not process rule)",
                                            r.stderr))
        kern = [int(m) for m in re.findall(r"batch\.nft:(\d+):\d+-\d+: Error: Could not process rule", r.stderr)]
        if ev:
            bad = {b - 1 for b in ev if 0 < b <= len(idx)}
            if bad and depth < 60:
                load([i for k, i in enumerate(idx) if k not in bad], depth + 1)
                return
        elif kern and 0 < kern[0] <= len(idx) and depth < 60:
            # the kernel took every rule before the first it refused: those
            # go in as they are, the rest is tried again
            k = kern[0] - 1
            load(idx[:k], depth + 1)
            load(idx[k + 1:], depth + 1)
            return
        if len(idx) == 1:
            return
        h = len(idx) // 2
        load(idx[:h], depth + 1)
        load(idx[h:], depth + 1)

    order = list(range(len(rules)))
    for s in range(0, len(order), chunk):
        load(order[s:s + chunk])
    return accepted


def nft_listing(ns):
    """{(fam, table, chain): [(handle, text), ...]} from nft -a list ruleset."""
    r = ns.x(["nft", "-a", "list", "ruleset"])
    out = collections.defaultdict(list)
    fam = tab = ch = None
    for line in r.stdout.split("\n"):
        m = re.match(r"^table (\S+) (\S+) \{", line)
        if m:
            fam, tab = m.group(1), m.group(2)
            continue
        m = re.match(r"^\tchain (\S+) \{", line)
        if m:
            ch = m.group(1)
            continue
        if line.startswith("\t}"):
            ch = None
            continue
        if ch and line.startswith("\t\t"):
            m = re.match(r"^\t\t(.*) # handle (\d+)$", line)
            if m:
                out[(fam, tab, ch)].append((int(m.group(2)), m.group(1)))
    return out


def natsh_show(natsh, ns):
    """{handle: (text, opaque)} of every rule natsh -j show shows."""
    r = sh([natsh, "-n", ns.name, "-j", "show"])
    res = {}
    if r.returncode:
        return None, r.stderr
    doc = json.loads(r.stdout)
    for t in doc["tables"]:
        for c in t["chains"]:
            for rl in c["rules"]:
                res[(t["family"], t["name"], rl["handle"])] = (rl["nft"], bool(rl.get("opaque")))
    return res, ""


def map_handles(rules, idx, listing, table="t"):
    """The rules of idx (in the order they were added) with their handle and
    nft's text: {i: (handle, text)} (appends: position order = add order)."""
    per = collections.defaultdict(list)
    for i in sorted(idx):
        per[(rules[i].fam, table, rules[i].chain)].append(i)
    out = {}
    for key, ids in per.items():
        listed = listing.get(key, [])
        for i, ent in zip(ids, listed):
            out[i] = ent
    return out


# ---------------------------------------------------------------- natsh side
class NatshPty:
    """One interactive natsh session on a pseudo-terminal: each command runs
    (and commits) on its own, an error does not end the session."""
    ERR_RE = re.compile(rb'natsh: error: unknown command "zzgen(\d+)" \(try "help"\)\r?\n  zzgen\d+\r?\n  \^~+\r?\n')

    def __init__(self, natsh, ns):
        self.m, s = pty.openpty()
        env = dict(os.environ, TERM="dumb", HOME=TMP, NO_COLOR="1", INPUTRC="/dev/null")
        self.p = subprocess.Popen([natsh, "-n", ns.name], stdin=s, stdout=s, stderr=subprocess.PIPE,
                                  close_fds=True, env=env)
        os.close(s)
        self.buf = b""
        self.seq = 0

    def run(self, line, timeout=20):
        """Run LINE; returns its stderr text ('' when it succeeded), None if natsh died."""
        self.seq += 1
        tag = self.seq
        os.write(self.m, (line + "\nzzgen%d\n" % tag).encode())
        end = time.time() + timeout
        while True:
            m = self.ERR_RE.search(self.buf)
            while m and int(m.group(1)) != tag:
                self.buf = self.buf[m.end():]
                m = self.ERR_RE.search(self.buf)
            if m:
                res = self.buf[:m.start()]
                self.buf = self.buf[m.end():]
                return res.decode(errors="replace")
            left = end - time.time()
            if left <= 0:
                return None
            r, _, _ = select.select([self.p.stderr, self.m], [], [], left)
            if self.m in r:
                try:
                    os.read(self.m, 1 << 16)
                except OSError:
                    return None
            if self.p.stderr in r:
                d = os.read(self.p.stderr.fileno(), 1 << 16)
                if not d:
                    return None
                self.buf += d

    def close(self):
        try:
            os.write(self.m, b"exit\n")
            self.p.wait(timeout=10)
        except Exception:
            self.p.kill()
            self.p.wait()
        os.close(self.m)


def natsh_write(natsh, ns, rules, idx):
    """natsh writes the rules of idx; returns ({i: error text} of refused, natsh died?)."""
    refused = {}
    s = NatshPty(natsh, ns)
    died = False
    for i in idx:
        rl = rules[i]
        e = s.run("add rule %s t %s nocounter %s" % (rl.fam, rl.chain, rl.text()))
        if e is None:
            refused[i] = "natsh died or hung"
            died = True
            s.close()
            s = NatshPty(natsh, ns)
            continue
        if e.strip():
            refused[i] = e.strip()
    s.close()
    return refused, died


# ---------------------------------------------------------------- both directions
def evaluate(natsh, prefix, rules, do_write=True):
    """Classify every rule.  Returns {i: {"nft": text|None, "read": cat,
    "natsh": text, "write": cat, "wrote": text, "why": ...}}."""
    res = {i: {} for i in range(len(rules))}
    a = NS(prefix, "r")
    try:
        acc = nft_load(a, rules)
        listing = nft_listing(a)
        hmap = map_handles(rules, acc, listing)
        shown, err = natsh_show(natsh, a)
        for i in range(len(rules)):
            d = res[i]
            if i not in hmap:
                d["nft"] = None
                d["read"] = "nft-refused"
                continue
            h, text = hmap[i]
            d["nft"] = text
            if shown is None:
                d["read"] = "mismatch"
                d["natsh"] = "natsh -j show failed: " + err.strip()[:200]
                continue
            got = shown.get((rules[i].fam, "t", h))
            if got is None:
                d["read"], d["natsh"] = "mismatch", "<rule missing from natsh show>"
            elif got[1]:
                d["read"], d["natsh"] = ("opaque-nfttext" if got[0] == text else "opaque"), got[0]
            elif got[0] == text:
                d["read"], d["natsh"] = "exact", got[0]
            else:
                d["read"], d["natsh"] = "mismatch", got[0]
    finally:
        a.close()
    if not do_write:
        return res
    b = NS(prefix, "w")
    try:
        idx = list(range(len(rules)))
        refused, died = natsh_write(natsh, b, rules, idx)
        ok = [i for i in idx if i not in refused]
        listing = nft_listing(b)
        hmap = map_handles(rules, ok, listing)
        for i in idx:
            d = res[i]
            if i in refused:
                d["write"] = "refused"
                d["why"] = refused[i]
                continue
            got = hmap.get(i, (None, "<not listed by nft>"))[1]
            d["wrote"] = got
            if d["nft"] is None:
                d["write"] = "overaccept"
            elif got == d["nft"]:
                d["write"] = "exact"
            else:
                d["write"] = "mismatch"
    finally:
        b.close()
    return res


def failing(d, direction):
    if direction == "read":
        return d.get("read") == "mismatch"
    return d.get("write") in ("mismatch", "overaccept") and (direction == "write" or d.get("write") == direction)


def reduce_all(natsh, prefix, cases, max_rounds=12):
    """cases: list of (rule, direction, category); greedy reduction in rounds,
    all cases at once: each round evaluates every simpler variant of each case
    and keeps the first that still fails the same way."""
    cur = [c[0] for c in cases]
    cats = [c[2] for c in cases]
    dirs = [c[1] for c in cases]
    last = [None] * len(cases)
    active = set(range(len(cases)))
    for _ in range(max_rounds):
        if not active:
            break
        batch, owner = [], []
        for k in sorted(active):
            for v in nftgen.variants(cur[k])[:40]:
                batch.append(v)
                owner.append(k)
        if not batch:
            break
        need_write = any(dirs[k] == "write" for k in active)
        res = evaluate(natsh, prefix, batch, do_write=need_write)
        moved = set()
        for j, v in enumerate(batch):
            k = owner[j]
            if k in moved:
                continue
            d = res[j]
            key = "read" if dirs[k] == "read" else "write"
            if d.get(key) == cats[k]:
                cur[k] = v
                last[k] = d
                moved.add(k)
        active = moved
    return cur, last


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--natsh", required=True)
    ap.add_argument("--ns-prefix", required=True)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--families", default="")
    ap.add_argument("--without", default="")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--max-reduce", type=int, default=40)
    ap.add_argument("--batch", type=int, default=2500, help="rules per namespace")
    ap.add_argument("--json", default="", help="write the per-rule results here")
    o = ap.parse_args()
    seed = o.seed if o.seed is not None else int.from_bytes(os.urandom(4), "big")
    fams = [f for f in (o.families.split(",") if o.families else nftgen.FAMILIES) if f]
    fams = [f for f in fams if f not in o.without.split(",")]
    unknown = [f for f in fams + [w for w in o.without.split(",") if w] if f not in nftgen.FAMILIES]
    if unknown:
        raise SystemExit("unknown construct families: %s (known: %s)" % (unknown, " ".join(nftgen.FAMILIES)))
    print("# gen_diff: seed %d, %d rules, families: %s" % (seed, o.count, " ".join(fams)))
    print("# reproduce: tests/kernel/gen/difftest.py --seed %d --count %d%s" %
          (seed, o.count, (" --families " + ",".join(fams)) if set(fams) != set(nftgen.FAMILIES) else ""))
    sys.stdout.flush()
    t0 = time.time()
    g = nftgen.Gen(seed, fams)
    rules = [g.rule() for _ in range(o.count)]
    res = {}
    for s in range(0, len(rules), o.batch):
        part = rules[s:s + o.batch]
        r = evaluate(o.natsh, o.ns_prefix, part, do_write=not o.no_write)
        for i, d in r.items():
            res[s + i] = d
        print("# %d/%d rules done (%.0fs)" % (min(s + o.batch, len(rules)), len(rules), time.time() - t0))
        sys.stdout.flush()
    t1 = time.time()

    cat_r = collections.Counter(d.get("read") for d in res.values())
    cat_w = collections.Counter(d.get("write") for d in res.values() if d.get("write"))
    per = collections.defaultdict(collections.Counter)
    for i, d in res.items():
        for t in rules[i].tags():
            per[t]["n"] += 1
            per[t]["r." + d.get("read", "-")] += 1
            if d.get("write"):
                per[t]["w." + d["write"]] += 1
    print("read  (nft writes, natsh shows): " + ", ".join("%s %d" % kv for kv in sorted(cat_r.items())))
    if cat_w:
        print("write (natsh writes, nft lists): " + ", ".join("%s %d" % kv for kv in sorted(cat_w.items())))
    print("# per construct: n  nft-refused  read exact/opaque/mismatch  write exact/refused/mismatch/overaccept")
    for t in sorted(per):
        c = per[t]
        print("#   %-18s %5d %5d   %5d %5d %5d   %5d %5d %5d %5d" % (
            t, c["n"], c["r.nft-refused"], c["r.exact"], c["r.opaque"] + c["r.opaque-nfttext"],
            c["r.mismatch"], c["w.exact"], c["w.refused"], c["w.mismatch"], c["w.overaccept"]))

    # opaque constructs: which tags appear in rules natsh flags not understood
    op_tags = collections.Counter()
    for i, d in res.items():
        if d.get("read", "").startswith("opaque"):
            for t in rules[i].tags():
                op_tags[t] += 1

    # the failures, reduced
    cases = []
    for i, d in res.items():
        if d.get("read") == "mismatch":
            cases.append((i, "read", "mismatch"))
        if d.get("write") in ("mismatch", "overaccept"):
            cases.append((i, "write", d["write"]))
    nread = sum(1 for c in cases if c[1] == "read")
    nmis_w = sum(1 for c in cases if c[2] == "mismatch" and c[1] == "write")
    nover = sum(1 for c in cases if c[2] == "overaccept")
    # reduce a spread of them: at most max_reduce, distinct first construct tags first
    seen, pick = set(), []
    for c in cases:
        key = (c[1], c[2], tuple(rules[c[0]].tags()[:3]))
        if key not in seen:
            seen.add(key)
            pick.append(c)
    pick = pick[:o.max_reduce]
    minimal = collections.OrderedDict()
    if pick:
        red, last = reduce_all(o.natsh, o.ns_prefix, [(rules[i], dr, cat) for i, dr, cat in pick])
        for (i, dr, cat), rr, d in zip(pick, red, last):
            d = d or res[i]
            key = (dr, cat, rr.fam, rr.chain, rr.text())
            if key in minimal:
                continue
            minimal[key] = (i, d)
    print("# failing cases: read mismatch %d, write mismatch %d, write overaccept %d (%d reduced)" %
          (nread, nmis_w, nover, len(pick)))
    for (dr, cat, fam, chain, text), (i, d) in minimal.items():
        print("FAIL %s %s (seed %d rule %d): %s %s %s" % (dr, cat, seed, i, fam, chain, text))
        print("     nft lists:   %s" % d.get("nft"))
        if dr == "read":
            print("     natsh shows: %s" % d.get("natsh"))
        else:
            print("     natsh wrote: %s" % d.get("wrote"))
    if op_tags:
        print("# constructs in rules natsh flags not understood: " +
              ", ".join("%s %d" % kv for kv in op_tags.most_common()))
    if o.json:
        with open(o.json, "w") as f:
            json.dump({"seed": seed, "rules": [{"rule": repr(rules[i]), "tags": rules[i].tags(), **res[i]}
                                               for i in range(len(rules))]}, f, indent=0)
    print("# time: %.0fs generate+compare, %.0fs reduce" % (t1 - t0, time.time() - t1))

    def gate(name, n, default):
        lim = int(os.environ.get(name, default))
        if lim >= 0 and n > lim:
            print("not ok - %d %s (limit %s=%d)" % (n, name[8:].lower(), name, lim))
            return 1
        return 0
    nop = cat_r.get("opaque", 0) + cat_r.get("opaque-nfttext", 0)
    bad = gate("GEN_MAX_MISMATCH", nread + nmis_w, 0) + gate("GEN_MAX_OVERACCEPT", nover, -1) + \
        gate("GEN_MAX_OPAQUE", nop, -1) + gate("GEN_MAX_REFUSED", cat_w.get("refused", 0), -1)
    ok_n = cat_r.get("exact", 0)
    if bad:
        print("not ok - gen_diff seed %d" % seed)
    else:
        print("ok - gen_diff seed %d: %d rules, %d nft-valid, %d exact, no wrong meaning over the limits" %
              (seed, len(rules), len(rules) - cat_r.get("nft-refused", 0), ok_n))
    return 1 if bad else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        subprocess.run(["rm", "-rf", TMP])

# SPDX-License-Identifier: GPL-3.0-or-later
"""Realistic rulesets (tests/kernel/data/corpus/*.nft, *.sh) shown by natsh
and compared rule by rule with nft (tests/kernel/0751_corpus.sh).  Each
ruleset is loaded into a namespace of its own (a .nft file with nft -f, a .sh
file of iptables-nft commands with bash); every rule nft lists in a table
natsh shows is classified: exact, opaque (flagged not understood), mismatch
(a wrong meaning: the test fails).  Rules of tables natsh does not show (no
NAT chain) are counted apart.
Usage: corpus.py --natsh PATH --ns-prefix PFX FILE...
"""
import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import difftest  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--natsh", required=True)
    ap.add_argument("--ns-prefix", required=True)
    ap.add_argument("files", nargs="+")
    o = ap.parse_args()
    total = collections.Counter()
    bad = 0
    for path in o.files:
        name = os.path.basename(path)
        ns = difftest.NS(o.ns_prefix, "c", setup=False)
        try:
            # interfaces the rulesets name by index (iif/oif)
            difftest.sh(["ip", "-n", ns.name, "link", "add", "virbr0", "type", "veth", "peer", "name", "virbr1"])
            if path.endswith(".sh"):
                r = ns.x(["bash", "-e", path])
            else:
                r = ns.x(["nft", "-f", path])
            if r.returncode:
                print("not ok - %s: loading failed: %s" % (name, r.stderr.strip()[:500]))
                bad += 1
                continue
            listing = difftest.nft_listing(ns)
            shown, err = difftest.natsh_show(o.natsh, ns)
            if shown is None:
                print("not ok - %s: natsh -j show failed: %s" % (name, err.strip()[:300]))
                bad += 1
                continue
            shown_tables = {(f, t) for f, t, _ in shown}
            cat = collections.Counter()
            for (fam, tab, ch), rules in listing.items():
                for h, text in rules:
                    if (fam, tab) not in shown_tables:
                        cat["not-shown"] += 1
                        continue
                    got = shown.get((fam, tab, h))
                    if got is None:
                        c = "mismatch"
                        print("  MISMATCH %s: %s %s %s: nft: %s / natsh: <missing>" % (name, fam, tab, ch, text))
                    elif got[1]:
                        c = "opaque-nfttext" if got[0] == text else "opaque"
                        print("  OPAQUE   %s: %s %s %s: nft: %s" % (name, fam, tab, ch, text))
                        if got[0] != text:
                            print("           natsh: %s" % got[0])
                    elif got[0] == text:
                        c = "exact"
                    else:
                        c = "mismatch"
                        print("  MISMATCH %s: %s %s %s: nft: %s" % (name, fam, tab, ch, text))
                        print("           natsh: %s" % got[0])
                    cat[c] += 1
            total.update(cat)
            line = ", ".join("%s %d" % kv for kv in sorted(cat.items()))
            if cat["mismatch"]:
                bad += 1
                print("not ok - %s: %s" % (name, line))
            else:
                print("ok - %s: %s" % (name, line))
        finally:
            ns.close()
    print("# corpus total: " + ", ".join("%s %d" % kv for kv in sorted(total.items())))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

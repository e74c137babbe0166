#!/usr/bin/env python3
"""Writes a synthetic OSV database in OSV's export layout (DIR/<Ecosystem>/all.zip) for benchmarks.

Usage: gen-osv-db.py DIR N [DPKG_STATUS]
N records in total: 60% Debian:12 (a third of them on source packages named in DPKG_STATUS, when given, so an
image matches some), 15% npm, 15% PyPI, 10% Maven. Ranges, aliases, CVSS vectors and severities like OSV's.
Seeded: the same N gives the same database.
"""
import json
import os
import random
import sys
import zipfile

def sources(status):
    names = set()
    if not status:
        return []
    pkg = src = None
    with open(status, encoding="utf-8", errors="replace") as f:
        for line in f.read().split("\n") + [""]:
            if not line:
                if pkg:
                    names.add(src or pkg)
                pkg = src = None
            elif line.startswith("Package: "):
                pkg = line[9:].strip()
            elif line.startswith("Source: "):
                src = line[8:].split(" ")[0].strip()
    return sorted(names)

def main():
    out, n = sys.argv[1], int(sys.argv[2])
    real = sources(sys.argv[3] if len(sys.argv) > 3 else None)
    rnd = random.Random(42)
    vec = "CVSS:3.1/AV:%s/AC:%s/PR:%s/UI:%s/S:%s/C:%s/I:%s/A:%s"
    plan = [("Debian", 0.60), ("npm", 0.15), ("PyPI", 0.15), ("Maven", 0.10)]
    for eco, share in plan:
        os.makedirs(os.path.join(out, eco), exist_ok=True)
        count = int(n * share)
        with zipfile.ZipFile(os.path.join(out, eco, "all.zip"), "w", zipfile.ZIP_DEFLATED) as z:
            for i in range(count):
                rid = "%s-%06d" % ({"Debian": "DEBIAN-CVE", "npm": "GHSA", "PyPI": "PYSEC", "Maven": "GHSA-M"}[eco], i)
                if eco == "Debian":
                    name = real[i % len(real)] if real and i % 3 == 0 else "pkg%05d" % rnd.randrange(20000)
                    ecosystem = "Debian:12"
                    fixed = "%d.%d.%d-%d+deb12u%d" % (rnd.randrange(1, 9), rnd.randrange(20), rnd.randrange(20),
                                                    rnd.randrange(1, 5), rnd.randrange(1, 9))
                elif eco == "Maven":
                    name, ecosystem = "org.example%03d:lib%04d" % (rnd.randrange(500), rnd.randrange(5000)), "Maven"
                    fixed = "%d.%d.%d" % (rnd.randrange(1, 6), rnd.randrange(20), rnd.randrange(20))
                else:
                    name, ecosystem = "lib%05d" % rnd.randrange(20000), eco
                    fixed = "%d.%d.%d" % (rnd.randrange(1, 6), rnd.randrange(20), rnd.randrange(20))
                record = {
                    "id": rid, "modified": "2025-01-01T00:00:00Z", "aliases": ["CVE-2025-%05d" % (i % 99999)],
                    "summary": "synthetic record %d" % i,
                    "severity": [{"type": "CVSS_V3", "score": vec % tuple(rnd.choice(x) for x in
                                  ("NALP", "LH", "NLH", "NR", "UC", "NLH", "NLH", "NLH"))}],
                    "affected": [{"package": {"ecosystem": ecosystem, "name": name},
                                  "ranges": [{"type": "SEMVER" if eco == "npm" else "ECOSYSTEM",
                                              "events": [{"introduced": "0"}, {"fixed": fixed}]}]}],
                }
                z.writestr(rid + ".json", json.dumps(record))

if __name__ == "__main__":
    main()

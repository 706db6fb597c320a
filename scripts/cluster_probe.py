#!/usr/bin/python3
"""Other clustering rules on align's own cosines, against the gold (issue 27).

A Python replica of align's clustering (mutual best matches per source pair at
or above a threshold, merged best first into clusters that hold each source
once; no restatements) next to two families of rules that let more statements
into a cluster, each scored like scripts/quality.py gold (cluster pairs
against tests/data/gold's 156 cross-source pairs):

  agglomerative  clusters merged best first while their linkage (avg: mean,
                 max: best cross pair of their statements) reaches the
                 threshold, holding each source at most CAP times
  overlapping    the replica, and each matched pair refused because the two
                 clusters share a source puts each side into the other's
                 cluster as a second membership where its source is absent

The cosines are align's defaults (similarity.csv of `textsim align`); flagged
statements (short, boilerplate) take no part.  Prints a Markdown table
(docs/QUALITY.md, "Other clustering rules"), 40 s.

Usage: /usr/bin/python3 scripts/cluster_probe.py [--textsim BIN]
"""
import csv
import itertools
import os
import subprocess
import sys
import tempfile
from collections import Counter

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quality  # noqa: E402  (the gold, its pairs and the scoring)


def similarities(textsim, work):
    subprocess.run([textsim, "align", quality.CORPUS, "-o", work, "-q"], check=True)
    with open(os.path.join(work, "similarity.csv"), newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        ids = next(rows)[1:]
        m = np.array([[float(x) for x in row[1:]] for row in rows])
    with open(os.path.join(work, "statements.csv"), newline="", encoding="utf-8") as f:
        flagged = {r["id"] for r in csv.DictReader(f) if r["flag"]}
    return ids, m, np.array([i in flagged for i in ids])


class Probe:
    def __init__(self, ids, m, flagged):
        self.ids, self.m, self.flagged = ids, m, flagged
        self.src = np.array([quality.source_of(i) for i in ids])
        self.gold = quality.gold_pairs()

    def score(self, clusters):
        predicted = set()
        for members in clusters:
            for a, b in itertools.combinations(sorted(self.ids[k] for k in members), 2):
                if quality.source_of(a) != quality.source_of(b):
                    predicted.add((a, b))
        return quality.prf(predicted, self.gold)

    def mutual(self, t):
        pairs = []
        for x, y in itertools.combinations(sorted(set(self.src)), 2):
            ia = np.where((self.src == x) & ~self.flagged)[0]
            ib = np.where((self.src == y) & ~self.flagged)[0]
            if not len(ia) or not len(ib):
                continue
            block = self.m[np.ix_(ia, ib)]
            best_b, best_a = block.argmax(1), block.argmax(0)
            for r, c in enumerate(best_b):
                if best_a[c] == r and block[r, c] >= t:
                    pairs.append((block[r, c], ia[r], ib[c]))
        return sorted(pairs, key=lambda p: (-p[0], min(p[1:]), max(p[1:])))

    def replica(self, t, overlapping=False):
        n = len(self.ids)
        parent, sources = list(range(n)), {k: {self.src[k]} for k in range(n)}

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x
        refused = []
        for s, a, b in self.mutual(t):
            ra, rb = find(a), find(b)
            if ra == rb:
                continue
            if sources[ra] & sources[rb]:
                refused.append((a, b))
                continue
            parent[rb] = ra
            sources[ra] |= sources[rb]
        clusters = {}
        for k in range(n):
            clusters.setdefault(find(k), []).append(k)
        if overlapping:
            extra = {}
            for a, b in refused:
                for x, y in ((a, b), (b, a)):
                    if self.src[x] not in sources[find(y)]:
                        extra.setdefault(find(y), set()).add(x)
            for r, more in extra.items():
                clusters[r] = clusters[r] + sorted(more)
        return [c for c in clusters.values() if len(c) > 1]

    def agglomerative(self, t, link, cap):
        clusters = {k: [k] for k in range(len(self.ids)) if not self.flagged[k]}
        reduce = np.mean if link == "avg" else np.max
        while True:
            best, keys = None, sorted(clusters)
            for i, x in enumerate(keys):
                for y in keys[i + 1:]:
                    if max(Counter(self.src[clusters[x] + clusters[y]]).values()) > cap:
                        continue
                    s = reduce(self.m[np.ix_(clusters[x], clusters[y])])
                    if s >= t and (best is None or s > best[0]):
                        best = (s, x, y)
            if not best:
                return [c for c in clusters.values() if len(c) > 1]
            clusters[best[1]] += clusters.pop(best[2])


def main(argv):
    textsim = os.path.join(quality.ROOT, "build", "textsim")
    if "--textsim" in argv:
        textsim = argv[argv.index("--textsim") + 1]
    with tempfile.TemporaryDirectory(prefix="textsim-cluster-probe-") as work:
        probe = Probe(*similarities(textsim, work))
    rows = []
    for t in (0.15, 0.2, 0.25):
        rows.append(("replica of align (mutual best, each source once)", t, probe.replica(t)))
        rows.append(("replica + overlapping memberships", t, probe.replica(t, True)))
        for link, cap in (("avg", 1), ("avg", 2), ("max", 1), ("max", 2)):
            rows.append((f"agglomerative, {link} linkage, each source at most {cap}x", t,
                         probe.agglomerative(t, link, cap)))
    print("| rule | threshold | predicted pairs | correct | precision | recall | F1 |")
    print("|---|---|---|---|---|---|---|")
    for name, t, clusters in sorted(rows, key=lambda r: (r[0], r[1])):
        s = probe.score(clusters)
        print(f"| {name} | {t} | {s['predicted']} | {s['correct']} | {s['precision']:.3f} | "
              f"{s['recall']:.3f} | {s['f1']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

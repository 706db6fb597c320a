#!/usr/bin/env python3
"""Which outlets report the same facts?  textsim from Python on the example
corpus (five articles on the December 2025 Moscow talks).

    pip install ./python            # once, from the textsim source tree
    python3 examples/python/compare_outlets.py

Prints the facts most outlets share, the near-duplicate statements (top-1
match above 0.6), and the TF-IDF matrix's shape.
"""
import pathlib

import textsim

CORPUS = pathlib.Path(__file__).resolve().parents[1] / "moscow-talks-2025"
paths = sorted(CORPUS.glob("*.txt"))
names = ["outlet-%d" % i for i in range(1, len(paths) + 1)]
texts = [p.read_text(encoding="utf-8") for p in paths]

al = textsim.align(texts, sources=names)
text_of = {s["id"]: s["text"] for s in al.statements}
source_of = {s["id"]: s["source"] for s in al.statements}
print(f"{al!r} on {al.backend} ({al.device})\n")
print("Facts reported by three outlets or more:")
for members in al.clusters:
    outlets = sorted({source_of[m] for m in members})
    if len(outlets) < 3:
        break  # clusters come by support, largest first
    print(f"  {len(outlets)} outlets ({', '.join(outlets)}): {text_of[members[0]][:90]}")

statements = [s["text"] for s in al.statements]
P = textsim.pairs(statements, top_k=1, min_score=0.6)
print(f"\n{P.nnz} statements have a near-duplicate (cosine >= 0.6), e.g.:")
rows, cols = P.nonzero()
for i, j in list(zip(rows, cols))[:3]:
    print(f"  {P[i, j]:.2f}  {statements[i][:60]!r}\n        {statements[j][:60]!r}")

X, vocabulary = textsim.tfidf(statements)
print(f"\nTF-IDF: {X.shape[0]} statements x {len(vocabulary)} terms, {X.nnz} non-zeros")

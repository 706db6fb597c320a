#!/usr/bin/python3
"""dedup.py - the deduplication job side by side: textsim against sparse_dot_topn.

Every pair of statements whose cosine reaches a threshold (0.8 by default), on
the same statements (one per line, as bench/peers.py writes its corpora) with
the same TF-IDF (scikit-learn's TfidfVectorizer defaults, which are textsim's):

  textsim          `textsim pairs --segment line --top-k 0 --min-score T DIR -o out.csv`,
                   timed as a process (wall clock), first run reported apart
                   (pocl may build its kernels then).
  sparse_dot_topn  TfidfVectorizer().fit_transform, sp_matmul_topn(X, X.T,
                   top_n=--peer-top-n (1000: it allocates top_n slots per row, so
                   top_n=N does not fit), threshold=T - 1e-7, n_threads=2), self
                   dropped, the same CSV; timed in-process from reading the text
                   to the written CSV (its interpreter start-up and imports apart).
                   A row that fills its top_n is counted (capped_rows): then it
                   may lack pairs, and the agreement shows it.

Agreement: the share of textsim's pairs that sparse_dot_topn lists too, and of
its pairs that textsim lists (pairs within 1e-5 of T may fall either side).

Writes OUT/dedup.csv (tool,corpus,n,threshold,run,seconds,in_process_s,
pairs,agreement).  Run with /usr/bin/python3 after bench/peers.py has made
bench/.venv (it installs sparse_dot_topn there):

  bench/dedup.py --build build CORPUS_DIR...
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

import peers  # read_statements, write_pairs, run_process, ensure_venv

T_START = time.perf_counter()
ROOT = peers.ROOT
FIELDS = ["tool", "corpus", "n", "threshold", "run", "seconds", "in_process_s", "pairs",
          "agreement", "note"]


def worker(args):
    """sparse_dot_topn in this process; writes its timings as JSON."""
    t0 = time.perf_counter()
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sparse_dot_topn import sp_matmul_topn
    imports = time.perf_counter() - t0
    begin = time.perf_counter()
    texts, ids = peers.read_statements(args.dir)
    X = TfidfVectorizer().fit_transform(texts)
    n = X.shape[0]
    # threshold is exclusive in sparse_dot_topn, inclusive in textsim
    top_n = min(n, args.peer_top_n)
    C = sp_matmul_topn(X, X.T, top_n=top_n, threshold=args.threshold - 1e-7, sort=True,
                       n_threads=args.threads)
    capped = int((np.diff(C.indptr) >= top_n).sum())
    rows = np.repeat(np.arange(n), np.diff(C.indptr))
    cols, vals = C.indices.astype(np.int64), C.data
    keep = (cols != rows) & (vals >= args.threshold)
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    order = np.lexsort((cols, -vals, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    starts = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))[:-1]))
    rank = np.arange(len(rows)) - starts[rows] + 1
    peers.write_pairs(args.out, ids, rows, cols, vals, rank)
    end = time.perf_counter()
    with open(args.result, "w") as f:
        json.dump({"import_s": imports, "total_s": end - begin, "statements": n,
                   "pairs": int(len(rows)), "capped_rows": capped}, f)


def read_pairs(path):
    """{(a, b): score} of a pairs CSV."""
    with open(path, encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        return {(a, b): float(s) for a, b, s, _ in r}


def agreement(mine, theirs, threshold):
    """Share of mine that theirs holds, pairs within 1e-5 of the threshold
    (the 4-decimal CSV) counted as found."""
    if not mine:
        return 1.0
    found = sum(1 for p, s in mine.items() if p in theirs or abs(s - threshold) <= 1e-4)
    return found / len(mine)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="*", help="corpus directories (one statement per line)")
    ap.add_argument("--build", default="build")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--repeat", type=int, default=3, help="runs after the first (3)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--peer-top-n", type=int, default=1000,
                    help="sparse_dot_topn's top_n (1000)")
    ap.add_argument("--limit", type=float, default=1800, help="seconds per run (1800)")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench"))
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--dir", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    ap.add_argument("--out-csv", dest="out_csv", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        args.out = args.out_csv
        worker(args)
        return 0
    python, why = peers.ensure_venv(["sparse_dot_topn"])
    if why:
        print(f"dedup.py: sparse_dot_topn unavailable: {why}", file=sys.stderr)
        return 1
    textsim = os.path.join(args.build, "textsim")
    rows = []
    work = tempfile.mkdtemp(prefix="textsim-dedup-")
    for d in args.dirs:
        name = os.path.basename(os.path.normpath(d))
        t_csv, p_csv = os.path.join(work, "textsim.csv"), os.path.join(work, "peer.csv")
        best = {}
        for run in range(args.repeat + 1):
            r = peers.run_process([textsim, "pairs", "--segment", "line", "--top-k", "0",
                                   "--min-score", str(args.threshold), d, "-o", t_csv, "-q"],
                                  args.limit)
            if r["rc"] != 0:
                print(f"dedup.py: textsim failed on {d}: {r['stderr']}", file=sys.stderr)
                return 1
            if run == 0:
                best["textsim-first"] = r["wall_s"]
            elif r["wall_s"] < best.get("textsim", 1e30):
                best["textsim"] = r["wall_s"]
            res = os.path.join(work, "peer.json")
            q = peers.run_process([python, os.path.abspath(__file__), "--worker", "--dir", d,
                                   "--result", res, "--out-csv", p_csv, "--threshold",
                                   str(args.threshold), "--threads", str(args.threads),
                                   "--peer-top-n", str(args.peer_top_n)],
                                  args.limit)
            if q["rc"] != 0:
                print(f"dedup.py: sparse_dot_topn failed on {d}: {q['stderr']}",
                      file=sys.stderr)
                return 1
            with open(res) as f:
                t = json.load(f)
            if run and t["total_s"] < best.get("peer_in", 1e30):
                best.update(peer_in=t["total_s"], peer_wall=q["wall_s"])
        mine, theirs = read_pairs(t_csv), read_pairs(p_csv)
        n = t["statements"]
        rows.append({"tool": "textsim", "corpus": name, "n": n, "threshold": args.threshold,
                     "run": "first", "seconds": round(best["textsim-first"], 3),
                     "in_process_s": "", "pairs": len(mine), "agreement": ""})
        rows.append({"tool": "textsim", "corpus": name, "n": n, "threshold": args.threshold,
                     "run": f"best of {args.repeat}", "seconds": round(best["textsim"], 3),
                     "in_process_s": "", "pairs": len(mine),
                     "agreement": round(agreement(theirs, mine, args.threshold), 4),
                     "note": "process wall time"})
        rows.append({"tool": "sparse_dot_topn", "corpus": name, "n": n,
                     "threshold": args.threshold, "run": f"best of {args.repeat}",
                     "seconds": round(best["peer_wall"], 3),
                     "in_process_s": round(best["peer_in"], 3), "pairs": len(theirs),
                     "agreement": round(agreement(mine, theirs, args.threshold), 4),
                     "note": f"top_n={args.peer_top_n}, {t['capped_rows']} rows capped"})
        print(f"{name}: n={n} textsim {best['textsim']:.2f} s (first {best['textsim-first']:.2f})"
              f", sparse_dot_topn {best['peer_in']:.2f} s in-process ({best['peer_wall']:.2f} "
              f"wall): {best['peer_in'] / best['textsim']:.1f}x; pairs {len(mine)} / "
              f"{len(theirs)}", flush=True)
    path = os.path.join(args.out, "dedup.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""search.py - queries against a saved archive, side by side: textsim against
sparse_dot_topn.

The archive is a corpus directory (one statement per line, as
`textsim-bench --write-corpus` writes it), the queries another; the TF-IDF is
scikit-learn's TfidfVectorizer defaults (textsim's), fitted on the archive:

  textsim          `textsim index build --segment line ARCHIVE -o a.tsidx` once
                   (timed apart: the fit), then `textsim search a.tsidx
                   --segment line QUERIES --top-k K -o out.csv`, timed as a
                   process (wall clock: opening the mapped index, reading and
                   weighting the queries, the search, the CSV), first run
                   reported apart (pocl may build its kernels then), peak RSS
                   from wait4; and `textsim index info` (the open alone).
  sparse_dot_topn  TfidfVectorizer().fit(archive) and its transform of the
                   archive once (the fit, timed apart), then, timed in-process:
                   transform(queries), sp_matmul_topn(Q, A.T, top_n=K,
                   n_threads=2, sort=True) and the same CSV.

Agreement: the share of textsim's (query, match) pairs that sparse_dot_topn
lists too (ties at a query's K-th score may fall either way).

Writes OUT/search.csv (tool,archive,n,queries,q,top_k,run,seconds,in_process_s,
peak_rss_mb,matches,agreement,note).  Run with /usr/bin/python3 after
bench/peers.py or bench/dedup.py made bench/.venv:

  bench/search.py --build build ARCHIVE_DIR QUERIES_DIR [--top-k 10]
"""
import argparse
import csv
import json
import os
import sys
import tempfile
import time

import peers  # read_statements, run_process, ensure_venv

ROOT = peers.ROOT
FIELDS = ["tool", "archive", "n", "queries", "q", "top_k", "run", "seconds", "in_process_s",
          "peak_rss_mb", "matches", "agreement", "note"]


def worker(args):
    """sparse_dot_topn in this process; writes its timings as JSON."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sparse_dot_topn import sp_matmul_topn
    t0 = time.perf_counter()
    texts, ids = peers.read_statements(args.archive)
    vec = TfidfVectorizer(dtype=np.float32)
    A = vec.fit_transform(texts)
    fit_s = time.perf_counter() - t0
    begin = time.perf_counter()
    qtexts, qids = peers.read_statements(args.queries)
    Q = vec.transform(qtexts)
    C = sp_matmul_topn(Q, A.T, top_n=args.top_k, sort=True, n_threads=args.threads)
    rows = np.repeat(np.arange(Q.shape[0]), np.diff(C.indptr))
    cols, vals = C.indices.astype(np.int64), C.data
    keep = vals > 0
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    order = np.lexsort((cols, -vals, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    starts = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=Q.shape[0]))[:-1]))
    rank = np.arange(len(rows)) - starts[rows] + 1
    with open(args.out_csv, "w", encoding="utf-8", buffering=1 << 20) as f:
        f.write("query,match,score,rank\n")
        f.write("".join(f"{qids[a]},{ids[b]},{v:.4f},{k}\n"
                        for a, b, v, k in zip(rows.tolist(), cols.tolist(), vals.tolist(),
                                              rank.tolist())))
    end = time.perf_counter()
    with open(args.result, "w") as f:
        json.dump({"fit_s": fit_s, "total_s": end - begin, "statements": len(ids),
                   "queries": len(qids), "matches": int(len(rows))}, f)


def read_matches(path):
    with open(path, encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        return {(a, b) for a, b, _, _ in r}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("archive")
    ap.add_argument("queries")
    ap.add_argument("--build", default="build")
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=1, help="runs after the first (1)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=float, default=3600, help="seconds per run (3600)")
    ap.add_argument("--no-peer", action="store_true", help="textsim only")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench"))
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    ap.add_argument("--out-csv", dest="out_csv", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return 0
    python = None
    if not args.no_peer:
        python, why = peers.ensure_venv(["sparse_dot_topn"])
        if why:
            print(f"search.py: sparse_dot_topn unavailable: {why}", file=sys.stderr)
            return 1
    textsim = os.path.join(args.build, "textsim")
    work = tempfile.mkdtemp(prefix="textsim-search-")
    index = os.path.join(work, "archive.tsidx")
    name = os.path.basename(os.path.normpath(args.archive))
    qname = os.path.basename(os.path.normpath(args.queries))
    rows = []

    def row(tool, run, r, n, q, matches, agreement="", note="", in_process=""):
        rows.append({"tool": tool, "archive": name, "n": n, "queries": qname, "q": q,
                     "top_k": args.top_k, "run": run, "seconds": f"{r['wall_s']:.3f}",
                     "in_process_s": in_process, "peak_rss_mb": f"{r['peak_rss_mb']:.0f}",
                     "matches": matches, "agreement": agreement, "note": note})
        print(f"{tool:16} {run:6} {r['wall_s']:9.3f} s  {r['peak_rss_mb']:6.0f} MB  {note}",
              flush=True)

    r = peers.run_process([textsim, "index", "build", "--segment", "line", args.archive, "-o",
                           index, "-q"], args.limit)
    if r["rc"]:
        print(f"search.py: index build failed: {r['stderr']}", file=sys.stderr)
        return 1
    info = peers.run_process([textsim, "index", "info", index], args.limit)
    n = int(next(l.split()[1] for l in info["stdout"].splitlines() if l.startswith("statements:")))
    row("textsim-build", "fit", r, n, "", "", note=f"{os.path.getsize(index) / 1e6:.0f} MB index")
    row("textsim-open", "info", info, n, "", "", note="index info: map, check, print")
    t_csv = os.path.join(work, "textsim.csv")
    q = len(peers.read_statements(args.queries)[1])
    for run in range(args.repeat + 1):
        r = peers.run_process([textsim, "search", index, "--segment", "line", args.queries,
                               "--top-k", str(args.top_k), "-o", t_csv, "-v"], args.limit)
        if r["rc"]:
            print(f"search.py: search failed: {r['stderr']}", file=sys.stderr)
            return 1
        mine = read_matches(t_csv)
        stats = [l for l in r["stderr"].splitlines() if "pairs in" in l]
        row("textsim", "first" if run == 0 else f"run{run}", r, n, q, len(mine),
            note=stats[-1].split(": ", 1)[-1][:160] if stats else "")
    if python:
        p_csv, res = os.path.join(work, "peer.csv"), os.path.join(work, "peer.json")
        r = peers.run_process([python, os.path.abspath(__file__), "--worker", args.archive,
                               args.queries, "--result", res, "--out-csv", p_csv, "--top-k",
                               str(args.top_k), "--threads", str(args.threads)], args.limit)
        if r["rc"]:
            print(f"search.py: sparse_dot_topn failed: {r['stderr']}", file=sys.stderr)
            return 1
        j = json.load(open(res))
        theirs = read_matches(p_csv)
        agree = len(mine & theirs) / len(mine) if mine else 1.0
        r["wall_s"] = j["total_s"]
        row("sparse_dot_topn", "run1", r, n, j["queries"], j["matches"], f"{agree:.4f}",
            note=f"fit and transform of the archive {j['fit_s']:.1f} s apart (its RSS "
                 "included)",
            in_process=f"{j['total_s']:.3f}")
    os.makedirs(args.out, exist_ok=True)
    out = os.path.join(args.out, "search.csv")
    new = not os.path.exists(out)
    with open(out, "a", newline="") as f:
        w = csv.DictWriter(f, FIELDS)
        if new:
            w.writeheader()
        w.writerows(rows)
    print(f"search.py: appended to {out}; work files in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

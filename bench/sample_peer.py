#!/usr/bin/python3
"""sample_peer.py - sparse_dot_topn's top-k at a size too large to run whole.

Reads the corpus (one statement per line, as peers.py writes it), builds the
TF-IDF matrix X with scikit-learn's TfidfVectorizer (timed), then times
sp_matmul_topn(X[rows], X.T, top_n=k+1, n_threads=T) for R evenly spaced rows:
every sampled statement against all N.  The product's cost is proportional
to the rows taken (each row meets the same N columns), so the full top-k
product is projected as (sampled time) * N / R; reading, TF-IDF and the
measured sample are reported as they are.  Prints one JSON object.

  bench/.venv/bin/python bench/sample_peer.py DIR --rows 20000 --threads 2
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402  (the same reader as peers.py's workers)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sparse_dot_topn import sp_matmul_topn
    t0 = time.perf_counter()
    texts, _ = peers.read_statements(args.dir)
    t1 = time.perf_counter()
    X = TfidfVectorizer().fit_transform(texts)
    t2 = time.perf_counter()
    n = X.shape[0]
    rows = np.linspace(0, n - 1, min(args.rows, n)).astype(np.int64)
    A = X[rows]
    XT = X.T.tocsr()
    t3 = time.perf_counter()
    C = sp_matmul_topn(A, XT, top_n=args.top_k + 1, threshold=0.0, sort=True,
                       n_threads=args.threads)
    t4 = time.perf_counter()
    print(json.dumps({
        "statements": n, "sampled_rows": int(len(rows)), "threads": args.threads,
        "read_s": round(t1 - t0, 3), "tfidf_s": round(t2 - t1, 3),
        "sample_product_s": round(t4 - t3, 3),
        "projected_product_s": round((t4 - t3) * n / len(rows), 1),
        "projected_total_s": round((t2 - t0) + (t4 - t3) * n / len(rows), 1),
        "sample_nnz": int(C.nnz)}))


if __name__ == "__main__":
    main()

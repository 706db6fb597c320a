#!/usr/bin/python3
"""peers.py - textsim side by side with scikit-learn and sparse_dot_topn.

The same job for every tool, on the same corpus and machine, text in to pairs
out: for every statement its 10 most similar other statements (score > 0,
never itself), written as the long CSV statement_a,statement_b,score,rank with
ids SOURCE:INDEX, TF-IDF with scikit-learn's TfidfVectorizer defaults (textsim's
defaults are the same: lowercase as str.lower(), token pattern (?u)\\b\\w\\w+\\b,
smooth idf, l2 norm, raw counts).

  textsim          `textsim pairs --segment line --top-k 10 DIR -o out.csv`,
                   timed as a process (wall clock); the first run gets an empty
                   pocl kernel cache (POCL_CACHE_DIR), so it includes the kernel
                   build, and is reported apart from the best of the others.
  sklearn          TfidfVectorizer().fit_transform, cosine_similarity of the
                   whole matrix (dense N x N float64), np.argpartition per row
                   for the top 10 (diagonal excluded, score > 0), the CSV.
  sklearn-chunked  the same with cosine_similarity on blocks of rows (bounded
                   memory: what one does when N x N does not fit).
  sparse_dot_topn  the same TfidfVectorizer, sp_matmul_topn(X, X.T, top_n=11,
                   n_threads=2), self dropped, the CSV.
  textsim-python   the Python package (python/, on the build's libtextsim.so):
                   textsim.pairs(texts, top_k=10), TF-IDF included, the CSV;
                   timed in-process like the other Python peers.

The Python peers run in a child process each (bench/.venv's python, made with
--system-site-packages over Debian's numpy/scipy/scikit-learn, with
sparse_dot_topn from PyPI) and are timed in-process from reading the text to
the written CSV; their interpreter start-up and imports are reported apart.
Peak RSS of every run comes from wait4().  Each run has a time limit
(--limit); a tool that cannot run at a size (memory computed from N, a
predicted time far over the limit, a timeout at a smaller N) is recorded as
"not run" with the reason.

Corpora: synthetic N (textsim-bench --synthetic N --sources 5 --write-corpus)
and news-mix (the three CSVs of --newsmix-dir, one statement per tab-separated
sentence, written by textsim-bench --write-corpus), one statement per line,
so that every tool reads exactly the same statements (checked: the statement
count and digest through textsim's own reader, and each peer's count).

Agreement: the fraction of textsim's top-10 pairs that the peer lists too,
counting a pair the peer lacks as found when it ties (at the CSV's 4 decimals)
with the peer's 10th match of that statement; the raw fraction is in the note.

Writes OUT/peers.csv (tool,corpus,n,run,seconds,peak_rss_mb,pairs,agreement,
note), OUT/peers.json (everything, with machine and versions) and OUT/peers.png
(log-log time vs N, one line per tool).  Results of tools and sizes not measured again
are kept (--fresh starts over).  Run with /usr/bin/python3:

  bench/peers.py --build build-bench --sizes 10000,news,100000,1000000 --repeat 3
"""
import argparse
import csv
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time

T_START = time.perf_counter()

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "bench", ".venv")
REQUIREMENTS = os.path.join(ROOT, "bench", "requirements-peers.txt")
TOOLS = ["textsim", "textsim-python", "sklearn", "sklearn-chunked", "sparse_dot_topn"]
PY_TOOLS = ["textsim-python", "sklearn", "sklearn-chunked", "sparse_dot_topn"]
CSV_FIELDS = ["tool", "corpus", "n", "run", "seconds", "peak_rss_mb", "pairs", "agreement", "note"]
SOURCES = 5          # synthetic statements are spread over 5 sources
TIE_TOL = 1.5e-4     # scores in the CSVs have 4 decimals
CHUNK_BYTES = 512e6  # a block of float64 scores in the chunked paths


# ---------------------------------------------------------------- worker

def read_statements(d):
    """Every non-hidden regular file of d in name order (as textsim reads a
    directory), one statement per line, blank lines skipped; the source is the
    file name without its last extension.  Split on LF only: the files were
    written by textsim-bench one trimmed statement per line, so this is exactly
    textsim's --segment line (str.splitlines would also split at U+2028 etc.)."""
    texts, ids = [], []
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        source = os.path.splitext(name)[0]
        with open(path, "rb") as f:
            data = f.read().decode("utf-8")
        index = 0
        for line in data.split("\n"):
            if line:
                index += 1
                texts.append(line)
                ids.append(f"{source}:{index}")
    return texts, ids


def write_pairs(path, ids, a, b, s, r):
    """The long CSV as textsim writes it, scores with 4 decimals."""
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as f:
        f.write("statement_a,statement_b,score,rank\n")
        step = 1 << 16
        for i in range(0, len(a), step):
            rows = zip(a[i:i + step].tolist(), b[i:i + step].tolist(), s[i:i + step].tolist(),
                       r[i:i + step].tolist())
            f.write("".join([f"{ids[x]},{ids[y]},{v:.4f},{k}\n" for x, y, v, k in rows]))


def topk_dense(np, S, row0, k):
    """Top k of each row of a dense block S (rows row0..): self excluded,
    scores > 0, best first, ties by lower statement."""
    nb, n = S.shape
    rows = np.arange(nb)
    S[rows, row0 + rows] = -1.0  # never itself; cosines are >= 0
    kk = min(k, n - 1)
    if kk <= 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e, np.zeros(0), e
    idx = np.argpartition(S, n - kk, axis=1)[:, n - kk:]
    val = np.take_along_axis(S, idx, axis=1)
    order = np.lexsort((idx, -val), axis=1)
    idx = np.take_along_axis(idx, order, axis=1)
    val = np.take_along_axis(val, order, axis=1)
    keep = val > 0
    rank = np.cumsum(keep, axis=1)
    a = np.repeat(row0 + rows, keep.sum(axis=1))
    return a, idx[keep], val[keep], rank[keep]


def worker(args):
    """One peer run in this process; writes its timings as JSON."""
    t = {}
    t0 = time.perf_counter()
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity
    if args.tool == "sparse_dot_topn":
        from sparse_dot_topn import sp_matmul_topn
    if args.tool == "textsim-python":
        import textsim
    t["import_s"] = time.perf_counter() - t0
    t["startup_to_main_s"] = t0 - T_START

    begin = time.perf_counter()
    texts, ids = read_statements(args.dir)
    t1 = time.perf_counter()
    if args.tool == "textsim-python":
        P = textsim.pairs(texts, top_k=args.top_k)  # TF-IDF, similarity and selection
        t3 = time.perf_counter()
        n = P.shape[0]
        a = np.repeat(np.arange(n), np.diff(P.indptr))
        b, s = P.indices.astype(np.int64), P.data
        r = np.arange(P.nnz) - P.indptr[a] + 1  # each row is best first
        write_pairs(args.out, ids, a, b, s, r)
        end = time.perf_counter()
        t.update(read_s=t1 - begin, similarity_select_s=t3 - t1, write_s=end - t3,
                 total_s=end - begin, statements=n, terms=0, nnz=0, pairs=int(P.nnz))
        with open(args.result, "w") as f:
            json.dump(t, f)
        return
    X = TfidfVectorizer().fit_transform(texts)
    t2 = time.perf_counter()
    n, k = X.shape[0], args.top_k
    if args.tool == "sparse_dot_topn":
        C = sp_matmul_topn(X, X.T, top_n=k + 1, threshold=0.0, sort=True, n_threads=args.threads)
        t3 = time.perf_counter()
        rows = np.repeat(np.arange(n), np.diff(C.indptr))
        cols, vals = C.indices.astype(np.int64), C.data
        keep = (cols != rows) & (vals > 0)
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        order = np.lexsort((cols, -vals, rows))
        rows, cols, vals = rows[order], cols[order], vals[order]
        starts = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))[:-1]))
        rank = np.arange(len(rows)) - starts[rows] + 1
        keep = rank <= k
        a, b, s, r = rows[keep], cols[keep], vals[keep], rank[keep]
    else:
        block = max(1, int(CHUNK_BYTES // (8 * max(n, 1))))
        parts = []
        if args.tool == "sklearn":
            S = cosine_similarity(X)  # the dense N x N float64 matrix
            t3 = time.perf_counter()
            for i in range(0, n, block):
                parts.append(topk_dense(np, S[i:i + block], i, k))
            del S
        else:
            t3 = None
            for i in range(0, n, block):
                parts.append(topk_dense(np, cosine_similarity(X[i:i + block], X), i, k))
        a, b, s, r = (np.concatenate([p[j] for p in parts]) for j in range(4))
    t4 = time.perf_counter()
    write_pairs(args.out, ids, a, b, s, r)
    end = time.perf_counter()
    t.update(read_s=t1 - begin, tfidf_s=t2 - t1, write_s=end - t4, total_s=end - begin,
             statements=n, terms=X.shape[1], nnz=int(X.nnz), pairs=int(len(a)))
    if t3 is not None:
        t.update(similarity_s=t3 - t2, select_s=t4 - t3)
    else:
        t.update(similarity_select_s=t4 - t2)
    with open(args.result, "w") as f:
        json.dump(t, f)


# ----------------------------------------------------------- orchestrator

def log(msg):
    print(f"[peers {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def mem_available():
    with open("/proc/meminfo") as f:
        info = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in f}
    return info.get("MemAvailable", info["MemTotal"]), info["MemTotal"]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run_process(cmd, limit, env=None, cwd=None):
    """Runs cmd with a wall-clock limit; returns wall time, exit code, peak
    RSS (wait4) and the tails of stdout and stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd,
                             start_new_session=True)
        killed = []

        def kill():
            killed.append(True)
            try:
                os.killpg(p.pid, 9)
            except ProcessLookupError:
                pass
        timer = threading.Timer(limit, kill)
        timer.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"wall_s": wall, "rc": p.returncode, "timed_out": bool(killed),
                "peak_rss_mb": ru.ru_maxrss / 1024.0,
                "stdout": out.read()[-4000:].decode("utf-8", "replace"),
                "stderr": err.read()[-4000:].decode("utf-8", "replace")}


def ensure_venv(python_tools):
    """bench/.venv over the system's packages, with sparse_dot_topn from PyPI
    (numpy and scipy pinned to the system's, whose scikit-learn needs them).
    Returns the venv's python, or None and the reason."""
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        log(f"creating {VENV}")
        subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", VENV], check=True)
    if "sparse_dot_topn" not in python_tools:
        return py, None
    if subprocess.run([py, "-c", "import sparse_dot_topn"], capture_output=True).returncode == 0:
        return py, None
    import numpy
    import scipy
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as c:
        c.write(f"numpy=={numpy.__version__}\nscipy=={scipy.__version__}\n")
    log("installing sparse_dot_topn into bench/.venv (pip)")
    r = subprocess.run([py, "-m", "pip", "install", "-r", REQUIREMENTS, "-c", c.name],
                       capture_output=True, text=True)
    os.unlink(c.name)
    if r.returncode != 0:
        return py, "pip could not install sparse_dot_topn: " + (r.stderr or r.stdout)[-300:]
    return py, None


def corpus_spec(kind, n, args):
    if kind == "news-mix":
        files = sorted(os.path.join(args.newsmix_dir, f) for f in os.listdir(args.newsmix_dir)
                       if f.endswith(".csv"))
        if not files:
            raise SystemExit(f"peers.py: no .csv files in {args.newsmix_dir}")
        gen = []
        for f in files:
            gen += ["--newsmix", f]
        return "news-mix", gen
    return f"synthetic-{n}", ["--synthetic", str(n), "--sources", str(SOURCES)]


def prepare_corpus(kind, n, args, bench):
    """The corpus as one statement per line in WORK/corpora/NAME; reused when
    its .complete marker matches.  Returns (dir, statement count, digest)."""
    name, gen = corpus_spec(kind, n, args)
    d = os.path.join(args.work, "corpora", name)
    marker = os.path.join(d, ".complete")
    expect = subprocess.run([bench] + gen + ["--corpus-only"], capture_output=True, text=True,
                            check=True).stdout.strip()
    if os.path.exists(marker) and open(marker).read().strip() == expect:
        got = expect
    else:
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(os.path.dirname(d), exist_ok=True)
        t0 = time.perf_counter()
        subprocess.run([bench] + gen + ["--write-corpus", d], check=True, capture_output=True)
        log(f"wrote {name} in {time.perf_counter() - t0:.2f} s")
        got = subprocess.run([bench, "--segment", "line", d, "--corpus-only"],
                             capture_output=True, text=True, check=True).stdout.strip()
        if got != expect:
            raise SystemExit(f"peers.py: {d} reads back as '{got}', not '{expect}'")
        with open(marker, "w") as f:
            f.write(expect + "\n")
    parts = got.split()  # statements N sources S digest D
    return d, int(parts[1]), parts[5]


def id_index(d):
    """SOURCE:INDEX -> statement number, in textsim's order."""
    ids = {}
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        source = os.path.splitext(name)[0]
        with open(path, "rb") as f:
            count = sum(1 for line in f.read().split(b"\n") if line)
        base = len(ids)
        for i in range(count):
            ids[f"{source}:{i + 1}"] = base + i
    return ids


def load_pairs(path, ids):
    import numpy as np
    a, b, s = [], [], []
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip()
        if header != "statement_a,statement_b,score,rank":
            raise ValueError(f"{path}: unexpected header '{header}'")
        for line in f:
            x, y, v, _ = line.rstrip("\n").split(",")
            a.append(ids[x])
            b.append(ids[y])
            s.append(float(v))
    return np.array(a, dtype=np.int64), np.array(b, dtype=np.int64), np.array(s)


def agreement(ref, got, n, k):
    """Fraction of ref's pairs that got lists, where a pair got lacks counts
    as found when its score ties (within TIE_TOL) with got's last score for
    that statement and got's list is full (a tie at the cut, which either tool
    may break its own way); the raw fraction; the largest score difference of
    the pairs both list."""
    import numpy as np
    ra, rb, rs = ref
    ga, gb, gs = got
    if len(ra) == 0:
        return 1.0, 1.0, 0.0
    rkey, gkey = ra * n + rb, ga * n + gb
    found = np.isin(rkey, gkey)
    raw = float(found.mean())
    count = np.bincount(ga, minlength=n)
    last = np.full(n, np.inf)
    np.minimum.at(last, ga, gs)
    tie = (~found) & (count[ra] >= k) & (np.abs(rs - last[ra]) <= TIE_TOL)
    _, ri, gi = np.intersect1d(rkey, gkey, return_indices=True)
    diff = float(np.max(np.abs(rs[ri] - gs[gi]))) if len(ri) else 0.0
    return float((found | tie).mean()), raw, diff


def sklearn_dense_need(n):
    return 8.0 * n * n


def plan_note(tool, kind, n, history, args, mem_avail, venv_error):
    """Why this tool does not run at this size, or None."""
    if tool == "sparse_dot_topn" and venv_error:
        return venv_error
    if tool == "sklearn":
        need = sklearn_dense_need(n)
        if need > 0.7 * mem_avail:
            return (f"not run: the dense {n} x {n} float64 matrix needs {need / 1e9:.1f} GB "
                    f"(8*N^2 bytes, before the sparse product that precedes it); "
                    f"{mem_avail / 1e9:.1f} GB available")
    for (n0, corpus0, best, timed_out) in history.get(tool, []):
        if n0 < n and timed_out:
            return f"not run: timed out (> {args.limit:g} s) at N={n0} ({corpus0})"
    if args.predict and tool != "textsim":  # textsim, the subject, runs up to --limit
        fits = [(n0, best) for (n0, _, best, t) in history.get(tool, []) if best and n0 < n]
        if fits:
            n0, best = max(fits)
            predicted = best * (n / n0) ** 2
            if predicted > 1.5 * args.limit:
                return (f"not run: predicted {predicted:.0f} s (best {best:.2f} s at N={n0}, "
                        f"times (N/{n0})^2 for all pairs) > 1.5 x --limit {args.limit:g} s")
    return None


def row_order(r):
    run = {"first": -1, "best": 1 << 30, "projected": (1 << 30) + 1}.get(r["run"])
    return (int(r["n"]), r["corpus"], TOOLS.index(r["tool"]) if r["tool"] in TOOLS else 99,
            int(r["run"]) if run is None else run)


def write_csv(path, rows):
    with open(path + ".tmp", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        w.writeheader()
        for r in sorted(rows, key=row_order):
            w.writerow({k: r.get(k, "") for k in CSV_FIELDS})
    os.replace(path + ".tmp", path)


def plot(rows, path, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 5.5))
    colors = {"textsim": "C0", "textsim-python": "C4", "sklearn": "C1", "sklearn-chunked": "C2",
              "sparse_dot_topn": "C3"}
    best = [r for r in rows if r["run"] == "best" and r["seconds"] not in ("", None)]
    for tool in TOOLS:
        syn = sorted((int(r["n"]), float(r["seconds"])) for r in best
                     if r["tool"] == tool and r["corpus"] == "synthetic")
        if syn:
            ax.plot([x for x, _ in syn], [y for _, y in syn], "o-", color=colors[tool],
                    label=f"{tool} (synthetic)")
        news = [(int(r["n"]), float(r["seconds"])) for r in best
                if r["tool"] == tool and r["corpus"] == "news-mix"]
        for x, y in news:
            ax.plot([x], [y], "s", mfc="none", mec=colors[tool], ms=9,
                    label=f"{tool} (news-mix)")
        # a time projected from a measured sample (bench/sample_peer.py), not run whole
        for r in rows:
            if r["tool"] == tool and r["run"] == "projected" and r["seconds"]:
                x, y = int(r["n"]), float(r["seconds"])
                ax.plot([x], [y], "o", mfc="none", mec=colors[tool], ms=9,
                        label=f"{tool} (projected from a sample)")
                if syn:
                    ax.plot([syn[-1][0], x], [syn[-1][1], y], ":", color=colors[tool])
        for r in rows:
            if r["tool"] == tool and r["run"] == "best" and "timed out" in r.get("note", "") \
                    and r["seconds"] in ("", None):
                ax.plot([int(r["n"])], [float(r["limit"])], "x", color=colors[tool], ms=10,
                        label=f"{tool} timed out (drawn at the limit)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("statements N")
    ax.set_ylabel("seconds, text in to top-10 pairs CSV out (best run)")
    ax.set_title(title, fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        unique = dict(zip(labels, handles))
        ax.legend(unique.values(), unique.keys(), fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def versions(py):
    code = ("import json, numpy, scipy, sklearn\n"
            "v = {'python': __import__('platform').python_version(), 'numpy': numpy.__version__,"
            " 'scipy': scipy.__version__, 'scikit-learn': sklearn.__version__}\n"
            "try:\n import importlib.metadata as m; v['sparse_dot_topn'] = m.version('sparse_dot_topn')\n"
            "except Exception: v['sparse_dot_topn'] = None\n"
            "print(json.dumps(v))")
    r = subprocess.run([py, "-c", code], capture_output=True, text=True)
    return json.loads(r.stdout) if r.returncode == 0 else {"error": r.stderr[-300:]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build", help="CMake build dir with textsim and "
                    "textsim-bench (default build)")
    ap.add_argument("--sizes", default="10000,news,100000,1000000",
                    help="comma-separated: synthetic sizes N and/or 'news' (news-mix)")
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma-separated of " + ", ".join(TOOLS))
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs after the first, best kept (3); 0: the first run only")
    ap.add_argument("--limit", type=float, default=1800, help="seconds per run (1800)")
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2, help="sparse_dot_topn n_threads (2)")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench"),
                    help="where peers.csv, peers.json, peers.png go (bench/)")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "textsim-peers"),
                    help="corpora and outputs (default $TMPDIR/textsim-peers)")
    ap.add_argument("--newsmix-dir", default=os.path.join(ROOT, "..", "shared", "corpora", "news-mix"))
    ap.add_argument("--no-predict", dest="predict", action="store_false",
                    help="run the Python peers even when quadratic scaling from a smaller N "
                    "predicts more than 1.5 x --limit (textsim always runs)")
    ap.add_argument("--keep-outputs", action="store_true", help="keep every run's CSV")
    ap.add_argument("--fresh", action="store_true",
                    help="start new result files (default: keep the rows of peers.csv for "
                    "tools and sizes this run does not measure again)")
    ap.add_argument("--plot-only", action="store_true", help="redraw peers.png from peers.csv")
    # worker mode (internal)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--dir", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    ap.add_argument("--out-csv", dest="out_csv", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        args.tool, args.out = args.worker, args.out_csv
        return worker(args)

    os.makedirs(args.out, exist_ok=True)
    csv_path = os.path.join(args.out, "peers.csv")
    json_path = os.path.join(args.out, "peers.json")
    png_path = os.path.join(args.out, "peers.png")
    mem_avail, mem_total = mem_available()
    title = (f"textsim vs peers, top-{args.top_k} pairs per statement; {cpu_model()}, "
             f"{os.cpu_count()} cores, {mem_total / 2**30:.0f} GiB")
    if args.plot_only:
        with open(csv_path) as f:
            rows = list(csv.DictReader(f))
        meta = json.load(open(json_path)) if os.path.exists(json_path) else {}
        for r in rows:
            r["limit"] = meta.get("limit", args.limit)
        plot(rows, png_path, meta.get("title", title))
        return 0

    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    for t in tools:
        if t not in TOOLS:
            raise SystemExit(f"peers.py: unknown tool '{t}' (choose from {', '.join(TOOLS)})")
    textsim = os.path.join(ROOT, args.build, "textsim")
    bench = os.path.join(ROOT, args.build, "textsim-bench")
    for exe in (textsim, bench):
        if not os.access(exe, os.X_OK):
            raise SystemExit(f"peers.py: {exe} not found: build it first "
                             f"(cmake -S . -B {args.build} -DCMAKE_BUILD_TYPE=Release && "
                             f"cmake --build {args.build} -j --target textsim_cli textsim_bench)")
    py, venv_error = ensure_venv([t for t in tools if t in PY_TOOLS])
    os.makedirs(os.path.join(args.work, "out"), exist_ok=True)
    sizes = []
    for s in args.sizes.split(","):
        s = s.strip()
        sizes.append(("news-mix", 0) if s in ("news", "news-mix") else ("synthetic", int(s)))

    meta = {"title": title, "machine": {"cpu": cpu_model(), "cores": os.cpu_count(),
                                        "mem_total_gb": mem_total / 1e9,
                                        "mem_available_gb": mem_avail / 1e9},
            "versions": versions(py), "limit": args.limit, "repeat": args.repeat,
            "top_k": args.top_k, "threads": args.threads,
            "textsim": subprocess.run([textsim, "--version"], capture_output=True,
                                      text=True).stdout.strip(),
            "textsim_device": subprocess.run([textsim, "devices"], capture_output=True,
                                             text=True).stdout.strip()[-2000:],
            "runs": []}
    rows, history = [], {}
    if not args.fresh and os.path.exists(csv_path):
        with open(csv_path) as f:
            rows = list(csv.DictReader(f))
        if os.path.exists(json_path):
            old = json.load(open(json_path))
            meta["runs"] = old.get("runs", [])
            if "projections" in old:  # bench/sample_peer.py's figures, added by hand
                meta["projections"] = old["projections"]
        for r in rows:
            r["limit"] = args.limit
            if r["run"] == "best":
                history.setdefault(r["tool"], []).append(
                    (int(r["n"]), r["corpus"], float(r["seconds"]) if r["seconds"] else None,
                     "timed out" in r["note"]))

    def forget(tool, label, n):
        """Drops the earlier results of a tool at a size that runs again."""
        same = lambda r: r["tool"] == tool and r["corpus"] == label and int(r["n"]) == n
        rows[:] = [r for r in rows if not same(r)]
        meta["runs"] = [r for r in meta["runs"] if not same(r)]
        history[tool] = [h for h in history.get(tool, []) if not (h[0] == n and h[1] == label)]

    def record(row, detail=None):
        row["limit"] = args.limit
        rows.append(row)
        if detail is not None:
            meta["runs"].append(dict(detail, **{k: row[k] for k in CSV_FIELDS}))
        write_csv(csv_path, rows)
        with open(json_path, "w") as f:
            json.dump(meta, f, indent=1)

    for kind, n_req in sizes:
        d, n, digest = prepare_corpus(kind, n_req, args, bench)
        label = "news-mix" if kind == "news-mix" else "synthetic"
        log(f"corpus {label}: {n} statements ({d}, digest {digest})")
        ids = None
        ref = None
        for tool in tools:
            forget(tool, label, n)
            note = plan_note(tool, kind, n, history, args, mem_avail, venv_error)
            if note:
                log(f"{tool} N={n}: {note}")
                record({"tool": tool, "corpus": label, "n": n, "run": "best", "seconds": "",
                        "peak_rss_mb": "", "pairs": "", "agreement": "", "note": note}, {})
                continue
            cache = tempfile.mkdtemp(prefix="pocl-cache-", dir=args.work)
            times, timed_out, first_csv = [], False, None
            for run in range(args.repeat + 1):
                out = os.path.join(args.work, "out", f"{tool}-{label}-{n}-{run}.csv")
                res_json = out + ".json"
                if tool == "textsim":
                    env = dict(os.environ, POCL_CACHE_DIR=cache)
                    cmd = [textsim, "pairs", "--segment", "line", "--top-k", str(args.top_k), d,
                           "-o", out, "-v"]
                else:
                    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
                    if tool == "textsim-python":
                        env.update(POCL_CACHE_DIR=cache, PYTHONPATH=os.path.join(ROOT, "python"),
                                   TEXTSIM_LIBRARY=os.path.join(ROOT, args.build, "libtextsim.so"))
                    cmd = [py, os.path.abspath(__file__), "--worker", tool, "--dir", d,
                           "--out-csv", out, "--result", res_json, "--top-k", str(args.top_k),
                           "--threads", str(args.threads)]
                r = run_process(cmd, args.limit, env=env)
                run_name = "first" if run == 0 else str(run)
                detail = {"cmd": cmd, "wall_s": r["wall_s"], "rc": r["rc"],
                          "stderr": r["stderr"]}
                if r["timed_out"] or r["rc"] != 0:
                    why = (f"timed out after {args.limit:g} s" if r["timed_out"]
                           else f"failed (exit {r['rc']}): {r['stderr'][-200:].strip()}")
                    log(f"{tool} N={n} run {run_name}: {why}")
                    record({"tool": tool, "corpus": label, "n": n, "run": run_name,
                            "seconds": "", "peak_rss_mb": f"{r['peak_rss_mb']:.0f}",
                            "pairs": "", "agreement": "", "note": why}, detail)
                    timed_out = r["timed_out"]
                    for leftover in (out, res_json):
                        if os.path.exists(leftover):
                            os.unlink(leftover)
                    break
                if tool == "textsim":
                    seconds, note = r["wall_s"], ("process wall time" + (
                        ", empty pocl kernel cache (kernel build included)" if run == 0 else
                        ", warm pocl kernel cache"))
                else:
                    w = json.load(open(res_json))
                    os.unlink(res_json)
                    detail["worker"] = w
                    seconds = w["total_s"]
                    stages = ", ".join(f"{k[:-2]} {w[k]:.2f}" for k in
                                       ("read_s", "tfidf_s", "similarity_s", "select_s",
                                        "similarity_select_s", "write_s") if k in w)
                    note = (f"in-process ({stages}); process wall {r['wall_s']:.2f} s of which "
                            f"start-up+imports+exit {r['wall_s'] - w['total_s']:.2f} s "
                            f"(imports {w['import_s']:.2f} s)")
                    if w["statements"] != n:
                        note += f"; READ {w['statements']} STATEMENTS, NOT {n}"
                times.append((seconds, r["peak_rss_mb"]))
                if first_csv is None:
                    first_csv = out
                elif not args.keep_outputs:
                    os.unlink(out)
                log(f"{tool} N={n} run {run_name}: {seconds:.2f} s, peak RSS "
                    f"{r['peak_rss_mb']:.0f} MB")
                record({"tool": tool, "corpus": label, "n": n, "run": run_name,
                        "seconds": f"{seconds:.3f}", "peak_rss_mb": f"{r['peak_rss_mb']:.0f}",
                        "pairs": "", "agreement": "", "note": note}, detail)
            shutil.rmtree(cache, ignore_errors=True)
            steady = times[1:] or times
            best = min(steady)[0] if steady else None
            history.setdefault(tool, []).append((n, label, best, timed_out))
            if not times:
                record({"tool": tool, "corpus": label, "n": n, "run": "best", "seconds": "",
                        "peak_rss_mb": "", "pairs": "", "agreement": "",
                        "note": f"timed out after {args.limit:g} s" if timed_out
                        else "failed"}, {})
                continue
            # agreement with textsim, from the written CSVs
            if ids is None:
                ids = id_index(d)
            pairs = load_pairs(first_csv, ids)
            if tool == "textsim":
                ref = pairs
                agree, raw, diff = 1.0, 1.0, 0.0
            else:
                if ref is None:  # textsim was not timed in this invocation: run it once
                    out = os.path.join(args.work, "out", f"textsim-{label}-{n}-reference.csv")
                    r = run_process([textsim, "pairs", "--segment", "line", "--top-k",
                                     str(args.top_k), d, "-o", out], args.limit)
                    if r["rc"] == 0:
                        ref = load_pairs(out, ids)
                        os.unlink(out)
                if ref is not None:
                    agree, raw, diff = agreement(ref, pairs, n, args.top_k)
                else:
                    agree = raw = diff = None
            if not args.keep_outputs:
                os.unlink(first_csv)
            note = (f"best of {len(steady)} runs after the first; peak RSS max over them"
                    if len(times) > 1 else "one run")
            if agree is not None and tool != "textsim":
                note += (f"; raw agreement {raw:.6f} (without ties), largest score difference "
                         f"on shared pairs {diff:.1e}")
            elif agree is None:
                note += "; no textsim output to compare with"
            record({"tool": tool, "corpus": label, "n": n, "run": "best",
                    "seconds": f"{best:.3f}",
                    "peak_rss_mb": f"{max(m for _, m in steady):.0f}",
                    "pairs": len(pairs[0]),
                    "agreement": "" if agree is None else f"{agree:.6f}", "note": note}, {})
            log(f"{tool} N={n}: best {best:.2f} s, {len(pairs[0])} pairs"
                + ("" if agree is None else f", agreement {agree:.6f} (raw {raw:.6f})"))
        plot(rows, png_path, title)
    plot(rows, png_path, title)
    log(f"wrote {csv_path}, {json_path}, {png_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

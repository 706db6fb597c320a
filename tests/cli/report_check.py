#!/usr/bin/python3
"""Checks of report.html against the CSV files `textsim align` wrote beside it.

Usage: report_check.py MODE DOM REPORT OUTDIR [ARGS...]
  DOM     the DOM Chromium dumped after the page's scripts ran (--dump-dom)
  REPORT  report.html itself (the raw bytes)
  OUTDIR  the align output directory (statements.csv, clusters.csv, ...)
MODE:
  full         every section against the CSVs (the files must be under the caps)
  xss TSV      the statements of TSV appear as text and nothing was injected
  downsampled  the heatmap is the block maximum of similarity.csv; caps noted
  candidates FULLDIR
               a run without similarity.csv: the heatmap holds the candidates
               alone (cross-source pairs of statements that take part, scoring
               at least the threshold), scored as in FULLDIR/similarity.csv
  hover        after HOVER_SCRIPT's synthetic mouse move, the info box names the
               cell's two statements and its score (from similarity.csv)

Prints "ok: ..." or "FAIL: ..." per check (test_report.sh counts them) and
exits 0; a crash is reported by the caller.  Standard library only.
"""
import base64
import csv
import json
import re
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def find(self, tag=None, cls=None, **attrs):
        return [n for n in self.walk() if (tag is None or n.tag == tag)
                and (cls is None or cls in n.classes())
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def first(self, *a, **k):
        found = self.find(*a, **k)
        return found[0] if found else None


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#document", [], None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(path):
    b = TreeBuilder()
    with open(path, encoding="utf-8") as f:
        b.feed(f.read())
    b.close()
    return b.root


def read_csv(outdir, name):
    with open(f"{outdir}/{name}", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


results = []


def check(name, cond, detail=""):
    results.append(("ok: " if cond else "FAIL: ") + name + ("" if cond else f": {detail}"))


def heatmap_data(dom):
    node = dom.first("script", id="heatmap-data")
    data = json.loads(node.text())
    data["q"] = base64.b64decode(data["cells"])
    return data


def common(dom, raw, outdir):
    """Checks that hold for every report."""
    # offline: no URL anywhere, no resource attribute, links only inside the page
    check("no http:// or https:// in the file", not re.search(r"https?://", raw, re.I),
          re.findall(r".{30}https?://.{30}", raw, re.I)[:3])
    bad = [(n.tag, k, v) for n in dom.walk() for k, v in n.attrs.items()
           if k in ("src", "srcset", "action", "formaction", "poster", "data")
           or (k == "href" and not (v or "").startswith("#"))]
    check("no src/href/action attribute leaves the page", not bad, bad[:5])
    check("no @import or url() in styles", not re.search(r"@import|url\s*\(", raw, re.I))
    handlers = [(n.tag, k) for n in dom.walk() for k in n.attrs if k.startswith("on")]
    check("no inline event handler attribute", not handlers, handlers[:5])
    scripts = dom.find("script")
    code = [s for s in scripts if s.attrs.get("type") != "application/json"]
    data = sorted(s.attrs.get("id") for s in scripts if s.attrs.get("type") == "application/json")
    check("one code <script> and the JSON data blocks, none with src",
          len(code) == 1 and data in (["facts-data", "heatmap-data", "map-data"], ["heatmap-data"])
          and not any("src" in s.attrs for s in scripts),
          [(s.attrs, s.text()[:80]) for s in scripts])
    check("no <img>, <iframe>, <object>, <embed>, <link>",
          not any(dom.find(t) for t in ("img", "iframe", "object", "embed", "link")))
    # the heatmap was drawn: the script ran to its end without an exception
    canvas = dom.first("canvas", id="heatmap-canvas")
    check("heatmap canvas exists", canvas is not None)
    check("heatmap script ran (data-rendered=1)",
          canvas is not None and canvas.attrs.get("data-rendered") == "1",
          canvas.attrs if canvas else None)
    # the embedded JSON: sources and sizes agree with statements.csv
    stmts = read_csv(outdir, "statements.csv")
    names = list(dict.fromkeys(r["source"] for r in stmts))
    d = heatmap_data(dom)
    n = len(stmts)
    size = min(n, 400)
    check("heatmap JSON: n, size, bins", d["n"] == n and d["size"] == size
          and len(d["bins"]) == size + 1 and d["bins"][0] == 0 and d["bins"][-1] == n,
          (d["n"], d["size"], len(d["bins"])))
    check("heatmap JSON: size*size cells", len(d["q"]) == size * size, len(d["q"]))
    srcs = [(s["name"], s["first"], s["count"]) for s in d["sources"]]
    exp, first = [], 0
    for name in names:
        count = sum(1 for r in stmts if r["source"] == name)
        exp.append((name, first, count))
        first += count
    check("heatmap JSON: source names and ranges", srcs == exp, (srcs, exp))
    return stmts, names, d


def sim_matrix(outdir):
    with open(f"{outdir}/similarity.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return [[float(v) for v in r[1:]] for r in rows[1:]]


def cluster_rows(dom):
    out = {}
    for tr in dom.find("tr", cls="cluster"):
        cells = []  # one per statement: a source's cell holds its restatements too
        for td in tr.find("td", cls="st"):
            ids = [sid.text() for sid in td.find("span", cls="sid")]
            for sid, t in zip(ids, td.find("span", cls="text")):
                cells.append((sid, t.text(), [m.text() for m in t.find("mark")],
                              td.attrs.get("data-source")))
        out[int(tr.attrs["data-cluster"])] = (tr, cells)
    return out


def term_words(pairs):
    words = set()
    for p in pairs:
        for term in p["shared_terms"].split("; "):
            words.update(w.casefold() for w in term.split(" ") if w)
    return words


def expected_marks(text, words):
    return [m.group(0) for m in re.finditer(r"\w+", text) if m.group(0).casefold() in words]


def check_clusters(dom, outdir, names):
    clusters = read_csv(outdir, "clusters.csv")
    pairs = read_csv(outdir, "alignment.csv")
    multi = {}
    for r in clusters:
        if int(r["support"]) >= 2:
            multi.setdefault(int(r["cluster"]), []).append(r)
    rows = cluster_rows(dom)
    check("one cluster row per cluster with support >= 2",
          sorted(rows) == sorted(multi), (sorted(rows), sorted(multi)))
    order = [int(tr.attrs["data-cluster"]) for tr in dom.find("tr", cls="cluster")]
    check("cluster rows ranked as clusters.csv (by support, then first statement)",
          order == sorted(multi), order)
    bad_members, bad_marks, bad_shape, nmarks = [], [], [], 0
    for k, members in multi.items():
        if k not in rows:
            continue
        tr, cells = rows[k]
        got = [(c[0], c[1]) for c in cells]
        want = [(m["id"], m["text"]) for m in members]
        support = len({m["source"] for m in members})
        if got != want or tr.attrs.get("data-support") != str(support):
            bad_members.append((k, got, want))
        # one column per source, in source order; the cell of each member under its source
        tds = [td for td in tr.find("td") if td.parent is tr]
        cols = [td.attrs.get("data-source") for td in tds[1:]]
        if cols != [str(s) for s in range(len(names))] or any(
                c[3] != str(names.index(m["source"])) for c, m in zip(cells, members)):
            bad_shape.append((k, cols))
        words = term_words(p for p in pairs if p["cluster"] == str(k))
        for c in cells:
            nmarks += len(c[2])
            if c[2] != expected_marks(c[1], words):
                bad_marks.append((k, c[0], c[2], expected_marks(c[1], words)))
    check("each cluster row holds clusters.csv's statements (ids and exact texts)",
          not bad_members, bad_members[:2])
    check("one column per source, each statement under its source", not bad_shape, bad_shape[:2])
    check("shared terms marked: exactly the words equal (case-insensitively) to a term word",
          not bad_marks, bad_marks[:3])
    return nmarks


def facts_data(dom):
    node = dom.first("script", id="facts-data")
    return json.loads(node.text()) if node is not None else None


def expected_facts(outdir):
    """The facts as clusters.csv and alignment.csv say: per multi-source
    cluster, its members (source, id, text, restatement), support, the best
    pair score, the representative member and the members in a pair whose
    numbers differ."""
    clusters = read_csv(outdir, "clusters.csv")
    pairs = read_csv(outdir, "alignment.csv")
    names = list(dict.fromkeys(r["source"] for r in read_csv(outdir, "statements.csv")))
    facts = {}
    for r in clusters:
        if int(r["support"]) >= 2:
            facts.setdefault(int(r["cluster"]), []).append(r)
    out = []
    for c, m in facts.items():
        best = max([float(p["score"]) for p in pairs if p["cluster"] == str(c)] or [0.0])
        links = [(float(r["link_score"]), -j) for j, r in enumerate(m) if r["restatement"] == "0"]
        differ = set()
        for p in pairs:
            if p["cluster"] == str(c) and p["discrepancy"] == "1":
                differ |= {p["source_a"] + ":" + p["index_a"], p["source_b"] + ":" + p["index_b"]}
        out.append({"c": c, "k": int(m[0]["support"]), "s": best, "r": -max(links)[1],
                    "m": [(names.index(r["source"]), r["id"], r["text"], r["restatement"] == "1")
                          for r in m], "differ": differ})
    return out, names


def check_facts(dom, outdir):
    want, names = expected_facts(outdir)
    d = facts_data(dom)
    if not want:
        check("no facts: the section says so", d is None and "No statement matched"
              in dom.first("section", id="facts").text())
        return
    got = [{"c": f["c"], "k": f["k"], "s": f["s"], "r": f["r"],
            "m": [(m[0], m[1], m[2], bool(m[3] & 1)) for m in f["m"]]} for f in d["facts"]]
    check("facts JSON: every multi-source cluster of clusters.csv in order, with its members, "
          "support, restatements and representative",
          [{k: v for k, v in f.items() if k not in ("s", "differ")} for f in want] ==
          [{k: v for k, v in f.items() if k != "s"} for f in got],
          [(a, b) for a, b in zip(want, got) if a["m"] != b["m"] or a["r"] != b["r"]][:2])
    check("facts JSON: the best pair score of each (alignment.csv)",
          all(abs(a["s"] - b["s"]) <= 1e-4 for a, b in zip(want, got)))
    check("facts JSON: sources in order", d["sources"] == names, d["sources"])
    bad = [(f["c"], m[1]) for w, f in zip(want, d["facts"]) for m in f["m"]
           if m[1] in w["differ"] and not m[3] & 2]
    bad += [f["c"] for w, f in zip(want, d["facts"]) if w["differ"] and not f["d"]]
    check("facts JSON: every member of a pair with differing numbers is marked, and its fact "
          "says what differs", not bad, bad[:3])
    table = dom.first("table", id="facts-table")
    check("facts table rendered", table is not None and table.attrs.get("data-rendered") == "1")
    rows = table.first("tbody").find("tr", cls="fact")
    page = d["page"]
    check("facts table: the first page, most sources first",
          [int(tr.attrs["data-cluster"]) for tr in rows] == [f["c"] for f in want[:page]],
          [tr.attrs["data-cluster"] for tr in rows][:10])
    bad = []
    for tr, f in zip(rows, want):
        marks = [td for td in tr.find("td", cls="mark")]
        by_src = {}
        for m in f["m"]:
            by_src.setdefault(m[0], []).append(m)
        for s, td in enumerate(marks):
            ids = td.attrs.get("data-ids", "")
            mine = by_src.get(s, [])
            dot = td.first("span", cls="dot")
            if ids != " ".join(m[1] for m in mine) or (dot is None) != (not mine) or \
                    any(m[2] not in td.attrs.get("title", "") for m in mine):
                bad.append((f["c"], s, ids))
            # a member of a matched pair whose numbers differ makes its source's mark
            # "differs" (members that were not matched may add more)
            if any(m[1] in f["differ"] for m in mine) and "differs" not in dot.attrs.get("class", ""):
                bad.append((f["c"], s, "differs"))
        text = tr.first("td", cls="fact-text").first("span", cls="text").text()
        if len(marks) != len(names) or text != f["m"][f["r"]][2] or \
                tr.attrs.get("data-support") != str(f["k"]):
            bad.append((f["c"], "row"))
    check("facts table: one mark per source that reports the fact, its statements in the "
          "title; the fact's text is its representative's", not bad, bad[:3])
    count = dom.first(id="facts-count").text()
    check("facts count shown", count == f"{len(want)} facts", count)


def map_data(dom):
    node = dom.first("script", id="map-data")
    if node is None:
        return None
    m = json.loads(node.text())
    m["q"] = base64.b64decode(m["cells"])
    return m


def check_map(dom, outdir, limit=400):
    want, _ = expected_facts(outdir)
    m = map_data(dom)
    ids, cl, n = [], [], 0
    for f in want:
        if n + len(f["m"]) > limit:
            break
        ids += [x[1] for x in f["m"]]
        cl += [f["c"]] * len(f["m"])
        n += len(f["m"])
    if want and not ids:  # the first fact alone is larger: its first members
        ids = [x[1] for x in want[0]["m"]][:limit]
        cl = [want[0]["c"]] * len(ids)
    if not want:
        check("no map without facts", m is None)
        return
    check("map JSON: the members of the first facts, in order, and their clusters",
          m["ids"] == ids and m["c"] == cl and m["n"] == len(ids), (m["ids"][:5], ids[:5]))
    canvas = dom.first("canvas", id="map-canvas")
    check("map drawn (data-rendered=1)", canvas is not None and canvas.attrs.get("data-rendered") == "1")
    try:
        rows = list(csv.reader(open(f"{outdir}/similarity.csv", encoding="utf-8", newline="")))
    except FileNotFoundError:
        return
    at = {v: k for k, v in enumerate(rows[0][1:])}
    sim = [[float(v) for v in r[1:]] for r in rows[1:]]
    N = m["n"]
    worst = max(abs(m["q"][i * N + j] - (255 if i == j else round(max(0.0, sim[at[ids[i]]][at[ids[j]]]) * 255)))
                for i in range(N) for j in range(N))
    check("map cells = round(255 * cosine) of similarity.csv (within 1)", worst <= 1, worst)


def check_discrepancies(dom, outdir):
    pairs = read_csv(outdir, "alignment.csv")
    want = [p for p in pairs if p["discrepancy"] == "1"]
    got = dom.find(cls="discrepancy")
    check("discrepancy count equals alignment.csv rows with discrepancy=1",
          len(got) == len(want), (len(got), len(want)))
    rows = dom.find("tr", cls="pair")
    ids = [(tr.attrs.get("data-a"), tr.attrs.get("data-b")) for tr in rows]
    want_ids = [(f"{p['source_a']}:{p['index_a']}", f"{p['source_b']}:{p['index_b']}") for p in want]
    check("discrepancy pairs and values as alignment.csv",
          ids == want_ids and [g.text() for g in got] == [p["discrepancy_values"] for p in want],
          (ids, [g.text() for g in got]))
    nums = [[td.text() for td in tr.find("td", cls="numbers")] for tr in rows]
    check("both number lists of each discrepancy",
          nums == [[p["numbers_a"], p["numbers_b"]] for p in want], nums)
    return len(want)


def check_lists(dom, stmts):
    unique = [r for r in stmts if r["status"] == "unique"]
    got = [(li.attrs.get("data-id"), li.first("span", cls="text").text())
           for li in dom.find("li", cls="unique")]
    check("unique statements: those of status unique, in source order",
          got == [(r["id"], r["text"]) for r in unique], (len(got), len(unique)))
    matched = [r for r in stmts if r["status"] == "matched"]
    got = [(tr.attrs.get("data-id"), tr.attrs.get("data-best"), tr.first("td", cls="why").text())
           for tr in dom.find("tr", cls="matched")]
    check("matched, not merged: each with its best match and why, as statements.csv",
          got == [(r["id"], r["best_match"], r["why"]) for r in matched], (got[:2], len(matched)))
    flagged = [r for r in stmts if r["flag"] != ""]
    got = [(tr.attrs.get("data-id"), tr.attrs.get("data-flag")) for tr in dom.find("tr", cls="flagged")]
    check("flagged statements listed with their flag",
          got == [(r["id"], r["flag"]) for r in flagged], (len(got), len(flagged)))
    det = dom.first("details", cls="flagged")
    check("flagged statements in a collapsed <details>",
          det is not None and "open" not in det.attrs and det.find("tr", cls="flagged") != [])


def mode_full(dom, raw, outdir):
    stmts, names, d = common(dom, raw, outdir)
    h1 = dom.first("h1")
    check("title in <h1>", h1 is not None and h1.text() != "")
    per = {s: 0 for s in names}
    for r in stmts:
        per[r["source"]] += 1
    table = dom.first("table", cls="sources")
    got = [(tr.find("td")[1].text(), int(tr.find("td")[2].text())) for tr in table.find("tr")
           if tr.attrs.get("data-source") is not None]
    check("header: statements per source", got == list(per.items()), got)
    # at full resolution each cell is the quantised cosine of similarity.csv
    sim = sim_matrix(outdir)
    worst = max(abs(d["q"][i * d["size"] + j] - round(max(0.0, sim[i][j]) * 255))
                for i in range(d["size"]) for j in range(d["size"]))
    check("heatmap cells = round(255 * cosine) of similarity.csv (within 1)", worst <= 1, worst)
    nmarks = check_clusters(dom, outdir, names)
    check("some shared terms are highlighted", nmarks > 0)
    check_facts(dom, outdir)
    check_map(dom, outdir)
    check_discrepancies(dom, outdir)
    check_lists(dom, stmts)


def mode_xss(dom, raw, outdir, tsv):
    stmts, names, d = common(dom, raw, outdir)
    want = [line.rstrip("\n").split("\t", 1) for line in open(tsv, encoding="utf-8") if "\t" in line]
    title = dom.first("title").text()
    check("injected scripts did not run (title unchanged)", "pwned" not in title, title)
    body = dom.first("body")
    check("injected handlers did not run (no data-pwned)",
          not any("data-pwned" in n.attrs for n in dom.walk()))
    shown = {}
    for node in dom.find(cls="text"):
        shown.setdefault(node.text(), 0)
        shown[node.text()] += 1
    missing = [t for _, t in want if t.strip() not in shown]
    check("every statement appears literally as text", not missing, missing)
    check("source names with markup come back exactly from the JSON",
          [s["name"] for s in d["sources"]] == list(dict.fromkeys(s.strip() for s, _ in want)),
          [s["name"] for s in d["sources"]])
    th = [th.text() for th in dom.find("th") if th.attrs.get("data-source") is not None]
    check("source names with markup appear literally in the column headers",
          all(any(n in t for t in th) for n in names), th)
    m = re.search(r'<script type="application/json" id="heatmap-data">(.*?)</script>', raw, re.S)
    js = m.group(1) if m else ""
    check("JSON in <script> has no raw < > & or U+2028/9",
          m is not None and not re.search("[<>&\u2028\u2029]", js), js[:200])
    rows = cluster_rows(dom)
    nested = [c for _, cells in rows.values() for c in cells if "<" in c[1]]
    check("a statement with markup is matched across sources (clustered)", len(nested) >= 2,
          len(nested))
    check("marks inside statements with markup", any(c[2] for c in nested), nested[:1])
    check_clusters(dom, outdir, names)
    check_facts(dom, outdir)
    check_map(dom, outdir)
    n = check_discrepancies(dom, outdir)
    check("the corpus has a discrepancy to show", n >= 1, n)
    del body


def mode_candidates(dom, raw, outdir, fulldir, threshold=0.2):
    stmts, names, d = common(dom, raw, outdir)
    cap = dom.first("p", id="heatmap-caption").text()
    check("caption says only candidates at the threshold are shown",
          "candidate" in cap and f"at least {threshold:.2f}" in cap, cap)
    check("heatmap JSON: floor is the threshold", abs(d["floor"] - threshold) < 1e-6, d["floor"])
    sim, bins, size = sim_matrix(fulldir), d["bins"], d["size"]
    takes_part = [r["flag"] == "" for r in stmts]
    source = [r["source"] for r in stmts]
    worst, shown = 0, 0
    for bi in range(size):
        for bj in range(size):
            v = 0.0
            for i in range(bins[bi], bins[bi + 1]):
                for j in range(bins[bj], bins[bj + 1]):
                    if (source[i] != source[j] and takes_part[i] and takes_part[j]
                            and sim[i][j] >= threshold - 1e-6):
                        v = max(v, sim[i][j])
            shown += v > 0
            worst = max(worst, abs(d["q"][bi * size + bj] - round(v * 255)))
    check("each heatmap cell = round(255 * best candidate) of similarity.csv, else 0 (within 1)",
          worst <= 1, worst)
    check("the heatmap shows candidates", shown >= 2, shown)


def mode_downsampled(dom, raw, outdir):
    stmts, names, d = common(dom, raw, outdir)
    cap = dom.first("p", id="heatmap-caption").text()
    check("caption says the heatmap is downsampled", "Downsampled" in cap, cap)
    sim, bins, size = sim_matrix(outdir), d["bins"], d["size"]
    worst = 0
    for bi in range(size):
        for bj in range(size):
            v = max(sim[i][j] for i in range(bins[bi], bins[bi + 1]) for j in range(bins[bj], bins[bj + 1]))
            worst = max(worst, abs(d["q"][bi * size + bj] - round(max(0.0, v) * 255)))
    check("each heatmap cell = round(255 * block maximum) of similarity.csv (within 1)", worst <= 1, worst)
    first = names[0]
    want = [r["id"] for r in stmts if r["source"] == first and r["status"] == "unique"]
    total = len(want)
    det = dom.first("details", id="unique-0")
    shown = det.find("li", cls="unique")
    check("unique list capped at 1000 with a note",
          total > 1000 and len(shown) == 1000 and det.first("p", cls="cap") is not None
          and [li.attrs["data-id"] for li in shown] == want[:1000], (total, len(shown)))
    check_clusters(dom, outdir, names)
    check_facts(dom, outdir)
    check_map(dom, outdir)


# Appended to a copy of report.html: moves the mouse over the cell of the
# first matched pair (row a, column b), using the plot geometry the page's
# script leaves on the canvas.
HOVER_SCRIPT = """<script>
(function () {
  var cv = document.getElementById("heatmap-canvas"), g = cv.getAttribute("data-plot").split(",");
  var ML = +g[0], MT = +g[1], P = +g[2], S = +cv.getAttribute("data-size"), r = cv.getBoundingClientRect();
  var a = %d, b = %d;
  cv.dispatchEvent(new MouseEvent("mousemove", {bubbles: true,
    clientX: r.left + (ML + (b + 0.5) * P / S) * r.width / cv.width,
    clientY: r.top + (MT + (a + 0.5) * P / S) * r.height / cv.height}));
})();
</script>
"""


# Appended to a copy of report.html: drives the facts table (sort, filter,
# search, numbers, pages) and the map (a point over cell 0, 1), and leaves
# what each step showed in <body data-ui>.
FACTS_SCRIPT = """<script>
(function () {
  var t = document.getElementById("facts-table"), out = {};
  function rows() { return [].map.call(t.tBodies[0].rows, function (r) { return +r.getAttribute("data-cluster"); }); }
  function set(id, v, ev) { var e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event(ev)); }
  function sortBy(k) { t.tHead.querySelector('th[data-sort="' + k + '"]').click(); }
  out.initial = rows();
  sortBy("s"); out.byScore = rows(); sortBy("s"); out.byScoreAsc = rows();
  sortBy("k"); out.bySupport = rows(); sortBy("c");
  set("facts-source", "-1", "change"); out.notS1 = rows();
  set("facts-source", "+0", "change"); out.byS0 = rows(); set("facts-source", "", "change");
  set("facts-search", %s, "input"); out.search = rows(); out.searchCount = document.getElementById("facts-count").textContent;
  set("facts-search", "", "input");
  set("facts-numbers", "differ", "change"); out.differ = rows(); set("facts-numbers", "", "change");
  document.getElementById("facts-next").click(); out.page2 = rows();
  out.pageLabel = document.getElementById("facts-page").textContent;
  var cv = document.getElementById("map-canvas"), r = cv.getBoundingClientRect(), n = JSON.parse(document.getElementById("map-data").textContent).n;
  cv.dispatchEvent(new MouseEvent("mousemove", {bubbles: true, clientX: r.left + 1.5 * r.width / n, clientY: r.top + 0.5 * r.height / n}));
  out.mapInfo = [].map.call(document.getElementById("map-info").childNodes, function (e) { return e.textContent; });
  document.body.setAttribute("data-ui", JSON.stringify(out));
})();
</script>
"""


def mode_facts_ui(dom, outdir, word):
    want, names = expected_facts(outdir)
    ui = json.loads(dom.first("body").attrs["data-ui"])
    page = facts_data(dom)["page"]
    cs = lambda fs: [f["c"] for f in fs][:page]
    check("sorted by score: best first, then by number", ui["byScore"] ==
          cs(sorted(want, key=lambda f: (-round(f["s"], 4), f["c"]))), ui["byScore"])
    check("the second click reverses the order", ui["byScoreAsc"] ==
          cs(list(reversed(sorted(want, key=lambda f: (-round(f["s"], 4), f["c"]))))), ui["byScoreAsc"])
    check("sorted by sources", ui["bySupport"] == cs(sorted(want, key=lambda f: (-f["k"], f["c"]))))
    check("filter: not reported by S2", ui["notS1"] ==
          cs([f for f in want if all(m[0] != 1 for m in f["m"])]), ui["notS1"])
    check("filter: reported by S1", ui["byS0"] ==
          cs([f for f in want if any(m[0] == 0 for m in f["m"])]), ui["byS0"])
    found = [f for f in want if any(word.lower() in (m[1] + " " + m[2]).lower() for m in f["m"])]
    check(f"search {word!r}: the facts with a statement that says it", ui["search"] == cs(found)
          and ui["searchCount"] == f"{len(found)} of {len(want)} facts", (ui["search"], ui["searchCount"]))
    # the filter keeps the facts whose members disagree (the JSON's "d"), which hold
    # at least every fact with a matched pair flagged in alignment.csv
    data = {f["c"]: f for f in facts_data(dom)["facts"]}
    flagged = [f["c"] for f in want if f["differ"]]
    check("filter: numbers differ", ui["differ"] == cs([f for f in want if data[f["c"]]["d"]])
          and set(flagged[:page]) <= set(ui["differ"]), (ui["differ"], flagged))
    pages = (len(want) + page - 1) // page
    check("next page", ui["page2"] == ([f["c"] for f in want][page:2 * page] if pages > 1 else ui["initial"])
          and ui["pageLabel"] == f"page {min(2, pages)} of {pages}", (ui["page2"][:5], ui["pageLabel"]))
    m = map_data(dom)
    text = {r["id"]: r["text"] for r in read_csv(outdir, "statements.csv")}
    info = ui["mapInfo"]
    check("map: pointing at a cell shows both statements and their cosine",
          len(info) == 5 and info[0].startswith(f"fact #{m['c'][0]}")
          and info[1] == m["ids"][0] and info[2] == text[m["ids"][0]]
          and info[3] == m["ids"][1] and info[4] == text[m["ids"][1]]
          and f"cosine {m['q'][1] / 255:.2f}" in info[0], info)


def first_pair(outdir):
    stmts = read_csv(outdir, "statements.csv")
    index = {r["id"]: k for k, r in enumerate(stmts)}
    p = read_csv(outdir, "alignment.csv")[0]
    return index[f"{p['source_a']}:{p['index_a']}"], index[f"{p['source_b']}:{p['index_b']}"], stmts


def mode_hover(dom, outdir):
    a, b, stmts = first_pair(outdir)
    names = list(dict.fromkeys(r["source"] for r in stmts))
    label = [f"S{names.index(r['source']) + 1} {r['id']}" for r in stmts]
    v = sim_matrix(outdir)[a][b]
    info = dom.first(id="heatmap-info").text()
    m = re.search(r"cosine \u2248 ([0-9.]+)", info)
    check("hover names the cell's statements and its cosine",
          info.startswith(f"{label[a]}  \u00d7  {label[b]}:") and m is not None
          and abs(float(m.group(1)) - v) <= 0.006, (info, label[a], label[b], v))


def main():
    if sys.argv[1] == "hover-page":  # hover-page REPORT OUTDIR: print the page with HOVER_SCRIPT
        a, b, _ = first_pair(sys.argv[3])
        with open(sys.argv[2], encoding="utf-8") as f:
            page = f.read()
        sys.stdout.write(page.replace("</body>", HOVER_SCRIPT % (a, b) + "</body>"))
        return
    if sys.argv[1] == "facts-page":  # facts-page REPORT WORD: the page with FACTS_SCRIPT
        with open(sys.argv[2], encoding="utf-8") as f:
            page = f.read()
        sys.stdout.write(page.replace("</body>", FACTS_SCRIPT % json.dumps(sys.argv[3]) + "</body>"))
        return
    mode, dom_path, report_path, outdir = sys.argv[1:5]
    dom = parse(dom_path)
    with open(report_path, encoding="utf-8") as f:
        raw = f.read()
    if mode == "full":
        mode_full(dom, raw, outdir)
    elif mode == "xss":
        mode_xss(dom, raw, outdir, sys.argv[5])
    elif mode == "paged":
        _, names, _ = common(dom, raw, outdir)
        check_clusters(dom, outdir, names)
        check_facts(dom, outdir)
        check_map(dom, outdir)
        pager = dom.first(id="facts-page").text()
        check("more facts than a page: the pager says so", pager.startswith("page 1 of ")
              and int(pager.split()[-1]) >= 3, pager)
    elif mode == "wide":
        common(dom, raw, outdir)
        check_facts(dom, outdir)
        check_map(dom, outdir)
        cap = dom.first(id="map-caption").text()
        check("one fact larger than the map: its first 400 statements, and the caption says so",
              "The first fact (400 of the 450 clustered statements)" in cap, cap)
    elif mode == "downsampled":
        mode_downsampled(dom, raw, outdir)
    elif mode == "candidates":
        mode_candidates(dom, raw, outdir, sys.argv[5])
    elif mode == "hover":
        mode_hover(dom, outdir)
    elif mode == "facts-ui":
        mode_facts_ui(dom, outdir, sys.argv[5])
    else:
        sys.exit(f"unknown mode {mode}")
    print("\n".join(results))


if __name__ == "__main__":
    main()

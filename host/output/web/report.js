(function () {
  "use strict";
  var cv = document.getElementById("heatmap-canvas");
  var holder = document.getElementById("heatmap-data");
  if (!cv || !holder || !cv.getContext) return;
  var d = JSON.parse(holder.textContent), S = d.size, bins = d.bins, src = d.sources;
  var raw = atob(d.cells), ML = 44, MT = 28, P = Math.min(cv.width - ML - 8, cv.height - MT - 8);
  var stops = [[0, 255, 255, 255], [0.1, 255, 247, 196], [0.25, 254, 210, 110],
               [0.4, 252, 141, 60], [0.6, 222, 34, 30], [1, 120, 0, 36]];
  function rgb(v) {
    var k = 1;
    while (k < stops.length - 1 && v > stops[k][0]) k++;
    var a = stops[k - 1], b = stops[k], t = (v - a[0]) / (b[0] - a[0]);
    t = Math.max(0, Math.min(1, t));
    return [1, 2, 3].map(function (c) { return Math.round(a[c] + t * (b[c] - a[c])); });
  }
  var lut = [];
  for (var q = 0; q < 256; q++) lut.push(rgb(q / 255));
  var diag = [212, 216, 222], off = document.createElement("canvas");
  off.width = S; off.height = S;
  var octx = off.getContext("2d"), img = octx.createImageData(S, S), px = img.data;
  for (var i = 0; i < S; i++) {
    for (var j = 0; j < S; j++) {
      var c = i === j ? diag : lut[raw.charCodeAt(i * S + j)], o = 4 * (i * S + j);
      px[o] = c[0]; px[o + 1] = c[1]; px[o + 2] = c[2]; px[o + 3] = 255;
    }
  }
  octx.putImageData(img, 0, 0);
  var ctx = cv.getContext("2d");
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, cv.width, cv.height);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, ML, MT, P, P);
  function binOf(g) {
    var lo = 0, hi = S - 1;
    while (lo < hi) { var m = (lo + hi + 1) >> 1; if (bins[m] <= g) lo = m; else hi = m - 1; }
    return lo;
  }
  function at(g) {
    if (g >= d.n) return P;
    var b = binOf(g), w = bins[b + 1] - bins[b];
    return (b + (w > 0 ? (g - bins[b]) / w : 0)) * P / S;
  }
  ctx.strokeStyle = "#27313c"; ctx.lineWidth = 1; ctx.fillStyle = "#27313c";
  ctx.font = "12px system-ui, sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
  src.forEach(function (s, k) {
    var a = at(s.first), b = at(s.first + s.count);
    if (k > 0) {
      var x = Math.round(ML + a) + 0.5, y = Math.round(MT + a) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, MT); ctx.lineTo(x, MT + P);
      ctx.moveTo(ML, y); ctx.lineTo(ML + P, y); ctx.stroke();
    }
    if (b - a >= 18) {
      ctx.fillText("S" + (k + 1), ML + (a + b) / 2, MT / 2);
      ctx.fillText("S" + (k + 1), ML / 2, MT + (a + b) / 2);
    }
  });
  ctx.strokeRect(ML - 0.5, MT - 0.5, P + 1, P + 1);
  var lg = document.getElementById("heatmap-legend");
  if (lg && lg.getContext) {
    var lx = lg.getContext("2d"), W = lg.width - 20;
    for (var x = 0; x < W; x++) { var cc = rgb(x / (W - 1)); lx.fillStyle = "rgb(" + cc.join(",") + ")"; lx.fillRect(10 + x, 0, 1, 16); }
    lx.strokeStyle = "#999"; lx.strokeRect(9.5, 0.5, W + 1, 16);
    lx.fillStyle = "#27313c"; lx.font = "11px system-ui, sans-serif"; lx.textAlign = "center"; lx.textBaseline = "top";
    [0, 0.25, 0.5, 0.75, 1].forEach(function (v) { lx.fillText(String(v), 10 + v * (W - 1), 21); });
  }
  var info = document.getElementById("heatmap-info"), idle = info ? info.textContent : "";
  function name(g) {
    for (var k = 0; k < src.length; k++)
      if (g < src[k].first + src[k].count) return "S" + (k + 1) + " " + src[k].name + ":" + (g - src[k].first + 1);
    return "?";
  }
  function span(b) {
    var a = bins[b], z = bins[b + 1] - 1;
    return z > a ? name(a) + " \u2013 " + name(z) : name(a);
  }
  cv.addEventListener("mousemove", function (e) {
    if (!info) return;
    var r = cv.getBoundingClientRect();
    var x = (e.clientX - r.left) * cv.width / r.width - ML, y = (e.clientY - r.top) * cv.height / r.height - MT;
    if (x < 0 || y < 0 || x >= P || y >= P || d.n === 0) { info.textContent = idle; return; }
    var row = Math.min(S - 1, Math.floor(y * S / P)), col = Math.min(S - 1, Math.floor(x * S / P));
    var v = raw.charCodeAt(row * S + col) / 255;
    info.textContent = span(row) + "  \u00d7  " + span(col) + ":  cosine " +
      (v === 0 && d.floor > 0 ? "below " + d.floor + " or not compared" :
       (S < d.n ? "max " : "") + "\u2248 " + v.toFixed(2)) + (row === col ? " (diagonal)" : "");
  });
  cv.addEventListener("mouseleave", function () { if (info) info.textContent = idle; });
  cv.setAttribute("data-plot", [ML, MT, P].join(","));
  cv.setAttribute("data-rendered", "1");
})();
(function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  var holder = document.getElementById("facts-data"), table = document.getElementById("facts-table");
  var texts = {};
  if (holder && table) {
    var D = JSON.parse(holder.textContent), F = D.facts, PAGE = D.page;
    var st = {sort: "c", desc: false, q: "", src: "", num: "", page: 0};
    var search = document.getElementById("facts-search"), srcSel = document.getElementById("facts-source");
    var numSel = document.getElementById("facts-numbers"), count = document.getElementById("facts-count");
    var prev = document.getElementById("facts-prev"), next = document.getElementById("facts-next");
    var pageLabel = document.getElementById("facts-page"), body = table.tBodies[0];
    F.forEach(function (f) {
      f.low = f.m.map(function (m) { texts[m[1]] = m[2]; return (m[1] + " " + m[2]).toLowerCase(); }).join("\n");
      f.has = {};
      f.m.forEach(function (m) { f.has[m[0]] = true; });
    });
    var order = {c: function (a, b) { return a.c - b.c; },
                 k: function (a, b) { return b.k - a.k || a.c - b.c; },
                 s: function (a, b) { return b.s - a.s || a.c - b.c; }};
    function shown() {
      var q = st.q.toLowerCase(), s = st.src ? +st.src.slice(1) : -1, want = st.src.charAt(0) === "+";
      var out = F.filter(function (f) {
        if (q && f.low.indexOf(q) < 0) return false;
        if (s >= 0 && !!f.has[s] !== want) return false;
        if (st.num && !f.d) return false;
        return true;
      });
      out.sort(order[st.sort]);
      if (st.desc) out.reverse();
      return out;
    }
    function mark(f, s) {
      var td = el("td", "mark"), mine = f.m.filter(function (m) { return m[0] === s; });
      td.setAttribute("data-source", s);
      if (!mine.length) { td.title = "not reported by " + D.sources[s]; return td; }
      var differs = mine.some(function (m) { return m[3] & 2; });
      td.appendChild(el("span", differs ? "dot differs" : "dot", differs ? "\u2260" : "\u25cf"));
      td.setAttribute("data-ids", mine.map(function (m) { return m[1]; }).join(" "));
      td.title = mine.map(function (m) { return m[1] + (m[3] & 1 ? " (restatement)" : "") + "\n" + m[2]; }).join("\n\n");
      return td;
    }
    function toggle(tr, f, e) {
      e.preventDefault();
      var d = tr.nextSibling;
      if (d && d.className === "detail") { d.parentNode.removeChild(d); return; }
      d = el("tr", "detail");
      var td = el("td");
      td.colSpan = 4 + D.sources.length;
      f.m.forEach(function (m) {
        var div = el("div", "member");
        div.appendChild(el("span", "sid", "S" + (m[0] + 1) + " " + m[1] + (m[3] & 1 ? " (restatement)" : "")));
        div.appendChild(el("span", "text", m[2]));
        td.appendChild(div);
      });
      d.appendChild(td);
      tr.parentNode.insertBefore(d, tr.nextSibling);
    }
    function render() {
      var list = shown(), pages = Math.max(1, Math.ceil(list.length / PAGE));
      st.page = Math.min(st.page, pages - 1);
      while (body.firstChild) body.removeChild(body.firstChild);
      list.slice(st.page * PAGE, (st.page + 1) * PAGE).forEach(function (f) {
        var tr = el("tr", "fact");
        tr.setAttribute("data-cluster", f.c);
        tr.setAttribute("data-support", f.k);
        var a = el("a", "", "#" + f.c);
        if (document.getElementById("c" + f.c)) a.href = "#c" + f.c;
        else { a.href = "#facts"; a.title = "Show its statements"; a.addEventListener("click", toggle.bind(null, tr, f)); }
        var td = el("td", "num");
        td.appendChild(a);
        tr.appendChild(td);
        var fact = el("td", "fact-text");
        fact.appendChild(el("span", "text", f.m[f.r][2]));
        fact.appendChild(el("span", "sid", f.m[f.r][1] + (f.m.length > 1 ? " and " + (f.m.length - 1) + " more" : "")));
        if (f.d) fact.appendChild(el("div", "numbers-differ", "numbers differ: " + f.d));
        tr.appendChild(fact);
        tr.appendChild(el("td", "num", f.k + " of " + D.sources.length));
        tr.appendChild(el("td", "num", f.s.toFixed(3)));
        for (var s = 0; s < D.sources.length; s++) tr.appendChild(mark(f, s));
        body.appendChild(tr);
      });
      count.textContent = list.length === F.length ? F.length + " facts" : list.length + " of " + F.length + " facts";
      pageLabel.textContent = "page " + (st.page + 1) + " of " + pages;
      prev.disabled = st.page === 0;
      next.disabled = st.page >= pages - 1;
      table.setAttribute("data-shown", list.length);
      table.setAttribute("data-page", st.page + 1);
      table.setAttribute("data-rendered", "1");
      Array.prototype.forEach.call(table.tHead.querySelectorAll("th[data-sort]"), function (th) {
        th.setAttribute("aria-sort", th.getAttribute("data-sort") === st.sort ? (st.desc ? "ascending" : "descending") : "none");
      });
    }
    search.addEventListener("input", function () { st.q = search.value; st.page = 0; render(); });
    srcSel.addEventListener("change", function () { st.src = srcSel.value; st.page = 0; render(); });
    numSel.addEventListener("change", function () { st.num = numSel.value; st.page = 0; render(); });
    prev.addEventListener("click", function () { st.page--; render(); });
    next.addEventListener("click", function () { st.page++; render(); });
    Array.prototype.forEach.call(table.tHead.querySelectorAll("th[data-sort]"), function (th) {
      th.addEventListener("click", function () {
        var k = th.getAttribute("data-sort");
        st.desc = st.sort === k ? !st.desc : false;
        st.sort = k;
        st.page = 0;
        render();
      });
    });
    render();
  }
  var cv = document.getElementById("map-canvas"), mh = document.getElementById("map-data");
  if (!cv || !mh || !cv.getContext) return;
  var M = JSON.parse(mh.textContent), N = M.n, raw = atob(M.cells), P = cv.width;
  var ctx = cv.getContext("2d"), off = document.createElement("canvas");
  off.width = N; off.height = N;
  var octx = off.getContext("2d"), img = octx.createImageData(N, N), px = img.data;
  var stops = [[0, 255, 255, 255], [0.1, 255, 247, 196], [0.25, 254, 210, 110],
               [0.4, 252, 141, 60], [0.6, 222, 34, 30], [1, 120, 0, 36]];
  function rgb(v) {
    var k = 1;
    while (k < stops.length - 1 && v > stops[k][0]) k++;
    var a = stops[k - 1], b = stops[k], t = Math.max(0, Math.min(1, (v - a[0]) / (b[0] - a[0])));
    return [1, 2, 3].map(function (c) { return Math.round(a[c] + t * (b[c] - a[c])); });
  }
  for (var i = 0; i < N; i++)
    for (var j = 0; j < N; j++) {
      var o = 4 * (i * N + j), c = i === j ? [212, 216, 222] : rgb(raw.charCodeAt(i * N + j) / 255);
      px[o] = c[0]; px[o + 1] = c[1]; px[o + 2] = c[2]; px[o + 3] = 255;
    }
  octx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, P, P);
  ctx.strokeStyle = "#27313c"; ctx.lineWidth = 1;
  for (var a = 0; a < N;) {
    var z = a;
    while (z < N && M.c[z] === M.c[a]) z++;
    ctx.strokeRect(a * P / N + 0.5, a * P / N + 0.5, (z - a) * P / N - 1, (z - a) * P / N - 1);
    a = z;
  }
  var info = document.getElementById("map-info"), idle = info.textContent;
  function cell(e) {
    var r = cv.getBoundingClientRect();
    var x = Math.floor((e.clientX - r.left) * N / r.width), y = Math.floor((e.clientY - r.top) * N / r.height);
    return x >= 0 && y >= 0 && x < N && y < N ? [y, x] : null;
  }
  cv.addEventListener("mousemove", function (e) {
    var c = cell(e);
    while (info.firstChild) info.removeChild(info.firstChild);
    if (!c) { info.textContent = idle; return; }
    info.appendChild(el("div", "pair-score", "fact #" + M.c[c[0]] + (M.c[c[0]] !== M.c[c[1]] ? " \u00d7 fact #" + M.c[c[1]] : "") +
      ": cosine " + (raw.charCodeAt(c[0] * N + c[1]) / 255).toFixed(2)));
    [c[0], c[1]].forEach(function (k) {
      info.appendChild(el("span", "sid", M.ids[k]));
      info.appendChild(el("div", "text", texts[M.ids[k]] || ""));
    });
  });
  cv.addEventListener("mouseleave", function () { while (info.firstChild) info.removeChild(info.firstChild); info.textContent = idle; });
  cv.addEventListener("click", function (e) { var c = cell(e); if (c) location.hash = "#c" + M.c[c[0]]; });
  cv.setAttribute("data-rendered", "1");
})();

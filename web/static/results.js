/* SELECT results on /query: the table (rendered by the server) sorts by a click on a column's
   head, filters by the words typed, pages, draws a chart of a numeric column by a label or year
   column, and downloads the rows shown (sorted and filtered) as CSV, TSV or JSON; the links of
   the results head download the whole result from the endpoint. No library. */
(function () {
  "use strict";
  var table = document.getElementById("results-table");
  if (!table || !table.tBodies.length) return;
  var SVG = "http://www.w3.org/2000/svg";
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells, 1);      // without the row number
  var names = heads.map(function (th) { return th.textContent.replace(/^\?/, ""); });
  var rows = Array.prototype.map.call(body.rows, function (tr, i) {
    var cells = Array.prototype.slice.call(tr.cells, 1);
    return {
      tr: tr, index: i,
      text: cells.map(function (td) { var l = td.querySelector(".lit"); return (l || td).textContent; }),
      value: cells.map(function (td) {               // the IRI of a link, the literal's text otherwise
        var a = td.querySelector("a[title]"); return a ? a.getAttribute("title") : (td.querySelector(".lit") || td).textContent;
      }),
      num: cells.map(function (td) { var n = td.getAttribute("data-n"); return n === null ? null : parseFloat(n); }),
    };
  });
  var numeric = names.map(function (_, c) {
    var any = false;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].text[c] === "") continue;
      if (rows[i].num[c] === null || isNaN(rows[i].num[c])) return false;
      any = true;
    }
    return any;
  });
  var state = { filter: "", sort: -1, dir: 1, page: 1, size: 50 };
  var shown = rows;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ---------------------------------------------------------------- tools
  var tools = el("div", { "class": "results-tools", id: "results-tools" });
  var filter = el("input", { type: "search", id: "results-filter", placeholder: "筛选：输入要找的字", "aria-label": "筛选结果" });
  var size = el("select", { id: "results-page-size", "aria-label": "每页行数" });
  [25, 50, 100, 500].forEach(function (n) { var o = el("option", { value: String(n) }, "每页 " + n + " 行"); if (n === 50) o.selected = true; size.appendChild(o); });
  size.appendChild(el("option", { value: "0" }, "全部"));
  var status = el("span", { id: "results-status", "class": "hint", "aria-live": "polite" });
  tools.appendChild(filter); tools.appendChild(size); tools.appendChild(status);
  var pager = el("nav", { "class": "pager", id: "results-pager", "aria-label": "翻页" });
  var wrap = table.parentNode.classList.contains("table-wrap") ? table.parentNode : table;
  wrap.parentNode.insertBefore(tools, wrap);
  wrap.parentNode.insertBefore(pager, wrap.nextSibling);

  // the column heads sort
  heads.forEach(function (th, c) {
    th.classList.add("sortable");
    th.setAttribute("tabindex", "0");
    th.setAttribute("role", "button");
    th.setAttribute("aria-sort", "none");
    th.setAttribute("title", "点击排序");
    function go() { if (state.sort === c) state.dir = -state.dir; else { state.sort = c; state.dir = 1; } state.page = 1; render(); }
    th.addEventListener("click", go);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
  });

  var collator = new Intl.Collator("zh-CN", { numeric: true });
  function compare(c) {
    return function (a, b) {
      var x, y;
      if (numeric[c]) {
        x = a.num[c]; y = b.num[c];
        if (x === null || isNaN(x)) return 1; if (y === null || isNaN(y)) return -1;
        return (x - y) * state.dir || a.index - b.index;
      }
      x = a.text[c]; y = b.text[c];
      if (x === "" && y !== "") return 1; if (y === "" && x !== "") return -1;
      return collator.compare(x, y) * state.dir || a.index - b.index;
    };
  }

  function render() {
    var words = state.filter.toLowerCase().split(/\s+/).filter(Boolean);
    shown = rows.filter(function (r) {
      if (!words.length) return true;
      var all = r.text.join("\t").toLowerCase() + "\t" + r.value.join("\t").toLowerCase();
      return words.every(function (w) { return all.indexOf(w) >= 0; });
    });
    if (state.sort >= 0) shown = shown.slice().sort(compare(state.sort));
    var per = state.size || shown.length || 1, pages = Math.max(1, Math.ceil(shown.length / per));
    state.page = Math.min(Math.max(1, state.page), pages);
    var first = (state.page - 1) * per, page = shown.slice(first, first + per);
    rows.forEach(function (r) { r.tr.hidden = true; });
    page.forEach(function (r) { r.tr.hidden = false; body.appendChild(r.tr); });
    heads.forEach(function (th, c) {
      th.setAttribute("aria-sort", state.sort !== c ? "none" : state.dir > 0 ? "ascending" : "descending");
    });
    status.textContent = shown.length ? "第 " + (first + 1) + "–" + (first + page.length) + " 行，共 " + shown.length + " 行" +
      (shown.length !== rows.length ? "（从 " + rows.length + " 行中筛选）" : "") : "没有符合的行";
    pager.textContent = "";
    if (pages > 1) {
      var prev = el("button", { type: "button", "class": "secondary", id: "results-prev" }, "‹ 上一页");
      var next = el("button", { type: "button", "class": "secondary", id: "results-next" }, "下一页 ›");
      prev.disabled = state.page <= 1; next.disabled = state.page >= pages;
      prev.addEventListener("click", function () { state.page--; render(); });
      next.addEventListener("click", function () { state.page++; render(); });
      pager.appendChild(prev); pager.appendChild(el("span", { id: "results-page" }, "第 " + state.page + " / " + pages + " 页")); pager.appendChild(next);
    }
    table.setAttribute("data-shown", String(shown.length));
    drawChart();
  }

  var timer = null;
  filter.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.filter = filter.value; state.page = 1; render(); }, 120);
  });
  size.addEventListener("change", function () { state.size = +size.value; state.page = 1; render(); });

  // ---------------------------------------------------------------- downloads of the rows shown
  function cellsOf(r) { return r.value; }
  function download(kind) {
    var text, type;
    if (kind === "json") {
      text = JSON.stringify(shown.map(function (r) { var o = {}; names.forEach(function (n, c) { o[n] = r.num[c] !== null && numeric[c] ? r.num[c] : r.value[c]; }); return o; }), null, 1);
      type = "application/json";
    } else {
      var sep = kind === "tsv" ? "\t" : ",";
      var quote = function (v) {
        v = String(v);
        if (kind === "tsv") return v.replace(/[\t\n\r]/g, " ");
        return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
      };
      text = [names.map(quote).join(sep)].concat(shown.map(function (r) { return cellsOf(r).map(quote).join(sep); })).join("\r\n") + "\r\n";
      type = kind === "tsv" ? "text/tab-separated-values" : "text/csv";
    }
    var a = el("a", { href: URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" })), download: "kg-results-view." + kind });
    document.body.appendChild(a); a.click(); setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  var dl = el("span", { "class": "view-downloads" }, "下载显示的行：");
  ["csv", "tsv", "json"].forEach(function (k) {
    var b = el("button", { type: "button", "class": "link", "data-format": k, id: "view-download-" + k }, k.toUpperCase());
    b.addEventListener("click", function () { download(k); });
    dl.appendChild(b);
  });
  tools.appendChild(dl);

  // ---------------------------------------------------------------- the chart
  var numCols = names.map(function (n, c) { return c; }).filter(function (c) { return numeric[c]; });
  var chartBox = null, valueSel = null, labelSel = null, kindSel = null;
  if (numCols.length) {
    var controls = el("div", { "class": "chart-controls", id: "chart-controls" });
    valueSel = el("select", { id: "chart-value", "aria-label": "数值列" });
    // the value: the last numeric column (a count or a sum, usually); the label: the first other column
    var lastNum = numCols[numCols.length - 1];
    numCols.forEach(function (c) { var o = el("option", { value: String(c) }, "?" + names[c]); o.selected = c === lastNum; valueSel.appendChild(o); });
    labelSel = el("select", { id: "chart-label", "aria-label": "标签列" });
    var firstOther = names.findIndex(function (n, c) { return c !== lastNum; });
    names.forEach(function (n, c) { var o = el("option", { value: String(c) }, "?" + n); o.selected = c === firstOther; labelSel.appendChild(o); });
    labelSel.appendChild(el("option", { value: "-1" }, "行号"));
    kindSel = el("select", { id: "chart-kind", "aria-label": "图形" });
    [["auto", "自动"], ["bar", "条形图"], ["line", "折线图"]].forEach(function (k) { kindSel.appendChild(el("option", { value: k[0] }, k[1])); });
    var toggle = el("button", { type: "button", "class": "secondary", id: "chart-toggle" }, "图表");
    controls.appendChild(toggle);
    controls.appendChild(el("label", { "for": "chart-value" }, "数值")); controls.appendChild(valueSel);
    controls.appendChild(el("label", { "for": "chart-label" }, "按")); controls.appendChild(labelSel);
    controls.appendChild(kindSel);
    chartBox = el("figure", { "class": "chart-box results-chart", id: "results-chart" });
    chartBox.hidden = true;
    tools.parentNode.insertBefore(controls, tools.nextSibling);
    controls.parentNode.insertBefore(chartBox, controls.nextSibling);
    [valueSel, labelSel, kindSel].forEach(function (s) { s.addEventListener("change", drawChart); });
    toggle.addEventListener("click", function () { chartBox.hidden = !chartBox.hidden; toggle.classList.toggle("on", !chartBox.hidden); drawChart(); });
  }

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function drawChart() {
    if (!chartBox || chartBox.hidden) return;
    chartBox.textContent = "";
    var vc = +valueSel.value, lc = +labelSel.value, MAX = 200;
    var pts = shown.filter(function (r) { return r.num[vc] !== null && !isNaN(r.num[vc]); }).slice(0, MAX).map(function (r) {
      return { label: lc < 0 ? String(r.index + 1) : r.text[lc], value: r.num[vc] };
    });
    if (!pts.length) { chartBox.appendChild(el("p", { "class": "hint" }, "没有可画的数值")); return; }
    var years = lc >= 0 && pts.every(function (p) { return /^(1[89]|20)\d\d$/.test(p.label); });
    var kind = kindSel.value === "auto" ? (years ? "line" : "bar") : kindSel.value;
    chartBox.setAttribute("data-kind", kind);
    chartBox.setAttribute("data-points", String(pts.length));
    (kind === "line" ? line : bars)(pts);
    if (shown.length > MAX) chartBox.appendChild(el("figcaption", {}, "只画了前 " + MAX + " 行"));
  }

  function scale(values) {
    var lo = Math.min(0, Math.min.apply(null, values)), hi = Math.max(0, Math.max.apply(null, values));
    if (hi === lo) hi = lo + 1;
    return { lo: lo, hi: hi };
  }

  function bars(pts) {
    var W = 640, labelW = Math.min(220, 12 + 13 * Math.max.apply(null, pts.map(function (p) { return p.label.length; }))),
        right = 90, bar = 18, gap = 6, top = 8, H = top + pts.length * (bar + gap) + 24;
    var s = scale(pts.map(function (p) { return p.value; })), pw = W - labelW - right;
    var x = function (v) { return labelW + pw * (v - s.lo) / (s.hi - s.lo); };
    var root = svg("svg", { "class": "chart bar-chart", viewBox: "0 0 " + W + " " + H, width: "100%", role: "img",
                            "aria-label": "?" + names[+valueSel.value] + " 条形图", "data-zero": String(x(0)), "data-plot-width": String(pw) });
    root.appendChild(svg("line", { "class": "axis", x1: x(0), x2: x(0), y1: top, y2: H - 20 }));
    pts.forEach(function (p, i) {
      var y = top + i * (bar + gap), a = Math.min(x(0), x(p.value)), b = Math.max(x(0), x(p.value));
      root.appendChild(svg("text", { "class": "bar-label", x: labelW - 6, y: y + bar - 4, "text-anchor": "end" }, p.label.length > 18 ? p.label.slice(0, 17) + "…" : p.label));
      var r = svg("rect", { "class": "bar", x: a.toFixed(2), y: y, width: Math.max(b - a, 0.5).toFixed(2), height: bar,
                            fill: "#2471a3", "data-value": String(p.value), "data-label": p.label });
      r.appendChild(svg("title", {}, p.label + "：" + window.kg.fmtNum(p.value)));
      root.appendChild(r);
      root.appendChild(svg("text", { "class": "bar-value", x: (b + 4).toFixed(1), y: y + bar - 4 }, window.kg.fmtNum(p.value)));
    });
    root.appendChild(svg("text", { "class": "tick", x: x(s.lo), y: H - 6, "text-anchor": "start" }, window.kg.fmtNum(s.lo)));
    root.appendChild(svg("text", { "class": "tick", x: x(s.hi), y: H - 6, "text-anchor": "end" }, window.kg.fmtNum(s.hi)));
    chartBox.appendChild(root);
  }

  function line(pts) {
    var W = 640, H = 300, left = 70, right = 20, top = 20, bottom = 40, pw = W - left - right, ph = H - top - bottom;
    var s = scale(pts.map(function (p) { return p.value; }));
    var ordered = pts.slice().sort(function (a, b) { return collator.compare(a.label, b.label); });
    var step = ordered.length > 1 ? pw / (ordered.length - 1) : 0;
    var x = function (i) { return ordered.length > 1 ? left + i * step : left + pw / 2; };
    var y = function (v) { return top + ph - ph * (v - s.lo) / (s.hi - s.lo); };
    var root = svg("svg", { "class": "chart line-chart", viewBox: "0 0 " + W + " " + H, width: "100%", role: "img",
                            "aria-label": "?" + names[+valueSel.value] + " 折线图" });
    root.appendChild(svg("line", { "class": "axis", x1: left, x2: left + pw, y1: top + ph, y2: top + ph }));
    root.appendChild(svg("polyline", { "class": "series", fill: "none", stroke: "#c0392b", "stroke-width": "2.5",
      points: ordered.map(function (p, i) { return x(i).toFixed(1) + "," + y(p.value).toFixed(1); }).join(" ") }));
    ordered.forEach(function (p, i) {
      var c = svg("circle", { "class": "point", cx: x(i).toFixed(1), cy: y(p.value).toFixed(1), r: 4, fill: "#c0392b",
                              "data-value": String(p.value), "data-x": p.label });
      c.appendChild(svg("title", {}, p.label + "：" + window.kg.fmtNum(p.value)));
      root.appendChild(c);
      if (ordered.length <= 24) root.appendChild(svg("text", { "class": "tick", x: x(i).toFixed(1), y: top + ph + 16, "text-anchor": "middle" }, p.label));
    });
    root.appendChild(svg("text", { "class": "tick", x: left - 6, y: top + 4, "text-anchor": "end" }, window.kg.fmtNum(s.hi)));
    root.appendChild(svg("text", { "class": "tick", x: left - 6, y: top + ph, "text-anchor": "end" }, window.kg.fmtNum(s.lo)));
    chartBox.appendChild(root);
  }

  render();
  table.setAttribute("data-ready", "1");
})();

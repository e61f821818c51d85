/* The entity graph: a small force layout drawn on <canvas>. Data: /graph.json (networkx). */
(function () {
  "use strict";
  var canvas = document.getElementById("graph-canvas");
  if (!canvas) return;
  var ctx = canvas.getContext("2d");
  var COLORS = {
    City: "#2e86c1", County: "#2e86c1", District: "#2e86c1", Province: "#1b4f72", Township: "#5dade2", Town: "#5dade2",
    Subdistrict: "#5dade2", Village: "#85c1e9", Place: "#5dade2", Programme: "#28b463", PolicyDocument: "#8e44ad",
    Enterprise: "#f39c12", Cooperative: "#d68910", Organization: "#e74c3c", GovernmentBody: "#c0392b",
    Person: "#16a085", Category: "#7f8c8d", Product: "#a9cce3", Crop: "#82e0aa", Indicator: "#b03a2e", Thing: "#95a5a6"
  };
  var EDGE_COLORS = { partOf: "#2e86c1", memberOf: "#28b463", relatedTo: "#b8b6ae", hasIndicator: "#e6b8b2" };
  var nodes = [], edges = [], byId = {}, view = { x: 0, y: 0, k: 1 }, alpha = 1, hover = null, matches = [], focusId = null;
  var W = 0, H = 0, dpr = window.devicePixelRatio || 1;

  function resize() {
    var r = canvas.getBoundingClientRect();
    W = r.width; H = r.height;
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
    draw();
  }

  function radius(n) { return Math.min(16, 4 + Math.sqrt(n.degree) * 1.6); }

  function load(data) {
    var r = canvas.getBoundingClientRect();
    W = r.width; H = r.height;
    var scale = Math.min(W, H) * 0.42;
    nodes = data.nodes.map(function (n) {
      return { id: n.id, label: n.label, type: n.type, typeLabel: n.type_label, url: n.url, degree: n.degree,
               x: n.x * scale, y: n.y * scale, vx: 0, vy: 0, fixed: false };
    });
    nodes.forEach(function (n) { byId[n.id] = n; });
    edges = data.edges.filter(function (e) { return byId[e.source] && byId[e.target]; })
      .map(function (e) { return { s: byId[e.source], t: byId[e.target], rel: e.relation }; });
    canvas.setAttribute("data-nodes", String(nodes.length));
    canvas.setAttribute("data-edges", String(edges.length));
    window.kgGraph = { nodes: nodes, edges: edges, ready: false };
    var m = /focus=([^&]+)/.exec(location.hash);
    if (m) { focusId = decodeURIComponent(m[1]); if (byId[focusId]) { matches = [byId[focusId]]; } }
    resize();
    loop();
  }

  function tick() {
    var i, j, n = nodes.length, k = 30, rep = 900;
    for (i = 0; i < n; i++) {
      var a = nodes[i];
      for (j = i + 1; j < n; j++) {
        var b = nodes[j], dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01;
        if (d2 > 90000) continue;
        var f = rep / d2, d = Math.sqrt(d2);
        dx /= d; dy /= d;
        a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
      }
    }
    edges.forEach(function (e) {
      var dx = e.t.x - e.s.x, dy = e.t.y - e.s.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
      var len = e.rel === "hasIndicator" ? 70 : k * 1.8, f = (d - len) * 0.02;
      dx /= d; dy /= d;
      e.s.vx += dx * f; e.s.vy += dy * f; e.t.vx -= dx * f; e.t.vy -= dy * f;
    });
    nodes.forEach(function (p) {
      p.vx -= p.x * 0.004; p.vy -= p.y * 0.004;
      if (p.fixed) { p.vx = p.vy = 0; return; }
      p.x += Math.max(-20, Math.min(20, p.vx * alpha)); p.y += Math.max(-20, Math.min(20, p.vy * alpha));
      p.vx *= 0.6; p.vy *= 0.6;
    });
    alpha *= 0.985;
  }

  function toScreen(p) { return { x: W / 2 + view.x + p.x * view.k, y: H / 2 + view.y + p.y * view.k }; }
  function toWorld(x, y) { return { x: (x - W / 2 - view.x) / view.k, y: (y - H / 2 - view.y) / view.k }; }

  function draw() {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    var dim = matches.length > 0;
    var set = {};
    matches.forEach(function (m) { set[m.id] = true; });
    ctx.lineWidth = 1;
    edges.forEach(function (e) {
      var a = toScreen(e.s), b = toScreen(e.t);
      var lit = set[e.s.id] || set[e.t.id] || (hover && (hover === e.s || hover === e.t));
      ctx.globalAlpha = dim && !lit ? 0.12 : (lit ? 0.95 : 0.55);
      ctx.strokeStyle = EDGE_COLORS[e.rel] || "#bbb";
      ctx.lineWidth = lit ? 1.8 : 1;
      ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
    });
    ctx.globalAlpha = 1;
    ctx.font = "12px " + getComputedStyle(document.body).fontFamily;
    ctx.textBaseline = "middle";
    nodes.forEach(function (n) {
      var p = toScreen(n), r = radius(n) * Math.max(0.7, Math.min(1.6, view.k));
      var lit = set[n.id] || n === hover;
      ctx.globalAlpha = dim && !lit ? 0.25 : 1;
      ctx.fillStyle = COLORS[n.type] || COLORS.Thing;
      ctx.beginPath(); ctx.arc(p.x, p.y, r, 0, Math.PI * 2); ctx.fill();
      ctx.lineWidth = lit ? 3 : 1; ctx.strokeStyle = lit ? "#1f2329" : "#fff"; ctx.stroke();
      if (lit || n.degree >= 8 || view.k > 1.6 || (!dim && nodes.length < 60)) {
        ctx.fillStyle = "#1f2329";
        ctx.fillText(n.label, p.x + r + 3, p.y);
      }
    });
    ctx.globalAlpha = 1;
    if (hover) {
      var hp = toScreen(hover), text = hover.label + "（" + (hover.typeLabel || hover.type) + "，" + hover.degree + " 条边）";
      ctx.font = "13px " + getComputedStyle(document.body).fontFamily;
      var w = ctx.measureText(text).width + 12;
      ctx.fillStyle = "rgba(31,35,41,.88)"; ctx.fillRect(hp.x + 10, hp.y - 30, w, 22);
      ctx.fillStyle = "#fff"; ctx.fillText(text, hp.x + 16, hp.y - 19);
    }
  }

  var running = false;
  function loop() {
    if (running) return;
    running = true;
    (function frame() {
      for (var i = 0; i < 3 && alpha > 0.02; i++) tick();
      draw();
      if (alpha > 0.02) { requestAnimationFrame(frame); }
      else {
        running = false;
        if (window.kgGraph) window.kgGraph.ready = true;
        canvas.setAttribute("data-ready", "1");
        if (focusId && byId[focusId]) center(byId[focusId]);
      }
    })();
  }

  function center(n) { view.x = -n.x * view.k; view.y = -n.y * view.k; draw(); }

  function nodeAt(x, y) {
    for (var i = nodes.length - 1; i >= 0; i--) {
      var p = toScreen(nodes[i]), r = radius(nodes[i]) * Math.max(0.7, Math.min(1.6, view.k)) + 3;
      if ((p.x - x) * (p.x - x) + (p.y - y) * (p.y - y) <= r * r) return nodes[i];
    }
    return null;
  }

  var drag = null;
  function pos(ev) { var r = canvas.getBoundingClientRect(); return { x: ev.clientX - r.left, y: ev.clientY - r.top }; }
  canvas.addEventListener("pointerdown", function (ev) {
    var p = pos(ev), n = nodeAt(p.x, p.y);
    drag = { node: n, x: p.x, y: p.y, vx: view.x, vy: view.y, moved: false };
    if (n) n.fixed = true;
    canvas.setPointerCapture(ev.pointerId);
    canvas.classList.add("dragging");
  });
  canvas.addEventListener("pointermove", function (ev) {
    var p = pos(ev);
    if (drag) {
      if (Math.abs(p.x - drag.x) + Math.abs(p.y - drag.y) > 3) drag.moved = true;
      if (drag.node) { var w = toWorld(p.x, p.y); drag.node.x = w.x; drag.node.y = w.y; alpha = Math.max(alpha, 0.3); loop(); }
      else { view.x = drag.vx + p.x - drag.x; view.y = drag.vy + p.y - drag.y; draw(); }
    } else {
      var h = nodeAt(p.x, p.y);
      if (h !== hover) { hover = h; canvas.style.cursor = h ? "pointer" : ""; draw(); }
    }
  });
  canvas.addEventListener("pointerup", function () {
    if (drag && drag.node) { drag.node.fixed = false; if (!drag.moved && drag.node.url) location.href = drag.node.url; }
    drag = null;
    canvas.classList.remove("dragging");
  });
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = pos(ev), w = toWorld(p.x, p.y), f = ev.deltaY < 0 ? 1.15 : 1 / 1.15;
    view.k = Math.max(0.2, Math.min(6, view.k * f));
    view.x = p.x - W / 2 - w.x * view.k; view.y = p.y - H / 2 - w.y * view.k;
    draw();
  }, { passive: false });

  var search = document.getElementById("graph-search"), hits = document.getElementById("graph-hits");
  if (search) {
    search.addEventListener("input", function () {
      var q = search.value.trim().toLowerCase();
      matches = q ? nodes.filter(function (n) { return n.label.toLowerCase().indexOf(q) >= 0; }) : [];
      if (hits) hits.textContent = q ? ("找到 " + matches.length + " 个节点") : "";
      if (matches.length) center(matches[0]); else draw();
    });
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); if (matches.length) location.href = matches[0].url; }
    });
  }
  window.addEventListener("resize", resize);

  fetch(canvas.getAttribute("data-src"), { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(load)
    .catch(function (e) { canvas.setAttribute("data-error", String(e)); });
})();

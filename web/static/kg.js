/* kg web UI: small helpers, no libraries. */
(function () {
  "use strict";

  // ---------------------------------------------------------------- one number format (kg.web.numbers)
  // digits before the point grouped by thousands when there are four or more; the decimals kept
  // as given, without trailing zeros
  function plain(v) {
    var s = String(v);
    if (!/e/i.test(s)) return s;
    var n = Number(v);
    return Math.abs(n) >= 1 ? BigInt(Math.round(n)).toString() : n.toFixed(20);
  }
  function fmtNum(v) {
    if (v === null || v === undefined || v === "") return "";
    if (typeof v === "string" && !/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(v)) return v;
    var s = plain(v), sign = s.charAt(0) === "-" ? "-" : "";
    s = s.replace(/^-/, "");
    var dot = s.indexOf("."), whole = dot < 0 ? s : s.slice(0, dot), frac = dot < 0 ? "" : s.slice(dot + 1).replace(/0+$/, "");
    whole = whole.replace(/^0+(?=\d)/, "");
    if (whole.length >= 4) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + (whole || "0") + (frac ? "." + frac : "");
  }
  window.kg = window.kg || {};
  window.kg.fmtNum = fmtNum;

  // ---------------------------------------------------------------- #char=start,end in a document
  function highlightChars() {
    var text = document.getElementById("doc-text");
    if (!text) return;
    var old = text.querySelectorAll(".target");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("target");
    var m = /^#char=(\d+),(\d+)$/.exec(decodeURIComponent(location.hash || ""));
    if (!m) return;
    var s = +m[1], e = +m[2], hits = [];
    var pieces = text.querySelectorAll("[data-s]");
    for (var j = 0; j < pieces.length; j++) {
      var ps = +pieces[j].getAttribute("data-s"), pe = +pieces[j].getAttribute("data-e");
      if (ps < Math.max(e, s + 1) && pe > s) hits.push(pieces[j]);
    }
    hits.forEach(function (el) { el.classList.add("target"); });
    if (hits.length) {
      hits[0].scrollIntoView({ block: "center" });
      document.body.setAttribute("data-target", s + "," + e);
    }
  }
  window.addEventListener("hashchange", highlightChars);
  document.addEventListener("DOMContentLoaded", highlightChars);
  // after the browser's own jump to #char=… (an element id), centre the span again
  window.addEventListener("load", function () { setTimeout(highlightChars, 0); });

  // ---------------------------------------------------------------- copy buttons
  function copy(text, button) {
    function done() { var t = button.textContent; button.textContent = "已复制"; setTimeout(function () { button.textContent = t; }, 1200); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else { fallback(text); done(); }
  }
  function fallback(text) {
    var ta = document.createElement("textarea");
    ta.value = text; ta.style.position = "fixed"; ta.style.opacity = "0";
    document.body.appendChild(ta); ta.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing */ }
    document.body.removeChild(ta);
  }
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("button.copy") : null;
    if (!b) return;
    var sel = b.getAttribute("data-copy"), link = b.getAttribute("data-copy-link");
    if (sel) { var el = document.querySelector(sel); if (el) copy(el.textContent, b); }
    if (link) { var a = document.querySelector(link); if (a) copy(a.href, b); }
  });

  // ---------------------------------------------------------------- SPARQL editor
  document.addEventListener("DOMContentLoaded", function () {
    var q = document.getElementById("query"), pick = document.getElementById("example");
    if (!q || document.getElementById("editor")) return;     // the CodeMirror editor took over
    if (pick) pick.addEventListener("change", function () {
      var t = document.getElementById("ex-" + pick.value);
      if (t) { q.value = (t.content ? t.content.textContent : t.textContent).trim() + "\n"; q.focus(); }
    });
    q.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); q.form.submit(); }
      else if (ev.key === "Tab" && !ev.shiftKey) {
        ev.preventDefault();
        var a = q.selectionStart, b = q.selectionEnd;
        q.value = q.value.slice(0, a) + "  " + q.value.slice(b);
        q.selectionStart = q.selectionEnd = a + 2;
      }
    });
  });
})();

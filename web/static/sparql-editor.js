/* The SPARQL editor on /query: CodeMirror 6 with the SPARQL grammar (the bundle in vendor/,
   window.KgCodeMirror) in place of the query box. Highlighting; completion of prefixes (adding the
   PREFIX line when it is missing), of the graph's classes, properties and indicators, and of the
   query's variables — all from this server's /query/vocabulary.json, never from another site;
   the endpoint's syntax error marked where it says; Ctrl+Enter runs the query. Without the
   bundle (or without script) the plain query box works as before. */
(function () {
  "use strict";
  var CM = window.KgCodeMirror;
  var ta = document.getElementById("query");
  if (!CM || !ta) return;

  var KEYWORDS = ["SELECT", "DISTINCT", "WHERE", "OPTIONAL", "FILTER", "BIND", "VALUES", "UNION", "MINUS", "GRAPH",
    "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET", "ASC", "DESC", "COUNT", "SUM", "AVG", "MIN", "MAX",
    "SAMPLE", "GROUP_CONCAT", "CONSTRUCT", "DESCRIBE", "ASK", "PREFIX", "BASE", "FROM", "FROM NAMED", "AS",
    "NOT EXISTS", "EXISTS", "IN", "STR", "LANG", "LANGMATCHES", "REGEX", "CONTAINS", "STRSTARTS", "STRAFTER",
    "STRBEFORE", "CONCAT", "COALESCE", "IF", "YEAR", "ISIRI", "ISLITERAL", "BOUND", "DATATYPE"];
  var vocab = null, loading = null;

  function loadVocabulary() {
    if (!loading) {
      loading = fetch(ta.getAttribute("data-vocabulary"), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; })
        .then(function (v) { vocab = v || { prefixes: {}, classes: [], properties: [], indicators: [] }; return vocab; });
    }
    return loading;
  }

  // PREFIX declarations of the query: name → IRI, and where a new one goes (after the last one)
  function declarations(text) {
    var re = /^\s*PREFIX\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>/gim, m, found = {}, end = 0;
    while ((m = re.exec(text))) {
      found[m[1] || ""] = m[2];
      var nl = text.indexOf("\n", m.index + m[0].length);
      end = nl < 0 ? text.length : nl + 1;
    }
    return { found: found, insertAt: end };
  }

  // insert ``text`` over [from, to) and, when the prefix is not declared yet, its PREFIX line
  function applyWithPrefix(prefix, text) {
    return function (view, completion, from, to) {
      var doc = view.state.doc.toString(), decl = declarations(doc), changes = [];
      var line = "";
      if (prefix && vocab && vocab.prefixes[prefix] && !(prefix in decl.found)) {
        line = "PREFIX " + prefix + ": <" + vocab.prefixes[prefix] + ">\n";
        changes.push({ from: decl.insertAt, insert: line });
      }
      changes.push({ from: from, to: to, insert: text });
      var shift = line && decl.insertAt <= from ? line.length : 0;
      view.dispatch({ changes: changes, selection: { anchor: from + shift + text.length }, scrollIntoView: true,
                      userEvent: "input.complete" });
    };
  }

  var TYPE = { "class": "class", property: "property", indicator: "constant" };

  function termOptions(prefix, wantClasses) {
    var out = [], lists = [vocab.classes, vocab.properties, vocab.indicators];
    lists.forEach(function (list) {
      list.forEach(function (t) {
        if (t.name.indexOf(prefix + ":") !== 0) return;
        var boost = Math.min(40, Math.log(1 + t.count) * 4) + (wantClasses && t.kind === "class" ? 50 : 0);
        out.push({ label: t.name, detail: t.label || "", info: t.iri + (t.count ? "（" + t.count + " 处）" : ""),
                   type: TYPE[t.kind], boost: boost, apply: applyWithPrefix(prefix, t.name) });
      });
    });
    return out;
  }

  function variables(text) {
    var re = /[?$]([A-Za-z_][\w]*)/g, m, seen = {}, out = [];
    while ((m = re.exec(text))) {
      if (!seen[m[1]]) { seen[m[1]] = 1; out.push({ label: "?" + m[1], type: "variable" }); }
    }
    return out;
  }

  function complete(ctx) {
    return loadVocabulary().then(function () {
      var before = ctx.state.sliceDoc(Math.max(0, ctx.pos - 200), ctx.pos);
      var line = ctx.state.doc.lineAt(ctx.pos), lineBefore = ctx.state.sliceDoc(line.from, ctx.pos);
      var m;
      if ((m = /[?$][\w]*$/.exec(before))) {
        var vars = variables(ctx.state.doc.toString()).filter(function (o) { return o.label !== "?" + m[0].slice(1) || ctx.explicit; });
        return { from: ctx.pos - m[0].length, options: vars, validFor: /^[?$][\w]*$/ };
      }
      if ((m = /^\s*PREFIX\s+([A-Za-z][\w-]*:?)?$/i.exec(lineBefore))) {     // PREFIX sk| → a whole declaration
        var word = m[1] || "";
        var decls = Object.keys(vocab.prefixes).map(function (p) {
          return { label: p + ": <" + vocab.prefixes[p] + ">", type: "namespace", detail: "前缀" };
        });
        return { from: ctx.pos - word.length, options: decls, validFor: /^[\w-]*:?$/ };
      }
      if ((m = /([A-Za-z][\w-]*):([\w\-.]*)$/.exec(before))) {                // fp:Obs| → the graph's terms
        if (!(m[1] in vocab.prefixes)) return null;
        var wantClasses = /(?:^|\s)a\s+[\w-]*:[\w\-.]*$/.test(before);
        return { from: ctx.pos - m[0].length, options: termOptions(m[1], wantClasses), validFor: /^[\w-]*:[\w\-.]*$/ };
      }
      if ((m = /[A-Za-z][\w-]*$/.exec(before)) || ctx.explicit) {           // a word → prefixes and keywords
        var w = m ? m[0] : "";
        if (!w && !ctx.explicit) return null;
        var opts = Object.keys(vocab.prefixes).map(function (p) {
          return { label: p + ":", detail: vocab.prefixes[p], type: "namespace", boost: p === "fp" ? 5 : 0,
                   apply: applyWithPrefix(p, p + ":") };
        });
        KEYWORDS.forEach(function (k) { opts.push({ label: k, type: "keyword", boost: -5 }); });
        return { from: ctx.pos - w.length, options: opts, validFor: /^[\w-]*$/ };
      }
      return null;
    });
  }

  // ---------------------------------------------------------------- the editor
  var form = ta.form;
  function run() {
    ta.value = view.state.doc.toString();
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
    return true;
  }
  // The editor lives in a shadow root: there CodeMirror adopts its style sheets as constructed
  // sheets; in the document it would add <style> elements, which the site's Content-Security-Policy
  // (style-src 'self', no inline style) refuses. Its look comes from sparql-editor.css.
  var host = document.createElement("div");
  host.className = "sparql-editor";
  host.id = "editor";
  ta.parentNode.insertBefore(host, ta);
  var shadow = host.attachShadow({ mode: "open" });
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = ta.getAttribute("data-editor-css");
  shadow.appendChild(css);
  var mount = document.createElement("div");
  mount.className = "editor-mount";
  shadow.appendChild(mount);
  var view = new CM.EditorView({
    parent: mount,
    root: shadow,
    state: CM.EditorState.create({
      doc: ta.value,
      extensions: [
        CM.Prec.highest(CM.keymap.of([{ key: "Mod-Enter", run: run }])),
        CM.basicSetup,
        CM.sparql(),
        CM.syntaxHighlighting(CM.classHighlighter),
        CM.SparqlLanguage.data.of({ autocomplete: complete }),
        CM.lintGutter(),
        CM.EditorView.lineWrapping,
        CM.EditorView.contentAttributes.of({ "aria-label": "SPARQL 查询", spellcheck: "false" }),
        CM.EditorView.updateListener.of(function (u) { if (u.docChanged) ta.value = u.state.doc.toString(); }),
      ],
    }),
  });
  ta.hidden = true;
  ta.setAttribute("aria-hidden", "true");
  window.kgEditor = view;

  // the examples
  var pick = document.getElementById("example");
  if (pick) pick.addEventListener("change", function () {
    var t = document.getElementById("ex-" + pick.value);
    if (!t) return;
    var text = (t.content ? t.content.textContent : t.textContent).trim() + "\n";
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    view.focus();
  });

  // the endpoint's syntax error, marked where it says (line and column from 1)
  var err = document.getElementById("query-error");
  if (err && err.getAttribute("data-line")) {
    var doc = view.state.doc, ln = +err.getAttribute("data-line"), col = +err.getAttribute("data-col");
    if (ln >= 1 && ln <= doc.lines) {
      var line = doc.line(ln), pos = Math.min(line.from + Math.max(col - 1, 0), line.to);
      var from = pos, to = pos, text = line.text, i = pos - line.from;
      var word = /[\w:?$\-.]/;
      if (i >= text.length || !word.test(text[i])) {           // just after a word: mark that word
        while (from > line.from && word.test(text[from - 1 - line.from])) from--;
      }
      while (to < line.to && word.test(text[to - line.from])) to++;
      if (from === to) { if (to < line.to) to++; else if (from > line.from) from--; }
      view.dispatch(CM.setDiagnostics(view.state, [{ from: from, to: to, severity: "error",
        message: err.textContent.trim(), source: "SPARQL endpoint" }]));
      host.setAttribute("data-error-from", String(from));
      host.setAttribute("data-error-to", String(to));
    }
  }
  host.setAttribute("data-ready", "1");
  loadVocabulary();
})();

// The SPARQL editor's libraries, bundled by `make assets` (web/vendor-src/build.mjs) into
// web/static/vendor/ and exposed as window.KgCodeMirror; web/static/sparql-editor.js uses them.
// Nothing here fetches anything: completions come from the page's own server.
import { basicSetup } from "codemirror";
import { EditorView, keymap, placeholder } from "@codemirror/view";
import { EditorState, Compartment, Prec } from "@codemirror/state";
import { syntaxTree, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { classHighlighter } from "@lezer/highlight";
import { autocompletion, startCompletion, closeCompletion, completionStatus, currentCompletions,
         acceptCompletion, selectedCompletion } from "@codemirror/autocomplete";
import { setDiagnostics, lintGutter, forEachDiagnostic, diagnosticCount } from "@codemirror/lint";
import { sparql, SparqlLanguage } from "codemirror-lang-sparql";

window.KgCodeMirror = {
  basicSetup, EditorView, keymap, placeholder, EditorState, Compartment, Prec, syntaxTree, indentUnit,
  syntaxHighlighting, classHighlighter,
  autocompletion, startCompletion, closeCompletion, completionStatus, currentCompletions, acceptCompletion,
  selectedCompletion, setDiagnostics, lintGutter, forEachDiagnostic, diagnosticCount, sparql, SparqlLanguage,
};

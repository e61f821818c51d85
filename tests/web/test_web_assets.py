"""The SPARQL editor's bundle (web/static/vendor/, built by `make assets` from package-lock.json):
committed, versioned, with its licences, at the locked versions, and with nothing in it that
reaches another site. No npm is needed to run these."""

from __future__ import annotations

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENDOR = REPO / "web" / "static" / "vendor"


def manifest() -> dict:
    return json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))


def test_bundle_is_versioned_and_at_the_locked_versions():
    m = manifest()["editor"]
    pkg = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    assert m["file"] == f"codemirror-sparql-{pkg['version']}.js"
    bundle = (VENDOR / m["file"]).read_text(encoding="utf-8")
    for name, version in pkg["devDependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert {"codemirror", "codemirror-lang-sparql", "@codemirror/view", "@codemirror/autocomplete",
            "@codemirror/lint"} <= set(m["packages"])
    header = bundle.split("*/", 1)[0]
    for name, version in m["packages"].items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert f" * {name} {version} (" in header


def test_bundle_has_every_licence():
    m = manifest()["editor"]
    licences = (VENDOR / m["licences"]).read_text(encoding="utf-8")
    for name, version in m["packages"].items():
        assert f"{name} {version} (MIT)" in licences
    assert licences.count("Permission is hereby granted, free of charge") >= len(m["packages"]) - 2


def test_bundle_reaches_no_other_site():
    bundle = (VENDOR / manifest()["editor"]["file"]).read_text(encoding="utf-8")
    urls = set(re.findall(r"https?://[\w.-]+[^\s\"'`)]*", bundle))
    assert urls <= {"http://www.w3.org/2000/svg"}, urls       # the SVG namespace is a name, not a request
    for call in ("fetch(", "XMLHttpRequest", "WebSocket", "EventSource", "sendBeacon", "importScripts"):
        assert call not in bundle, call


def test_editor_page_loads_the_bundle(client):
    html = client.get("/query").get_data(as_text=True)
    assert f'src="/static/vendor/{manifest()["editor"]["file"]}"' in html
    assert client.get(f"/static/vendor/{manifest()['editor']['file']}").status_code == 200
    # the editor's completion asks this server only
    assert 'data-vocabulary="/query/vocabulary.json"' in html
    vocab = client.get("/query/vocabulary.json").get_json()
    assert vocab["prefixes"]["fp"] == "https://w3id.org/fupin/ontology#"
    assert {"fp:Observation", "fp:Report"} <= {c["name"] for c in vocab["classes"]}
    assert {"fp:indicator", "fp:value", "rdfs:label"} <= {p["name"] for p in vocab["properties"]}

"""The data behind the pages: prepared SPARQL (values come in as bindings), turned into plain
dicts and lists that the templates render and the ``.json`` views return as they are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from urllib.parse import quote

from ..namespaces import GRAPH, ID, IND, ONTOLOGY_GRAPH, PREFIXES, sparql_prefixes
from ..queries import DOCUMENTS
from ..store import LocalStore

P = sparql_prefixes()

ENTITY_KINDS = {
    # class local name → (Chinese label, plural label for lists)
    "City": "市", "County": "县", "District": "区", "Province": "省", "Township": "乡", "Town": "镇",
    "Subdistrict": "街道", "Village": "村", "Place": "地点",
    "Programme": "扶贫项目", "Enterprise": "企业", "Cooperative": "合作社", "Organization": "机构",
    "GovernmentBody": "政府机构", "PolicyDocument": "政策文件", "Person": "人物", "Product": "产品",
    "Crop": "作物", "Category": "类别", "Indicator": "指标", "Thing": "其他",
}
PLACE_CLASSES = {"City", "County", "District", "Province", "Township", "Town", "Subdistrict", "Village", "Place"}
ENTITY_ORDER = ["Province", "City", "County", "District", "Township", "Town", "Subdistrict", "Village", "Place",
                "Programme", "PolicyDocument", "Enterprise", "Cooperative", "Organization", "GovernmentBody",
                "Person", "Category", "Product", "Crop"]
RELATIONS = {"partOf": "隶属于", "memberOf": "属于类别", "relatedTo": "相关", "locatedIn": "位于",
             "issuedBy": "发文机关", "hasIndicator": "有指标"}
QUALIFIERS = {"exact": "", "lower_bound": "以上/余", "upper_bound": "以内/不足", "approx": "约", "approximate": "约",
              "range": "区间"}


def local(iri: str | None) -> str:
    if not iri:
        return ""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


def num(v):
    """Decimal → int when integral (for JSON and display)."""
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def fmt_num(v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, Decimal):
        v = v.normalize()
        s = format(v, "f")
    else:
        s = str(v)
    if "." in s:
        whole, frac = s.split(".")
        frac = frac.rstrip("0")
    else:
        whole, frac = s, ""
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    grouped = f"{int(whole):,}" if whole.isdigit() and len(whole) > 4 else whole
    return sign + grouped + ("." + frac if frac else "")


# ---------------------------------------------------------------------- links
def doc_url(doc: str) -> str:
    return "/documents/" + quote(doc, safe="")


def iri_url(iri: str | None) -> str:
    """The page of an IRI in this site."""
    if not iri:
        return ""
    if iri.startswith(ID):
        rest = iri[len(ID):]
        kind, _, tail = rest.partition("/")
        if kind in ("report", "dataset"):
            return doc_url(_unquote(tail))
        if kind == "text":
            doc, _, frag = tail.partition("#")
            return doc_url(_unquote(doc)) + ("#" + frag if frag else "")
        if "%2F" not in rest.upper() and "#" not in rest:
            return "/id/" + rest
    elif iri.startswith(IND):
        return "/indicator/" + iri[len(IND):]
    elif iri.startswith(GRAPH) and iri != ONTOLOGY_GRAPH:
        return doc_url(_unquote(iri[len(GRAPH):]))
    return "/resource?iri=" + quote(iri, safe="")


def _unquote(s: str) -> str:
    from urllib.parse import unquote
    return unquote(s)


def short(iri: str) -> str:
    for p, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and p != "kgid":
            return f"{p}:{iri[len(ns):]}"
    return iri


def id_candidates(rest: str) -> list[str]:
    """IRIs that a decoded /id/<rest> path may stand for (raw, fully %-encoded, kg's own rule)."""
    segs = rest.split("/")
    out = [ID + rest, ID + "/".join(quote(s, safe="-._~") for s in segs)]
    try:
        from ..rdf.iris import _seg
        out.append(ID + "/".join(_seg(s) for s in segs))
    except Exception:
        pass
    return list(dict.fromkeys(out))


def resolve_id(store: LocalStore, rest: str) -> str | None:
    for iri in id_candidates(rest):
        if store.select("SELECT ?s ?p WHERE { { ?s ?p ?o } UNION { ?o ?p ?s } } LIMIT 1", {"s": iri}):
            return iri
    return None


# ---------------------------------------------------------------------- documents
DOC_EXTRA = P + """
SELECT ?report (COUNT(DISTINCT ?e) AS ?entities) WHERE {
  ?report a fp:Report . OPTIONAL { ?e fp:mentionedIn ?report }
} GROUP BY ?report
"""


def documents(store: LocalStore) -> list[dict]:
    extra = {r["report"]: r["entities"] for r in store.select(DOC_EXTRA)}
    out = []
    for r in store.select(DOCUMENTS):
        out.append({"doc": r["doc"], "iri": r["report"], "title": r["title"] or r["doc"], "place": r["place"] or "",
                    "date": r["date"] or "", "facts": int(r["facts"]), "entities": int(extra.get(r["report"], 0)),
                    "url": doc_url(r["doc"])})
    return out


REPORT = P + """
SELECT ?report ?title ?date ?source ?place ?placeIri ?text ?checksum WHERE {
  ?report a fp:Report ; dct:identifier ?doc ; nif:isString ?text .
  OPTIONAL { ?report dct:title ?title } OPTIONAL { ?report dct:date ?date } OPTIONAL { ?report dct:source ?source }
  OPTIONAL { ?report fp:place ?placeIri . ?placeIri rdfs:label ?place }
  OPTIONAL { ?report fp:checksum ?checksum }
} LIMIT 1
"""

FACTS = P + """
SELECT ?report ?obs ?label ?ind ?indLabel ?brk ?brkLabel ?place ?placeLabel ?periodLabel ?startYear ?endYear
       ?value ?unit ?baseValue ?baseUnit ?qualifier ?kind ?start ?end ?surface ?sentence ?sStart ?sEnd WHERE {
  ?obs a fp:Observation ; prov:wasDerivedFrom ?report ; fp:indicator ?ind ; fp:value ?value ;
       sdmx-dimension:refArea ?place ; sdmx-dimension:refPeriod ?per ; fp:mention ?m .
  ?m nif:beginIndex ?start ; nif:endIndex ?end ; nif:anchorOf ?surface .
  OPTIONAL { ?m fp:sentence ?s . ?s nif:anchorOf ?sentence ; nif:beginIndex ?sStart ; nif:endIndex ?sEnd }
  OPTIONAL { ?obs rdfs:label ?label }
  OPTIONAL { ?ind skos:prefLabel ?indLabel }
  OPTIONAL { ?obs fp:breakdown ?brk . OPTIONAL { ?brk skos:prefLabel ?brkLabel } }
  OPTIONAL { ?place rdfs:label ?placeLabel }
  OPTIONAL { ?per rdfs:label ?periodLabel } OPTIONAL { ?per fp:startYear ?startYear } OPTIONAL { ?per fp:endYear ?endYear }
  OPTIONAL { ?obs sdmx-attribute:unitMeasure/rdfs:label ?unit }
  OPTIONAL { ?obs fp:baseValue ?baseValue } OPTIONAL { ?obs fp:baseUnit/rdfs:label ?baseUnit }
  OPTIONAL { ?obs fp:qualifier ?qualifier } OPTIONAL { ?obs fp:kind ?kind }
} ORDER BY ?start ?end
"""

ENTITY_MENTIONS = P + """
SELECT ?report ?e ?label ?type ?start ?end WHERE {
  ?e fp:mentionedIn ?report ; fp:mention ?m .
  ?m nif:referenceContext ?report ; nif:beginIndex ?start ; nif:endIndex ?end .
  OPTIONAL { ?e rdfs:label ?label }
  OPTIONAL { ?e a ?type . FILTER(STRSTARTS(STR(?type), STR(fp:))) }
} ORDER BY ?start
"""


def fact_row(r: dict) -> dict:
    kind = local(r.get("kind")) or "Actual"
    return {
        "observation": r["obs"], "url": iri_url(r["obs"]), "label": r.get("label") or "",
        "indicator": local(r["ind"]), "indicator_label": r.get("indLabel") or local(r["ind"]),
        "indicator_url": iri_url(r["ind"]),
        "breakdown": local(r.get("brk")) if r.get("brk") else "", "breakdown_label": r.get("brkLabel") or "",
        "place": r.get("placeLabel") or local(r.get("place")), "place_url": iri_url(r.get("place")),
        "period": r.get("periodLabel") or "", "start_year": r.get("startYear"), "end_year": r.get("endYear"),
        "value": num(r["value"]), "unit": r.get("unit") or "", "base_value": num(r.get("baseValue")),
        "base_unit": r.get("baseUnit") or "", "qualifier": r.get("qualifier") or "exact",
        "kind": "target" if kind == "Target" else "actual",
    }


def document(store: LocalStore, doc: str) -> dict | None:
    from ..rdf import iris
    meta = None
    for report in dict.fromkeys([iris.report(doc), ID + "report/" + quote(doc, safe="-._~"), ID + "report/" + doc]):
        rows = store.select(REPORT, {"report": report})
        if rows:
            meta = rows[0]
            break
    if meta is None:
        return None
    report = meta["report"]
    text = meta["text"]
    facts: dict[str, dict] = {}
    spans = []
    for r in store.select(FACTS, {"report": report}):
        f = facts.get(r["obs"])
        if f is None:
            f = facts[r["obs"]] = fact_row(r) | {"mentions": [], "doc": doc}
        m = {"start": int(r["start"]), "end": int(r["end"]), "surface": r["surface"], "sentence": r.get("sentence") or "",
             "sentence_start": r.get("sStart"), "sentence_end": r.get("sEnd")}
        if m not in f["mentions"]:
            f["mentions"].append(m)
            spans.append((m["start"], m["end"], "fact", r["obs"]))
    entities: dict[str, dict] = {}
    for r in store.select(ENTITY_MENTIONS, {"report": report}):
        e = entities.get(r["e"])
        typ = local(r.get("type")) or "Thing"
        if e is None:
            e = entities[r["e"]] = {"iri": r["e"], "label": r.get("label") or local(r["e"]), "type": typ,
                                    "type_label": ENTITY_KINDS.get(typ, typ), "url": iri_url(r["e"]), "mentions": 0,
                                    "_spans": set()}
        elif e["type"] == "Thing" and typ != "Thing":
            e["type"], e["type_label"] = typ, ENTITY_KINDS.get(typ, typ)
        span = (int(r["start"]), int(r["end"]))
        if span not in e["_spans"]:
            e["_spans"].add(span)
            e["mentions"] += 1
            spans.append((span[0], span[1], "entity", r["e"]))
    for e in entities.values():
        e.pop("_spans")
    fact_list = sorted(facts.values(), key=lambda f: (f["mentions"][0]["start"], f["mentions"][0]["end"]))
    for i, f in enumerate(fact_list, 1):
        f["n"] = i
    return {
        "doc": doc, "iri": report, "graph": iris.doc_graph(doc), "title": meta.get("title") or doc,
        "date": meta.get("date") or "", "source": meta.get("source") or "", "place": meta.get("place") or "",
        "place_url": iri_url(meta.get("placeIri")), "checksum": meta.get("checksum") or "",
        "length": len(text), "text": text, "facts": fact_list,
        "entities": sorted(entities.values(), key=lambda e: (ENTITY_ORDER.index(e["type"]) if e["type"] in ENTITY_ORDER
                                                             else 99, -e["mentions"], e["label"])),
        "spans": spans,
    }


def segments(text: str, spans: list[tuple[int, int, str, str]], facts_by_iri: dict[str, dict],
             entities_by_iri: dict[str, dict]) -> list[dict]:
    """Cut ``text`` at every span boundary; each piece knows the facts and entities covering it."""
    n = len(text)
    cuts = {0, n}
    for s, e, _, _ in spans:
        if 0 <= s < e <= n:
            cuts.update((s, e))
    bounds = sorted(cuts)
    starts = defaultdict(list)
    for sp in spans:
        starts[sp[0]].append(sp)
    active: list[tuple[int, int, str, str]] = []
    out = []
    for a, b in zip(bounds, bounds[1:]):
        active = [sp for sp in active if sp[1] > a] + [sp for sp in starts.get(a, []) if sp[1] > sp[0]]
        fact_ids = [sp[3] for sp in active if sp[2] == "fact"]
        ent_ids = [sp[3] for sp in active if sp[2] == "entity"]
        seg = {"start": a, "end": b, "text": text[a:b]}
        if fact_ids:
            f = facts_by_iri[fact_ids[0]]
            own = next((sp for sp in active if sp[2] == "fact" and sp[3] == fact_ids[0]), None)
            seg["fact"] = f
            seg["facts"] = [facts_by_iri[i] for i in dict.fromkeys(fact_ids)]
            seg["span"] = (own[0], own[1]) if own else (a, b)
        if ent_ids:
            seg["entity"] = entities_by_iri.get(ent_ids[0])
        out.append(seg)
    return out


# ---------------------------------------------------------------------- observations
OBS_MENTIONS = P + """
SELECT ?obs ?doc ?start ?end ?surface ?sentence ?sStart WHERE {
  ?obs fp:mention ?m ; prov:wasDerivedFrom ?report . ?report dct:identifier ?doc .
  ?m nif:beginIndex ?start ; nif:endIndex ?end ; nif:anchorOf ?surface .
  OPTIONAL { ?m fp:sentence ?s . ?s nif:anchorOf ?sentence ; nif:beginIndex ?sStart }
} ORDER BY ?start
"""

OBS_ONE = P + """
SELECT ?obs ?label ?ind ?indLabel ?brk ?brkLabel ?place ?placeLabel ?periodLabel ?startYear ?endYear
       ?value ?unit ?baseValue ?baseUnit ?qualifier ?kind ?per ?valueMax WHERE {
  ?obs a fp:Observation ; fp:indicator ?ind ; fp:value ?value ; sdmx-dimension:refArea ?place ;
       sdmx-dimension:refPeriod ?period .
  OPTIONAL { ?obs rdfs:label ?label }
  OPTIONAL { ?ind skos:prefLabel ?indLabel }
  OPTIONAL { ?obs fp:breakdown ?brk . OPTIONAL { ?brk skos:prefLabel ?brkLabel } }
  OPTIONAL { ?place rdfs:label ?placeLabel }
  OPTIONAL { ?period rdfs:label ?periodLabel } OPTIONAL { ?period fp:startYear ?startYear } OPTIONAL { ?period fp:endYear ?endYear }
  OPTIONAL { ?obs sdmx-attribute:unitMeasure/rdfs:label ?unit }
  OPTIONAL { ?obs fp:baseValue ?baseValue } OPTIONAL { ?obs fp:baseUnit/rdfs:label ?baseUnit }
  OPTIONAL { ?obs fp:qualifier ?qualifier } OPTIONAL { ?obs fp:kind ?kind } OPTIONAL { ?obs fp:per ?per }
  OPTIONAL { ?obs fp:valueMax ?valueMax }
} LIMIT 1
"""


def observation(store: LocalStore, iri: str) -> dict | None:
    rows = store.select(OBS_ONE, {"obs": iri})
    if not rows:
        return None
    r = rows[0]
    f = fact_row(r)
    f["per"] = r.get("per") or ""
    f["value_max"] = num(r.get("valueMax"))
    f["mentions"] = []
    for m in store.select(OBS_MENTIONS, {"obs": iri}):
        start, end = int(m["start"]), int(m["end"])
        sentence = m.get("sentence") or ""
        s0 = int(m["sStart"]) if m.get("sStart") is not None else None
        f["doc"] = m["doc"]
        f["mentions"].append({"doc": m["doc"], "start": start, "end": end, "surface": m["surface"],
                              "sentence": sentence, "parts": highlight_parts(sentence, s0, start, end, m["surface"]),
                              "url": f"{doc_url(m['doc'])}#char={start},{end}"})
    f["triples"] = describe(store, iri)
    return f


def highlight_parts(sentence: str, sentence_start: int | None, start: int, end: int, surface: str = "") -> list[tuple[str, bool]]:
    """The sentence as (text, highlighted) pieces, the value's surface highlighted."""
    if not sentence:
        return [(surface, True)] if surface else []
    if sentence_start is not None and sentence_start <= start and end - sentence_start <= len(sentence):
        a, b = start - sentence_start, end - sentence_start
    else:
        a = sentence.find(surface) if surface else -1
        if a < 0:
            return [(sentence, False)]
        b = a + len(surface)
    return [p for p in ((sentence[:a], False), (sentence[a:b], True), (sentence[b:], False)) if p[0]]


# ---------------------------------------------------------------------- any resource
DESCRIBE_OUT = P + """
SELECT ?s ?p ?o ?oLabel ?g WHERE {
  GRAPH ?g { ?s ?p ?o }
  OPTIONAL { ?o rdfs:label ?l1 } OPTIONAL { ?o skos:prefLabel ?l2 }
  BIND(COALESCE(?l2, ?l1) AS ?oLabel)
} LIMIT 500
"""
DESCRIBE_IN = P + """
SELECT ?s ?x ?p ?xLabel WHERE {
  ?x ?p ?s .
  OPTIONAL { ?x rdfs:label ?l1 } OPTIONAL { ?x skos:prefLabel ?l2 }
  BIND(COALESCE(?l2, ?l1) AS ?xLabel)
} LIMIT 300
"""


def _term_view(value, label=None) -> dict:
    if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
        return {"iri": value, "short": short(value), "label": label or "", "url": iri_url(value)}
    return {"literal": value if not isinstance(value, Decimal) else num(value), "text": fmt_num(value)
            if isinstance(value, Decimal) else str(value)}


def describe(store: LocalStore, iri: str) -> dict:
    out, seen = [], set()
    for r in store.select(DESCRIBE_OUT, {"s": iri}):
        key = (r["p"], str(r["o"]))
        if key in seen:
            continue
        seen.add(key)
        o = r["o"]
        if isinstance(o, str) and len(o) > 400:
            o = o[:400] + "…"
        out.append({"p": _term_view(r["p"]), "o": _term_view(o, r.get("oLabel")), "graph": r["g"]})
    inc = [{"s": _term_view(r["x"], r.get("xLabel")), "p": _term_view(r["p"])}
           for r in store.select(DESCRIBE_IN, {"s": iri})]
    return {"out": out, "in": inc}


def resource(store: LocalStore, iri: str) -> dict:
    d = describe(store, iri)
    label = next((t["o"].get("literal") for t in d["out"]
                  if t["p"]["iri"].endswith(("#label", "#prefLabel")) and "literal" in t["o"]), None)
    return {"iri": iri, "short": short(iri), "label": label or short(iri), **d}


# ---------------------------------------------------------------------- entities
ENTITY_LIST = P + """
SELECT ?e ?label ?type (COUNT(DISTINCT ?m) AS ?mentions) (COUNT(DISTINCT ?report) AS ?docs) WHERE {
  ?e fp:mentionedIn ?report ; rdfs:label ?label .
  OPTIONAL { ?e fp:mention ?m }
  OPTIONAL { ?e a ?type . FILTER(STRSTARTS(STR(?type), STR(fp:))) }
} GROUP BY ?e ?label ?type
"""

PLACES_WITH_FACTS = P + """
SELECT ?e ?label ?type (COUNT(DISTINCT ?obs) AS ?facts) WHERE {
  ?obs a fp:Observation ; sdmx-dimension:refArea ?e . ?e rdfs:label ?label .
  OPTIONAL { ?e a ?type . FILTER(STRSTARTS(STR(?type), STR(fp:))) }
} GROUP BY ?e ?label ?type
"""


def entities(store: LocalStore, kind: str | None = None, q: str | None = None) -> dict:
    items: dict[str, dict] = {}
    for r in store.select(ENTITY_LIST):
        typ = local(r.get("type")) or "Thing"
        e = items.setdefault(r["e"], {"iri": r["e"], "label": r["label"], "type": typ, "mentions": 0, "docs": 0,
                                      "facts": 0, "url": iri_url(r["e"])})
        if e["type"] == "Thing":
            e["type"] = typ
        e["mentions"] = max(e["mentions"], int(r["mentions"]))
        e["docs"] = max(e["docs"], int(r["docs"]))
    for r in store.select(PLACES_WITH_FACTS):
        typ = local(r.get("type")) or "Place"
        e = items.setdefault(r["e"], {"iri": r["e"], "label": r["label"], "type": typ, "mentions": 0, "docs": 0,
                                      "facts": 0, "url": iri_url(r["e"])})
        e["facts"] = int(r["facts"])
    rows = list(items.values())
    if kind:
        rows = [e for e in rows if e["type"] == kind or (kind == "Place" and e["type"] in PLACE_CLASSES)]
    if q:
        rows = [e for e in rows if q.lower() in e["label"].lower()]
    counts = Counter(e["type"] for e in items.values())
    for e in rows:
        e["type_label"] = ENTITY_KINDS.get(e["type"], e["type"])
    rows.sort(key=lambda e: (ENTITY_ORDER.index(e["type"]) if e["type"] in ENTITY_ORDER else 99,
                             -e["facts"], -e["mentions"], e["label"]))
    groups = []
    for t in ENTITY_ORDER + sorted(set(counts) - set(ENTITY_ORDER)):
        members = [e for e in rows if e["type"] == t]
        if members:
            groups.append({"type": t, "type_label": ENTITY_KINDS.get(t, t), "entities": members})
    return {"kind": kind or "", "q": q or "", "total": len(rows),
            "types": [{"type": t, "label": ENTITY_KINDS.get(t, t), "count": counts[t]}
                      for t in ENTITY_ORDER + sorted(set(counts) - set(ENTITY_ORDER)) if counts.get(t)],
            "groups": groups}


ENTITY_HEAD = P + """
SELECT ?e ?label ?type ?number ?level WHERE {
  OPTIONAL { ?e rdfs:label ?label }
  OPTIONAL { ?e a ?type . FILTER(STRSTARTS(STR(?type), STR(fp:))) }
  OPTIONAL { ?e fp:documentNumber ?number }
  OPTIONAL { ?e fp:adminLevel ?level }
}
"""

ENTITY_RELATIONS = P + """
SELECT DISTINCT ?e ?dir ?rel ?x ?xLabel ?xType WHERE {
  VALUES ?rel { fp:partOf fp:memberOf fp:relatedTo fp:locatedIn fp:issuedBy }
  { ?e ?rel ?x . BIND("out" AS ?dir) } UNION { ?x ?rel ?e . BIND("in" AS ?dir) }
  OPTIONAL { ?x rdfs:label ?xLabel }
  OPTIONAL { ?x a ?xType . FILTER(STRSTARTS(STR(?xType), STR(fp:))) }
}
"""

ENTITY_DOC_MENTIONS = P + """
SELECT ?e ?doc ?title ?start ?end ?surface WHERE {
  ?e fp:mention ?m . ?m nif:beginIndex ?start ; nif:endIndex ?end ; nif:anchorOf ?surface ; nif:referenceContext ?report .
  ?report dct:identifier ?doc . OPTIONAL { ?report dct:title ?title }
} ORDER BY ?doc ?start
"""

# The facts of one place or one indicator (bound as ?place or ?ind), with everything a page shows.
_FACTS_BODY = """
SELECT ?obs ?label ?ind ?indLabel ?brk ?brkLabel ?place ?placeLabel ?periodLabel ?startYear ?endYear
       ?value ?unit ?baseValue ?baseUnit ?qualifier ?kind ?doc ?start ?end WHERE {
  ?obs a fp:Observation ; sdmx-dimension:refArea ?place ; fp:indicator ?ind ; fp:value ?value ;
       sdmx-dimension:refPeriod ?period ; prov:wasDerivedFrom ?report .
  ?report dct:identifier ?doc .
  OPTIONAL { ?obs rdfs:label ?label } OPTIONAL { ?ind skos:prefLabel ?indLabel }
  OPTIONAL { ?obs fp:breakdown ?brk . OPTIONAL { ?brk skos:prefLabel ?brkLabel } }
  OPTIONAL { ?place rdfs:label ?placeLabel }
  OPTIONAL { ?period rdfs:label ?periodLabel } OPTIONAL { ?period fp:startYear ?startYear } OPTIONAL { ?period fp:endYear ?endYear }
  OPTIONAL { ?obs sdmx-attribute:unitMeasure/rdfs:label ?unit }
  OPTIONAL { ?obs fp:baseValue ?baseValue } OPTIONAL { ?obs fp:baseUnit/rdfs:label ?baseUnit }
  OPTIONAL { ?obs fp:qualifier ?qualifier } OPTIONAL { ?obs fp:kind ?kind }
  { SELECT ?obs (MIN(?b) AS ?start) (MIN(?x) AS ?end) WHERE { ?obs fp:mention ?mm . ?mm nif:beginIndex ?b ; nif:endIndex ?x } GROUP BY ?obs }
}
"""

PLACE_FACTS = P + _FACTS_BODY + "ORDER BY ?indLabel ?startYear ?start\n"

SENTENCE_FACTS = P + """
SELECT DISTINCT ?e ?obs ?label ?ind ?indLabel ?brk ?brkLabel ?place ?placeLabel ?periodLabel ?startYear ?endYear
       ?value ?unit ?baseValue ?baseUnit ?qualifier ?kind ?doc ?start ?end WHERE {
  ?e fp:mention ?em . ?em nif:beginIndex ?eb ; nif:referenceContext ?report .
  ?obs a fp:Observation ; prov:wasDerivedFrom ?report ; fp:mention ?m ; fp:indicator ?ind ; fp:value ?value ;
       sdmx-dimension:refArea ?place ; sdmx-dimension:refPeriod ?period .
  ?m fp:sentence ?s ; nif:beginIndex ?start ; nif:endIndex ?end . ?s nif:beginIndex ?sb ; nif:endIndex ?se .
  FILTER(?eb >= ?sb && ?eb < ?se)
  ?report dct:identifier ?doc .
  OPTIONAL { ?obs rdfs:label ?label } OPTIONAL { ?ind skos:prefLabel ?indLabel }
  OPTIONAL { ?obs fp:breakdown ?brk . OPTIONAL { ?brk skos:prefLabel ?brkLabel } }
  OPTIONAL { ?place rdfs:label ?placeLabel }
  OPTIONAL { ?period rdfs:label ?periodLabel } OPTIONAL { ?period fp:startYear ?startYear } OPTIONAL { ?period fp:endYear ?endYear }
  OPTIONAL { ?obs sdmx-attribute:unitMeasure/rdfs:label ?unit }
  OPTIONAL { ?obs fp:baseValue ?baseValue } OPTIONAL { ?obs fp:baseUnit/rdfs:label ?baseUnit }
  OPTIONAL { ?obs fp:qualifier ?qualifier } OPTIONAL { ?obs fp:kind ?kind }
} ORDER BY ?doc ?start
"""


def _facts_from(rows) -> list[dict]:
    out, seen = [], set()
    for r in rows:
        if r["obs"] in seen:
            continue
        seen.add(r["obs"])
        f = fact_row(r)
        f["doc"] = r["doc"]
        f["source_url"] = f"{doc_url(r['doc'])}#char={int(r['start'])},{int(r['end'])}"
        out.append(f)
    return out


def entity(store: LocalStore, iri: str) -> dict | None:
    head = store.select(ENTITY_HEAD, {"e": iri})
    if not head or not any(v for r in head for v in r.values()):
        return None
    types = sorted({local(r["type"]) for r in head if r.get("type")}) or ["Thing"]
    main_type = next((t for t in ENTITY_ORDER if t in types), types[0])
    label = next((r["label"] for r in head if r.get("label")), local(iri))
    rel_groups: dict[tuple[str, str], list] = defaultdict(list)
    for r in store.select(ENTITY_RELATIONS, {"e": iri}):
        rel = local(r["rel"])
        xt = local(r.get("xType")) or "Thing"
        name = RELATIONS.get(rel, rel)
        if r["dir"] == "in":
            name = {"partOf": "下辖", "memberOf": "成员", "relatedTo": "相关", "locatedIn": "位于此处",
                    "issuedBy": "发布"}.get(rel, "← " + name)
        group = rel_groups[(rel if r["dir"] == "out" or rel == "relatedTo" else rel + "-in", name)]
        if not any(x["iri"] == r["x"] for x in group):
            group.append({"iri": r["x"], "label": r.get("xLabel") or local(r["x"]), "type": xt,
                          "type_label": ENTITY_KINDS.get(xt, xt), "url": iri_url(r["x"])})
    relations = [{"relation": k[0], "label": k[1], "entities": sorted(v, key=lambda x: x["label"])}
                 for k, v in sorted(rel_groups.items())]
    mentions = []
    for r in store.select(ENTITY_DOC_MENTIONS, {"e": iri}):
        s, e = int(r["start"]), int(r["end"])
        mentions.append({"doc": r["doc"], "title": r.get("title") or r["doc"], "start": s, "end": e,
                         "surface": r["surface"], "url": f"{doc_url(r['doc'])}#char={s},{e}"})
    facts = _facts_from(store.select(PLACE_FACTS, {"place": iri}))
    same_sentence = [] if facts else _facts_from(store.select(SENTENCE_FACTS, {"e": iri}))
    return {"iri": iri, "label": label, "types": types, "type": main_type,
            "type_label": ENTITY_KINDS.get(main_type, main_type), "is_place": main_type in PLACE_CLASSES,
            "document_number": next((r["number"] for r in head if r.get("number")), ""),
            "admin_level": next((r["level"] for r in head if r.get("level")), ""),
            "relations": relations, "mentions": mentions, "facts": facts, "sentence_facts": same_sentence,
            "url": iri_url(iri)}


# ---------------------------------------------------------------------- indicators
INDICATOR_LIST = P + """
SELECT ?ind ?label ?en ?scheme (COUNT(DISTINCT ?obs) AS ?facts) (COUNT(DISTINCT ?place) AS ?places)
       (MIN(?y) AS ?from) (MAX(?y) AS ?to) WHERE {
  ?ind a fp:Indicator ; skos:prefLabel ?label .
  OPTIONAL { ?ind rdfs:label ?en }
  OPTIONAL { ?obs fp:indicator ?ind ; sdmx-dimension:refArea ?place ; sdmx-dimension:refPeriod/fp:endYear ?y }
} GROUP BY ?ind ?label ?en ?scheme
"""

INDICATOR_HEAD = P + """
SELECT ?ind ?label ?en ?alt ?unit ?def WHERE {
  ?ind skos:prefLabel ?label .
  OPTIONAL { ?ind rdfs:label ?en } OPTIONAL { ?ind skos:altLabel ?alt }
  OPTIONAL { ?ind fp:unitOf/rdfs:label ?unit } OPTIONAL { ?ind skos:definition ?def }
}
"""

INDICATOR_FACTS = P + _FACTS_BODY + "ORDER BY ?startYear ?placeLabel ?brkLabel ?start\n"


def indicators(store: LocalStore) -> list[dict]:
    out = {}
    for r in store.select(INDICATOR_LIST):
        i = out.setdefault(r["ind"], {"iri": r["ind"], "slug": r["ind"][len(IND):] if r["ind"].startswith(IND)
                                      else local(r["ind"]), "label": r["label"], "en": r.get("en") or "",
                                      "facts": int(r["facts"]), "places": int(r["places"]),
                                      "from": r.get("from"), "to": r.get("to"), "url": iri_url(r["ind"])})
        if not i["en"] and r.get("en"):
            i["en"] = r["en"]
    return sorted(out.values(), key=lambda i: (-i["facts"], i["label"]))


def indicator(store: LocalStore, slug: str) -> dict | None:
    iri = IND + slug
    head = store.select(INDICATOR_HEAD, {"ind": iri})
    if not head:
        return None
    facts = _facts_from(store.select(INDICATOR_FACTS, {"ind": iri}))
    return {"iri": iri, "slug": slug, "label": head[0]["label"],
            "en": next((r["en"] for r in head if r.get("en")), ""),
            "alt": sorted({r["alt"] for r in head if r.get("alt")}),
            "units": sorted({r["unit"] for r in head if r.get("unit")}),
            "definition": next((r["def"] for r in head if r.get("def")), ""),
            "facts": facts, "places": sorted({f["place"] for f in facts}),
            "url": iri_url(iri)}


def series_for_chart(facts: list[dict], by: str = "place", limit: int = 12) -> list[dict]:
    """Charts for a list of facts (actual values, in base units).

    ``by="place"`` (an indicator's page): one line chart per base unit over single-year periods,
    one line per place. ``by="indicator"`` (a place's page): small multiples, one line chart per
    indicator that has values for two years or more. Either way, one bar chart per
    (indicator, place, period) whose breakdown parts (因病致贫 …) were stated.
    """
    charts = []
    lines: dict[tuple, dict[str, dict]] = defaultdict(lambda: defaultdict(dict))
    parts: dict[tuple, list] = defaultdict(list)
    for f in facts:
        if f.get("kind") == "target" or f.get("base_value") is None:
            continue
        v = f["base_value"]
        if f.get("breakdown"):
            parts[(f["indicator_label"], f["place"], f["period"], f["base_unit"])].append((f["breakdown_label"], v))
            continue
        if f.get("start_year") is not None and f.get("start_year") == f.get("end_year"):
            key = (f["base_unit"],) if by == "place" else (f["indicator_label"], f["base_unit"])
            lines[key][f["place"]].setdefault(int(f["start_year"]), v)
    for key, series in lines.items():
        clean = {name: sorted(pts.items()) for name, pts in series.items()}
        years = {x for pts in clean.values() for x, _ in pts}
        if by == "indicator" and len(years) < 2:
            continue
        chart = {"kind": "line", "unit": key[-1], "series": clean, "points": sum(len(p) for p in clean.values())}
        if by == "indicator":
            chart["title"] = key[0]
            chart["small"] = True
        charts.append(chart)
    charts.sort(key=lambda c: -c["points"])
    for (ind, place, period, unit), items in parts.items():
        if len(items) >= 2:
            charts.append({"kind": "bar", "unit": unit, "title": f"{period}{place}{ind}", "items": items,
                           "small": by == "indicator"})
    return charts[:limit]


# ---------------------------------------------------------------------- graph view
class _ScopedStore:
    """A LocalStore look-alike whose default graph is some named graphs (for entity_graph)."""

    def __init__(self, store: LocalStore, graphs: list[str]):
        self.store, self.graphs = store, graphs

    def select(self, sparql: str, bindings=None) -> list[dict]:
        import pyoxigraph as ox
        from ..store import python_value
        if hasattr(self.store, "db"):
            res = self.store.db.query(sparql, default_graph=[ox.NamedNode(g) for g in self.graphs])
        else:       # an external SPARQL server: the dataset as protocol parameters
            from urllib.parse import urlencode
            from ..remote import RESULTS_JSON
            url = self.store.query_url + ("&" if "?" in self.store.query_url else "?") + \
                urlencode([("default-graph-uri", g) for g in self.graphs])
            _, body = self.store._post(url, sparql, "application/sparql-query", RESULTS_JSON)
            res = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        names = [v.value for v in res.variables]
        return [{n: python_value(row[n]) for n in names} for row in res]


def graph_data(store: LocalStore, doc: str | None = None) -> dict:
    from ..export import entity_graph
    src = store
    if doc:
        from ..rdf import iris
        src = _ScopedStore(store, [iris.doc_graph(doc), ONTOLOGY_GRAPH])
    g = entity_graph(src)
    import networkx as nx
    pos = nx.spring_layout(nx.Graph(g), seed=7, iterations=60) if len(g) else {}
    degree = dict(g.degree())
    nodes = []
    for n, d in g.nodes(data=True):
        x, y = pos.get(n, (0.0, 0.0))
        nodes.append({"id": n, "label": d.get("label") or local(n), "type": d.get("type", "Thing"),
                      "type_label": ENTITY_KINDS.get(d.get("type", "Thing"), d.get("type", "")),
                      "degree": degree.get(n, 0), "url": iri_url(n), "x": round(float(x), 4), "y": round(float(y), 4)})
    edges = [{"source": u, "target": v, "relation": d.get("relation", k),
              "relation_label": RELATIONS.get(d.get("relation", k), d.get("relation", k)),
              "weight": d.get("weight", 1)} for u, v, k, d in g.edges(keys=True, data=True)]
    types = Counter(n["type"] for n in nodes)
    return {"doc": doc or "", "nodes": nodes, "edges": edges,
            "types": [{"type": t, "label": ENTITY_KINDS.get(t, t), "count": c} for t, c in types.most_common()]}


def stats(store: LocalStore) -> dict:
    r = store.select(P + """
SELECT (COUNT(DISTINCT ?r) AS ?docs) (COUNT(DISTINCT ?o) AS ?facts) WHERE {
  { ?r a fp:Report } UNION { ?o a fp:Observation } }""")[0]
    return {"documents": int(r["docs"]), "facts": int(r["facts"]), "triples": len(store), "graphs": len(store.graphs())}


DOC_TEXT = P + """
SELECT ?doc ?text WHERE { ?r a fp:Report ; dct:identifier ?doc ; nif:isString ?text } LIMIT 1
"""


def document_text(store: LocalStore, doc: str) -> str | None:
    rows = store.select(DOC_TEXT, {"doc": doc})
    return rows[0]["text"] if rows else None

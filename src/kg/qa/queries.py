"""The SPARQL the question answerer runs.

Every query here is a constant: what a question contributes (an indicator, a place, a
category, a document) comes in through ``bindings`` (pyoxigraph substitutions) as IRIs taken
from the store's own catalogue, never as query text.

The default graph is the union of the documents' graphs, and a node shared by documents (a
place, a period, an entity) has its triples once *per document*: joining several of its
properties in the union would multiply rows by the number of documents per property. So the
per-question query reads only an observation's own triples (which live in one graph), and the
catalogue reads shared nodes inside ``GRAPH ?g { … }`` with DISTINCT (linear in the documents).
"""

from __future__ import annotations

from ..namespaces import sparql_prefixes

P = sparql_prefixes()

#: The observations of one indicator (?ind bound) — with those of the open indicators whose phrase is
#: one of its labels (skos:exactMatch) —, optionally of one place (?area) or period (?period): one
#: row per (mention, property) — an observation's own properties come as ?p ?o pairs, because
#: OPTIONAL patterns are evaluated store-wide by Oxigraph (≈25× slower here). A restated fact
#: has several mentions. Labels of places, periods and units come from the catalogue.
OBSERVATIONS = P + """SELECT ?ind ?area ?period ?obs ?doc ?start ?end ?surface ?sentence ?sentStart ?p ?o WHERE {
  ?obs fp:indicator/skos:exactMatch? ?ind ;
       sdmx-dimension:refArea ?area ;
       sdmx-dimension:refPeriod ?period ;
       prov:wasDerivedFrom ?report ;
       fp:mention ?m .
  ?report dct:identifier ?doc .
  ?m nif:beginIndex ?start ; nif:endIndex ?end ; nif:anchorOf ?surface ;
     fp:sentence ?s .
  ?s nif:anchorOf ?sentence ; nif:beginIndex ?sentStart .
  ?obs ?p ?o .
  FILTER(?p IN (sdmx-dimension:refPeriod, fp:value, fp:baseValue, fp:qualifier, fp:kind, fp:breakdown,
                fp:valueMax, sdmx-attribute:unitMeasure, fp:baseUnit, fp:per))
}"""

#: The members of one category (?cat bound), with where each member is mentioned.
CATEGORY_MEMBERS = P + """SELECT DISTINCT ?cat ?member ?memberLabel ?doc ?start ?end WHERE {
  GRAPH ?g {
    ?member fp:memberOf ?cat ; rdfs:label ?memberLabel .
    OPTIONAL {
      ?member fp:mention ?m .
      ?m nif:beginIndex ?start ; nif:endIndex ?end ; nif:referenceContext ?report .
      ?report dct:identifier ?doc .
    }
  }
}"""

#: Where one category (?cat bound) is named, per document.
CATEGORY_MENTIONS = P + """SELECT DISTINCT ?cat ?doc ?start ?end WHERE {
  GRAPH ?g {
    ?cat fp:mention ?m .
    ?m nif:beginIndex ?start ; nif:endIndex ?end ; nif:referenceContext ?report .
    ?report dct:identifier ?doc .
  }
}"""

#: The full text of one report (?report bound), to quote the sentence around an entity.
REPORT_TEXT = P + """SELECT ?report ?text WHERE { ?report nif:isString ?text }"""

# ------------------------------------------------------------------ the catalogue

#: Cheap fingerprint of what the store holds: its reports and their checksums.
FINGERPRINT = P + """SELECT (COUNT(?r) AS ?n) (GROUP_CONCAT(?c; separator=",") AS ?sums) WHERE {
  ?r a fp:Report . OPTIONAL { ?r fp:checksum ?c }
}"""

#: A fuller fingerprint: how many observations there are (a scan; run at most every few seconds).
OBS_COUNT = P + """SELECT (COUNT(?o) AS ?n) WHERE { ?o a fp:Observation }"""

REPORTS = P + """SELECT ?report ?doc ?date ?place ?sum ?title WHERE {
  ?report a fp:Report ; dct:identifier ?doc .
  OPTIONAL { ?report dct:date ?date }
  OPTIONAL { ?report dct:title ?title }
  OPTIONAL { ?report fp:place ?place }
  OPTIONAL { ?report fp:checksum ?sum }
}"""

#: Every place of every document (?g: which document graphs name it), at any level: a place
#: written without an administrative level (a report's place given in its metadata as 平安)
#: is a place too.
PLACES = P + """SELECT DISTINCT ?g ?place ?label ?level ?parent WHERE {
  GRAPH ?g {
    VALUES ?class { fp:Place fp:Province fp:City fp:County fp:District fp:Township fp:Town fp:Subdistrict fp:Village }
    ?place a ?class ; rdfs:label ?label .
    OPTIONAL { ?place fp:adminLevel ?level }
    OPTIONAL { ?place fp:partOf ?parent }
  }
}"""

PERIODS = P + """SELECT DISTINCT ?period ?startYear ?endYear ?label ?kind WHERE {
  GRAPH ?g {
    ?period a fp:Period ; fp:startYear ?startYear ; fp:endYear ?endYear .
    OPTIONAL { ?period rdfs:label ?label }
    OPTIONAL { ?period fp:periodKind ?kind }
  }
}"""

UNITS = P + """SELECT DISTINCT ?unit ?label WHERE { GRAPH ?g { ?unit a fp:Unit ; rdfs:label ?label } }"""

#: What the store knows, per indicator: places, periods, units, kinds, breakdowns.
STATS = P + """SELECT ?ind ?breakdown ?area ?period ?baseUnit ?kind (COUNT(?obs) AS ?n) WHERE {
  ?obs fp:indicator ?ind ; sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod ?period ; fp:kind ?kind .
  OPTIONAL { ?obs fp:breakdown ?breakdown }
  OPTIONAL { ?obs fp:baseUnit ?baseUnit }
} GROUP BY ?ind ?breakdown ?area ?period ?baseUnit ?kind"""

CATEGORIES = P + """SELECT DISTINCT ?cat ?label WHERE {
  GRAPH ?g { ?cat a fp:Category ; rdfs:label ?label . ?member fp:memberOf ?cat . }
}"""

#: Names of other entities (organisations, products, policies …): known words, not unknown ones.
#: The names of the things observations are about (fp:subject: a cooperative, an enterprise …).
SUBJECT_LABELS = P + """SELECT DISTINCT ?s ?label WHERE { ?o fp:subject ?s . ?s rdfs:label ?label }"""

ENTITY_NAMES = P + """SELECT DISTINCT ?label WHERE {
  GRAPH ?g { ?e fp:mentionedIn ?r ; rdfs:label ?label . }
}"""

#: The indicator and breakdown labels held in the store's ontology graph (used when the
#: ontology files cannot be read, and for concepts only the store knows).
CONCEPT_LABELS = P + """SELECT ?c ?type ?prop ?label ?parent ?unit WHERE {
  VALUES ?type { fp:Indicator fp:Breakdown }
  ?c a ?type .
  FILTER NOT EXISTS { ?c a fp:OpenIndicator }
  VALUES ?prop { skos:prefLabel skos:altLabel skos:hiddenLabel }
  ?c ?prop ?label .
  OPTIONAL { ?c fp:breakdownOf ?parent }
  OPTIONAL { ?c fp:unitOf ?unit }
}"""

#: Names of breakdown schemes (致贫原因 …): a question naming one asks about the indicator split.
#: Open indicators whose phrase is a lexicon indicator's label: the same indicator for questions.
EXACT_MATCHES = P + """SELECT DISTINCT ?open ?ind WHERE { ?open a fp:OpenIndicator ; skos:exactMatch ?ind }"""

SCHEME_LABELS = P + """SELECT DISTINCT ?label ?ind WHERE {
  ?b a fp:Breakdown ; skos:inScheme ?scheme ; fp:breakdownOf ?ind .
  ?scheme skos:prefLabel ?label .
}"""


# ------------------------------------------------------------------ the fact index

#: Every (subject, object) of one property (?p bound): the fact index is read property by
#: property (the properties of observations, mentions and sentences that Q.OBSERVATIONS reads)
#: and joined in Python — single patterns are what the store answers fastest in bulk.
INDEX_PROPERTY = P + """SELECT ?p ?s ?o WHERE { ?s ?p ?o }"""

#: Every triple of one document's graph (?g bound): a report's facts when only it changed.
INDEX_GRAPH = P + """SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"""

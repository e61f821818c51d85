"""The SPARQL the question answerer runs.

Every query here is a constant: what a question contributes (an indicator, a place, a
category, a document) comes in through ``bindings`` (pyoxigraph substitutions) as IRIs taken
from the store's own catalogue, never as query text.
"""

from __future__ import annotations

from ..namespaces import sparql_prefixes

P = sparql_prefixes()

#: The observations of one indicator (?ind bound), optionally of one place (?area bound).
#: One row per mention; a restated fact has several.
OBSERVATIONS = P + """SELECT ?obs ?doc ?area ?place ?period ?periodZh ?startYear ?endYear ?periodKind
       ?breakdown ?value ?valueMax ?unit ?baseValue ?baseUnit ?qualifier ?kind ?per
       ?start ?end ?surface ?sentence ?sentStart
WHERE {
  ?obs fp:indicator ?ind ;
       sdmx-dimension:refArea ?area ;
       sdmx-dimension:refPeriod ?period ;
       fp:value ?value ;
       fp:baseValue ?baseValue ;
       fp:qualifier ?qualifier ;
       fp:kind ?kind ;
       prov:wasDerivedFrom ?report ;
       fp:mention ?m .
  ?report dct:identifier ?doc .
  ?area rdfs:label ?place .
  ?period fp:startYear ?startYear ; fp:endYear ?endYear .
  OPTIONAL { ?period rdfs:label ?periodZh }
  OPTIONAL { ?period fp:periodKind ?periodKind }
  ?m nif:beginIndex ?start ; nif:endIndex ?end .
  OPTIONAL { ?m nif:anchorOf ?surface }
  OPTIONAL { ?m fp:sentence ?s . ?s nif:anchorOf ?sentence ; nif:beginIndex ?sentStart }
  OPTIONAL { ?obs fp:breakdown ?breakdown }
  OPTIONAL { ?obs fp:valueMax ?valueMax }
  OPTIONAL { ?obs sdmx-attribute:unitMeasure ?u . ?u rdfs:label ?unit }
  OPTIONAL { ?obs fp:baseUnit ?bu . ?bu rdfs:label ?baseUnit }
  OPTIONAL { ?obs fp:per ?per }
}"""

#: The members of one category (?cat bound), with where each member is mentioned.
CATEGORY_MEMBERS = P + """SELECT ?member ?memberLabel ?doc ?start ?end WHERE {
  ?member fp:memberOf ?cat ; rdfs:label ?memberLabel .
  OPTIONAL {
    ?member fp:mention ?m .
    ?m nif:beginIndex ?start ; nif:endIndex ?end ; nif:referenceContext ?report .
    ?report dct:identifier ?doc .
  }
}"""

#: Where one category (?cat bound) is named, per document.
CATEGORY_MENTIONS = P + """SELECT ?doc ?start ?end WHERE {
  ?cat fp:mention ?m .
  ?m nif:beginIndex ?start ; nif:endIndex ?end ; nif:referenceContext ?report .
  ?report dct:identifier ?doc .
}"""

#: The full text of one report (?report bound), to quote the sentence around an entity.
REPORT_TEXT = P + """SELECT ?text WHERE { ?report nif:isString ?text }"""

# ------------------------------------------------------------------ the catalogue

#: Cheap fingerprint of what the store holds: its reports and their checksums.
FINGERPRINT = P + """SELECT (COUNT(?r) AS ?n) (GROUP_CONCAT(?c; separator=",") AS ?sums) WHERE {
  ?r a fp:Report . OPTIONAL { ?r fp:checksum ?c }
}"""

#: A fuller fingerprint: how many observations there are (a scan; run at most every few seconds).
OBS_COUNT = P + """SELECT (COUNT(?o) AS ?n) WHERE { ?o a fp:Observation }"""

REPORTS = P + """SELECT ?report ?doc ?date ?place ?placeLabel WHERE {
  ?report a fp:Report ; dct:identifier ?doc .
  OPTIONAL { ?report dct:date ?date }
  OPTIONAL { ?report fp:place ?place . ?place rdfs:label ?placeLabel }
}"""

PLACES = P + """SELECT DISTINCT ?place ?label ?level ?parent WHERE {
  ?place fp:adminLevel ?level ; rdfs:label ?label .
  OPTIONAL { ?place fp:partOf ?parent }
}"""

#: What the store knows, per indicator: places, periods, units, kinds, breakdowns.
STATS = P + """SELECT ?ind ?breakdown ?area ?period ?startYear ?endYear ?periodZh ?baseUnit ?kind (COUNT(?obs) AS ?n) WHERE {
  ?obs a fp:Observation ; fp:indicator ?ind ; sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod ?period ; fp:kind ?kind .
  ?period fp:startYear ?startYear ; fp:endYear ?endYear .
  OPTIONAL { ?period rdfs:label ?periodZh }
  OPTIONAL { ?obs fp:breakdown ?breakdown }
  OPTIONAL { ?obs fp:baseUnit ?bu . ?bu rdfs:label ?baseUnit }
} GROUP BY ?ind ?breakdown ?area ?period ?startYear ?endYear ?periodZh ?baseUnit ?kind"""

CATEGORIES = P + """SELECT ?cat ?label (COUNT(DISTINCT ?member) AS ?n) WHERE {
  ?cat a fp:Category ; rdfs:label ?label .
  ?member fp:memberOf ?cat .
} GROUP BY ?cat ?label"""

#: Names of other entities (organisations, products, policies …): known words, not unknown ones.
ENTITY_NAMES = P + """SELECT DISTINCT ?label WHERE {
  ?e fp:mentionedIn ?r ; rdfs:label ?label .
}"""

#: The indicator and breakdown labels held in the store's ontology graph (used when the
#: ontology files cannot be read, and for concepts only the store knows).
CONCEPT_LABELS = P + """SELECT ?c ?type ?prop ?label ?parent ?unit WHERE {
  VALUES ?type { fp:Indicator fp:Breakdown }
  ?c a ?type .
  VALUES ?prop { skos:prefLabel skos:altLabel skos:hiddenLabel }
  ?c ?prop ?label .
  OPTIONAL { ?c fp:breakdownOf ?parent }
  OPTIONAL { ?c fp:unitOf ?unit }
}"""

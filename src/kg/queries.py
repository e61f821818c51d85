"""SPARQL queries kg runs itself (prepared: values come in through bindings, never pasted)."""

from .namespaces import sparql_prefixes

P = sparql_prefixes()

OBSERVATIONS = P + """
SELECT DISTINCT ?obs ?doc ?place ?period ?periodLabel ?indicator ?indicatorLabel ?breakdown ?breakdownLabel
       ?value ?unit ?baseValue ?baseUnit ?qualifier ?kind ?per ?surface ?start ?end ?sentence ?startYear ?endYear
       ?phrase ?measure ?subject ?open
WHERE {
  ?obs a fp:Observation ; fp:indicator ?ind ; sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod ?per_ ;
       fp:value ?value ; fp:baseValue ?baseValue ; fp:qualifier ?qualifier ; fp:kind ?kindIri ;
       prov:wasDerivedFrom ?report .
  ?report dct:identifier ?doc .
  ?area rdfs:label ?place .
  ?per_ rdfs:label ?periodLabel ; dct:identifier ?period ; fp:startYear ?startYear ; fp:endYear ?endYear .
  ?ind skos:prefLabel ?indicatorLabel .
  BIND(STRAFTER(STR(?ind), "/indicator/") AS ?indicator)
  OPTIONAL { ?obs fp:breakdown ?b . ?b skos:prefLabel ?breakdownLabel . BIND(STRAFTER(STR(?b), "/breakdown/") AS ?breakdown) }
  OPTIONAL { ?obs sdmx-attribute:unitMeasure ?u . ?u rdfs:label ?unit }
  OPTIONAL { ?obs fp:baseUnit ?bu . ?bu rdfs:label ?baseUnit }
  OPTIONAL { ?obs fp:per ?per }
  # open-world facts (docs/ontology.md, "Open indicators"); OPTIONAL so that older stores still export
  OPTIONAL { ?obs fp:measuredPhrase ?phrase }
  OPTIONAL { ?obs fp:measure ?measureIri }
  OPTIONAL { ?obs fp:subject/rdfs:label ?subject }
  BIND(IF(?kindIri = fp:Target, "target", "actual") AS ?kind)
  BIND(IF(?measureIri = fp:Change, "change", IF(?measureIri = fp:Cumulative, "cumulative",
          IF(?measureIri = fp:Level, "level", ""))) AS ?measure)
  BIND(IF(EXISTS { ?ind a fp:OpenIndicator }, "true", "false") AS ?open)
  {
    SELECT ?obs (MIN(?b0) AS ?start) WHERE { ?obs fp:mention/nif:beginIndex ?b0 } GROUP BY ?obs
  }
  ?obs fp:mention ?m . ?m nif:beginIndex ?start ; nif:endIndex ?end ; nif:anchorOf ?surface ; fp:sentence/nif:anchorOf ?sentence .
}
ORDER BY ?doc ?start
"""

#: what kg.check's totals-against-parts checks read of each actual observation (one row each,
#: in the order of OBSERVATIONS: by document, then where the observation is first stated)
CHECK_ROWS = P + """
SELECT ?doc ?place ?periodLabel ?indicator ?indicatorLabel ?breakdown ?baseValue ?baseUnit ?startYear ?endYear
WHERE {
  ?obs a fp:Observation ; fp:kind fp:Actual ; fp:indicator ?ind ; sdmx-dimension:refArea ?area ;
       sdmx-dimension:refPeriod ?per_ ; fp:baseValue ?baseValue ; prov:wasDerivedFrom ?report .
  ?report dct:identifier ?doc .
  ?area rdfs:label ?place .
  ?per_ rdfs:label ?periodLabel ; fp:startYear ?startYear ; fp:endYear ?endYear .
  ?ind skos:prefLabel ?indicatorLabel .
  BIND(STRAFTER(STR(?ind), "/indicator/") AS ?indicator)
  OPTIONAL { ?obs fp:breakdown ?b . BIND(STRAFTER(STR(?b), "/breakdown/") AS ?breakdown) }
  OPTIONAL { ?obs fp:baseUnit ?bu . ?bu rdfs:label ?baseUnit }
  { SELECT ?obs (MIN(?b0) AS ?start) WHERE { ?obs fp:mention/nif:beginIndex ?b0 } GROUP BY ?obs }
}
ORDER BY ?doc ?start
"""

DOCUMENTS = P + """
SELECT ?doc ?report ?title ?date ?place (COUNT(DISTINCT ?obs) AS ?facts) WHERE {
  ?report a fp:Report ; dct:identifier ?doc .
  OPTIONAL { ?report dct:title ?title }
  OPTIONAL { ?report dct:date ?date }
  OPTIONAL { ?report fp:place/rdfs:label ?place }
  OPTIONAL { ?obs prov:wasDerivedFrom ?report ; a fp:Observation }
} GROUP BY ?doc ?report ?title ?date ?place ORDER BY ?doc
"""

ENTITY_EDGES = P + """
SELECT DISTINCT ?s ?sLabel ?sType ?rel ?o ?oLabel ?oType WHERE {
  VALUES ?rel { fp:partOf fp:memberOf fp:relatedTo }
  ?s ?rel ?o .
  ?s rdfs:label ?sLabel . ?o rdfs:label ?oLabel .
  OPTIONAL { ?s a ?sType . FILTER(STRSTARTS(STR(?sType), STR(fp:))) }
  OPTIONAL { ?o a ?oType . FILTER(STRSTARTS(STR(?oType), STR(fp:))) }
}
"""

PLACE_INDICATORS = P + """
SELECT ?place ?placeLabel ?placeType ?ind ?indLabel (COUNT(DISTINCT ?obs) AS ?n) WHERE {
  ?obs a fp:Observation ; sdmx-dimension:refArea ?place ; fp:indicator ?ind .
  ?place rdfs:label ?placeLabel . OPTIONAL { ?place a ?placeType . FILTER(STRSTARTS(STR(?placeType), STR(fp:))) }
  ?ind skos:prefLabel ?indLabel .
} GROUP BY ?place ?placeLabel ?placeType ?ind ?indLabel
"""

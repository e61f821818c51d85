"""Example SPARQL queries for the editor, and example questions for the ask page."""

from __future__ import annotations

PREFIXES = """PREFIX fp: <https://w3id.org/fupin/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
"""

QUERIES = [
    ("facts-by-year", "按年份统计事实", PREFIXES + """
# 每年（单一年份）抽取出的事实条数
SELECT ?year (COUNT(?obs) AS ?facts) WHERE {
  ?obs a fp:Observation ; sdmx-dimension:refPeriod ?period .
  ?period fp:startYear ?year ; fp:endYear ?year .
}
GROUP BY ?year
ORDER BY ?year
"""),
    ("facts-by-place", "按地点列出事实", PREFIXES + """
# 每个地点的事实：指标、时间、数值、单位
SELECT ?place ?indicator ?period ?value ?unit WHERE {
  ?obs a fp:Observation ; sdmx-dimension:refArea/rdfs:label ?place ;
       fp:indicator/skos:prefLabel ?indicator ; sdmx-dimension:refPeriod/rdfs:label ?period ;
       fp:value ?value .
  OPTIONAL { ?obs sdmx-attribute:unitMeasure/rdfs:label ?unit }
}
ORDER BY ?place ?indicator ?period
LIMIT 200
"""),
    ("facts-by-indicator", "某个指标逐年的数值", PREFIXES + """
# 退出贫困村：各年各地的数值（改 "退出贫困村" 为其他指标名称试试）
SELECT ?year ?place ?value ?unit ?surface WHERE {
  ?ind skos:prefLabel "退出贫困村"@zh .
  ?obs fp:indicator ?ind ; sdmx-dimension:refArea/rdfs:label ?place ;
       sdmx-dimension:refPeriod/fp:endYear ?year ; fp:value ?value ; fp:mention/nif:anchorOf ?surface .
  OPTIONAL { ?obs sdmx-attribute:unitMeasure/rdfs:label ?unit }
}
ORDER BY ?year ?place
"""),
    ("indicators", "指标及事实条数", PREFIXES + """
SELECT ?indicator ?label (COUNT(?obs) AS ?facts) WHERE {
  ?indicator a fp:Indicator ; skos:prefLabel ?label .
  ?obs fp:indicator ?indicator .
}
GROUP BY ?indicator ?label
ORDER BY DESC(?facts)
"""),
    ("entities", "实体（项目、企业、政策文件……）", PREFIXES + """
SELECT ?type ?entity ?label (COUNT(DISTINCT ?m) AS ?mentions) WHERE {
  ?entity fp:mentionedIn ?report ; rdfs:label ?label ; a ?type ; fp:mention ?m .
  FILTER(?type IN (fp:Programme, fp:Enterprise, fp:Cooperative, fp:PolicyDocument, fp:Organization, fp:Person))
}
GROUP BY ?type ?entity ?label
ORDER BY ?type DESC(?mentions)
"""),
    ("relations", "实体之间的关系", PREFIXES + """
SELECT ?a ?relation ?b WHERE {
  VALUES ?rel { fp:partOf fp:memberOf fp:relatedTo }
  ?x ?rel ?y . ?x rdfs:label ?a . ?y rdfs:label ?b .
  BIND(STRAFTER(STR(?rel), "#") AS ?relation)
}
LIMIT 100
"""),
    ("provenance", "出处：事实来自哪句话", PREFIXES + """
# 每条事实的原文位置（字符偏移）和所在句子
SELECT ?label ?doc ?start ?end ?surface ?sentence WHERE {
  ?obs a fp:Observation ; rdfs:label ?label ; prov:wasDerivedFrom/dct:identifier ?doc ;
       fp:mention ?m .
  ?m nif:beginIndex ?start ; nif:endIndex ?end ; nif:anchorOf ?surface ; fp:sentence/nif:anchorOf ?sentence .
}
ORDER BY ?doc ?start
LIMIT 50
"""),
    ("documents", "文档", PREFIXES + """
SELECT ?doc ?title ?date ?place (COUNT(?obs) AS ?facts) WHERE {
  ?report a fp:Report ; dct:identifier ?doc .
  OPTIONAL { ?report dct:title ?title } OPTIONAL { ?report dct:date ?date }
  OPTIONAL { ?report fp:place/rdfs:label ?place }
  OPTIONAL { ?obs prov:wasDerivedFrom ?report }
}
GROUP BY ?doc ?title ?date ?place
"""),
    ("graphs", "命名图及三元组数", """SELECT ?graph (COUNT(*) AS ?triples) WHERE {
  GRAPH ?graph { ?s ?p ?o }
}
GROUP BY ?graph
"""),
    ("construct", "CONSTRUCT：事实的子图", PREFIXES + """
CONSTRUCT {
  ?obs fp:indicator ?ind ; fp:value ?value ; sdmx-dimension:refArea ?place ; rdfs:label ?label .
} WHERE {
  ?obs a fp:Observation ; fp:indicator ?ind ; fp:value ?value ; sdmx-dimension:refArea ?place ; rdfs:label ?label .
}
LIMIT 60
"""),
    ("ask", "ASK：有没有 2017 年的事实？", PREFIXES + """
ASK { ?obs a fp:Observation ; sdmx-dimension:refPeriod/fp:endYear 2017 }
"""),
]

DEFAULT_QUERY = QUERIES[1][2]

QUESTIONS = [
    "2015年退出多少贫困村",
    "2017年底未退出贫困村有多少个",
    "2017年底未脱贫贫困人口有多少",
    "因病致贫占比多少",
    "贫困发生率是多少",
    "2014年到2016年每年退出多少贫困村",
    "选派了多少名帮扶干部",
]

"""IRIs of the vocabularies kg writes and reads."""

BASE = "https://w3id.org/fupin/"
FP = BASE + "ontology#"
IND = BASE + "indicator/"
BRK = BASE + "breakdown/"
UNIT = BASE + "unit/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
ONTOLOGY_GRAPH = GRAPH + "ontology"
# The set union of every other graph, kept by the store (see kg.store): queries use it as their
# default graph, because Oxigraph's own union of named graphs is a bag (one match per graph).
UNION_GRAPH = BASE + "union"
RESERVED_DOC_IDS = ("ontology",)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
QB = "http://purl.org/linked-data/cube#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
SDMX_DIM = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMX_ATT = "http://purl.org/linked-data/sdmx/2009/attribute#"
SH = "http://www.w3.org/ns/shacl#"

PREFIXES = {
    "fp": FP, "fpi": IND, "fpb": BRK, "fpu": UNIT, "kgid": ID,
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "skos": SKOS, "qb": QB, "prov": PROV,
    "dct": DCT, "nif": NIF, "sdmx-dimension": SDMX_DIM, "sdmx-attribute": SDMX_ATT,
}


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

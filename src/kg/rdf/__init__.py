"""Writing extracted facts and entities as RDF under the poverty-alleviation ontology."""

"""One Flask blueprint per concern: ask, sparql, documents, entities, graph, quality, export, api."""

"""Question answering over the graph.

``ask(question, store) -> dict``: a Chinese question about the reports' statistics answered
from the graph in ``store`` (a :class:`kg.store.LocalStore`), with the facts, their evidence
(document, sentence, character offsets) and the SPARQL that was run — or an honest refusal
with suggestions. See docs/questions.md for the question types and the JSON fields.
"""

from .answer import ask

__all__ = ["ask"]

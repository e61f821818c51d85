"""The :class:`Refusal` a question's answer raises when the graph cannot answer it honestly.

It carries the message shown instead of an answer, and the reading whose nearby answerable
questions kg.qa.suggest offers (``suggestions_for``). ``Answerer.run`` turns it into the
refusal dict (answered: false); any module of kg.qa.answer's question types may raise it.
"""

from __future__ import annotations

from .parse import Reading


class Refusal(Exception):
    def __init__(self, message: str, suggestions_for: Reading | None = None):
        super().__init__(message)
        self.message = message
        self.reading = suggestions_for

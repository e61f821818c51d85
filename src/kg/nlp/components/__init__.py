"""spaCy pipeline components of kg, one per file, registered with ``@Language.factory``.

Importing this package registers them and the Doc extensions they write:
``doc._.report`` (set by the caller: {"doc", "place", "level", "year"}), ``doc._.masked``,
``doc._.quantities``, ``doc._.times``, ``doc._.places``, ``doc._.deictic``,
``doc._.entities`` and ``doc._.facts``.
"""

from spacy.tokens import Doc

for _name in ("report", "masked", "quantities", "times", "places", "deictic", "entities", "facts"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

from . import entities, facts, quantities, times  # noqa: E402,F401  (registration)

"""spaCy pipeline components of kg, one per file, registered with ``@Language.factory``.

Importing this package registers them and the Doc extensions they write:
``doc._.report`` (set by the caller: {"doc", "place", "level", "year"}), ``doc._.text``
(the text, see :func:`text_of`), ``doc._.masked``,
``doc._.quantities``, ``doc._.times``, ``doc._.places``, ``doc._.deictic``,
``doc._.entities`` and ``doc._.facts``.
"""

from spacy.tokens import Doc

from ..mask import mask_titles

for _name in ("report", "text", "masked", "quantities", "times", "places", "deictic", "entities", "facts"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def text_of(doc: Doc) -> str:
    """``doc.text``, read once per Doc (each read of ``Doc.text`` builds every Token anew).
    A caller that knows the text it made the Doc from may set ``doc._.text`` itself."""
    if doc._.text is None:
        doc._.text = doc.text
    return doc._.text


def masked_of(doc: Doc) -> str:
    """The text with policy titles blanked out (kg.nlp.mask), made once per Doc."""
    if doc._.masked is None:
        doc._.masked = mask_titles(text_of(doc))
    return doc._.masked


from . import entities, facts, quantities, times  # noqa: E402,F401  (registration)

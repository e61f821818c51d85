"""The data behind the pages: prepared SPARQL (values come in as bindings), turned into plain
dicts and lists that the templates render and the ``.json`` / ``.csv`` views return.

One module per kind of page; this package re-exports what the blueprints use:
``links`` (IRIs → pages), ``kinds`` (names of classes and relations), ``documents``, ``facts``,
``resources``, ``entities``, ``indicators``, ``graph``.
"""

from __future__ import annotations

from ...namespaces import IND  # noqa: F401
from .documents import document, document_text, documents, segments  # noqa: F401
from .entities import entities, entity  # noqa: F401
from .facts import fact_row, facts_from, highlight_parts, observation  # noqa: F401
from .graph import graph_data, stats  # noqa: F401
from .indicators import indicator, indicators  # noqa: F401
from .series import series_for_chart  # noqa: F401
from .kinds import ENTITY_KINDS, ENTITY_ORDER, PLACE_CLASSES, QUALIFIERS, RELATIONS  # noqa: F401
from ..numbers import fmt_num  # noqa: F401
from .links import P, doc_url, id_candidates, iri_url, local, num, resolve_id, short  # noqa: F401
from .resources import describe, resource  # noqa: F401

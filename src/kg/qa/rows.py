"""Observations as the answerer uses them (:class:`Row`), made from the rows of a query.

Both the per-question query (``Q.OBSERVATIONS``, one row per mention and property) and the
fact index (``kg.qa.catalog.read_facts``: property by property, or a report's graph at a time)
are gathered into the same raw form — per observation a dict of its properties and its
mentions by start offset — and turned into rows by :func:`build_rows`, so that an answer is the
same whichever way its facts were read.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from ..namespaces import FP, SDMX_ATT, SDMX_DIM
from ..text.timex import find_times
from .periods import PeriodInfo, period_code


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    surface: str
    sentence: str
    sent_start: int | None


@dataclass(eq=False, slots=True)
class Row:
    """One observation. Rows are shared between questions (the fact index): never mutate one.

    Equality is identity: an observation is one row (``x in rows`` then costs nothing)."""

    obs: str
    doc: str
    place: str
    area: str
    period: str
    period_zh: str
    start_year: int
    end_year: int
    period_kind: str
    breakdown: str | None
    value: Decimal
    value_max: Decimal | None
    unit: str
    base_value: Decimal
    base_unit: str
    qualifier: str
    kind: str
    per: str | None
    mentions: list[Mention] = field(default_factory=list)
    period_iri: str = ""
    indicator: str = ""
    pos: tuple = ()         # (doc, position among the document's rows in document order): a cheap sort key
    phrase: str = ""        # what it measures, as its clause says (fp:measuredPhrase)
    measure: str = "level"  # level | change | cumulative (fp:measure)
    subject: str = ""       # the name of what it is about (fp:subject), "" when none
    # derived in __post_init__
    first: Mention | None = field(init=False, default=None)
    single_year: bool = field(init=False, default=False)
    dated: bool = field(init=False, default=True)
    value_key: tuple = field(init=False, default=())
    _windows: list[str] | None = field(init=False, default=None)

    def __post_init__(self):
        self.first = min(self.mentions, key=lambda m: m.start) if self.mentions else None
        self.single_year = (self.start_year == self.end_year
                            and self.period_kind not in ("since", "span", "plan_period"))
        self.dated = self.period_kind != "report"
        self.value_key = (self.base_value, self.base_unit, self.value_max)

    def same_value(self, other: "Row") -> bool:
        return self.value_key == other.value_key

    @property
    def context_windows(self) -> list[str]:
        """The text around the value in each mention (14 characters before, 6 after): what a
        question's wording is compared with to choose among facts (cached: rows are shared)."""
        w = self._windows
        if w is None:
            w = []
            for m in self.mentions:
                if m.sentence and m.sent_start is not None:
                    a = m.start - m.sent_start
                    w.append(m.sentence[max(0, a - 14): a + (m.end - m.start) + 6])
            self._windows = w
        return w


PROPS = {
    SDMX_DIM + "refPeriod": "period", FP + "value": "value", FP + "baseValue": "baseValue",
    FP + "qualifier": "qualifier", FP + "kind": "kind", FP + "breakdown": "breakdown", FP + "valueMax": "valueMax",
    SDMX_ATT + "unitMeasure": "unit", FP + "baseUnit": "baseUnit", FP + "per": "per",
    FP + "measuredPhrase": "phrase", FP + "measure": "measure", FP + "subject": "subject",
}
MEASURES = {FP + "Change": "change", FP + "Cumulative": "cumulative"}


@dataclass
class RawFacts:
    """Observations as read: obs IRI → properties (doc, area, ind and the PROPS names), and
    obs IRI → mentions by start offset."""

    props: "OrderedDict[str, dict]" = field(default_factory=OrderedDict)
    mentions: dict[str, dict[int, Mention]] = field(default_factory=dict)

    def add_mention(self, obs: str, start, end, surface, sentence, sent_start) -> None:
        ms = self.mentions.setdefault(obs, {})
        start = int(start)
        if start not in ms:
            ms[start] = Mention(start, int(end), surface or "", sentence or "",
                                int(sent_start) if sent_start is not None else None)


def gather_long(result: list[dict], ind: str | None = None) -> RawFacts:
    """The long rows of Q.OBSERVATIONS (one per mention and property) → raw facts."""
    raw = RawFacts()
    for r in result:
        obs = r["obs"]
        d = raw.props.get(obs)
        if d is None:
            d = raw.props[obs] = {"doc": r["doc"], "area": r["area"], "ind": r.get("ind") or ind}
        name = PROPS.get(r["p"])
        if name:
            d[name] = r["o"]
        raw.add_mention(obs, r["start"], r["end"], r["surface"], r["sentence"], r["sentStart"])
    return raw


def row_order(r: Row):
    return (r.doc, r.first.start, r.obs)


def build_rows(raw: RawFacts, cat) -> list[Row]:
    """Rows of the raw facts (labels of places, periods and units from the catalogue ``cat``),
    in document order."""
    out: list[Row] = []
    for obs, d in raw.props.items():
        if "value" not in d or "period" not in d or not raw.mentions.get(obs):
            continue
        info = cat.period_info.get(d["period"])
        if info is None:
            code = period_code(d["period"])
            y = int(code[:4]) if code[:4].isdigit() else 0
            info = PeriodInfo(code, y, y, code, set())
        kinds = info.kinds or {"year" if info.start_year == info.end_year else "span"}
        mentions = sorted(raw.mentions[obs].values(), key=lambda m: m.start)
        period_kind = sorted(kinds - {"report"})[0] if kinds - {"report"} else "report"
        if len(kinds) > 1 and "report" in kinds:
            # one period IRI for "2018年" written in the text and for undated facts dated to a
            # 2018 report: the fact is dated only if its sentence names that year
            named = any(t.start_year <= info.start_year <= t.end_year
                        for m in mentions for t in find_times(m.sentence))
            if not named:
                period_kind = "report"
        row = Row(
            obs=obs, doc=d["doc"], place=cat.place_labels.get(d["area"], d["area"]), area=d["area"],
            period=info.code, period_zh=info.zh, start_year=info.start_year, end_year=info.end_year,
            period_kind=period_kind, breakdown=d.get("breakdown"), value=Decimal(str(d["value"])),
            value_max=Decimal(str(d["valueMax"])) if d.get("valueMax") is not None else None,
            unit=cat.unit_labels.get(d.get("unit"), "") if d.get("unit") else "",
            base_value=Decimal(str(d["baseValue"] if d.get("baseValue") is not None else d["value"])),
            base_unit=cat.unit_labels.get(d.get("baseUnit"), "") if d.get("baseUnit") else "",
            qualifier=d.get("qualifier") or "exact", kind="target" if d.get("kind") == FP + "Target" else "actual",
            per=d.get("per"), mentions=mentions, period_iri=d["period"], indicator=d.get("ind") or "",
            phrase=d.get("phrase") or "", measure=MEASURES.get(d.get("measure"), "level"),
            subject=cat.subject_labels.get(d["subject"], "") if d.get("subject") else "",
        )
        out.append(row)
    out.sort(key=row_order)
    for i, row in enumerate(out):
        row.pos = (row.doc, i)
    return out

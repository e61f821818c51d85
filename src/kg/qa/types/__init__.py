"""The question types of kg.qa.answer, one module each; ``Answerer`` (kg.qa.answer) is made of
their classes and ``Answerer.dispatch`` chooses among them by the parsed question's type:

* :mod:`.single` — one value (多少/几), the default;
* :mod:`.totals` — sums over years (共/累计/2014年到2017年);
* :mod:`.series` — a value per year (历年/每年);
* :mod:`.superlative` — the most or least (最多/最少: of years, places or parts);
* :mod:`.difference` — one year against another (比…多多少);
* :mod:`.breakdowns` — an indicator's parts (分别/各…);
* :mod:`.lists` — the members of a category (有哪些…);
* :mod:`.places` — several places asked side by side, 城乡 (towns and countryside);
* :mod:`.open_world` — what the lexicon cannot read: a quantity from the best-ranked
  observation, a name from the best-matching sentence.

Each class adds methods to the answerer and uses the shared state and helpers of
kg.qa.choose.Choose / kg.qa.render.Render; none imports kg.qa.answer.
"""

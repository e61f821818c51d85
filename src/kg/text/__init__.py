"""Pure text utilities for Chinese government reports.

Pure (stdlib + cn2an only, no I/O) submodules include:

* :mod:`kg.text.normalize`  -- offset-preserving width normalisation
* :mod:`kg.text.numerals`   -- Arabic / Chinese / mixed number parsing
* :mod:`kg.text.units`      -- measure words and units with base-unit factors
* :mod:`kg.text.quantities` -- number + unit + qualifier extraction
* :mod:`kg.text.timex`      -- calendar years, year ends, spans, plan periods
* :mod:`kg.text.modality`   -- target / plan cues versus achieved facts
"""

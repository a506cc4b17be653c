"""Dated parameters (poverty line, norms) valid at a reference date."""

from __future__ import annotations

import datetime as dt

from presisi.indicators.models import Parameter

# Used only until the standard parameter file is loaded; the YAML is the source of truth.
FALLBACK = {"garis_kemiskinan": 568510.0, "luas_lantai_layak": 7.2}


def parameter_values(ref: dt.date) -> dict[str, float]:
    values = dict(FALLBACK)
    for p in Parameter.objects.filter(berlaku_dari__lte=ref).order_by("kode", "berlaku_dari"):
        values[p.kode] = p.nilai  # later rows overwrite earlier ones
    return values

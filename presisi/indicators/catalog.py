"""What an indicator expression may refer to: the analytics columns of each unit and the parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from presisi.dictionary.models import KODE
from presisi.dictionary.validation import unit_spec
from presisi.indicators.analytics import derived
from presisi.indicators.analytics.tables import NUMERIC_TYPES, UNITS
from presisi.indicators.expressions import VariableInfo
from presisi.indicators.params import parameter_values


@dataclass
class AnalyticsCatalog:
    """Dictionary variables (numeric) plus derived variables, per unit; parameters at a date."""

    variables: dict[str, dict[str, VariableInfo]]
    params: dict[str, float]

    def variable(self, unit: str, name: str) -> VariableInfo | None:
        return self.variables.get(unit, {}).get(name)

    def param(self, name: str) -> float | None:
        return self.params.get(name)


def build_catalog(ref: dt.date | None = None) -> AnalyticsCatalog:
    variables: dict[str, dict[str, VariableInfo]] = {u: {} for u in UNITS}
    for unit in UNITS:
        for v in unit_spec(unit).values():
            if v.tipe in NUMERIC_TYPES:
                variables[unit][v.kode] = VariableInfo(name=v.kode, unit=unit, tipe=v.tipe, codes=v.codes)
    individu = unit_spec("individu")
    for d in derived.all_derived():
        codes = d.codes
        if d.name in derived.KEPALA_SOURCE and derived.KEPALA_SOURCE[d.name] in individu:
            codes = individu[derived.KEPALA_SOURCE[d.name]].codes
        if d.tipe == KODE and not codes:
            continue  # a code variable without a code list could never be compared safely
        variables[d.unit][d.name] = VariableInfo(name=d.name, unit=d.unit, tipe=d.tipe, codes=codes)
    return AnalyticsCatalog(variables=variables, params=parameter_values(ref or dt.date.today()))

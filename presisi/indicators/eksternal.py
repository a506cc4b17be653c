"""External indicators: values another app computes (e.g. spatial exposure from agency map layers).

The indicator engine cannot compute them from the analytics store's expressions, and the
indicators app may not import the apps above it. So the extension point goes the other way:

* ``nilai_dihitung`` — a signal the engine sends after it has computed a period (for all desa or
  some); a provider app connects a receiver in its ``AppConfig.ready`` and recomputes its values;
* ``nilai_eksternal_tulis`` — the one write for such values: desa-level numerators and
  denominators in, the same fact rows and ratio-of-sums roll-up as the engine's out.

Indicators of kind ``eksternal`` are never deleted by the engine's recompute.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from presisi.core.db import bulk_insert
from presisi.indicators.models import Indikator, NilaiIndikator
from presisi.periods.models import Periode

# Sent with ``periode`` (Periode) and ``desa`` (list of desa ids recomputed) after ``hitung_indikator``.
nilai_dihitung = Signal()

# (desa id, disaggregation key) → (numerator, denominator)
NilaiDesa = Mapping[tuple[int, str], tuple[float, float]]


@transaction.atomic
def nilai_eksternal_tulis(*, periode: Periode, nilai: Mapping[str, NilaiDesa], desa: Iterable[int]) -> int:
    """Replace the values of external indicators for these desa (and their parents) in a period.

    ``nilai``: indicator code → values per (desa id, disaggregation). Indicators missing from the
    catalogue or not of kind ``eksternal`` are skipped (never overwrite the engine's values).
    Returns the number of base facts written.
    """
    from presisi.indicators.engine import FACT_COLUMNS, _affected_regions, _rollup, _value

    desa_ids = sorted(set(desa))
    indicators = {i.kode: i for i in Indikator.objects.filter(kode__in=list(nilai), jenis=Indikator.EKSTERNAL)}
    if not indicators or not desa_ids:
        return 0
    affected = _affected_regions(desa_ids)
    regions = [r for depth in (4, 3, 2) for r in affected[depth]]
    ids = [i.pk for i in indicators.values()]
    NilaiIndikator.objects.filter(periode=periode, indikator_id__in=ids, wilayah_id__in=regions).delete()
    now = timezone.now()
    wanted = set(desa_ids)
    facts = []
    for kode, per_desa in nilai.items():
        ind = indicators.get(kode)
        if ind is None:
            continue
        for (desa_id, disagg), (num, den) in per_desa.items():
            if desa_id in wanted:
                facts.append((periode.pk, ind.pk, desa_id, 4, disagg, float(num), float(den),
                              _value(ind, num, den), "", now))
    bulk_insert(NilaiIndikator._meta.db_table, FACT_COLUMNS, facts)
    for child_depth in (4, 3):
        _rollup(periode.pk, ids, affected[child_depth - 1], child_depth, now)
    return len(facts)

"""``synth_generate``: a realistic, clearly synthetic regency on top of the loaded regions.

Everything happens in one transaction: banjar, people, families, households, buildings,
desa data and assets are either all written or (on any error) none. Every value is
checked against the data dictionary and every NIK/No. KK against the identifier rules
before the first row is written.
"""

from __future__ import annotations

import time

from django.db import transaction

from presisi.core.exceptions import ApplicationError
from presisi.dictionary.models import INDIVIDU
from presisi.dictionary.validation import clear_cache, unit_spec
from presisi.regions.models import Wilayah
from presisi.registry.models import AsetDesa, Bangunan, DataDesa, Individu, Keluarga, RumahTangga
from presisi.synth import adat, writer
from presisi.synth.generation import generate, write_all
from presisi.synth.regions import resolve_kabupaten
from presisi.synth.summary import SynthSummary

__all__ = ["SynthSummary", "synth_generate"]

MAX_SCALE = 5.0


def _refuse_if_occupied(kode: str, desa_ids: list[int], ganti: bool) -> None:
    """Synthetic data never mixes with real registry data, and never silently replaces earlier synthetic data."""
    if any(m.objects.filter(sintetis=False, desa_id__in=desa_ids).exists()
           for m in (Individu, Keluarga, RumahTangga, Bangunan)):
        raise ApplicationError(
            f"Kabupaten {kode} sudah berisi data registri nyata; data sintetis tidak dibuat di atasnya. "
            "Gunakan basis data terpisah untuk data sintetis.")
    if ganti:
        return
    people = Individu.objects.filter(sintetis=True, desa_id__in=desa_ids).count()
    others = any(m.objects.filter(sintetis=True, desa_id__in=desa_ids).exists()
                 for m in (Keluarga, RumahTangga, Bangunan, DataDesa, AsetDesa))
    if people or others:
        raise ApplicationError(
            f"Basis data sudah berisi data sintetis di kabupaten {kode} ({people} penduduk). "
            "Jalankan ulang dengan --ganti untuk menghapus dan membuat ulang data sintetis.")


def _check_inputs(scale: float, seed: int) -> None:
    if not 0 < scale <= MAX_SCALE:
        raise ApplicationError(f"--scale harus lebih dari 0 dan paling besar {MAX_SCALE:g}.")
    if not 0 <= seed < 2**32:
        raise ApplicationError("--seed harus bilangan bulat 0 sampai 4294967295.")
    clear_cache()  # validate against the dictionary as it is in the database now, not a cached copy
    if not unit_spec(INDIVIDU):
        raise ApplicationError("Kamus data belum dimuat. Jalankan 'presisi kamus load' terlebih dahulu.")


def synth_generate(*, scale: float, seed: int, progress: bool = False, kabupaten: str | None = None,
                   ganti: bool = False) -> SynthSummary:
    """Generate ``216,000 × scale`` synthetic people (and everything around them) for one regency.

    Refuses (``ApplicationError``, nothing written) when no desa are loaded, when several
    regencies are loaded and ``kabupaten`` is not given, or when the regency already has
    synthetic people and ``ganti`` is false. With ``ganti`` the previous synthetic rows of
    the regency are deleted in the same transaction.
    """
    started = time.perf_counter()
    _check_inputs(scale, seed)
    with transaction.atomic():
        kab = resolve_kabupaten(kabupaten)
        desa_ids = list(Wilayah.objects.within(kab.kode).desa_kelurahan().values_list("id", flat=True))
        _refuse_if_occupied(kab.kode, desa_ids, ganti)
        summary = SynthSummary(kabupaten=kab.kode, seed=seed, scale=scale)
        if ganti:
            summary.dihapus = writer.delete_synthetic(desa_ids)
        gen = generate(kab, scale=scale, seed=seed, progress=progress, summary=summary)
        write_all(gen, summary, progress=progress)
        summary.desa_adat_dibuat = adat.buat_desa_adat(gen.ctx.frame, seed)
        summary.keluarga_banjar_adat = adat.tetapkan_banjar_adat(gen.ctx.frame)
    summary.detik = round(time.perf_counter() - started, 2)
    return summary

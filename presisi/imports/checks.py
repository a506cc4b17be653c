"""The import's checks against the registry: plans per unit, links, rules, missing people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from presisi.core.exceptions import Finding
from presisi.core.pdp import mask_nik
from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.imports import existing as ex
from presisi.imports.columns import KEY
from presisi.imports.frames import frame_dari_rencana
from presisi.imports.kandidat import pool_aktif
from presisi.imports.plan import RencanaUnit, cek_tautan, rencana_buat
from presisi.imports.tables import Tabel
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah
from presisi.registry.models import HIDUP, LAKI_LAKI, PEREMPUAN
from presisi.registry.services.bulk import MODEL_KEY, MODELS
from presisi.validation.engine import Pelanggaran, aturan_aktif, jalankan
from presisi.validation.frames import Frame
from presisi.validation.konteks import kandidat_ganda, konteks_buat
from presisi.validation.rules import DESA_LEVEL
from presisi.validation.services import TemuanBaru, temuan_dari_frame

LOADERS = {INDIVIDU: ex.individu_desa, KELUARGA: ex.keluarga_desa, RUMAH_TANGGA: ex.rumah_tangga_desa,
           BANGUNAN: ex.bangunan_desa}
MAKS_DAFTAR_TIDAK_ADA = 1000
GANDA_BLOK_BESAR = "ganda_blok_terlalu_besar"


def rencanakan(tables: dict[str, Tabel], desa: Wilayah) -> dict[str, RencanaUnit]:
    """Compare each table with the desa's records (one query per unit) and check the links."""
    plans: dict[str, RencanaUnit] = {}
    loaded: dict[str, dict[str, dict[str, Any]]] = {}
    for unit in (BANGUNAN, RUMAH_TANGGA, KELUARGA, INDIVIDU):
        tabel = tables.get(unit)
        if tabel is None or tabel.n == 0:
            continue
        loaded[unit] = LOADERS[unit](desa)
        keys = [k for k in tabel.nilai.get(KEY[unit], []) if k and k not in loaded[unit]]
        identitas: dict[str, dict[str, Any]] = {}
        lain = ex.terdaftar_di_tempat_lain(MODELS[unit], MODEL_KEY[unit], keys, desa, identitas)
        plans[unit] = rencana_buat(unit, tabel, loaded[unit], lain, lain_identitas=identitas,
                                   desa_label=f"{desa.get_tingkat_display()} {desa.nama} ({desa.kode})")
    _links(plans, loaded, desa)
    return plans


def _known(unit: str, plans: dict[str, RencanaUnit], loaded: dict, desa: Wilayah) -> set[str]:
    if unit not in loaded:
        loaded[unit] = LOADERS[unit](desa)
    from_file = set(plans[unit].keys()) if unit in plans else set()
    return from_file | set(loaded[unit])


def _links(plans: dict[str, RencanaUnit], loaded: dict, desa: Wilayah) -> None:
    for unit, field, target, what in ((INDIVIDU, "no_kk", KELUARGA, "No. KK"),
                                      (INDIVIDU, "kode_rumah_tangga", RUMAH_TANGGA, "rumah tangga"),
                                      (RUMAH_TANGGA, "kode_bangunan", BANGUNAN, "bangunan")):
        if unit not in plans:
            continue
        known = _known(target, plans, loaded, desa)
        wanted = {t.get(field) for t in plans[unit].target if t and t.get(field)} - known
        elsewhere = ex.terdaftar_di_tempat_lain(MODELS[target], MODEL_KEY[target], sorted(wanted), desa)
        cek_tautan(plans[unit], field_name=field, known=known, elsewhere=elsewhere, what=what)


def _konteks_rows(plan: RencanaUnit) -> list[dict[str, Any]]:
    """Current records of the desa that the file does not mention (their families still count)."""
    in_file = set(plan.tabel.nilai.get(KEY[plan.unit], []))
    if plan.unit == INDIVIDU:
        return [r for key, r in plan.existing.items() if r.get("status_dasar") == HIDUP and key not in in_file]
    return [r for key, r in plan.existing.items() if r.get("aktif", True) and key not in in_file]


@dataclass
class HasilUnit:
    """One unit's frame (file rows, then the rest of the desa) and every violation in it."""

    frame: Frame
    index: list[int]  # table row of each frame row, -1 for registry rows
    pelanggaran: list[Pelanggaran]


def validasi(plans: dict[str, RencanaUnit], *, desa: Wilayah, periode: Periode
             ) -> tuple[list[Finding], dict[str, HasilUnit]]:
    """Run the active rules over each unit's resulting records (the file over the desa).

    Returns the findings on file rows (and the desa) for the report — errors refuse their
    rows — and every violation per unit, to be stored as the desa's findings once written."""
    ktx = konteks_buat(desa_list=[desa], periode=periode, mode="impor")
    findings: list[Finding] = []
    hasil: dict[str, HasilUnit] = {}
    for unit, plan in plans.items():
        frame, index = frame_dari_rencana(plan, desa_id=desa.pk, ref=periode.tanggal_referensi,
                                          konteks=_konteks_rows(plan))
        ktx.terdaftar_lain = {unit: plan.lain}
        if unit == INDIVIDU:  # this file's declared corrections count as the period's, before they are written
            ktx.koreksi_identitas.update({plan.existing[plan.target[i]["nik"]]["id"]: k.alasan
                                          for i, k in plan.koreksi.items()})
        if unit == INDIVIDU:
            args = {"tanggal_lahir": frame.dates("tanggal_lahir"), "kecuali_desa": [desa.pk],
                    "jenis_kelamin": frame.num("jenis_kelamin")}
            pool = pool_aktif()  # a batch of imports keeps the candidates in memory
            ktx.kandidat = pool.kandidat(**args) if pool is not None else kandidat_ganda(**args)
        found = jalankan(frame, ktx, aturan_aktif(unit))
        findings += _blok_besar(ktx)
        hasil[unit] = HasilUnit(frame=frame, index=index, pelanggaran=found)
        for p in found:
            row_index = None if p.idx == DESA_LEVEL else index[p.idx]
            if row_index == -1:
                continue  # a record the file does not touch: stored as a finding, not reported here
            findings.append(Finding(rule=p.aturan, message=p.pesan, severity=p.keparahan,
                                    row=None if row_index is None else plan.tabel.baris[row_index],
                                    column=frame.column_name(p.kolom), value=p.nilai))
            if p.keparahan == "error" and row_index is not None:
                plan.tabel.ditolak.add(row_index)
    return findings, hasil


def _blok_besar(ktx) -> list[Finding]:
    """An info finding per (birth date, sex) block too large for every pair to be compared."""
    out = []
    for day, sex, size, alone in ktx.blok_besar:
        tanggal = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()
        jk = {LAKI_LAKI: "laki-laki", PEREMPUAN: "perempuan"}.get(sex, "tidak diketahui")
        out.append(Finding(rule=GANDA_BLOK_BESAR, severity="info", column="tanggal_lahir", value=tanggal, message=(
            f"{size} orang lahir {tanggal} berjenis kelamin {jk}: terlalu banyak untuk dibandingkan satu per satu, "
            "jadi kemungkinan ganda dicari di antara nama yang berawalan sama"
            + (f"; {alone} orang tidak dapat dibandingkan (namanya terlalu umum/pendek)" if alone else "")
            + ". Periksa tanggal lahirnya (mis. tanggal isian bawaan)")))
    ktx.blok_besar.clear()
    return out


def tidak_ada_di_berkas(plans: dict[str, RencanaUnit]) -> tuple[list[dict[str, str]], int]:
    """Living people of the desa that a file of people does not list: reported, never deleted."""
    plan = plans.get(INDIVIDU)
    if plan is None:
        return [], 0
    in_file = set(plan.tabel.nilai.get(KEY[INDIVIDU], []))
    missing = [r for key, r in plan.existing.items() if r.get("status_dasar") == HIDUP and key not in in_file]
    # only the record id and a masked NIK are stored on the job: name, KK and the full NIK are read
    # at display time, through the PDP door (presisi.imports.selectors.tidak_ada_baris)
    return [{"id": r["id"], "nik": mask_nik(r["nik"])} for r in missing[:MAKS_DAFTAR_TIDAK_ADA]], len(missing)


def temuan_setelah_tulis(hasil: dict[str, HasilUnit], desa: Wilayah) -> list[TemuanBaru]:
    """The violations as findings of the written records (new records get their ids now)."""
    out: list[TemuanBaru] = []
    for unit, h in hasil.items():
        ids = dict(MODELS[unit].objects.filter(desa=desa).values_list(MODEL_KEY[unit], "id"))
        keys = h.frame.text(KEY[unit])
        for i in range(h.frame.n):
            if h.frame.objek_id[i] == 0:
                h.frame.objek_id[i] = ids.get(keys[i], 0)
        out += temuan_dari_frame(h.frame, h.pelanggaran)
    return out

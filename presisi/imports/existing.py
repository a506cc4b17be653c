"""What the registry already holds for the keys of a file: one query per unit for the desa,
and chunked key lookups for records registered elsewhere in the regency."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from presisi.regions.models import Wilayah
from presisi.registry.models import Bangunan, Individu, Keluarga, RumahTangga
from presisi.registry.services.bulk import INDIVIDU_FIELDS

STATUS_LABEL = {1: "Hidup", 2: "Mati", 3: "Pindah", 4: "Hilang", 6: "Pergi", 9: "Tidak Valid"}
_CHUNK = 900


def _atribut(value: Any) -> dict:
    if isinstance(value, dict):
        return value
    return json.loads(value) if value else {}


def individu_desa(desa: Wilayah) -> dict[str, dict[str, Any]]:
    """Every person ever recorded in the desa, by NIK, as the importer compares them."""
    rows = Individu.objects.filter(desa=desa).values_list(
        "id", *INDIVIDU_FIELDS, "atribut", "keluarga__no_kk", "rumah_tangga__kode", "status_dasar", "banjar_id")
    out = {}
    n = len(INDIVIDU_FIELDS)
    for r in rows:
        rec = dict(zip(INDIVIDU_FIELDS, r[1:n + 1], strict=True))
        rec.update(id=r[0], atribut=_atribut(r[n + 1]), no_kk=r[n + 2], kode_rumah_tangga=r[n + 3],
                   status_dasar=r[n + 4], banjar_id=r[n + 5])
        for key in ("tempat_lahir", "nama_ayah", "nama_ibu"):
            rec[key] = rec[key] or ""
        if isinstance(rec["tanggal_lahir"], str):
            rec["tanggal_lahir"] = dt.date.fromisoformat(rec["tanggal_lahir"])
        out[rec["nik"]] = rec
    return out


def keluarga_desa(desa: Wilayah) -> dict[str, dict[str, Any]]:
    return {r[1]: {"id": r[0], "no_kk": r[1], "alamat": r[2] or "", "banjar_id": r[3], "atribut": _atribut(r[4]),
                   "aktif": r[5], "banjar_adat_id": r[6]}
            for r in Keluarga.objects.filter(desa=desa).values_list("id", "no_kk", "alamat", "banjar_id", "atribut",
                                                                    "aktif", "banjar_adat_id")}


def rumah_tangga_desa(desa: Wilayah) -> dict[str, dict[str, Any]]:
    return {r[1]: {"id": r[0], "kode_rumah_tangga": r[1], "banjar_id": r[2], "kode_bangunan": r[3],
                   "atribut": _atribut(r[4]), "aktif": r[5]}
            for r in RumahTangga.objects.filter(desa=desa).values_list("id", "kode", "banjar_id", "bangunan__kode",
                                                                       "atribut", "aktif")}


def bangunan_desa(desa: Wilayah) -> dict[str, dict[str, Any]]:
    return {r[1]: {"id": r[0], "kode_bangunan": r[1], "banjar_id": r[2], "lat": r[3], "lng": r[4],
                   "atribut": _atribut(r[5]), "aktif": r[6]}
            for r in Bangunan.objects.filter(desa=desa).values_list("id", "kode", "banjar_id", "lat", "lng", "atribut",
                                                                    "aktif")}


def _where(desa_kode: str, desa_nama: str, status: int | None = None) -> str:
    text = f"Desa/Kel. {desa_nama} ({desa_kode})"
    return text + (f", status {STATUS_LABEL.get(status, status)}" if status is not None else "")


def terdaftar_di_tempat_lain(model, field: str, keys: list[str], desa: Wilayah,
                             identitas: dict[str, dict[str, Any]] | None = None) -> dict[str, str]:
    """key → where it is registered, for keys held by records of other desa. For people, the same
    query fills ``identitas`` (NIK → name, birth date, sex, No. KK, desa) when given, so that the
    identity check of a whole file costs no query of its own."""
    out: dict[str, str] = {}
    person = model is Individu
    extra = ["status_dasar", "nama", "tanggal_lahir", "jenis_kelamin", "keluarga__no_kk"] if person else []
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i:i + _CHUNK]
        for row in (model.objects.filter(**{f"{field}__in": chunk}).exclude(desa=desa)
                    .values_list(field, "desa__kode", "desa__nama", *extra)):
            out[row[0]] = _where(row[1], row[2], row[3] if extra else None)
            if person and identitas is not None:
                born = row[5]
                identitas[row[0]] = {"nama": row[4], "jenis_kelamin": row[6], "no_kk": row[7] or "",
                                     "tanggal_lahir": dt.date.fromisoformat(born) if isinstance(born, str) else born,
                                     "desa": f"Desa/Kel. {row[2]} ({row[1]})"}
    return out

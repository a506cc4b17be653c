"""What an import would do to each row: create, update, leave unchanged, or refuse.

Targets are the records as they will be after the import: the file's columns over the
registry's current values (a column the file does not have keeps its value; an empty
cell clears an attribute). Links (No. KK, household and building codes) stay keys here
and become ids only when written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from presisi.core.exceptions import Finding
from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.imports.columns import BANJAR, KEY
from presisi.imports.existing import INDIVIDU_FIELDS, STATUS_LABEL
from presisi.imports.tables import Tabel
from presisi.registry.models import HIDUP

DIBUAT, DIUBAH, TETAP, DITOLAK, DILEWATI = "dibuat", "diubah", "tetap", "ditolak", "dilewati"
CORE = {
    INDIVIDU: [*INDIVIDU_FIELDS, "no_kk", "kode_rumah_tangga"],
    KELUARGA: ["no_kk", "alamat", "banjar_id"],
    RUMAH_TANGGA: ["kode_rumah_tangga", "banjar_id", "kode_bangunan"],
    BANGUNAN: ["kode_bangunan", "banjar_id", "lat", "lng"],
}
TEXT_FIELDS = {"tempat_lahir", "nama_ayah", "nama_ibu", "alamat"}
NOT_NULL_DEFAULT = {"kewarganegaraan": 1}


@dataclass
class RencanaUnit:
    unit: str
    tabel: Tabel
    existing: dict[str, dict[str, Any]]
    lain: dict[str, str] = field(default_factory=dict)  # key → other desa holding it
    target: list[dict[str, Any] | None] = field(default_factory=list)
    aksi: list[str] = field(default_factory=list)
    berubah: list[list[str]] = field(default_factory=list)

    def keys(self) -> list[str]:
        return [t[KEY[self.unit]] for t in self.target if t is not None]

    def tolak(self, i: int, finding: Finding) -> None:
        self.tabel.temuan.append(finding)
        if finding.severity == "error":
            self.tabel.ditolak.add(i)


def _blank(unit: str) -> dict[str, Any]:
    rec: dict[str, Any] = {k: ("" if k in TEXT_FIELDS else None) for k in CORE[unit]}
    rec.update(NOT_NULL_DEFAULT if unit == INDIVIDU else {})
    rec["atribut"] = {}
    if unit == INDIVIDU:
        rec["status_dasar"] = HIDUP
    return rec


@dataclass(frozen=True)
class _Layout:
    """Which of a table's columns are record fields and which are attributes (computed once)."""

    fields: list[tuple[str, list[Any], Any]]  # (target key, values, default when empty)
    attributes: list[tuple[str, list[Any]]]

    @classmethod
    def of(cls, unit: str, tabel: Tabel) -> _Layout:
        core = set(CORE[unit])
        fields, attributes = [], []
        for code, values in tabel.nilai.items():
            if code == BANJAR:
                fields.append(("banjar_id", values, None))
            elif code in core:
                fields.append((code, values, "" if code in TEXT_FIELDS else NOT_NULL_DEFAULT.get(code)))
            elif code != "status_dasar":
                attributes.append((code, values))
        return cls(fields, attributes)


def target_row(unit: str, tabel: Tabel, i: int, current: dict[str, Any] | None,
               layout: _Layout | None = None) -> dict[str, Any]:
    layout = layout or _Layout.of(unit, tabel)
    if current is None:
        rec = _blank(unit)
        atribut = rec["atribut"]
    else:
        rec = dict(current)
        atribut = rec["atribut"] = dict(current["atribut"])
        rec.pop("id", None)
    for key, values, default in layout.fields:
        value = values[i]
        rec[key] = default if value is None else value
    for code, values in layout.attributes:
        value = values[i]
        if value is None:
            atribut.pop(code, None)
        else:
            atribut[code] = value.isoformat() if isinstance(value, dt.date) else value
    return rec


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [k for k, v in after.items() if k not in ("status_dasar", "aktif") and before.get(k) != v]


def rencana_buat(unit: str, tabel: Tabel, existing: dict[str, dict[str, Any]], lain: dict[str, str]) -> RencanaUnit:
    """Compare every row of the table with the registry (no queries here)."""
    plan = RencanaUnit(unit=unit, tabel=tabel, existing=existing, lain=lain)
    key = KEY[unit]
    keys = tabel.nilai.get(key, [None] * tabel.n)
    status_dasar = tabel.nilai.get("status_dasar")
    layout = _Layout.of(unit, tabel)
    for i in range(tabel.n):
        k = keys[i]
        if not k:
            plan.target.append(None)
            plan.aksi.append(DITOLAK)
            plan.berubah.append([])
            tabel.ditolak.add(i)
            continue
        current = existing.get(k)
        if status_dasar is not None and status_dasar[i] not in (None, HIDUP):
            plan.target.append(None)
            plan.aksi.append(DILEWATI)
            plan.berubah.append([])
            if current is not None and current.get("status_dasar") == HIDUP:
                plan.tolak(i, Finding(
                    rule="status_dasar", severity="warning", row=tabel.baris[i],
                    column=tabel.kolom_berkas.get("status_dasar", "status_dasar"), value=status_dasar[i],
                    message=f"di berkas berstatus {STATUS_LABEL.get(status_dasar[i], status_dasar[i])}, di Presisi "
                            "masih Hidup; baris dilewati — catat peristiwanya (kematian/pindah) di Presisi"))
            continue
        target = target_row(unit, tabel, i, current, layout)
        plan.target.append(target)
        if current is None:
            plan.aksi.append(DIBUAT)
            plan.berubah.append([])
        else:
            changes = changed_fields(current, target)
            plan.aksi.append(DIUBAH if changes else TETAP)
            plan.berubah.append(changes)
            if unit == INDIVIDU and current.get("status_dasar") != HIDUP:
                plan.tolak(i, Finding(
                    rule="status_dasar", row=tabel.baris[i], column=tabel.kolom_berkas.get(key, key), value=k,
                    message=f"penduduk ini tercatat {STATUS_LABEL.get(current['status_dasar'])} di Presisi; "
                            "untuk mencatatnya kembali gunakan peristiwa kedatangan, bukan impor"))
            elif "aktif" in current and not current["aktif"]:
                plan.tolak(i, Finding(rule="tidak_aktif", row=tabel.baris[i], column=tabel.kolom_berkas.get(key, key),
                                      value=k, message="rekaman ini sudah tidak aktif di Presisi"))
    return plan


def cek_tautan(plan: RencanaUnit, *, field_name: str, known: set[str], elsewhere: dict[str, str], what: str) -> None:
    """Every link (No. KK of a person, household of a person, building of a household) must
    point at a record of this desa: in the file or already registered."""
    column = plan.tabel.kolom_berkas.get(field_name, field_name)
    for i, target in enumerate(plan.target):
        if target is None:
            continue
        value = target.get(field_name)
        if not value or value in known:
            continue
        if value in elsewhere:
            message = f"{what} {value} terdaftar di {elsewhere[value]}; kepindahan dicatat sebagai peristiwa"
        else:
            message = f"{what} {value} tidak ada di berkas maupun di registri desa ini"
        plan.tolak(i, Finding(rule=f"{field_name}_tidak_dikenal", row=plan.tabel.baris[i], column=column,
                              value=value, message=message))

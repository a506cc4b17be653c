"""What an import would do to each row: create, update, leave unchanged, or refuse.

Targets are the records as they will be after the import: the file's columns over the
registry's current values. A column the file does not have keeps its value, and so does a
blank cell: only the clear marker ``-`` erases a stored value (listed in the summary, so a dry
run shows what a file would clear); a stored value that is itself "-" (OpenSID's "unknown", sent
back by a registry export) is kept by a "-" cell. Links (No. KK, household and building codes) stay keys
here and become ids only when written.

A person's identity is checked before anything else: an existing NIK with another name (not a
plausible variant), birth date or sex is someone else's NIK — an error naming the registered
person — unless the row declares an identity correction with a reason (a warning, written as
its own audit entry). A person whose No. KK changes moves family: a "pindah KK" event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from presisi.core.exceptions import Finding
from presisi.core.pdp import mask_nik
from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.imports.cells import KOSONGKAN
from presisi.imports.columns import BANJAR, BANJAR_ADAT, KEY, PERINTAH
from presisi.imports.existing import INDIVIDU_FIELDS, STATUS_LABEL
from presisi.imports.tables import Tabel
from presisi.registry.identitas import (
    KOLOM_ALASAN,
    KOLOM_KOREKSI,
    Terdaftar,
    beda_identitas,
    koreksi_dinyatakan,
    pesan_koreksi,
    pesan_orang_lain,
)
from presisi.registry.models import HIDUP, KEPALA_KELUARGA

DIBUAT, DIUBAH, TETAP, DITOLAK, DILEWATI = "dibuat", "diubah", "tetap", "ditolak", "dilewati"
CORE = {
    INDIVIDU: [*INDIVIDU_FIELDS, "no_kk", "kode_rumah_tangga"],
    KELUARGA: ["no_kk", "alamat", "banjar_id", "banjar_adat_id"],
    RUMAH_TANGGA: ["kode_rumah_tangga", "banjar_id", "kode_bangunan"],
    BANGUNAN: ["kode_bangunan", "banjar_id", "lat", "lng"],
}
TEXT_FIELDS = {"tempat_lahir", "nama_ayah", "nama_ibu", "alamat"}
LINK_COLUMN = {"banjar_id": BANJAR, "banjar_adat_id": BANJAR_ADAT}  # record key → the file column
NOT_NULL_DEFAULT = {"kewarganegaraan": 1}
# Values shown masked when the summary lists what a file would clear (personal data).
PRIBADI = {"nik", "no_kk", "nama", "nama_ayah", "nama_ibu", "tempat_lahir", "tanggal_lahir", "alamat"}
MAKS_DAFTAR_DIKOSONGKAN = 1000


@dataclass
class Koreksi:
    """A declared identity correction of one row: what differs, and why."""

    beda: list[str]
    alasan: str
    terdaftar: str


@dataclass
class PindahKK:
    """A person moving from one family card to another."""

    no_kk_lama: str
    no_kk_baru: str


@dataclass
class RencanaUnit:
    unit: str
    tabel: Tabel
    existing: dict[str, dict[str, Any]]
    lain: dict[str, str] = field(default_factory=dict)  # key → other desa holding it
    target: list[dict[str, Any] | None] = field(default_factory=list)
    aksi: list[str] = field(default_factory=list)
    berubah: list[list[str]] = field(default_factory=list)
    lain_identitas: dict[str, dict[str, Any]] = field(default_factory=dict)  # key → registered person elsewhere
    desa_label: str = ""
    koreksi: dict[int, Koreksi] = field(default_factory=dict)  # row index → declared identity correction
    pindah_kk: dict[int, PindahKK] = field(default_factory=dict)  # row index → family move
    dikosongkan: list[dict[str, Any]] = field(default_factory=list)  # stored values the file clears (capped)
    jumlah_dikosongkan: int = 0

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
            if code in (BANJAR, BANJAR_ADAT):
                fields.append((f"{code}_id", values, None))
            elif code in core:
                fields.append((code, values, "" if code in TEXT_FIELDS else NOT_NULL_DEFAULT.get(code)))
            elif code != "status_dasar" and code not in PERINTAH:
                attributes.append((code, values))
        return cls(fields, attributes)


def target_row(unit: str, tabel: Tabel, i: int, current: dict[str, Any] | None,
               layout: _Layout | None = None) -> dict[str, Any]:
    """The record after the row: a blank cell keeps the stored value, the marker ``-`` clears it."""
    layout = layout or _Layout.of(unit, tabel)
    clear = tabel.kosongkan
    if current is None:
        rec = _blank(unit)
        atribut = rec["atribut"]
    else:
        rec = dict(current)
        atribut = rec["atribut"] = dict(current["atribut"])
        rec.pop("id", None)
    for key, values, default in layout.fields:
        value = values[i]
        if value is not None:
            rec[key] = value
        elif current is None or (i in clear.get(LINK_COLUMN.get(key, key), ())
                                 and rec.get(key) != KOSONGKAN):
            rec[key] = default
    for code, values in layout.attributes:
        value = values[i]
        if value is not None:
            atribut[code] = value.isoformat() if isinstance(value, dt.date) else value
        elif current is None or (i in clear.get(code, ()) and atribut.get(code) != KOSONGKAN):
            atribut.pop(code, None)
    return rec


def _shown(code: str, value: Any) -> Any:
    """A stored value as the clear list shows it: personal data masked."""
    if isinstance(value, dt.date):
        value = value.isoformat()
    if code not in PRIBADI or value in (None, ""):
        return value
    text = str(value)
    if code in ("nik", "no_kk"):
        return mask_nik(text)
    return text[:1] + "…" if len(text) > 1 else "…"


def _note_cleared(plan: RencanaUnit, i: int, current: dict[str, Any]) -> None:
    """Record the stored values this row's clear markers erase (for the summary and the dry run)."""
    for code, rows in plan.tabel.kosongkan.items():
        if i not in rows:
            continue
        key = f"{code}_id" if code in (BANJAR, BANJAR_ADAT) else code
        old = current[key] if key in current else current["atribut"].get(key)
        if old in (None, "", KOSONGKAN):
            continue
        plan.jumlah_dikosongkan += 1
        if len(plan.dikosongkan) < MAKS_DAFTAR_DIKOSONGKAN:
            plan.dikosongkan.append({"baris": plan.tabel.baris[i], "kolom": plan.tabel.kolom_berkas.get(code, code),
                                     "nilai_lama": _shown(code, old)})


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [k for k, v in after.items() if k not in ("status_dasar", "aktif") and before.get(k) != v]


def rencana_buat(unit: str, tabel: Tabel, existing: dict[str, dict[str, Any]], lain: dict[str, str], *,
                 lain_identitas: dict[str, dict[str, Any]] | None = None, desa_label: str = "") -> RencanaUnit:
    """Compare every row of the table with the registry (no queries here). Whatever a row holds,
    it ends as a plan or a finding: an unexpected error is the row's ``galat_baris`` finding."""
    plan = RencanaUnit(unit=unit, tabel=tabel, existing=existing, lain=lain, lain_identitas=lain_identitas or {},
                       desa_label=desa_label)
    layout = _Layout.of(unit, tabel)
    for i in range(tabel.n):
        try:
            _plan_row(plan, i, layout)
        except Exception as exc:
            del plan.target[i:], plan.aksi[i:], plan.berubah[i:]
            plan.target.append(None)
            plan.aksi.append(DITOLAK)
            plan.berubah.append([])
            plan.koreksi.pop(i, None)
            plan.pindah_kk.pop(i, None)
            plan.tolak(i, Finding(rule="galat_baris", row=tabel.baris[i], column=KEY[unit], value=None,
                                  message=f"baris ini tidak dapat diproses ({type(exc).__name__}); periksa isinya "
                                          "lalu unggah ulang"))
    if unit == INDIVIDU and plan.pindah_kk:
        _check_heads_left_behind(plan)
    return plan


def _plan_row(plan: RencanaUnit, i: int, layout: _Layout) -> None:
    unit, tabel, existing = plan.unit, plan.tabel, plan.existing
    key = KEY[unit]
    k = tabel.get(key, i)
    if not k:
        plan.target.append(None)
        plan.aksi.append(DITOLAK)
        plan.berubah.append([])
        tabel.ditolak.add(i)
        return
    current = existing.get(k)
    status_dasar = tabel.nilai.get("status_dasar")
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
        return
    target = target_row(unit, tabel, i, current, layout)
    if unit == INDIVIDU:
        _check_identity(plan, i, k, current, target)
    plan.target.append(target)
    if current is None:
        plan.aksi.append(DIBUAT)
        plan.berubah.append([])
        return
    changes = changed_fields(current, target)
    plan.aksi.append(DIUBAH if changes else TETAP)
    plan.berubah.append(changes)
    if changes and tabel.kosongkan:
        _note_cleared(plan, i, current)
    if unit == INDIVIDU and current.get("status_dasar") != HIDUP:
        plan.tolak(i, Finding(
            rule="status_dasar", row=tabel.baris[i], column=tabel.kolom_berkas.get(key, key), value=k,
            message=f"penduduk ini tercatat {STATUS_LABEL.get(current['status_dasar'])} di Presisi; "
                    "untuk mencatatnya kembali gunakan peristiwa kedatangan, bukan impor"))
    elif "aktif" in current and not current["aktif"]:
        plan.tolak(i, Finding(rule="tidak_aktif", row=tabel.baris[i], column=tabel.kolom_berkas.get(key, key),
                              value=k, message="rekaman ini sudah tidak aktif di Presisi"))
    elif unit == INDIVIDU and target.get("no_kk") and current.get("no_kk") and target["no_kk"] != current["no_kk"]:
        plan.pindah_kk[i] = PindahKK(no_kk_lama=current["no_kk"], no_kk_baru=target["no_kk"])
        plan.tolak(i, Finding(
            rule="pindah_kk", severity="info", row=tabel.baris[i], column=tabel.kolom_berkas.get("no_kk", "no_kk"),
            value=mask_nik(target["no_kk"]),
            message=f"pindah KK: dari {mask_nik(current['no_kk'])} ke {mask_nik(target['no_kk'])}; dicatat sebagai "
                    "peristiwa Pindah KK di riwayat penduduk"))


def _check_identity(plan: RencanaUnit, i: int, nik: str, current: dict[str, Any] | None,
                    target: dict[str, Any]) -> None:
    """An existing NIK must arrive with the same person (module docstring)."""
    tabel = plan.tabel
    if current is not None:
        registered = current
        who = Terdaftar(nik=nik, nama=current.get("nama") or "", no_kk=current.get("no_kk") or "",
                        desa=plan.desa_label)
    elif nik in plan.lain_identitas:
        registered = plan.lain_identitas[nik]
        who = Terdaftar(nik=nik, nama=registered.get("nama") or "", no_kk=registered.get("no_kk") or "",
                        desa=registered.get("desa") or "")
    else:
        return
    beda = beda_identitas(registered, target)
    if not beda:
        return
    column = tabel.kolom_berkas.get("nik", "nik")
    declared = koreksi_dinyatakan(tabel.get(KOLOM_KOREKSI, i))
    if not declared or current is None:
        plan.tolak(i, Finding(rule="nik_orang_lain", row=tabel.baris[i], column=column, value=mask_nik(nik),
                              message=pesan_orang_lain(who, beda)))
        return
    alasan = str(tabel.get(KOLOM_ALASAN, i) or "").strip()
    if not alasan:
        plan.tolak(i, Finding(rule="alasan_koreksi_wajib", row=tabel.baris[i],
                              column=tabel.kolom_berkas.get(KOLOM_ALASAN, KOLOM_ALASAN), value=None,
                              message=f"koreksi identitas atas {who} wajib disertai alasan ({KOLOM_ALASAN})"))
        return
    plan.koreksi[i] = Koreksi(beda=beda, alasan=alasan, terdaftar=str(who))
    # what is corrected, for the report; the warning to justify comes from the validation rule
    # koreksi_identitas, which keeps it (and its justification) for the rest of the period
    plan.tolak(i, Finding(rule="koreksi_identitas_rincian", severity="info", row=tabel.baris[i], column=column,
                          value=mask_nik(nik), message=pesan_koreksi(who, beda, alasan)))


def _check_heads_left_behind(plan: RencanaUnit) -> None:
    """One living head per KK on both cards of a move: the card a head leaves must get another
    head in the same file (the card joined is checked with the file's rows by the validation rules)."""
    key = KEY[plan.unit]
    in_file: dict[str, dict[str, Any]] = {t[key]: t for t in plan.target if t is not None}
    left = {m.no_kk_lama for m in plan.pindah_kk.values()}
    heads = dict.fromkeys(left, 0)
    members = dict.fromkeys(left, 0)
    for nik, rec in plan.existing.items():
        rec = in_file.get(nik, rec)
        if rec.get("no_kk") in heads and rec.get("status_dasar", HIDUP) == HIDUP:
            members[rec["no_kk"]] += 1
            heads[rec["no_kk"]] += rec.get("hubungan_keluarga") == KEPALA_KELUARGA
    for i, move in plan.pindah_kk.items():
        old = move.no_kk_lama
        if members[old] and heads[old] != 1:
            plan.tolak(i, Finding(
                rule="kepala_keluarga_tunggal", row=plan.tabel.baris[i],
                column=plan.tabel.kolom_berkas.get("no_kk", "no_kk"), value=mask_nik(old),
                message=f"setelah pindah KK, KK asal {mask_nik(old)} punya {heads[old]} kepala keluarga hidup "
                        f"untuk {members[old]} anggota; tetapkan kepala keluarga baru di berkas yang sama"))


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

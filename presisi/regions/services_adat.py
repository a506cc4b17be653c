"""Writes to the customary (adat) hierarchy: the desa adat / banjar adat list loaded from CSV.

Columns: ``kode,nama,tingkat,induk,desa_dinas`` (``desa_dinas``: one or more desa/kelurahan codes
separated by ``;`` or ``|``, on desa adat rows). Like the administrative loader, the whole file is
checked first and nothing is written when any row is wrong; a valid file is applied in one
transaction, and sending it again changes nothing. Rows not in the file are left as they are.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from django.db import transaction

from presisi.core.audit import audit_log
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.regions.codes import DESA, KELURAHAN
from presisi.regions.models import BANJAR_ADAT, DESA_ADAT, DesaAdatDesaDinas, Wilayah, WilayahAdat
from presisi.regions.services import LoadSummary, read_text

AKSI_MUAT_ADAT = "regions.wilayah_adat.dimuat"
KOLOM_WAJIB = ("kode", "nama", "tingkat")
KOLOM_OPSIONAL = ("induk", "desa_dinas")
TINGKAT_ADAT_ALIAS = {"desa adat": DESA_ADAT, "desa_adat": DESA_ADAT, "desa pakraman": DESA_ADAT,
                      "banjar adat": BANJAR_ADAT, "banjar_adat": BANJAR_ADAT}
# Presisi's own codes (no Kemendagri code exists): kabupaten + ".A" + serial; ".AS" = synthetic.
POLA_DESA_ADAT = re.compile(r"^\d{2}\.\d{2}\.AS?\d{3}$")
POLA_BANJAR_ADAT = re.compile(r"^\d{2}\.\d{2}\.AS?\d{3}\.\d{2,3}$")
PEMISAH_DESA = re.compile(r"[;|]")


def kode_desa_adat(kabupaten: str, serial: int, *, sintetis: bool = False) -> str:
    """A desa adat code in Presisi's scheme (51.05.A001; synthetic 51.05.AS001)."""
    return f"{kabupaten}.{'AS' if sintetis else 'A'}{serial:03d}"


def _parse(text: str) -> tuple[list[dict[str, Any]], list[Finding]]:
    if not text.strip():
        return [], [Finding(rule="berkas_kosong", message="berkas kosong")]
    header_line = text.splitlines()[0]
    # the delimiter is read from the header: ';' also separates desa dinas codes inside a field
    delimiter = "," if "," in header_line else ";"
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in KOLOM_WAJIB if c not in header]
    if missing:
        return [], [Finding(rule="kolom_wajib", row=1, column=", ".join(missing),
                            message=f"kolom wajib tidak ada: {', '.join(missing)} "
                                    f"(harus: {', '.join(KOLOM_WAJIB + KOLOM_OPSIONAL)})")]
    reader.fieldnames = header
    rows = [{"baris": i, **{k: (raw.get(k) or "").strip() for k in KOLOM_WAJIB + KOLOM_OPSIONAL}}
            for i, raw in enumerate(reader, start=2)]
    if not rows:
        return [], [Finding(rule="berkas_kosong", message="berkas tidak berisi baris data")]
    for r in rows:
        r["tingkat"] = TINGKAT_ADAT_ALIAS.get(r["tingkat"].lower(), r["tingkat"].lower())
        r["desa_list"] = [c.strip() for c in PEMISAH_DESA.split(r["desa_dinas"]) if c.strip()]
    return rows, []


def _check_row(r: dict[str, Any], seen: dict[str, int], desa_adat_known: set[str],
               desa_dinas: dict[str, Wilayah]) -> list[Finding]:
    row, kode, out = r["baris"], r["kode"], []
    if not r["nama"]:
        out.append(Finding(rule="nama_wajib", row=row, column="nama", value=kode, message="nama wajib diisi"))
    if kode in seen:
        out.append(Finding(rule="kode_ganda", row=row, column="kode", value=kode,
                           message=f"kode sudah muncul di baris {seen[kode]}"))
    if r["tingkat"] == DESA_ADAT:
        if not POLA_DESA_ADAT.match(kode):
            out.append(Finding(rule="kode_adat", row=row, column="kode", value=kode,
                               message="kode desa adat harus kode kabupaten + '.A' + 3 angka, misalnya 51.05.A001"))
        if r["induk"]:
            out.append(Finding(rule="induk_salah", row=row, column="induk", value=r["induk"],
                               message="desa adat tidak punya induk"))
        if not r["desa_list"]:
            out.append(Finding(rule="desa_dinas_wajib", row=row, column="desa_dinas", value=kode,
                               message="desa adat harus dipetakan ke minimal satu desa dinas/kelurahan"))
        for code in r["desa_list"]:
            if code not in desa_dinas:
                out.append(Finding(rule="desa_dinas_tidak_dikenal", row=row, column="desa_dinas", value=code,
                                   message="desa/kelurahan tidak ada di basis data"))
            elif not code.startswith(kode[:5] + "."):
                out.append(Finding(rule="desa_dinas_lain_kabupaten", row=row, column="desa_dinas", value=code,
                                   message=f"desa dinas harus di kabupaten {kode[:5]}"))
    elif r["tingkat"] == BANJAR_ADAT:
        if not POLA_BANJAR_ADAT.match(kode):
            out.append(Finding(rule="kode_adat", row=row, column="kode", value=kode,
                               message="kode banjar adat harus kode desa adat + '.' + 2–3 angka, misalnya "
                                       "51.05.A001.01"))
        if r["induk"] != kode.rsplit(".", 1)[0]:
            out.append(Finding(rule="induk_salah", row=row, column="induk", value=r["induk"],
                               message=f"induk harus {kode.rsplit('.', 1)[0]} (awalan kode {kode})"))
        elif r["induk"] not in desa_adat_known:
            out.append(Finding(rule="induk_tidak_dikenal", row=row, column="induk", value=r["induk"],
                               message="desa adat induk tidak ada di berkas maupun di basis data"))
        if r["desa_list"]:
            out.append(Finding(rule="desa_dinas_banjar", row=row, column="desa_dinas", value=r["desa_dinas"],
                               message="pemetaan desa dinas diisi pada baris desa adat, bukan banjar adat"))
    else:
        out.append(Finding(rule="tingkat", row=row, column="tingkat", value=r["tingkat"],
                           message="tingkat harus desa_adat atau banjar_adat"))
    return out


def _validate(rows: list[dict[str, Any]]) -> tuple[list[Finding], dict[str, Wilayah]]:
    codes = {c for r in rows for c in r["desa_list"]}
    desa_dinas = {w.kode: w for w in Wilayah.objects.filter(kode__in=codes, tingkat__in=[DESA, KELURAHAN])
                  .only("id", "kode")}
    desa_adat_known = {r["kode"] for r in rows if r["tingkat"] == DESA_ADAT}
    desa_adat_known |= set(WilayahAdat.objects.filter(tingkat=DESA_ADAT, kode__in={r["induk"] for r in rows})
                           .values_list("kode", flat=True))
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for r in rows:
        findings += _check_row(r, seen, desa_adat_known, desa_dinas)
        seen.setdefault(r["kode"], r["baris"])
    existing = dict(WilayahAdat.objects.filter(kode__in=seen).values_list("kode", "tingkat"))
    for r in rows:
        if existing.get(r["kode"], r["tingkat"]) != r["tingkat"]:
            findings.append(Finding(rule="tingkat_berubah", row=r["baris"], column="tingkat", value=r["tingkat"],
                                    message=f"kode ini sudah terdaftar sebagai {existing[r['kode']]}"))
    return findings, desa_dinas


@transaction.atomic
def wilayah_adat_load_csv(*, data: bytes | str | Path, sintetis: bool = False, pengguna=None) -> LoadSummary:
    """Load desa adat and banjar adat with their mapping to desa dinas; atomic, idempotent, audited."""
    rows, findings = _parse(read_text(data))
    desa_dinas: dict[str, Wilayah] = {}
    if not findings:
        findings, desa_dinas = _validate(rows)
    if findings:
        raise ValidationFailed(f"Berkas wilayah adat ditolak: {len(findings)} kesalahan.", findings)
    summary = LoadSummary()  # same counts as the administrative list's load
    existing = {w.kode: w for w in WilayahAdat.objects.filter(kode__in=[r["kode"] for r in rows])}
    for r in sorted(rows, key=lambda r: r["tingkat"] != DESA_ADAT):  # desa adat before their banjar
        induk = None
        if r["induk"]:
            induk = existing.get(r["induk"]) or WilayahAdat.objects.get(kode=r["induk"])
        obj, changed = _upsert(existing.get(r["kode"]), r, induk, sintetis)
        existing[r["kode"]] = obj
        if r["tingkat"] == DESA_ADAT and _map_desa(obj, [desa_dinas[c] for c in r["desa_list"]]):
            changed = changed or True  # a new row stays "baru"
        if changed == "baru":
            summary.dibuat += 1
        elif changed:
            summary.diubah += 1
        else:
            summary.tetap += 1
        summary.per_tingkat[r["tingkat"]] = summary.per_tingkat.get(r["tingkat"], 0) + 1
    audit_log(aksi=AKSI_MUAT_ADAT, pengguna=pengguna, sesudah=summary.as_dict(),
              keterangan=f"{len(rows)} baris wilayah adat")
    return summary


def _upsert(current: WilayahAdat | None, r: dict[str, Any], induk: WilayahAdat | None,
            sintetis: bool) -> tuple[WilayahAdat, str | bool]:
    values = {"nama": r["nama"], "tingkat": r["tingkat"], "induk": induk, "aktif": True}
    if current is None:
        return WilayahAdat.objects.create(kode=r["kode"], sintetis=sintetis, **values), "baru"
    if all(getattr(current, k) == v for k, v in values.items()):
        return current, False
    for k, v in values.items():
        setattr(current, k, v)
    current.save()
    return current, True


def _map_desa(desa_adat: WilayahAdat, desa: list[Wilayah]) -> bool:
    """Make the desa adat's mapping exactly the listed desa dinas; True when it changed."""
    wanted = {d.pk for d in desa}
    have = set(DesaAdatDesaDinas.objects.filter(desa_adat=desa_adat).values_list("desa_id", flat=True))
    if wanted == have:
        return False
    DesaAdatDesaDinas.objects.filter(desa_adat=desa_adat, desa_id__in=have - wanted).delete()
    DesaAdatDesaDinas.objects.bulk_create([DesaAdatDesaDinas(desa_adat=desa_adat, desa_id=i)
                                           for i in sorted(wanted - have)])
    return True

"""Writes to dashboard configuration: the standard YAML set and analyst edits (validate → change → audit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from presisi.accounts.access import user_profil
from presisi.accounts.models import ADMIN, ANALIS
from presisi.core.audit import audit_log
from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed
from presisi.core.i18n import terjemahan_dari_yaml
from presisi.dashboards.models import Dasbor, DasborIndikator
from presisi.indicators.models import Indikator

STANDARD_FILE = Path(__file__).resolve().parent / "standard" / "dasbor.yaml"
PERAN_PENGATUR = {ANALIS, ADMIN}
# Path segments used by the dashboards' own pages: never a dashboard code.
KODE_TERLARANG = {"profil", "atur", "unduh"}


@dataclass
class DasborLoadSummary:
    versi: str
    dasbor: int
    indikator: int
    dilewati: list[str] = field(default_factory=list)  # indicator codes not (yet) in the database
    dipertahankan: list[str] = field(default_factory=list)  # dashboards customised by an analyst, left alone

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _items(entry: dict[str, Any]) -> list[tuple[str, bool]]:
    out = []
    for item in entry.get("indikator") or []:
        if isinstance(item, str):
            out.append((item, False))
        else:
            out.append((str(item["kode"]), bool(item.get("utama", False))))
    return out


def _check_yaml(doc: dict[str, Any]) -> list[Finding]:
    findings = []
    seen: set[str] = set()
    for i, entry in enumerate(doc.get("dasbor") or [], start=1):
        kode = str(entry.get("kode") or "")
        if not kode or not entry.get("nama"):
            findings.append(Finding(rule="wajib", row=i, column="kode/nama", message="kode dan nama dasbor wajib"))
        if kode in seen or kode in KODE_TERLARANG:
            findings.append(Finding(rule="kode", row=i, column="kode", value=kode, message="kode ganda/terlarang"))
        seen.add(kode)
    return findings


@transaction.atomic
def dasbor_load(*, path: Path = STANDARD_FILE, reset: bool = False) -> DasborLoadSummary:
    """Create or refresh the standard dashboards from YAML.

    A dashboard an analyst has customised is kept as it is unless ``reset``; indicator codes
    missing from the database are skipped and reported (the set can be reloaded later).
    """
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    findings = _check_yaml(doc)
    if findings:
        raise ValidationFailed("Berkas dasbor ditolak.", findings)
    known = dict(Indikator.objects.values_list("kode", "id"))
    summary = DasborLoadSummary(versi=str(doc.get("versi", "")), dasbor=0, indikator=0)
    for urutan, entry in enumerate(doc.get("dasbor") or [], start=1):
        existing = Dasbor.objects.filter(kode=entry["kode"]).first()
        if existing is not None and existing.disesuaikan and not reset:
            summary.dipertahankan.append(existing.kode)
            continue
        dasbor, _ = Dasbor.objects.update_or_create(kode=entry["kode"], defaults={
            "nama": entry["nama"], "deskripsi": entry.get("deskripsi", ""), "urutan": urutan,
            "aktif": bool(entry.get("aktif", True)), "opsi": entry.get("opsi") or {}, "standar": True,
            "disesuaikan": False, "terjemahan": terjemahan_dari_yaml(entry)})
        dasbor.butir.all().delete()
        rows = []
        for pos, (kode, utama) in enumerate(_items(entry), start=1):
            if kode not in known:
                summary.dilewati.append(kode)
                continue
            rows.append(DasborIndikator(dasbor=dasbor, indikator_id=known[kode], urutan=pos, utama=utama))
        DasborIndikator.objects.bulk_create(rows, ignore_conflicts=True)
        summary.dasbor += 1
        summary.indikator += len(rows)
    summary.dilewati = sorted(set(summary.dilewati))
    return summary


def boleh_mengatur(user) -> bool:
    """Analysts and admins (and superusers) configure dashboards."""
    profil = user_profil(user)
    return bool(getattr(user, "is_superuser", False) or (profil and profil.peran in PERAN_PENGATUR))


def _snapshot(dasbor: Dasbor) -> dict[str, Any]:
    return {"kode": dasbor.kode, "nama": dasbor.nama, "deskripsi": dasbor.deskripsi, "urutan": dasbor.urutan,
            "aktif": dasbor.aktif,
            "indikator": [{"kode": b.indikator.kode, "urutan": b.urutan, "utama": b.utama}
                          for b in dasbor.butir.select_related("indikator").order_by("urutan", "id")]}


@transaction.atomic
def dasbor_atur(*, kode: str, pengguna, nama: str | None = None, deskripsi: str | None = None,
                urutan: int | None = None, aktif: bool | None = None,
                indikator: list[dict[str, Any]] | None = None) -> Dasbor:
    """Edit a dashboard (or create it when ``kode`` is new): fields, and the full ordered indicator list.

    ``indikator`` items are ``{"kode": ..., "urutan": int, "utama": bool}``; the list replaces the
    current one. Marks the dashboard as customised so a later standard reload keeps it.
    """
    if not boleh_mengatur(pengguna):
        raise PermissionDenied("Hanya analis atau admin yang dapat mengatur dasbor.")
    if not kode or kode in KODE_TERLARANG:
        raise ValidationFailed("Kode dasbor tidak sah.", [Finding(rule="kode", column="kode", value=kode,
                                                                   message="kode kosong atau terlarang")])
    dasbor = Dasbor.objects.filter(kode=kode).first()
    before = _snapshot(dasbor) if dasbor else None
    if dasbor is None:
        if not nama:
            raise ValidationFailed("Nama dasbor wajib diisi.", [Finding(rule="wajib", column="nama",
                                                                         message="nama wajib")])
        dasbor = Dasbor(kode=kode)
    for name, value in (("nama", nama), ("deskripsi", deskripsi), ("urutan", urutan), ("aktif", aktif)):
        if value is not None:
            if name in ("nama", "deskripsi") and value != getattr(dasbor, name):
                _lupakan_terjemahan(dasbor, name)
            setattr(dasbor, name, value)
    dasbor.disesuaikan = True
    dasbor.save()
    if indikator is not None:
        _replace_items(dasbor, indikator)
    audit_log(aksi="dasbor.diatur", objek=dasbor, pengguna=pengguna, sebelum=before, sesudah=_snapshot(dasbor))
    return dasbor


def _lupakan_terjemahan(dasbor: Dasbor, field: str) -> None:
    """A renamed dashboard drops the English of the old text (shown in Indonesian until translated again)."""
    dasbor.terjemahan = {lang: {k: v for k, v in texts.items() if k != field}
                         for lang, texts in (dasbor.terjemahan or {}).items() if isinstance(texts, dict)}


def _replace_items(dasbor: Dasbor, items: list[dict[str, Any]]) -> None:
    codes = [str(i["kode"]) for i in items]
    known = dict(Indikator.objects.filter(kode__in=codes).values_list("kode", "id"))
    findings = [Finding(rule="tidak_ada", column="indikator", value=c, message="indikator tidak dikenal")
                for c in codes if c not in known]
    if len(set(codes)) != len(codes):
        findings.append(Finding(rule="ganda", column="indikator", message="indikator tercantum dua kali"))
    if findings:
        raise ValidationFailed("Daftar indikator dasbor ditolak.", findings)
    dasbor.butir.all().delete()
    DasborIndikator.objects.bulk_create([
        DasborIndikator(dasbor=dasbor, indikator_id=known[str(i["kode"])], urutan=int(i.get("urutan") or pos),
                        utama=bool(i.get("utama")))
        for pos, i in enumerate(items, start=1)
    ])


@transaction.atomic
def dasbor_tambah_indikator(*, kode: str, indikator: str, pengguna, utama: bool = False) -> DasborIndikator:
    """Append one indicator to a dashboard (the small 'add' form of the settings page)."""
    dasbor = Dasbor.objects.filter(kode=kode).first()
    if dasbor is None:
        raise ValidationFailed("Dasbor tidak ditemukan.", [Finding(rule="tidak_ada", column="dasbor", value=kode,
                                                                    message="dasbor tidak ada")])
    items = [{"kode": b.indikator.kode, "urutan": b.urutan, "utama": b.utama}
             for b in dasbor.butir.select_related("indikator").order_by("urutan", "id")]
    items.append({"kode": indikator, "urutan": max((i["urutan"] for i in items), default=0) + 1, "utama": utama})
    dasbor_atur(kode=kode, pengguna=pengguna, indikator=items)
    return dasbor.butir.get(indikator__kode=indikator)

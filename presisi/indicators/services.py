"""Writes to indicator definitions: the standard YAML set and steward/analyst edits, checked first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import connection, transaction

from presisi.accounts.access import user_profil
from presisi.accounts.models import ADMIN, ANALIS, WALIDATA
from presisi.core.audit import audit_log, model_snapshot
from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed, VersiBasi
from presisi.core.i18n import terjemahan_dari_yaml
from presisi.dictionary.models import Sektor
from presisi.indicators.catalog import AnalyticsCatalog, build_catalog
from presisi.indicators.expressions import ExpressionError, compile_expression, variables_used
from presisi.indicators.models import Indikator, Parameter
from presisi.indicators.selectors import indikator_sidik

STANDARD_DIR = Path(__file__).resolve().parent / "standard"
TEXT_FIELDS = ("nama", "tema", "unit", "satuan", "arah", "konsep", "definisi", "interpretasi", "metode", "ukuran",
               "klasifikasi_penyajian", "kegiatan", "level_estimasi", "referensi")


@dataclass
class IndikatorLoadSummary:
    versi: str
    parameter: int
    indikator: int

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def check_definition(data: dict[str, Any], catalog: AnalyticsCatalog, *, known: set[str]) -> tuple[dict, list[Finding]]:
    """Validate one indicator definition; returns derived fields (constants, variables used) and findings."""
    kode = data.get("kode", "")
    findings: list[Finding] = []
    extra: dict[str, Any] = {}
    if data.get("jenis") == Indikator.EKSTERNAL:
        # values come from another app (indicators.eksternal); the definition carries no expression
        return {"variabel_pembangun": data.get("variabel_pembangun") or {}}, findings
    if data.get("jenis", Indikator.RASIO) == Indikator.KOMPOSIT:
        for comp in data.get("komponen") or []:
            if comp.get("indikator") not in known:
                findings.append(Finding(rule="komponen", column="komponen", value=comp.get("indikator"),
                                        message=f"indikator komponen tidak dikenal (indikator {kode})"))
        if not data.get("komponen"):
            findings.append(Finding(rule="komponen", column="komponen", message=f"komposit {kode} tanpa komponen"))
        return extra, findings
    used: dict[str, set[str]] = {}
    for side in ("pembilang", "penyebut"):
        text = data.get(side) or ""
        try:
            compiled = compile_expression(text, default_unit=data.get("unit", ""), catalog=catalog,
                                          dialect=connection.vendor)
        except ExpressionError as exc:
            findings.append(Finding(rule="ekspresi", column=side, value=text, message=f"{kode}: {exc}"))
            continue
        extra[f"konstanta_{side}"] = float(compiled.constant)
        for unit, names in variables_used(compiled).items():
            used.setdefault(unit, set()).update(names)
    extra["variabel_pembangun"] = {u: sorted(v) for u, v in used.items()}
    return extra, findings


def _defaults(data: dict[str, Any], doc: dict[str, Any], extra: dict[str, Any], sektor: dict[str, Sektor]) -> dict:
    defaults = {f: data.get(f, "") or "" for f in TEXT_FIELDS}
    defaults.update(
        tema=data.get("tema") or doc.get("tema", ""),
        jenis=data.get("jenis", Indikator.RASIO),
        pembilang=data.get("pembilang", ""), penyebut=data.get("penyebut", ""),
        skala=float(data.get("skala", 100)), desimal=int(data.get("desimal", 1)),
        akses_publik=bool(data.get("akses_publik", True)), disagregasi=data.get("disagregasi") or [],
        komponen=data.get("komponen") or [], dimensi=data.get("dimensi") or {}, kelas=data.get("kelas") or [],
        sdgs_desa=data.get("sdgs_desa"), walidata=sektor.get(data.get("walidata") or doc.get("walidata")),
        level_estimasi=data.get("level_estimasi") or "banjar",
        konstanta_pembilang=extra.get("konstanta_pembilang", 0.0),
        konstanta_penyebut=extra.get("konstanta_penyebut", float(data.get("konstanta_penyebut") or 0.0)),
        variabel_pembangun=extra.get("variabel_pembangun", {}),
    )
    return defaults


def _terjemahan_indikator(item: dict[str, Any], doc: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The entry's ``en:`` texts plus its theme's English name (``en: {nama_tema: ..}`` of the file)."""
    hasil = terjemahan_dari_yaml(item)
    for lang, texts in terjemahan_dari_yaml(doc).items():
        if texts.get("nama_tema"):
            hasil.setdefault(lang, {})["nama_tema"] = texts["nama_tema"]
    return hasil


@transaction.atomic
def indikator_load(*, directory: Path = STANDARD_DIR) -> IndikatorLoadSummary:
    """Load parameters and the standard indicator set; any invalid definition rejects the whole set."""
    params = yaml.safe_load((directory / "parameter.yaml").read_text(encoding="utf-8")) or {}
    for p in params.get("parameter", []):
        Parameter.objects.update_or_create(
            kode=p["kode"], berlaku_dari=dt.date.fromisoformat(str(p["berlaku_dari"])),
            defaults={"nama": p["nama"], "nilai": float(p["nilai"]), "satuan": p.get("satuan", ""),
                      "dasar": p.get("dasar", ""), "terjemahan": terjemahan_dari_yaml(p)},
        )
    docs = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in sorted((directory / "indikator").glob("*.yaml"))]
    catalog = build_catalog()
    entries = [(doc, item) for doc in docs for item in doc.get("indikator", [])]
    known = {item["kode"] for _, item in entries}
    findings, prepared = [], []
    for doc, item in entries:
        extra, problems = check_definition({**item, "unit": item.get("unit", "")}, catalog, known=known)
        findings += problems
        prepared.append((doc, item, extra))
    if findings:
        raise ValidationFailed(f"Set indikator standar ditolak: {len(findings)} kesalahan.", findings)
    sektor = {s.kode: s for s in Sektor.objects.all()}
    versi = str(docs[0].get("versi", "")) if docs else ""
    for doc, item, extra in prepared:
        defaults = _defaults(item, doc, extra, sektor)
        defaults["terjemahan"] = _terjemahan_indikator(item, doc)
        Indikator.objects.update_or_create(kode=item["kode"], defaults={**defaults, "standar": True, "aktif": True,
                                                                          "versi": str(doc.get("versi", versi))})
    return IndikatorLoadSummary(versi=versi, parameter=len(params.get("parameter", [])), indikator=len(prepared))


PERAN_PENYUNTING = {WALIDATA, ANALIS, ADMIN}


def _terjemahan_simpan(instance: Indikator | None, diberikan: Any, defaults: dict[str, Any]) -> dict:
    """English texts after an edit: the ones sent with it, else the current ones minus those whose
    Indonesian text changed (an outdated translation would say something else; Indonesian shows instead)."""
    if isinstance(diberikan, dict):
        return {lang: {str(k): str(v) for k, v in texts.items() if v} for lang, texts in diberikan.items()
                if isinstance(texts, dict)}
    if instance is None:
        return {}
    return {lang: {f: t for f, t in texts.items() if f not in defaults or defaults[f] == getattr(instance, f, None)}
            for lang, texts in (instance.terjemahan or {}).items() if isinstance(texts, dict)}


@transaction.atomic
def indikator_simpan(*, data: dict[str, Any], pengguna, kode: str | None = None,
                     sidik: Collection[str] | None = None) -> Indikator:
    """Create or edit an indicator from the UI/API; expressions are checked against the dictionary first.

    ``sidik``: the content hashes (``selectors.indikator_sidik``) the editor read; when given, an
    indicator changed since is refused with ``VersiBasi`` (checked under the row lock)."""
    profil = user_profil(pengguna)
    if not (getattr(pengguna, "is_superuser", False) or (profil and profil.peran in PERAN_PENYUNTING)):
        raise PermissionDenied("Hanya walidata, analis atau admin yang dapat menyunting indikator.")
    instance = Indikator.objects.select_for_update().filter(kode=kode).first() if kode else None
    if kode and instance is None:
        raise ValidationFailed("Indikator tidak ditemukan.", [Finding(rule="tidak_ada", column="kode", value=kode,
                                                                       message="indikator tidak ada")])
    if instance is not None and sidik is not None and indikator_sidik(instance) not in sidik:
        raise VersiBasi(f"Indikator {instance.kode} sudah diubah pengguna lain sejak Anda membacanya. Tidak ada "
                        "yang disimpan: baca ulang indikator ini, lalu ulangi perubahan Anda bila masih perlu.",
                        extra={"sidik_sekarang": indikator_sidik(instance)})
    current = model_snapshot(instance) if instance else {}
    if instance is not None:
        current["walidata"] = instance.walidata.kode if instance.walidata else None
    diberikan = data.get("terjemahan")
    data = {**current, **data}
    if not data.get("kode") or not data.get("nama"):
        raise ValidationFailed("Kode dan nama indikator wajib diisi.", [
            Finding(rule="wajib", column="kode/nama", message="kode dan nama wajib diisi")])
    known = set(Indikator.objects.values_list("kode", flat=True)) | {data["kode"]}
    extra, findings = check_definition(data, build_catalog(), known=known)
    if findings:
        raise ValidationFailed("Definisi indikator ditolak.", findings)
    sektor = {s.kode: s for s in Sektor.objects.all()}
    defaults = _defaults(data, {}, extra, sektor)
    defaults["terjemahan"] = _terjemahan_simpan(instance, diberikan, defaults)
    before = model_snapshot(instance) if instance else None
    obj, _ = Indikator.objects.update_or_create(kode=data["kode"], defaults={**defaults, "aktif": True,
                                                                              "dibuat_oleh": pengguna})
    audit_log(aksi="indikator.disimpan", objek=obj, pengguna=pengguna, sebelum=before, sesudah=model_snapshot(obj))
    return obj

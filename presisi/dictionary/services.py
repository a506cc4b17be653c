"""Writes to the data dictionary: loading the standard (or a regency's own) YAML files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from presisi.core.exceptions import Finding, ValidationFailed
from presisi.core.i18n import terjemahan_dari_yaml
from presisi.dictionary.models import (
    ATRIBUT,
    SISTEM_RUJUKAN_REGISTRI,
    TIPE_CHOICES,
    UNIT_CHOICES,
    Klasifikasi,
    KlasifikasiItem,
    Sektor,
    Variabel,
)

STANDARD_DIR = Path(__file__).resolve().parent / "standard"
_UNITS = {u for u, _ in UNIT_CHOICES}
_TYPES = {t for t, _ in TIPE_CHOICES}
_VAR_FIELDS = (
    "nama", "alias", "konsep", "definisi", "referensi_pemilihan", "referensi_waktu", "ukuran", "satuan",
    "kalimat_pertanyaan",
)


@dataclass
class KamusLoadSummary:
    versi: str
    sektor: int
    klasifikasi: int
    item: int
    variabel: int

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def _check_documents(klas_doc: dict, var_docs: list[tuple[Path, dict]]) -> list[Finding]:
    findings: list[Finding] = []
    klas_codes = {k["kode"] for k in klas_doc.get("klasifikasi", [])}
    seen: dict[str, str] = {}
    for path, doc in var_docs:
        for i, var in enumerate(doc.get("variabel", []), start=1):
            kode = var.get("kode", "")
            where = {"row": i, "value": kode}
            if kode in seen:
                findings.append(Finding(rule="variabel_ganda", column=path.name, message=f"kode juga di {seen[kode]}",
                                        **where))
            seen[kode] = path.name
            if var.get("unit") not in _UNITS:
                findings.append(Finding(rule="unit", column=path.name,
                                        message=f"unit '{var.get('unit')}' tidak dikenal",
                                        **where))
            if var.get("tipe") not in _TYPES:
                findings.append(Finding(rule="tipe", column=path.name,
                                        message=f"tipe '{var.get('tipe')}' tidak dikenal",
                                        **where))
            if (var.get("tipe") == "kode") != bool(var.get("klasifikasi")):
                findings.append(Finding(rule="klasifikasi", column=path.name,
                                        message="tipe kode wajib punya klasifikasi (dan hanya tipe kode)", **where))
            elif var.get("klasifikasi") and var["klasifikasi"] not in klas_codes:
                findings.append(Finding(rule="klasifikasi", column=path.name,
                                        message=f"klasifikasi '{var['klasifikasi']}' tidak ada", **where))
    return findings


@transaction.atomic
def kamus_load(*, directory: Path = STANDARD_DIR) -> KamusLoadSummary:
    """Load sektor, klasifikasi and variabel YAML files from ``directory`` (idempotent).

    A code list is versioned: loading a new ``versi`` adds a new Klasifikasi row and points
    the variables at it; the old version stays for the periods that used it.
    """
    sektor_doc = _read_yaml(directory / "sektor.yaml")
    klas_doc = _read_yaml(directory / "klasifikasi.yaml")
    var_docs = [(p, _read_yaml(p)) for p in sorted((directory / "variabel").glob("*.yaml"))]
    findings = _check_documents(klas_doc, var_docs)
    if findings:
        raise ValidationFailed(f"Kamus data ditolak: {len(findings)} kesalahan.", findings)

    sektor = {}
    for s in sektor_doc.get("sektor", []):
        obj, _ = Sektor.objects.update_or_create(kode=s["kode"], defaults={"nama": s["nama"], "opd": s.get("opd", ""),
                                                                         "terjemahan": terjemahan_dari_yaml(s)})
        sektor[obj.kode] = obj

    klas_versi = str(klas_doc.get("versi", "1"))
    klasifikasi, n_items = {}, 0
    for k in klas_doc.get("klasifikasi", []):
        obj, _ = Klasifikasi.objects.update_or_create(
            kode=k["kode"], versi=klas_versi,
            defaults={"nama": k["nama"], "sumber": k.get("sumber", ""), "keterangan": k.get("keterangan", ""),
                      "aktif": True, "terjemahan": terjemahan_dari_yaml(k)},
        )
        Klasifikasi.objects.filter(kode=k["kode"]).exclude(pk=obj.pk).update(aktif=False)
        wanted = {int(it["kode"]): it for it in k.get("item", [])}
        obj.item.exclude(kode__in=wanted).delete()
        for order, (code, it) in enumerate(wanted.items()):
            KlasifikasiItem.objects.update_or_create(
                klasifikasi=obj, kode=code,
                defaults={"label": it["label"], "keterangan": it.get("keterangan", ""), "urutan": order,
                          "terjemahan": terjemahan_dari_yaml(it)},
            )
            n_items += 1
        klasifikasi[obj.kode] = obj

    n_var = 0
    for order_base, (_path, doc) in enumerate(var_docs):
        for order, v in enumerate(doc.get("variabel", [])):
            walidata = sektor.get(v.get("walidata") or doc.get("walidata"))
            defaults = {f: v.get(f, "") or "" for f in _VAR_FIELDS}
            defaults.update(
                domain=doc.get("domain", ""),
                unit=v["unit"],
                tipe=v["tipe"],
                klasifikasi=klasifikasi.get(v.get("klasifikasi")),
                penyimpanan=v.get("penyimpanan", ATRIBUT),
                walidata=walidata,
                kegiatan=v.get("kegiatan") or doc.get("kegiatan", ""),
                aturan_validasi=v.get("aturan_validasi") or {},
                akses_publik=bool(v.get("akses_publik", True)),
                data_pribadi_spesifik=bool(v.get("data_pribadi_spesifik", False)),
                versi=str(doc.get("versi", klas_versi)),
                sistem_rujukan=v.get("sistem_rujukan") or SISTEM_RUJUKAN_REGISTRI,
                aktif=True,
                urutan=order_base * 1000 + order,
                terjemahan=terjemahan_dari_yaml(v),
            )
            Variabel.objects.update_or_create(kode=v["kode"], defaults=defaults)
            n_var += 1
    from presisi.dictionary.validation import clear_cache

    transaction.on_commit(clear_cache)
    clear_cache()
    return KamusLoadSummary(versi=klas_versi, sektor=len(sektor), klasifikasi=len(klasifikasi), item=n_items,
                            variabel=n_var)

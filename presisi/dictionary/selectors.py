"""Reads of the dictionary: a machine-readable document, and the XLSX for humans."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from presisi.core.exports import LembarXlsx
from presisi.core.i18n import teks
from presisi.dictionary.models import Klasifikasi, Sektor, Variabel

VARIABLE_COLUMNS = [
    ("kode", "Kode"), ("nama", "Nama"), ("alias", "Alias"), ("domain", "Domain"), ("unit", "Unit observasi"),
    ("tipe", "Tipe data"), ("klasifikasi", "Klasifikasi isian"), ("penyimpanan", "Penyimpanan"),
    ("walidata", "Walidata"), ("kegiatan", "Kegiatan penghasil"), ("konsep", "Konsep"), ("definisi", "Definisi"),
    ("referensi_pemilihan", "Referensi pemilihan"), ("referensi_waktu", "Referensi waktu"), ("ukuran", "Ukuran"),
    ("satuan", "Satuan"), ("aturan_validasi", "Aturan validasi"), ("kalimat_pertanyaan", "Kalimat pertanyaan"),
    ("akses_publik", "Akses publik"), ("data_pribadi_spesifik", "Data pribadi spesifik (UU PDP)"),
    ("versi", "Versi"),
]


def variabel_dict(v: Variabel) -> dict[str, Any]:
    return {
        "kode": v.kode, "nama": v.nama, "alias": v.alias, "domain": v.domain, "unit": v.unit, "tipe": v.tipe,
        "klasifikasi": v.klasifikasi.kode if v.klasifikasi else None,
        "klasifikasi_versi": v.klasifikasi.versi if v.klasifikasi else None,
        "penyimpanan": v.penyimpanan, "walidata": v.walidata.kode if v.walidata else None,
        "kegiatan": v.kegiatan, "konsep": v.konsep, "definisi": v.definisi,
        "referensi_pemilihan": v.referensi_pemilihan, "referensi_waktu": v.referensi_waktu, "ukuran": v.ukuran,
        "satuan": v.satuan, "aturan_validasi": v.aturan_validasi, "kalimat_pertanyaan": v.kalimat_pertanyaan,
        "akses_publik": v.akses_publik, "data_pribadi_spesifik": v.data_pribadi_spesifik, "versi": v.versi,
    }


# Variable texts that have English beside Indonesian (the ``en:`` of the standard YAML).
VARIABEL_TEKS = ("nama", "alias", "konsep", "definisi", "referensi_pemilihan", "referensi_waktu", "ukuran", "satuan",
                 "kalimat_pertanyaan")


def variabel_tampil(v: Variabel) -> dict[str, Any]:
    """``variabel_dict`` as the reader reads it (API: Accept-Language): texts in the active language,
    Indonesian where there is no translation. Codes and rules never change with the language."""
    row = variabel_dict(v)
    for field in VARIABEL_TEKS:
        row[field] = teks(v, field)
    return row


def variabel_list(*, unit: str | None = None, domain: str | None = None) -> list[Variabel]:
    qs = Variabel.objects.filter(aktif=True).select_related("klasifikasi", "walidata")
    if unit:
        qs = qs.filter(unit=unit)
    if domain:
        qs = qs.filter(domain=domain)
    return list(qs)


def klasifikasi_list(*, aktif_saja: bool = True, tampil: bool = False) -> list[dict[str, Any]]:
    """Code lists with their items; ``tampil``: names and labels in the active language (the API)."""
    qs = Klasifikasi.objects.prefetch_related("item")
    if aktif_saja:
        qs = qs.filter(aktif=True)

    def _t(obj, field: str) -> str:
        return teks(obj, field) if tampil else getattr(obj, field)

    return [
        {"kode": k.kode, "versi": k.versi, "nama": _t(k, "nama"), "sumber": k.sumber, "keterangan": _t(k, "keterangan"),
         "item": [{"kode": i.kode, "label": _t(i, "label")} for i in k.item.all()]}
        for k in qs
    ]


def kamus_document() -> dict[str, Any]:
    """The whole active dictionary as one JSON-ready document."""
    return {
        "sektor": list(Sektor.objects.values("kode", "nama", "opd")),
        "klasifikasi": klasifikasi_list(),
        "variabel": [variabel_dict(v) for v in variabel_list()],
    }


def kamus_xlsx() -> bytes:
    """The dictionary as a workbook: one sheet of variables, one of code lists, one of sectors."""
    doc = kamus_document()
    wb = Workbook()
    ws = wb.active
    ws.title = "Variabel"
    variabel = LembarXlsx(ws, [label for _, label in VARIABLE_COLUMNS])
    for v in doc["variabel"]:
        variabel.tambah([_cell(v[key]) for key, _ in VARIABLE_COLUMNS])
    variabel.tutup()
    klasifikasi = LembarXlsx(wb.create_sheet("Klasifikasi"), ["Kode klasifikasi", "Versi", "Nama", "Kode", "Label",
                                                               "Sumber"])
    for k in doc["klasifikasi"]:
        for item in k["item"]:
            klasifikasi.tambah([k["kode"], k["versi"], k["nama"], item["kode"], item["label"], k["sumber"]])
    klasifikasi.tutup()
    sektor = LembarXlsx(wb.create_sheet("Sektor"), ["Kode", "Nama", "Perangkat daerah"])
    for s in doc["sektor"]:
        sektor.tambah([s["kode"], s["nama"], s["opd"]])
    sektor.tutup()
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    return value

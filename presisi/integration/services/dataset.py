"""The sector dataset catalogue: create, update, deactivate a ``DatasetSektor``.

Each write: scope check (walidata of the dataset's sector, admin) → validate → change → audit, in
one transaction. Metadata follows Satu Data Indonesia's MS-Keg (activity metadata): judul kegiatan,
tahun, cara pengumpulan, cakupan wilayah, frekuensi, classification versions.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from presisi.core.audit import audit_log, model_snapshot
from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed
from presisi.dictionary.models import UNIT_CHOICES, Sektor
from presisi.integration import selectors as sel
from presisi.integration.models import JADWAL_CHOICES, JENIS_DATASET_CHOICES, DatasetSektor

AKSI_DATASET_BUAT = "integration.dataset.dibuat"
AKSI_DATASET_UBAH = "integration.dataset.diubah"
AKSI_DATASET_NONAKTIF = "integration.dataset.dinonaktifkan"

# MS-Keg fields kept in ``metadata`` (other keys are refused, so a typo is not silently stored)
METADATA_KEG = ("judul_kegiatan", "tahun", "cara_pengumpulan", "cakupan_wilayah", "frekuensi", "klasifikasi",
                "penanggung_jawab", "kontak", "catatan")
CARA_PENGUMPULAN = ("sensus", "survei", "kompilasi_produk_administrasi", "cara_lain")
# words of the /sektor/… pages that a dataset code would shadow
# Words the pages under /sektor/ use as fixed prefixes (presisi/integration/urls.py).
KODE_TERPAKAI = frozenset({"baru", "pengiriman", "konektor", "tinjau", "ganda", "selisih", "sasaran", "peta"})
FIELD_UBAH = ("nama", "produsen", "unit", "jenis", "jadwal", "deskripsi", "metadata", "pemetaan_kolom", "program",
              "aktif", "walidata")
_PERSON_FIELDS = ("nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa", "nama_desa", "alamat",
                  "nama_ayah", "nama_ibu")


def _f(column: str, value: Any, message: str, rule: str = "dataset") -> Finding:
    return Finding(rule=rule, column=column, value=value if isinstance(value, str | int | float) else str(value),
                   message=message)


def _metadata(value: Any) -> tuple[dict[str, Any], list[Finding]]:
    if value in (None, ""):
        return {}, []
    if not isinstance(value, dict):
        return {}, [_f("metadata", type(value).__name__, "metadata harus objek {\"kunci\": nilai}")]
    findings = []
    unknown = sorted(set(value) - set(METADATA_KEG))
    if unknown:
        findings.append(_f("metadata", ", ".join(unknown)[:100],
                           f"kunci metadata tidak dikenal; gunakan: {', '.join(METADATA_KEG)}"))
    tahun = value.get("tahun")
    if tahun not in (None, "") and not (str(tahun).isdigit() and 1945 <= int(str(tahun)) <= 2100):
        findings.append(_f("metadata.tahun", tahun, "tahun harus angka 4 digit (1945–2100)"))
    cara = value.get("cara_pengumpulan")
    if cara not in (None, "") and cara not in CARA_PENGUMPULAN:
        findings.append(_f("metadata.cara_pengumpulan", cara, f"pilih salah satu: {', '.join(CARA_PENGUMPULAN)}"))
    klas = value.get("klasifikasi")
    if klas not in (None, "") and not (isinstance(klas, dict) and all(isinstance(v, str | int) for v in klas.values())):
        findings.append(_f("metadata.klasifikasi", str(klas)[:100],
                           "klasifikasi harus objek {\"nama klasifikasi\": \"versi\"}"))
    return ({k: v for k, v in value.items() if v not in (None, "")}, findings)


def _pemetaan(value: Any) -> tuple[dict[str, str], list[Finding]]:
    if value in (None, ""):
        return {}, []
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return {}, [_f("pemetaan_kolom", str(value)[:100], "pemetaan kolom harus objek {\"kolom sumber\": \"field\"}")]
    from presisi.dictionary.models import Variabel

    findings = []
    targets = {v.strip() for v in value.values() if v.strip()}
    known = set(Variabel.objects.filter(kode__in=targets).values_list("kode", flat=True)) | set(_PERSON_FIELDS)
    for source, target in value.items():
        if target.strip() and target.strip() not in known:
            findings.append(_f(f"pemetaan_kolom.{source}"[:100], target, "bukan field daftar orang (nik, no_kk, nama, "
                               "…) dan bukan kode variabel kamus data", "pemetaan_kolom"))
    return {k.strip(): v.strip() for k, v in value.items() if k.strip() and v.strip()}, findings


def _choice(data: dict[str, Any], key: str, choices: list[tuple[str, str]], findings: list[Finding]) -> None:
    if key in data and data[key] not in dict(choices):
        findings.append(_f(key, data[key], f"pilih salah satu: {', '.join(dict(choices))}"))


def _walidata(value: Any, findings: list[Finding]):
    from django.contrib.auth import get_user_model

    if value in (None, ""):
        return None
    if hasattr(value, "pk"):
        return value
    user = get_user_model().objects.filter(username=str(value)).first()
    if user is None:
        findings.append(_f("walidata", str(value), "pengguna tidak dikenal"))
    return user


def _bersihkan(data: dict[str, Any]) -> tuple[dict[str, Any], list[Finding]]:
    findings: list[Finding] = []
    clean: dict[str, Any] = {}
    for key in FIELD_UBAH:
        if key in data:
            clean[key] = data[key]
    for key in ("nama", "produsen", "deskripsi", "program"):
        if key in clean:
            clean[key] = str(clean[key] or "").strip()
    if "nama" in clean and not clean["nama"]:
        findings.append(_f("nama", "", "nama dataset wajib diisi"))
    if len(clean.get("nama", "")) > 200:
        findings.append(_f("nama", clean["nama"], "paling banyak 200 karakter"))
    if "program" in clean and clean["program"] and clean["program"] != slugify(clean["program"]).replace("-", "_"):
        findings.append(_f("program", clean["program"], "kode program huruf kecil, angka dan _ (mis. pkh, blt_dd)"))
    _choice(clean, "unit", UNIT_CHOICES, findings)
    _choice(clean, "jenis", JENIS_DATASET_CHOICES, findings)
    _choice(clean, "jadwal", JADWAL_CHOICES, findings)
    if "metadata" in clean:
        clean["metadata"], more = _metadata(clean["metadata"])
        findings += more
    if "pemetaan_kolom" in clean:
        clean["pemetaan_kolom"], more = _pemetaan(clean["pemetaan_kolom"])
        findings += more
    if "aktif" in clean:
        clean["aktif"] = clean["aktif"] in (True, "true", "1", 1, "on")
    if "walidata" in clean:
        clean["walidata"] = _walidata(clean["walidata"], findings)
    return clean, findings


@transaction.atomic
def dataset_buat(*, oleh, kode: str, sektor: str, data: dict[str, Any]) -> DatasetSektor:
    """A new catalogue entry. ``data``: nama, unit, jenis, jadwal, produsen, deskripsi, metadata,
    pemetaan_kolom, program, walidata (username)."""
    # oleh None: the server itself (``presisi sektor dataset tambah`` run by the operator of the server)
    if oleh is not None and not sel.boleh_kelola_peran(oleh):
        raise PermissionDenied("Hanya walidata sektor dan admin yang membuat dataset sektoral.")
    findings: list[Finding] = []
    kode = str(kode or "").strip()
    if not kode or slugify(kode) != kode or len(kode) > 60 or kode in KODE_TERPAKAI:
        findings.append(_f("kode", kode, "kode dataset: huruf kecil, angka dan tanda -, paling banyak 60 karakter "
                           "(mis. dinsos-pkh)"))
    elif DatasetSektor.objects.filter(kode=kode).exists():
        findings.append(_f("kode", kode, "kode dataset sudah dipakai", "kode_ganda"))
    sektor_obj = Sektor.objects.filter(kode=str(sektor or "").strip()).first()
    if sektor_obj is None:
        findings.append(_f("sektor", str(sektor or ""), "sektor tidak dikenal"))
    elif oleh is not None and not sel.sektor_kelola(oleh).filter(pk=sektor_obj.pk).exists():
        raise PermissionDenied("Anda hanya dapat membuat dataset untuk sektor yang Anda ampu.")
    clean, more = _bersihkan({"jenis": "mikro", "jadwal": "tahunan", **data})
    findings += more
    if not clean.get("nama"):
        findings.append(_f("nama", "", "nama dataset wajib diisi"))
    if not clean.get("unit"):
        findings.append(_f("unit", "", f"unit observasi wajib diisi ({', '.join(dict(UNIT_CHOICES))})"))
    if findings:
        raise ValidationFailed("Dataset tidak dapat dibuat.", _unique(findings))
    dataset = DatasetSektor.objects.create(kode=kode, sektor=sektor_obj, dibuat_oleh=_user(oleh), **clean)
    audit_log(aksi=AKSI_DATASET_BUAT, objek=dataset, pengguna=oleh, sesudah=model_snapshot(dataset))
    return dataset


@transaction.atomic
def dataset_ubah(*, oleh, dataset: DatasetSektor, data: dict[str, Any]) -> DatasetSektor:
    """Change catalogue fields (only those given). The sector and code never change."""
    dataset = DatasetSektor.objects.select_for_update().get(pk=dataset.pk)
    if oleh is not None and not sel.boleh_kelola(oleh, dataset):
        raise PermissionDenied("Anda tidak mengelola dataset ini.")
    clean, findings = _bersihkan(data)
    if findings:
        raise ValidationFailed("Dataset tidak dapat diubah.", _unique(findings))
    before = model_snapshot(dataset)
    for key, value in clean.items():
        setattr(dataset, key, value)
    dataset.save()
    after = model_snapshot(dataset)
    aksi = AKSI_DATASET_NONAKTIF if before["aktif"] and not after["aktif"] else AKSI_DATASET_UBAH
    audit_log(aksi=aksi, objek=dataset, pengguna=oleh, sebelum=before, sesudah=after)
    return dataset


def dataset_nonaktifkan(*, oleh, dataset: DatasetSektor) -> DatasetSektor:
    """Deactivate (never delete: deliveries keep pointing at it)."""
    return dataset_ubah(oleh=oleh, dataset=dataset, data={"aktif": False})


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))

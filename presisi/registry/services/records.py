"""Creating and correcting registry records (forms, API, CLI all come through here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.db import models, transaction

from presisi.core.audit import audit_log, model_snapshot
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.core.pdp import mask_nik
from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.dictionary.validation import validate_record
from presisi.periods.locking import pastikan_dapat_diubah
from presisi.regions.codes import BANJAR
from presisi.regions.known import kode_wilayah
from presisi.regions.models import Wilayah
from presisi.registry.identifiers import errors_only, is_temporary, kk_findings, nik_findings
from presisi.registry.identitas import (
    IDENTITY_FIELDS,
    KOLOM_ALASAN,
    KOLOM_KOREKSI,
    KOREKSI_IDENTITAS,
    Terdaftar,
    beda_identitas,
    koreksi_dinyatakan,
    pesan_orang_lain,
)
from presisi.registry.models import HIDUP, KEPALA_KELUARGA, Bangunan, Individu, Keluarga, RumahTangga
from presisi.registry.services.adat import banjar_adat_dari_kode
from presisi.registry.services.nomor import kunci_desa_nomor, no_kk_sementara_berikut
from presisi.registry.services.versi import kunci_versi

ANGGOTA_RUMAH_TANGGA = 2  # klasifikasi hubungan_rumah_tangga: 1 kepala, 2 anggota


def get_banjar(kode: str) -> Wilayah:
    """The banjar a new record goes into; refuses when its desa's approved data is locked."""
    try:
        banjar = Wilayah.objects.select_related("induk").get(kode=kode, tingkat=BANJAR)
        pastikan_dapat_diubah(desa=banjar.induk)
        return banjar
    except Wilayah.DoesNotExist as exc:
        raise ValidationFailed("Banjar tidak ditemukan.", [
            Finding(rule="banjar_tidak_dikenal", column="banjar", value=kode, message="kode banjar tidak ada")
        ]) from exc


def _split(model: type[models.Model], clean: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Separate core-column values from dictionary attributes by the model's own fields."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    columns = {
        # the dictionary keeps dates as ISO text (JSON-safe); a date column wants a date
        k: dt.date.fromisoformat(v) if isinstance(fields[k], models.DateField) and isinstance(v, str) else v
        for k, v in clean.items() if k in fields
    }
    names = fields.keys()
    atribut = {k: v for k, v in clean.items() if k not in names}
    return columns, atribut


def _length_findings(model: type[models.Model], clean: dict[str, Any]) -> list[Finding]:
    """Text longer than its column would fail on PostgreSQL: refuse it as a finding instead."""
    out = []
    for f in model._meta.concrete_fields:
        value = clean.get(f.name)
        if isinstance(value, str) and f.max_length and len(value) > f.max_length:
            out.append(Finding(rule="panjang", column=f.name, value=value[:40] + "…",
                               message=f"maksimal {f.max_length} karakter"))
    return out


def _raise_if_errors(findings: list[Finding], what: str) -> None:
    errors = errors_only(findings)
    if errors:
        raise ValidationFailed(f"Data {what} ditolak: {len(errors)} kesalahan.", errors)


def _kecamatan_codes() -> set[str]:
    return {k.replace(".", "") for k in Wilayah.objects.kecamatan().values_list("kode", flat=True)}


@transaction.atomic
def keluarga_create(*, no_kk: str, banjar_kode: str, alamat: str = "", atribut: dict | None = None,
                    pengguna=None, banjar_adat_kode: str = "") -> Keluarga:
    """A new family card; without a No. KK (not issued yet) the desa's next temporary number."""
    banjar = get_banjar(banjar_kode)
    if not (no_kk or "").strip():
        kunci_desa_nomor(banjar.induk_id)
        no_kk = no_kk_sementara_berikut(banjar.induk)
    clean, findings = validate_record(KELUARGA, {"no_kk": no_kk, "alamat": alamat, **(atribut or {})})
    adat = banjar_adat_dari_kode(banjar_adat_kode, banjar.induk_id, findings) if banjar_adat_kode else None
    findings += kk_findings(no_kk, wilayah=kode_wilayah()) + _length_findings(Keluarga, clean)
    if Keluarga.objects.filter(no_kk=no_kk).exists():
        findings.append(Finding(rule="kk_ganda", column="no_kk", value=no_kk, message="No. KK sudah terdaftar"))
    _raise_if_errors(findings, "keluarga")
    columns, attrs = _split(Keluarga, clean)
    keluarga = Keluarga.objects.create(
        banjar=banjar, desa=banjar.induk, atribut=attrs, no_kk_sementara=is_temporary(no_kk), banjar_adat=adat,
        **columns
    )
    audit_log(aksi="registry.keluarga.dibuat", objek=keluarga, pengguna=pengguna, sesudah=model_snapshot(keluarga))
    return keluarga


def _registered_holder(nik: str, instance: Individu | None) -> Individu | None:
    return (Individu.objects.filter(nik=nik).exclude(pk=getattr(instance, "pk", None))
            .select_related("keluarga", "desa").first())


def terdaftar_dari(person: Individu) -> Terdaftar:
    return Terdaftar(nik=person.nik, nama=person.nama, no_kk=person.keluarga.no_kk,
                     desa=f"{person.desa.get_tingkat_display()} {person.desa.nama} ({person.desa.kode})")


def _nik_taken(nik: str, clean: dict[str, Any], holder: Individu) -> Finding:
    """A NIK that is already someone's: name the registered person; a different person is its own rule."""
    who = terdaftar_dari(holder)
    beda = beda_identitas(model_snapshot(holder), clean)
    if beda:
        return Finding(rule="nik_orang_lain", column="nik", value=mask_nik(nik), message=pesan_orang_lain(who, beda))
    return Finding(rule="nik_ganda", column="nik", value=mask_nik(nik),
                   message=f"NIK sudah terdaftar di kabupaten ini: {who}; koreksi data orang itu, jangan daftar ulang")


def _correction(data: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """(declared?, reason, data without the declaration fields)."""
    rest = {k: v for k, v in data.items() if k not in (KOLOM_KOREKSI, KOLOM_ALASAN)}
    return koreksi_dinyatakan(data.get(KOLOM_KOREKSI)), str(data.get(KOLOM_ALASAN) or "").strip(), rest


def _identity_change(instance: Individu, clean: dict[str, Any], declared: bool, alasan: str) -> tuple[list[str],
                                                                                                        list[Finding]]:
    """Identity fields an edit changes (name beyond a plausible variant, birth date, sex): allowed only
    as a declared correction with a reason."""
    beda = beda_identitas(model_snapshot(instance), {k: clean.get(k) for k in IDENTITY_FIELDS})
    if not beda:
        return [], []
    fields = ", ".join(beda)
    if not declared:
        return beda, [Finding(rule="koreksi_identitas_wajib", column=beda[0], value=clean.get(beda[0]), message=(
            f"mengubah {fields} berarti mengubah identitas {terdaftar_dari(instance)}; bila data terdaftar memang "
            f"salah, nyatakan {KOLOM_KOREKSI} = ya dengan {KOLOM_ALASAN}; bila ini orang lain, daftarkan sendiri"))]
    if not alasan:
        return beda, [Finding(rule="alasan_koreksi_wajib", column=KOLOM_ALASAN, value=None,
                              message="koreksi identitas wajib disertai alasan")]
    return beda, []


def _check_person(data: dict[str, Any], *, instance: Individu | None = None) -> tuple[dict, list[Finding]]:
    clean, findings = validate_record(INDIVIDU, data, partial=instance is not None)
    findings += _length_findings(Individu, clean)
    merged = {**(model_snapshot(instance) if instance else {}), **clean}
    nik = merged.get("nik", "")
    if "nik" in clean or "jenis_kelamin" in clean or "tanggal_lahir" in clean:
        birth = merged.get("tanggal_lahir")
        findings += nik_findings(
            nik, jenis_kelamin=merged.get("jenis_kelamin"),
            tanggal_lahir=dt.date.fromisoformat(birth) if isinstance(birth, str) else birth,
            kecamatan_dikenal=_kecamatan_codes(), wilayah=kode_wilayah(),
        )
    holder = _registered_holder(nik, instance) if "nik" in clean and nik else None
    if holder is not None:
        findings.append(_nik_taken(nik, merged, holder))  # an edit brings the person's other fields
    return clean, findings


def _check_single_head(keluarga: Keluarga, clean: dict, instance: Individu | None) -> list[Finding]:
    becomes_head = clean.get("hubungan_keluarga", getattr(instance, "hubungan_keluarga", None)) == KEPALA_KELUARGA
    alive = clean.get("status_dasar", getattr(instance, "status_dasar", HIDUP)) == HIDUP
    if not (becomes_head and alive):
        return []
    others = keluarga.anggota.filter(hubungan_keluarga=KEPALA_KELUARGA, status_dasar=HIDUP)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        return [Finding(rule="satu_kepala_keluarga", column="hubungan_keluarga", value=KEPALA_KELUARGA,
                        message="keluarga ini sudah punya kepala keluarga")]
    return []


@transaction.atomic
def individu_create(*, keluarga: Keluarga, data: dict[str, Any], rumah_tangga: RumahTangga | None = None,
                    pengguna=None, aksi: str = "registry.individu.dibuat") -> Individu:
    """Add a person to a family. ``data`` holds core fields and dictionary attributes alike. A NIK
    already registered is refused with the registered person named (to correct them, edit them)."""
    pastikan_dapat_diubah(desa=keluarga.desa)
    _, _, data = _correction(data)
    clean, findings = _check_person(data)
    findings += _check_single_head(keluarga, clean, None)
    _raise_if_errors(findings, "individu")
    columns, attrs = _split(Individu, clean)
    joined = rumah_tangga is None and rumah_tangga_keluarga(keluarga)
    if joined:
        rumah_tangga = joined
        columns.setdefault("hubungan_rumah_tangga", ANGGOTA_RUMAH_TANGGA)
    person = Individu.objects.create(
        keluarga=keluarga, rumah_tangga=rumah_tangga, banjar_id=keluarga.banjar_id, desa_id=keluarga.desa_id,
        atribut=attrs, nik_sementara=is_temporary(columns["nik"]), **columns,
    )
    audit_log(aksi=aksi, objek=person, pengguna=pengguna, sesudah=model_snapshot(person))
    if joined:
        # the household's own history shows who joined (as anggota_rumah_tangga_set writes it)
        audit_log(aksi="registry.rumah_tangga.anggota_masuk", objek=joined, pengguna=pengguna, sebelum=None,
                  sesudah={"anggota": person.pk, "hubungan_rumah_tangga": person.hubungan_rumah_tangga})
    return person


def rumah_tangga_keluarga(keluarga: Keluarga) -> RumahTangga | None:
    """The household a new member of ``keluarga`` joins: the living head's, else the one household all
    living members with a household share; None when the family has none or is split over several."""
    rows = list(keluarga.anggota.filter(status_dasar=HIDUP, rumah_tangga__isnull=False, rumah_tangga__aktif=True)
                .values_list("hubungan_keluarga", "rumah_tangga_id"))
    heads = {rt for shdk, rt in rows if shdk == KEPALA_KELUARGA}
    found = heads or {rt for _, rt in rows}
    return RumahTangga.objects.filter(pk=found.pop()).first() if len(found) == 1 else None


@transaction.atomic
def individu_update(*, individu: Individu, data: dict[str, Any], pengguna=None,
                    aksi: str = "registry.individu.diubah", versi: int | Collection[int] | None = None) -> Individu:
    """Correct a person's fields. Only the given keys change; an empty value clears an attribute.

    Changing who the person is (name beyond a plausible variant, birth date, sex) needs the
    declaration ``koreksi_identitas`` with ``alasan_koreksi`` and is audited as its own entry.
    ``versi``: the version the caller read; a stale one raises ``VersiBasi`` (optimistic locking)."""
    individu = kunci_versi(Individu, individu.pk, versi, related=("keluarga", "desa"))
    pastikan_dapat_diubah(desa=individu.desa)
    declared, alasan, data = _correction(data)
    clean, findings = _check_person(data, instance=individu)
    beda, identity_findings = _identity_change(individu, clean, declared, alasan)
    findings += identity_findings + _check_single_head(individu.keluarga, clean, individu)
    _raise_if_errors(findings, "individu")
    before = model_snapshot(individu)
    columns, attrs = _split(Individu, clean)
    # an empty value clears an optional core column (e.g. pendidikan not known after all)
    nullable = {f.name for f in Individu._meta.concrete_fields if f.null}
    columns.update({k: None for k, v in data.items() if v in (None, "") and k in nullable})
    for key, value in columns.items():
        setattr(individu, key, value)
    if "nik" in columns:
        individu.nik_sementara = is_temporary(columns["nik"])
    cleared = {k for k, v in data.items() if v in (None, "") and k not in columns}
    individu.atribut = {k: v for k, v in {**individu.atribut, **attrs}.items() if k not in cleared}
    individu.save()
    after = model_snapshot(individu)
    if beda:
        audit_log(aksi=KOREKSI_IDENTITAS, objek=individu, pengguna=pengguna, sebelum={k: before.get(k) for k in beda},
                  sesudah={**{k: after.get(k) for k in beda}, "alasan": alasan})
        before, after = ({k: v for k, v in snap.items() if k not in beda} for snap in (before, after))
    if before != after:
        audit_log(aksi=aksi, objek=individu, pengguna=pengguna, sebelum=before, sesudah=after)
    return individu


@transaction.atomic
def rumah_tangga_create(*, kode: str, banjar_kode: str, atribut: dict | None = None,
                        bangunan: Bangunan | None = None, pengguna=None) -> RumahTangga:
    banjar = get_banjar(banjar_kode)
    clean, findings = validate_record(RUMAH_TANGGA, atribut or {})
    if RumahTangga.objects.filter(kode=kode).exists():
        findings.append(Finding(rule="rt_ganda", column="kode", value=kode, message="kode rumah tangga sudah ada"))
    _raise_if_errors(findings, "rumah tangga")
    rt = RumahTangga.objects.create(kode=kode, banjar=banjar, desa=banjar.induk, bangunan=bangunan, atribut=clean)
    audit_log(aksi="registry.rumah_tangga.dibuat", objek=rt, pengguna=pengguna, sesudah=model_snapshot(rt))
    return rt


@transaction.atomic
def bangunan_create(*, kode: str, banjar_kode: str, lat: float | None = None, lng: float | None = None,
                    atribut: dict | None = None, pengguna=None) -> Bangunan:
    banjar = get_banjar(banjar_kode)
    clean, findings = validate_record(BANGUNAN, atribut or {})
    if lat is not None and not -90 <= lat <= 90 or lng is not None and not -180 <= lng <= 180:
        findings.append(Finding(rule="koordinat", column="lat/lng", value=f"{lat},{lng}",
                                message="koordinat di luar rentang WGS84"))
    if Bangunan.objects.filter(kode=kode).exists():
        findings.append(Finding(rule="bangunan_ganda", column="kode", value=kode, message="kode bangunan sudah ada"))
    _raise_if_errors(findings, "bangunan")
    b = Bangunan.objects.create(kode=kode, banjar=banjar, desa=banjar.induk, lat=lat, lng=lng, atribut=clean)
    audit_log(aksi="registry.bangunan.dibuat", objek=b, pengguna=pengguna, sesudah=model_snapshot(b))
    return b

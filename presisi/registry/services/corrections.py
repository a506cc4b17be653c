"""Correcting families, households and buildings, and moving people between KK and households.

Same contract as ``records.py``: refuse when the desa's approved data is locked, validate
everything (dictionary, identifiers, uniqueness, one head), raise ``ValidationFailed`` with
every finding and write nothing, or change the record and write an audit row with the before-
and after-image.
Only the given keys change; an empty value clears a dictionary attribute. Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.db import models, transaction
from django.db.models import F

from presisi.core.audit import audit_log, model_snapshot
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.dictionary.validation import validate_record
from presisi.periods.locking import pastikan_dapat_diubah
from presisi.regions.known import kode_wilayah
from presisi.regions.models import WilayahAdat
from presisi.registry.identifiers import is_temporary, kk_findings
from presisi.registry.models import (
    HIDUP,
    KEPALA_KELUARGA,
    MATI,
    Bangunan,
    Individu,
    Keluarga,
    Peristiwa,
    RumahTangga,
)
from presisi.registry.services.adat import banjar_adat_dari_kode
from presisi.registry.services.events import peristiwa_catat
from presisi.registry.services.records import _raise_if_errors, _split, get_banjar
from presisi.registry.services.versi import kunci_versi

KEPALA_RUMAH_TANGGA = 1


def _merge_atribut(current: dict, attrs: dict, data: dict, columns: dict) -> dict:
    cleared = {k for k, v in data.items() if v in (None, "") and k not in columns}
    return {k: v for k, v in {**current, **attrs}.items() if k not in cleared}


def _banjar_in_same_desa(kode: str, desa_id: int, findings: list[Finding]):
    """The banjar for a correction; a family or house moving to another desa is a pindah, not a fix."""
    try:
        banjar = get_banjar(kode)
    except ValidationFailed as exc:
        findings.extend(exc.findings)
        return None
    if banjar.induk_id != desa_id:
        findings.append(Finding(rule="banjar_lain_desa", column="banjar", value=kode,
                                message="banjar harus di desa yang sama; pindah desa dicatat sebagai "
                                        "peristiwa"))
        return None
    return banjar


def _unique(model: type[models.Model], field: str, value: str, instance: models.Model, rule: str,
            message: str) -> list[Finding]:
    if model.objects.filter(**{field: value}).exclude(pk=instance.pk).exists():
        return [Finding(rule=rule, column=field, value=value, message=message)]
    return []


@transaction.atomic
def keluarga_update(*, keluarga: Keluarga, data: dict[str, Any], banjar_kode: str | None = None,
                    pengguna=None, versi: int | Collection[int] | None = None,
                    banjar_adat_kode: str | None = None) -> Keluarga:
    """Correct a family: No. KK (the old number is kept), address, attributes, banjar within the desa.

    When the banjar changes, the members follow (each record carries its banjar). ``versi``: the
    version the caller read; a stale one raises ``VersiBasi`` (optimistic locking).
    ``banjar_adat_kode``: None leaves the banjar adat, "" clears it, a code sets it (within the desa's desa adat).
    """
    keluarga = kunci_versi(Keluarga, keluarga.pk, versi)
    pastikan_dapat_diubah(desa=keluarga.desa)
    clean, findings = validate_record(KELUARGA, data, partial=True)
    no_kk = clean.get("no_kk")
    if no_kk and no_kk != keluarga.no_kk:
        findings += kk_findings(no_kk, wilayah=kode_wilayah())
        findings += _unique(Keluarga, "no_kk", no_kk, keluarga, "kk_ganda", "No. KK sudah terdaftar")
    banjar = None
    if banjar_kode and banjar_kode != keluarga.banjar.kode:
        banjar = _banjar_in_same_desa(banjar_kode, keluarga.desa_id, findings)
    adat: WilayahAdat | None | bool = False  # False: unchanged
    if banjar_adat_kode is not None:
        adat = banjar_adat_dari_kode(banjar_adat_kode, keluarga.desa_id, findings) if banjar_adat_kode else None
    _raise_if_errors(findings, "keluarga")
    before = model_snapshot(keluarga)
    if adat is not False:
        keluarga.banjar_adat = adat
    columns, attrs = _split(Keluarga, clean)
    if "no_kk" in columns and columns["no_kk"] != keluarga.no_kk:
        keluarga.no_kk_sebelumnya = keluarga.no_kk
        keluarga.no_kk_sementara = is_temporary(columns["no_kk"])
    for key, value in columns.items():
        setattr(keluarga, key, value)
    if "alamat" in data and data["alamat"] in (None, ""):
        keluarga.alamat = ""
    keluarga.atribut = _merge_atribut(keluarga.atribut, attrs, data, columns)
    if banjar is not None:
        keluarga.banjar = banjar
        keluarga.anggota.update(banjar=banjar, versi=F("versi") + 1)  # a member form open meanwhile is stale
    keluarga.save()
    audit_log(aksi="registry.keluarga.diubah", objek=keluarga, pengguna=pengguna, sebelum=before,
              sesudah=model_snapshot(keluarga))
    return keluarga


@transaction.atomic
def rumah_tangga_update(*, rumah_tangga: RumahTangga, data: dict[str, Any], kode: str | None = None,
                        banjar_kode: str | None = None, bangunan: Bangunan | None | bool = False,
                        pengguna=None, versi: int | Collection[int] | None = None) -> RumahTangga:
    """Correct a household's attributes, code, banjar (within the desa) or building.

    ``bangunan=False`` leaves the building as it is; ``None`` unlinks it.
    """
    rt = kunci_versi(RumahTangga, rumah_tangga.pk, versi, related=("banjar", "desa"))
    pastikan_dapat_diubah(desa=rt.desa)
    clean, findings = validate_record(RUMAH_TANGGA, data, partial=True)
    if kode and kode != rt.kode:
        findings += _unique(RumahTangga, "kode", kode, rt, "rt_ganda", "kode rumah tangga sudah ada")
    banjar = None
    if banjar_kode and banjar_kode != rt.banjar.kode:
        banjar = _banjar_in_same_desa(banjar_kode, rt.desa_id, findings)
    if isinstance(bangunan, Bangunan) and bangunan.desa_id != rt.desa_id:
        findings.append(Finding(rule="bangunan_lain_desa", column="bangunan", value=bangunan.kode,
                                message="bangunan harus di desa yang sama dengan rumah tangga"))
    _raise_if_errors(findings, "rumah tangga")
    before = model_snapshot(rt)
    rt.atribut = _merge_atribut(rt.atribut, clean, data, {})
    if kode:
        rt.kode = kode
    if banjar is not None:
        rt.banjar = banjar
    if bangunan is not False:
        rt.bangunan = bangunan
    rt.save()
    audit_log(aksi="registry.rumah_tangga.diubah", objek=rt, pengguna=pengguna, sebelum=before,
              sesudah=model_snapshot(rt))
    return rt


def _coordinate_findings(lat: float | None, lng: float | None) -> list[Finding]:
    if lat is not None and not -90 <= lat <= 90 or lng is not None and not -180 <= lng <= 180:
        return [Finding(rule="koordinat", column="lat/lng", value=f"{lat},{lng}",
                        message="koordinat di luar rentang WGS84")]
    return []


@transaction.atomic
def bangunan_update(*, bangunan: Bangunan, data: dict[str, Any], kode: str | None = None,
                    banjar_kode: str | None = None, lat: float | None | bool = False,
                    lng: float | None | bool = False, pengguna=None,
                    versi: int | Collection[int] | None = None) -> Bangunan:
    """Correct a building's attributes, code, banjar (within the desa) or location.

    ``lat``/``lng`` ``False`` leave the coordinate as it is; ``None`` clears it.
    """
    b = kunci_versi(Bangunan, bangunan.pk, versi, related=("banjar", "desa"))
    pastikan_dapat_diubah(desa=b.desa)
    clean, findings = validate_record(BANGUNAN, data, partial=True)
    new_lat = b.lat if lat is False else lat
    new_lng = b.lng if lng is False else lng
    findings += _coordinate_findings(new_lat, new_lng)
    if kode and kode != b.kode:
        findings += _unique(Bangunan, "kode", kode, b, "bangunan_ganda", "kode bangunan sudah ada")
    banjar = None
    if banjar_kode and banjar_kode != b.banjar.kode:
        banjar = _banjar_in_same_desa(banjar_kode, b.desa_id, findings)
    _raise_if_errors(findings, "bangunan")
    before = model_snapshot(b)
    b.atribut = _merge_atribut(b.atribut, clean, data, {})
    b.lat, b.lng = new_lat, new_lng
    if kode:
        b.kode = kode
    if banjar is not None:
        b.banjar = banjar
    b.save()
    audit_log(aksi="registry.bangunan.diubah", objek=b, pengguna=pengguna, sebelum=before,
              sesudah=model_snapshot(b))
    return b


def _living(individu: Individu) -> list[Finding]:
    if individu.status_dasar != HIDUP:
        return [Finding(rule="status_dasar", column="status_dasar", value=individu.status_dasar,
                        message="hanya penduduk berstatus hidup yang dapat dipindahkan")]
    return []


@transaction.atomic
def anggota_pindah_keluarga(*, individu: Individu, keluarga: Keluarga, hubungan_keluarga: int,
                            pengguna=None, tanggal: dt.date | None = None) -> Individu:
    """Move a living person to another family card in the same desa (marriage, split, correction).

    Moving to another desa is a ``pindah keluar`` there and a ``datang`` here. Both families
    get an audit row, so each family's history shows who joined and who left.
    """
    individu = kunci_versi(Individu, individu.pk, related=("keluarga", "desa"))
    pastikan_dapat_diubah(desa=individu.desa)
    asal = individu.keluarga
    clean, findings = validate_record(INDIVIDU, {"hubungan_keluarga": hubungan_keluarga}, partial=True)
    if hubungan_keluarga in (None, ""):
        findings.append(Finding(rule="wajib", column="hubungan_keluarga",
                                message="hubungan dalam keluarga wajib diisi"))
    findings += _living(individu)
    if keluarga.pk == asal.pk:
        findings.append(Finding(rule="keluarga_sama", column="keluarga", value=keluarga.no_kk,
                                message="penduduk sudah menjadi anggota keluarga ini"))
    if keluarga.desa_id != individu.desa_id:
        findings.append(Finding(rule="keluarga_lain_desa", column="keluarga", value=keluarga.no_kk,
                                message="keluarga tujuan di desa lain; catat sebagai pindah keluar dan "
                                        "datang"))
    heads = keluarga.anggota.filter(hubungan_keluarga=KEPALA_KELUARGA, status_dasar=HIDUP)
    if clean.get("hubungan_keluarga") == KEPALA_KELUARGA and heads.exists():
        findings.append(Finding(rule="satu_kepala_keluarga", column="hubungan_keluarga",
                                value=KEPALA_KELUARGA, message="keluarga tujuan sudah punya kepala keluarga"))
    _raise_if_errors(findings, "perpindahan anggota keluarga")
    before = model_snapshot(individu)
    individu.keluarga = keluarga
    individu.banjar_id = keluarga.banjar_id
    individu.hubungan_keluarga = clean["hubungan_keluarga"]
    individu.save()
    # the move is an event in the person's history (date and both numbers), not only a field change
    Peristiwa.objects.create(individu=individu, jenis=Peristiwa.PINDAH_KK, tanggal=tanggal or dt.date.today(),
                             data={"dari_no_kk": asal.no_kk, "ke_no_kk": keluarga.no_kk},
                             dicatat_oleh=pengguna if getattr(pengguna, "pk", None) else None)
    audit_log(aksi="registry.individu.pindah_kk", objek=individu, pengguna=pengguna, sebelum=before,
              sesudah=model_snapshot(individu))
    audit_log(aksi="registry.keluarga.anggota_keluar", objek=asal, pengguna=pengguna,
              sebelum={"anggota": individu.pk}, sesudah={"ke_no_kk": keluarga.no_kk})
    audit_log(aksi="registry.keluarga.anggota_masuk", objek=keluarga, pengguna=pengguna,
              sebelum={"dari_no_kk": asal.no_kk}, sesudah={"anggota": individu.pk})
    return individu


@transaction.atomic
def anggota_rumah_tangga_set(*, individu: Individu, rumah_tangga: RumahTangga | None,
                             hubungan_rumah_tangga: int | None = None, pengguna=None) -> Individu:
    """Put a person in a household (or take them out with ``None``); one living head per household."""
    individu = kunci_versi(Individu, individu.pk, related=("desa",))
    pastikan_dapat_diubah(desa=individu.desa)
    findings: list[Finding] = []
    clean: dict[str, Any] = {}
    if rumah_tangga is not None:
        clean, findings = validate_record(INDIVIDU, {"hubungan_rumah_tangga": hubungan_rumah_tangga})
        findings = [f for f in findings if f.column == "hubungan_rumah_tangga"]
        if hubungan_rumah_tangga in (None, ""):
            findings.append(Finding(rule="wajib", column="hubungan_rumah_tangga",
                                    message="hubungan dalam rumah tangga wajib diisi"))
        findings += _living(individu)
        if rumah_tangga.desa_id != individu.desa_id:
            findings.append(Finding(rule="rumah_tangga_lain_desa", column="rumah_tangga",
                                    value=rumah_tangga.kode,
                                    message="rumah tangga harus di desa yang sama dengan penduduk"))
        heads = rumah_tangga.anggota.filter(hubungan_rumah_tangga=KEPALA_RUMAH_TANGGA, status_dasar=HIDUP)
        becomes_head = clean.get("hubungan_rumah_tangga") == KEPALA_RUMAH_TANGGA
        if becomes_head and heads.exclude(pk=individu.pk).exists():
            findings.append(Finding(rule="satu_kepala_rumah_tangga", column="hubungan_rumah_tangga",
                                    value=KEPALA_RUMAH_TANGGA, message="rumah tangga ini sudah punya kepala"))
    _raise_if_errors(findings, "anggota rumah tangga")
    before = model_snapshot(individu)
    asal = individu.rumah_tangga
    individu.rumah_tangga = rumah_tangga
    individu.hubungan_rumah_tangga = clean.get("hubungan_rumah_tangga")
    individu.save()
    audit_log(aksi="registry.individu.rumah_tangga", objek=individu, pengguna=pengguna, sebelum=before,
              sesudah=model_snapshot(individu))
    # each household's own history shows who joined and who left
    if asal is not None and asal != rumah_tangga:
        audit_log(aksi="registry.rumah_tangga.anggota_keluar", objek=asal, pengguna=pengguna,
                  sebelum={"anggota": individu.pk}, sesudah=None)
    if rumah_tangga is not None:
        audit_log(aksi="registry.rumah_tangga.anggota_masuk", objek=rumah_tangga, pengguna=pengguna,
                  sebelum=None, sesudah={"anggota": individu.pk,
                                         "hubungan_rumah_tangga": individu.hubungan_rumah_tangga})
    return individu


@transaction.atomic
def kepulangan_catat(*, individu: Individu, tanggal: dt.date, asal: str = "", keterangan: str = "",
                     pengguna=None) -> Peristiwa:
    """A registered person who had moved out, gone missing or left comes back (Pindah Masuk).

    Only for people who are not living here now; a newcomer is ``kedatangan_catat``.
    """
    if individu.status_dasar in (HIDUP, MATI):
        raise ValidationFailed("Penduduk ini tidak dapat dicatat kembali.", [Finding(
            rule="status_dasar", column="status_dasar", value=individu.status_dasar,
            message="hanya penduduk berstatus pindah, hilang atau pergi yang dapat dicatat kembali")])
    return peristiwa_catat(individu=individu, jenis=Peristiwa.PINDAH_MASUK, tanggal=tanggal,
                           keterangan=keterangan or asal, data={"asal": asal} if asal else {}, pengguna=pengguna)
